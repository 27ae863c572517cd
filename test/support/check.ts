/** Check indexes and services over a few ledger entries, for protocol tests. */
import { CheckIndex } from '../../src/check/index.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/check/policy.ts';
import { CheckService } from '../../src/check/service.ts';
import type { SightingRecorder } from '../../src/check/sightings.ts';
import type { Entry } from '../../src/ledger/entry.ts';

/** Devices of the protocol tests: one blocked, one tracked, one allowed; one paired SIM. */
export const BLOCKED = '35209900176148';
export const TRACKED = '86123456789012';
export const ALLOWED = '01234567890123';
export const PAIRED_IMSI = '001010000000001';

export function entries(specs: readonly Partial<Entry>[]): Entry[] {
  return specs.map((spec, seq) => ({
    seq,
    time: '2026-11-01T10:00:00.000Z',
    actor: 'test',
    source: 'police',
    action: 'block',
    target: { kind: 'device', deviceKey: BLOCKED },
    status: 'blocked',
    reasons: ['stolen'],
    note: null,
    reference: null,
    list: null,
    attributes: null,
    expiresAt: null,
    ...spec,
  }));
}

export function testIndex(): CheckIndex {
  const index = CheckIndex.fromState({ devices: new Map(), pairings: new Map(), rules: new Map() }, 0);
  index.apply(
    entries([
      {},
      {
        action: 'track',
        target: { kind: 'device', deviceKey: TRACKED },
        status: 'tracked',
        reasons: ['stolen'],
      },
      {
        action: 'allow',
        target: { kind: 'device', deviceKey: ALLOWED },
        status: 'allowed',
        reasons: ['registered'],
        source: 'regulator',
      },
      {
        action: 'pair',
        target: { kind: 'pair', deviceKey: BLOCKED, imsi: PAIRED_IMSI, msisdn: null },
        status: null,
        reasons: [],
      },
    ]),
  );
  return index;
}

export function testService(
  options: { policy?: Policy; recorder?: SightingRecorder | null } = {},
): CheckService {
  return new CheckService({
    policy: options.policy ?? DEFAULT_POLICY,
    index: testIndex(),
    recorder: options.recorder ?? null,
    overload: null,
  });
}
