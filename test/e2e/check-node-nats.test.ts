/**
 * The ledger push over a real NATS JetStream server (127.0.0.1:4222, scripts/test-deps.sh starts it):
 * a registry and a check node as two `openceir start` processes with nats.url set. Blocks reach the
 * node through pushed batches; a batch published again is stored once by JetStream (message id) and,
 * re-sent under another id, ignored by the node; a forged batch is refused and left to HTTP; with NATS
 * unreachable, the registry commits as usual and the node converges over HTTP.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { type PushMessage, streamOf, subjectOf } from '../../src/exchange/push/message.ts';
import { type Started, startSystemProcess } from '../support/process.ts';

const NATS = 'nats://127.0.0.1:4222';
const ADMIN_KEY = 'registry-admin-key-0123456789';
const DEVICES = [
  '356938035643809',
  '353918057000016',
  '490154203237518',
  '352099001761481',
  '358240051111110',
];

const dirs: string[] = [];
const running: Started[] = [];
afterAll(async () => {
  for (const system of running) await system.stop('SIGKILL').catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-nats-'));
  dirs.push(dir);
  return dir;
}

async function start(env: NodeJS.ProcessEnv): Promise<Started> {
  const system = await startSystemProcess({
    OPENCEIR_SBI_PORT: '0',
    OPENCEIR_DIAMETER_PORT: '0',
    OPENCEIR_SMS_SIMULATOR_PORT: '0',
    OPENCEIR_HTTP_PORT: '0',
    OPENCEIR_DATA_DIR: dataDir(),
    DATABASE_URL: '',
    ...env,
  });
  running.push(system);
  return system;
}

/** A loopback port with nothing listening. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, fn: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${timeoutMs} ms\n${running.map((r) => r.output().slice(-2000)).join('\n---\n')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const block = async (registry: Started, imei: string) => {
  const response = await fetch(`${registry.url}/api/v1/devices/${imei}/block`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'stolen', source: 'police' }),
  });
  expect(response.status).toBe(200);
};

const NODE_KEY = 'node-admin-key-0123456789';
const statusOn = async (node: Started, imei: string) =>
  (
    (await (
      await fetch(`${node.url}/api/v1/devices/${imei}/status`, {
        headers: { authorization: `Bearer ${NODE_KEY}` },
      })
    ).json()) as { status: string }
  ).status;

const ready = async (node: Started) =>
  ((await (await fetch(`${node.url}/readyz`)).json()) as { checks: Record<string, string> }).checks;

/** The node's push counters from its readiness answer. */
async function pushStats(node: Started): Promise<Record<string, number>> {
  const text = (await ready(node)).ledgerPush ?? '';
  const out: Record<string, number> = {};
  for (const [, name, n] of text.matchAll(/(received|applied|duplicates|HTTP) (\d+)/g))
    out[name!] = Number(n);
  return out;
}

