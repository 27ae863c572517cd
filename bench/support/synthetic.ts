/**
 * A synthetic national check index for benchmarks: N devices with a status, spread over TACs the way a
 * real stolen list is (a few thousand devices per TAC), with a handful of reason sets and status days
 * over the last three years. Deterministic for a given size: the same N gives the same keys.
 */
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CheckIndex } from '../../src/check/index.ts';
import { readSnapshot, writeSnapshot } from '../../src/check/snapshot.ts';
import { DeviceTableBuilder, dayOf, PairingTable, type SlotTemplate } from '../../src/check/tables.ts';

const SETS: SlotTemplate[][] = [
  [{ status: 'blocked', reason: 'stolen', source: 'police', list: null }],
  [{ status: 'blocked', reason: 'lost', source: 'owner', list: null }],
  [{ status: 'blocked', reason: 'stolen', source: 'operator', list: 'stolen' }],
  [{ status: 'tracked', reason: 'stolen', source: 'police', list: null }],
  [{ status: 'blocked', reason: 'counterfeit', source: 'regulator', list: 'blacklist' }],
  [
    { status: 'blocked', reason: 'stolen', source: 'police', list: null },
    { status: 'tracked', reason: 'duplicate', source: 'regulator', list: null },
  ],
];

/** Devices per TAC: 5,000 of a million serials, so a TAC block is a short binary search. */
export const PER_TAC = 5000;
const FIRST_TAC = 35_000_000;

/** xorshift32: fast, deterministic. */
export function random(seed = 2463534242): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** The TAC of the b-th block: spread over the 35… range, one TAC in seven. */
export const tacOf = (block: number) => FIRST_TAC + block * 7;

/**
 * The device keys of the synthetic index, as numbers in ascending order, one per call of `each`.
 * Serials in a TAC block are evenly spaced with jitter, so a lookup of a serial between two of them
 * misses.
 */
export function forEachKey(n: number, each: (key: number, i: number) => void): void {
  const next = random(n);
  const blocks = Math.ceil(n / PER_TAC);
  const step = Math.floor(1_000_000 / PER_TAC);
  let i = 0;
  for (let b = 0; b < blocks && i < n; b++) {
    const base = tacOf(b) * 1e6;
    for (let s = 0; s < PER_TAC && i < n; s++) {
      const serial = s * step + Math.floor(next() * (step - 1));
      each(base + serial, i++);
    }
  }
}

export function syntheticIndex(n: number): CheckIndex {
  const builder = new DeviceTableBuilder(SETS);
  const next = random(7);
  const today = dayOf(new Date().toISOString());
  forEachKey(n, (key) => {
    const r = next();
    builder.add(key, Math.floor(r * SETS.length), today - Math.floor(next() * 1100));
  });
  return new CheckIndex({
    position: n,
    devices: builder.build(),
    pairings: PairingTable.from([]),
    rules: new Map(),
    deviceOverlay: new Map(),
    pairingOverlay: new Map(),
  });
}

/** The directory benchmarks keep their generated files in (OPENCEIR_BENCH_DIR or the OS temp dir). */
export function benchDirectory(): string {
  const dir = process.env.OPENCEIR_BENCH_DIR ?? path.join(os.tmpdir(), 'openceir-bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The snapshot file of a synthetic index of n devices, written once and reused by later runs. */
export async function syntheticSnapshot(n: number): Promise<string> {
  const file = path.join(benchDirectory(), `index-${n}.oceirix`);
  if (!existsSync(file)) await writeSnapshot(file, syntheticIndex(n), []);
  return file;
}

export async function loadSynthetic(n: number): Promise<CheckIndex> {
  return (await readSnapshot(await syntheticSnapshot(n))).index;
}

/** A 15-digit IMEI (with its check digit) of a device key. */
export function imeiOf(key: number): string {
  const digits = String(key).padStart(14, '0');
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = digits.charCodeAt(13 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${digits}${(10 - (sum % 10)) % 10}`;
}
