/**
 * Benchmark: N5g-eir GetEquipmentStatus (TS 29.511 §5.2.2.2) under h2load, against the platform
 * ceiling in the same run — a bare node:http2 h2c server answering every request with a fixed 200
 * {"status":"WHITELISTED"}. Ours is SbiServer over a synthetic index of --keys devices, with the check
 * service wired as in production (sightings written ahead to disk, metrics, overload guard; --bare
 * drops them). Each server runs in a process of its own; h2load (--threads 1) has the other core.
 * Both get the same URIs: a share of listed devices (--listed, default 0.5: each costs a sighting; a
 * network meets far fewer) and unlisted ones, as imei- and imeisv- PEIs. After a
 * warm-up, rounds alternate raw, ours, raw, ours…; prints per round req/s, p50/p99 (from h2load's
 * per-request log), the CPU of the server and of h2load (in cores: which one is the bottleneck) and the
 * server's longest event-loop stall; then the medians and ours/raw. Any answer other than 200 or 404
 * is printed as a problem. Never asserts a timing.
 *
 *   npx tsx bench/sbi.ts [--keys 100000000] [--requests 200000] [--clients 16] [--streams 16]
 *                        [--threads 1] [--rounds 3] [--uris 4000] [--listed 0.5] [--bare]
 *
 * Needs h2load (Debian nghttp2-client). The index snapshot is written once under OPENCEIR_BENCH_DIR
 * (default: the OS temp dir) and reused by later runs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { readSnapshot } from '../src/check/snapshot.ts';
import { API_PATH, SbiServer } from '../src/protocols/sbi/server.ts';
import { benchChecks, type Device, sampleDevices } from './support/checks.ts';
import { count, machine, median, ms, percent, percentile, row } from './support/figures.ts';
import {
  answerParent,
  busy,
  type Child,
  endedChildrenCpuMicros,
  failToParent,
  forkSelf,
  type Usage,
} from './support/processes.ts';
import { imeiOf, syntheticSnapshot } from './support/synthetic.ts';

const { values } = parseArgs({
  options: {
    keys: { type: 'string', default: '100000000' },
    requests: { type: 'string', default: '200000' },
    clients: { type: 'string', default: '16' },
    streams: { type: 'string', default: '16' },
    threads: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    uris: { type: 'string', default: '4000' },
    bare: { type: 'boolean', default: false },
    listed: { type: 'string', default: '0.5' },
    serve: { type: 'string' },
  },
});
const KEYS = Number(values.keys);
const SCRIPT = fileURLToPath(import.meta.url);
const H2LOAD_TIMEOUT_MS = 300_000;

interface Ready {
  readonly port: number;
  readonly loadSeconds?: number;
  readonly stats?: Record<string, number>;
  readonly rssBytes: number;
}

/** The platform ceiling: node:http2 answering a fixed body, nothing parsed, nothing looked up. */
async function serveRaw(): Promise<void> {
  const body = Buffer.from(JSON.stringify({ status: 'WHITELISTED' }));
  const server = http2.createServer();
  server.on('session', (session) => session.on('error', () => session.destroy()));
  server.on('stream', (stream) => {
    stream.on('error', () => {});
    stream.respond({ ':status': 200, 'content-type': 'application/json', 'content-length': body.length });
    stream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  answerParent({ port: (server.address() as AddressInfo).port, rssBytes: process.memoryUsage().rss });
}

async function serveOurs(): Promise<void> {
  const start = performance.now();
  const { index } = await readSnapshot(await syntheticSnapshot(KEYS));
  const loadSeconds = (performance.now() - start) / 1000;
  const checks = benchChecks(index, values.bare!);
  const server = new SbiServer(checks.service, { host: '127.0.0.1', port: 0, network: 'bench' });
  const url = await server.listen();
  answerParent(
    {
      port: Number(new URL(url).port),
      loadSeconds,
      stats: index.stats(),
      rssBytes: process.memoryUsage().rss,
    },
    { sightings: () => checks.sightings() },
  );
}

/** The PEIs asked about: listed and unlisted devices, three in four as imei-, one in four as imeisv-. */
const peisOf = (devices: readonly Device[]) =>
  devices.map((d, i) =>
    i % 4 === 3 ? `imeisv-${d.key}${String(i % 100).padStart(2, '0')}` : `imei-${imeiOf(Number(d.key))}`,
  );

interface Round {
  readonly target: string;
  readonly reqPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly serverBusy: number;
  /** The longest the server's event loop was blocked during the round (ms). */
  readonly serverStall: number;
  readonly loadBusy: number;
  readonly problems: string[];
}

const run = promisify(execFile);

async function h2load(target: Child<Ready>, uriFile: string, log: string, requests: number): Promise<Round> {
  rmSync(log, { force: true }); // h2load appends to its log file
  const before = await target.ask<Usage>({ type: 'usage' });
  const loadBefore = endedChildrenCpuMicros();
  const { stdout } = await run(
    'h2load',
    [
      ...['-n', String(requests), '-c', values.clients!, '-m', values.streams!, '-t', values.threads!],
      ...['-i', uriFile, '--log-file', log],
    ],
    { timeout: H2LOAD_TIMEOUT_MS, maxBuffer: 1 << 24 },
  );
  const after = await target.ask<Usage>({ type: 'usage' });
  const loadMicros = endedChildrenCpuMicros() - loadBefore;
  const problems: string[] = [];
  if (!stdout.includes('Application protocol: h2c')) problems.push('h2load did not speak h2c');
  const finished = /finished in [\d.]+s, ([\d.]+) req\/s/.exec(stdout);
  const totals =
    /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(
      stdout,
    );
  if (!finished || !totals) throw new Error(`cannot read h2load's output:\n${stdout}`);
  // h2load counts a 4xx as failed; the statuses are judged from the log below.
  const [, , done, , , errored, timeout] = totals.map(Number) as number[];
  if (done !== requests || errored! + timeout! > 0)
    problems.push(`${done} of ${requests} done, ${errored} errored, ${timeout} timed out`);
  // The per-request log: start (µs since the epoch), HTTP status, µs until the response ended.
  const lines = readFileSync(log, 'utf8').split('\n');
  const micros = new Float64Array(lines.length);
  const statuses = new Map<string, number>();
  let n = 0;
  for (const line of lines) {
    const [, status, elapsed] = line.split('\t');
    if (elapsed === undefined) continue;
    micros[n++] = Number(elapsed);
    if (status !== '200' && status !== '404') statuses.set(status!, (statuses.get(status!) ?? 0) + 1);
  }
  for (const [status, times] of statuses) problems.push(`${count(times)} answers ${status}`);
  const sorted = micros.subarray(0, n).sort();
  return {
    target: target.name,
    reqPerSecond: Number(finished[1]),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, n),
    serverBusy: busy(before, after),
    serverStall: after.loopDelayMaxMs,
    loadBusy: loadMicros / 1000 / (after.wallMs - before.wallMs),
    problems,
  };
}

const WIDTHS = [12, 12, 9, 9, 9, 11, 13, 11];
const HEADER = row(
  ['round', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', 'server CPU', 'max stall ms', 'h2load CPU'],
  WIDTHS,
);
const line = (label: string, r: Omit<Round, 'problems' | 'target'>) =>
  row(
    [
      label,
      count(r.reqPerSecond),
      ms(r.p50),
      ms(r.p99),
      ms(r.mean),
      percent(r.serverBusy),
      r.serverStall.toFixed(0),
      percent(r.loadBusy),
    ],
    WIDTHS,
  );

async function main(): Promise<void> {
  const rounds = Number(values.rounds);
  const requests = Number(values.requests);
  console.log(machine());
  console.log(
    `h2load -n ${count(requests)} -c ${values.clients} -m ${values.streams} -t ${values.threads}, ` +
      `${values.uris} URIs, ${rounds} rounds per server${values.bare ? ', bare check service' : ''}`,
  );
  let start = performance.now();
  const snapshot = await syntheticSnapshot(KEYS);
  console.log(
    `index of ${count(KEYS)} devices: ${snapshot}, ready in ${((performance.now() - start) / 1000).toFixed(1)} s`,
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-bench-sbi-'));
  const children: Child<Ready>[] = [];
  try {
    start = performance.now();
    const [raw, ours] = await Promise.all([
      forkSelf<Ready>(SCRIPT, [...process.argv.slice(2), '--serve', 'raw'], 'raw'),
      forkSelf<Ready>(SCRIPT, [...process.argv.slice(2), '--serve', 'ours'], 'ours'),
    ]);
    children.push(raw, ours);
    const stats = ours.ready.stats!;
    console.log(
      `ours: index loaded in ${ours.ready.loadSeconds!.toFixed(2)} s, ${count(stats.devices!)} devices, ` +
        `${stats.bytesPerDevice!.toFixed(2)} bytes/device, ${count(ours.ready.rssBytes / 2 ** 20)} MiB resident ` +
        `(raw: ${count(raw.ready.rssBytes / 2 ** 20)} MiB)`,
    );
    // h2load takes scheme, host and port from the first URI of the file: one file per server.
    const peis = peisOf(sampleDevices(KEYS, Number(values.uris), Number(values.listed)));
    const uriFile = new Map<Child<Ready>, string>();
    for (const target of [raw, ours]) {
      const file = path.join(dir, `${target.name}.uris`);
      writeFileSync(
        file,
        peis.map((pei) => `http://127.0.0.1:${target.ready.port}${API_PATH}?pei=${pei}\n`).join(''),
      );
      uriFile.set(target, file);
    }
    const log = path.join(dir, 'requests.log');
    for (const target of [raw, ours])
      await h2load(target, uriFile.get(target)!, log, Math.min(requests, 50_000));
    console.log(`warmed up in ${((performance.now() - start) / 1000).toFixed(1)} s\n\n${HEADER}`);
    const results: Round[] = [];
    for (let r = 1; r <= rounds; r++) {
      for (const target of [raw, ours]) {
        const result = await h2load(target, uriFile.get(target)!, log, requests);
        results.push(result);
        console.log(line(`${r} ${target.name}`, result));
        for (const problem of result.problems) console.log(`  ! ${target.name}: ${problem}`);
      }
    }
    const medians = (name: string) => {
      const of = results.filter((r) => r.target === name);
      const pick = (f: (r: Round) => number) => median(of.map(f));
      return {
        reqPerSecond: pick((r) => r.reqPerSecond),
        p50: pick((r) => r.p50),
        p99: pick((r) => r.p99),
        mean: pick((r) => r.mean),
        serverBusy: pick((r) => r.serverBusy),
        serverStall: pick((r) => r.serverStall),
        loadBusy: pick((r) => r.loadBusy),
      };
    };
    const [m, n] = [medians('raw'), medians('ours')];
    console.log(`${'-'.repeat(HEADER.length)}\n${line('median raw', m)}\n${line('median ours', n)}`);
    console.log(
      `ours/raw: ${(n.reqPerSecond / m.reqPerSecond).toFixed(2)} × the req/s, ` +
        `p50 ${(n.p50 / m.p50).toFixed(1)} ×, p99 ${(n.p99 / m.p99).toFixed(1)} ×`,
    );
    const sightings = await ours.ask<number>({ type: 'sightings' });
    if (!values.bare)
      console.log(`ours recorded ${count(sightings)} sightings (shipped to a no-op registry)`);
    const failures = results.flatMap((r) => r.problems);
    console.log(
      failures.length === 0 ? 'every answer was 200 or 404' : `${failures.length} problems (above)`,
    );
    for (const [name, r] of [
      ['raw', m],
      ['ours', n],
    ] as const) {
      const bound =
        r.loadBusy >= 0.8 && r.loadBusy > r.serverBusy
          ? 'h2load (one core) is the bottleneck: the server can take more'
          : r.serverBusy >= 0.85
            ? 'the server is the bottleneck (its core is busy)'
            : 'neither side keeps a core busy: latency or the machine limits';
      console.log(`${name}: ${bound}`);
    }
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.serve === 'raw') await serveRaw().catch(failToParent);
else if (values.serve === 'ours') await serveOurs().catch(failToParent);
else await main();
