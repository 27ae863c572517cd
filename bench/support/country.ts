/**
 * A synthetic country for the analytics benchmark, at national scale and streamed: subscribers
 * spread over operators, each with a phone seen on most days, and planted cases —
 *
 * - clones: the IMEI of one phone copied into 3–5 phones of other subscribers, each on its own SIM
 *   (its own IMSI), all seen on overlapping days, as a duplicate condition should find;
 * - SIM changes: about 5% of phones move to a new SIM once (both seen on the day of the change),
 *   which must not look like a clone;
 * - tampered IMEIs: half with a wrong Luhn check digit (15 digits), half hex (14 characters).
 *
 * Every row is a pure function of (seed, subscriber, day): the rows are generated again for each
 * engine and never held in memory; only the few planted clone carriers are kept in a map.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { type AnalyticsConfig, parseAnalyticsConfig } from '../../src/analytics/config.ts';
import type { OperatorRow } from '../../src/analytics/engines/engine.ts';
import type { IsoDate } from '../../src/analytics/import/filename.ts';
import { normaliseImei } from '../../src/analytics/normalise.ts';
import { parseRatField } from '../../src/analytics/rat.ts';
import { luhnDigit } from '../../src/identifiers/index.ts';

export interface CountryOptions {
  readonly subscribers: number;
  readonly days: number;
  readonly cloneRate: number;
  readonly tamperRate: number;
  readonly operators: number;
  readonly seed: number;
  /** The first day of data. */
  readonly start: IsoDate;
}

export interface Operator {
  readonly id: string;
  readonly mcc: string;
  readonly mnc: string;
}

/** The share of subscriber-days on which the phone is seen, and of phones that change SIM once. */
const ACTIVE = 0.8;
const SIM_CHANGE = 0.05;
export const COUNTRY_CODE = '254';
const MCC = '639';
const DAY = 86_400_000;
// E-UTRAN and UTRAN, as most phones are seen.
const RAT_FIELD = '001|006';
const RAT = (() => {
  const parsed = parseRatField(RAT_FIELD);
  if (!parsed.ok) throw new Error('RAT codes');
  return parsed.mask;
})();

