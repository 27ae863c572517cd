/**
 * Acceptance: every measure over a known history (history.ts) against figures worked out by hand,
 * per month, per whole period and per breakdown, on PGlite and PostgreSQL.
 *
 * Times to block (seconds): March C1 60, C2 300, C3 120, C4 600; April C6 30, C7 900.
 * Times to unblock (seconds): March K3 187 080 (03-10 12:02 → 03-12 16:00), K8 885 600
 * (03-15 09:00 → 03-25 15:00); April K1 3 023 940 (03-02 10:01 → 04-06 10:00), K6 1 519 170
 * (04-03 10:00:30 → 04-21 00:00). percentile_cont interpolates: p at position p·(n−1) of the sorted values.
 */
import { beforeAll, expect, it } from 'vitest';
import { computeMeasure, type MeasureName, type MeasureQuery } from '../../src/insight/measures.ts';
import { describeStores } from '../support/stores.ts';
import { buildHistory } from './history.ts';

const MONTHS: MeasureQuery = { from: '2026-03-01', to: '2026-04-30', granularity: 'month' };
const PERIOD: MeasureQuery = { from: '2026-03-01', to: '2026-04-30', granularity: 'period' };

describeStores('measures over a known history', (store) => {
  beforeAll(async () => {
    await buildHistory(store());
  }, 120_000);

  /** Rows as `bucket|group → value`. */
  const figures = async (name: MeasureName, q: MeasureQuery) => {
    const result = await computeMeasure(store().db, name, q);
    return Object.fromEntries(result.rows.map((r) => [`${r.bucket.slice(0, 7)}|${r.group ?? '-'}`, r.value]));
  };
  const monthly = (march: number | null, april: number | null) => {
    const out: Record<string, number> = {};
    if (march !== null) out['2026-03|-'] = march;
    if (april !== null) out['2026-04|-'] = april;
    return out;
  };
  const period = (groups: Record<string, number>) =>
    Object.fromEntries(Object.entries(groups).map(([g, v]) => [`2026-03|${g}`, v]));

  it('reports received, by month and by every case dimension', async () => {
    expect(await figures('reports_received', MONTHS)).toEqual(monthly(5, 3));
    expect(await figures('reports_received', { ...PERIOD, by: 'operator' })).toEqual(
      period({ alpha: 2, beta: 1, '-': 5 }),
    );
    expect(await figures('reports_received', { ...PERIOD, by: 'region' })).toEqual(
      period({ capital: 4, north: 4 }),
    );
    expect(await figures('reports_received', { ...PERIOD, by: 'kind' })).toEqual(
      period({ lost: 2, stolen: 6 }),
    );
    expect(await figures('reports_received', { ...PERIOD, by: 'channel' })).toEqual(
      period({ operator: 3, police: 4, portal: 1 }),
    );
    expect(await figures('reports_received', { ...PERIOD, by: 'brand' })).toEqual(
      period({ Acme: 4, Bolt: 4 }),
    );
    expect(await figures('reports_received', { ...PERIOD, by: 'model' })).toEqual(
      period({ A1: 3, A2: 1, B1: 2, B2: 2 }),
    );
    expect(await figures('reports_received', { ...MONTHS, operator: 'alpha' })).toEqual(monthly(1, 1));
  });

  it('ISO weeks start on Monday; days are UTC days', async () => {
    const weeks = await computeMeasure(store().db, 'reports_received', { ...PERIOD, granularity: 'week' });
    expect(Object.fromEntries(weeks.rows.map((r) => [r.bucket, r.value]))).toEqual({
      '2026-03-02': 2, // C1 Monday 2 March, C2 Thursday 5 March
      '2026-03-09': 1,
      '2026-03-16': 1,
      '2026-03-23': 1,
      '2026-03-30': 1, // C6 Friday 3 April
      '2026-04-06': 1,
      '2026-04-13': 1,
    });
    const days = await computeMeasure(store().db, 'blocked_attempts', {
      from: '2026-03-10',
      to: '2026-03-11',
      granularity: 'day',
    });
    expect(days.rows).toEqual([
      { bucket: '2026-03-10', group: null, value: 1 },
      { bucket: '2026-03-11', group: null, value: 1 },
    ]);
  });

  it('devices blocked and tracked, by reason, rule, operator and peer', async () => {
    expect(await figures('devices_blocked', MONTHS)).toEqual(monthly(6, 3));
    expect(await figures('devices_blocked', { ...PERIOD, by: 'reason' })).toEqual(
      period({ duplicate: 2, lost: 1, stolen: 6 }),
    );
    expect(await figures('devices_blocked', { ...PERIOD, by: 'rule' })).toEqual(
      period({ 'duplicate-threshold': 2, '-': 7 }),
    );
    expect(await figures('devices_blocked', { ...PERIOD, by: 'operator' })).toEqual(
      period({ alpha: 2, beta: 1, '-': 6 }),
    );
    expect(await figures('devices_blocked', { ...PERIOD, by: 'peer' })).toEqual(period({ ke: 1, '-': 8 }));
    expect(await figures('devices_tracked', MONTHS)).toEqual(monthly(null, 1));
    expect(await figures('peer_entries_applied', MONTHS)).toEqual(monthly(null, 1));
  });

  it('time from report to block: exact percentiles', async () => {
    expect(await figures('report_to_block_p50', MONTHS)).toEqual(monthly(210, 465));
    expect(await figures('report_to_block_p95', MONTHS)).toEqual(monthly(555, 856.5));
    expect(await figures('report_to_block_p50', PERIOD)).toEqual(period({ '-': 210 }));
    expect(await figures('report_to_block_p95', PERIOD)).toEqual(period({ '-': 825 }));
    expect(await figures('report_to_block_p50', { ...PERIOD, by: 'region' })).toEqual(
      // capital: C1 60, C3 120, C6 30 → 60; north: C2 300, C4 600, C7 900 → 600.
      period({ capital: 60, north: 600 }),
    );
  });

  it('blocked attempts, devices traced, alerts raised and acknowledged', async () => {
    expect(await figures('blocked_attempts', MONTHS)).toEqual(monthly(3, 2));
    expect(await figures('blocked_attempts', { ...PERIOD, by: 'operator' })).toEqual(
      period({ alpha: 2, beta: 3 }),
    );
    expect(await figures('devices_traced', MONTHS)).toEqual(monthly(2, 2));
    expect(await figures('devices_traced', PERIOD)).toEqual(period({ '-': 3 }));
    expect(await figures('alerts_raised', MONTHS)).toEqual(monthly(2, 2));
    expect(await figures('alerts_raised', { ...PERIOD, by: 'operator' })).toEqual(
      period({ alpha: 1, beta: 3 }),
    );
    expect(await figures('alerts_acknowledged', MONTHS)).toEqual(monthly(1, 1));
  });

  it('recoveries and the recovery rate of each reporting cohort', async () => {
    expect(await figures('devices_recovered', MONTHS)).toEqual(monthly(1, 2));
    // March: C3 of C1–C5 recovered by 1 April (C1 only on 5 April); April: C6 of C6–C8; whole period: 3 of 8.
    expect(await figures('recovery_rate', MONTHS)).toEqual(monthly(0.2, 1 / 3));
    expect(await figures('recovery_rate', PERIOD)).toEqual(period({ '-': 0.375 }));
    expect(await figures('recovery_rate', { ...PERIOD, by: 'kind' })).toEqual(
      period({ lost: 0.5, stolen: 2 / 6 }),
    );
  });

  it('unblocks and the time blocked before an unblock', async () => {
    expect(await figures('unblocks', MONTHS)).toEqual(monthly(2, 2));
    expect(await figures('unblock_time_p50', MONTHS)).toEqual(monthly(536_340, 2_271_555));
    expect(await figures('unblock_time_p95', MONTHS)).toEqual(monthly(850_674, 2_948_701.5));
    expect(await figures('unblocks', { ...PERIOD, by: 'rule' })).toEqual(
      period({ 'duplicate-threshold': 1, '-': 3 }),
    );
  });

  it('appeals filed, decided, overturned and the overturn rate per reason and per rule', async () => {
    expect(await figures('appeals_filed', MONTHS)).toEqual(monthly(2, 1));
    expect(await figures('appeals_decided', MONTHS)).toEqual(monthly(1, 2));
    expect(await figures('appeals_overturned', MONTHS)).toEqual(monthly(1, null));
    expect(await figures('overturn_rate', MONTHS)).toEqual(monthly(1, 0));
    expect(await figures('overturn_rate', PERIOD)).toEqual(period({ '-': 1 / 3 }));
    expect(await figures('appeals_decided', { ...PERIOD, by: 'rule' })).toEqual(
      period({ 'duplicate-threshold': 2, '-': 1 }),
    );
    expect(await figures('overturn_rate', { ...PERIOD, by: 'rule' })).toEqual(
      period({ 'duplicate-threshold': 0.5, '-': 0 }),
    );
    expect(await figures('overturn_rate', { ...PERIOD, by: 'reason' })).toEqual(
      period({ duplicate: 0.5, stolen: 0 }),
    );
    expect(await figures('appeals_filed', { ...PERIOD, by: 'rule' })).toEqual(
      period({ 'duplicate-threshold': 2, '-': 1 }),
    );
  });

  it('detections per rule', async () => {
    expect(await figures('detections', MONTHS)).toEqual(monthly(2, 1));
    expect(await figures('detections', { ...PERIOD, by: 'rule' })).toEqual(
      period({ 'duplicate-threshold': 2, 'gsma-not-found': 1 }),
    );
  });

  it('list sizes at the end of each bucket, folded from the ledger', async () => {
    // End of March: K1, K2, K4, K9 (K3 and K8 lifted). End of April: K2, K4, K7, K9, K11.
    expect(await figures('blocked_list_size', MONTHS)).toEqual(monthly(4, 5));
    expect(await figures('blocked_list_size', { ...PERIOD, by: 'operator' })).toEqual(
      period({ alpha: 1, '-': 4 }),
    );
    expect(await figures('tracked_list_size', MONTHS)).toEqual(monthly(null, 1));
    // A past day stays what it was: on 10 March K1, K2 and K3 were blocked.
    expect(
      await figures('blocked_list_size', { from: '2026-03-10', to: '2026-03-10', granularity: 'day' }),
    ).toEqual({
      '2026-03|-': 3,
    });
  });
});
