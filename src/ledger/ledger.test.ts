import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeStores } from '../../test/support/stores.ts';
import { databaseError, query } from '../store/index.ts';
import { type Entry, type EntryDraft, goldenHash } from './entry.ts';
import { fold } from './fold.ts';
import { Ledger, LedgerValidationError, refuseNewSigningKey } from './ledger.ts';
import { MemoryTree, verifyConsistency, verifyInclusion } from './merkle.ts';
import { HeadSigner, verifyHead } from './signing.ts';
import { snapshotOfProjection, snapshotOfState } from './snapshot.ts';
import { verifyLedger } from './verify.ts';

const signer = new HeadSigner(generateKeyPairSync('ed25519').privateKey);

const KEYS = ['35209900176148', '35209900176149', '86123456789012', '01234567890123'];
const SOURCES = ['owner', 'police', 'regulator', 'operator:mno-a', 'rule:duplicate'];

/** Random drafts over a few devices, so that operations collide and interleave. */
const draftArb: fc.Arbitrary<EntryDraft> = fc.oneof(
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('block' as const),
    target: fc.constantFrom(...KEYS).map((deviceKey) => ({ kind: 'device' as const, deviceKey })),
    reasons: fc.subarray(['stolen', 'lost', 'duplicate', 'barred'], { minLength: 1 }),
    list: fc.constantFrom(null, 'stolen' as const),
    expiresAt: fc.constantFrom(null, null, '2031-01-01T00:00:00.000Z'),
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('track' as const),
    target: fc.constantFrom(...KEYS).map((deviceKey) => ({ kind: 'device' as const, deviceKey })),
    reasons: fc.subarray(['monitoring', 'stolen', 'investigation'], { minLength: 1 }),
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('allow' as const),
    target: fc.constantFrom(...KEYS).map((deviceKey) => ({ kind: 'device' as const, deviceKey })),
    reasons: fc.subarray(['registered', 'exempt'], { minLength: 1 }),
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('unblock' as const, 'untrack' as const, 'disallow' as const),
    target: fc.constantFrom(...KEYS).map((deviceKey) => ({ kind: 'device' as const, deviceKey })),
    reasons: fc.subarray(['stolen', 'lost', 'duplicate', 'monitoring', 'registered']),
    list: fc.constantFrom(null, 'stolen' as const),
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('pair' as const, 'unpair' as const),
    target: fc.record({
      kind: fc.constant('pair' as const),
      deviceKey: fc.constantFrom(...KEYS),
      imsi: fc.constantFrom('001010000000001', '001010000000002'),
      msisdn: fc.constantFrom(null, '4915112345678'),
    }),
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constant('rule-add' as const),
    target: fc.oneof(
      fc.constantFrom('35209900', '86123456').map((tac) => ({ kind: 'tac' as const, tac })),
      fc.constant({ kind: 'imei-range' as const, from: '35209900000000', to: '35209900999999' }),
      fc.constant({ kind: 'imsi-prefix' as const, prefix: '00101' }),
    ),
    status: fc.constantFrom('blocked' as const, 'tracked' as const),
    reasons: fc.constantFrom(['counterfeit'], ['duplicate', 'fraud']),
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constant('rule-remove' as const),
    target: fc.constantFrom('35209900', '86123456').map((tac) => ({ kind: 'tac' as const, tac })),
  }),
  fc.constant<EntryDraft>({
    actor: 'test',
    source: 'regulator',
    action: 'rule-add',
    target: { kind: 'golden', hash: goldenHash('35209900176148') },
    status: 'allowed',
    reasons: ['golden'],
  }),
);

