/**
 * Benchmark: incremental processing (issue 6, deliver item 6). A synthetic country (support/country.ts)
 * written as one DIRBS file per day per operator is imported day by day, the way a regulator's daily
 * job runs, on DuckDB (a temporary directory) and on the PostgreSQL engine (a fresh database on the
 * local server), side by side: each day's files go to one engine, then to the other. Every import is
 * the real `openceir analytics import operator` path (importOperatorFile: SHA-256, the DIRBS
 * validation battery with its historic checks, the engine's upserts into the monthly triplets and
 * network IMEIs).
 *
 * Per day: rows, import time and rows/s per engine, split into the historic averages query, the
 * storing (second read of the file, staging, upserts) and the rest (hashing, validation), and this
 * process's CPU time (all of DuckDB's work; PostgreSQL's server side is not in it), which other load
 * on the machine disturbs less than wall time. Every
 * --classify-every days, classify (a duplicate_daily_avg condition over the whole window, malformed
 * IMEI, bad check digit) runs on both, with the number of monthly triplets it reads. At the end, the
 * ratio of the last days' median import time to the first days' median (day 1, the cold start, left
 * out): about 1.0 means a day costs in proportion to its own rows, not to the window before it.
 * Bounded by --max-seconds (the days not reached are reported). No assertions.
 *
 *   npx tsx bench/analytics-incremental.ts [--subscribers 20000] [--days 30] [--operators 2]
 *     [--seed 7] [--classify-every 5] [--edge-days 5] [--max-seconds 1200]
 *
 * PostgreSQL: OPENCEIR_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); the
 * registries (and the PostgreSQL engine's tables) are databases created there and dropped at the end.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { classify } from '../src/analytics/classify/classify.ts';
import type { AnalyticsConfig } from '../src/analytics/config.ts';
import { DuckDbEngine } from '../src/analytics/engines/duckdb.ts';
import type {
  AnalyticsEngine,
  AnalyticsSnapshot,
  ImportMeta,
  ImportOutcome,
  ImportRecord,
  OperatorRow,
} from '../src/analytics/engines/engine.ts';
import { PostgresEngine } from '../src/analytics/engines/postgres.ts';
import { importOperatorFile } from '../src/analytics/operator-import.ts';
import type { ReferenceLists, ReferenceTable } from '../src/analytics/reference.ts';
import { Ledger } from '../src/ledger/ledger.ts';
import { HeadSigner } from '../src/ledger/signing.ts';
import { openPostgres, type Store } from '../src/store/index.ts';
import { createTestDatabase, type TestDatabase } from '../test/support/stores.ts';
import { benchConditions, Country, writeOperatorFile } from './support/country.ts';
import { count, machine, median, row } from './support/figures.ts';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '20000' },
    days: { type: 'string', default: '30' },
    operators: { type: 'string', default: '2' },
    seed: { type: 'string', default: '7' },
    'classify-every': { type: 'string', default: '5' },
    'edge-days': { type: 'string', default: '5' },
    'max-seconds': { type: 'string', default: '1200' },
  },
});
const DAYS = Number(values.days);
const CLASSIFY_EVERY = Number(values['classify-every']);
const EDGE = Number(values['edge-days']);
const MAX_MS = Number(values['max-seconds']) * 1000;
for (const [name, value, least] of [
  ['days', DAYS, 2],
  ['subscribers', Number(values.subscribers), 1],
  ['operators', Number(values.operators), 1],
  ['classify-every', CLASSIFY_EVERY, 0],
  ['edge-days', EDGE, 1],
  ['max-seconds', MAX_MS, 1],
] as const) {
  if (!Number.isInteger(value) || value < least) {
    console.error(`--${name}: a whole number ≥ ${least}, got ${value}`);
    process.exit(2);
  }
}

// Data up to yesterday, so that every file passes the date-range check as a daily file would.
const start = new Date(Date.now() - DAYS * 86_400_000).toISOString().slice(0, 10);
const country = new Country({
  subscribers: Number(values.subscribers),
  days: DAYS,
  cloneRate: 0.001,
  tamperRate: 0.001,
  operators: Number(values.operators),
  seed: Number(values.seed),
  start: start as Country['options']['start'],
});

const CONFIG: AnalyticsConfig = benchConditions(country, DAYS);

/**
 * An engine that times what the import asks of it: the historic averages query, and the storing of
 * the rows (which includes the validator's second read of the file, as the rows stream into it).
 */
class TimedEngine implements AnalyticsEngine {
  historyMs = 0;
  storeMs = 0;

  constructor(private readonly inner: AnalyticsEngine) {}

  get kind(): AnalyticsEngine['kind'] {
    return this.inner.kind;
  }

