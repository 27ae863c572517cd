import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEquipment, parsePei } from '../identifiers/index.ts';
import { type Entry, goldenHash } from '../ledger/entry.ts';
import { check, readEquipment } from './check.ts';
import { CheckIndex } from './index.ts';
import { DEFAULT_POLICY, policyFrom } from './policy.ts';

const entry = (seq: number, e: Partial<Entry>): Entry => ({
  seq,
  time: '2026-11-01T10:00:00.000Z',
  actor: 't',
  source: 'police',
  action: 'block',
  target: { kind: 'device', deviceKey: '43708161258161' },
  status: 'blocked',
  reasons: ['stolen'],
  note: null,
  reference: null,
  list: null,
  attributes: null,
  expiresAt: null,
  ...e,
});

function index(): CheckIndex {
  const i = CheckIndex.fromState({ devices: new Map(), pairings: new Map(), rules: new Map() }, 0);
  i.apply([
    entry(0, {}),
    entry(1, {
      action: 'pair',
      target: { kind: 'pair', deviceKey: '43708161258161', imsi: '001010000000001', msisdn: null },
      status: null,
      reasons: [],
    }),
    entry(2, {
      action: 'rule-add',
      target: { kind: 'golden', hash: goldenHash('35209900176148') },
      status: 'allowed',
      reasons: ['golden'],
      source: 'regulator',
    }),
    entry(3, {
      action: 'track',
      target: { kind: 'device', deviceKey: '86123456789012' },
      status: 'tracked',
      reasons: ['stolen'],
      expiresAt: '2026-12-01T00:00:00.000Z',
    }),
  ]);
  return i;
}

describe('check(identity)', () => {
  it('every form of one device gives one answer, whatever its 15th digit', () => {
    const i = index();
    const forms = [
      'imeisv-4370816125816151',
      'imei-437081612581614',
      'imei-437081612581610',
      'imei-437081612581619',
      '43708161258161',
      '437081612581614',
      '4370816125816199',
    ];
    for (const equipment of forms) {
      expect(check(i, DEFAULT_POLICY, { equipment })).toMatchObject({
        status: 'blocked',
        deviceKey: '43708161258161',
        reasons: [{ code: 'stolen', source: 'police' }],
      });
    }
    expect(check(i, DEFAULT_POLICY, { equipment: 'imeisv-4370816125816151' }).svn).toBe('51');
  });

  it('the subscriber’s own SIM (SUPI or IMSI) is exempt through its pairing', () => {
    const i = index();
    expect(
      check(i, DEFAULT_POLICY, { equipment: 'imeisv-4370816125816151', imsi: 'imsi-001010000000001' }),
    ).toMatchObject({ status: 'allowed', matched: 'pairing', imsi: '001010000000001' });
    expect(check(i, DEFAULT_POLICY, { equipment: '43708161258161', imsi: '001010000000002' })).toMatchObject({
      status: 'blocked',
    });
  });

  it('golden list, expiry, unlisted, MAC PEIs and unreadable identities', () => {
    const i = index();
    expect(check(i, DEFAULT_POLICY, { equipment: '352099001761481' })).toMatchObject({
      status: 'allowed',
      matched: 'golden',
    });
    expect(
      check(i, DEFAULT_POLICY, { equipment: '86123456789012' }, Date.parse('2026-11-15T00:00:00Z')),
    ).toMatchObject({ status: 'tracked' });
    expect(
      check(i, DEFAULT_POLICY, { equipment: '86123456789012' }, Date.parse('2026-12-02T00:00:00Z')),
    ).toMatchObject({ status: 'allowed', matched: 'policy' });
    const strict = policyFrom({
      mode: 'restrictive',
      unlisted: 'unknown',
      malformed: 'blocked',
      pairingExemptsNot: ['barred'],
    });
    expect(check(i, strict, { equipment: '01234567890123' })).toMatchObject({
      status: 'unknown',
      matched: 'policy',
      deviceKey: '01234567890123',
    });
    expect(check(i, strict, { equipment: 'mac-00-11-22-33-44-55-untrusted' })).toMatchObject({
      status: 'unknown',
      matched: 'policy',
      deviceKey: null,
    });
    expect(check(i, strict, { equipment: 'imei-12' })).toMatchObject({
      status: 'blocked',
      matched: 'malformed',
    });
    expect(check(i, strict, { equipment: '3520990017614A' })).toMatchObject({
      status: 'blocked',
      matched: 'malformed',
    });
  });

  it('reads equipment identities', () => {
    expect(readEquipment(' imeisv-3520990017614823 ')).toEqual({
      deviceKey: '35209900176148',
      svn: '23',
      malformed: false,
    });
    expect(readEquipment('serial-1')).toEqual({ deviceKey: null, svn: null, malformed: true });
  });

  it('reads the forms networks send as a full parse does', () => {
    const full = (value: string) => {
      const trimmed = value.trim();
      if (/^(imei|imeisv|mac|eui)-/i.test(trimmed)) {
        const pei = parsePei(trimmed, { source: 'network' });
        if (!pei.ok) return { deviceKey: null, svn: null, malformed: true };
        if (pei.value.form === 'imei')
          return { deviceKey: pei.value.imei.deviceKey, svn: null, malformed: false };
        if (pei.value.form === 'imeisv')
          return { deviceKey: pei.value.imeisv.deviceKey, svn: pei.value.imeisv.svn, malformed: false };
        return { deviceKey: null, svn: null, malformed: false };
      }
      const parsed = parseEquipment(trimmed, { source: 'network' });
      if (!parsed.ok) return { deviceKey: null, svn: null, malformed: true };
      const svn = parsed.value.kind === 'imeisv' ? parsed.value.svn : null;
      return { deviceKey: parsed.value.deviceKey, svn, malformed: false };
    };
    fc.assert(
      fc.property(
        fc.constantFrom('', 'imei-', 'IMEI-', 'imeisv-', 'ImeiSv-', ' ', 'mac-'),
        fc.stringMatching(/^[0-9]{12,17}$/),
        fc.constantFrom('', ' ', '\t'),
        (prefix, digits, suffix) => {
          const value = `${prefix}${digits}${suffix}`;
          expect(readEquipment(value)).toEqual(full(value));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
