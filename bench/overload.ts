/**
 * Benchmark: admission control under overload (TS 29.500 §6.4, RFC 6733 3004 DIAMETER_TOO_BUSY). The
 * EIR under test (SbiServer and DiameterServer over one check service wired as in production: sightings
 * written ahead, metrics, the overload guard) runs in a process of its own; the load comes from others.
 *
 * 1. Capacity C per protocol: a closed-loop run gives the most the server answers (X); C starts at
 *    half of X and is confirmed open-loop: its p99 must stay within 2 × the p99 at a light load (X/10),
 *    else C is lowered (at most three tries). C is what one process admits with a flat p99 *while it
 *    also refuses twice as much*: refusals are cheap, not free.
 * 2. The server is restarted with `overload.max_rate` = 1.1 × C (as an operator sets it from this figure) and
 *    offered load open-loop — on schedule whether or not answers came back, at most --window requests in
 *    flight per connection as an AMF or MME keeps — at 1 × C and 3 × C, alternating, --rounds times.
 *    Then once at 3 × C against the delay guard alone (max_rate 0), to show why the rate cap is there.
 *
 * N5g-eir load is h2load --rps (Debian nghttp2-client); while it runs, a probe asks 50 times a second
 * and records the refusals' status, ProblemDetails cause, Retry-After and 3gpp-Sbi-Lci. S13 load is an
 * open-loop Diameter client (ECRs from bench/support/s13-load.ts) in a process of its own; a request
 * due while its connection's window is full is not sent and counted. Latency is from send to answer of
 * the admitted requests. Prints offered/s, admitted/s, refused/s with codes, admitted p50/p99 and the
 * ratio p99(3C)/p99(C) against the goal (≤ 2). Never asserts a timing.
 *
 *   npx tsx bench/overload.ts [--keys 1000000] [--seconds 5] [--rounds 3] [--connections 4]
 *                             [--window 32] [--protocols sbi,s13] [--capacity-sbi 0] [--capacity-s13 0]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { readSnapshot } from '../src/check/snapshot.ts';
import { RESULT } from '../src/protocols/diameter/dictionary.ts';
import { DiameterServer } from '../src/protocols/diameter/server.ts';
import { API_PATH, SbiServer } from '../src/protocols/sbi/server.ts';
import { benchChecks, sampleDevices } from './support/checks.ts';
import { count, LatencyHistogram, machine, median, ms, row } from './support/figures.ts';
import { answerParent, busy, type Child, failToParent, forkSelf, usageNow } from './support/processes.ts';
import { cer, DRAIN_MS, EIR, ecrTemplates, outcomeOf, within } from './support/s13-load.ts';
import { imeiOf, syntheticSnapshot } from './support/synthetic.ts';

const { values } = parseArgs({
  options: {
    keys: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '4' },
    window: { type: 'string', default: '32' },
    protocols: { type: 'string', default: 'sbi,s13' },
    'capacity-sbi': { type: 'string', default: '0' },
    'capacity-s13': { type: 'string', default: '0' },
    serve: { type: 'string' },
    generator: { type: 'boolean', default: false },
  },
});
const KEYS = Number(values.keys);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const WINDOW = Number(values.window);
const SCRIPT = fileURLToPath(import.meta.url);
const GOAL_RATIO = 2;
const DEVICES = 4000;
/** overload.max_rate over C: arrivals bunch up (timers, scheduling), so a cap of exactly C refuses some at C. */
const HEADROOM = 1.1;

interface Ready {
  readonly sbiPort: number;
  readonly s13Port: number;
}

/** The EIR under test: both front ends over one check service, guard at --serve <max_rate>. */
async function serve(maxRate: number): Promise<void> {
  const { index } = await readSnapshot(await syntheticSnapshot(KEYS));
  const checks = benchChecks(index, false, { maxDelayMs: 100, maxRate });
  const sbi = new SbiServer(checks.service, {
    host: '127.0.0.1',
    port: 0,
    network: 'bench',
    nfInstanceId: '00000000-0000-4000-8000-00000000000e',
  });
  const diameter = new DiameterServer(checks.service, {
    host: '127.0.0.1',
    port: 0,
    ...EIR,
    allowedHosts: ['*'],
    allowedRealms: ['*'],
    allowedAddresses: ['127.0.0.1'],
  });
  const sbiPort = Number(new URL(await sbi.listen()).port);
  const { port: s13Port } = await diameter.listen();
  answerParent({ sbiPort, s13Port } satisfies Ready);
}

