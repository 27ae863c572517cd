/**
 * The compact part of the check index: every device with a status, 8 bytes each, and every pairing,
 * 20 bytes each, in typed arrays built once and never changed (changes go to the overlay in index.ts).
 *
 * Devices are grouped by TAC: a sorted list of TACs with offsets, and per device its 6-digit serial
 * (Uint32), the id of its reason set (Uint16, or Uint32 past 65,535 distinct sets) and the day its status
 * began (Uint16, days since 1970). A reason set is one distinct combination of (status, reason, source,
 * list), shared by every device that has it: a few hundred sets cover millions of devices.
 */
import type { DeviceStatus } from '../ledger/entry.ts';

export interface SlotTemplate {
  readonly status: DeviceStatus;
  readonly reason: string;
  readonly source: string;
  readonly list: string | null;
}

export const DAY_MS = 86_400_000;
export const dayOf = (iso: string) => Math.floor(Date.parse(iso) / DAY_MS);
export const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString();

export class DeviceTable {
  private readonly tacIndex = new Map<number, number>();

  constructor(
    readonly tacs: Uint32Array,
    readonly offsets: Uint32Array,
    readonly snrs: Uint32Array,
    readonly setIds: Uint16Array | Uint32Array,
    readonly sinceDays: Uint16Array,
    readonly sets: readonly (readonly SlotTemplate[])[],
  ) {
    for (let i = 0; i < tacs.length; i++) this.tacIndex.set(tacs[i]!, i);
  }

  get size(): number {
    return this.snrs.length;
  }

  /** Position of a device key (as a number) in the arrays, or −1. */
  find(key: number): number {
    const block = this.tacIndex.get(Math.floor(key / 1e6));
    if (block === undefined) return -1;
    const snr = key % 1e6;
    let lo = this.offsets[block]!;
    let hi = this.offsets[block + 1]!;
    // Interpolation search: serials within a TAC are spread fairly evenly, so guessing the position
    // from the value lands within a few entries; each read also narrows the known value bounds
    // (a, b) of the range, so no read is spent on the range's ends — memory reads are what a lookup
    // costs. A few steps at most, then a binary search ends it: a skewed block costs no more than a
    // plain binary search. Invariant: the serial, if held, is in [lo, hi), whose values are in (a, b).
    let a = -1;
    let b = 1_000_000;
    for (let step = 0; step < 4 && hi - lo > 8; step++) {
      const guess = Math.min(hi - 1, lo + Math.floor(((snr - a) / (b - a)) * (hi - lo)));
      const value = this.snrs[guess]!;
      if (value === snr) return guess;
      if (value < snr) {
        lo = guess + 1;
        a = value;
      } else {
        hi = guess;
        b = value;
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.snrs[mid]!;
      if (value < snr) lo = mid + 1;
      else if (value > snr) hi = mid;
      else return mid;
    }
    return -1;
  }

  keyAt(i: number, block: number): number {
    return this.tacs[block]! * 1e6 + this.snrs[i]!;
  }

  /** Every (key, set id, since day) in key order. */
  *entries(): Generator<[number, number, number]> {
    for (let b = 0; b < this.tacs.length; b++) {
      for (let i = this.offsets[b]!; i < this.offsets[b + 1]!; i++)
        yield [this.keyAt(i, b), this.setIds[i]!, this.sinceDays[i]!];
    }
  }

  /** Bytes held in typed arrays, per device. */
  bytesPerDevice(): number {
    const bytes =
      this.tacs.byteLength +
      this.offsets.byteLength +
      this.snrs.byteLength +
      this.setIds.byteLength +
      this.sinceDays.byteLength;
    return this.size === 0 ? 0 : bytes / this.size;
  }
}

/** Builds a device table from rows in ascending key order. */
export class DeviceTableBuilder {
  private readonly tacs: number[] = [];
  private readonly offsets: number[] = [];
  private snrs = new Uint32Array(1024);
  private setIds = new Uint32Array(1024);
  private since = new Uint16Array(1024);
  private n = 0;
  private lastKey = -1;
  private readonly sets: SlotTemplate[][] = [];
  private readonly setIndex = new Map<string, number>();

  constructor(templates: readonly (readonly SlotTemplate[])[] = []) {
    for (const t of templates) this.setId(t);
  }

  setId(slots: readonly SlotTemplate[]): number {
    const sorted = [...slots].sort((a, b) =>
      slotKey(a) < slotKey(b) ? -1 : slotKey(a) > slotKey(b) ? 1 : 0,
    );
    const key = sorted.map(slotKey).join('\n');
    let id = this.setIndex.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(sorted);
      this.setIndex.set(key, id);
    }
    return id;
  }

  add(key: number, setId: number, sinceDay: number): void {
    if (key <= this.lastKey)
      throw new Error(`device keys must come in ascending order (${key} after ${this.lastKey})`);
    this.lastKey = key;
    const tac = Math.floor(key / 1e6);
    if (this.tacs.length === 0 || this.tacs[this.tacs.length - 1] !== tac) {
      this.tacs.push(tac);
      this.offsets.push(this.n);
    }
    if (this.n === this.snrs.length) this.grow();
    this.snrs[this.n] = key % 1e6;
    this.setIds[this.n] = setId;
    this.since[this.n] = sinceDay;
    this.n += 1;
  }

  private grow(): void {
    const size = this.snrs.length * 2;
    const snrs = new Uint32Array(size);
    snrs.set(this.snrs);
    const setIds = new Uint32Array(size);
    setIds.set(this.setIds);
    const since = new Uint16Array(size);
    since.set(this.since);
    [this.snrs, this.setIds, this.since] = [snrs, setIds, since];
  }

  build(): DeviceTable {
    const setIds =
      this.sets.length <= 0xffff
        ? Uint16Array.from(this.setIds.subarray(0, this.n))
        : this.setIds.slice(0, this.n);
    return new DeviceTable(
      Uint32Array.from(this.tacs),
      Uint32Array.from([...this.offsets, this.n]),
      this.snrs.slice(0, this.n),
      setIds,
      this.since.slice(0, this.n),
      this.sets,
    );
  }
}

export const slotKey = (s: SlotTemplate) => `${s.status}|${s.reason}|${s.source}|${s.list ?? ''}`;

/** IMEI–IMSI pairings, sorted by (device key, IMSI number). */
export class PairingTable {
  constructor(
    readonly keys: Float64Array,
    readonly imsis: Float64Array,
    readonly sourceIds: Uint16Array,
    readonly sinceDays: Uint16Array,
    readonly sources: readonly string[],
  ) {}

  get size(): number {
    return this.keys.length;
  }

  find(key: number, imsi: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid]!;
      if (k < key || (k === key && this.imsis[mid]! < imsi)) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.keys.length && this.keys[lo] === key && this.imsis[lo] === imsi ? lo : -1;
  }

  static from(
    rows: readonly { key: number; imsi: number; source: string; sinceDay: number }[],
  ): PairingTable {
    const sorted = [...rows].sort((a, b) => a.key - b.key || a.imsi - b.imsi);
    const sources: string[] = [];
    const sourceIndex = new Map<string, number>();
    const ids = sorted.map((r) => {
      let id = sourceIndex.get(r.source);
      if (id === undefined) {
        id = sources.length;
        sources.push(r.source);
        sourceIndex.set(r.source, id);
      }
      return id;
    });
    return new PairingTable(
      Float64Array.from(sorted, (r) => r.key),
      Float64Array.from(sorted, (r) => r.imsi),
      Uint16Array.from(ids),
      Uint16Array.from(sorted, (r) => r.sinceDay),
      sources,
    );
  }
}
