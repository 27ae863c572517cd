/**
 * Acceptance of issue 6 ("killing the import half way and running it again yields the same state as
 * one clean import"), on both engines as an operator runs them: the real `openceir analytics import
 * operator` in a child process, SIGKILLed at points drawn from a seeded generator within the clean
 * import's duration, and as soon as each phase that leaves something behind is seen from outside
 * (DuckDB: the Parquet file being written, then renamed while the upserts run; PostgreSQL: the
 * staging and the upsert statements in pg_stat_activity), so that a slow or loaded machine still
 * kills it in each; then run again to completion. The engine's whole state is compared with a
 * clean import into a fresh data directory or database: every analytics table sorted, the import
 * records without their time, and on DuckDB the Parquet partitions (exactly one per import, the same
 * rows, no `*.tmp`) and no staging table left behind. The second of two files is killed too, so an
 * interrupted import on top of earlier data is covered.
 *
 * Seed: OPENCEIR_CRASH_SEED (default 6); the kill times used are printed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Country, writeOperatorFile } from '../../bench/support/country.ts';
import { DuckDbEngine } from '../../src/analytics/engines/duckdb.ts';
import type { AnalyticsEngine } from '../../src/analytics/engines/engine.ts';
import { PostgresEngine } from '../../src/analytics/engines/postgres.ts';
import * as analyticsSchema from '../../src/analytics/schema.ts';
import { openPostgres } from '../../src/store/index.ts';
import { BIN } from '../support/process.ts';
import { createTestDatabase, type TestDatabase } from '../support/stores.ts';

const SEED = Number(process.env.OPENCEIR_CRASH_SEED ?? 6);
/** Kill rounds at random times on the first file, then on the second (phase kills come on top). */
const ROUNDS_FIRST = 2;
const ROUNDS_SECOND = 1;
const RUN_TIMEOUT_MS = 120_000;

/** mulberry32: a small seeded generator, so that a failing round can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly ms: number;
  readonly output: string;
}

/** When to SIGKILL a run: after a delay, or as soon as a phase of the import is observed. */
type Kill = { readonly afterMs: number } | { readonly when: () => Promise<boolean> } | null;
const POLL_MS = 20;

