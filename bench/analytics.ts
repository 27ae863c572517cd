/**
 * Benchmark: the analytics pipeline (import → classify → listgen) on a synthetic country with
 * planted clones and tampered IMEIs (support/country.ts), side by side on DuckDB (a temporary
 * directory) and on the PostgreSQL engine (a fresh database on the local server; with --pglite also
 * on PGlite). Per engine: operator rows imported per second, monthly triplet rows classified per
 * second (a duplicate condition, a malformed IMEI and a bad check digit condition) and run through
 * listgen per second, the DuckDB/PostgreSQL ratio, the process's peak RSS (sampled every 100 ms) and
 * the duplicate condition's recall and precision on the planted clones. Baseline in the same run:
 * generating the rows alone. Medians of --runs runs; no assertions.
 *
 *   npx tsx bench/analytics.ts [--subscribers 100000] [--days 30] [--clone-rate 0.001]
 *     [--tamper-rate 0.001] [--operators 2] [--seed 7] [--runs 1] [--pglite] [--clear-imsis]
 *
 * IMSIs and MSISDNs are sealed at rest as the command line seals them (src/analytics/subscriber-seal.ts),
 * under a fresh key; --clear-imsis stores both in clear, to measure what sealing costs.
 *
 * PostgreSQL: OPENCEIR_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); the
 * registry of every engine is a database created there and dropped at the end.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type ClassifyResult, classify, openMatches } from '../src/analytics/classify/classify.ts';
import { DuckDbEngine } from '../src/analytics/engines/duckdb.ts';
import type { AnalyticsEngine } from '../src/analytics/engines/engine.ts';
import { PostgresEngine } from '../src/analytics/engines/postgres.ts';
import { listgen } from '../src/analytics/listgen/listgen.ts';
import { ImsiSealer } from '../src/analytics/subscriber-seal.ts';
import { Ledger } from '../src/ledger/ledger.ts';
import { HeadSigner } from '../src/ledger/signing.ts';
import { openPglite, openPostgres, type Store } from '../src/store/index.ts';
import { createTestDatabase } from '../test/support/stores.ts';
import { benchConditions, Country } from './support/country.ts';
import { count, machine, median, percent } from './support/figures.ts';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '100000' },
    'clear-imsis': { type: 'boolean', default: false },
    days: { type: 'string', default: '30' },
    'clone-rate': { type: 'string', default: '0.001' },
    'tamper-rate': { type: 'string', default: '0.001' },
    operators: { type: 'string', default: '2' },
    seed: { type: 'string', default: '7' },
    runs: { type: 'string', default: '1' },
    pglite: { type: 'boolean', default: false },
  },
});
const DAYS = Number(values.days);
const imsiSealer = values['clear-imsis'] ? null : ImsiSealer.fromPrivacyKey(randomBytes(32));
const RUNS = Number(values.runs);
const ENGINES = ['duckdb', 'postgres', ...(values.pglite ? ['pglite'] : [])] as const;
type EngineName = (typeof ENGINES)[number];

// Data up to yesterday: classify and listgen run as on the day after the last file.
const start = new Date(Date.now() - DAYS * 86_400_000).toISOString().slice(0, 10);
const country = new Country({
  subscribers: Number(values.subscribers),
  days: DAYS,
  cloneRate: Number(values['clone-rate']),
  tamperRate: Number(values['tamper-rate']),
  operators: Number(values.operators),
  seed: Number(values.seed),
  start: start as Country['options']['start'],
});
const CURR_DATE = country.day(DAYS);

const CONFIG = benchConditions(country, DAYS);

/** The process's peak RSS since the last reset, sampled every 100 ms. */
let peakRss = 0;
let processPeak = 0;
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  processPeak = Math.max(processPeak, rss);
}, 100);
sampler.unref();
const resetPeak = () => {
  peakRss = process.memoryUsage().rss;
};
const seconds = (since: number) => (performance.now() - since) / 1000;

interface Figures {
  readonly generateS: number;
  readonly rows: number;
  readonly importS: number;
  readonly triplets: number;
  readonly classifyS: number;
  readonly listgenS: number;
  readonly peakRss: number;
  readonly matched: number;
  readonly recall: number;
  readonly precision: number;
  readonly outcomes: string;
}

