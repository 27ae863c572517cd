/**
 * The embedded analytics engine: DuckDB in `<data_dir>/analytics/analytics.duckdb`, with every
 * imported file's rows also kept as a Parquet partition (`triplets/operator=<id>/<import id>.parquet`)
 * so that rules can be re-run over raw data and files moved between machines. The Parquet file is
 * written under a temporary name and renamed, then the upserts and the import record commit in one
 * DuckDB transaction: a crash at any point leaves either no trace of the file or all of it (a stray
 * Parquet file of an unrecorded import is rewritten by the next attempt).
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
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

const TABLES = [
  `create table if not exists analytics_import (import_id varchar primary key, operator varchar not null,
     file_name varchar not null, start_date date not null, end_date date not null, rows bigint not null,
     null_imei_rows bigint not null, imported_at timestamptz not null default current_timestamp)`,
  `create table if not exists monthly_triplet (imei_norm varchar not null, operator varchar not null, month date not null,
     triplet_hash varchar not null, imsi varchar, msisdn varchar, first_seen date not null, last_seen date not null,
     date_bitmask integer not null, primary key (imei_norm, operator, month, triplet_hash))`,
  `create table if not exists network_imei (imei_norm varchar primary key, first_seen date not null, last_seen date not null,
     seen_rat_bitmask integer not null)`,
  `create table if not exists bad_check_digit (imei_norm varchar not null, imei_raw varchar not null, operator varchar not null,
     first_seen date not null, primary key (imei_norm, imei_raw, operator))`,
  `create table if not exists ref_gsma (tac varchar primary key, manufacturer varchar, model_name varchar, device_type varchar,
     rat_mask integer)`,
  'create table if not exists ref_stolen (imei_norm varchar primary key, status varchar)',
  'create table if not exists ref_barred (imei_norm varchar primary key)',
  'create table if not exists ref_barred_tac (tac varchar primary key)',
  'create table if not exists ref_monitoring (imei_norm varchar primary key, start_date timestamp not null)',
  'create table if not exists ref_registration (imei_norm varchar primary key, status varchar, device_type varchar)',
  'create table if not exists ref_association (uid varchar not null, imei_norm varchar not null, primary key (imei_norm, uid))',
  'create table if not exists ref_subscribers (uid varchar not null, imsi varchar not null, primary key (uid, imsi))',
  'create table if not exists ref_pairing (imei_norm varchar not null, imsi varchar not null, msisdn varchar, primary key (imei_norm, imsi))',
  'create table if not exists ref_golden (hashed_imei_norm varchar primary key)',
  `create table if not exists timed_sighting (imei_norm varchar not null, seen_at timestamp not null, operator varchar not null,
     imsi varchar not null default '', cell varchar not null default '', lat double, lon double,
     primary key (imei_norm, seen_at, operator, imsi, cell))`,
  'create table if not exists analytics_sealing (what varchar primary key, key_id varchar not null)',
];

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

export class DuckDbEngine extends SqlEngine implements AnalyticsEngine {
  readonly kind = 'duckdb' as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** Where the Parquet partitions live; null for an in-memory engine (tests). */
    private readonly directory: string | null,
    readonly imsiSealer: ImsiSealer | null,
  ) {
    super();
  }

  private sealingChecked = false;

  /** Before a write: the store's IMSIs are sealed under this engine's key, or both are clear. */
  private async checkSealing(): Promise<void> {
    if (this.sealingChecked) return;
    await checkSealing(
      (text) => this.query(text),
      this.imsiSealer,
      this.directory ?? 'the in-memory analytics store',
    );
    this.sealingChecked = true;
  }

  /**
   * Opens (or creates) the engine in `directory`, or in memory without one. `memoryLimit` bounds
   * DuckDB's memory; beyond it, DuckDB spills to `directory`. With `imsiSealer`, IMSIs are sealed
   * before they reach the database file or a Parquet partition (../subscriber-seal.ts).
   */
  static async open(
    directory: string | null,
    options: { memoryLimit?: string; threads?: number; imsiSealer?: ImsiSealer | null } = {},
  ) {
    if (directory) mkdirSync(directory, { recursive: true });
    const instance = await DuckDBInstance.create(
      directory ? path.join(directory, 'analytics.duckdb') : ':memory:',
      {
        ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
        ...(options.threads ? { threads: String(options.threads) } : {}),
        ...(directory ? { temp_directory: path.join(directory, 'spill') } : {}),
      },
    );
    const connection = await instance.connect();
    for (const statement of TABLES) await connection.run(statement);
    return new DuckDbEngine(instance, connection, directory, options.imsiSealer ?? null);
  }

  async importOperatorRows(
    meta: ImportMeta,
    rows: AsyncIterable<OperatorRow> | Iterable<OperatorRow>,
  ): Promise<ImportOutcome> {
    const done = (await this.imports()).find((r) => r.importId === meta.importId);
    if (done) return { outcome: 'already-imported', record: done };
    await this.checkSealing();
    const stage = `stage_${meta.importId.slice(0, 16)}`;
    await this.connection.run(`drop table if exists ${stage}`);
    await this.connection.run(
      `create table ${stage} (${STAGE_COLUMNS.map((c) => `${c} varchar`).join(', ')})`,
    );
    try {
      let count = 0;
      let nullImei = 0;
      const appender = await this.connection.createAppender(stage);
      try {
        for await (const row of rows) {
          count++;
          if (row.imeiNorm === null) nullImei++;
          for (const value of stageValues(row, this.imsiSealer)) {
            if (value === null) appender.appendNull();
            else appender.appendVarchar(value);
          }
          appender.endRow();
        }
      } finally {
        // Also when reading the file fails half way: nothing of it is recorded, the stage is dropped.
        appender.closeSync();
      }
      if (this.directory) await this.writePartition(meta, stage);
      const record: ImportRecord = { ...meta, rows: count, nullImeiRows: nullImei };
      await this.connection.run('begin transaction');
      try {
        for (const statement of upsertStatements(stage, meta.operator)) await this.connection.run(statement);
        await this.connection.run(
          `insert into analytics_import (import_id, operator, file_name, start_date, end_date, rows, null_imei_rows)
           values (${quote(meta.importId)}, ${quote(meta.operator)}, ${quote(meta.fileName)}, cast(${quote(meta.startDate)} as date),
                   cast(${quote(meta.endDate)} as date), ${count}, ${nullImei})`,
        );
        await this.connection.run('commit');
      } catch (error) {
        await this.connection.run('rollback');
        throw error;
      }
      return { outcome: 'imported', record };
    } finally {
      await this.connection.run(`drop table if exists ${stage}`);
    }
  }

  async loadReference(lists: ReferenceLists): Promise<void> {
    await this.checkSealing();
    const rows = referenceRows(sealReference(lists, this.imsiSealer));
    const tables = Object.keys(REFERENCE_TABLES) as ReferenceTable[];
    for (const table of tables) {
      const stage = `stage_${table}`;
      await this.connection.run(`drop table if exists ${stage}`);
      await this.connection.run(
        `create table ${stage} (${REFERENCE_TABLES[table].map((c) => `${c} varchar`).join(', ')})`,
      );
      const appender = await this.connection.createAppender(stage);
      try {
        for (const row of rows[table]) {
          for (const value of row) {
            if (value === null) appender.appendNull();
            else appender.appendVarchar(value);
          }
          appender.endRow();
        }
      } finally {
        appender.closeSync();
      }
    }
    await this.connection.run('begin transaction');
    try {
      for (const table of tables) {
        await this.connection.run(`delete from ${table}`);
        await this.connection.run(referenceInsert(table, `stage_${table}`));
      }
      await this.connection.run('commit');
    } catch (error) {
      await this.connection.run('rollback');
      throw error;
    } finally {
      for (const table of tables) await this.connection.run(`drop table if exists stage_${table}`);
    }
  }

  /** The file's rows as a Parquet partition, written under a temporary name and renamed. */
  private async writePartition(meta: ImportMeta, stage: string): Promise<void> {
    const folder = path.join(this.directory!, 'triplets', `operator=${meta.operator}`);
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `${meta.importId}.parquet`);
    const temporary = `${file}.tmp`;
    rmSync(temporary, { force: true });
    await this.connection.run(`copy ${stage} to ${quote(temporary)} (format parquet, compression zstd)`);
    renameSync(temporary, file);
  }

  async query(text: string): Promise<Record<string, string | null>[]> {
    const rows = (await this.connection.runAndReadAll(text)).getRowObjects();
    return rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])),
    );
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
