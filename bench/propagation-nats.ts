/**
 * Benchmark: propagation from a registry to check nodes, HTTP long poll against the NATS JetStream
 * push, side by side. One registry publishes to NATS (127.0.0.1:4222 by default); node L follows it
 * with the HTTP long poll only, node N with the long poll and the push. N times, a fresh device is
 * blocked through the registry's admin API and both nodes are asked its N5g-eir status every few
 * milliseconds, concurrently, until each says BLACKLISTED. Prints p50/p99/max from the commit (the
 * admin API answered) per node, and how many batches node N applied from the push.
 *
 *   npx tsx bench/propagation-nats.ts [--count 200] [--poll-ms 2] [--nats nats://127.0.0.1:4222]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Started, startSystemProcess } from '../test/support/process.ts';
import { machine, percentile } from './support/figures.ts';
import { imeiOf } from './support/synthetic.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    'poll-ms': { type: 'string', default: '2' },
    nats: { type: 'string', default: 'nats://127.0.0.1:4222' },
  },
});
const COUNT = Number(values.count);
const POLL_MS = Number(values['poll-ms']);
const ADMIN_KEY = 'bench-admin-key-0123456789';
const NODE_KEY = 'bench-node-key-0123456789';

const sbiUrlOf = (system: Started) => /N5g-eir \(5G\)\s+(http:\/\/\S+?)\/n5g-eir/.exec(system.output())![1]!;

function status(session: http2.ClientHttp2Session, pei: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': `/n5g-eir-eic/v1/equipment-status?pei=${pei}` });
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      body += chunk;
    });
    stream.on('end', () => resolve(JSON.parse(body).status as string));
    stream.on('error', reject);
    stream.end();
  });
}

/** ms from `from` until the node answers BLACKLISTED for the device (at most 10 s). */
async function seenAfter(session: http2.ClientHttp2Session, imei: string, from: number): Promise<number> {
  const deadline = from + 10_000;
  while ((await status(session, `imei-${imei}`)) !== 'BLACKLISTED') {
    if (performance.now() > deadline) throw new Error(`${imei} was not blocked on a node within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return performance.now() - from;
}

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'openceir-bench-'));
  dirs.push(d);
  return d;
};
const systems: Started[] = [];
const sessions: http2.ClientHttp2Session[] = [];
try {
  const common = {
    OPENCEIR_SBI_PORT: '0',
    OPENCEIR_DIAMETER_PORT: '0',
    OPENCEIR_SMS_SIMULATOR_PORT: '0',
    OPENCEIR_HTTP_PORT: '0',
    OPENCEIR_LOG_LEVEL: 'warn',
  };
  const registry = await startSystemProcess({
    ...common,
    OPENCEIR_DATA_DIR: dir(),
    OPENCEIR_ADMIN_API_KEY: ADMIN_KEY,
    OPENCEIR_DEMO: 'false',
    OPENCEIR_NATS_URL: values.nats,
    DATABASE_URL: '',
  });
  systems.push(registry);
  const nodeEnv = {
    ...common,
    OPENCEIR_ROLE: 'check-node',
    OPENCEIR_FOLLOW: registry.url,
    OPENCEIR_FOLLOW_API_KEY: ADMIN_KEY,
    OPENCEIR_ADMIN_API_KEY: NODE_KEY,
  };
  const [longPoll, pushed] = await Promise.all([
    startSystemProcess({ ...nodeEnv, OPENCEIR_DATA_DIR: dir() }),
    startSystemProcess({ ...nodeEnv, OPENCEIR_DATA_DIR: dir(), OPENCEIR_NATS_URL: values.nats }),
  ]);
  systems.push(longPoll, pushed);
  const l = http2.connect(sbiUrlOf(longPoll));
  const n = http2.connect(sbiUrlOf(pushed));
  sessions.push(l, n);

  const block = async (imei: string) => {
    const response = await fetch(`${registry.url}/api/v1/devices/${imei}/block`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'stolen', source: 'police' }),
    });
    if (response.status !== 200)
      throw new Error(`block ${imei}: ${response.status} ${await response.text()}`);
    return performance.now();
  };
  // The push stream appears with the first commit; wait until node N has subscribed to it.
  await block(imeiOf(35_300_000_000_000));
  const readyz = async () =>
    ((await (await fetch(`${pushed.url}/readyz`)).json()) as { checks: Record<string, string> }).checks
      .ledgerPush ?? '';
  for (let i = 0; i < 200 && !(await readyz()).startsWith('subscribed'); i++)
    await new Promise((resolve) => setTimeout(resolve, 50));

  const viaLongPoll: number[] = [];
  const viaPush: number[] = [];
  for (let i = 1; i <= COUNT; i++) {
    const imei = imeiOf(35_300_000_000_000 + i * 17);
    const committed = await block(imei);
    const [a, b] = await Promise.all([seenAfter(l, imei, committed), seenAfter(n, imei, committed)]);
    viaLongPoll.push(a);
    viaPush.push(b);
  }
  viaLongPoll.sort((a, b) => a - b);
  viaPush.sort((a, b) => a - b);

  console.log(machine());
  console.log(
    `${COUNT} blocks, both nodes polled every ${POLL_MS} ms; registry on PGlite; NATS ${values.nats}\n`,
  );
  console.log(`${''.padEnd(36)}${['p50', 'p99', 'max'].map((h) => h.padStart(11)).join('')}`);
  const line = (label: string, xs: number[]) =>
    console.log(
      `${label.padEnd(36)}${[50, 99, 100].map((p) => `${percentile(xs, p).toFixed(1).padStart(8)} ms`).join('')}`,
    );
  line('commit → verdict, HTTP long poll', viaLongPoll);
  line('commit → verdict, NATS push', viaPush);
  console.log(`\nnode N push counters: ${await readyz()}`);
} finally {
  for (const session of sessions) session.close();
  for (const system of systems.reverse()) await system.stop('SIGTERM').catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
