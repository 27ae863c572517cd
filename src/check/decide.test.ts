import { describe, expect, it } from 'vitest';
import type { DeviceFacts } from '../ledger/devices.ts';
import type { ActiveReason, Rule } from '../ledger/fold.ts';
import { decide } from './decide.ts';
import { DEFAULT_POLICY, policyFrom } from './policy.ts';

const at = '2026-11-29T00:00:00.000Z';
const reason = (status: ActiveReason['status'], code: string, source = 'police'): ActiveReason => ({
  status,
  reason: code,
  source,
  since: at,
  expiresAt: null,
  seq: 1,
  reference: null,
  list: null,
  attributes: null,
});
const rule = (target: Rule['target'], status: Rule['status'], reasons: string[]): Rule => ({
  key: JSON.stringify(target),
  target,
  status,
  reasons,
  source: 'regulator',
  since: at,
  expiresAt: null,
  seq: 2,
  reference: null,
  list: null,
  note: null,
});
const facts = (over: Partial<DeviceFacts> = {}): DeviceFacts => ({
  deviceKey: '35209900176148',
  imsi: '001010000000001',
  at,
  golden: null,
  reasons: [],
  pairing: null,
  imeiRanges: [],
  tacRule: null,
  imsiRules: [],
  ...over,
});
const pairing = {
  deviceKey: '35209900176148',
  imsi: '001010000000001',
  msisdn: null,
  source: 'operator:a',
  since: at,
  expiresAt: null,
  seq: 3,
  list: null,
};

describe('decide: precedence', () => {
  it('an unlisted device gets the policy default', () => {
    expect(decide(facts(), DEFAULT_POLICY)).toEqual({
      status: 'allowed',
      matched: 'policy',
      reasons: [],
      rule: null,
    });
    expect(
      decide(facts(), policyFrom({ ...DEFAULT_POLICY, mode: 'restrictive', unlisted: null })),
    ).toMatchObject({ status: 'blocked' });
    expect(decide(facts(), policyFrom({ ...DEFAULT_POLICY, unlisted: 'unknown' }))).toMatchObject({
      status: 'unknown',
    });
  });

  it('device entries: blocked over tracked over allowed, with every reason of that status', () => {
    const verdict = decide(
      facts({
        reasons: [
          reason('allowed', 'registered'),
          reason('blocked', 'stolen'),
          reason('blocked', 'duplicate', 'rule:dup'),
        ],
      }),
      DEFAULT_POLICY,
    );
    expect(verdict).toMatchObject({ status: 'blocked', matched: 'device' });
    expect(verdict.reasons.map((r) => r.code)).toEqual(['stolen', 'duplicate']);
    expect(
      decide(
        facts({ reasons: [reason('allowed', 'registered'), reason('tracked', 'monitoring')] }),
        DEFAULT_POLICY,
      ),
    ).toMatchObject({ status: 'tracked' });
  });

  it('the golden list wins over everything', () => {
    const golden = rule({ kind: 'golden', hash: 'x'.repeat(32) }, 'allowed', ['golden']);
    expect(decide(facts({ golden, reasons: [reason('blocked', 'barred')] }), DEFAULT_POLICY)).toMatchObject({
      status: 'allowed',
      matched: 'golden',
    });
  });

  it('a pairing exempts the subscriber’s own device, except from barring', () => {
    expect(
      decide(facts({ pairing, reasons: [reason('blocked', 'duplicate')] }), DEFAULT_POLICY),
    ).toMatchObject({ status: 'allowed', matched: 'pairing' });
    expect(decide(facts({ pairing, reasons: [reason('blocked', 'barred')] }), DEFAULT_POLICY)).toMatchObject({
      status: 'blocked',
      matched: 'device',
    });
    const barredTac = rule({ kind: 'tac', tac: '35209900' }, 'blocked', ['barred']);
    expect(decide(facts({ pairing, tacRule: barredTac }), DEFAULT_POLICY)).toMatchObject({
      status: 'blocked',
      matched: 'tac',
    });
  });

  it('device entries beat ranges, ranges beat TAC rules, the narrowest range wins', () => {
    const wide = rule({ kind: 'imei-range', from: '35209900000000', to: '35209900999999' }, 'blocked', [
      'counterfeit',
    ]);
    const narrow = rule({ kind: 'imei-range', from: '35209900176000', to: '35209900176999' }, 'tracked', [
      'investigation',
    ]);
    const tac = rule({ kind: 'tac', tac: '35209900' }, 'blocked', ['counterfeit']);
    expect(decide(facts({ imeiRanges: [wide, narrow], tacRule: tac }), DEFAULT_POLICY)).toMatchObject({
      status: 'tracked',
      matched: 'imei-range',
    });
    expect(decide(facts({ tacRule: tac }), DEFAULT_POLICY)).toMatchObject({
      status: 'blocked',
      matched: 'tac',
      reasons: [{ code: 'counterfeit' }],
    });
    expect(
      decide(facts({ tacRule: tac, reasons: [reason('allowed', 'exempt', 'regulator')] }), DEFAULT_POLICY),
    ).toMatchObject({ status: 'allowed', matched: 'device' });
  });

  it('IMSI rules apply after device rules; the longest prefix wins', () => {
    const mcc = rule({ kind: 'imsi-prefix', prefix: '001' }, 'tracked', ['investigation']);
    const network = rule({ kind: 'imsi-prefix', prefix: '00101' }, 'blocked', ['fraud']);
    expect(decide(facts({ imsiRules: [mcc, network] }), DEFAULT_POLICY)).toMatchObject({
      status: 'blocked',
      matched: 'imsi',
      reasons: [{ code: 'fraud' }],
    });
  });

  it('a malformed identifier: IMSI rules, then the malformed policy', () => {
    expect(decide(facts({ deviceKey: null, malformed: true }), DEFAULT_POLICY)).toEqual({
      status: 'tracked',
      matched: 'malformed',
      reasons: [],
      rule: null,
    });
    const network = rule({ kind: 'imsi-prefix', prefix: '00101' }, 'blocked', ['fraud']);
    expect(
      decide(facts({ deviceKey: null, malformed: true, imsiRules: [network] }), DEFAULT_POLICY),
    ).toMatchObject({
      status: 'blocked',
      matched: 'imsi',
    });
    // A MAC or EUI-64 PEI is not malformed, only not an IMEI: the policy default applies.
    expect(decide(facts({ deviceKey: null }), DEFAULT_POLICY)).toMatchObject({
      status: 'allowed',
      matched: 'policy',
    });
  });
});