/** What one round measured, from either protocol's load. */
interface Measure {
  readonly offered: number;
  /** Requests not sent because their connection's window was full (the client's own bound). */
  readonly unsent: number;
  readonly seconds: number;
  readonly admitted: number;
  readonly refused: Record<string, number>;
  readonly other: Record<string, number>;
  readonly latency: Uint32Array;
  readonly generatorBusy: number;
}

interface S13Run {
  readonly type: 's13';
  readonly port: number;
  readonly rate: number;
  readonly seconds: number;
  readonly connections: number;
  readonly window: number;
}

/** One S13 connection offering ECRs when told to, never more than `window` in flight. */
class OpenLoopConnection {
  readonly socket: net.Socket;
  readonly opened: Promise<void>;
  private readonly sentAt: Float64Array;
  private leftover: Buffer | null = null;
  private nextId = 1;
  inFlight = 0;

  constructor(
    port: number,
    private readonly id: number,
    private readonly templates: readonly Buffer[],
    private readonly window: number,
    private readonly onAnswer: (outcome: string, micros: number) => void,
  ) {
    this.sentAt = new Float64Array(65536).fill(-1);
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('connect', () => this.socket.write(cer(id)));
      this.socket.once('close', () => reject(new Error(`S13 connection ${id} closed`)));
      this.socket.once('data', (chunk) => {
        if (outcomeOf(chunk).startsWith('2001')) resolve();
        else reject(new Error(`CEA ${outcomeOf(chunk)}`));
        this.socket.on('data', (more) => this.receive(more));
      });
    });
  }

  private receive(chunk: Buffer): void {
    const now = performance.now();
    const bytes = this.leftover ? Buffer.concat([this.leftover, chunk]) : chunk;
    let p = 0;
    while (bytes.length - p >= 20) {
      const length = bytes.readUInt32BE(p) & 0xffffff;
      if (length < 20 || bytes.length - p < length) break;
      const frame = bytes.subarray(p, p + length);
      const slot = frame.readUInt32BE(12) & 0xffff;
      const sent = this.sentAt[slot]!;
      if (sent >= 0) {
        this.sentAt[slot] = -1;
        this.inFlight -= 1;
        this.onAnswer(outcomeOf(frame), (now - sent) * 1000);
      }
      p += length;
    }
    this.leftover = p < bytes.length ? bytes.subarray(p) : null;
  }

  /** Sends up to n ECRs now; returns how many the window let through. */
  send(n: number): number {
    const k = Math.min(n, this.window - this.inFlight);
    if (k <= 0) return 0;
    const now = performance.now();
    const frames: Buffer[] = [];
    for (let i = 0; i < k; i++) {
      const seq = this.nextId++ & 0xffff;
      const id = ((this.id << 16) | seq) >>> 0;
      const template = this.templates[this.nextId % this.templates.length]!;
      const frame = Buffer.from(template);
      frame.writeUInt32BE(id, 12);
      frame.writeUInt32BE(id, 16);
      this.sentAt[seq] = now;
      frames.push(frame);
    }
    this.inFlight += k;
    this.socket.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
    return k;
  }
}

