import { describe, expect, it } from 'vitest';
import { runDimension } from './dimension.ts';
import { existsInBarredList } from './exists_in_barred_list.ts';
import { existsInMonitoringList } from './exists_in_monitoring_list.ts';
import { context, datasetOf, imei, REGION, seen } from './fixtures.ts';
import { isBarredTac } from './is_barred_tac.ts';
import { notOnAssociationList } from './not_on_association_list.ts';
import { notOnRegistrationList } from './not_on_registration_list.ts';
import { stolenList } from './stolen_list.ts';

const A = '352099001761481';
const B = '490154203237518';
const HEX = '3520990017614a';
const network = [
  ...seen('op1', A, '410010000000001', null, ['2026-01-05']),
  ...seen('op1', B, '410010000000002', null, ['2026-01-06']),
  ...seen('op1', HEX, '410010000000003', null, ['2026-01-07']),
];
const ctx = context('2026-02-01');

describe('stolen_list', () => {
  it('matches blank and blacklist statuses, seen or not, and never provisional ones', () => {
    const dataset = datasetOf(network, {
      stolen: new Map([
        [imei('3520990017614823'), { status: 'blacklist' }],
        [imei('35000000000001'), { status: null }],
        [imei(B), { status: 'pending' }],
        [imei('35000000000002'), { status: 'recovered' }],
      ]),
    });
    const matches = stolenList.evaluate(dataset, {}, ctx);
    expect([...matches.keys()].sort()).toEqual(['35000000000001', '35209900176148']);
    expect(matches.get(imei(A))).toBe('on the stolen list (status blacklist)');
    expect(matches.get(imei('35000000000001'))).toBe(
      'on the stolen list (status blank); never seen on the network',
    );
  });

  it('inverted: the network IMEIs not stolen, never an unseen stolen one', () => {
    const dataset = datasetOf(network, {
      stolen: new Map([
        [imei(A), { status: null }],
        [imei('35000000000001'), { status: null }],
      ]),
    });
    const result = runDimension(stolenList, dataset, undefined, ctx, true);
    expect(result.ok && [...result.value.keys()].sort()).toEqual(['3520990017614A', '49015420323751']);
  });

  it('takes no parameters', () => {
    const result = stolenList.parameters.validate({ threshold: 1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatchObject({ field: 'threshold', rule: 'unknown' });
  });
});

describe('exists_in_barred_list and is_barred_tac', () => {
  it('barred list: every listed IMEI', () => {
    const dataset = datasetOf(network, { barred: new Set([imei(A), imei('35000000000009')]) });
    expect([...existsInBarredList.evaluate(dataset, {}, ctx).keys()].sort()).toEqual([
      '35000000000009',
      '35209900176148',
    ]);
  });

  it('barred TAC: network IMEIs by their first 8 characters', () => {
    const dataset = datasetOf(network, { barredTac: new Set(['35209900', '12345678']) });
    const matches = isBarredTac.evaluate(dataset, {}, ctx);
    expect([...matches.keys()].sort()).toEqual(['35209900176148', '3520990017614A']);
    expect(matches.get(imei(A))).toBe('TAC 35209900 is on the barred TAC list');
  });
});

describe('exists_in_monitoring_list', () => {
  const dataset = datasetOf(network, {
    monitoring: new Map([
      [imei(A), { startDate: '2026-01-01' }],
      [imei(B), { startDate: '2026-01-20T06:00:00Z' }],
      [imei('35000000000001'), { startDate: '2025-01-01' }],
    ]),
  });

  it('matches network IMEIs on the list when monitored_days is 0', () => {
    const result = runDimension(existsInMonitoringList, dataset, {}, ctx);
    expect(result.ok && [...result.value.keys()].sort()).toEqual(['35209900176148', '49015420323751']);
  });

  it('counts whole days to the wall clock, not the analysis end', () => {
    const now = new Date('2026-03-02T05:00:00Z');
    const wall = context('2026-02-01', { now });
    // A: 60 days and 5 hours; B: 40 days 23 hours → 40 whole days.
    const result = runDimension(existsInMonitoringList, dataset, { monitored_days: 41 }, wall);
    expect(result.ok && [...result.value.keys()]).toEqual(['35209900176148']);
    expect(result.ok && result.value.get(imei(A))).toContain(
      '60 days by the wall clock (at least 41 required)',
    );
    const atEnd = runDimension(
      existsInMonitoringList,
      dataset,
      { monitored_days: 31 },
      context('2026-02-01', { now, monitoringClock: 'analysis-end' }),
    );
    expect(atEnd.ok && [...atEnd.value.keys()]).toEqual(['35209900176148']);
  });

  it('refuses a negative or non-integer monitored_days', () => {
    expect(existsInMonitoringList.parameters.validate({ monitored_days: -1 })).toMatchObject({
      ok: false,
      errors: [{ field: 'monitored_days', rule: 'minimum' }],
    });
    expect(existsInMonitoringList.parameters.validate({ monitored_days: '2.5' })).toMatchObject({
      ok: false,
      errors: [{ field: 'monitored_days', rule: 'integer' }],
    });
    expect(existsInMonitoringList.parameters.validate({ monitored_days: '7' })).toEqual({
      ok: true,
      value: { monitoredDays: 7 },
    });
  });
});

describe('not_on_registration_list', () => {
  const registration = new Map([
    [imei(A), { status: 'whitelist', deviceType: 'Smartphone' }],
    [imei(B), { status: 'pending', deviceType: 'Smartphone' }],
  ]);

  it('matches network IMEIs without an approved row', () => {
    const matches = notOnRegistrationList.evaluate(datasetOf(network, { registration }), {}, ctx);
    expect([...matches.keys()].sort()).toEqual(['3520990017614A', '49015420323751']);
    expect(matches.get(imei(B))).toContain('status "pending"');
  });

  it('a blank status counts as approved', () => {
    const reg = new Map([[imei(B), { status: null, deviceType: null }]]);
    expect(
      notOnRegistrationList.evaluate(datasetOf(network, { registration: reg }), {}, ctx).has(imei(B)),
    ).toBe(false);
  });

  it('exempted device types: DIRBS drops GSMA-unknown TACs too; keep-unknown keeps them', () => {
    const unknownTac = '86000000000001';
    const dataset = datasetOf([...network, ...seen('op1', unknownTac, null, null, ['2026-01-08'])], {
      registration: new Map(),
      config: { ...REGION, exemptedDeviceTypes: ['Modem'] },
      gsma: new Map([
        ['35209900', { manufacturer: 'Acme', modelName: 'P1', deviceType: 'Smartphone', ratMask: null }],
        ['49015420', { manufacturer: 'Acme', modelName: 'M1', deviceType: 'Modem', ratMask: null }],
      ]),
    });
    const dirbs = notOnRegistrationList.evaluate(dataset, {}, ctx);
    expect([...dirbs.keys()].sort()).toEqual(['35209900176148', '3520990017614A']);
    expect(dirbs.get(imei(A))).toBe('not on the registration list; device type Smartphone');
    const keep = notOnRegistrationList.evaluate(
      dataset,
      {},
      context('2026-02-01', { exemptionJoin: 'keep-unknown' }),
    );
    expect([...keep.keys()].sort()).toEqual(['35209900176148', '3520990017614A', unknownTac]);
    expect(keep.get(imei(unknownTac))).toBe('not on the registration list; device type unknown to GSMA');
  });
});

describe('not_on_association_list', () => {
  it('matches network IMEIs with no association to any UID, with the same exemptions', () => {
    const dataset = datasetOf(network, { association: [{ uid: 'ID-1', imeiNorm: imei(A) }] });
    expect([...notOnAssociationList.evaluate(dataset, {}, ctx).keys()].sort()).toEqual([
      '3520990017614A',
      '49015420323751',
    ]);
    const exempt = datasetOf(network, {
      association: [],
      config: { ...REGION, exemptedDeviceTypes: ['Modem'] },
      gsma: new Map([
        ['49015420', { manufacturer: 'Acme', modelName: 'M1', deviceType: 'Modem', ratMask: null }],
      ]),
    });
    expect([...notOnAssociationList.evaluate(exempt, {}, ctx).keys()]).toEqual([]);
  });
});