/** A migrated registry on a fresh database, and how to remove it. */
async function registry(kind: EngineName, dir: string): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const store = await openPglite({ dir: path.join(dir, 'pglite') });
    await store.migrate();
    return { store, drop: () => store.close() };
  }
  const database = await createTestDatabase();
  const store = await openPostgres({ url: database.url, maxConnections: 4 });
  await store.migrate();
  return {
    store,
    drop: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** Generating the rows alone: the baseline the import rates include. */
function generate(): { rows: number; s: number } {
  const since = performance.now();
  let rows = 0;
  for (let o = 0; o < country.operators.length; o++) for (const _ of country.rows(o)) rows++;
  return { rows, s: seconds(since) };
}

async function run(kind: EngineName, generateS: number): Promise<Figures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-bench-analytics-'));
  const { store, drop } = await registry(kind, dir);
  let engine: AnalyticsEngine | undefined;
  try {
    engine =
      kind === 'duckdb'
        ? await DuckDbEngine.open(path.join(dir, 'duckdb'), { imsiSealer })
        : new PostgresEngine(store, { imsiSealer });
    const ledger = new Ledger(store, new HeadSigner(generateKeyPairSync('ed25519').privateKey));
    await ledger.init();
    resetPeak();

    let since = performance.now();
    let rows = 0;
    for (const [o, operator] of country.operators.entries()) {
      const fileName = `${operator.id}_${start.replaceAll('-', '')}_${country.endDate.replaceAll('-', '')}.csv`;
      const { record } = await engine.importOperatorRows(
        {
          importId: createHash('sha256')
            .update(`${values.seed} ${JSON.stringify(country.options)} ${o}`)
            .digest('hex'),
          operator: operator.id,
          fileName,
          startDate: start,
          endDate: country.endDate,
        },
        country.rows(o),
      );
      rows += record.rows;
    }
    const importS = seconds(since);
    const [tripletCount] = await engine.query('select count(*) as n from monthly_triplet');
    const triplets = Number(tripletCount?.n ?? 0);

    since = performance.now();
    const result: ClassifyResult = await classify({ config: CONFIG, engine, ledger, currDate: CURR_DATE });
    const classifyS = seconds(since);

    since = performance.now();
    await listgen({ store, engine, config: CONFIG, outputDir: path.join(dir, 'lists'), currDate: CURR_DATE });
    const listgenS = seconds(since);

    const matched = new Set((await openMatches(store.db, 'duplicate')).map((m) => m.imeiNorm));
    const found = [...matched].filter((imei) => country.planted.has(imei)).length;
    return {
      generateS,
      rows,
      importS,
      triplets,
      classifyS,
      listgenS,
      peakRss,
      matched: matched.size,
      recall: country.planted.size === 0 ? 1 : found / country.planted.size,
      precision: matched.size === 0 ? 1 : found / matched.size,
      outcomes: result.conditions
        .map(
          (c) =>
            `${c.condition} ${c.matched}${c.refused ? ' (refused)' : ''}${c.error ? ` (${c.error})` : ''}`,
        )
        .join(', '),
    };
  } finally {
    await engine?.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(machine());
console.log(
  `country: ${count(country.options.subscribers)} subscribers on ${country.operators.length} operators, ` +
    `${DAYS} days (${start} to ${country.endDate}), ${country.planted.size} planted clones, ` +
    `${country.badCheckDigit.size} bad check digits, ${country.hex.size} hex IMEIs, seed ${values.seed}, ${RUNS} run(s), IMSIs and MSISDNs ${imsiSealer ? 'sealed' : 'in clear'}`,
);

const figures = new Map<EngineName, Figures[]>(ENGINES.map((e) => [e, []]));
for (let r = 0; r < RUNS; r++) {
  const baseline = generate();
  for (const kind of ENGINES) figures.get(kind)!.push(await run(kind, baseline.s));
}

const mid = (kind: EngineName, pick: (f: Figures) => number) => median(figures.get(kind)!.map(pick));
const rates = (kind: EngineName) => ({
  generate: mid(kind, (f) => f.rows / f.generateS),
  import: mid(kind, (f) => f.rows / f.importS),
  classify: mid(kind, (f) => f.triplets / f.classifyS),
  listgen: mid(kind, (f) => f.triplets / f.listgenS),
});
const first = figures.get('duckdb')![0]!;
console.log(
  `rows: ${count(first.rows)} operator rows, ${count(first.triplets)} monthly triplets; ` +
    `baseline: generating the rows alone ${count(rates('duckdb').generate)} rows/s`,
);
for (const kind of ENGINES) {
  const rate = rates(kind);
  const f = figures.get(kind)![0]!;
  console.log(
    `${kind.padEnd(9)} import ${count(rate.import).padStart(10)} rows/s (${mid(kind, (x) => x.importS).toFixed(1)} s)` +
      ` | classify ${count(rate.classify).padStart(10)} triplets/s (${mid(kind, (x) => x.classifyS).toFixed(1)} s)` +
      ` | listgen ${count(rate.listgen).padStart(10)} triplets/s (${mid(kind, (x) => x.listgenS).toFixed(1)} s)` +
      ` | peak RSS ${count(mid(kind, (x) => x.peakRss) / 2 ** 20)} MiB` +
      ` | duplicate: ${f.matched} matched, recall ${percent(mid(kind, (x) => x.recall))},` +
      ` precision ${percent(mid(kind, (x) => x.precision))} | matched: ${f.outcomes}`,
  );
}
const duck = rates('duckdb');
const pg = rates('postgres');
console.log(
  `DuckDB/PostgreSQL: import ${(duck.import / pg.import).toFixed(2)}×, classify ${(duck.classify / pg.classify).toFixed(2)}×, ` +
    `listgen ${(duck.listgen / pg.listgen).toFixed(2)}× the rate`,
);
console.log(
  `peak RSS of the whole process: ${count(Math.max(processPeak, process.memoryUsage().rss) / 2 ** 20)} MiB`,
);
