/**
 * Benchmark: S13 ME-Identity-Check (TS 29.272 §5.3.2.1) over Diameter/TCP, against the platform ceiling
 * in the same run — a node:net server that frames Diameter messages and answers CER with a fixed CEA
 * and every ECR with a precomputed ECA (ids patched). Ours is DiameterServer over a synthetic index of
 * --keys devices, with the check service wired as in production (--bare drops sightings, metrics and
 * the overload guard). Each server, and each load generator, runs in a process of its own.
 *
 * A generator opens its connections, exchanges capabilities (CER/CEA), then keeps --window ECRs in
 * flight on each: ECRs are encoded once and copied with their Hop-by-Hop and End-to-End ids patched;
 * answers are matched by Hop-by-Hop id and read only as far as Result-Code, Experimental-Result and
 * Equipment-Status. After a warm-up, rounds alternate canned, ours, canned, ours…; prints per round
 * ECR/s, p50/p99 (send to ECA), the CPU of the server and of all generators together (in cores: which
 * side is the bottleneck) and the server's longest event-loop stall; then the medians and ours/canned,
 * next to the goal. Any answer other than a success or 5422 is printed as a problem. Never asserts a
 * timing.
 *
 *   npx tsx bench/s13.ts [--keys 10000000] [--connections 4] [--window 64] [--seconds 5] [--count 0]
 *                        [--rounds 3] [--generators 1] [--ecrs 4000] [--listed 0.5] [--bare]
 *
 * --listed is the share of ECRs about a listed device (each costs a sighting; a network meets far
 * fewer than the default half).
 *
 * --count bounds the ECRs of a round (0: none, --seconds only). The index snapshot is written once
 * under OPENCEIR_BENCH_DIR (default: the OS temp dir) and reused by later runs.
 */
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readSnapshot } from '../src/check/snapshot.ts';
import {
  address,
  encodeMessage,
  FrameReader,
  grouped,
  type Message,
  u32,
  utf8,
} from '../src/protocols/diameter/codec.ts';
import { APP_S13, AVP, CMD, FLAG, RESULT, VENDOR_3GPP } from '../src/protocols/diameter/dictionary.ts';
import { DiameterServer } from '../src/protocols/diameter/server.ts';
import { benchChecks, sampleDevices } from './support/checks.ts';
import { count, LatencyHistogram, machine, median, ms, percent, row } from './support/figures.ts';
import { answerParent, busy, type Child, failToParent, forkSelf, type Usage } from './support/processes.ts';
import {
  DRAIN_MS,
  EIR,
  type Equipment,
  MME,
  type RunRequest,
  type RunResult,
  runLoad,
} from './support/s13-load.ts';
import { imeiOf, syntheticSnapshot } from './support/synthetic.ts';

const { values } = parseArgs({
  options: {
    keys: { type: 'string', default: '10000000' },
    connections: { type: 'string', default: '4' },
    window: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '5' },
    count: { type: 'string', default: '0' },
    rounds: { type: 'string', default: '3' },
    generators: { type: 'string', default: '1' },
    ecrs: { type: 'string', default: '4000' },
    bare: { type: 'boolean', default: false },
    listed: { type: 'string', default: '0.5' },
    serve: { type: 'string' },
    generator: { type: 'string' },
  },
});
const KEYS = Number(values.keys);
const SCRIPT = fileURLToPath(import.meta.url);
const GOAL_RATE = 50_000;
const GOAL_RATIO = 0.8;

interface Ready {
  readonly port: number;
  readonly loadSeconds?: number;
  readonly stats?: Record<string, number>;
  readonly rssBytes: number;
}

const answerTo = (request: Message, avps: Message['avps']): Buffer =>
  encodeMessage({ ...request, flags: request.flags & FLAG.proxiable, avps });

