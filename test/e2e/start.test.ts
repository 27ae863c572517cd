/**
 * The quick start, as an operator runs it: `openceir start` on PGlite and on PostgreSQL serves
 * /healthz, answers like the CLI, and stops cleanly on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startSystemProcess } from '../support/process.ts';
import { createTestDatabase } from '../support/stores.ts';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-e2e-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('openceir start on PGlite (the embedded default)', () => {
  it('serves health, readiness, the catalogue and identify; stops on SIGTERM; restarts on the same data', {
    timeout: 180_000,
  }, async () => {
    const dir = dataDir();
    const env = {
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DATA_DIR: dir,
      DATABASE_URL: '',
    };
    const system = await startSystemProcess(env);
    try {
      expect(system.output()).toContain('storage: pglite');
      // The quick start shows a living country: demo devices, TACs and rules, and examples to try.
      expect(system.output()).toMatch(/Demo data {7}loaded: \d{4} devices, \d{4} TACs/);
      expect(system.output()).toMatch(/blocked \(stolen\) +node bin\/openceir.js device status \d{15}/);
      // Cases in every state, staff consoles with demo users, and SMS through the built-in SMSC simulator.
      expect(system.output()).toMatch(
        /Demo cases .*\(submitted\).*\(blocked\).*\(tracked\).*\(recovered\).*\(closed\)/,
      );
      expect(system.output()).toContain('demo password: openceir-demo-password');
      // The banner links the open-data page and the regulator's statistics dashboard, and both answer.
      expect(system.output()).toContain(`Open data       ${system.url}/open-data\n`);
      expect(system.output()).toContain(`Statistics      ${system.url}/console/statistics `);
      expect((await fetch(`${system.url}/open-data`)).status).toBe(200);
      const statistics = await fetch(`${system.url}/console/statistics`, { redirect: 'manual' });
      expect(statistics.status).toBe(303); // to the console login
      const blocked = /blocked \(stolen\) +node bin\/openceir.js device status (\d{15})/.exec(
        system.output(),
      )![1];
      const sms = await fetch(`${system.url}/demo/phone`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: '+254712000099', text: `kym ${blocked}` }),
      });
      expect(((await sms.json()) as { answer: string }).answer).toMatch(/is BLOCKED/);
      const head = (await (await fetch(`${system.url}/ledger/v1/head`)).json()) as { treeSize: number };
      expect(head.treeSize).toBeGreaterThan(3000);
      const health = await fetch(`${system.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await (await fetch(`${system.url}/readyz`)).json()).toMatchObject({ status: 'ready' });
      const catalogue = (await (await fetch(`${system.url}/api/v1/identifiers`)).json()) as {
        identifiers: unknown[];
      };
      expect(catalogue.identifiers.length).toBeGreaterThanOrEqual(12);

      // The API and the CLI give the same answer.
      for (const value of [
        'imeisv-4370816125816151',
        '490154203237517',
        'AF0123450ABCDE',
        'imsi-001010000000001',
      ]) {
        const api = await (
          await fetch(`${system.url}/api/v1/identify?value=${encodeURIComponent(value)}`)
        ).json();
        const cli = await runCli(['identify', value, '--json']);
        expect(api).toEqual(JSON.parse(cli.stdout));
      }

      // A second system on the same data directory is refused with the reason.
      const second = await runCli(['start'], env);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/held by running process/);
    } finally {
      const stopped = await system.stop('SIGTERM');
      expect(stopped.code).toBe(0);
      expect(stopped.stdout).toContain('"msg":"stopped"');
    }
    const again = await startSystemProcess(env);
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    // Demo data is seeded into an empty database only.
    expect(again.output()).not.toContain('Demo data');
    expect((await again.stop('SIGINT')).code).toBe(0);
  });
});

describe('openceir start on PostgreSQL (DATABASE_URL)', () => {
  it('migrates a fresh database and serves /healthz', async () => {
    const database = await createTestDatabase();
    try {
      const system = await startSystemProcess({
        OPENCEIR_HTTP_PORT: '0',
        OPENCEIR_SBI_PORT: '0',
        OPENCEIR_DIAMETER_PORT: '0',
        OPENCEIR_SMS_SIMULATOR_PORT: '0',
        OPENCEIR_DATA_DIR: dataDir(),
        DATABASE_URL: database.url,
      });
      try {
        expect(system.output()).toContain('storage: postgres');
        expect((await fetch(`${system.url}/healthz`)).status).toBe(200);
        expect(await (await fetch(`${system.url}/readyz`)).json()).toMatchObject({
          status: 'ready',
          checks: { database: 'ok' },
        });
      } finally {
        expect((await system.stop()).code).toBe(0);
      }
    } finally {
      await database.drop();
    }
  });
});

describe('openceir start with a bad setting', () => {
  it('exits 2 naming the setting and the rule', async () => {
    const result = await runCli(['start'], { OPENCEIR_HTTP_PORT: 'eighty', OPENCEIR_DATA_DIR: dataDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'OPENCEIR_HTTP_PORT (setting http_port) must be a whole number from 0 to 65535; got "eighty"',
    );
  });
});
