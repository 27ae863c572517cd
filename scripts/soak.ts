/**
 * Soak: a registry (`openceir start`, on a fresh PostgreSQL database this script creates, or PGlite)
 * and a check node following it (`--role check-node --follow`), as two real processes on loopback,
 * under steady modest load for a set time:
 *
 *   sbi      N5g-eir equipment checks on the check node (HTTP/2 h2c, TS 29.511 §5.2.2.2)
 *   s13      ME-Identity-Check requests on the check node (Diameter/TCP, TS 29.272 §5.3.2.1)
 *   rest     GET /api/v1/devices/{imei}/status on the registry
 *   case     police-style theft cases through the REST API: report (blocked) → track → recover → unblock
 *   import   small stolen delta files through `openceir lists import stolen --delta --server`
 *
 * The script keeps its own model of every device it touches, so every verdict is checked: one that
 * disagrees with what the soak set (allowing the propagation grace after a change) is an error, like an
 * unexpected status or result code, a timeout, an exception, a warning or error in a server's log, or a
 * server that exits. Every --sample seconds it prints per kind the requests, errors, p50/p99 latency of
 * that interval, the RSS and heap of each server (from /metrics) and the ledger size. At the end: the
 * table, the totals, the memory trend (least-squares slope of RSS over the second half, MiB/hour, and a
 * verdict: growth, or flat within noise), `openceir ledger verify`, and exit status 1 on any error.
 *
 *   npx tsx scripts/soak.ts --minutes 30 [--database-url postgres://postgres@127.0.0.1:5432/test | --pglite]
 *        [--sample 60] [--devices 400] [--sbi-rate 20] [--s13-rate 20] [--rest-rate 10]
 *        [--case-every 2] [--import-every 20] [--grace 15] [--max-refused 1] [--keep]
 *
 * --database-url names the server and a database to connect to for creating the soak's own database
 * (dropped at the end unless --keep). Rates are per second; --case-every and --import-every in seconds.
 * Refusals by admission control (SBI 503 NF_CONGESTION, S13 3004, REST 429) are counted apart, and are
 * an error above --max-refused percent of a kind's requests.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { machine, percentile } from '../bench/support/figures.ts';
import { S13Client } from '../src/protocols/diameter/client.ts';
import { BIN } from '../test/support/process.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    pglite: { type: 'boolean', default: false },
    sample: { type: 'string', default: '60' },
    devices: { type: 'string', default: '400' },
    'sbi-rate': { type: 'string', default: '20' },
    's13-rate': { type: 'string', default: '20' },
    'rest-rate': { type: 'string', default: '10' },
    'case-every': { type: 'string', default: '2' },
    'import-every': { type: 'string', default: '20' },
    grace: { type: 'string', default: '15' },
    'max-refused': { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});

/** A numeric option within its bounds, or exit naming the option and the rule. */
function option(name: keyof typeof values, min: number, max: number): number {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < min || value > max) {
    process.stderr.write(`--${name}: must be a number from ${min} to ${max} (got ${String(values[name])})\n`);
    process.exit(2);
  }
  return value;
}
const MINUTES = option('minutes', 0.5, 24 * 60);
const SAMPLE_S = option('sample', 5, 3600);
const DEVICES = option('devices', 20, 100_000);
const RATE = {
  sbi: option('sbi-rate', 0, 1000),
  s13: option('s13-rate', 0, 1000),
  rest: option('rest-rate', 0, 1000),
};
const CASE_EVERY_S = option('case-every', 0.2, 3600);
const IMPORT_EVERY_S = option('import-every', 2, 3600);
const GRACE_MS = option('grace', 1, 600) * 1000;
const TIMEOUT_MS = 10_000;
const MAX_IN_FLIGHT = 64;

type Kind = 'sbi' | 's13' | 'rest' | 'case' | 'import';
const KINDS: readonly Kind[] = ['sbi', 's13', 'rest', 'case', 'import'];
type Status = 'allowed' | 'tracked' | 'blocked';

// ---------------------------------------------------------------- what the soak set

interface Device {
  readonly imei: string;
  status: Status;
  /** The status before the last change, accepted for GRACE_MS after it (propagation). */
  previous: Status;
  changedAt: number;
  /** A change under way: both statuses are right until it is answered. */
  pending: Status | null;
}