/** The platform ceiling: frames messages and answers each with precomputed bytes, ids patched. */
async function serveCanned(): Promise<void> {
  const header = { hopByHop: 0, endToEnd: 0, avps: [] };
  const cea = answerTo(
    { ...header, flags: FLAG.request, command: CMD.capabilitiesExchange, applicationId: 0 },
    [
      u32(AVP.resultCode, RESULT.success),
      utf8(AVP.originHost, EIR.originHost),
      utf8(AVP.originRealm, EIR.originRealm),
      address(AVP.hostIpAddress, '127.0.0.1'),
      u32(AVP.vendorId, 0),
      utf8(AVP.productName, 'canned', { mandatory: false }),
      u32(AVP.supportedVendorId, VENDOR_3GPP),
      grouped(AVP.vendorSpecificApplicationId, [
        u32(AVP.vendorId, VENDOR_3GPP),
        u32(AVP.authApplicationId, APP_S13),
      ]),
    ],
  );
  const eca = answerTo(
    { ...header, flags: FLAG.request | FLAG.proxiable, command: CMD.meIdentityCheck, applicationId: APP_S13 },
    [
      utf8(AVP.sessionId, `${MME.originHost};1;1`),
      u32(AVP.resultCode, RESULT.success),
      u32(AVP.authSessionState, 1),
      utf8(AVP.originHost, EIR.originHost),
      utf8(AVP.originRealm, EIR.originRealm),
      u32(AVP.equipmentStatus, 0, { vendorId: VENDOR_3GPP }),
    ],
  );
  const dwa = answerTo({ ...header, flags: FLAG.request, command: CMD.deviceWatchdog, applicationId: 0 }, [
    u32(AVP.resultCode, RESULT.success),
    utf8(AVP.originHost, EIR.originHost),
    utf8(AVP.originRealm, EIR.originRealm),
  ]);
  const canned = new Map<number, Buffer>([
    [CMD.capabilitiesExchange, cea],
    [CMD.meIdentityCheck, eca],
    [CMD.deviceWatchdog, dwa],
  ]);
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    const reader = new FrameReader();
    socket.on('data', (chunk) => {
      let frames: Buffer[];
      try {
        frames = reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      const answers: [Buffer, Buffer][] = [];
      let bytes = 0;
      for (const frame of frames) {
        const answer = canned.get(frame.readUIntBE(5, 3));
        if (!answer || (frame[4]! & FLAG.request) === 0) continue;
        answers.push([frame, answer]);
        bytes += answer.length;
      }
      if (bytes === 0) return;
      const out = Buffer.allocUnsafe(bytes);
      let offset = 0;
      for (const [frame, answer] of answers) {
        answer.copy(out, offset);
        frame.copy(out, offset + 12, 12, 20);
        offset += answer.length;
      }
      socket.write(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  answerParent({ port: (server.address() as AddressInfo).port, rssBytes: process.memoryUsage().rss });
}

async function serveOurs(): Promise<void> {
  const start = performance.now();
  const { index } = await readSnapshot(await syntheticSnapshot(KEYS));
  const loadSeconds = (performance.now() - start) / 1000;
  const checks = benchChecks(index, values.bare!);
  const server = new DiameterServer(checks.service, {
    host: '127.0.0.1',
    port: 0,
    ...EIR,
    allowedHosts: ['*'],
    allowedRealms: ['*'],
    allowedAddresses: ['127.0.0.1', '::1'],
  });
  const { port } = await server.listen();
  answerParent(
    { port, loadSeconds, stats: index.stats(), rssBytes: process.memoryUsage().rss },
    { sightings: () => checks.sightings() },
  );
}

// The parent: servers, generators, rounds, figures.

interface Round {
  readonly target: string;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly serverBusy: number;
  /** The longest the server's event loop was blocked during the round (ms). */
  readonly serverStall: number;
  readonly generatorBusy: number;
  readonly outcomes: Record<string, number>;
  readonly problems: string[];
}

async function round(
  target: Child<Ready>,
  generators: readonly Child<unknown>[],
  equipment: readonly Equipment[],
  seconds: number,
): Promise<Round> {
  const connections = Math.max(1, Math.round(Number(values.connections) / generators.length));
  const total = Number(values.count);
  const before = await target.ask<Usage>({ type: 'usage' });
  const results = await Promise.all(
    generators.map((g) =>
      g.ask<RunResult>(
        {
          type: 'run',
          port: target.ready.port,
          connections,
          window: Number(values.window),
          seconds,
          count: total > 0 ? Math.ceil(total / generators.length) : 0,
          equipment,
        } satisfies RunRequest,
        (seconds * 1000 + DRAIN_MS) * 2,
      ),
    ),
  );
  const after = await target.ask<Usage>({ type: 'usage' });
  const histogram = new LatencyHistogram();
  const outcomes: Record<string, number> = {};
  for (const r of results) {
    histogram.add(r.latency);
    for (const [k, n] of Object.entries(r.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + n;
  }
  const problems = results.flatMap((r) => r.problems);
  for (const [k, n] of Object.entries(outcomes))
    if (!/^2001\/[012]$/.test(k) && k !== String(RESULT.equipmentUnknown))
      problems.push(`${count(n)} answers ${k}`);
  return {
    target: target.name,
    rate: results.reduce((sum, r) => sum + r.answered / r.seconds, 0),
    p50: histogram.percentile(50),
    p99: histogram.percentile(99),
    serverBusy: busy(before, after),
    serverStall: after.loopDelayMaxMs,
    generatorBusy: results.reduce((sum, r) => sum + r.generatorBusy, 0),
    outcomes,
    problems,
  };
}

const WIDTHS = [14, 12, 9, 9, 11, 13, 14];
const HEADER = row(
  ['round', 'ECR/s', 'p50 ms', 'p99 ms', 'server CPU', 'max stall ms', 'generator CPU'],
  WIDTHS,
);
const line = (
  label: string,
  r: Pick<Round, 'rate' | 'p50' | 'p99' | 'serverBusy' | 'serverStall' | 'generatorBusy'>,
) =>
  row(
    [
      label,
      count(r.rate),
      ms(r.p50),
      ms(r.p99),
      percent(r.serverBusy),
      r.serverStall.toFixed(0),
      percent(r.generatorBusy),
    ],
    WIDTHS,
  );

/** Listed and unlisted devices: IMEI with check digit, IMEI with Software-Version, 14 digits alone. */
function equipmentOf(n: number): Equipment[] {
  return sampleDevices(KEYS, n, Number(values.listed)).map((d, i) => ({
    imei: i % 4 === 0 ? d.key : imeiOf(Number(d.key)),
    svn: i % 4 === 0 || i % 4 === 1 ? String(i % 100).padStart(2, '0') : null,
    imsi: `00101${String(i).padStart(10, '0')}`,
  }));
}

async function main(): Promise<void> {
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const generatorCount = Math.max(1, Number(values.generators));
  console.log(machine());
  console.log(
    `${values.connections} connections × window ${values.window} from ${generatorCount} generator process(es), ` +
      `${seconds} s${Number(values.count) > 0 ? ` or ${count(Number(values.count))} ECRs` : ''} a round, ` +
      `${rounds} rounds per server${values.bare ? ', bare check service' : ''}`,
  );
  let start = performance.now();
  const snapshot = await syntheticSnapshot(KEYS);
  console.log(
    `index of ${count(KEYS)} devices: ${snapshot}, ready in ${((performance.now() - start) / 1000).toFixed(1)} s`,
  );
  const equipment = equipmentOf(Number(values.ecrs));
  const children: Child<unknown>[] = [];
  try {
    start = performance.now();
    const args = process.argv.slice(2);
    const [canned, ours, ...generators] = await Promise.all([
      forkSelf<Ready>(SCRIPT, [...args, '--serve', 'canned'], 'canned'),
      forkSelf<Ready>(SCRIPT, [...args, '--serve', 'ours'], 'ours'),
      ...Array.from({ length: generatorCount }, (_, g) =>
        forkSelf<Ready>(SCRIPT, [...args, '--generator', String(g)], `generator ${g}`),
      ),
    ]);
    children.push(canned!, ours!, ...generators);
    const stats = ours!.ready.stats!;
    console.log(
      `ours: index loaded in ${ours!.ready.loadSeconds!.toFixed(2)} s, ${count(stats.devices!)} devices, ` +
        `${stats.bytesPerDevice!.toFixed(2)} bytes/device, ${count(ours!.ready.rssBytes / 2 ** 20)} MiB resident ` +
        `(canned: ${count(canned!.ready.rssBytes / 2 ** 20)} MiB)`,
    );
    for (const target of [canned!, ours!]) await round(target, generators, equipment, Math.min(1, seconds));
    console.log(`warmed up in ${((performance.now() - start) / 1000).toFixed(1)} s\n\n${HEADER}`);
    const results: Round[] = [];
    for (let r = 1; r <= rounds; r++) {
      for (const target of [canned!, ours!]) {
        const result = await round(target, generators, equipment, seconds);
        results.push(result);
        console.log(line(`${r} ${target.name}`, result));
        for (const problem of result.problems) console.log(`  ! ${target.name}: ${problem}`);
      }
    }
    const medians = (name: string) => {
      const of = results.filter((r) => r.target === name);
      const pick = (f: (r: Round) => number) => median(of.map(f));
      return {
        rate: pick((r) => r.rate),
        p50: pick((r) => r.p50),
        p99: pick((r) => r.p99),
        serverBusy: pick((r) => r.serverBusy),
        serverStall: pick((r) => r.serverStall),
        generatorBusy: pick((r) => r.generatorBusy),
      };
    };
    const [c, o] = [medians('canned'), medians('ours')];
    console.log(`${'-'.repeat(HEADER.length)}\n${line('median canned', c)}\n${line('median ours', o)}`);
    const ratio = o.rate / c.rate;
    const perCore = o.rate / Math.max(0.01, o.serverBusy);
    console.log(
      `ours/canned: ${ratio.toFixed(2)} × the ECR/s (goal ≥ ${GOAL_RATIO}: ${ratio >= GOAL_RATIO ? 'met' : 'not met'}), ` +
        `p50 ${(o.p50 / c.p50).toFixed(1)} ×, p99 ${(o.p99 / c.p99).toFixed(1)} ×`,
    );
    console.log(
      `ours: ${count(o.rate)} ECR/s with its core ${percent(o.serverBusy)} busy, ≈ ${count(perCore)} ECR/s per core ` +
        `(goal ≥ ${count(GOAL_RATE)} on one core: ${o.rate >= GOAL_RATE ? 'met' : 'not met'})`,
    );
    const last = results.findLast((r) => r.target === 'ours')!;
    console.log(
      `ours answered: ${Object.entries(last.outcomes)
        .map(([k, n]) => `${count(n)} × ${k}`)
        .join(', ')} (last round; 2001/<Equipment-Status>, 5422 unknown)`,
    );
    if (!values.bare)
      console.log(
        `ours recorded ${count(await ours!.ask<number>({ type: 'sightings' }))} sightings (shipped to a no-op registry)`,
      );
    const failures = results.flatMap((r) => r.problems);
    console.log(failures.length === 0 ? 'every answer was a success' : `${failures.length} problems (above)`);
    const perGenerator = (r: { generatorBusy: number }) => r.generatorBusy / generatorCount;
    for (const [name, r] of [
      ['canned', c],
      ['ours', o],
    ] as const) {
      const bound =
        perGenerator(r) >= 0.8 && perGenerator(r) > r.serverBusy
          ? `the load generator is the bottleneck (${percent(perGenerator(r))} of a core each, the server ${percent(r.serverBusy)}): the server can take more`
          : r.serverBusy >= 0.85
            ? 'the server is the bottleneck (its core is busy)'
            : 'neither side keeps a core busy: the window, latency or the machine limits';
      console.log(`${name}: ${bound}`);
    }
    if (generatorCount + 1 > os.cpus().length)
      console.log(`note: ${generatorCount} generator(s) and a server share ${os.cpus().length} cores`);
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

if (values.generator !== undefined) {
  const generator = Number(values.generator);
  answerParent(
    { port: 0, rssBytes: process.memoryUsage().rss },
    {
      run: (request) => runLoad(request as RunRequest, generator),
    },
  );
} else if (values.serve === 'canned') await serveCanned().catch(failToParent);
else if (values.serve === 'ours') await serveOurs().catch(failToParent);
else await main();
