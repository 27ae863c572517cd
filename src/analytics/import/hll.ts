/**
 * A HyperLogLog sketch for the daily distinct counts of the historic import checks (DIRBS keeps
 * `daily_per_mno_hll_sketches` with the PostgreSQL `hll` extension, dirbs-compat.md §1.3, §2.2).
 *
 * 2^14 one-byte registers (16 KiB). Each value gets a 64-bit hash (two MurmurHash3 x86_32 runs with
 * different seeds): 14 bits choose the register, the other 50 give the rank. The count uses Ertl's
 * improved raw estimator ("New cardinality estimation algorithms for HyperLogLog sketches", 2017,
 * §3–4), which is unbiased from 0 to far beyond 10^9 without the empirical tables of HLL++.
 * Relative standard error 1.04 / √16384 ≈ 0.81 %: within ±2.4 % for 99.7 % of counts.
 */

const P = 14;
const M = 1 << P;
/** Bits left for the rank after the register index: 64 − P. */
const Q = 64 - P;

/** MurmurHash3 x86_32 over the UTF-16 code units of `text` (identifiers are ASCII). */
export function murmur3(text: string, seed: number): number {
  let h = seed >>> 0;
  const n = text.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let k =
      (text.charCodeAt(i) & 0xff) |
      ((text.charCodeAt(i + 1) & 0xff) << 8) |
      ((text.charCodeAt(i + 2) & 0xff) << 16) |
      ((text.charCodeAt(i + 3) & 0xff) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rest = n - i;
  if (rest > 0) {
    let k = text.charCodeAt(i) & 0xff;
    if (rest > 1) k |= (text.charCodeAt(i + 1) & 0xff) << 8;
    if (rest > 2) k |= (text.charCodeAt(i + 2) & 0xff) << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class HyperLogLog {
  readonly registers = new Uint8Array(M);

  add(value: string): void {
    const high = murmur3(value, 0x9747b28c);
    const low = murmur3(value, 0x5bd1e995);
    const index = high >>> (32 - P);
    // The 50 rank bits: the low 18 of `high`, then the 32 of `low`. Rank = leading zeros + 1.
    const top = high & ((1 << (32 - P)) - 1);
    let rank: number;
    if (top !== 0) rank = Math.clz32(top) - P + 1;
    else rank = low !== 0 ? 32 - P + Math.clz32(low) + 1 : Q + 1;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  /** Folds another sketch in (the union of the two sets). */
  merge(other: HyperLogLog): void {
    for (let j = 0; j < M; j++)
      if (other.registers[j]! > this.registers[j]!) this.registers[j] = other.registers[j]!;
  }

  count(): number {
    const histogram = new Array<number>(Q + 2).fill(0);
    for (let j = 0; j < M; j++) histogram[this.registers[j]!]!++;
    let z = M * tau(1 - histogram[Q + 1]! / M);
    for (let k = Q; k >= 1; k--) z = 0.5 * (z + histogram[k]!);
    z += M * sigma(histogram[0]! / M);
    return Math.round((M * M) / (2 * Math.LN2) / z);
  }
}

/** Ertl's σ(x) = x + Σ_{k≥1} x^(2^k) 2^(k−1); the series converges in a few dozen steps for x < 1. */
function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  for (let step = 0; step < 1100; step++) {
    x *= x;
    const previous = z;
    z += x * y;
    y += y;
    if (z === previous) break;
  }
  return z;
}

/** Ertl's τ(x) = (1/3)(1 − x − Σ_{k≥1} (1 − x^(2^−k))² 2^−k). */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (let step = 0; step < 1100; step++) {
    x = Math.sqrt(x);
    const previous = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (z === previous) break;
  }
  return z / 3;
}
