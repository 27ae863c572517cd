import { describe, expect, it } from 'vitest';
import { dailyAvgUid } from './daily_avg_uid.ts';
import { runDimension } from './dimension.ts';
import { duplicateDailyAvg } from './duplicate_daily_avg.ts';
import { duplicateThreshold } from './duplicate_threshold.ts';
import { context, datasetOf, days, imei, seen } from './fixtures.ts';
import { transientImei } from './transient_imei.ts';

const A15 = '352099001761481';
const A16 = '3520990017614823';
const A = imei(A15);
const imsi = (n: number) => `41001000000000${n}`;

function matched(result: ReturnType<typeof runDimension>): string[] {
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return [...result.value.keys()].sort();
}

describe('duplicate_threshold', () => {
  // Window [2026-01-01, 2026-01-31).
  const dataset = datasetOf([
    ...seen('op1', A15, imsi(1), '923000000001', ['2026-01-01']), // the start day: in
    ...seen('op2', A16, imsi(2), '923000000002', ['2026-01-15']), // 16-digit form of the same IMEI
    ...seen('op1', A15, imsi(3), '923000000003', ['2026-01-20', '2026-01-31']), // last seen on the end: in
    ...seen('op1', A15, imsi(4), '923000000004', ['2026-01-31']), // first seen on the end: out
    ...seen('op1', A15, imsi(5), '923000000005', ['2025-12-31']), // before the start: out
    ...seen('op1', A15, '4100100', '92300', ['2026-01-10']), // invalid IMSI and MSISDN: not counted
  ]);

  it('counts distinct valid IMSIs of rows overlapping the window, count ≥ threshold', () => {
    const ctx = context('2026-01-31');
    expect(
      matched(runDimension(duplicateThreshold, dataset, { threshold: 3, period_days: 30 }, ctx)),
    ).toEqual([A]);
    expect(
      matched(runDimension(duplicateThreshold, dataset, { threshold: 4, period_days: 30 }, ctx)),
    ).toEqual([]);
    const result = runDimension(duplicateThreshold, dataset, { threshold: 3, period_days: 30 }, ctx);
    expect(result.ok && result.value.get(A)).toBe(
      'seen with 3 IMSIs from 2026-01-01 up to 2026-01-31 (threshold 3)',
    );
  });

  it('is the same with a half-open window: it tests first/last seen dates, not day bits', () => {
    const ctx = context('2026-01-31', { windowEnd: 'half-open' });
    expect(
      matched(runDimension(duplicateThreshold, dataset, { threshold: 3, period_days: 30 }, ctx)),
    ).toEqual([A]);
  });

  it('counts MSISDNs of 12–15 characters with use_msisdn', () => {
    const ctx = context('2026-01-31');
    const r = runDimension(
      duplicateThreshold,
      dataset,
      { threshold: 3, period_days: 30, use_msisdn: true },
      ctx,
    );
    expect(r.ok && r.value.get(A)).toBe('seen with 3 MSISDNs from 2026-01-01 up to 2026-01-31 (threshold 3)');
  });

  it('period_months uses calendar months', () => {
    const feb = datasetOf([
      ...seen('op1', A15, imsi(1), null, ['2026-02-28']),
      ...seen('op1', A15, imsi(2), null, ['2026-02-27']),
    ]);
    const ctx = context('2026-03-31');
    expect(matched(runDimension(duplicateThreshold, feb, { threshold: 1, period_months: 1 }, ctx))).toEqual([
      A,
    ]);
    const r = runDimension(duplicateThreshold, feb, { threshold: 1, period_months: 1 }, ctx);
    expect(r.ok && r.value.get(A)).toContain('1 IMSI from 2026-02-28');
  });

  it('refuses parameters DIRBS refuses, naming the field', () => {
    const errors = (raw: unknown) => {
      const r = duplicateThreshold.parameters.validate(raw);
      return r.ok ? [] : r.errors.map((e) => `${e.field}:${e.rule}`);
    };
    expect(errors({ threshold: 3, period_days: 3, period_months: 1 })).toEqual(['period_days:exclusive']);
    expect(errors({ threshold: 3 })).toEqual(['period_days:required']);
    expect(errors({ period_days: 3 })).toEqual(['threshold:required']);
    expect(errors({ threshold: 2.5, period_days: 3 })).toEqual(['threshold:integer']);
    expect(errors({ threshold: 3, period_days: -1 })).toEqual(['period_days:minimum']);
    expect(errors({ threshold: 3, period_days: 3, use_msisdn: 'true' })).toEqual(['use_msisdn:boolean']);
    expect(errors({ threshold: '3', period_days: '30' })).toEqual([]);
  });
});

