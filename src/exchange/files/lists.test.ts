/** The operator lists from a fold, and the delta property full(N) + delta(N→M) = full(M), byte for byte. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Entry, type EntryDraft, entryFromDraft, goldenHash } from '../../ledger/entry.ts';
import { fold } from '../../ledger/fold.ts';
import { deltaCsv, fullCsv, parseListCsv } from './csv.ts';
import { exceptionsScope } from './export.ts';
import { applyDelta, diffRows, type ExceptionsScope, LIST_NAMES, listsOf } from './lists.ts';

const RUNS = Math.min(Number(process.env.OPENCEIR_FUZZ_RUNS ?? 300), 20_000);
const BASE = Date.parse('2026-03-01T10:00:00.000Z');
const KEYS = ['35209900176148', '35209900176149', '86123456789012', '01234567890123'];
const IMSIS = ['639020000000001', '639070000000002', '310150000000003'];
const SOURCES = ['police', 'regulator', 'operator:mno-a', 'operator:mno-b', 'owner'];
/** mno-a owns 63902, mno-b 63907; 310… has no home network here. */
const CONFIGURED = [
  { id: 'mno-a', prefixes: ['63902'] },
  { id: 'mno-b', prefixes: ['63907'] },
];

const expiry = fc.option(
  fc.integer({ min: 0, max: 40 }).map((k) => new Date(BASE + k * 1000 + 500).toISOString()),
  { nil: null, freq: 3 },
);
const device = fc.constantFrom(...KEYS).map((deviceKey) => ({ kind: 'device' as const, deviceKey }));

const draftArb: fc.Arbitrary<EntryDraft> = fc.oneof(
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('block' as const, 'track' as const),
    target: device,
    reasons: fc.subarray(['stolen', 'lost', 'duplicate', 'barred'], { minLength: 1 }),
    expiresAt: expiry,
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('unblock' as const, 'untrack' as const),
    target: device,
    reasons: fc.subarray(['stolen', 'lost', 'duplicate', 'barred']),
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom(...SOURCES),
    action: fc.constantFrom('pair' as const, 'unpair' as const),
    target: fc.record({
      kind: fc.constant('pair' as const),
      deviceKey: fc.constantFrom(...KEYS),
      imsi: fc.constantFrom(...IMSIS),
      msisdn: fc.constantFrom(null, '63917000001', '63917000002'),
    }),
    expiresAt: expiry,
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constant('regulator'),
    action: fc.constantFrom('rule-add' as const, 'rule-remove' as const),
    target: fc.oneof(
      fc.constant({ kind: 'tac' as const, tac: '35209900' }),
      fc.constant({ kind: 'golden' as const, hash: goldenHash(KEYS[2]!) }),
    ),
    status: fc.constant('blocked' as const),
    reasons: fc.constant(['barred']),
  }),
);

function history(drafts: readonly EntryDraft[]): Entry[] {
  return drafts.map((d, i) => {
    const draft =
      d.action === 'rule-add' && d.target.kind === 'golden' ? { ...d, status: 'allowed' as const } : d;
    return entryFromDraft(draft, i, new Date(BASE + i * 1000));
  });
}

/** The time of a position's head: here, the time of its last entry. */
const asOfAt = (n: number) => new Date(BASE + Math.max(0, n - 1) * 1000).toISOString();

