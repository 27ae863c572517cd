/** The `openceir` identifier commands, run as a user runs them. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/process.ts';

describe('openceir identify', () => {
  it('imeisv-4370816125816151 --json gives device key and SVN (acceptance)', async () => {
    const result = await runCli(['identify', 'imeisv-4370816125816151', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      type: 'imeisv',
      valid: true,
      normalized: '4370816125816151',
      errors: [],
      deviceKey: '43708161258161',
      tac: '43708161',
      rbi: '43',
      svn: '51',
      checkDigit: null,
      expectedCheckDigit: '4',
    });
  });

  it('an invalid IMEI exits 1 and names the expected check digit', async () => {
    const result = await runCli(['identify', '490154203237517', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: false,
      expectedCheckDigit: '8',
      errors: [{ code: 'IMEI_CHECK_DIGIT' }],
    });
    const human = await runCli(['identify', '490154203237517']);
    expect(human.stdout).toMatch(/INVALID[\s\S]*expected\s+8/);
  });

  it('--type and --source change the reading', async () => {
    const forced = await runCli(['identify', '35209900', '--type', 'esn', '--json']);
    expect(JSON.parse(forced.stdout)).toMatchObject({ type: 'esn', valid: true });
    const network = await runCli(['identify', '490154203237517', '--source', 'network', '--json']);
    expect(network.code).toBe(0);
    const badType = await runCli(['identify', '1', '--type', 'passport']);
    expect(badType.code).not.toBe(0);
    expect(badType.stderr).toContain('one of imei');
  });
});

describe('openceir identifiers and config', () => {
  it('prints the catalogue, as text and JSON', async () => {
    const text = await runCli(['identifiers']);
    expect(text.stdout).toContain('International Mobile Equipment Identity');
    const json = JSON.parse((await runCli(['identifiers', '--json'])).stdout) as { identifiers: unknown[] };
    expect(json.identifiers.length).toBeGreaterThanOrEqual(12);
  });

  it('lists settings and checks the configuration without printing secrets', async () => {
    expect((await runCli(['config'])).stdout).toContain('OPENCEIR_HTTP_PORT');
    const checked = await runCli(['config', '--check'], { DATABASE_URL: 'postgres://u:secret@127.0.0.1/x' });
    expect(checked.code).toBe(0);
    expect(checked.stdout).not.toContain('secret');
    expect(JSON.parse(checked.stdout)).toMatchObject({ databaseUrl: '(set)' });
  });
});
