/**
 * Distinct IMEIs, IMSIs and MSISDNs per day of a file, for the historic checks, in bounded memory:
 * exact sets while the file's distinct values stay under a budget, then HyperLogLog sketches. The
 * sketches are filled from the exact sets at the switch: a sketch depends only on the set of values
 * it saw, not on their order or repeats, so the switch loses nothing, and a file that stays under
 * the budget never hashes a value. DIRBS counts these with HLL throughout.
 */
import { HyperLogLog } from './hll.ts';

export type DistinctKind = 'imei' | 'imsi' | 'msisdn';
const KINDS: readonly DistinctKind[] = ['imei', 'imsi', 'msisdn'];

interface Day {
  readonly sketches: Record<DistinctKind, HyperLogLog>;
  readonly exact: Record<DistinctKind, Set<string>>;
}

export interface DailyDistinct {
  readonly date: string;
  readonly imei: number;
  readonly imsi: number;
  readonly msisdn: number;
}

export interface DistinctSummary {
  readonly method: 'exact' | 'hyperloglog';
  /** False when the file has more days than `maxDays`: the averages are then not computed. */
  readonly complete: boolean;
  readonly days: readonly DailyDistinct[];
  readonly average: { readonly imei: number; readonly imsi: number; readonly msisdn: number } | null;
}

export class DailyDistinctCounter {
  private readonly days = new Map<string, Day>();
  private exactEntries = 0;
  private exact = true;
  private overflow = false;

  /**
   * @param exactLimit distinct values (all days and kinds together) counted exactly before the
   *   switch to HyperLogLog; about 80 bytes each.
   * @param maxDays days tracked at most (48 KiB of sketches each).
   */
  constructor(
    private readonly exactLimit = 100_000,
    private readonly maxDays = 366,
  ) {}

  add(date: string, values: Readonly<Record<DistinctKind, string | null>>): void {
    let day = this.days.get(date);
    if (day === undefined) {
      if (this.days.size >= this.maxDays) {
        this.overflow = true;
        return;
      }
      day = {
        sketches: { imei: new HyperLogLog(), imsi: new HyperLogLog(), msisdn: new HyperLogLog() },
        exact: { imei: new Set(), imsi: new Set(), msisdn: new Set() },
      };
      this.days.set(date, day);
    }
    for (const kind of KINDS) {
      const value = values[kind];
      if (value === null) continue;
      if (!this.exact) {
        day.sketches[kind].add(value);
        continue;
      }
      const set = day.exact[kind];
      const before = set.size;
      set.add(value);
      if (set.size > before && ++this.exactEntries > this.exactLimit) this.dropExact();
    }
  }

  /** Moves every day's exact sets into its sketches and counts with the sketches from now on. */
  private dropExact(): void {
    this.exact = false;
    for (const day of this.days.values()) {
      for (const kind of KINDS) {
        const sketch = day.sketches[kind];
        for (const value of day.exact[kind]) sketch.add(value);
        day.exact[kind].clear();
      }
    }
  }

  summary(): DistinctSummary {
    const days = [...this.days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([date, day]) => {
        const count = (kind: DistinctKind) =>
          this.exact ? day.exact[kind].size : day.sketches[kind].count();
        return { date, imei: count('imei'), imsi: count('imsi'), msisdn: count('msisdn') };
      });
    const mean = (kind: DistinctKind) => days.reduce((sum, d) => sum + d[kind], 0) / days.length;
    return {
      method: this.exact ? 'exact' : 'hyperloglog',
      complete: !this.overflow,
      days,
      average:
        days.length === 0 || this.overflow
          ? null
          : { imei: mean('imei'), imsi: mean('imsi'), msisdn: mean('msisdn') },
    };
  }
}