describe('check node with the NATS JetStream ledger push', () => {
  it('propagates through pushed batches, ignores duplicates, refuses forgeries, survives without NATS', {
    timeout: 240_000,
  }, async () => {
    const registry = await start({
      OPENCEIR_ADMIN_API_KEY: ADMIN_KEY,
      OPENCEIR_DEMO: '0',
      OPENCEIR_NATS_URL: NATS,
    });
    const node = await start({
      OPENCEIR_ROLE: 'check-node',
      OPENCEIR_ADMIN_API_KEY: NODE_KEY,
      OPENCEIR_FOLLOW: registry.url,
      OPENCEIR_FOLLOW_API_KEY: ADMIN_KEY,
      OPENCEIR_NATS_URL: NATS,
    });
    // The stream appears with the first push; the node subscribes once it exists.
    await block(registry, DEVICES[0]!);
    await until('the node subscribes', async () =>
      (await ready(node)).ledgerPush?.startsWith('subscribed') ? true : null,
    );

    for (const imei of DEVICES.slice(1)) {
      const at = performance.now();
      await block(registry, imei);
      await until('the block reaches the node', async () =>
        (await statusOn(node, imei)) === 'blocked' ? true : null,
      );
      console.log(`block → check node (NATS + long poll) in ${Math.round(performance.now() - at)} ms`);
    }
    const after = await pushStats(node);
    expect(after.received).toBeGreaterThanOrEqual(DEVICES.length - 1);
    // Pushed batches were applied (the long poll may win a race now and then: those count as duplicates).
    expect(after.applied).toBeGreaterThanOrEqual(1);
    expect(after.applied! + after.duplicates!).toBe(after.received);

    // Duplicates: the same message id is stored once; the same batch under another id changes nothing.
    const head = (await (await fetch(`${registry.url}/ledger/v1/head`)).json()) as {
      keyId: string;
      treeSize: number;
    };
    const registryId = head.keyId.slice(0, 16);
    const nc = await connect({ servers: NATS });
    try {
      const jsm = await jetstreamManager(nc);
      const last = await jsm.streams.getMessage(streamOf(registryId), {
        last_by_subj: subjectOf(registryId),
      });
      const message = last!.json<PushMessage>();
      expect(message.head.treeSize).toBe(head.treeSize);
      const js = jetstream(nc);
      const again = await js.publish(subjectOf(registryId), last!.data, {
        msgID: `${registryId}:${head.treeSize - 1}`,
      });
      expect(again.duplicate).toBe(true);
      const before = await pushStats(node);
      await js.publish(subjectOf(registryId), last!.data, { msgID: `test-resend-${Date.now()}` });
      await until('the resent batch is seen as a duplicate', async () =>
        (await pushStats(node)).duplicates === before.duplicates! + 1 ? true : null,
      );
      expect((await ready(node)).checkIndex).toBe(`position ${head.treeSize} of ${head.treeSize}`);

      // A forged batch: a next entry that the registry never wrote, with its real head re-used.
      const forged: PushMessage = {
        ...message,
        start: head.treeSize,
        entries: [{ ...message.entries[0]!, seq: head.treeSize }],
        head: { ...message.head, treeSize: head.treeSize + 1 },
      };
      await js.publish(subjectOf(registryId), JSON.stringify(forged), { msgID: `test-forged-${Date.now()}` });
      await until('the forged batch is left to HTTP', async () =>
        (await pushStats(node)).HTTP === before.HTTP! + 1 ? true : null,
      );
      const checks = await ready(node);
      expect(checks.checkIndex).toBe(`position ${head.treeSize} of ${head.treeSize}`);
      expect(checks.registry).toBe('ok');
    } finally {
      await nc.close();
    }

    // NATS unreachable: a registry commits as usual, a node converges over HTTP.
    const nowhere = `nats://127.0.0.1:${await deadPort()}`;
    const lonely = await start({
      OPENCEIR_ADMIN_API_KEY: ADMIN_KEY,
      OPENCEIR_DEMO: '0',
      OPENCEIR_NATS_URL: nowhere,
    });
    const follower = await start({
      OPENCEIR_ROLE: 'check-node',
      OPENCEIR_ADMIN_API_KEY: NODE_KEY,
      OPENCEIR_FOLLOW: lonely.url,
      OPENCEIR_FOLLOW_API_KEY: ADMIN_KEY,
      OPENCEIR_NATS_URL: nowhere,
    });
    for (const imei of DEVICES.slice(0, 2)) {
      const at = performance.now();
      await block(lonely, imei);
      expect(performance.now() - at).toBeLessThan(5_000);
      await until('the block reaches the node over HTTP', async () =>
        (await statusOn(follower, imei)) === 'blocked' ? true : null,
      );
    }
    expect((await ready(follower)).ledgerPush).toMatch(/^not subscribed/);
    for (const system of [follower, lonely, node, registry]) {
      expect((await system.stop('SIGTERM')).code).toBe(0);
      running.splice(running.indexOf(system), 1);
    }
  });
});
