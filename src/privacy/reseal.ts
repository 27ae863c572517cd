/**
 * Re-sealing: brings every sealed column (src/privacy/columns.ts) to the current privacy key — values
 * written in clear before sealing was turned on, and values sealed under a retired key after a rotation.
 * The registry runs it once after each start; `openceir privacy reseal` runs it on demand.
 *
 * Rows are walked in primary-key order (the key's index, so a batch reads only its own rows), `batchSize`
 * per transaction. Each row is updated only if its values are still the ones read (a concurrent write
 * already sealed them), so a crash or a concurrent change loses nothing: every value is either in its old
 * form or sealed, and the next run goes on.
 * A value under a key that is not in the keyring cannot be opened; it is left as it is (the row's other
 * values are sealed) and its row counted as unreadable.
 */
import { sql } from 'drizzle-orm';
import { type Database, query } from '../store/index.ts';
import { SEALED_TABLES, type SealedColumn, type SealedTable } from './columns.ts';
import { SealError, type Sealer } from './seal.ts';

export interface ResealOptions {
  readonly dryRun?: boolean;
  /** Rows per transaction (default 500). */
  readonly batchSize?: number;
  /** Transactions per table in one run (default 10,000); the next run goes on where this one stopped. */
  readonly maxBatches?: number;
  /** Checked between batches: true stops the run (the registry stopping). */
  readonly stopped?: () => boolean;
}

export interface ResealTableReport {
  readonly table: string;
  /** Rows whose values were (or, in a dry run, would be) sealed under the current key. */
  readonly rows: number;
  /** Rows with a value sealed under a key that is not in the keyring (that value is left as it is). */
  readonly unreadable: number;
}

export interface ResealReport {
  readonly dryRun: boolean;
  readonly keyId: string;
  readonly tables: readonly ResealTableReport[];
  /** True if a run stopped before the end (maxBatches or stopping); run it again. */
  readonly incomplete: boolean;
}

const ident = (name: string) => sql.identifier(name);

/** Rows with a value that is not sealed under the current key (plain, or a retired key). */
function pending(table: SealedTable, keyId: string) {
  const current = `^[sd]1\\.${keyId}\\.`;
  return sql.join(
    table.columns.map((c) => sql`(${ident(c.column)} is not null and ${ident(c.column)} !~ ${current})`),
    sql` or `,
  );
}

function sealValue(sealer: Sealer, column: SealedColumn, stored: string | null): string | null {
  if (stored === null) return null;
  const plain = sealer.open(column.field, stored);
  return column.form === 'equal' ? sealer.sealEqual(column.field, plain) : sealer.seal(column.field, plain);
}

/**
 * An alert's `sim_key` is derived from its IMSI or MSISDN (`coalesce(imsi, 'msisdn:' || msisdn)`, see
 * src/cases/alerts.ts): when those are re-sealed it follows, so new sightings of the same SIM keep
 * meeting the same open alert.
 */
function derived(
  table: SealedTable,
  before: Record<string, string | null>,
  after: Record<string, string | null>,
) {
  if (table.table !== 'alert') return null;
  const simKey = before.sim_key;
  if (simKey != null && simKey === before.imsi) return { sim_key: after.imsi };
  if (simKey != null && before.msisdn != null && simKey === `msisdn:${before.msisdn}`)
    return { sim_key: `msisdn:${after.msisdn}` };
  return null;
}

async function resealTable(
  db: Database,
  sealer: Sealer,
  table: SealedTable,
  options: ResealOptions,
): Promise<{ report: ResealTableReport; incomplete: boolean }> {
  const where = pending(table, sealer.keyId);
  if (options.dryRun) {
    const [row] = await query<{ n: number | string }>(
      db,
      sql`select count(*) as n from ${ident(table.table)} where ${where}`,
    );
    return { report: { table: table.table, rows: Number(row?.n ?? 0), unreadable: 0 }, incomplete: false };
  }
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 10_000;
  const extra = table.table === 'alert' ? [sql`sim_key`] : [];
  const columns = sql.join([...table.columns.map((c) => ident(c.column)), ...extra], sql`, `);
  let after: string | null = null;
  let rows = 0;
  let unreadable = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    if (options.stopped?.()) return { report: { table: table.table, rows, unreadable }, incomplete: true };
    const from: string | null = after;
    const page: number = await db.transaction(async (tx) => {
      const found = await query<Record<string, string | null> & { _key: string }>(
        tx,
        sql`select ${ident(table.key)}::text as _key, ${columns} from ${ident(table.table)}
            where (${where}) ${from === null ? sql`` : sql`and ${ident(table.key)} > ${from}`}
            order by ${ident(table.key)} limit ${batchSize}`,
      );
      for (const row of found) {
        after = row._key;
        const next: Record<string, string | null> = {};
        let unopened = false;
        for (const column of table.columns) {
          const stored = row[column.column] ?? null;
          try {
            next[column.column] = sealValue(sealer, column, stored);
          } catch (error) {
            if (!(error instanceof SealError)) throw error;
            unopened = true;
            next[column.column] = stored;
          }
        }
        if (unopened) unreadable += 1;
        const changes: Record<string, string | null> = { ...next, ...derived(table, row, next) };
        if (changes.sim_key != null && changes.sim_key !== row.sim_key) {
          // An open alert raised after sealing began may already hold this SIM's sealed key: keep both alerts,
          // this one under a key of its own (the unique index covers open alerts only).
          const [clash] = await query(
            tx,
            sql`select 1 as one from alert a join alert b on b.case_id = a.case_id
                where a.id::text = ${row._key} and b.id <> a.id and b.state <> 'closed' and b.sim_key = ${changes.sim_key}`,
          );
          if (clash) changes.sim_key = `${changes.sim_key}#${row._key}`;
        }
        const set = sql.join(
          Object.entries(changes).map(([column, value]) => sql`${ident(column)} = ${value}`),
          sql`, `,
        );
        const same = sql.join(
          Object.keys(changes).map(
            (column) => sql`${ident(column)} is not distinct from ${row[column] ?? null}`,
          ),
          sql` and `,
        );
        const updated = await query(
          tx,
          sql`update ${ident(table.table)} set ${set}
              where ${ident(table.key)}::text = ${row._key} and ${same} returning 1 as one`,
        );
        rows += updated.length;
      }
      return found.length;
    });
    if (page < batchSize) return { report: { table: table.table, rows, unreadable }, incomplete: false };
  }
  return { report: { table: table.table, rows, unreadable }, incomplete: true };
}

export async function reseal(
  db: Database,
  sealer: Sealer,
  options: ResealOptions = {},
): Promise<ResealReport> {
  const tables: ResealTableReport[] = [];
  let incomplete = false;
  for (const table of SEALED_TABLES) {
    const result = await resealTable(db, sealer, table, options);
    tables.push(result.report);
    incomplete ||= result.incomplete;
  }
  return { dryRun: options.dryRun ?? false, keyId: sealer.keyId, tables, incomplete };
}
