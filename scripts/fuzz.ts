/**
 * Fuzzes the S13 Diameter server and the N5g-eir server, running as a child process on loopback:
 * mutated Diameter messages over TCP (RFC 6733 framing, Result-Codes, Failed-AVP, liveness probes)
 * and random PEIs, SUPIs and GPSIs through check() and over HTTP/2 (TS 29.500 / 29.511 answers).
 * Prints progress and a summary; exits 1 on any violation, printing what reproduces it, and 2 when
 * the time limit stopped the run early.
 *
 *   npx tsx scripts/fuzz.ts [--diameter 1000000] [--pei 1000000] [--seed N] [--http-every 10]
 *                           [--connections 16] [--time-limit 1800] [--in-process]
 *   One input again: npx tsx scripts/fuzz.ts --seed N --diameter 1 --diameter-from INDEX --pei 0
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { FuzzReport } from '../test/support/fuzz/report.ts';
import { runFuzz } from '../test/support/fuzz/run.ts';

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
  },
});
const seed =
  values.seed !== undefined ? Number(values.seed) >>> 0 : Math.floor(Math.random() * 0x1_0000_0000);
const diameter = Number(values.diameter);
const identities = Number(values.pei);

console.log(
  `fuzz: seed ${seed}, ${diameter} Diameter mutants, ${identities} identities (1 in ${values['http-every']} over HTTP/2)`,
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
  return `${s.toFixed(0).padStart(5)} s  diameter ${d} (${(d / s).toFixed(0)}/s, ${report.get('diameter closes')} closes)  identities ${p} (${report.get('identities over HTTP/2')} over HTTP/2)  violations ${report.violationCount}`;
};
const startedAt = Date.now();
const result = await runFuzz(
  {
    seed,
    diameter,
    diameterFrom: Number(values['diameter-from']),
    identities,
    identitiesFrom: Number(values['pei-from']),
    httpEvery: Number(values['http-every']),
    connections: Number(values.connections),
    inProcess: values['in-process'],
    timeLimitMs: Number(values['time-limit']) * 1000,
  },
  (report) => {
    progress = setInterval(() => console.log(line(report, startedAt)), 10_000);
  },
);
clearInterval(progress);

const { report } = result;
console.log(`\n${line(report, startedAt)}\n`);
for (const [key, n] of [...report.counts].sort(([a], [b]) => a.localeCompare(b)))
  console.log(`${String(n).padStart(9)}  ${key}`);
console.log(
  `\n${(result.elapsedMs / 1000).toFixed(1)} s: ${report.get('diameter mutants')} Diameter mutants, ${report.get('identities')} identities (${report.get('identities over HTTP/2')} over HTTP/2), ${report.violationCount} violations`,
);
for (const v of report.violations) console.log(`\n${report.describe(v)}`);
if (report.violationCount > report.violations.length)
  console.log(`\n… and ${report.violationCount - report.violations.length} more violations`);
if (!result.complete)
  console.log('\nincomplete: the time limit stopped the run before the counts were reached');
process.exit(report.violationCount > 0 ? 1 : result.complete ? 0 : 2);
