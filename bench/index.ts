/**
 * Benchmark: the check index at national scale. For each size (default 10 M and 100 M devices with a
 * status): build time, bytes per device key (typed arrays, and the process's array-buffer memory), the
 * snapshot file's size, write and load time, and lookups per second — the table lookup alone, the
 * index's facts for a device, and a whole `check()` of an IMEI string (parse, facts, decide). Half
 * the lookups hit a device in the index, half miss.
 *
 * Baseline in the same run: a JavaScript Map from device key to set id, the obvious structure, at
 * the sizes a Map can hold (its limit is 2^24 entries): its memory per key and lookups/s, and the ratio.
 *
 *   node --expose-gc --import tsx bench/index.ts [--sizes 10000000,100000000] [--lookups 5000000]
 *
 * Snapshots are kept in OPENCEIR_BENCH_DIR (default: the OS temp directory) for other benchmarks.
 */
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { check } from '../src/check/check.ts';
import { DEFAULT_POLICY } from '../src/check/policy.ts';
import { readSnapshot, writeSnapshot } from '../src/check/snapshot.ts';
import { benchDirectory, forEachKey, imeiOf, random, syntheticIndex } from './support/synthetic.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000000,100000000' },
    lookups: { type: 'string', default: '5000000' },
    rounds: { type: 'string', default: '5' },
  },
});
const sizes = values.sizes!.split(',').map(Number);
const LOOKUPS = Number(values.lookups);
const ROUNDS = Number(values.rounds);

const gc = (globalThis as { gc?: () => void }).gc;
const arrayBytes = () => {
  gc?.();
  return process.memoryUsage().arrayBuffers;
};
const heapBytes = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};
const ms = (start: number) => performance.now() - start;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** Probe keys: every other one in the index, the others one serial off (a miss, almost always). */
function probes(n: number, count: number): Float64Array {
  const keys = new Float64Array(count);
  const wanted = new Map<number, number>();
  const next = random(99);
  for (let i = 0; i < count; i++) wanted.set(Math.floor(next() * n), i);
  const positions = [...wanted.keys()].sort((a, b) => a - b);
  let p = 0;
  forEachKey(n, (key, i) => {
    while (p < positions.length && positions[p] === i) {
      const slot = wanted.get(positions[p]!)!;
      keys[slot] = slot % 2 === 0 ? key : key + 1;
      p += 1;
    }
  });
  // Slots whose random position collided keep 0: give them a fresh miss.
  for (let i = 0; i < count; i++) if (keys[i] === 0) keys[i] = 99_000_000_000_000 + i;
  return keys;
}

/** Median lookups per second over rounds of `count` calls of `fn` on the probe keys. */
function rate(
  keys: Float64Array,
  count: number,
  fn: (key: number) => number,
): { perSecond: number; hits: number } {
  const results: number[] = [];
  let hits = 0;
  for (let r = 0; r < ROUNDS; r++) {
    hits = 0;
    const start = performance.now();
    for (let i = 0; i < count; i++) hits += fn(keys[i % keys.length]!);
    results.push(count / (ms(start) / 1000));
  }
  return { perSecond: median(results), hits };
}

interface Row {
  readonly label: string;
  readonly values: string[];
}
const rows: Row[] = [];
const row = (label: string, ...values: string[]) => rows.push({ label, values });

for (const n of sizes) {
  console.log(`\n— ${fmt(n)} devices —`);
  const before = arrayBytes();
  let start = performance.now();
  const built = syntheticIndex(n);
  const buildMs = ms(start);
  const stats = built.stats();
  const held = arrayBytes() - before;
  console.log(`built in ${fmt(buildMs)} ms; ${stats.bytesPerDevice.toFixed(2)} B/key in typed arrays`);

  const file = `${benchDirectory()}/index-${n}.oceirix`;
  start = performance.now();
  await writeSnapshot(file, built, []);
  const writeMs = ms(start);
  const fileBytes = statSync(file).size;

  start = performance.now();
  const { index } = await readSnapshot(file);
  const loadMs = ms(start);
  console.log(
    `snapshot ${fmt(fileBytes / 1e6)} MB written in ${fmt(writeMs)} ms, loaded in ${fmt(loadMs)} ms`,
  );

  const keys = probes(n, Math.min(LOOKUPS, 1_000_000));
  const table = index.parts().devices;
  const find = rate(keys, LOOKUPS, (k) => (table.find(k) >= 0 ? 1 : 0));
  const facts = rate(keys, Math.max(1, LOOKUPS / 5), (k) => {
    const key = String(k).padStart(14, '0');
    return index.facts(key, null, Date.now()).reasons.length > 0 ? 1 : 0;
  });
  const imeis = Array.from(keys.subarray(0, 200_000), (k) => `imei-${imeiOf(k)}`);
  const checks: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const count = Math.max(1, LOOKUPS / 10);
    let blocked = 0;
    const s = performance.now();
    for (let i = 0; i < count; i++)
      if (check(index, DEFAULT_POLICY, { equipment: imeis[i % imeis.length]! }).status === 'blocked')
        blocked += 1;
    checks.push(count / (ms(s) / 1000));
    if (blocked === 0) throw new Error('no probe was blocked: the probes do not reach the index');
  }
  if (find.hits === 0) throw new Error('no probe found: the probes do not reach the index');

  row(`${fmt(n)} keys: bytes/key (typed arrays)`, stats.bytesPerDevice.toFixed(2), '≤ 10');
  row(`${fmt(n)} keys: bytes/key (array buffers held)`, (held / n).toFixed(2));
  row(`${fmt(n)} keys: build from sorted rows`, `${fmt(buildMs)} ms`);
  row(`${fmt(n)} keys: snapshot size`, `${(fileBytes / n).toFixed(2)} B/key`);
  row(`${fmt(n)} keys: snapshot write`, `${fmt(writeMs)} ms`);
  row(`${fmt(n)} keys: snapshot load`, `${fmt(loadMs)} ms`);
  row(`${fmt(n)} keys: table lookups/s`, fmt(find.perSecond), '≥ 5,000,000');
  row(`${fmt(n)} keys: index facts/s`, fmt(facts.perSecond));
  row(`${fmt(n)} keys: check(imei-…)/s`, fmt(median(checks)));

  if (n <= 2 ** 24 - 1) {
    const beforeMap = heapBytes();
    const map = new Map<number, number>();
    forEachKey(n, (key, i) => map.set(key, i % 6));
    const mapBytes = heapBytes() - beforeMap;
    const mapRate = rate(keys, LOOKUPS, (k) => (map.get(k) !== undefined ? 1 : 0));
    row(`${fmt(n)} keys: baseline Map bytes/key`, (mapBytes / n).toFixed(2));
    row(`${fmt(n)} keys: baseline Map lookups/s`, fmt(mapRate.perSecond));
    row(`${fmt(n)} keys: table/Map lookups ratio`, (find.perSecond / mapRate.perSecond).toFixed(2));
    row(`${fmt(n)} keys: Map/table memory ratio`, (mapBytes / n / stats.bytesPerDevice).toFixed(1));
    map.clear();
  } else {
    row(`${fmt(n)} keys: baseline Map`, 'cannot hold it (limit 2^24 entries)');
  }
}

console.log(`\nnode ${process.version}, ${ROUNDS} rounds, medians\n`);
const width = Math.max(...rows.map((r) => r.label.length));
for (const r of rows)
  console.log(`${r.label.padEnd(width)}  ${r.values.map((v) => v.padStart(16)).join('  ')}`);