/** The S13 load generator: ECRs on a fixed schedule (checked every millisecond), whatever came back. */
async function runS13(run: S13Run, templates: readonly Buffer[]): Promise<Measure> {
  const histogram = new LatencyHistogram();
  const refused: Record<string, number> = {};
  const other: Record<string, number> = {};
  let admitted = 0;
  const onAnswer = (outcome: string, micros: number) => {
    if (outcome.startsWith('2001/') || outcome === String(RESULT.equipmentUnknown)) {
      admitted += 1;
      histogram.record(micros);
    } else if (outcome === String(RESULT.tooBusy)) refused[outcome] = (refused[outcome] ?? 0) + 1;
    else other[outcome] = (other[outcome] ?? 0) + 1;
  };
  const connections = Array.from(
    { length: run.connections },
    (_, c) => new OpenLoopConnection(run.port, c + 1, templates, run.window, onAnswer),
  );
  try {
    await within(Promise.all(connections.map((c) => c.opened)), DRAIN_MS, 'capabilities exchange');
    const before = usageNow();
    const start = performance.now();
    // Rate 0: closed loop — far more than the windows let through, so they stay full.
    const rate = run.rate > 0 ? run.rate : 1_000_000;
    let offered = 0;
    let unsent = 0;
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const elapsed = performance.now() - start;
        const due = Math.floor((Math.min(elapsed, run.seconds * 1000) * rate) / 1000) - offered;
        // Spread over the connections in turn, as an MME pool spreads its attaches.
        for (let i = 0; i < due; ) {
          const c = connections[next++ % connections.length]!;
          const n = Math.min(due - i, Math.ceil(due / connections.length));
          unsent += n - c.send(n);
          i += n;
        }
        offered += Math.max(0, due);
        if (elapsed >= run.seconds * 1000) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    const drainEnd = performance.now() + DRAIN_MS;
    while (connections.some((c) => c.inFlight > 0) && performance.now() < drainEnd)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const after = usageNow();
    return {
      offered,
      unsent,
      seconds: run.seconds,
      admitted,
      refused,
      other,
      latency: histogram.counts,
      generatorBusy: busy(before, after),
    };
  } finally {
    for (const c of connections) c.socket.destroy();
  }
}

const exec = promisify(execFile);

