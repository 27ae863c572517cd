/**
 * Benchmark: how soon a change in the registry changes the verdict a check node gives. A registry and
 * a check node following it run as two `openceir start` processes; N times, a fresh device is blocked
 * through the registry's admin API, and its N5g-eir status is asked of the check node every few
 * milliseconds until it is BLACKLISTED. Prints p50/p99/max from the moment the append was committed
 * (the admin API answered) and from the moment the request was sent.
 *
 * Baseline in the same run: the same measurement against the all-in-one registry's own N5g-eir port,
 * where the index follows the ledger in the same process (no HTTP in between).
 *
 *   npx tsx bench/propagation.ts [--count 200] [--poll-ms 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Started, startSystemProcess } from '../test/support/process.ts';
import { imeiOf } from './support/synthetic.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    'poll-ms': { type: 'string', default: '5' },
  },
});
const COUNT = Number(values.count);
const POLL_MS = Number(values['poll-ms']);
const ADMIN_KEY = 'bench-admin-key-0123456789';

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

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Blocks COUNT fresh devices one after another; per device, ms from commit and from request to verdict. */
async function measure(
  registryUrl: string,
  sbiUrl: string,
  firstKey: number,
): Promise<{ commit: number[]; request: number[] }> {
  const session = http2.connect(sbiUrl);
  const commit: number[] = [];
  const request: number[] = [];
  try {
    for (let i = 0; i < COUNT; i++) {
      const imei = imeiOf(firstKey + i * 17);
      const sent = performance.now();
      const response = await fetch(`${registryUrl}/api/v1/devices/${imei}/block`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'stolen', source: 'police' }),
      });
      if (response.status !== 200)
        throw new Error(`block ${imei}: ${response.status} ${await response.text()}`);
      const committed = performance.now();
      const deadline = committed + 10_000;
      while ((await status(session, `imei-${imei}`)) !== 'BLACKLISTED') {
        if (performance.now() > deadline) throw new Error(`${imei} was not blocked on the node within 10 s`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      const seen = performance.now();
      commit.push(seen - committed);
      request.push(seen - sent);
    }
  } finally {
    session.close();
  }
  return { commit, request };
}

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'openceir-bench-'));
  dirs.push(d);
  return d;
};
const systems: Started[] = [];
try {
  const common = {
    OPENCEIR_SBI_PORT: '0',
    OPENCEIR_DIAMETER_PORT: '0',
    OPENCEIR_SMS_SIMULATOR_PORT: '0',
    OPENCEIR_LOG_LEVEL: 'warn',
  };
  const registry = await startSystemProcess({
    ...common,
    OPENCEIR_HTTP_PORT: '0',
    OPENCEIR_DATA_DIR: dir(),
    OPENCEIR_ADMIN_API_KEY: ADMIN_KEY,
    OPENCEIR_DEMO: 'false',
    DATABASE_URL: '',
  });
  systems.push(registry);
  const node = await startSystemProcess({
    ...common,
    OPENCEIR_ROLE: 'check-node',
    OPENCEIR_FOLLOW: registry.url,
    OPENCEIR_FOLLOW_API_KEY: ADMIN_KEY,
    OPENCEIR_HTTP_PORT: '0',
    OPENCEIR_DATA_DIR: dir(),
  });
  systems.push(node);

  console.log(`${COUNT} blocks each, polling every ${POLL_MS} ms; registry on PGlite\n`);
  const sameProcess = await measure(registry.url, sbiUrlOf(registry), 35_100_000_000_000);
  const followed = await measure(registry.url, sbiUrlOf(node), 35_200_000_000_000);

  const line = (label: string, xs: number[], base: number[]) =>
    console.log(
      `${label.padEnd(44)}${[50, 99, 100].map((p) => `${percentile(xs, p).toFixed(0).padStart(8)} ms`).join('')}` +
        `${(percentile(xs, 99) / Math.max(1, percentile(base, 99))).toFixed(1).padStart(10)}×`,
    );
  console.log(`${''.padEnd(44)}${['p50', 'p99', 'max'].map((h) => h.padStart(11)).join('')}   p99 ratio`);
  line('all-in-one: commit → verdict (baseline)', sameProcess.commit, sameProcess.commit);
  line('check node: commit → verdict', followed.commit, sameProcess.commit);
  line('check node: block request → verdict', followed.request, sameProcess.request);
  console.log(`\ngoal: check node p99 ≤ 1000 ms; measured ${percentile(followed.commit, 99).toFixed(0)} ms`);
} finally {
  for (const system of systems.reverse()) await system.stop('SIGTERM').catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
