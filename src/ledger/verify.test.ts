import { generateKeyPairSync } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStore, ENGINES, type TestStore } from '../../test/support/stores.ts';
import { query } from '../store/index.ts';
import { type EntryDraft, entryLeafHash } from './entry.ts';
import { Ledger } from './ledger.ts';
import { Frontier, MemoryTree, perfectNodes } from './merkle.ts';
import { HeadSigner } from './signing.ts';
import { verifyLedger } from './verify.ts';

const signer = new HeadSigner(generateKeyPairSync('ed25519').privateKey);

const block = (n: number): EntryDraft => ({
  actor: 'test',
  source: 'police',
  action: 'block',
  target: { kind: 'device', deviceKey: `352099001761${String(n).padStart(2, '0')}` },
  reasons: ['stolen'],
  reference: `case:${n}`,
});

/** What someone with database superuser rights could do behind the ledger's back. */
async function tamper(db: TestStore['store']['db'], statement: SQL): Promise<void> {
  await db.execute(sql`alter table ledger_entry disable trigger user`);
  await db.execute(statement);
  await db.execute(sql`alter table ledger_entry enable trigger user`);
}

function perfectHashes(tree: MemoryTree, size: number): Buffer[] {
  return perfectNodes(0, size).map((id) => tree.node(id));
}

/** Alters entry `seq` and rewrites its leaf hash to match, as an attacker hiding the change would. */
async function rewrite(testStore: TestStore, ledger: Ledger, seq: number): Promise<void> {
  await tamper(testStore.store.db, sql`update ledger_entry set note = 'nothing to see' where seq = ${seq}`);
  const [entry] = await ledger.entries(seq, 1);
  const hash = entryLeafHash(entry!).toString('hex');
  await tamper(
    testStore.store.db,
    sql`update ledger_entry set leaf_hash = decode(${hash}, 'hex') where seq = ${seq}`,
  );
}

describe.each(ENGINES)('ledger verify [%s]', (engine) => {
  let testStore: TestStore;
  beforeEach(async () => {
    testStore = await createTestStore(engine);
    const ledger = new Ledger(testStore.store, signer);
    await ledger.init();
    // 12 entries in 5 transactions: heads at sizes 0, 2, 5, 6, 9, 12.
    for (const batch of [[0, 1], [2, 3, 4], [5], [6, 7, 8], [9, 10, 11]])
      await ledger.append(batch.map(block));
  });
  afterEach(async () => {
    await testStore.dispose();
  });

  it('passes on an untouched ledger', async () => {
    const report = await verifyLedger(testStore.store.db, { pageSize: 5 });
    expect(report).toMatchObject({ ok: true, entries: 12, heads: 6, firstBadPosition: null, problems: [] });
    expect(report.nodes).toBe(10); // perfect subtrees of level ≥ 1 in a 12-leaf tree: 6 + 3 + 1
  });

  it('finds an altered row at its position', async () => {
    await tamper(testStore.store.db, sql`update ledger_entry set reasons = '{lost}' where seq = 7`);
    const report = await verifyLedger(testStore.store.db, { pageSize: 5 });
    expect(report.ok).toBe(false);
    expect(report.firstBadPosition).toBe(7);
    expect(report.problems[0]).toMatchObject({ position: 7, kind: 'leaf' });
  });

  it('finds an altered row whose leaf hash was rewritten to match, from the stored nodes', async () => {
    const ledger = new Ledger(testStore.store, signer);
    await rewrite(testStore, ledger, 4);
    const report = await verifyLedger(testStore.store.db, { pageSize: 5 });
    expect(report.ok).toBe(false);
    expect(report.firstBadPosition).toBe(4);
    expect(report.problems[0]).toMatchObject({ kind: 'node', position: 4 });
  });

  it('finds it from the signed heads alone when the nodes were rewritten too', async () => {
    const ledger = new Ledger(testStore.store, signer);
    await rewrite(testStore, ledger, 4);
    // Rebuild every stored node from the rewritten leaf hashes, leaving only the signatures to tell.
    const rows = await query(testStore.store.db, sql`select leaf_hash from ledger_entry order by seq`);
    const tree = new MemoryTree(rows.map((r) => Buffer.from(r.leaf_hash as Uint8Array)));
    const nodes = await query(testStore.store.db, sql`select level, idx from ledger_node`);
    await testStore.store.db.execute(sql`alter table ledger_node disable trigger user`);
    for (const n of nodes) {
      const hash = tree.node({ level: Number(n.level), index: Number(n.idx) }).toString('hex');
      await testStore.store.db.execute(
        sql`update ledger_node set hash = decode(${hash}, 'hex') where level = ${n.level} and idx = ${n.idx}`,
      );
    }
    await testStore.store.db.execute(
      sql`update ledger_state set frontier = ${JSON.stringify(new Frontier(12, perfectHashes(tree, 12)).hashes().map((h) => h.toString('hex')))}::jsonb`,
    );
    const report = await verifyLedger(testStore.store.db, { pageSize: 5 });
    expect(report.ok).toBe(false);
    // Entries 2–4 were appended in one transaction: its head no longer matches.
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'head-root', position: 2 }));
  });

  it('finds a removed row', async () => {
    await tamper(testStore.store.db, sql`delete from ledger_entry where seq = 5`);
    const report = await verifyLedger(testStore.store.db, { pageSize: 5 });
    expect(report).toMatchObject({ ok: false, firstBadPosition: 5 });
    expect(report.problems[0]).toMatchObject({ kind: 'missing', position: 5 });
  });

  it('finds rows removed from the end', async () => {
    await tamper(testStore.store.db, sql`delete from ledger_entry where seq >= 10`);
    const report = await verifyLedger(testStore.store.db, { pageSize: 5 });
    expect(report).toMatchObject({ ok: false, firstBadPosition: 10 });
    expect(report.problems.map((p) => p.kind)).toContain('truncated');
  });

  it('finds two rows swapped', async () => {
    await tamper(testStore.store.db, sql`update ledger_entry set seq = -1 where seq = 3`);
    await tamper(testStore.store.db, sql`update ledger_entry set seq = 3 where seq = 8`);
    await tamper(testStore.store.db, sql`update ledger_entry set seq = 8 where seq = -1`);
    const report = await verifyLedger(testStore.store.db, { pageSize: 5 });
    expect(report).toMatchObject({ ok: false, firstBadPosition: 3 });
    expect(report.problems[0]).toMatchObject({ kind: 'leaf', position: 3 });
  });

  it('finds a projection edited behind the ledger', async () => {
    await testStore.store.db.execute(sql`delete from device_reason where device_key = '35209900176106'`);
    const report = await verifyLedger(testStore.store.db);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ kind: 'projection', position: null });
  });
});
