/**
 * The soak script (scripts/soak.ts) for one minute, against real PostgreSQL: a registry and a check node
 * as `openceir start` processes, N5g-eir, S13, REST checks, cases and list imports together; it must
 * print its table, totals and memory trend, verify the ledger and exit 0 with no errors. A bad option is
 * refused naming it. The 30-minute run is `npx tsx scripts/soak.ts --minutes 30` (docs/security.md).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../support/stores.ts';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/soak.ts');

function soak(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
      env: { ...process.env, OPENCEIR_SMS_SIMULATOR_PORT: '0' },
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the soak did not finish in ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('scripts/soak.ts', () => {
  it('refuses a bad option, naming it and the rule', async () => {
    const { code, output } = await soak(['--minutes', '0'], 30_000);
    expect(code).toBe(2);
    expect(output).toContain('--minutes: must be a number from 0.5 to 1440 (got 0)');
  });

  it('runs a registry and a check node under every kind of load for a minute, with no errors', {
    timeout: 150_000,
  }, async () => {
    // The machine running the suite is shared: the check path may refuse a few per cent of checks in a
    // busy minute (admission control, counted apart); verdicts, codes and the ledger must be right.
    const { code, output } = await soak(
      [
        ...['--minutes', '1', '--sample', '15', '--import-every', '10', '--max-refused', '20'],
        ...['--database-url', TEST_DATABASE_URL],
      ],
      140_000,
    );
    expect(output, output).toContain('no errors');
    expect(code, output).toBe(0);
    // Every kind ran, checked verdicts, and the table, the trend and the ledger check were printed.
    for (const kind of ['sbi', 's13', 'rest', 'case', 'import']) {
      const total = new RegExp(`^  ${kind} +(\\d+) requests +0 errors`, 'm').exec(output);
      expect(total, `${kind} totals\n${output}`).not.toBeNull();
      expect(Number(total![1]), kind).toBeGreaterThan(0);
    }
    expect(output).toMatch(/registry rss: too short for a trend/);
    expect(output).toMatch(/ledger verified: \d+ entries/);
    expect(output).toMatch(/^ +1\.0 +sbi \d+\/0/m);
  });
});
