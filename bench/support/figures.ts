/** What benchmarks print: the machine they ran on, medians, percentiles, aligned figures. */
import os from 'node:os';

export const machine = () =>
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0
    ? Number.NaN
    : sorted.length % 2
      ? sorted[mid]!
      : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0–100) of values sorted ascending (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * Latencies in fixed buckets (`bucketMicros` wide, the last one holding everything beyond): bounded
 * memory whatever the count, and histograms of several processes add up.
 */
export class LatencyHistogram {
  readonly counts: Uint32Array;

  constructor(
    readonly bucketMicros = 10,
    buckets = 100_000,
  ) {
    this.counts = new Uint32Array(buckets);
  }

  record(micros: number): void {
    const b = Math.floor(micros / this.bucketMicros);
    this.counts[Math.min(this.counts.length - 1, Math.max(0, b))]! += 1;
  }

  add(counts: Uint32Array): void {
    for (let i = 0; i < counts.length; i++) this.counts[i]! += counts[i]!;
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts) n += c;
    return n;
  }

  /** The p-th percentile (0–100) in µs: the upper edge of its bucket. */
  percentile(p: number): number {
    const total = this.total;
    if (total === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return (i + 1) * this.bucketMicros;
    }
    return this.counts.length * this.bucketMicros;
  }
}

export const count = (n: number) => Math.round(n).toLocaleString('en');
export const ms = (micros: number) => (micros / 1000).toFixed(2);
export const percent = (share: number) => `${Math.round(share * 100)}%`;
/** A table row: each cell right-aligned to its width (the first left-aligned). */
export const row = (cells: readonly string[], widths: readonly number[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
