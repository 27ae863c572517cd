/**
 * The rules a check consults, indexed for lookups: TAC rules by TAC, golden hashes in a set, IMSI
 * prefixes by prefix, and ranges sorted by their start with a running maximum of their ends, so that
 * only ranges that can contain a value are looked at. Rules are few; the set is rebuilt on change.
 */
import { createHash } from 'node:crypto';
import type { RuleTarget } from '../ledger/entry.ts';
import type { Rule } from '../ledger/fold.ts';
import type { FactRule } from './decide.ts';

interface Ranges {
  readonly low: Float64Array;
  readonly high: Float64Array;
  /** maxHigh[i] = max(high[0..i]): scanning back from a candidate stops when it drops below the value. */
  readonly maxHigh: Float64Array;
  readonly rules: readonly FactRule[];
}

function ranges(rules: readonly FactRule[], bounds: (t: RuleTarget) => [number, number]): Ranges {
  const sorted = [...rules].sort((a, b) => bounds(a.target)[0] - bounds(b.target)[0]);
  const low = new Float64Array(sorted.length);
  const high = new Float64Array(sorted.length);
  const maxHigh = new Float64Array(sorted.length);
  sorted.forEach((rule, i) => {
    [low[i], high[i]] = bounds(rule.target);
    maxHigh[i] = Math.max(high[i]!, i > 0 ? maxHigh[i - 1]! : -1);
  });
  return { low, high, maxHigh, rules: sorted };
}

function containing(r: Ranges, value: number): FactRule[] {
  let lo = 0;
  let hi = r.low.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r.low[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  const found: FactRule[] = [];
  for (let i = lo - 1; i >= 0 && r.maxHigh[i]! >= value; i--)
    if (r.high[i]! >= value) found.push(r.rules[i]!);
  return found;
}

/** IMSIs compare as numbers of the same length: "1" + digits keeps the length and the leading zeros. */
export const imsiNumber = (imsi: string) => Number(`1${imsi}`);

export interface RuleMatch {
  readonly golden: FactRule | null;
  readonly tacRule: FactRule | null;
  readonly imeiRanges: readonly FactRule[];
  readonly imsiRules: readonly FactRule[];
}

const NO_MATCH: RuleMatch = Object.freeze({
  golden: null,
  tacRule: null,
  imeiRanges: Object.freeze([]),
  imsiRules: Object.freeze([]),
});

export class RuleSet {
  private readonly tac = new Map<string, FactRule>();
  private readonly golden = new Map<string, FactRule>();
  private readonly prefixes = new Map<string, FactRule>();
  private readonly imeiRanges: Ranges;
  private readonly imsiRanges: Ranges;
  private readonly expiring: readonly Rule[];

  constructor(readonly all: ReadonlyMap<string, Rule>) {
    const live = [...all.values()];
    const imei: FactRule[] = [];
    const imsi: FactRule[] = [];
    for (const rule of live) {
      const t = rule.target;
      if (t.kind === 'tac') this.tac.set(t.tac, rule);
      else if (t.kind === 'golden') this.golden.set(t.hash, rule);
      else if (t.kind === 'imsi-prefix') this.prefixes.set(t.prefix, rule);
      else if (t.kind === 'imei-range') imei.push(rule);
      else imsi.push(rule);
    }
    this.imeiRanges = ranges(imei, (t) =>
      t.kind === 'imei-range' ? [Number(t.from), Number(t.to)] : [0, -1],
    );
    this.imsiRanges = ranges(imsi, (t) =>
      t.kind === 'imsi-range' ? [imsiNumber(t.from), imsiNumber(t.to)] : [0, -1],
    );
    this.expiring = live.filter((r) => r.expiresAt !== null);
  }

  get size(): number {
    return this.all.size;
  }

  /** Rules with an expiry: a check drops them once lapsed (the others never lapse). */
  private lapsed(rule: FactRule, now: number): boolean {
    if (this.expiring.length === 0) return false;
    const found = this.expiring.find((r) => r.key === rule.key);
    return found !== undefined && Date.parse(found.expiresAt!) <= now;
  }

  private keep(rule: FactRule | undefined, now: number): FactRule | null {
    return rule && !this.lapsed(rule, now) ? rule : null;
  }

  match(deviceKey: string | null, imsi: string | null, now: number): RuleMatch {
    if (this.all.size === 0) return NO_MATCH;
    const keep = (rule: FactRule | undefined) => this.keep(rule, now);
    let golden: FactRule | null = null;
    let tacRule: FactRule | null = null;
    let imeiRanges: FactRule[] = [];
    if (deviceKey !== null) {
      if (this.golden.size > 0)
        golden = keep(this.golden.get(createHash('md5').update(deviceKey).digest('hex')));
      tacRule = keep(this.tac.get(deviceKey.slice(0, 8)));
      if (this.imeiRanges.rules.length > 0)
        imeiRanges = containing(this.imeiRanges, Number(deviceKey)).filter((r) => keep(r));
    }
    const imsiRules: FactRule[] = [];
    if (imsi !== null) {
      for (let n = Math.min(imsi.length, 15); n >= 3 && this.prefixes.size > 0; n--) {
        const rule = keep(this.prefixes.get(imsi.slice(0, n)));
        if (rule) imsiRules.push(rule);
      }
      if (this.imsiRanges.rules.length > 0)
        imsiRules.push(...containing(this.imsiRanges, imsiNumber(imsi)).filter((r) => keep(r)));
    }
    return { golden, tacRule, imeiRanges, imsiRules };
  }
}