describe('duplicate_daily_avg', () => {
  const B = imei('49015420323751');
  // Window [2026-01-01, 2026-01-11).
  const dataset = datasetOf([
    ...seen('op1', A15, imsi(1), null, days('2026-01-01', 10)),
    ...seen('op2', A16, imsi(1), null, days('2026-01-01', 10)), // same IMSI, same days, other operator: once
    ...seen('op1', A15, imsi(2), null, days('2026-01-01', 8)),
    ...seen('op1', '490154203237518', imsi(1), null, days('2026-01-06', 6)), // last seen on the end date
    ...seen('op1', '490154203237518', imsi(2), null, ['2026-01-11']), // first seen on the end date: out
  ]);

  it('divides IMSI-days by days seen as DIRBS does, truncating to an integer', () => {
    const ctx = context('2026-01-11');
    const raw = { threshold: 1.5, period_days: 10, min_seen_days: 1 };
    expect(matched(runDimension(duplicateDailyAvg, dataset, raw, ctx))).toEqual([]);
    const exact = runDimension(
      duplicateDailyAvg,
      dataset,
      raw,
      context('2026-01-11', { averageDivision: 'exact' }),
    );
    expect(matched(exact)).toEqual([A]);
    const one = runDimension(duplicateDailyAvg, dataset, { ...raw, threshold: 1 }, ctx);
    expect(one.ok && one.value.get(A)).toBe(
      'seen on 10 days from 2026-01-01 up to 2026-01-11 with 18 IMSI-days: 1.8 IMSIs a day on average, ' +
        'taken as 1 by integer division (threshold 1, at least 1 day)',
    );
  });

  it('counts the end day for a row last seen on it with dirbs, not with half-open', () => {
    const raw = { threshold: 1, period_days: 10, min_seen_days: 6 };
    expect(matched(runDimension(duplicateDailyAvg, dataset, raw, context('2026-01-11')))).toEqual([A, B]);
    const halfOpen = context('2026-01-11', { windowEnd: 'half-open' });
    expect(matched(runDimension(duplicateDailyAvg, dataset, raw, halfOpen))).toEqual([A]);
  });

  it('refuses min_seen_days above period_days', () => {
    expect(
      duplicateDailyAvg.parameters.validate({ threshold: 1, period_days: 5, min_seen_days: 6 }),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'min_seen_days', rule: 'maximum' }],
    });
    expect(
      duplicateDailyAvg.parameters.validate({ threshold: 'x', period_months: 1, min_seen_days: 6 }),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'threshold', rule: 'number' }],
    });
  });
});