const luhn = (digits14: string) => {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(digits14[13 - i]);
    if (i % 2 === 0) d *= 2;
    sum += d > 9 ? d - 9 : d;
  }
  return String((10 - (sum % 10)) % 10);
};
// A TAC of this soak's own (the registry starts empty: no demo data), serials from a random start.
const serialBase = randomBytes(3).readUIntBE(0, 3) % (1_000_000 - DEVICES);
const devices: Device[] = Array.from({ length: DEVICES }, (_, i) => {
  const key = `35999017${String(serialBase + i).padStart(6, '0')}`;
  return { imei: key + luhn(key), status: 'allowed', previous: 'allowed', changedAt: 0, pending: null };
});
// Cases and list imports act on separate halves, so each knows why a device has its status.
const casePool = devices.slice(0, DEVICES >> 1);
const listPool = devices.slice(DEVICES >> 1);

function setStatus(device: Device, status: Status): void {
  device.previous = device.status;
  device.status = status;
  device.changedAt = Date.now();
  device.pending = null;
}

/** Whether an observed verdict agrees with the model ("lag" when it is the previous one within the grace). */
function judge(device: Device, observed: Status, sentAt: number): 'ok' | 'lag' | 'wrong' {
  if (observed === device.status || observed === device.pending) return 'ok';
  if (observed === device.previous && sentAt - device.changedAt < GRACE_MS) return 'lag';
  return 'wrong';
}

// ---------------------------------------------------------------- figures

interface Interval {
  requests: number;
  errors: number;
  lags: number;
  /** Refused by admission control (SBI 503 NF_CONGESTION, S13 3004, REST 429): not errors below SHED_LIMIT. */
  shed: number;
  latencies: number[];
}
const fresh = (): Record<Kind, Interval> =>
  Object.fromEntries(
    KINDS.map((k) => [k, { requests: 0, errors: 0, lags: 0, shed: 0, latencies: [] }]),
  ) as never;
const SHED_LIMIT = option('max-refused', 0, 100) / 100;
let current = fresh();
const totals = fresh();
const errorSamples: string[] = [];
const errorCounts = new Map<string, number>();

function error(kind: Kind | 'server', what: string): void {
  if (kind !== 'server') {
    current[kind].errors++;
    totals[kind].errors++;
  }
  const key = `${kind}: ${what.replace(/\d{14,15}/g, '<imei>').slice(0, 160)}`;
  errorCounts.set(key, (errorCounts.get(key) ?? 0) + 1);
  if (errorSamples.length < 20) errorSamples.push(`${new Date().toISOString()} ${kind}: ${what}`);
}

function record(kind: Kind, startedAt: number, verdict: 'ok' | 'lag' | 'shed' | 'wrong', detail = ''): void {
  const elapsed = performance.now() - startedAt;
  for (const into of [current[kind], totals[kind]]) {
    into.requests++;
    if (verdict === 'lag') into.lags++;
    if (verdict === 'shed') into.shed++;
  }
  current[kind].latencies.push(elapsed);
  if (verdict === 'wrong') error(kind, detail);
}

const within = <T>(promise: Promise<T>, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
    ),
  ]);

// ---------------------------------------------------------------- the servers

interface Server {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  readonly banner: string;
  readonly exited: Promise<number | null>;
}
const servers: Server[] = [];
let stopping = false;

