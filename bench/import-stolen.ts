/**
 * Benchmark: importing a DIRBS-format stolen list of N rows (default 1,000,000) on PGlite and on
 * PostgreSQL, against a baseline on the same engine in the same run: inserting the same device keys
 * into a plain table with the same batched INSERT … unnest (no ledger, no hashing, no projection).
 * Prints rows/s for the dry run (read, validate, diff), the import, the re-import of the same file
 * (idempotent: nothing to do), the baseline, and the import/baseline ratio.
 *
 *   npx tsx bench/import-stolen.ts [--rows 1000000] [--engines pglite,postgres]
 *
 * PostgreSQL: OPENCEIR_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a
 * database is created and dropped.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { luhnDigit } from '../src/identifiers/index.ts';
import { Ledger } from '../src/ledger/ledger.ts';
import { importList } from '../src/ledger/lists/import.ts';
import { HeadSigner } from '../src/ledger/signing.ts';
import { openPglite, openPostgres, type Store } from '../src/store/index.ts';
import { createTestDatabase } from '../test/support/stores.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    engines: { type: 'string', default: 'pglite,postgres' },
  },
});
const ROWS = Number(values.rows);
const engines = values.engines!.split(',');

async function writeList(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('imei,reporting_date,status\n');
  let x = 2463534242;
  for (let i = 0; i < ROWS; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const key = `35${String(100000 + (i % 900000)).padStart(6, '0')}${String((x >>> 0) % 1_000_000).padStart(6, '0')}`;
    const line = `${key}${luhnDigit(key)},2026${String(1 + (i % 12)).padStart(2, '0')}15,\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

const seconds = (start: number) => (performance.now() - start) / 1000;
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en')} rows/s`.padStart(18);

async function baseline(store: Store, keys: string[]): Promise<number> {
  await store.db.execute(sql`create table bench_baseline (device_key text primary key, reporting_date text)`);
  const start = performance.now();
  await store.db.transaction(async (tx) => {
    for (let i = 0; i < keys.length; i += 5000) {
      const batch = keys.slice(i, i + 5000);
      await tx.execute(
        sql`insert into bench_baseline select k, '20261115' from unnest(${sql.param(batch)}::text[]) as k on conflict do nothing`,
      );
    }
  });
  return seconds(start);
}

async function run(engine: string, file: string, keys: string[]) {
  let store: Store;
  let cleanup = async () => {};
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-bench-'));
  if (engine === 'pglite') {
    store = await openPglite({ dir: path.join(dir, 'pglite') });
  } else {
    const database = await createTestDatabase();
    store = await openPostgres({ url: database.url });
    cleanup = () => database.drop();
  }
  try {
    await store.migrate();
    const ledger = new Ledger(store, new HeadSigner(generateKeyPairSync('ed25519').privateKey));
    await ledger.init();
    let start = performance.now();
    const dry = await importList(ledger, 'stolen', file, { dryRun: true, source: 'police' });
    const dryS = seconds(start);
    start = performance.now();
    const real = await importList(ledger, 'stolen', file, { source: 'police' });
    const importS = seconds(start);
    start = performance.now();
    const again = await importList(ledger, 'stolen', file, { source: 'police' });
    const againS = seconds(start);
    const baseS = await baseline(store, keys);
    console.log(
      `${engine.padEnd(9)} dry run ${rate(ROWS, dryS)} (${dryS.toFixed(1)} s, ${dry.adds} to add)` +
        ` | import ${rate(ROWS, importS)} (${importS.toFixed(1)} s, ${real.entries} entries)` +
        ` | again ${rate(ROWS, againS)} (${againS.toFixed(1)} s, ${again.entries} entries)` +
        ` | baseline insert ${rate(keys.length, baseS)} (${baseS.toFixed(1)} s)` +
        ` | import/baseline ${(importS / baseS).toFixed(1)}× the time`,
    );
  } finally {
    await store.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-bench-list-'));
const file = path.join(dir, 'stolen.csv');
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
);
console.log(`writing a ${ROWS.toLocaleString('en')}-row DIRBS stolen list…`);
await writeList(file);
const keys: string[] = [];
{
  const { readRows } = await import('../src/files/read.ts');
  const { rows } = await readRows(file);
  const seen = new Set<string>();
  for await (const row of rows) {
    const key = row.fields.imei!.slice(0, 14);
    if (!seen.has(key)) keys.push(key);
    seen.add(key);
  }
}
try {
  for (const engine of engines) await run(engine, file, keys);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