  async importOperatorRows(
    meta: ImportMeta,
    rows: AsyncIterable<OperatorRow> | Iterable<OperatorRow>,
  ): Promise<ImportOutcome> {
    const since = performance.now();
    try {
      return await this.inner.importOperatorRows(meta, rows);
    } finally {
      this.storeMs += performance.now() - since;
    }
  }

  async historicAverages(operator: string, before: string) {
    const since = performance.now();
    try {
      return await this.inner.historicAverages(operator, before);
    } finally {
      this.historyMs += performance.now() - since;
    }
  }

  imports(): Promise<ImportRecord[]> {
    return this.inner.imports();
  }
  loadReference(lists: ReferenceLists): Promise<void> {
    return this.inner.loadReference(lists);
  }
  referenceSnapshot(): Promise<Record<ReferenceTable, string[]>> {
    return this.inner.referenceSnapshot();
  }
  snapshot(): Promise<AnalyticsSnapshot> {
    return this.inner.snapshot();
  }
  query(text: string): Promise<Record<string, string | null>[]> {
    return this.inner.query(text);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

type EngineName = 'duckdb' | 'postgres';
const ENGINES: readonly EngineName[] = ['duckdb', 'postgres'];

interface Side {
  readonly name: EngineName;
  readonly engine: TimedEngine;
  readonly store: Store;
  readonly database: TestDatabase;
  readonly ledger: Ledger;
}

interface Day {
  readonly day: number;
  readonly rows: number;
  readonly ms: Record<EngineName, number>;
  readonly historyMs: Record<EngineName, number>;
  readonly storeMs: Record<EngineName, number>;
  /** This process's CPU time (user + system): all of DuckDB's work, only the client side of PostgreSQL's. */
  readonly cpuMs: Record<EngineName, number>;
  readonly triplets: number | null;
  readonly classifyMs: Record<EngineName, number> | null;
}

async function openSide(name: EngineName, dir: string): Promise<Side> {
  const database = await createTestDatabase();
  const store = await openPostgres({ url: database.url, maxConnections: 4 });
  await store.migrate();
  const inner =
    name === 'duckdb' ? await DuckDbEngine.open(path.join(dir, 'duckdb')) : new PostgresEngine(store);
  const ledger = new Ledger(store, new HeadSigner(generateKeyPairSync('ed25519').privateKey));
  await ledger.init();
  return { name, engine: new TimedEngine(inner), store, database, ledger };
}

async function closeSide(side: Side): Promise<void> {
  await side.engine.close();
  await side.store.close();
  await side.database.drop();
}

/** Imports one day's files into one engine; returns the rows stored. */
async function importDay(side: Side, files: readonly { operator: string; file: string }[]): Promise<number> {
  let rows = 0;
  for (const { operator, file } of files) {
    const result = await importOperatorFile({
      operatorId: operator,
      file,
      config: CONFIG,
      engine: side.engine,
      registry: side.store.db,
    });
    if (result.outcome !== 'imported') {
      const failed = result.report?.checks.filter((c) => !c.passed && !('skipped' in c && c.skipped)) ?? [];
      throw new Error(
        `${side.name}: ${path.basename(file)} ${result.outcome}: ${failed.map((c) => `${c.check}: ${c.message}`).join('; ')}`,
      );
    }
    rows += result.record.rows;
  }
  return rows;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-bench-incremental-'));
const sides: Side[] = [];
const days: Day[] = [];
let stoppedAt: number | null = null;
try {
  console.log(machine());
  console.log(
    `country: ${count(country.options.subscribers)} subscribers on ${country.operators.length} operators, ` +
      `${DAYS} daily files each (${start} to ${country.endDate}), seed ${values.seed}`,
  );
  let since = performance.now();
  const files: { operator: string; file: string }[][] = [];
  let generated = 0;
  for (let d = 0; d < DAYS; d++) {
    const today: { operator: string; file: string }[] = [];
    for (const [o, operator] of country.operators.entries()) {
      const written = await writeOperatorFile(country, o, d, d + 1, dir);
      generated += written.rows;
      today.push({ operator: operator.id, file: written.file });
    }
    files.push(today);
  }
  console.log(
    `generated ${count(generated)} rows in ${DAYS * country.operators.length} files in ${((performance.now() - since) / 1000).toFixed(1)} s`,
  );

  for (const name of ENGINES) sides.push(await openSide(name, dir));
  const began = performance.now();
  for (let d = 0; d < DAYS; d++) {
    if (performance.now() - began > MAX_MS) {
      stoppedAt = d;
      break;
    }
    const ms = {} as Record<EngineName, number>;
    const historyMs = {} as Record<EngineName, number>;
    const storeMs = {} as Record<EngineName, number>;
    const cpuMs = {} as Record<EngineName, number>;
    let rows = 0;
    for (const side of sides) {
      side.engine.historyMs = 0;
      side.engine.storeMs = 0;
      since = performance.now();
      const cpu = process.cpuUsage();
      rows = await importDay(side, files[d]!);
      ms[side.name] = performance.now() - since;
      const used = process.cpuUsage(cpu);
      cpuMs[side.name] = (used.user + used.system) / 1000;
      historyMs[side.name] = side.engine.historyMs;
      storeMs[side.name] = side.engine.storeMs;
    }
    let triplets: number | null = null;
    let classifyMs: Record<EngineName, number> | null = null;
    if (CLASSIFY_EVERY > 0 && ((d + 1) % CLASSIFY_EVERY === 0 || d === DAYS - 1)) {
      classifyMs = {} as Record<EngineName, number>;
      for (const side of sides) {
        since = performance.now();
        await classify({
          config: CONFIG,
          engine: side.engine,
          ledger: side.ledger,
          currDate: country.day(d + 1),
        });
        classifyMs[side.name] = performance.now() - since;
      }
      const [n] = await sides[0]!.engine.query('select count(*) as n from monthly_triplet');
      triplets = Number(n?.n ?? 0);
    }
    days.push({ day: d + 1, rows, ms, historyMs, storeMs, cpuMs, triplets, classifyMs });
  }

  const widths = [4, 10, 7, 8, 8, 8, 7, 7, 8, 8, 8, 7, 7, 9, 9, 9];
  console.log(
    row(
      [
        'day',
        'date',
        'rows',
        'duck ms',
        'duck r/s',
        'history',
        'store',
        'cpu',
        'pg ms',
        'pg r/s',
        'history',
        'store',
        'cpu',
        'triplets',
        'cls duck',
        'cls pg',
      ],
      widths,
    ),
  );
  for (const day of days) {
    console.log(
      row(
        [
          String(day.day),
          country.day(day.day - 1),
          count(day.rows),
          count(day.ms.duckdb),
          count((day.rows / day.ms.duckdb) * 1000),
          count(day.historyMs.duckdb),
          count(day.storeMs.duckdb),
          count(day.cpuMs.duckdb),
          count(day.ms.postgres),
          count((day.rows / day.ms.postgres) * 1000),
          count(day.historyMs.postgres),
          count(day.storeMs.postgres),
          count(day.cpuMs.postgres),
          day.triplets === null ? '' : count(day.triplets),
          day.classifyMs ? `${count(day.classifyMs.duckdb)} ms` : '',
          day.classifyMs ? `${count(day.classifyMs.postgres)} ms` : '',
        ],
        widths,
      ),
    );
  }
  if (stoppedAt !== null) console.log(`stopped after ${stoppedAt} of ${DAYS} days: --max-seconds reached`);

  // Day 1 is the cold start (no history, caches empty): the first days are days 2 to 1 + EDGE.
  const first = days.slice(1, 1 + EDGE);
  const last = days.slice(Math.max(1 + EDGE, days.length - EDGE));
  if (first.length > 0 && last.length > 0) {
    for (const name of ENGINES) {
      const perRow = (ds: readonly Day[], pick: (d: Day) => number) =>
        median(ds.map((d) => pick(d) / d.rows));
      const ratio = (pick: (d: Day) => number) => (perRow(last, pick) / perRow(first, pick)).toFixed(2);
      console.log(
        `${name.padEnd(8)} import time per row, median of days ${last[0]!.day}–${last.at(-1)!.day} over days ` +
          `${first[0]!.day}–${first.at(-1)!.day}: ${ratio((d) => d.ms[name])} ` +
          `(history ${ratio((d) => d.historyMs[name])}, store ${ratio((d) => d.storeMs[name])}, ` +
          `rest ${ratio((d) => d.ms[name] - d.historyMs[name] - d.storeMs[name])}, ` +
          `process CPU ${ratio((d) => d.cpuMs[name])}); ` +
          `median ${count(median(days.slice(1).map((d) => (d.rows / d.ms[name]) * 1000)))} rows/s`,
      );
    }
  }
  const classified = days.filter((d) => d.classifyMs !== null);
  if (classified.length >= 2) {
    const a = classified[0]!;
    const b = classified.at(-1)!;
    console.log(
      `classify, day ${b.day} over day ${a.day}: monthly triplets ×${(b.triplets! / a.triplets!).toFixed(2)}, ` +
        `time DuckDB ×${(b.classifyMs!.duckdb / a.classifyMs!.duckdb).toFixed(2)}, ` +
        `PostgreSQL ×${(b.classifyMs!.postgres / a.classifyMs!.postgres).toFixed(2)}`,
    );
  }
} finally {
  for (const side of sides) await closeSide(side);
  rmSync(dir, { recursive: true, force: true });
}
