import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeStores } from '../../test/support/stores.ts';
import { deviceView } from '../ledger/devices.ts';
import { type EntryDraft, goldenHash } from '../ledger/entry.ts';
import { Ledger } from '../ledger/ledger.ts';
import { HeadSigner } from '../ledger/signing.ts';
import { buildIndex } from './build.ts';
import { decide, type Verdict } from './decide.ts';
import { CheckIndex } from './index.ts';
import { DEFAULT_POLICY } from './policy.ts';

const KEYS = ['35209900176148', '35209900176149', '35209900999999', '86123456789012', '01234567890123'];
const IMSIS = ['001010000000001', '001020000000002', '99970123456789', null];
const SOURCES = ['owner', 'police', 'regulator', 'operator:mno-a'];
const device = fc.constantFrom(...KEYS).map((deviceKey) => ({ kind: 'device' as const, deviceKey }));

const draftArb: fc.Arbitrary<EntryDraft> = fc.oneof(
  fc.record({
    actor: fc.constant('t'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('block' as const),
    target: device,
    reasons: fc.subarray(['stolen', 'duplicate', 'barred'], { minLength: 1 }),
    list: fc.constantFrom(null, 'stolen' as const),
    expiresAt: fc.constantFrom(null, null, null, '2031-01-01T00:00:00.000Z'),
  }),
  fc.record({
    actor: fc.constant('t'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constant('track' as const),
    target: device,
    reasons: fc.constant(['monitoring']),
  }),
  fc.record({
    actor: fc.constant('t'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constant('allow' as const),
    target: device,
    reasons: fc.constant(['registered']),
  }),
  fc.record({
    actor: fc.constant('t'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('unblock' as const, 'untrack' as const, 'disallow' as const),
    target: device,
    reasons: fc.subarray(['stolen', 'monitoring', 'registered']),
    list: fc.constantFrom(null, 'stolen' as const),
  }),
  fc.record({
    actor: fc.constant('t'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('pair' as const, 'unpair' as const),
    target: fc.record({
      kind: fc.constant('pair' as const),
      deviceKey: fc.constantFrom(...KEYS),
      imsi: fc.constantFrom('001010000000001', '001020000000002'),
      msisdn: fc.constant(null),
    }),
  }),
  fc.record({
    actor: fc.constant('t'),
    source: fc.constant('regulator'),
    action: fc.constantFrom('rule-add' as const),
    target: fc.oneof(
      fc.constant({ kind: 'tac' as const, tac: '86123456' }),
      fc.constant({ kind: 'imei-range' as const, from: '35209900000000', to: '35209900500000' }),
      fc.constant({ kind: 'imei-range' as const, from: '35209900176000', to: '35209900176199' }),
      fc.constant({ kind: 'imsi-prefix' as const, prefix: '99970' }),
      fc.constant({ kind: 'imsi-range' as const, from: '001020000000000', to: '001020000009999' }),
    ),
    status: fc.constantFrom('blocked' as const, 'tracked' as const),
    reasons: fc.constant(['counterfeit']),
  }),
  fc.record({
    actor: fc.constant('t'),
    source: fc.constant('regulator'),
    action: fc.constant('rule-remove' as const),
    target: fc.constantFrom(
      { kind: 'tac' as const, tac: '86123456' },
      { kind: 'imsi-prefix' as const, prefix: '99970' },
    ),
  }),
  fc.constant<EntryDraft>({
    actor: 't',
    source: 'regulator',
    action: 'rule-add',
    target: { kind: 'golden', hash: goldenHash('01234567890123') },
    status: 'allowed',
    reasons: ['golden'],
  }),
);

/** What must agree: the answer, what matched, and which reasons from whom (times differ in precision). */
const gist = (v: Verdict) => ({
  status: v.status,
  matched: v.matched,
  rule: v.rule,
  reasons: v.reasons.map((r) => `${r.code}/${r.source}`).sort(),
});

describeStores('check index', (store) => {
  let ledger: Ledger;
  beforeAll(async () => {
    ledger = new Ledger(store(), new HeadSigner(generateKeyPairSync('ed25519').privateKey));
    await ledger.init();
  });

  it('property: built from the lists, followed from the ledger, or compacted, the index answers as the registry does', async () => {
    const followed = CheckIndex.fromState({ devices: new Map(), pairings: new Map(), rules: new Map() }, 0);
    await fc.assert(
      fc.asyncProperty(fc.array(draftArb, { minLength: 1, maxLength: 12 }), async (drafts) => {
        await ledger.append(drafts);
        followed.apply(await ledger.entries(followed.position, 10_000));
        const { index: built } = await buildIndex(store().db);
        expect(built.position).toBe(await ledger.size());
        const compacted = new CheckIndex(followed.parts());
        await compacted.compact(3);
        const now = Date.now();
        for (const key of KEYS) {
          for (const imsi of IMSIS) {
            const expected = gist(decide((await deviceView(store().db, key, imsi)).facts, DEFAULT_POLICY));
            for (const index of [built, followed, compacted])
              expect(gist(decide(index.facts(key, imsi, now), DEFAULT_POLICY))).toEqual(expected);
          }
        }
      }),
      { numRuns: 25 },
    );
    expect(followed.stats().rules).toBeGreaterThanOrEqual(0);
  });

  it('applying entries out of order is refused; already applied ones are skipped', async () => {
    const index = CheckIndex.fromState({ devices: new Map(), pairings: new Map(), rules: new Map() }, 0);
    const entries = await ledger.entries(0, 5);
    index.apply(entries);
    index.apply(entries.slice(2));
    expect(index.position).toBe(5);
    expect(() => index.apply(entries.slice(0, 0).concat([{ ...entries[0]!, seq: 9 }]))).toThrow(
      /ledger entry 5 is missing/,
    );
  });
});

describeStores('check index snapshots', (store) => {
  it('a snapshot written and read back answers exactly like the index it came from', async () => {
    const { serializeIndex, deserializeIndex } = await import('./snapshot.ts');
    const ledger = new Ledger(store(), new HeadSigner(generateKeyPairSync('ed25519').privateKey));
    await ledger.init();
    const drafts = fc.sample(draftArb, { numRuns: 200, seed: 42 });
    await ledger.append(drafts);
    const { index, frontier } = await buildIndex(store().db);
    const copy = deserializeIndex(Buffer.concat(serializeIndex(index, frontier)));
    expect(copy.frontier).toEqual(frontier);
    expect(copy.index.position).toBe(index.position);
    const now = Date.now();
    for (const key of KEYS) {
      for (const imsi of IMSIS) {
        expect(decide(copy.index.facts(key, imsi, now), DEFAULT_POLICY)).toEqual(
          decide(index.facts(key, imsi, now), DEFAULT_POLICY),
        );
      }
    }
    expect(() => deserializeIndex(Buffer.from('not a snapshot'))).toThrow(
      /not an OpenCEIR check-index snapshot/,
    );
  });
});