describe('operator lists', () => {
  const at = (drafts: EntryDraft[], scope: ExceptionsScope, n = drafts.length) =>
    listsOf(fold(history(drafts).slice(0, n)), scope, asOfAt(n));
  const bySource: ExceptionsScope = { by: 'source', source: 'operator:mno-a' };

  it('blocked rows: earliest date, sorted reasons; golden devices left out', () => {
    const drafts: EntryDraft[] = [
      {
        actor: 't',
        source: 'police',
        action: 'block',
        target: { kind: 'device', deviceKey: KEYS[1]! },
        reasons: ['stolen'],
      },
      {
        actor: 't',
        source: 'owner',
        action: 'block',
        target: { kind: 'device', deviceKey: KEYS[1]! },
        reasons: ['lost'],
      },
      {
        actor: 't',
        source: 'police',
        action: 'block',
        target: { kind: 'device', deviceKey: KEYS[2]! },
        reasons: ['stolen'],
      },
      {
        actor: 't',
        source: 'police',
        action: 'block',
        target: { kind: 'device', deviceKey: KEYS[0]! },
        reasons: ['duplicate'],
      },
      {
        actor: 't',
        source: 'regulator',
        action: 'rule-add',
        target: { kind: 'golden', hash: goldenHash(KEYS[2]!) },
        status: 'allowed',
        reasons: ['golden'],
      },
    ];
    const lists = at(drafts, bySource);
    expect(fullCsv('blocked', lists.blocked)).toBe(
      'imei,block_date,reasons\n35209900176148,20260301,duplicate\n35209900176149,20260301,lost|stolen\n',
    );
  });

  it('exceptions: routed by home network (none: every operator, without the MSISDN), barred devices and TACs left out', () => {
    const pair = (deviceKey: string, imsi: string): EntryDraft => ({
      actor: 't',
      source: 'operator:mno-b',
      action: 'pair',
      target: { kind: 'pair', deviceKey, imsi, msisdn: `2547${imsi.slice(-8)}` },
    });
    const drafts: EntryDraft[] = [
      pair(KEYS[2]!, IMSIS[0]!),
      pair(KEYS[2]!, IMSIS[1]!),
      pair(KEYS[2]!, IMSIS[2]!),
      pair(KEYS[3]!, IMSIS[0]!),
      pair(KEYS[0]!, IMSIS[0]!),
      {
        actor: 't',
        source: 'regulator',
        action: 'block',
        target: { kind: 'device', deviceKey: KEYS[3]! },
        reasons: ['barred'],
      },
      {
        actor: 't',
        source: 'regulator',
        action: 'rule-add',
        target: { kind: 'tac', tac: '35209900' },
        status: 'blocked',
        reasons: ['barred'],
      },
    ];
    const a = at(drafts, exceptionsScope('mno-a', CONFIGURED)).exceptions.map((r) => r.key);
    expect(a).toEqual([`${KEYS[2]}|${IMSIS[2]}`, `${KEYS[2]}|${IMSIS[0]}`]);
    const b = at(drafts, exceptionsScope('mno-b', CONFIGURED)).exceptions.map((r) => r.key);
    expect(b).toEqual([`${KEYS[2]}|${IMSIS[2]}`, `${KEYS[2]}|${IMSIS[1]}`]);
    // The home operator gets its subscriber's MSISDN; a pairing with no home network goes to all without it.
    const rowsOf = (scope: ExceptionsScope) => at(drafts, scope).exceptions.map((r) => r.values.join(','));
    expect(rowsOf(exceptionsScope('mno-b', CONFIGURED))).toEqual([
      `${KEYS[2]},${IMSIS[2]},`,
      `${KEYS[2]},${IMSIS[1]},2547${IMSIS[1]!.slice(-8)}`,
    ]);
    expect(rowsOf(exceptionsScope('mno-a', CONFIGURED))[0]).toBe(`${KEYS[2]},${IMSIS[2]},`);
    // Without MCC-MNC routing the operator gets the pairings it set itself, as it set them.
    expect(rowsOf(exceptionsScope('mno-b', []))).toContain(
      `${KEYS[2]},${IMSIS[2]},2547${IMSIS[2]!.slice(-8)}`,
    );
    // Without MCC-MNC: the pairings the operator set itself.
    expect(at(drafts, exceptionsScope('mno-b', [])).exceptions.length).toBe(3);
    expect(at(drafts, exceptionsScope('mno-a', [])).exceptions.length).toBe(0);
  });

  it('an expired reason leaves the list at the first position after its expiry', () => {
    const drafts: EntryDraft[] = [
      {
        actor: 't',
        source: 'police',
        action: 'block',
        target: { kind: 'device', deviceKey: KEYS[0]! },
        reasons: ['stolen'],
        expiresAt: new Date(BASE + 1500).toISOString(),
      },
      {
        actor: 't',
        source: 'owner',
        action: 'track',
        target: { kind: 'device', deviceKey: KEYS[1]! },
        reasons: ['lost'],
      },
      {
        actor: 't',
        source: 'owner',
        action: 'track',
        target: { kind: 'device', deviceKey: KEYS[2]! },
        reasons: ['lost'],
      },
    ];
    expect(at(drafts, bySource, 2).blocked.length).toBe(1);
    expect(at(drafts, bySource, 3).blocked.length).toBe(0);
  });

  it('property: full(N) + delta(N→M) = full(M), in rows and in file bytes, on random histories', () => {
    fc.assert(
      fc.property(
        fc.array(draftArb, { minLength: 0, maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('mno-a', 'mno-b'),
        fc.boolean(),
        (drafts, x, y, operator, mccMnc) => {
          const entries = history(drafts);
          const n = x % (entries.length + 1);
          const m = n + (y % (entries.length - n + 1));
          const scope = exceptionsScope(operator, mccMnc ? CONFIGURED : []);
          const before = listsOf(fold(entries.slice(0, n)), scope, asOfAt(n));
          const after = listsOf(fold(entries.slice(0, m)), scope, asOfAt(m));
          for (const list of LIST_NAMES) {
            const delta = diffRows(before[list], after[list]);
            expect(applyDelta(before[list], delta)).toEqual(after[list]);
            // As an operator does it: read both files, apply, write: the same bytes as full(M).
            const full = parseListCsv(list, false, fullCsv(list, before[list])).rows;
            const changes = parseListCsv(list, true, deltaCsv(list, delta)).rows;
            const applied = applyDelta(
              full,
              changes.map((c) => ({ key: c.key, values: c.values, change: c.change! })),
            );
            expect(fullCsv(list, applied)).toBe(fullCsv(list, after[list]));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('applying a delta refuses an add of a listed key and a remove of an unlisted one', () => {
    const row = { key: KEYS[0]!, values: [KEYS[0]!, '20260301', 'stolen'] };
    expect(() => applyDelta([row], [{ ...row, change: 'add' }])).toThrow(/already on the list/);
    expect(() => applyDelta([], [{ ...row, change: 'remove' }])).toThrow(/not on the list/);
  });

  it('reading a file names the line and the rule', () => {
    expect(() => parseListCsv('blocked', false, 'imei,since,reasons\n')).toThrow(
      /line 1: the header must be/,
    );
    expect(() => parseListCsv('blocked', false, 'imei,block_date,reasons\r\n')).toThrow(/LF only/);
    expect(() => parseListCsv('blocked', true, 'imei,block_date,reasons,change_type\n1,2,3,drop\n')).toThrow(
      /line 2: change_type must be one of add, remove, update/,
    );
  });
});
