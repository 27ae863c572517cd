/**
 * A registry and a separately started check node, as two `openceir start` processes: a device blocked
 * through the registry's admin API is refused by the check node over N5g-eir and S13 shortly after;
 * with the registry stopped, the node answers every check from its last index (fail-static) and says
 * so; restarted, it answers from its saved index; its sightings reach the registry.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { S13Client } from '../../src/protocols/diameter/client.ts';
import { runCli, type Started, startSystemProcess } from '../support/process.ts';

const ADMIN_KEY = 'registry-admin-key-0123456789';
const NODE_KEY = 'node-admin-key-0123456789';
const DEVICE = '356938035643809';
const DEVICE_KEY = '35693803564380';
const LATER = '353918057000016';

const dirs: string[] = [];
const running: Started[] = [];
function dataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-node-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const system of running) await system.stop('SIGKILL').catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A port free now, for a registry that must come back on the same address. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(env: NodeJS.ProcessEnv): Promise<Started> {
  const system = await startSystemProcess(env);
  running.push(system);
  return system;
}

async function stop(system: Started): Promise<void> {
  expect((await system.stop('SIGTERM')).code).toBe(0);
  running.splice(running.indexOf(system), 1);
}

/** The N5g-eir answer of a check node for a PEI: the HTTP status and the equipment status. */
async function sbiCheck(
  session: http2.ClientHttp2Session,
  pei: string,
): Promise<{ code: number; status: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': `/n5g-eir-eic/v1/equipment-status?pei=${pei}` });
    let body = '';
    let code = 0;
    stream.on('response', (headers) => {
      code = Number(headers[':status']);
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      body += chunk;
    });
    stream.on('end', () => resolve({ code, status: code === 200 ? JSON.parse(body).status : body }));
    stream.on('error', reject);
    stream.end();
  });
}

const sbiUrlOf = (system: Started) => /N5g-eir \(5G\)\s+(http:\/\/\S+?)\/n5g-eir/.exec(system.output())![1]!;
const s13PortOf = (system: Started) => Number(/S13 \(4G\)\s+TCP \S+:(\d+)/.exec(system.output())![1]);

