/** The registry commands as an operator runs them: on the database directly, and through a running server. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startSystemProcess } from '../support/process.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-cli-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('openceir device / lists / ledger without a server (PGlite opened directly)', () => {
  it('imports, blocks, shows, exports and verifies', async () => {
    const dir = tempDir();
    const env = { OPENCEIR_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
    const list = path.join(dir, 'stolen.csv');
    writeFileSync(list, 'imei,reporting_date\n490154203237518,20261101\n352099001761481,20261102\nbogus,\n');

    const dry = await runCli(
      ['lists', 'import', 'stolen', list, '--dry-run', '--source', 'police'],
      env,
      60_000,
    );
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('line 4, imei:');
    expect(dry.stdout).toContain('2 to add');
    expect(dry.stdout).toContain('dry run: nothing committed');

    const imported = await runCli(
      ['lists', 'import', 'stolen', list, '--skip-bad-rows', '--source', 'police', '--json'],
      env,
      60_000,
    );
    expect(JSON.parse(imported.stdout)).toMatchObject({ committed: true, adds: 2, errorCount: 1 });

    const blocked = await runCli(
      [
        'device',
        'block',
        '35693803564380',
        '--reason',
        'lost',
        '--source',
        'owner',
        '--reference',
        'case:42',
      ],
      env,
      60_000,
    );
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toMatch(/^block 35693803564380 \(lost\) by owner: ledger entry 2/);

    const status = JSON.parse(
      (await runCli(['device', 'status', 'imei-490154203237518', '--json'], env, 60_000)).stdout,
    );
    expect(status).toMatchObject({
      deviceKey: '49015420323751',
      verdict: { status: 'blocked' },
      reasons: [{ reason: 'stolen', list: 'stolen' }],
    });

    const refused = await runCli(['device', 'block', '490154203237517', '--reason', 'stolen'], env, 60_000);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('path id: the 15th digit of an IMEI is its Luhn check digit');

    const exported = await runCli(['lists', 'export', 'blocked'], env, 60_000);
    expect(exported.stdout.split('\n')[0]).toBe('imei,block_date,reasons');
    expect(exported.stdout).toContain('35693803564380,');

    const verified = await runCli(['ledger', 'verify'], env, 60_000);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('ledger verified: 3 entries');
  });
});

describe('openceir device through the running server that holds the embedded database', () => {
  it('goes through the API with the admin key from the data directory', async () => {
    const dir = tempDir();
    const env = {
      OPENCEIR_DATA_DIR: path.join(dir, 'data'),
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DEMO: '0',
      DATABASE_URL: '',
    };
    const system = await startSystemProcess(env);
    try {
      const port = new URL(system.url).port;
      const cliEnv = { ...env, OPENCEIR_HTTP_PORT: port };
      const blocked = await runCli(
        ['device', 'track', '35209900176148', '--reason', 'monitoring', '--json'],
        cliEnv,
        60_000,
      );
      expect(blocked.code).toBe(0);
      expect(JSON.parse(blocked.stdout)).toMatchObject({
        entry: { seq: 0, action: 'track', actor: 'admin-api' },
      });
      const verified = await runCli(['ledger', 'verify', '--json'], cliEnv, 60_000);
      expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, entries: 1 });
      const refused = await runCli(
        ['device', 'block', '35209900176148', '--reason', 'bogus'],
        cliEnv,
        60_000,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('body reasons[0]: unknown reason "bogus"');
    } finally {
      expect((await system.stop()).code).toBe(0);
    }
  });
});
