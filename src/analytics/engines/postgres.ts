/**
 * The analytics engine on PostgreSQL (or PGlite): the registry's database, tables in ../schema.ts.
 * One import is one transaction: a temporary staging table filled in batches, the shared upserts
 * (engine.ts), the import record. Citus-ready: every big table's key starts with `imei_norm`.
 */
import { sql } from 'drizzle-orm';
import { type Executor, query, type Store } from '../../store/index.ts';
import { REFERENCE_TABLES, type ReferenceLists, type ReferenceTable, referenceRows } from '../reference.ts';
import type { ImsiSealer } from '../subscriber-seal.ts';
import {
  type AnalyticsEngine,
  type ImportMeta,
  type ImportOutcome,
  type ImportRecord,
  type OperatorRow,
  referenceInsert,
  SqlEngine,
  STAGE_COLUMNS,
  sealReference,
  stageValues,
  upsertStatements,
} from './engine.ts';
import { checkSealing } from './sealing.ts';

const BATCH = 10_000;

export class PostgresEngine extends SqlEngine implements AnalyticsEngine {
  readonly kind = 'postgres' as const;

  readonly imsiSealer: ImsiSealer | null;
  private sealingChecked = false;

  /** With `imsiSealer`, IMSIs are sealed before they reach a table (../subscriber-seal.ts). */
  constructor(
    private readonly store: Store,
    options: { imsiSealer?: ImsiSealer | null } = {},
  ) {
    super();
    this.imsiSealer = options.imsiSealer ?? null;
  }

  /** Before a write: the store's IMSIs are sealed under this engine's key, or both are clear. */
  private async checkSealing(): Promise<void> {
    if (this.sealingChecked) return;
    await checkSealing(
      (text) => this.query(text),
      this.imsiSealer,
      'the analytics tables of the registry database',
    );
    this.sealingChecked = true;
  }

  async importOperatorRows(
    meta: ImportMeta,
    rows: AsyncIterable<OperatorRow> | Iterable<OperatorRow>,
  ): Promise<ImportOutcome> {
    const done = (await this.imports()).find((r) => r.importId === meta.importId);
    if (done) return { outcome: 'already-imported', record: done };
    await this.checkSealing();
    const stage = `stage_${meta.importId.slice(0, 16)}`;
    const record = await this.store.db.transaction(async (tx) => {
      await tx.execute(
        sql.raw(
          `create temporary table ${stage} (${STAGE_COLUMNS.map((c) => `${c} text`).join(', ')}) on commit drop`,
        ),
      );
      let count = 0;
      let nullImei = 0;
      let batch: (string | null)[][] = [];
      for await (const row of rows) {
        count++;
        if (row.imeiNorm === null) nullImei++;
        batch.push(stageValues(row, this.imsiSealer));
        if (batch.length >= BATCH) {
          await insertBatch(tx, stage, batch);
          batch = [];
        }
      }
      await insertBatch(tx, stage, batch);
      for (const statement of upsertStatements(stage, meta.operator)) await tx.execute(sql.raw(statement));
      await tx.execute(sql`
        insert into analytics_import (import_id, operator, file_name, start_date, end_date, rows, null_imei_rows)
        values (${meta.importId}, ${meta.operator}, ${meta.fileName}, ${meta.startDate}, ${meta.endDate}, ${count}, ${nullImei})`);
      return { ...meta, rows: count, nullImeiRows: nullImei } satisfies ImportRecord;
    });
    return { outcome: 'imported', record };
  }

  async loadReference(lists: ReferenceLists): Promise<void> {
    await this.checkSealing();
    const rows = referenceRows(sealReference(lists, this.imsiSealer));
    await this.store.db.transaction(async (tx) => {
      for (const table of Object.keys(REFERENCE_TABLES) as ReferenceTable[]) {
        const columns = REFERENCE_TABLES[table];
        const stage = `stage_${table}`;
        await tx.execute(sql.raw(`delete from ${table}`));
        await tx.execute(
          sql.raw(
            `create temporary table ${stage} (${columns.map((c) => `${c} text`).join(', ')}) on commit drop`,
          ),
        );
        await insertRows(tx, stage, columns, rows[table]);
        await tx.execute(sql.raw(referenceInsert(table, stage)));
      }
    });
  }

  async query(text: string): Promise<Record<string, string | null>[]> {
    const rows = await query<Record<string, unknown>>(this.store.db, sql.raw(text));
    return rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])),
    );
  }

  async close(): Promise<void> {}
}

const insertBatch = (tx: Executor, stage: string, batch: readonly (string | null)[][]) =>
  insertRows(tx, stage, STAGE_COLUMNS, batch);

/**
 * Rows into a text staging table, one text array per column, in slices of BATCH rows (a null
 * travels as '' through the driver's arrays: nullif restores it; no staged value is legitimately '').
 */
async function insertRows(
  tx: Executor,
  stage: string,
  names: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) {
    const slice = rows.slice(start, start + BATCH);
    const arrays = sql.join(
      names.map((_, i) => sql`${sql.param(slice.map((row) => row[i] ?? ''))}::text[]`),
      sql`, `,
    );
    const list = names.join(', ');
    const nullif = names.map((c) => `nullif(${c}, '')`).join(', ');
    await tx.execute(
      sql`insert into ${sql.raw(stage)} (${sql.raw(list)}) select ${sql.raw(nullif)} from unnest(${arrays}) as r(${sql.raw(list)})`,
    );
  }
}