async function until<T>(what: string, fn: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    const value = await fn().catch((error: unknown) => {
      last = error;
      return null;
    });
    if (value !== null) return value;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${timeoutMs} ms (last error: ${String(last)})\n${running
          .map((r) => r.output())
          .join('\n---\n')
          .slice(-4000)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a check node following a registry', () => {
  it('propagates blocks, answers while the registry is down, restarts from its saved index, ships sightings', {
    timeout: 180_000,
  }, async () => {
    const registryPort = await freePort();
    const registryEnv = {
      OPENCEIR_HTTP_PORT: String(registryPort),
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DATA_DIR: dataDir(),
      OPENCEIR_ADMIN_API_KEY: ADMIN_KEY,
      DATABASE_URL: '',
    };
    // The node follows with a key of the follower role (docs/checks.md), made with the CLI: it can read
    // the ledger and send sightings, and nothing else.
    const org = await runCli(
      ['org', 'add', 'regulator', '--kind', 'regulator', '--name', 'The regulator'],
      registryEnv,
    );
    expect(org.stderr).toBe('');
    const created = await runCli(
      ['apikey', 'create', '--org', 'regulator', '--role', 'follower', '--label', 'check node a'],
      registryEnv,
    );
    expect(created.stderr).toBe('');
    const followKey = created.stdout.trim();
    expect(followKey).toMatch(/^ok_/);
    let registry = await start(registryEnv);
    const blockWithFollowKey = await fetch(`${registry.url}/api/v1/devices/${DEVICE}/block`, {
      method: 'POST',
      headers: { authorization: `Bearer ${followKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'stolen' }),
    });
    expect(blockWithFollowKey.status, 'a follower key writes nothing').toBe(403);
    const admin = (p: string, json: unknown) =>
      fetch(`${registry.url}${p}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });

    const nodeEnv = {
      OPENCEIR_ROLE: 'check-node',
      OPENCEIR_FOLLOW: registry.url,
      OPENCEIR_FOLLOW_API_KEY: followKey,
      OPENCEIR_ADMIN_API_KEY: NODE_KEY,
      OPENCEIR_NODE_NAME: 'node-a',
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DATA_DIR: dataDir(),
    };
    let node = await start(nodeEnv);
    expect(node.output()).toContain(`following ${registry.url}`);
    let session = http2.connect(sbiUrlOf(node));
    try {
      // The node starts from the registry's snapshot: the demo country's lists are there.
      const head = (await (await fetch(`${registry.url}/ledger/v1/head`)).json()) as { treeSize: number };
      const ready = (await (await fetch(`${node.url}/readyz`)).json()) as Record<string, any>;
      expect(ready.checks.checkIndex).toContain(`position ${head.treeSize}`);
      expect(await sbiCheck(session, `imei-${DEVICE}`)).toEqual({ code: 200, status: 'WHITELISTED' });

      // Blocked at the registry: refused by the node within the propagation goal.
      const blockedAt = performance.now();
      expect(
        (await admin(`/api/v1/devices/${DEVICE}/block`, { reason: 'stolen', source: 'police' })).status,
      ).toBe(200);
      await until('the block reaches the check node', async () =>
        (await sbiCheck(session, `imeisv-${DEVICE_KEY}01`)).status === 'BLACKLISTED' ? true : null,
      );
      const propagation = performance.now() - blockedAt;
      console.log(`block → verdict changed on the check node in ${Math.round(propagation)} ms`);

      const { client } = await S13Client.connect({
        host: '127.0.0.1',
        port: s13PortOf(node),
        originHost: 'mme1.epc.mnc001.mcc001.3gppnetwork.org',
        originRealm: 'epc.mnc001.mcc001.3gppnetwork.org',
        destinationRealm: 'openceir.localdomain',
      });
      expect(await client.ecr(DEVICE_KEY, '01', '001010123456789')).toMatchObject({
        resultCode: 2001,
        equipmentStatus: 1,
      });
      await client.disconnect();

      // The node's sightings reach the registry.
      const sightings = await until('sightings reach the registry', async () => {
        const response = await fetch(`${registry.url}/api/v1/devices/${DEVICE}/sightings`, {
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        });
        const body = (await response.json()) as { sightings: Record<string, any>[] };
        return body.sightings.length >= 2 ? body.sightings : null;
      });
      expect(sightings.every((s) => s.node === 'node-a' && s.status === 'blocked')).toBe(true);
      expect(new Set(sightings.map((s) => s.protocol))).toEqual(new Set(['n5g-eir', 's13']));
      expect(sightings.find((s) => s.protocol === 's13')).toMatchObject({
        imsi: '001010123456789',
        svn: '01',
      });

      // The registry stops: not one check fails, and the node says it answers from its last index.
      await stop(registry);
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          sbiCheck(session, i % 2 === 0 ? `imei-${DEVICE}` : `imei-${LATER}`),
        ),
      );
      expect(answers.filter((a) => a.code !== 200)).toEqual([]);
      expect(answers.filter((a, i) => a.status !== (i % 2 === 0 ? 'BLACKLISTED' : 'WHITELISTED'))).toEqual(
        [],
      );
      const failStatic = await until('the node reports fail-static', async () => {
        const body = (await (await fetch(`${node.url}/readyz`)).json()) as Record<string, any>;
        return String(body.checks.registry).includes('fail-static') ? body : null;
      });
      expect(failStatic.status).toBe('ready');
      const metrics = await (await fetch(`${node.url}/metrics`)).text();
      expect(metrics).toMatch(/^openceir_check_index_stale 1$/m);

      // Restarted while the registry is down, the node answers from its saved index.
      session.close();
      await stop(node);
      node = await start(nodeEnv);
      session = http2.connect(sbiUrlOf(node));
      expect(await sbiCheck(session, `imei-${DEVICE}`)).toEqual({ code: 200, status: 'BLACKLISTED' });

      // The registry comes back on its address: the node follows again.
      registry = await start(registryEnv);
      expect(
        (await admin(`/api/v1/devices/${LATER}/block`, { reason: 'lost', source: 'owner' })).status,
      ).toBe(200);
      await until('a block after the outage reaches the node', async () =>
        (await sbiCheck(session, `imei-${LATER}`)).status === 'BLACKLISTED' ? true : null,
      );
      await until('the node reports the registry reachable', async () => {
        const body = (await (await fetch(`${node.url}/readyz`)).json()) as Record<string, any>;
        return body.checks.registry === 'ok' ? true : null;
      });
    } finally {
      session.close();
    }
    await stop(node);
    await stop(registry);
  });
});