describe('daily_avg_uid', () => {
  const subscribers = [
    { uid: 'U1', imsi: imsi(1) },
    { uid: 'U2', imsi: imsi(2) },
    { uid: 'U3', imsi: imsi(3) },
  ];
  const dataset = datasetOf(
    [
      ...seen('op1', A15, imsi(1), null, ['2026-01-05']),
      ...seen('op1', A15, imsi(2), null, ['2026-02-05']), // day 5 again, another month: one day for DIRBS
      ...seen('op1', A15, imsi(3), null, ['2026-02-06']),
      ...seen('op1', A15, imsi(4), null, ['2026-02-07']), // not a registered subscriber
    ],
    { subscribers },
  );
  const ctx = context('2026-02-10');

  it('collapses days of the month across months and counts distinct UIDs over the window', () => {
    const r = runDimension(dailyAvgUid, dataset, { threshold: 1, period_months: 2, min_seen_days: 2 }, ctx);
    expect(r.ok && r.value.get(A)).toBe(
      'seen with 3 registered subscriber UIDs on 2 days of the month from 2025-12-10 up to 2026-02-10: ' +
        '1.5 UIDs per day, taken as 1 by integer division (threshold 1, at least 2 days)',
    );
    // Three real days, but DIRBS sees two.
    expect(
      matched(runDimension(dailyAvgUid, dataset, { threshold: 1, period_months: 2, min_seen_days: 3 }, ctx)),
    ).toEqual([]);
  });

  it('truncates the quotient unless averageDivision is exact', () => {
    const raw = { threshold: 1.5, period_months: 2, min_seen_days: 1 };
    expect(matched(runDimension(dailyAvgUid, dataset, raw, ctx))).toEqual([]);
    expect(
      matched(runDimension(dailyAvgUid, dataset, raw, context('2026-02-10', { averageDivision: 'exact' }))),
    ).toEqual([A]);
  });
});

describe('transient_imei', () => {
  const T = '86000000000001';
  const window = days('2026-01-01', 10); // [2026-01-01, 2026-01-11)
  const ctx = context('2026-01-11');
  const run = (rows: ReturnType<typeof seen>, raw: unknown = { period: 10, num_msisdns: 3 }) =>
    matched(runDimension(transientImei, datasetOf(rows), raw, ctx));
  const sequential = [
    ...seen('op1', T, imsi(1), '923000000003', window),
    ...seen('op1', T, imsi(2), '923000000001', window),
    ...seen('op1', T, imsi(3), '923000000002', window),
  ];

  it('matches sequential MSISDNs on one operator, MSISDN-days integer-divided by the period', () => {
    expect(run(sequential)).toEqual([T]);
    const r = runDimension(transientImei, datasetOf(sequential), { period: 10, num_msisdns: 3 }, ctx);
    expect(r.ok && r.value.get(imei(T))).toBe(
      'seen on operator op1 with 3 MSISDNs in arithmetic progression (step 1); ' +
        '30 MSISDN-days in 10 days = 3 a day (at least 3)',
    );
    expect(run(sequential, { period: 10, num_msisdns: 4 })).toEqual([]);
    // 29 MSISDN-days: 2 a day by integer division.
    expect(run([...sequential.slice(0, 29)])).toEqual([]);
  });

  it('needs a progression of at least two MSISDNs, including MSISDNs too short to count', () => {
    expect(run([...seen('op1', T, imsi(1), '923000000001', window)], { period: 10, num_msisdns: 1 })).toEqual(
      [],
    );
    expect(
      run([
        ...seen('op1', T, imsi(1), '923000000001', window),
        ...seen('op1', T, imsi(2), '923000000002', window),
        ...seen('op1', T, imsi(3), '923000000004', window),
      ]),
    ).toEqual([]);
    expect(run([...sequential, ...seen('op1', T, imsi(4), '5', ['2026-01-02'])])).toEqual([]);
  });

  it('needs exactly one operator', () => {
    expect(run([...sequential, ...seen('op2', T, imsi(1), null, ['2026-01-03'])])).toEqual([]);
  });

  it('requires period and num_msisdns, both positive integers', () => {
    const errors = (raw: unknown) => {
      const r = transientImei.parameters.validate(raw);
      return r.ok ? [] : r.errors.map((e) => `${e.field}:${e.rule}`);
    };
    expect(errors({})).toEqual(['period:required', 'num_msisdns:required']);
    expect(errors({ period: 0, num_msisdns: 1.5 })).toEqual(['period:minimum', 'num_msisdns:integer']);
  });
});
