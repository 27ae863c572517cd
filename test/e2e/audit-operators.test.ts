/**
 * `openceir audit operators` against a real operator EIR that is left behind: an OpenCEIR check
 * node (its own process) follows the registry, is stopped, misses blocks, a track and an unblock
 * made at the registry, and comes back answering from its saved index with its registry out of
 * reach. The audit samples it over N5g-eir (h2c) and reports exactly the devices it answers wrongly;
 * from an operator file imported into the analytics engine (DuckDB) it reports the blocked devices
 * seen after their block date, by age. Exit status 1.
 */
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../src/exchange/operators/audit.ts';
import { type DeviceKey, fullImei } from '../../src/identifiers/index.ts';
import { runCli, TestSystems } from '../support/process.ts';

const ADMIN_KEY = 'audit-admin-key-0123456789';
const NODE_KEY = 'audit-node-key-0123456789';
const key = (n: number) => `3520990${String(n).padStart(7, '0')}`;

const systems = new TestSystems({ prefix: 'openceir-audit-' });
afterAll(() => systems.close());

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Operator beta's webhook receiver: keeps the positions of batches whose HMAC verifies. */
async function webhookReceiver(secret: () => string) {
  const positions: number[] = [];
  let refused = 0;
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const timestamp = String(request.headers['x-openceir-timestamp']);
      const expected = `sha256=${createHmac('sha256', secret()).update(`${timestamp}.${body}`).digest('hex')}`;
      if (request.headers['x-openceir-signature'] !== expected) {
        refused++;
        response.writeHead(401).end();
        return;
      }
      for (const change of (JSON.parse(body) as { changes: { position: number }[] }).changes)
        if (!positions.includes(change.position)) positions.push(change.position);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`,
    positions,
    refused: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const day = (offset: number, from: Date) =>
  new Date(from.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

describe('compliance audit of an operator EIR left behind', () => {
  it('reports the devices the EIR answers wrongly and the blocked devices seen in network data', {
    timeout: 240_000,
  }, async () => {
    const dir = systems.dir();
    const analyticsConfig = path.join(dir, 'analytics.yaml');
    writeFileSync(
      analyticsConfig,
      "region:\n  country_codes: ['254']\n  operators:\n    - id: alpha\n      mcc_mnc_pairs: [{mcc: '639', mnc: '02'}]\n",
    );
    const registryEnv = {
      OPENCEIR_HTTP_PORT: String(await freePort()),
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DATA_DIR: path.join(dir, 'registry'),
      OPENCEIR_ADMIN_API_KEY: ADMIN_KEY,
      OPENCEIR_DEMO: '0',
      OPENCEIR_ANALYTICS_CONFIG_FILE: analyticsConfig,
      DATABASE_URL: '',
    };
    const registry = await systems.start(registryEnv);
    const cli = (args: string[]) => runCli(args, registryEnv, 60_000);
    // Operator beta takes its changes by webhook from the running registry's worker.
    let secret = '';
    const receiver = await webhookReceiver(() => secret);
    const hook = await cli(['exchange', 'webhook', 'set', 'beta', receiver.url]);
    expect(hook.stderr).toBe('');
    secret = /^secret: (whsec_\S+)$/m.exec(hook.stdout)![1]!;
    const change = async (imei: string, action: string, reason?: string) => {
      const response = await fetch(`${registry.url}/api/v1/devices/${imei}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'police', ...(reason ? { reason } : {}) }),
      });
      expect(response.status).toBe(200);
    };
    const imei = (n: number) => fullImei(key(n) as DeviceKey);

    // Before the node's snapshot: B1 and B2 blocked, T1 tracked.
    await change(imei(1), 'block', 'stolen');
    await change(imei(2), 'block', 'stolen');
    await change(imei(11), 'track', 'investigation');

    const nodeEnv = {
      OPENCEIR_ROLE: 'check-node',
      OPENCEIR_FOLLOW: registry.url,
      OPENCEIR_FOLLOW_API_KEY: ADMIN_KEY,
      OPENCEIR_ADMIN_API_KEY: NODE_KEY,
      OPENCEIR_NODE_NAME: 'alpha-eir',
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SBI_PORT: String(await freePort()),
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_DATA_DIR: path.join(dir, 'node'),
    };
    let node = await systems.start(nodeEnv);
    const head = (await (await fetch(`${registry.url}/ledger/v1/head`)).json()) as { treeSize: number };
    await until('the node holds the registry’s lists', async () => {
      const ready = (await (await fetch(`${node.url}/readyz`)).json()) as { checks: { checkIndex: string } };
      return ready.checks.checkIndex.startsWith(`position ${head.treeSize} `);
    });
    await systems.stop(node);

    // The node misses these: B3 and B4 blocked, T2 tracked, B1 unblocked.
    await change(imei(3), 'block', 'stolen');
    await change(imei(4), 'block', 'stolen');
    await change(imei(12), 'track', 'investigation');
    await change(imei(1), 'unblock');
    // Back, following a registry it cannot reach: it answers from its saved index (fail-static).
    node = await systems.start({ ...nodeEnv, OPENCEIR_FOLLOW: `http://127.0.0.1:${await freePort()}` });
    const sbiUrl = `http://127.0.0.1:${nodeEnv.OPENCEIR_SBI_PORT}`;
    expect(node.output()).toContain(sbiUrl);

    const set = await cli(['exchange', 'eir', 'set', 'alpha', sbiUrl]);
    expect(set.stderr).toBe('');
    expect(set.stdout).toBe(`EIR of alpha: ${sbiUrl}\n`);

    // Alpha's network data: B2 seen 3 days after its block, B3 40 days after, B4 on its block day.
    const today = new Date();
    const file = path.join(
      dir,
      `alpha_${day(0, today).replaceAll('-', '')}_${day(45, today).replaceAll('-', '')}.csv`,
    );
    const row = (n: number, offset: number) =>
      `${day(offset, today).replaceAll('-', '')},${imei(n)},63902${String(n).padStart(10, '0')},2547${String(n).padStart(8, '0')},006`;
    const rows = ['date,imei,imsi,msisdn,rat', row(2, 3), row(3, 40), row(4, 0)];
    for (let i = 100; i < 140; i++) rows.push(row(i, 1));
    writeFileSync(file, `${rows.join('\r\n')}\r\n`);
    const imported = await cli([
      'analytics',
      'import',
      'operator',
      'alpha',
      file,
      '--disable-daterange-check',
      '--disable-historic-check',
    ]);
    expect(imported.stdout).toContain('imported 43 rows for alpha');

    const size = ((await (await fetch(`${registry.url}/ledger/v1/head`)).json()) as { treeSize: number })
      .treeSize;
    await until('beta’s webhook has every change', async () => receiver.positions.length === size);
    const json = await cli(['audit', 'operators', '--sample', '10', '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as AuditReport;
    const alpha = report.operators.find((o) => o.operator === 'alpha')!;
    const wrong = alpha.checks.wrong.map((w) => [w.deviceKey, w.list, w.expected, w.answered]);
    expect(wrong.sort()).toEqual(
      [
        [key(1), 'other', 'allowed', 'blocked'],
        [key(3), 'blocked', 'blocked', 'allowed'],
        [key(4), 'blocked', 'blocked', 'allowed'],
        [key(12), 'tracked', 'tracked', 'allowed'],
      ].sort(),
    );
    // Right: B2, T1 and every network device the ledger does not know is not sampled.
    expect(alpha.checks.correct).toBe(2);
    expect(alpha.checks.sampled).toEqual({ blocked: 3, tracked: 2, other: 1 });
    expect(alpha.network.seenAfterBlock).toBe(2);
    expect(alpha.network.byAge).toMatchObject({ '3-5': 1, '31-90': 1, '1-2': 0, '90+': 0 });
    expect(alpha.network.examples.map((e) => [e.deviceKey, e.days]).sort()).toEqual(
      [
        [key(2), 3],
        [key(3), 40],
      ].sort(),
    );
    expect(alpha.freshness).toMatchObject({
      acknowledgedPosition: 0,
      entriesBehind: report.head,
      violation: false,
    });
    expect(alpha.violations).toBe(6);
    expect(report.violations).toBe(6);
    // Beta got every change by webhook, in order, with a valid signature: acknowledged, no violation.
    expect(receiver.positions).toEqual(Array.from({ length: report.head }, (_, i) => i));
    expect(receiver.refused()).toBe(0);
    const beta = report.operators.find((o) => o.operator === 'beta')!;
    expect(beta.freshness).toMatchObject({
      acknowledgedPosition: report.head,
      entriesBehind: 0,
      violation: false,
    });
    expect(beta.checks.skipped).toMatch(/no EIR endpoint configured/);
    expect(beta.violations).toBe(0);
    const status = await cli(['exchange', 'operators', '--json']);
    expect(JSON.parse(status.stdout).operators).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          operator: 'beta',
          acknowledgedPosition: report.head,
          webhookUrl: receiver.url,
          lastError: null,
        }),
        expect.objectContaining({ operator: 'alpha', acknowledgedPosition: 0, entriesBehind: report.head }),
      ]),
    );
    await receiver.close();

    const text = await cli(['audit', 'operators', '--sample', '10']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^alpha\s+0\s+\d+\s+[\d.]+\s+6\s+4\s+2\s+VIOLATIONS 6$/m);
    expect(text.stdout).toContain(`${key(3)} (blocked): expected blocked, EIR answered allowed`);
    expect(text.stdout).toContain(
      'seen after block, by days: 1-2: 0, 3-5: 1, 6-10: 0, 11-20: 0, 21-30: 0, 31-90: 1, 90+: 0',
    );
    expect(text.stdout).toContain('6 violations found');

    const refused = await cli(['audit', 'operators', '--sample', 'many']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--sample: a whole number from 0 to 1000');
    await systems.stop(node);
    await systems.stop(registry);
  });
});