/** Starts `openceir start`; its JSON log lines of level warn and above count as errors. */
function startServer(name: string, env: NodeJS.ProcessEnv, logFile: string): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { ...process.env, OPENCEIR_SMS_SIMULATOR_PORT: '0', OPENCEIR_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  let banner = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no start banner in 90 s\n${banner}`)), 90_000);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (log.length < 200_000) log.push(line);
        if (line.startsWith('{')) {
          let entry: { level?: number; msg?: string; problem?: string; err?: { message?: string } } = {};
          try {
            entry = JSON.parse(line);
          } catch {
            error('server', `${name} wrote a line that is not JSON: ${line.slice(0, 120)}`);
          }
          if ((entry.level ?? 0) >= 40)
            error(
              'server',
              `${name} log level ${entry.level}: ${entry.msg} ${entry.problem ?? entry.err?.message ?? ''}`,
            );
          return;
        }
        banner += `${line}\n`;
        const home = /Home\s+(http:\/\/\S+?)\/\s/.exec(banner);
        // The banner is whole once it says how to stop.
        if (!home || !line.startsWith('Stop with') || servers.some((s) => s.name === name)) return;
        clearTimeout(timer);
        const server = { name, child, url: home[1]!, banner, exited };
        servers.push(server);
        resolve(server);
      });
    }
    exited.then((code) => {
      writeFileSync(logFile, `${banner}\n${log.join('\n')}\n`);
      clearTimeout(timer);
      if (!stopping) error('server', `${name} exited with status ${code}`);
      reject(new Error(`${name} exited (${code})\n${banner}`));
    });
  });
}

async function metricsOf(server: Server): Promise<{ rss: number; heap: number }> {
  const text = await (
    await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(TIMEOUT_MS) })
  ).text();
  const value = (name: string) =>
    Number(new RegExp(`^openceir_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rss: value('process_resident_memory_bytes'), heap: value('nodejs_heap_size_used_bytes') };
}

// ---------------------------------------------------------------- the load

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
const SBI_STATUS: Record<string, Status> = {
  WHITELISTED: 'allowed',
  GREYLISTED: 'tracked',
  BLACKLISTED: 'blocked',
};
const S13_STATUS: Record<number, Status> = { 0: 'allowed', 1: 'blocked', 2: 'tracked' };

function sbiCheck(session: http2.ClientHttp2Session, device: Device): Promise<void> {
  const sentAt = Date.now();
  const startedAt = performance.now();
  return within(
    new Promise<void>((resolve, reject) => {
      const stream = session.request({ ':path': `/n5g-eir-eic/v1/equipment-status?pei=imei-${device.imei}` });
      let code = 0;
      let body = '';
      stream.on('response', (headers) => {
        code = Number(headers[':status']);
      });
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        body += chunk;
      });
      stream.on('error', reject);
      stream.on('end', () => {
        if (code === 503 && body.includes('NF_CONGESTION')) return resolve(record('sbi', startedAt, 'shed'));
        if (code !== 200)
          return resolve(record('sbi', startedAt, 'wrong', `HTTP ${code} ${body.slice(0, 120)}`));
        const observed = SBI_STATUS[(JSON.parse(body) as { status: string }).status];
        const verdict = observed ? judge(device, observed, sentAt) : 'wrong';
        resolve(
          record('sbi', startedAt, verdict, `${device.imei}: ${body} where the soak set ${device.status}`),
        );
      });
      stream.end();
    }),
    'N5g-eir check',
  );
}

async function s13Check(client: S13Client, device: Device): Promise<void> {
  const sentAt = Date.now();
  const startedAt = performance.now();
  const eca = await within(client.ecr(device.imei.slice(0, 14), '01'), 'S13 ECR');
  if (eca.resultCode === 3004) return record('s13', startedAt, 'shed');
  if (eca.resultCode !== 2001)
    return record('s13', startedAt, 'wrong', `Result-Code ${eca.resultCode} (${eca.experimentalResultCode})`);
  const observed = S13_STATUS[eca.equipmentStatus ?? -1];
  record(
    's13',
    startedAt,
    observed ? judge(device, observed, sentAt) : 'wrong',
    `${device.imei}: Equipment-Status ${eca.equipmentStatus} where the soak set ${device.status}`,
  );
}

/** The fields of the registry's JSON answers that the soak reads. */
interface Answer {
  readonly cause?: string;
  readonly status?: string;
  readonly treeSize?: number;
  readonly case?: { readonly reference?: string; readonly state?: string };
}