/** N5g-eir load: h2load --rps (open loop per client, at most --window streams each). */
async function runSbi(port: number, rate: number, seconds: number, uriFile: string): Promise<Measure> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-overload-'));
  const log = path.join(dir, 'h2load.log');
  const probe = probeRefusals(port, seconds);
  try {
    // Rate 0: closed loop (no --rps), each connection's window kept full.
    const perClient = Math.max(1, Math.round(rate / CONNECTIONS));
    const rps = rate > 0 ? ['--rps', String(perClient)] : [];
    await exec(
      'h2load',
      [
        ...['-c', String(CONNECTIONS), '-m', String(WINDOW), '-t', '1', ...rps],
        ...['-D', String(seconds), '-i', uriFile, '--log-file', log],
      ],
      { timeout: (seconds + 60) * 1000, maxBuffer: 1 << 24 },
    );
    const histogram = new LatencyHistogram();
    const refused: Record<string, number> = {};
    const other: Record<string, number> = {};
    let admitted = 0;
    let lines = 0;
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      const [, status, micros] = line.split('\t');
      if (status === undefined) continue;
      lines += 1;
      if (status === '200' || status === '404') {
        admitted += 1;
        histogram.record(Number(micros));
      } else if (status === '503') refused['503'] = (refused['503'] ?? 0) + 1;
      else other[status] = (other[status] ?? 0) + 1;
    }
    const seen = await probe;
    // The probe's refusals carry the codes: fold them into the key so the table names them.
    const detail = [...seen].join(' | ');
    if (refused['503'] && detail) {
      refused[`503 ${detail}`] = refused['503'];
      delete refused['503'];
    }
    const offered = rate > 0 ? perClient * CONNECTIONS * seconds : lines;
    return {
      offered,
      unsent: Math.max(0, offered - lines),
      seconds,
      admitted,
      refused,
      other,
      latency: histogram.counts,
      generatorBusy: Number.NaN,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Asks 50 times a second during a round; returns the distinct refusals (cause, Retry-After, Lci). */
async function probeRefusals(port: number, seconds: number): Promise<Set<string>> {
  const seen = new Set<string>();
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on('error', () => {});
  const end = performance.now() + seconds * 1000;
  const pei = `imei-${imeiOf(1)}`;
  while (performance.now() < end) {
    await new Promise<void>((resolve) => {
      const stream = session.request({ ':path': `${API_PATH}?pei=${pei}` });
      let headers: http2.IncomingHttpHeaders = {};
      let body = '';
      stream.on('response', (h) => {
        headers = h;
      });
      stream.setEncoding('utf8');
      stream.on('data', (d) => {
        body += d;
      });
      stream.on('error', () => resolve());
      stream.on('end', () => {
        if (Number(headers[':status']) === 503) {
          const cause = (JSON.parse(body) as { cause?: string }).cause;
          const lci = headers['3gpp-sbi-lci'] ? ', Lci' : '';
          seen.add(`${cause}, Retry-After ${headers['retry-after']}${lci}`);
        }
        resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  session.close();
  return seen;
}

// The parent: capacity, then the rounds, then the table.

interface Figures {
  readonly label: string;
  readonly offered: number;
  readonly unsent: number;
  readonly admitted: number;
  readonly refused: number;
  readonly codes: string;
  readonly p50: number;
  readonly p99: number;
}

function figures(label: string, m: Measure): Figures {
  const histogram = new LatencyHistogram();
  histogram.add(m.latency);
  const refused = Object.values(m.refused).reduce((a, b) => a + b, 0);
  const codes = [...Object.keys(m.refused), ...Object.keys(m.other).map((k) => `other ${k}`)].join('; ');
  return {
    label,
    offered: m.offered / m.seconds,
    unsent: m.unsent / m.seconds,
    admitted: m.admitted / m.seconds,
    refused: refused / m.seconds,
    codes,
    p50: histogram.percentile(50),
    p99: histogram.percentile(99),
  };
}

const WIDTHS = [22, 10, 9, 11, 10, 9, 9];
const HEADER = row(['', 'offered/s', 'unsent/s', 'admitted/s', 'refused/s', 'p50 ms', 'p99 ms'], WIDTHS);
const line = (f: Figures) =>
  `${row(
    [f.label, count(f.offered), count(f.unsent), count(f.admitted), count(f.refused), ms(f.p50), ms(f.p99)],
    WIDTHS,
  )}${f.codes ? `  ${f.codes}` : ''}`;

type Load = (server: Child<Ready>, rate: number, seconds: number) => Promise<Measure>;

async function closedLoopMax(load: Load, server: Child<Ready>): Promise<number> {
  // Closed loop (rate 0): every window kept full; what comes back is the ceiling X.
  const m = await load(server, 0, Math.min(3, SECONDS));
  return (m.admitted + Object.values(m.refused).reduce((a, b) => a + b, 0)) / m.seconds;
}

async function protocol(
  name: 'sbi' | 's13',
  load: Load,
  given: number,
  start: (maxRate: number) => Promise<Child<Ready>>,
): Promise<{ ratio: number; rows: Figures[] }> {
  let server = await start(0);
  let capacity = given;
  let light = Number.NaN;
  try {
    if (capacity <= 0) {
      const ceiling = await closedLoopMax(load, server);
      const lightF = figures('light', await load(server, ceiling / 10, SECONDS));
      light = lightF.p99;
      capacity = ceiling / 2;
      for (let attempt = 0; attempt < 3; attempt++) {
        const at = figures('at C', await load(server, capacity, SECONDS));
        console.log(
          `${name}: ceiling ${count(ceiling)}/s; light p99 ${ms(light)} ms; at ${count(capacity)}/s p99 ${ms(at.p99)} ms`,
        );
        if (at.p99 <= 2 * light && at.admitted >= 0.98 * capacity) break;
        capacity *= 0.75;
      }
    }
    capacity = Math.round(capacity);
    const maxRate = Math.round(capacity * HEADROOM);
    console.log(`${name}: capacity C = ${count(capacity)}/s; overload.max_rate = ${count(maxRate)}`);
    const unguarded = figures('3C, delay guard only', await load(server, 3 * capacity, SECONDS));
    await server.stop();
    server = await start(maxRate);
    const rounds: { one: Figures; three: Figures }[] = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      const one = figures(`1C round ${r + 1}`, await load(server, capacity, SECONDS));
      const three = figures(`3C round ${r + 1}`, await load(server, 3 * capacity, SECONDS));
      rounds.push({ one, three });
    }
    const med = (label: string, of: Figures[]): Figures => ({
      label,
      offered: median(of.map((f) => f.offered)),
      unsent: median(of.map((f) => f.unsent)),
      admitted: median(of.map((f) => f.admitted)),
      refused: median(of.map((f) => f.refused)),
      codes: of.at(-1)!.codes,
      p50: median(of.map((f) => f.p50)),
      p99: median(of.map((f) => f.p99)),
    });
    const one = med(
      'median 1 × C',
      rounds.map((r) => r.one),
    );
    const three = med(
      'median 3 × C',
      rounds.map((r) => r.three),
    );
    const rows = [...rounds.flatMap((r) => [r.one, r.three]), one, three, unguarded];
    return { ratio: three.p99 / one.p99, rows };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  console.log(machine());
  const load = os.loadavg()[0]!;
  console.log(
    `load average ${load.toFixed(1)} on ${os.cpus().length} cores${load > os.cpus().length ? ' (the machine is loaded: read the ratios, not the absolute figures)' : ''}`,
  );
  console.log(
    `${CONNECTIONS} connections × window ${WINDOW}, ${SECONDS} s a round, ${values.rounds} rounds, index of ${count(KEYS)} devices`,
  );
  await syntheticSnapshot(KEYS);
  const devices = sampleDevices(KEYS, DEVICES, 0.5);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-overload-uris-'));
  const children: Child<unknown>[] = [];
  const start = async (maxRate: number) => {
    const child = await forkSelf<Ready>(SCRIPT, ['--keys', String(KEYS), '--serve', String(maxRate)], 'eir');
    children.push(child);
    return child;
  };
  try {
    const results: string[] = [];
    const protocols = values.protocols!.split(',');
    if (protocols.includes('sbi')) {
      const uriFile = path.join(dir, 'uris.txt');
      const base = (port: number) => `http://127.0.0.1:${port}${API_PATH}?pei=`;
      const sbi: Load = (server, rate, seconds) => {
        writeFileSync(
          uriFile,
          devices.map((d) => `${base(server.ready.sbiPort)}imei-${imeiOf(Number(d.key))}`).join('\n'),
        );
        return runSbi(server.ready.sbiPort, rate, seconds, uriFile);
      };
      const { ratio, rows } = await protocol('sbi', sbi, Number(values['capacity-sbi']), start);
      results.push(report('N5g-eir (h2load --rps)', rows, ratio));
    }
    if (protocols.includes('s13')) {
      const generator = await forkSelf<unknown>(SCRIPT, ['--keys', String(KEYS), '--generator'], 'generator');
      children.push(generator);
      const s13: Load = (server, rate, seconds) =>
        generator.ask<Measure>(
          {
            type: 's13',
            port: server.ready.s13Port,
            rate,
            seconds,
            connections: CONNECTIONS,
            window: WINDOW,
          } satisfies S13Run,
          (seconds + 60) * 1000,
        );
      const { ratio, rows } = await protocol('s13', s13, Number(values['capacity-s13']), start);
      results.push(report('S13 (open-loop Diameter client)', rows, ratio));
    }
    console.log(`\n${results.join('\n\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all(children.map((c) => c.stop()));
  }
}

function report(title: string, rows: Figures[], ratio: number): string {
  return [
    title,
    HEADER,
    ...rows.map(line),
    `p99(3C)/p99(C) = ${ratio.toFixed(2)} (goal ≤ ${GOAL_RATIO}: ${ratio <= GOAL_RATIO ? 'met' : 'not met'})`,
  ].join('\n');
}

if (values.serve !== undefined) await serve(Number(values.serve)).catch(failToParent);
else if (values.generator) {
  const devices = sampleDevices(KEYS, DEVICES, 0.5);
  const templates = ecrTemplates(
    devices.map((d, i) => ({
      imei: imeiOf(Number(d.key)),
      svn: null,
      imsi: `00101${String(i).padStart(10, '0')}`,
    })),
  );
  answerParent({}, { s13: (request) => runS13(request as unknown as S13Run, templates) });
} else await main();
