/**
 * Operator data files from disk to storage: validated with the DIRBS battery, stored once, refused
 * whole when a check fails, compared with the operator's own history.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeviceKey, fullImei } from '../identifiers/index.ts';
import { parseAnalyticsConfig } from './config.ts';
import { DuckDbEngine } from './engines/duckdb.ts';
import { importOperatorFile, UnknownOperatorError } from './operator-import.ts';

const CONFIG = parseAnalyticsConfig(`
region:
  country_codes: ['254']
  operators:
    - id: alpha
      mcc_mnc_pairs: [{mcc: '639', mnc: '02'}]
`);

/** A month of `devices` phones, each seen on a few days with its own SIM, in the DIRBS format. */
function monthFile(dir: string, month: string, devices: number, extraRows: string[] = []): string {
  const [y, m] = month.split('-');
  const last = new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate();
  const lines = ['date,imei,imsi,msisdn,rat'];
  for (let i = 0; i < devices; i++) {
    for (const day of [1, 8, 15, 22]) {
      lines.push(
        `${y}${m}${String(day).padStart(2, '0')},${fullImei(`352099${String(i).padStart(8, '0')}` as DeviceKey)},63902${String(i).padStart(10, '0')},2547${String(i).padStart(8, '0')},006`,
      );
    }
  }
  lines.push(...extraRows);
  const file = path.join(dir, `alpha_${y}${m}01_${y}${m}${last}.csv`);
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

describe('operator data import', () => {
  let dir: string;
  let engine: DuckDbEngine;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-opimport-'));
    engine = await DuckDbEngine.open(path.join(dir, 'analytics'));
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (file: string, extra: Partial<Parameters<typeof importOperatorFile>[0]> = {}) =>
    importOperatorFile({
      operatorId: 'Alpha',
      file,
      config: CONFIG,
      engine,
      registry: null,
      today: '2026-03-31',
      ...extra,
    });

  it('stores a valid file once; the same file again changes nothing', async () => {
    const file = monthFile(dir, '2026-01', 300);
    const first = await run(file);
    expect(first).toMatchObject({
      outcome: 'imported',
      record: { operator: 'alpha', rows: 1200, startDate: '2026-01-01' },
    });
    const before = await engine.snapshot();
    expect(before.imeis).toHaveLength(300);
    const again = await run(file);
    expect(again.outcome).toBe('already-imported');
    expect(await engine.snapshot()).toEqual(before);
  });

  it('refuses a file whose rows fall outside its dates, and stores nothing of it', async () => {
    const before = await engine.snapshot();
    const file = monthFile(dir, '2026-02', 300, [
      '20260305,352099000000009,639020000000009,254700000009,006',
    ]);
    const result = await run(file);
    expect(result.outcome).toBe('refused');
    if (result.outcome !== 'refused') return;
    const daterange = result.report.checks.find((c) => c.check === 'daterange');
    expect(daterange).toMatchObject({ passed: false });
    expect(daterange!.message).toMatch(/1 records are outside the date range/);
    expect(await engine.snapshot()).toEqual(before);
  });

  it('compares a file with the operator’s history: a month with a tenth of the phones fails the historic check', async () => {
    const thin = monthFile(dir, '2026-02', 30);
    const result = await run(thin);
    expect(result.outcome).toBe('refused');
    if (result.outcome !== 'refused') return;
    const historic = result.report.checks.find((c) => c.check === 'historic_imei');
    expect(historic).toMatchObject({ passed: false });
    // The switch lets a regulator take it anyway (e.g. a known outage).
    const forced = await run(thin, { disabled: ['historic'] });
    expect(forced.outcome).toBe('imported');
  });

  it('names an operator that is not configured', async () => {
    await expect(
      importOperatorFile({
        operatorId: 'gamma',
        file: 'gamma_20260101_20260131.csv',
        config: CONFIG,
        engine,
        registry: null,
      }),
    ).rejects.toThrow(UnknownOperatorError);
  });
});
