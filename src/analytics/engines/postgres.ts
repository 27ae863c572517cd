/**
 * The analytics engine on PostgreSQL (or PGlite): the registry's database, tables in ../schema.ts.
 * One import is one transaction: a temporary staging table filled in batches, the shared upserts
 * (engine.ts), the import record. Citus-ready: every big table's key starts with `imei_norm`.
 */
import { sql } from 'drizzle-orm';
import { type Executor, query, type Store } from '../../store/index.ts';
import {
  type AnalyticsEngine,
  type AnalyticsSnapshot,
  type ImportMeta,
  type ImportOutcome,
  type ImportRecord,
  type OperatorRow,
  SNAPSHOT_QUERIES,
  STAGE_COLUMNS,
  stageValues,
  upsertStatements,
} from './engine.ts';

const BATCH = 10_000;

export class PostgresEngine implements AnalyticsEngine {
  readonly kind = 'postgres' as const;

  constructor(private readonly store: Store) {}

  async imports(): Promise<ImportRecord[]> {
    const rows = await query<Record<string, unknown>>(
      this.store.db,
      sql`select import_id, operator, file_name, start_date::text as start_date, end_date::text as end_date, rows,
            null_imei_rows from analytics_import order by imported_at, import_id`,
    );
    return rows.map((r) => ({
      importId: String(r.import_id),
      operator: String(r.operator),
      fileName: String(r.file_name),
      startDate: String(r.start_date),
      endDate: String(r.end_date),
      rows: Number(r.rows),
      nullImeiRows: Number(r.null_imei_rows),
    }));
  }

  async importOperatorRows(
    meta: ImportMeta,
    rows: AsyncIterable<OperatorRow> | Iterable<OperatorRow>,
  ): Promise<ImportOutcome> {
    const done = (await this.imports()).find((r) => r.importId === meta.importId);
    if (done) return { outcome: 'already-imported', record: done };
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
        batch.push(stageValues(row));
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

  async snapshot(): Promise<AnalyticsSnapshot> {
    const lines = async (statement: string) =>
      (await query<{ line: string }>(this.store.db, sql.raw(statement))).map((r) => r.line).sort();
    return {
      triplets: await lines(SNAPSHOT_QUERIES.triplets),
      imeis: await lines(SNAPSHOT_QUERIES.imeis),
      badCheckDigits: await lines(SNAPSHOT_QUERIES.badCheckDigits),
      timedSightings: await lines(SNAPSHOT_QUERIES.timedSightings),
    };
  }

  async close(): Promise<void> {}
}

/** Rows as one text array per column (a null travels as '' through the driver: nullif restores it). */
async function insertBatch(tx: Executor, stage: string, batch: readonly (string | null)[][]): Promise<void> {
  if (batch.length === 0) return;
  const columns = STAGE_COLUMNS.map((_, i) => sql.param(batch.map((row) => row[i] ?? '')));
  const arrays = sql.join(
    columns.map((column) => sql`${column}::text[]`),
    sql`, `,
  );
  const names = STAGE_COLUMNS.join(', ');
  const nullif = STAGE_COLUMNS.map((c) => `nullif(${c}, '')`).join(', ');
  await tx.execute(
    sql`insert into ${sql.raw(stage)} (${sql.raw(names)}) select ${sql.raw(nullif)} from unnest(${arrays}) as r(${sql.raw(names)})`,
  );
}
