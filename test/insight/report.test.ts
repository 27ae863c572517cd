/**
 * The monthly report over the known history (history.ts) plus a month of operator network data, with
 * every DIRBS section and the effectiveness figures checked against values worked out by hand, for
 * the country and for one operator, on PGlite and PostgreSQL; and `openceir report monthly` run as
 * a process against PostgreSQL, writing report.json and the CSV files.
 *
 * Network data of March 2026 (triplets: IMEI / IMSI / MSISDN, first and last seen):
 *   alpha: K8/A1/M1 03-01…03-20, K8/A2/– 03-02…03-03, X/A3/– 03-07
 *   beta:  K9/B1/M2 03-05…03-31, X/B2/M3 03-05…03-06
 *   February, alpha: X (so X is no gross add).
 * Classification in force at the end of March: K8 and K9 duplicate-threshold (blocking, block dates
 * 03-15 and 03-16), X not-on-registration-list (informative). K8 seen 5 days after its block date
 * (3–5), K9 15 days after (11–20).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMonthlyReport, type MonthlyReport } from '../../src/insight/report.ts';
import { tableCsv } from '../../src/insight/report-files.ts';
import { openPostgres, type Store } from '../../src/store/index.ts';
import { runCli } from '../support/process.ts';
import { createTestDatabase, describeStores, type TestDatabase } from '../support/stores.ts';
import { buildHistory, K } from './history.ts';

const X = '86000000000001';

async function addNetworkData(store: Store): Promise<void> {
  const db = store.db;
  await db.execute(sql`insert into monthly_triplet
      (imei_norm, operator, month, triplet_hash, imsi, msisdn, first_seen, last_seen, date_bitmask) values
    (${K(8)}, 'alpha', '2026-03-01', 't1', 'A1', 'M1', '2026-03-01', '2026-03-20', 1),
    (${K(8)}, 'alpha', '2026-03-01', 't2', 'A2', null, '2026-03-02', '2026-03-03', 1),
    (${X}, 'alpha', '2026-03-01', 't3', 'A3', null, '2026-03-07', '2026-03-07', 1),
    (${K(9)}, 'beta', '2026-03-01', 't4', 'B1', 'M2', '2026-03-05', '2026-03-31', 1),
    (${X}, 'beta', '2026-03-01', 't5', 'B2', 'M3', '2026-03-05', '2026-03-06', 1),
    (${X}, 'alpha', '2026-02-01', 't6', 'A3', null, '2026-02-10', '2026-02-11', 1)`);
  await db.execute(sql`insert into analytics_import (import_id, operator, file_name, start_date, end_date, rows, null_imei_rows) values
    ('f1', 'alpha', 'alpha-march.csv', '2026-03-01', '2026-03-31', 100, 3),
    ('f2', 'beta', 'beta-march.csv', '2026-03-01', '2026-03-31', 50, 2),
    ('f0', 'alpha', 'alpha-february.csv', '2026-02-01', '2026-02-28', 999, 9)`);
  await db.execute(sql`insert into ref_gsma (tac, manufacturer, model_name) values
    ('35000000', 'Acme', 'A1'), ('86000000', 'Bolt', 'B9')`);
  await db.execute(sql`insert into classification_state (run_id, imei_norm, cond_name, start_date, block_date) values
    (1, ${X}, 'not-on-registration-list', '2026-03-02', null)`);
}

const table = (report: MonthlyReport, name: string) => {
  const t = report.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
};
const pairs = (report: MonthlyReport, name: string) =>
  Object.fromEntries(table(report, name).rows.map((r) => [r[0], r[1]]));

describeStores('monthly report', (store) => {
  beforeAll(async () => {
    await buildHistory(store());
    await addNetworkData(store());
  }, 120_000);

  it('country report of March: effectiveness and every DIRBS section', async () => {
    const now = new Date('2026-05-01T00:00:00Z');
    const report = await buildMonthlyReport(store().db, { month: '2026-03', now });
    expect(report).toMatchObject({
      report_version: '1.0.0',
      month: '2026-03',
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(report).toMatchObject({
      operator: null,
      network_data: true,
      generated_at: '2026-05-01T00:00:00.000Z',
    });
    expect(report.summary).toMatchObject({
      reports_received: 5,
      devices_blocked: 6,
      report_to_block_p50: 210,
      report_to_block_p95: 555,
      blocked_attempts: 3,
      alerts_raised: 2,
      devices_recovered: 1,
      recovery_rate: 0.2,
      unblocks: 2,
      appeals_filed: 2,
      appeals_overturned: 1,
      overturn_rate: 1,
      detections: 3, // K8, K9 and X (added with the network data)
      blocked_list_size: 4,
      tracked_list_size: 0,
      devices_tracked: 0,
    });
    const daily = table(report, 'effectiveness_daily');
    expect(daily.columns).toEqual([
      'day',
      'reports_received',
      'devices_blocked',
      'blocked_attempts',
      'devices_recovered',
    ]);
    expect(daily.rows).toHaveLength(31);
    expect(daily.rows[1]).toEqual(['2026-03-02', 1, 1, 0, 0]);
    expect(daily.rows[9]).toEqual(['2026-03-10', 1, 1, 1, 0]);
    expect(daily.rows[11]).toEqual(['2026-03-12', 0, 0, 0, 1]);
    const region = table(report, 'by_region');
    expect(region.columns).toEqual([
      'region',
      'reports_received',
      'devices_blocked',
      'devices_recovered',
      'recovery_rate',
    ]);
    expect(region.rows).toEqual([
      ['capital', 3, 2, 1, 1 / 3],
      ['north', 2, 2, null, 0],
      [null, null, 2, null, null],
    ]);
    expect(table(report, 'by_rule').rows).toEqual([
      [null, 4, null, null, null, null],
      ['duplicate-threshold', 2, 2, 1, 1, 1],
    ]);

    expect(pairs(report, 'identifier_counts')).toEqual({
      total_imeis_seen: 3,
      total_imsis_seen: 5,
      total_msisdns_seen: 3,
      total_imei_imsis_seen: 5,
      total_imei_msisdns_seen: 3,
      total_triplets_seen: 5,
      total_gross_adds: 2,
    });
    expect(pairs(report, 'data_quality')).toEqual({
      import_files: 2,
      total_records_seen: 150,
      total_null_imei_records: 5,
      total_null_imsi_triplets: 0,
      total_null_msisdn_triplets: 2,
    });
    expect(table(report, 'compliance_breakdown').rows).toEqual([
      ['compliant', 0, 0],
      ['noncompliant_blocking', 2, 3],
      ['noncompliant_info_only', 1, 2],
    ]);
    expect(table(report, 'conditions_breakdown').rows).toEqual([
      ['duplicate-threshold', 'true', 2, 3, 2, 3],
      ['not-on-registration-list', 'false', 1, 2, 1, 2],
    ]);
    expect(table(report, 'top_models').rows).toEqual([
      ['Acme', 'A1', 2],
      ['Bolt', 'B9', 1],
    ]);
    expect(pairs(report, 'blacklist_violations_by_age')).toEqual({
      '1-2': 0,
      '3-5': 1,
      '6-10': 0,
      '11-20': 1,
      '21-30': 0,
      '31-90': 0,
      '90+': 0,
    });
    expect(tableCsv(table(report, 'top_models'))).toBe(
      'manufacturer,model,num_imeis\r\nAcme,A1,2\r\nBolt,B9,1\r\n',
    );
  });

  it("operator alpha's report of March", async () => {
    const report = await buildMonthlyReport(store().db, { month: '2026-03', operator: 'alpha' });
    expect(report.operator).toBe('alpha');
    expect(report.summary).toMatchObject({
      reports_received: 1,
      devices_blocked: 1,
      blocked_attempts: 2,
      alerts_raised: 1,
    });
    // Measures without an operator dimension are not in an operator's report.
    expect(report.summary).not.toHaveProperty('detections');
    expect(report.tables.map((t) => t.name)).not.toContain('by_operator');
    expect(pairs(report, 'identifier_counts')).toMatchObject({
      total_imeis_seen: 2,
      total_imsis_seen: 3,
      total_msisdns_seen: 1,
      total_triplets_seen: 3,
      total_gross_adds: 1,
    });
    expect(pairs(report, 'data_quality')).toMatchObject({
      import_files: 1,
      total_records_seen: 100,
      total_null_imei_records: 3,
    });
    expect(table(report, 'compliance_breakdown').rows).toEqual([
      ['compliant', 0, 0],
      ['noncompliant_blocking', 1, 2],
      ['noncompliant_info_only', 1, 1],
    ]);
    expect(pairs(report, 'blacklist_violations_by_age')).toMatchObject({ '3-5': 1, '11-20': 0 });
  });

  it('refuses a bad month or operator naming the field', async () => {
    await expect(buildMonthlyReport(store().db, { month: '2026-13' })).rejects.toThrow(
      'month: must be a month written YYYY-MM',
    );
    await expect(buildMonthlyReport(store().db, { month: '2026-03', operator: 'a b' })).rejects.toThrow(
      /operator: must be an operator id/,
    );
  });
});

describe('openceir report monthly (process, PostgreSQL)', () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    const store = await openPostgres({ url: database.url, maxConnections: 4 });
    await store.migrate();
    await buildHistory(store);
    await addNetworkData(store);
    await store.close();
    dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-report-'));
  }, 120_000);
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('writes report.json and one CSV per table; refuses a bad month', async () => {
    const env = { DATABASE_URL: database.url, OPENCEIR_DATA_DIR: dir };
    const out = path.join(dir, 'march-beta');
    const done = await runCli(
      ['report', 'monthly', '--month', '2026-03', '--out', out, '--operator', 'beta'],
      env,
      60_000,
    );
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/monthly report 2026-03 for beta: \d+ files/);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as MonthlyReport;
    expect(report.summary).toMatchObject({
      reports_received: 1,
      devices_blocked: 1,
      blocked_attempts: 1,
      devices_recovered: 1,
    });
    expect(readFileSync(path.join(out, 'compliance_breakdown.csv'), 'utf8')).toBe(
      'level,num_imeis,num_triplets\r\ncompliant,0,0\r\nnoncompliant_blocking,1,1\r\nnoncompliant_info_only,1,1\r\n',
    );
    for (const t of report.tables)
      expect(readFileSync(path.join(out, `${t.name}.csv`), 'utf8')).toMatch(/\r\n$/);
    const bad = await runCli(['report', 'monthly', '--month', '2026-3', '--out', out], env, 60_000);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--month: must be a month written YYYY-MM');
  }, 120_000);
});
