/**
 * Benchmark: operator list files from a ledger of N entries (default 200,000: blocks, unblocks and
 * pairings over random devices) on PGlite and PostgreSQL. Prints the time of a full export at the
 * head, of a delta over the last 1% of entries (one pass folds both positions), of verify, and as a
 * baseline in the same run the plain read of every entry (`Ledger.entries` pages) that export folds.
 *
 *   npx tsx bench/exchange-export.ts [--entries 200000] [--engines pglite,postgres]
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { exportOperatorFiles } from '../src/exchange/files/export.ts';
import { verifyDirectory } from '../src/exchange/files/verify.ts';
import type { EntryDraft } from '../src/ledger/entry.ts';
import { Ledger } from '../src/ledger/ledger.ts';
import { HeadSigner } from '../src/ledger/signing.ts';
import { openPglite, openPostgres, type Store } from '../src/store/index.ts';
import { createTestDatabase } from '../test/support/stores.ts';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '200000' },
    engines: { type: 'string', default: 'pglite,postgres' },
  },
});
const ENTRIES = Number(values.entries);
const BATCH = 5_000;
const CONFIGURED = [
  { id: 'mno-a', prefixes: ['63902'] },
  { id: 'mno-b', prefixes: ['63907'] },
];

const seconds = (start: number) => (performance.now() - start) / 1000;

function draft(i: number, x: number): EntryDraft {
  const key = `35${String(100000 + (x % 900000)).padStart(6, '0')}${String(i % 1_000_000).padStart(6, '0')}`;
  if (i % 10 === 9)
    return {
      actor: 'bench',
      source: 'operator:mno-a',
      action: 'pair',
      target: {
        kind: 'pair',
        deviceKey: key,
        imsi: `6390${x % 2 === 0 ? '2' : '7'}${String(i).padStart(10, '0')}`,
        msisdn: null,
      },
    };
  return {
    actor: 'bench',
    source: 'police',
    action: i % 10 === 8 ? 'unblock' : 'block',
    target: { kind: 'device', deviceKey: key },
    reasons: ['stolen'],
  };
}

async function run(engine: string, store: Store): Promise<void> {
  await store.migrate();
  const ledger = new Ledger(store, new HeadSigner(generateKeyPairSync('ed25519').privateKey));
  await ledger.init();
  await store.db.execute(
    sql`insert into organisation (id, kind, name, operator_id) values ('op-a', 'operator', 'A', 'mno-a')`,
  );
  let x = 2463534242;
  let deltaFrom = 0;
  for (let i = 0; i < ENTRIES; i += BATCH) {
    const drafts: EntryDraft[] = [];
    for (let j = i; j < Math.min(ENTRIES, i + BATCH); j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      drafts.push(draft(j, x >>> 0));
    }
    const { head } = await ledger.append(drafts);
    if (head.size <= ENTRIES * 0.99) deltaFrom = head.size;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-bench-files-'));
  try {
    let start = performance.now();
    let read = 0;
    for (let done = 0; done < ENTRIES; done += read) read = (await ledger.entries(done, 10_000)).length;
    const baseline = seconds(start);
    start = performance.now();
    const full = await exportOperatorFiles(ledger, {
      operator: 'mno-a',
      dir: path.join(dir, 'full'),
      configured: CONFIGURED,
    });
    const fullTime = seconds(start);
    start = performance.now();
    const delta = await exportOperatorFiles(ledger, {
      operator: 'mno-a',
      dir: path.join(dir, 'delta'),
      deltaFrom,
      configured: CONFIGURED,
    });
    const deltaTime = seconds(start);
    start = performance.now();
    const report = await verifyDirectory(full.dir, { publicKeyPem: ledger.signer.publicKeyPem });
    const verifyTime = seconds(start);
    if (!report.ok) throw new Error('the exported directory does not verify');
    const rows = (m: typeof full.manifest) => m.files.map((f) => `${f.name} ${f.rows}`).join(', ');
    console.log(`${engine}: ${ENTRIES} entries`);
    console.log(`  read every entry (baseline)  ${baseline.toFixed(2)} s`);
    console.log(`  full export                  ${fullTime.toFixed(2)} s  (${rows(full.manifest)})`);
    console.log(
      `  delta export ${deltaFrom}→${delta.manifest.toPosition}  ${deltaTime.toFixed(2)} s  (${rows(delta.manifest)})`,
    );
    console.log(`  verify full                  ${verifyTime.toFixed(2)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`,
);
for (const engine of values.engines!.split(',')) {
  if (engine === 'pglite') {
    const store = await openPglite();
    try {
      await run(engine, store);
    } finally {
      await store.close();
    }
  } else {
    const database = await createTestDatabase();
    const store = await openPostgres({ url: database.url, maxConnections: 4 });
    try {
      await run(engine, store);
    } finally {
      await store.close();
      await database.drop();
    }
  }
}
