/**
 * Fuzzes the S13 Diameter server and the N5g-eir server, running as a child process on loopback:
 * mutated Diameter messages over TCP (RFC 6733 framing, Result-Codes, Failed-AVP, liveness probes)
 * and random PEIs, SUPIs and GPSIs through check() and over HTTP/2 (TS 29.500 / 29.511 answers).
 * Then, in this process, the parsers of outside text: SMS commands (--smpp), list and operator CSV
 * files and rows with imports on PGlite (--csv), YAML configuration and trust policies (--yaml), and
 * every operation of the HTTP API's OpenAPI document with random parameters and bodies (--http).
 * Prints progress and a summary; exits 1 on any violation, printing what reproduces it, and 2 when
 * the time limit stopped the run early.
 *
 *   npx tsx scripts/fuzz.ts [--diameter 1000000] [--pei 1000000] [--smpp 0] [--csv 0] [--yaml 0] [--http 0]
 *                           [--seed N] [--http-every 10] [--connections 16] [--time-limit 1800]
 *                           [--in-process] [--import-every 20]
 *   (--import-every: one CSV case in this many imports a whole file into a PGlite ledger; 0: none)
 *   One input again: npx tsx scripts/fuzz.ts --seed N --diameter 1 --diameter-from INDEX --pei 0
 *                    npx tsx scripts/fuzz.ts --seed N --diameter 0 --pei 0 --smpp 1 --smpp-from INDEX
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { csvFuzzer } from '../test/support/fuzz/csv.ts';
import { httpFuzzer } from '../test/support/fuzz/http.ts';
import { fuzzParser, type ParserFuzzer } from '../test/support/fuzz/parser-run.ts';
import { FuzzReport } from '../test/support/fuzz/report.ts';
import { runFuzz } from '../test/support/fuzz/run.ts';
import { smppFuzzer } from '../test/support/fuzz/smpp.ts';
import { yamlFuzzer } from '../test/support/fuzz/yaml.ts';

const { values } = parseArgs({
  options: {
    diameter: { type: 'string', default: '1000000' },
    'diameter-from': { type: 'string', default: '0' },
    pei: { type: 'string', default: '1000000' },
    'pei-from': { type: 'string', default: '0' },
    seed: { type: 'string' },
    'http-every': { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    'time-limit': { type: 'string', default: '1800' },
    'in-process': { type: 'boolean', default: false },
    smpp: { type: 'string', default: '0' },
    'smpp-from': { type: 'string', default: '0' },
    csv: { type: 'string', default: '0' },
    'csv-from': { type: 'string', default: '0' },
    'import-every': { type: 'string', default: '20' },
    yaml: { type: 'string', default: '0' },
    'yaml-from': { type: 'string', default: '0' },
    http: { type: 'string', default: '0' },
    'http-from': { type: 'string', default: '0' },
  },
});

/** Each count option: a whole number, or an error naming the option. */
for (const name of [
  'diameter',
  'diameter-from',
  'pei',
  'pei-from',
  'smpp',
  'smpp-from',
  'csv',
  'csv-from',
  'import-every',
] as const) {
  if (!/^[0-9]{1,10}$/.test(values[name])) {
    console.error(`--${name} must be a whole number of cases; got ${JSON.stringify(values[name])}`);
    process.exit(64);
  }
}
/** The in-process parser fuzzers, in the order they run, with their counts and first index. */
const parsers = (
  [
    ['smpp', () => smppFuzzer],
    ['csv', () => csvFuzzer({ importEvery: Number(values['import-every']) })],
    ['yaml', () => yamlFuzzer()],
    ['http', () => httpFuzzer()],
  ] as const
)
  .map(([area, make]) => ({ area, make, count: Number(values[area]), from: Number(values[`${area}-from`]) }))
  .filter((p) => p.count > 0)
  // Made only when asked for: some hold a temporary directory or start an app.
  .map(({ make, count, from }): { fuzzer: ParserFuzzer; count: number; from: number } => ({
    fuzzer: make(),
    count,
    from,
  }));
const seed =
  values.seed !== undefined ? Number(values.seed) >>> 0 : Math.floor(Math.random() * 0x1_0000_0000);
const diameter = Number(values.diameter);
const identities = Number(values.pei);

console.log(
  `fuzz: seed ${seed}, ${diameter} Diameter mutants, ${identities} identities (1 in ${values['http-every']} over HTTP/2)${parsers.map((p) => `, ${p.count} ${p.fuzzer.area}`).join('')}`,
);
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

let progress: NodeJS.Timeout | undefined;
const line = (report: FuzzReport, startedAt: number) => {
  const s = (Date.now() - startedAt) / 1000;
  const d = report.get('diameter mutants');
  const p = report.get('identities');
  const others = parsers
    .map(({ fuzzer }) => `  ${fuzzer.area} ${report.get(`${fuzzer.area} cases`)}`)
    .join('');
  return `${s.toFixed(0).padStart(5)} s  diameter ${d} (${(d / s).toFixed(0)}/s, ${report.get('diameter closes')} closes)  identities ${p} (${report.get('identities over HTTP/2')} over HTTP/2)${others}  violations ${report.violationCount}`;
};
const startedAt = Date.now();
const timeLimitMs = Number(values['time-limit']) * 1000;
/** The servers' child process only when there is something to send it. */
async function runServers() {
  if (diameter + identities === 0) {
    const report = new FuzzReport(seed);
    progress = setInterval(() => console.log(line(report, startedAt)), 10_000);
    return { report, complete: true };
  }
  return runFuzz(
    {
      seed,
      diameter,
      diameterFrom: Number(values['diameter-from']),
      identities,
      identitiesFrom: Number(values['pei-from']),
      httpEvery: Number(values['http-every']),
      connections: Number(values.connections),
      inProcess: values['in-process'],
      timeLimitMs,
    },
    (report) => {
      progress = setInterval(() => console.log(line(report, startedAt)), 10_000);
    },
  );
}
const servers = await runServers();
// The parsers share the run's report and its time limit.
const { report } = servers;
for (const { fuzzer, count, from } of parsers)
  await fuzzParser(fuzzer, { seed, count, from, deadline: startedAt + timeLimitMs }, report);
clearInterval(progress);
const result = {
  elapsedMs: Date.now() - startedAt,
  complete: servers.complete && parsers.every((p) => report.get(`${p.fuzzer.area} cases`) >= p.count),
};

console.log(`\n${line(report, startedAt)}\n`);
for (const [key, n] of [...report.counts].sort(([a], [b]) => a.localeCompare(b)))
  console.log(`${String(n).padStart(9)}  ${key}`);
console.log(
  `\n${(result.elapsedMs / 1000).toFixed(1)} s: ${report.get('diameter mutants')} Diameter mutants, ${report.get('identities')} identities (${report.get('identities over HTTP/2')} over HTTP/2)${parsers.map((p) => `, ${report.get(`${p.fuzzer.area} cases`)} ${p.fuzzer.area} cases`).join('')}, ${report.violationCount} violations`,
);
for (const v of report.violations) console.log(`\n${report.describe(v)}`);
if (report.violationCount > report.violations.length)
  console.log(`\n… and ${report.violationCount - report.violations.length} more violations`);
if (!result.complete)
  console.log('\nincomplete: the time limit stopped the run before the counts were reached');
process.exit(report.violationCount > 0 ? 1 : result.complete ? 0 : 2);
