/**
 * Concatenated short messages put back together (3GPP TS 23.040 §9.2.3.24.1 and .8: IEI 0x00 with an
 * 8-bit reference, IEI 0x08 with a 16-bit one). Parts may arrive in any order; an incomplete message
 * is dropped after `maxAgeMs` so a lost part cannot hold memory forever. Pure apart from the clock
 * passed in.
 */

export interface ConcatInfo {
  readonly reference: number;
  readonly total: number;
  readonly sequence: number;
}

/** The concatenation element among UDH information elements (each `[IEI, length, …data]`). */
export function concatInfo(elements: readonly Uint8Array[] | undefined): ConcatInfo | null {
  for (const ie of elements ?? []) {
    if (ie[0] === 0x00 && ie[1] === 3 && ie.length >= 5) return valid(ie[2]!, ie[3]!, ie[4]!);
    if (ie[0] === 0x08 && ie[1] === 4 && ie.length >= 6) return valid((ie[2]! << 8) | ie[3]!, ie[4]!, ie[5]!);
  }
  return null;
}

// TS 23.040: total 0 and a sequence of 0 or beyond the total mean the element is to be ignored.
const valid = (reference: number, total: number, sequence: number): ConcatInfo | null =>
  total >= 1 && sequence >= 1 && sequence <= total ? { reference, total, sequence } : null;

interface Pending {
  readonly parts: (string | undefined)[];
  received: number;
  readonly firstAt: number;
}

export class Reassembler {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly maxAgeMs = 5 * 60_000) {}

  /** Adds one part; returns the whole text once every part is in, else null. */
  add(sender: string, info: ConcatInfo, text: string, now = Date.now()): string | null {
    this.expire(now);
    if (info.total === 1) return text;
    const key = `${sender}/${info.reference}/${info.total}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { parts: new Array(info.total).fill(undefined), received: 0, firstAt: now };
      this.pending.set(key, entry);
    }
    if (entry.parts[info.sequence - 1] === undefined) entry.received++;
    entry.parts[info.sequence - 1] = text;
    if (entry.received < info.total) return null;
    this.pending.delete(key);
    return entry.parts.join('');
  }

  get size(): number {
    return this.pending.size;
  }

  private expire(now: number): void {
    for (const [key, entry] of this.pending)
      if (now - entry.firstAt > this.maxAgeMs) this.pending.delete(key);
  }
}