/** A uniform number in [0, 1) from (seed, a, b): a stateless hash, so any row can be made again. */
function uniform(seed: number, a: number, b: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(a + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) ^ Math.imul(b + 0x3c6ef372, 0x846ca68b);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

export class Country {
  readonly operators: readonly Operator[];
  readonly endDate: IsoDate;
  /** Planted clones: the copied IMEI (normalised) of each group. */
  readonly planted = new Set<string>();
  /** Clone carriers other than the original phone: subscriber → the copied IMEI. */
  private readonly copies = new Map<number, string>();
  /** Tampered IMEIs by kind, normalised. */
  readonly badCheckDigit = new Set<string>();
  readonly hex = new Set<string>();

  constructor(readonly options: CountryOptions) {
    const { subscribers, operators, seed } = options;
    this.operators = Array.from({ length: operators }, (_, i) => ({
      id: `operator${i + 1}`,
      mcc: MCC,
      mnc: String(i + 1).padStart(2, '0'),
    }));
    this.endDate = this.day(options.days - 1);
    for (let i = 0; i < subscribers; i++) {
      const device = this.device(i);
      if (device.kind === 'bad') this.badCheckDigit.add(device.imeiNorm);
      if (device.kind === 'hex') this.hex.add(device.imeiNorm);
    }
    // Clone groups: carriers drawn at random among phones with a genuine IMEI and no SIM change.
    const groups = Math.round(subscribers * options.cloneRate);
    const taken = new Set<number>();
    let draw = 0;
    const carrier = () => {
      for (;;) {
        const i = Math.floor(uniform(seed, -2, draw++) * subscribers);
        if (!taken.has(i) && this.role(i) === 'ordinary') {
          taken.add(i);
          return i;
        }
      }
    };
    for (let g = 0; g < groups; g++) {
      const original = carrier();
      const imei = this.device(original).imeiNorm;
      this.planted.add(imei);
      for (let k = 1; k < 3 + (g % 3); k++) this.copies.set(carrier(), imei);
    }
  }

  /** The ISO date of day d (0-based). */
  day(d: number): IsoDate {
    return new Date(Date.parse(`${this.options.start}T00:00:00Z`) + d * DAY)
      .toISOString()
      .slice(0, 10) as IsoDate;
  }

  private role(i: number): 'tampered' | 'sim-change' | 'ordinary' {
    const h = uniform(this.options.seed, i, -1);
    if (h < this.options.tamperRate) return 'tampered';
    if (h < this.options.tamperRate + SIM_CHANGE) return 'sim-change';
    return 'ordinary';
  }

  /** Subscriber i's own phone: its raw IMEI as the network reports it, and normalised. */
  private device(i: number): { raw: string; imeiNorm: string; kind: 'genuine' | 'bad' | 'hex' } {
    const key = `35${String(100_000 + Math.floor(i / 1_000_000))}${String(i % 1_000_000).padStart(6, '0')}`;
    const check = luhnDigit(key)!;
    if (this.role(i) !== 'tampered') return { raw: `${key}${check}`, imeiNorm: key, kind: 'genuine' };
    if (i % 2 === 0) {
      // A wrong digit that is neither the check digit nor the spare 0.
      const wrong = String(((Number(check) + 1) % 9) + 1);
      return { raw: `${key}${wrong}`, imeiNorm: key, kind: 'bad' };
    }
    const raw = `${key.slice(0, 13)}${'ABCDEF'[i % 6]}`;
    return { raw, imeiNorm: normaliseImei(raw)!, kind: 'hex' };
  }

  /**
   * The rows operator `o` (index) reports, day by day from day `from` to day `to` (excluded); one
   * per (day, IMEI, IMSI, MSISDN).
   */
  *rows(o: number, from = 0, to = this.options.days): Generator<OperatorRow> {
    const { subscribers, days, seed } = this.options;
    const { mcc, mnc } = this.operators[o]!;
    const step = this.operators.length;
    for (let d = Math.max(0, from); d < Math.min(days, to); d++) {
      const date = this.day(d);
      for (let i = o; i < subscribers; i += step) {
        if (uniform(seed, i, d) >= ACTIVE) continue;
        const copied = this.copies.get(i);
        const own = copied === undefined ? this.device(i) : null;
        const imei = copied === undefined ? own!.raw : `${copied}${luhnDigit(copied)}`;
        const imeiNorm = copied ?? own!.imeiNorm;
        const msisdn = `${COUNTRY_CODE}7${String(i).padStart(8, '0')}`;
        const sim = (n: number) => `${mcc}${mnc}${n}${String(i).padStart(9, '0')}`;
        const row = (imsi: string): OperatorRow => ({
          date,
          imei,
          imeiNorm: imeiNorm as OperatorRow['imeiNorm'],
          imsi,
          msisdn,
          ratMask: RAT,
        });
        if (this.role(i) !== 'sim-change') {
          yield row(sim(0));
          continue;
        }
        // The new SIM keeps the number; both SIMs are seen on the day of the change.
        const change = 1 + Math.floor(uniform(seed, i, -3) * (days - 1));
        if (d <= change) yield row(sim(0));
        if (d >= change) yield row(sim(1));
      }
    }
  }
}

/**
 * Writes operator `o`'s rows of days [from, to) as a DIRBS operator file (`date,imei,imsi,msisdn,rat`,
 * CRLF) named `<operator>_<start>_<end>.csv` in `directory`; returns its path and row count. Every
 * row of the generator carries the same RAT codes, so the field is written as its text.
 */
export async function writeOperatorFile(
  country: Country,
  o: number,
  from: number,
  to: number,
  directory: string,
): Promise<{ file: string; rows: number }> {
  const compact = (d: number) => country.day(d).replaceAll('-', '');
  const file = path.join(directory, `${country.operators[o]!.id}_${compact(from)}_${compact(to - 1)}.csv`);
  const out = createWriteStream(file);
  let chunk = 'date,imei,imsi,msisdn,rat\r\n';
  let rows = 0;
  for (const row of country.rows(o, from, to)) {
    chunk += `${row.date.replaceAll('-', '')},${row.imei},${row.imsi},${row.msisdn},${RAT_FIELD}\r\n`;
    rows++;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { file, rows };
}

/**
 * The conditions both analytics benchmarks classify with: duplicates over the whole generated window,
 * malformed IMEIs and bad check digits, for the country's operators.
 */
export function benchConditions(country: Country, days: number): AnalyticsConfig {
  const operatorsYaml = country.operators
    .map((o) => `    - { id: ${o.id}, mcc_mnc_pairs: [{ mcc: "${o.mcc}", mnc: "${o.mnc}" }] }`)
    .join('\n');
  return parseAnalyticsConfig(`
region:
  country_codes: ["${COUNTRY_CODE}"]
  operators:
${operatorsYaml}
conditions:
  - label: duplicate
    dimensions:
      - module: duplicate_daily_avg
        parameters: { threshold: 2, period_days: ${days}, min_seen_days: ${Math.min(5, days)} }
    grace_period_days: 0
    blocking: true
    reason: Duplicate IMEI
    max_allowed_matching_ratio: 0.1
  - label: malformed
    dimensions: [{ module: malformed_imei }]
    grace_period_days: 30
    blocking: true
    reason: Malformed IMEI
    max_allowed_matching_ratio: 0.1
  - label: bad_check_digit
    dimensions: [{ module: bad_check_digit }]
    grace_period_days: 30
    blocking: true
    reason: Bad check digit
    max_allowed_matching_ratio: 0.1
`);
}
