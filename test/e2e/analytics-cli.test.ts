/**
 * `openceir analytics import operator` as a regulator runs it: a DIRBS operator file on the embedded
 * engines (PGlite registry, DuckDB analytics), imported once, refused with the failing check named,
 * the same file again changing nothing; `openceir analytics imports` lists what is in.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DeviceKey, fullImei } from '../../src/identifiers/index.ts';
import { runCli } from '../support/process.ts';

describe('analytics CLI [pglite + duckdb]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-analytics-cli-'));
  const analyticsConfig = path.join(dir, 'analytics.yaml');
  writeFileSync(
    analyticsConfig,
    "region:\n  country_codes: ['254']\n  operators:\n    - id: alpha\n      mcc_mnc_pairs: [{mcc: '639', mnc: '02'}]\n",
  );
  const env = {
    OPENCEIR_DATA_DIR: path.join(dir, 'data'),
    OPENCEIR_DEMO: '0',
    OPENCEIR_ANALYTICS_CONFIG_FILE: analyticsConfig,
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = path.join(dir, 'alpha_20260101_20260131.csv');
  const lines = ['date,imei,imsi,msisdn,rat'];
  for (let i = 0; i < 200; i++)
    lines.push(
      `20260110,${fullImei(`352099${String(i).padStart(8, '0')}` as DeviceKey)},63902${String(i).padStart(10, '0')},2547${String(i).padStart(8, '0')},006|002`,
    );
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);

  it('imports a file once, and says so the second time', async () => {
    const first = await runCli(['analytics', 'import', 'operator', 'alpha', file], env, 60_000);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe(`${file}: imported 200 rows for alpha, 2026-01-01 to 2026-01-31\n`);
    const again = await runCli(['analytics', 'import', 'operator', 'ALPHA', file], env, 60_000);
    expect(again.stdout).toBe(`${file}: already imported (200 rows), nothing changed\n`);
    const list = await runCli(['analytics', 'imports', '--json'], env, 60_000);
    expect(JSON.parse(list.stdout)).toMatchObject([
      { operator: 'alpha', rows: 200, startDate: '2026-01-01' },
    ]);
  });

  it('refuses a file that fails a check, naming it, and imports it with the check switched off', async () => {
    const roaming = path.join(dir, 'alpha_20260201_20260228.csv');
    const rows = ['date,imei,imsi,msisdn,rat'];
    for (let i = 0; i < 50; i++)
      rows.push(
        `20260210,${fullImei(`352099${String(i).padStart(8, '0')}` as DeviceKey)},23410${String(i).padStart(10, '0')},2547${String(i).padStart(8, '0')},006`,
      );
    writeFileSync(roaming, `${rows.join('\r\n')}\r\n`);
    const refused = await runCli(
      ['analytics', 'import', 'operator', 'alpha', roaming, '--disable-historic-check'],
      env,
      60_000,
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('refused, nothing imported');
    expect(refused.stdout).toMatch(/out_of_region_imsi: Failed/);
    const taken = await runCli(
      [
        'analytics',
        'import',
        'operator',
        'alpha',
        roaming,
        '--disable-historic-check',
        '--disable-region-check',
        '--disable-home-check',
      ],
      env,
      60_000,
    );
    expect(taken.stdout).toContain('imported 50 rows');
  });

  it('names an unknown operator and a bad analytics configuration', async () => {
    const unknown = await runCli(['analytics', 'import', 'operator', 'gamma', file], env, 60_000);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('operator "gamma" is not configured (region.operators: alpha)');
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'conditions:\n  - label: x\n    reason: r\n    dimensions: [{module: nope}]\n');
    const refused = await runCli(['analytics', 'imports', '--analytics-config', bad], env, 60_000);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('conditions[0].dimensions[0]: module: unknown dimension nope');
  });
});