/** Runs `openceir <args>`; SIGKILLs it as `kill` says (if it is still running then). */
function run(args: string[], env: NodeJS.ProcessEnv, kill: Kill = null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
    let output = '';
    let running = true;
    child.stdout!.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    const killer = kill && 'afterMs' in kill ? setTimeout(() => child.kill('SIGKILL'), kill.afterMs) : null;
    if (kill && 'when' in kill) {
      // Polls while the child runs: bounded by its life, itself bounded by the guard below.
      const poll = async () => {
        while (running) {
          if (await kill.when()) {
            child.kill('SIGKILL');
            return;
          }
          await new Promise((wake) => setTimeout(wake, POLL_MS));
        }
      };
      poll().catch(reject);
    }
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openceir ${args.join(' ')} did not finish in ${RUN_TIMEOUT_MS} ms\n${output}`));
    }, RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running = false;
      if (killer) clearTimeout(killer);
      clearTimeout(guard);
      resolve({ code, signal, ms: performance.now() - started, output });
    });
  });
}

/** A table's rows as sorted JSON lines, without the columns named in `skip`. */
async function tableLines(
  engine: AnalyticsEngine,
  table: string,
  skip: readonly string[],
): Promise<string[]> {
  const rows = await engine.query(`select * from ${table}`);
  return rows
    .map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !skip.includes(column))))
    .sort();
}

/** Every table's rows, keyed by table name; the import records without imported_at. */
async function tablesState(
  engine: AnalyticsEngine,
  tables: readonly string[],
): Promise<Record<string, string[]>> {
  const state: Record<string, string[]> = {};
  for (const table of [...tables].sort()) {
    state[table] = await tableLines(engine, table, table === 'analytics_import' ? ['imported_at'] : []);
  }
  return state;
}

/** Files under `root`, relative, sorted; none when it does not exist (yet). */
function filesUnder(root: string): string[] {
  const found: string[] = [];
  if (!existsSync(root)) return found;
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.push(path.relative(root, full));
    }
  };
  walk(root);
  return found.sort();
}

/** Where the state of one engine lives, how to run the CLI on it and how to read it back. */
interface Target {
  readonly env: NodeJS.ProcessEnv;
  state(): Promise<unknown>;
  /** What a killed run left behind, in a few words (printed with the kill times). */
  leftovers(): Promise<string>;
  /** Phases of an import seen from outside, to kill it in each whatever the machine's speed. */
  phases(): { readonly name: string; reached(): Promise<boolean> }[];
  close(): Promise<void>;
}

interface EngineCase {
  readonly name: 'duckdb' | 'postgres';
  target(dir: string): Promise<Target>;
}

const DUCKDB: EngineCase = {
  name: 'duckdb',
  async target(dir) {
    return {
      env: { OPENCEIR_DATA_DIR: dir, OPENCEIR_ANALYTICS_ENGINE: 'duckdb' },
      async state() {
        const folder = path.join(dir, 'analytics');
        const engine = await DuckDbEngine.open(folder);
        try {
          const tables = (await engine.query('select table_name from information_schema.tables')).map((r) =>
            String(r.table_name),
          );
          const imports = await engine.imports();
          const partitions: Record<string, string> = {};
          const files = filesUnder(path.join(folder, 'triplets'));
          for (const file of files.filter((f) => f.endsWith('.parquet'))) {
            const [digest] = await engine.query(
              `select count(*) as n, sum(hash(day, imei_norm, imsi, msisdn, rat_mask, bad_raw, seen_at, cell, lat, lon)) as h
               from read_parquet('${path.join(folder, 'triplets', file)}')`,
            );
            partitions[file] = `${digest?.n} rows, hash ${digest?.h}`;
          }
          return {
            stageTables: tables.filter((t) => t.startsWith('stage_')),
            files,
            expectedFiles: imports.map((r) => `operator=${r.operator}/${r.importId}.parquet`).sort(),
            partitions,
            tables: await tablesState(
              engine,
              tables.filter((t) => !t.startsWith('stage_')),
            ),
          };
        } finally {
          await engine.close();
        }
      },
      async leftovers() {
        const folder = path.join(dir, 'analytics');
        const engine = await DuckDbEngine.open(folder);
        try {
          const stages = await engine.query(
            "select count(*) as n from information_schema.tables where table_name like 'stage_%'",
          );
          const files = filesUnder(path.join(folder, 'triplets'));
          return (
            `${(await engine.imports()).length} imports recorded, ${files.filter((f) => f.endsWith('.parquet')).length} partitions, ` +
            `${files.filter((f) => f.endsWith('.tmp')).length} .tmp, ${stages[0]?.n} stage tables`
          );
        } finally {
          await engine.close();
        }
      },
      phases() {
        // Only files written by this run count: a killed run may have left a .tmp or a partition.
        const triplets = path.join(dir, 'analytics', 'triplets');
        const since = Date.now();
        const fresh = (suffix: string) => async () =>
          filesUnder(triplets).some(
            (f) =>
              f.endsWith(suffix) &&
              (statSync(path.join(triplets, f), { throwIfNoEntry: false })?.mtimeMs ?? 0) > since,
          );
        return [
          { name: 'writing its Parquet partition', reached: fresh('.tmp') },
          { name: 'upserting (partition renamed, import not recorded yet)', reached: fresh('.parquet') },
        ];
      },
      async close() {},
    };
  },
};

const databases: TestDatabase[] = [];
const ANALYTICS_TABLES = (Object.values(analyticsSchema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableName(table));

const POSTGRES: EngineCase = {
  name: 'postgres',
  async target(dir) {
    const database = await createTestDatabase();
    databases.push(database);
    // Sees the import's statements from another session (pg_stat_activity).
    const watcher = new pg.Client({ connectionString: database.url });
    await watcher.connect();
    const busy = (statement: string) => async () => {
      const found = await watcher.query(
        "select 1 from pg_stat_activity where datname = current_database() and state = 'active' and query like $1",
        [`%${statement}%`],
      );
      return (found.rowCount ?? 0) > 0;
    };
    return {
      env: { OPENCEIR_DATA_DIR: dir, OPENCEIR_ANALYTICS_ENGINE: 'postgres', DATABASE_URL: database.url },
      async state() {
        const store = await openPostgres({ url: database.url, maxConnections: 1 });
        try {
          const engine = new PostgresEngine(store);
          const stages = await engine.query(
            "select relname from pg_class where relname like 'stage\\_%' and relpersistence <> 't'",
          );
          return {
            stageTables: stages.map((r) => String(r.relname)),
            tables: await tablesState(engine, ANALYTICS_TABLES),
          };
        } finally {
          await store.close();
        }
      },
      async leftovers() {
        const store = await openPostgres({ url: database.url, maxConnections: 1 });
        try {
          return `${(await new PostgresEngine(store).imports()).length} imports recorded`;
        } finally {
          await store.close();
        }
      },
      phases() {
        return [
          { name: 'staging its rows', reached: busy('insert into stage_') },
          { name: 'upserting the monthly triplets', reached: busy('insert into monthly_triplet') },
        ];
      },
      async close() {
        await watcher.end();
      },
    };
  },
};

describe.each([DUCKDB, POSTGRES])('analytics import killed half way [$name]', (engineCase) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `openceir-analytics-crash-${engineCase.name}-`));
  const config = path.join(dir, 'analytics.yaml');
  const files: string[] = [];
  const country = new Country({
    subscribers: 22_000,
    days: 16,
    cloneRate: 0.001,
    tamperRate: 0.002,
    operators: 2,
    seed: 11,
    start: '2026-01-01' as Country['options']['start'],
  });

  beforeAll(async () => {
    writeFileSync(
      config,
      [
        'region:',
        "  country_codes: ['254']",
        '  operators:',
        ...country.operators.map(
          (o) => `    - { id: ${o.id}, mcc_mnc_pairs: [{ mcc: '${o.mcc}', mnc: '${o.mnc}' }] }`,
        ),
        '',
      ].join('\n'),
    );
    // Two files of the same operator in the same month: the second upserts onto the first's triplets.
    const half = country.options.days / 2;
    files.push((await writeOperatorFile(country, 0, 0, half, dir)).file);
    files.push((await writeOperatorFile(country, 0, half, country.options.days, dir)).file);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const importArgs = (file: string) => ['analytics', 'import', 'operator', 'operator1', file];
  const envOf = (target: Target) => ({
    ...target.env,
    OPENCEIR_DEMO: '0',
    OPENCEIR_ANALYTICS_CONFIG_FILE: config,
    // One privacy key for the clean and the crashed data directory: the IMSIs are sealed under it.
    OPENCEIR_PRIVACY_KEY_FILE: path.join(dir, 'privacy-key'),
  });

  it('leaves the state of one clean import after SIGKILLs during the first and the second file', async () => {
    const cleanDir = path.join(dir, 'clean');
    const crashedDir = path.join(dir, 'crashed');
    mkdirSync(cleanDir);
    mkdirSync(crashedDir);
    const clean = await engineCase.target(cleanDir);
    const crashed = await engineCase.target(crashedDir);

    // A first run creates the embedded registry and the engine's tables in both places, so that
    // the clean import's duration is the import's; a second one gives the start-up time.
    await run(['analytics', 'imports'], envOf(clean));
    await run(['analytics', 'imports'], envOf(crashed));
    const startup = (await run(['analytics', 'imports'], envOf(crashed))).ms;

    // The clean import, file by file: its duration bounds the kill times.
    const cleanRuns: Run[] = [];
    const cleanStates: unknown[] = [];
    for (const file of files) {
      const done = await run(importArgs(file), envOf(clean));
      expect(done.output).toMatch(/imported \d+ rows for operator1/);
      cleanRuns.push(done);
      cleanStates.push(await clean.state());
    }

    const random = generator(SEED);
    const report: string[] = [];
    for (const [f, file] of files.entries()) {
      const rounds = f === 0 ? ROUNDS_FIRST : ROUNDS_SECOND;
      for (let round = 0; round < rounds; round++) {
        // Stratified between the end of start-up and the end of the clean run: each round
        // lands in its own slice, so the kills fall while reading, staging and committing.
        const from = 0.8 * startup;
        const span = Math.max(0, cleanRuns[f]!.ms - from);
        const at = Math.round(from + (span * (round + random())) / rounds);
        const killed = await run(importArgs(file), envOf(crashed), { afterMs: at });
        report.push(
          `file ${f + 1} round ${round + 1}: kill at ${at} ms of ${Math.round(cleanRuns[f]!.ms)} ms: ` +
            (killed.signal === 'SIGKILL'
              ? `killed, left ${await crashed.leftovers()}`
              : `finished first (code ${killed.code})`),
        );
      }
      for (let p = 0; p < crashed.phases().length; p++) {
        // Taken afresh for each run: what "new" means starts with it.
        const phase = crashed.phases()[p]!;
        const killed = await run(importArgs(file), envOf(crashed), { when: phase.reached });
        report.push(
          `file ${f + 1}: kill while ${phase.name}: ` +
            (killed.signal === 'SIGKILL'
              ? `killed at ${Math.round(killed.ms)} ms, left ${await crashed.leftovers()}`
              : `not seen, finished (code ${killed.code})`),
        );
      }
      const again = await run(importArgs(file), envOf(crashed));
      expect(again.code, again.output).toBe(0);
      expect(again.output).toMatch(/imported \d+ rows|already imported/);
      const state = (await crashed.state()) as {
        stageTables: string[];
        files?: string[];
        expectedFiles?: string[];
      };
      expect(state.stageTables).toEqual([]);
      if (state.files) {
        expect(state.files.filter((name) => name.endsWith('.tmp'))).toEqual([]);
        expect(state.files).toEqual(state.expectedFiles);
      }
      expect(state).toEqual(cleanStates[f]);
    }
    await clean.close();
    await crashed.close();
    console.log(
      `[${engineCase.name}] seed ${SEED}, start-up ${Math.round(startup)} ms, clean imports ${cleanRuns.map((r) => `${Math.round(r.ms)} ms`).join(', ')}\n  ${report.join('\n  ')}`,
    );
  }, 600_000);
});

afterAll(async () => {
  for (const database of databases) await database.drop();
});