function api(registry: Server, key: string) {
  return async (method: string, path: string, json?: unknown) => {
    const response = await fetch(`${registry.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(json ? { 'content-type': 'application/json' } : {}) },
      body: json ? JSON.stringify(json) : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
}
type Api = ReturnType<typeof api>;

async function restCheck(call: Api, device: Device): Promise<void> {
  const sentAt = Date.now();
  const startedAt = performance.now();
  const { status, body } = await call('GET', `/api/v1/devices/${device.imei}/status`);
  if (status === 429 && body.cause === 'NF_CONGESTION') return record('rest', startedAt, 'shed');
  if (status !== 200)
    return record('rest', startedAt, 'wrong', `HTTP ${status} ${JSON.stringify(body).slice(0, 120)}`);
  const observed = body.status as Status;
  record(
    'rest',
    startedAt,
    judge(device, observed, sentAt),
    `${device.imei}: ${observed} where the soak set ${device.status}`,
  );
}

/** One theft case's life: reported (blocked), tracked, recovered (still tracked), unblocked (allowed). */
const CASE_STEPS: readonly { action: string; state: string; status: Status }[] = [
  { action: 'track', state: 'tracked', status: 'tracked' },
  { action: 'recover', state: 'recovered', status: 'tracked' },
  { action: 'unblock', state: 'closed', status: 'allowed' },
];
const openCases: { reference: string; device: Device; step: number }[] = [];
let casesOpened = 0;
let casesClosed = 0;

async function caseStep(call: Api): Promise<void> {
  const startedAt = performance.now();
  const idle = casePool.filter(
    (d) => d.status === 'allowed' && !d.pending && !openCases.some((c) => c.device === d),
  );
  if (openCases.length < 4 && idle.length > 0) {
    const device = pick(idle);
    device.pending = 'blocked';
    const { status, body } = await call('POST', '/api/v1/cases', {
      imeis: [device.imei],
      kind: 'stolen',
      brand: 'Soak',
      policeReportNumber: `SOAK-${++casesOpened}`,
    });
    if (status !== 201 || body.case?.state !== 'blocked') {
      device.pending = null;
      return record(
        'case',
        startedAt,
        'wrong',
        `report: HTTP ${status} ${JSON.stringify(body).slice(0, 160)}`,
      );
    }
    setStatus(device, 'blocked');
    openCases.push({ reference: String(body.case.reference), device, step: 0 });
    return record('case', startedAt, 'ok');
  }
  const open = openCases[0];
  if (!open) return;
  const step = CASE_STEPS[open.step]!;
  open.device.pending = step.status;
  const { status, body } = await call('POST', `/api/v1/cases/${open.reference}/actions`, {
    action: step.action,
  });
  if (status !== 200 || body.case?.state !== step.state) {
    open.device.pending = null;
    openCases.shift();
    return record(
      'case',
      startedAt,
      'wrong',
      `${step.action}: HTTP ${status} ${JSON.stringify(body).slice(0, 160)}`,
    );
  }
  setStatus(open.device, step.status);
  // The case as a reader sees it: the state the soak set.
  const read = await call('GET', `/api/v1/cases/${open.reference}`);
  if (read.status !== 200 || read.body.case?.state !== step.state)
    error(
      'case',
      `read back ${open.reference}: HTTP ${read.status}, state ${read.body.case?.state} not ${step.state}`,
    );
  open.step++;
  openCases.shift();
  if (open.step < CASE_STEPS.length) openCases.push(open);
  else casesClosed++;
  record('case', startedAt, 'ok');
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { timeout: 120_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) || 1 : 0, stdout, stderr }),
    );
  });
}

let importNumber = 0;
async function importStep(registry: Server, key: string, dir: string): Promise<void> {
  const startedAt = performance.now();
  const listed = listPool.filter((d) => d.status === 'blocked' && !d.pending);
  const removes = listed.sort(() => Math.random() - 0.5).slice(0, 3);
  const adds = listPool
    .filter((d) => d.status === 'allowed' && !d.pending)
    .sort(() => Math.random() - 0.5)
    .slice(0, 3);
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const file = path.join(dir, `stolen-delta-${++importNumber}.csv`);
  writeFileSync(
    file,
    `${[
      'imei,reporting_date,change_type',
      ...adds.map((d) => `${d.imei},${day},add`),
      ...removes.map((d) => `${d.imei},${day},remove`),
    ].join('\n')}\n`,
  );
  for (const d of adds) d.pending = 'blocked';
  for (const d of removes) d.pending = 'allowed';
  const args = ['lists', 'import', 'stolen', file, '--delta', '--source', 'police', '--json'];
  const run = await runCli([...args, '--server', registry.url, '--api-key', key]);
  let report: { committed?: boolean; adds?: number; removes?: number; errorCount?: number } = {};
  try {
    report = JSON.parse(run.stdout);
  } catch {}
  if (
    run.code !== 0 ||
    !report.committed ||
    report.adds !== adds.length ||
    report.removes !== removes.length
  ) {
    for (const d of [...adds, ...removes]) d.pending = null;
    return record(
      'import',
      startedAt,
      'wrong',
      `exit ${run.code}: ${run.stdout.slice(0, 200)} ${run.stderr.slice(0, 200)}`,
    );
  }
  for (const d of adds) setStatus(d, 'blocked');
  for (const d of removes) setStatus(d, 'allowed');
  rmSync(file);
  record('import', startedAt, 'ok');
}

// ---------------------------------------------------------------- report

interface Sample {
  readonly atMinutes: number;
  readonly kinds: Record<Kind, Interval>;
  readonly memory: Record<string, { rss: number; heap: number }>;
  readonly ledger: number;
}
const MiB = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const fixed = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');

function sampleLine(s: Sample): string {
  const kinds = KINDS.map((k) => {
    const i = s.kinds[k];
    const sorted = i.latencies.sort((a, b) => a - b);
    return `${k} ${i.requests}/${i.errors}${i.shed ? `+${i.shed}` : ''} ${fixed(percentile(sorted, 50))}/${fixed(percentile(sorted, 99))}`;
  });
  const memory = Object.entries(s.memory).map(([n, m]) => `${n} ${MiB(m.rss)}/${MiB(m.heap)}`);
  return `${s.atMinutes.toFixed(1).padStart(6)}  ${kinds.map((c) => `${c.padEnd(25)} `).join('')}${memory
    .map((c) => `${c.padEnd(21)} `)
    .join('')}ledger ${s.ledger}`;
}
// "+N" after the errors: refused by admission control in that interval.
const HEADER = `   min  ${KINDS.map((k) => `${k} req/err p50/p99 ms`.padEnd(26)).join('')}${'registry RSS/heap MiB'.padEnd(22)}${'node RSS/heap MiB'.padEnd(22)}`;

/** Least-squares slope (MiB/hour) of RSS over the second half, and whether it stands out of the noise. */
function trend(samples: readonly Sample[], name: string, of: 'rss' | 'heap'): string {
  const half = samples
    .slice(Math.floor(samples.length / 2))
    .filter((s) => Number.isFinite(s.memory[name]?.[of]));
  const span = (half.at(-1)?.atMinutes ?? 0) - (half[0]?.atMinutes ?? 0);
  if (half.length < 4 || span < 5)
    return `${name} ${of}: too short for a trend (${half.length} samples over ${span.toFixed(1)} min in the second half; 4 over 5 min needed)`;
  const xs = half.map((s) => s.atMinutes / 60);
  const ys = half.map((s) => s.memory[name]![of] / 2 ** 20);
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / sxx;
  const residual = Math.sqrt(
    ys.reduce((a, y, i) => a + (y - (my + slope * (xs[i]! - mx))) ** 2, 0) / (ys.length - 2 || 1),
  );
  // The slope's standard error: growth is a slope more than twice its own uncertainty and above 1 MiB/h.
  const standardError = residual / Math.sqrt(sxx);
  const growth = Math.abs(slope) > 2 * standardError && slope > 1;
  return `${name} ${of}: ${ys[0]!.toFixed(1)} → ${ys.at(-1)!.toFixed(1)} MiB over the second half; slope ${slope.toFixed(1)} ± ${standardError.toFixed(1)} MiB/hour (residual ${residual.toFixed(1)} MiB): ${growth ? 'GROWTH' : 'flat within noise'}`;
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-soak-'));
  const registryKey = randomBytes(18).toString('hex');
  const nodeKey = randomBytes(18).toString('hex');
  let databaseUrl = '';
  let dropDatabase = async () => {};
  if (!values.pglite) {
    const admin = new pg.Client({ connectionString: values['database-url'], connectionTimeoutMillis: 5_000 });
    const name = `openceir_soak_${process.pid}_${randomBytes(3).toString('hex')}`;
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const url = new URL(values['database-url']!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const dropper = new pg.Client({ connectionString: values['database-url'] });
      await dropper.connect();
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    };
  }
  console.log(
    `soak: ${MINUTES} min, ${values.pglite ? 'PGlite' : `PostgreSQL ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`}`,
  );
  console.log(
    machine(),
    `, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  let exitCode = 0;
  let session: http2.ClientHttp2Session | null = null;
  let s13: S13Client | null = null;
  try {
    const registry = await startServer(
      'registry',
      {
        OPENCEIR_HTTP_PORT: '0',
        OPENCEIR_SBI_PORT: '0',
        OPENCEIR_DIAMETER_PORT: '0',
        OPENCEIR_DATA_DIR: path.join(dir, 'registry'),
        OPENCEIR_ADMIN_API_KEY: registryKey,
        OPENCEIR_DEMO: '0',
        DATABASE_URL: databaseUrl,
      },
      path.join(dir, 'registry.log'),
    );
    const node = await startServer(
      'node',
      {
        OPENCEIR_ROLE: 'check-node',
        OPENCEIR_FOLLOW: registry.url,
        OPENCEIR_FOLLOW_API_KEY: registryKey,
        OPENCEIR_ADMIN_API_KEY: nodeKey,
        OPENCEIR_NODE_NAME: 'soak-node',
        OPENCEIR_HTTP_PORT: '0',
        OPENCEIR_SBI_PORT: '0',
        OPENCEIR_DIAMETER_PORT: '0',
        OPENCEIR_DATA_DIR: path.join(dir, 'node'),
        DATABASE_URL: '',
      },
      path.join(dir, 'node.log'),
    );
    const sbiUrl = /N5g-eir \(5G\)\s+(http:\/\/\S+?)\/n5g-eir/.exec(node.banner)?.[1];
    const s13Port = Number(/S13 \(4G\)\s+TCP \S+:(\d+)/.exec(node.banner)?.[1]);
    if (!sbiUrl || !s13Port)
      throw new Error(`the check node's banner names no N5g-eir URL or S13 port:\n${node.banner}`);
    console.log(`registry ${registry.url}, check node ${node.url} (N5g-eir ${sbiUrl}, S13 port ${s13Port})`);

    session = http2.connect(sbiUrl);
    session.on('error', (e) => error('sbi', `session: ${e.message}`));
    s13 = (
      await S13Client.connect({
        host: '127.0.0.1',
        port: s13Port,
        originHost: 'mme.soak.epc.mnc001.mcc001.3gppnetwork.org',
        originRealm: 'epc.mnc001.mcc001.3gppnetwork.org',
        destinationRealm: 'openceir.localdomain',
      })
    ).client;
    const call = api(registry, registryKey);

    const started = performance.now();
    const endAt = started + MINUTES * 60_000;
    const inFlight = new Set<Promise<void>>();
    const launch = (kind: Kind, work: () => Promise<void>): boolean => {
      if (inFlight.size >= MAX_IN_FLIGHT) {
        error(kind, `over ${MAX_IN_FLIGHT} requests in flight: not sent`);
        return false;
      }
      const p = work()
        .catch((e: Error) => error(kind, `exception: ${e.message}`))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      return true;
    };
    // Each kind paced on its own timer; a case or import step waits for the previous one.
    const timers: NodeJS.Timeout[] = [];
    const paced = (kind: 'sbi' | 's13' | 'rest', check: (d: Device) => Promise<void>) => {
      if (RATE[kind] === 0) return;
      let owed = 0;
      timers.push(
        setInterval(() => {
          owed += RATE[kind] / 10;
          for (; owed >= 1; owed--) launch(kind, () => check(pick(devices)));
        }, 100),
      );
    };
    paced('sbi', (d) => sbiCheck(session!, d));
    paced('s13', (d) => s13Check(s13!, d));
    paced('rest', (d) => restCheck(call, d));
    const serial = (kind: Kind, everyS: number, step: () => Promise<void>) => {
      let busy = false;
      timers.push(
        setInterval(() => {
          if (busy) return;
          busy = launch(kind, () => step().finally(() => (busy = false)));
        }, everyS * 1000),
      );
    };
    serial('case', CASE_EVERY_S, () => caseStep(call));
    serial('import', IMPORT_EVERY_S, () => importStep(registry, registryKey, dir));

    const samples: Sample[] = [];
    console.log(HEADER);
    for (let next = started + SAMPLE_S * 1000; ; next += SAMPLE_S * 1000) {
      const last = next >= endAt;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, Math.min(next, endAt) - performance.now())),
      );
      const kinds = current;
      current = fresh();
      const memory: Sample['memory'] = {};
      for (const server of [registry, node])
        memory[server.name] = await metricsOf(server).catch(() => ({ rss: Number.NaN, heap: Number.NaN }));
      const head = await call('GET', '/ledger/v1/head').catch(() => ({ body: { treeSize: Number.NaN } }));
      const sample = {
        atMinutes: (performance.now() - started) / 60_000,
        kinds,
        memory,
        ledger: Number(head.body.treeSize),
      };
      samples.push(sample);
      console.log(sampleLine(sample));
      if (last || servers.length < 2) break;
    }
    for (const timer of timers) clearInterval(timer);
    // An import runs a CLI process (bounded at two minutes): the last one may still be under way.
    const settled = await Promise.race([
      Promise.allSettled([...inFlight]).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 130_000).unref()),
    ]);
    if (!settled) error('server', `${inFlight.size} requests still in flight 130 s after the end`);

    console.log(
      `\ntotals over ${samples.at(-1)?.atMinutes.toFixed(1)} min (latency on a shared, busy machine):`,
    );
    for (const k of KINDS) {
      const t = totals[k];
      console.log(
        `  ${k.padEnd(7)} ${String(t.requests).padStart(8)} requests  ${String(t.errors).padStart(5)} errors  ${String(t.shed).padStart(5)} refused by admission control  ${String(t.lags).padStart(5)} answered with the status before a change (within the ${GRACE_MS / 1000} s grace)`,
      );
      if (t.shed > SHED_LIMIT * t.requests)
        error(
          k,
          `admission control refused ${t.shed} of ${t.requests} (over ${SHED_LIMIT * 100}%) at a steady modest rate`,
        );
    }
    console.log(
      `  cases: ${casesOpened} opened, ${casesClosed} closed; imports: ${importNumber}; ledger ${samples.at(-1)?.ledger} entries`,
    );
    console.log('memory trend:');
    for (const name of ['registry', 'node'])
      for (const of of ['rss', 'heap'] as const) console.log(`  ${trend(samples, name, of)}`);

    const verify = await runCli(['ledger', 'verify', '--server', registry.url, '--api-key', registryKey]);
    console.log(verify.stdout.trim() || verify.stderr.trim());
    if (verify.code !== 0) error('server', `ledger verify exited ${verify.code}`);
  } catch (e) {
    error('server', `soak stopped: ${(e as Error).message}`);
  } finally {
    session?.close();
    s13?.destroy();
    stopping = true;
    // The check node first: a registry stopping under a follower answers its polls with 503.
    for (const server of servers.reverse()) {
      server.child.kill('SIGTERM');
      const guard = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
      const code = await server.exited;
      clearTimeout(guard);
      if (code !== 0) error('server', `${server.name} stopped with status ${code}`);
    }
    if (!values.keep) {
      await dropDatabase().catch((e: Error) => console.log(`could not drop the soak database: ${e.message}`));
      rmSync(dir, { recursive: true, force: true });
    } else console.log(`kept: ${dir}${databaseUrl ? ` and ${databaseUrl}` : ''}`);
  }
  const total = [...errorCounts.values()].reduce((a, b) => a + b, 0);
  if (total > 0) {
    exitCode = 1;
    console.log(`\n${total} ERRORS:`);
    for (const [what, n] of errorCounts) console.log(`  ${String(n).padStart(6)} × ${what}`);
    console.log('first ones:');
    for (const line of errorSamples) console.log(`  ${line}`);
  } else console.log('\nno errors');
  return exitCode;
}

process.exitCode = await main();
