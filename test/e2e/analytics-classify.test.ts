/**
 * `openceir analytics classify` and `openceir analytics matches` on the embedded engines (PGlite
 * registry, DuckDB analytics): a clone in an operator file is classified, blocked in the ledger on its
 * block date, and listed with its evidence; an unknown condition is refused before anything runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/process.ts';

describe('analytics classify CLI [pglite + duckdb]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-classify-cli-'));
  const analyticsConfig = path.join(dir, 'analytics.yaml');
  writeFileSync(
    analyticsConfig,
    [
      'region:',
      "  country_codes: ['254']",
      '  operators:',
      "    - id: alpha\n      mcc_mnc_pairs: [{mcc: '639', mnc: '02'}]",
      'conditions:',
      '  - label: dup',
      '    dimensions: [{module: duplicate_threshold, parameters: {threshold: 3, period_days: 30}}]',
      '    grace_period_days: 0',
      '    blocking: true',
      '    reason: Duplicate IMEI',
      '    max_allowed_matching_ratio: 0.5',
      '',
    ].join('\n'),
  );
  const env = {
    OPENCEIR_DATA_DIR: path.join(dir, 'data'),
    OPENCEIR_DEMO: '0',
    OPENCEIR_ANALYTICS_CONFIG_FILE: analyticsConfig,
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = path.join(dir, 'alpha_20260101_20260131.csv');
  const lines = ['date,imei,imsi,msisdn,rat'];
  for (let i = 0; i < 20; i++) {
    // Device 0 is a clone: seen with four subscribers; the others with one.
    const device = i < 4 ? 0 : i;
    lines.push(
      `202601${String(10 + (i % 10)).padStart(2, '0')},352099${String(device).padStart(8, '0')},63902${String(i).padStart(10, '0')},2547${String(i).padStart(8, '0')},006`,
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);

  it('classifies, blocks in the ledger and lists the match with its evidence', async () => {
    const imported = await runCli(
      ['analytics', 'import', 'operator', 'alpha', file, '--disable-historic-check'],
      env,
      60_000,
    );
    expect(imported.stdout).toMatch(/imported 20 rows/);
    const run = await runCli(['analytics', 'classify', '--curr-date', '20260131', '--json'], env, 60_000);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      currDate: '2026-01-31',
      analysisEnd: '2026-01-31',
      status: 'success',
      networkImeis: 17,
      conditions: [{ condition: 'dup', matched: 1, new: 1, blocked: 1, refused: null }],
    });
    const matches = await runCli(['analytics', 'matches', '--condition', 'dup', '--json'], env, 60_000);
    expect(JSON.parse(matches.stdout)).toMatchObject([
      {
        imeiNorm: '35209900000000',
        startDate: '2026-01-31',
        blockDate: '2026-01-31',
        evidence: expect.stringMatching(/^duplicate_threshold: /),
      },
    ]);
    const again = await runCli(['analytics', 'classify', '--curr-date', '20260131'], env, 60_000);
    expect(again.stdout).toMatch(/ {2}dup: 1 matched, 0 new, 0 ended, 0 blocked, 0 unblocked\n$/);

    // The DIRBS blacklist carries the clone, and the real-time check refuses it.
    const out = path.join(dir, 'lists');
    const lists = await runCli(
      ['analytics', 'listgen', out, '--curr-date', '20260131', '--json'],
      env,
      60_000,
    );
    expect(lists.stderr).toBe('');
    const { directory } = JSON.parse(lists.stdout) as { directory: string };
    expect(path.basename(directory)).toMatch(/^listgen__\d{8}_\d{6}__classid_\d+$/);
    expect(readFileSync(path.join(directory, '20260131_blacklist.csv'), 'utf8')).toBe(
      'imei,block_date,reasons\r\n35209900000000,20260131,Duplicate IMEI\r\n',
    );
    const status = await runCli(['device', 'status', '352099000000000', '--json'], env, 60_000);
    expect(JSON.parse(status.stdout)).toMatchObject({ verdict: { status: 'blocked' } });
  }, 180_000);

  it('refuses an unknown condition', async () => {
    const result = await runCli(['analytics', 'classify', '--conditions', 'nope'], env, 60_000);
    expect(result.stderr).toMatch(/conditions: unknown nope \(configured: dup\)/);
    expect(result.code).toBe(1);
  }, 60_000);
});