describeStores('ledger', (store) => {
  let ledger: Ledger;
  const all: Entry[] = [];

  beforeAll(async () => {
    ledger = new Ledger(store(), signer);
    await ledger.init();
  });

  it('refuses to create a second signing key for a ledger that already has one, naming the setting', async () => {
    await expect(refuseNewSigningKey(store().db, 'elsewhere/ledger-key.pem')).rejects.toThrow(
      new RegExp(
        `^ledger_key_file: elsewhere/ledger-key.pem does not exist, but this ledger is already signed by key ${signer.keyId};`,
      ),
    );
  });

  it('starts with a signed head of the empty tree', async () => {
    const head = await ledger.head();
    expect(head.size).toBe(0);
    expect(verifyHead(head, signer.publicKeyPem)).toBe(true);
  });

  it('property: for random operation sequences the projection equals the fold of the ledger', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(draftArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        async (batches) => {
          for (const drafts of batches) {
            const result = await ledger.append(drafts);
            all.push(...result.entries);
          }
          const entries = await ledger.entries(0, 100_000);
          expect(entries).toEqual(all);
          expect(await snapshotOfProjection(store().db)).toEqual(snapshotOfState(fold(entries)));
          expect((await verifyLedger(store().db)).problems).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('sequence numbers are gapless and the tree matches an in-memory tree built from the rows', async () => {
    const entries = await ledger.entries(0, 100_000);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i));
    const rows = await query(store().db, sql`select leaf_hash from ledger_entry order by seq`);
    const tree = new MemoryTree(rows.map((r) => Buffer.from(r.leaf_hash as Uint8Array)));
    const head = await ledger.head();
    expect(head.size).toBe(entries.length);
    expect(head.rootHash.toString('hex')).toBe(tree.root().toString('hex'));
    expect(verifyHead(head, signer.publicKeyPem)).toBe(true);
    for (const size of [1, 2, 7, Math.floor(head.size / 2), head.size]) {
      expect((await ledger.rootAt(size)).toString('hex')).toBe(tree.root(size).toString('hex'));
      for (const index of [0, Math.floor(size / 3), size - 1]) {
        const proof = await ledger.inclusionProof(index, size);
        expect(verifyInclusion(tree.node({ level: 0, index }), index, size, proof, tree.root(size))).toBe(
          true,
        );
      }
      for (const first of [0, 1, Math.floor(size / 2), size]) {
        const proof = await ledger.consistencyProof(first, size);
        expect(verifyConsistency(first, size, tree.root(first), tree.root(size), proof)).toBe(true);
      }
    }
  });

  it('a repeated idempotency key returns the first result and appends nothing', async () => {
    const draft: EntryDraft = {
      actor: 'test',
      source: 'police',
      action: 'block',
      target: { kind: 'device', deviceKey: '35693803564380' },
      reasons: ['stolen'],
      idempotencyKey: 'case-77-block',
    };
    const first = await ledger.append([draft]);
    const size = await ledger.size();
    const again = await ledger.append([{ ...draft, note: 'sent twice' }]);
    expect(again.replayed).toEqual([true]);
    expect(again.entries[0]).toEqual(first.entries[0]);
    expect(await ledger.size()).toBe(size);
    const both = await ledger.append([
      draft,
      { ...draft, idempotencyKey: 'case-78-block' },
      { ...draft, idempotencyKey: 'case-78-block' },
    ]);
    expect(both.replayed).toEqual([true, false, true]);
    expect(both.entries[2]).toEqual(both.entries[1]);
  });

  it('refuses invalid drafts, naming every field, and appends nothing', async () => {
    const size = await ledger.size();
    const error = await ledger
      .append([
        {
          actor: 'x',
          source: 'police',
          action: 'block',
          target: { kind: 'device', deviceKey: '123' },
          reasons: ['stolen'],
        },
        {
          actor: 'x',
          source: 'neighbour',
          action: 'block',
          target: { kind: 'device', deviceKey: '35209900176148' },
          reasons: ['bored'],
        },
        {
          actor: 'x',
          source: 'police',
          action: 'allow',
          target: { kind: 'device', deviceKey: '35209900176148' },
          reasons: ['stolen'],
        },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerValidationError);
    expect((error as LedgerValidationError).problems).toEqual([
      { index: 0, field: 'target.deviceKey', message: 'must be a 14-digit device key (TAC + SNR)' },
      { index: 1, field: 'source', message: expect.stringContaining('must be owner, police') },
      { index: 1, field: 'reasons[0]', message: expect.stringContaining('unknown reason "bored"') },
      {
        index: 2,
        field: 'reasons[0]',
        message: 'reason stolen cannot justify status allowed (only blocked, tracked)',
      },
    ]);
    expect(await ledger.size()).toBe(size);
  });

  it('the database refuses to update, delete or truncate ledger rows', async () => {
    for (const statement of [
      sql`update ledger_entry set note = 'edited' where seq = 0`,
      sql`delete from ledger_entry where seq = 0`,
      sql`truncate ledger_entry cascade`,
      sql`delete from ledger_head`,
      sql`update ledger_node set hash = '\\x00'`,
    ]) {
      const error = await store()
        .db.execute(statement)
        .then(() => null)
        .catch((e: unknown) => databaseError(e));
      expect(error?.message).toMatch(/is append-only: (UPDATE|DELETE|TRUNCATE) refused/);
    }
  });
});
