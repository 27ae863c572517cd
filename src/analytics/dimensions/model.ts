/**
 * The dataset a classification dimension reads, in memory, shaped as DIRBS keeps it
 * (dirbs-compat.md §1.3), and the window arithmetic every time-based dimension shares (§3.3).
 *
 * This is the reference model: exact and readable, not fast. The SQL engines are tested against it.
 */
import { type ImeiNorm, normaliseImei } from '../normalise.ts';

/** A calendar day, `YYYY-MM-DD`, in the operators' local time as DIRBS dates are. */
export type IsoDate = string;

/**
 * One network triplet row per (operator, month, imei_norm, imsi, msisdn), as
 * `monthly_network_triplets_per_mno` holds it. `dateBitmask` has bit d−1 set when the triplet was
 * seen on day d of the month; `firstSeen` and `lastSeen` lie in the same month. The month is the
 * month of `firstSeen`.
 */
export interface Triplet {
  readonly operator: string;
  readonly imeiNorm: ImeiNorm | null;
  readonly imsi: string | null;
  readonly msisdn: string | null;
  readonly firstSeen: IsoDate;
  readonly lastSeen: IsoDate;
  readonly dateBitmask: number;
}

/** A triplet merged over operators, as `monthly_network_triplets_country` holds it. */
export type CountryTriplet = Omit<Triplet, 'operator'>;

/** A timed sighting with a place (OpenCEIR extension, for `impossible_travel`). */
export interface TimedSighting {
  readonly imeiNorm: ImeiNorm;
  readonly imsi: string | null;
  readonly operator: string;
  /** ISO 8601 instant with its offset, e.g. `2026-01-05T10:00:00Z`. */
  readonly time: string;
  readonly lat: number;
  readonly lon: number;
  readonly cell: string;
}

/** `network_imeis`: one row per IMEI ever seen; the universe of `invert`. */
export interface NetworkImei {
  readonly firstSeen: IsoDate;
  readonly lastSeen: IsoDate;
  /** OR of `1 << operator_rank` of every RAT it was seen on; null when no RAT was reported. */
  readonly seenRatMask: number | null;
}

/** One `gsma_data` row. `ratMask` uses the GSMA bits 3, 6, 9, 12 (non-cellular, 2G, 3G, 4G). */
export interface GsmaTac {
  readonly manufacturer: string | null;
  readonly modelName: string | null;
  readonly deviceType: string | null;
  readonly ratMask: number | null;
}

export interface MccMnc {
  readonly mcc: string;
  readonly mnc: string;
}

export interface OperatorConfig {
  readonly id: string;
  readonly mccMnc: readonly MccMnc[];
}

export interface RegionConfig {
  readonly operators: readonly OperatorConfig[];
  readonly countryCodes: readonly string[];
  readonly exemptedDeviceTypes: readonly string[];
}

/** Everything a dimension may read. Reference lists hold current rows only (end_date IS NULL). */
export interface Dataset {
  readonly triplets: readonly Triplet[];
  readonly sightings: readonly TimedSighting[];
  /** The raw 15-digit IMEI texts seen for each imei_norm (for `bad_check_digit`). */
  readonly rawImeis: ReadonlyMap<ImeiNorm, ReadonlySet<string>>;
  readonly networkImeis: ReadonlyMap<ImeiNorm, NetworkImei>;
  readonly gsma: ReadonlyMap<string, GsmaTac>;
  readonly stolen: ReadonlyMap<ImeiNorm, { readonly status: string | null }>;
  readonly barred: ReadonlySet<ImeiNorm>;
  readonly barredTac: ReadonlySet<string>;
  /** `startDate`: when the IMEI entered the list, an ISO date or instant (a date is 00:00 UTC). */
  readonly monitoring: ReadonlyMap<ImeiNorm, { readonly startDate: string }>;
  readonly registration: ReadonlyMap<
    ImeiNorm,
    { readonly status: string | null; readonly deviceType: string | null }
  >;
  readonly association: readonly { readonly uid: string; readonly imeiNorm: ImeiNorm }[];
  readonly subscribers: readonly { readonly uid: string; readonly imsi: string }[];
  readonly pairing: readonly {
    readonly imeiNorm: ImeiNorm;
    readonly imsi: string;
    readonly msisdn: string;
  }[];
  readonly config: RegionConfig;
}

/** An empty dataset with `parts` laid over it (tests and generators build on this). */
export function createDataset(parts: Partial<Dataset> = {}): Dataset {
  return {
    triplets: [],
    sightings: [],
    rawImeis: new Map(),
    networkImeis: new Map(),
    gsma: new Map(),
    stolen: new Map(),
    barred: new Set(),
    barredTac: new Set(),
    monitoring: new Map(),
    registration: new Map(),
    association: [],
    subscribers: [],
    pairing: [],
    config: { operators: [], countryCodes: [], exemptedDeviceTypes: [] },
    ...parts,
  };
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (UTC days, so no time zone or DST can shift a date)

const DAY_MS = 86_400_000;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

export function dayNumber(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** The earlier of two ISO dates (string order is date order). */
export function earlier(a: IsoDate, b: IsoDate): IsoDate {
  return b < a ? b : a;
}

/** The later of two ISO dates. */
export function later(a: IsoDate, b: IsoDate): IsoDate {
  return b > a ? b : a;
}

export function dayOfMonth(date: IsoDate): number {
  return Number(date.slice(8, 10));
}

export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `date` minus `months` calendar months, the day clamped to the target month's length, as
 * Python's `relativedelta(months=n)` does: 2026-03-31 − 1 month = 2026-02-28.
 */
export function subtractMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date of day `day` (1..31) in the month of `inMonth`. */
export function dateInMonth(inMonth: IsoDate, day: number): IsoDate {
  return `${monthOf(inMonth)}-${String(day).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Windows over the monthly bitmask rows (dirbs-compat.md §3.3)

/**
 * How the analysis end date is treated.
 * - `dirbs` (default): as DIRBS-Core v16 does. A row last seen *after* the end has its end-day bit
 *   and later cleared, but a row last seen *on* the end date keeps its end-day bit, so for that row
 *   the window is [start, end] rather than [start, end).
 * - `half-open`: the window is [start, end) for every row.
 */
export type WindowEnd = 'dirbs' | 'half-open';

/** An analysis window: `start` inclusive, `end` exclusive in intent (see {@link WindowEnd}). */
export interface Window {
  readonly start: IsoDate;
  readonly end: IsoDate;
}

export function windowOfDays(end: IsoDate, days: number): Window {
  return { start: addDays(end, -days), end };
}

export function windowOfMonths(end: IsoDate, months: number): Window {
  return { start: subtractMonths(end, months), end };
}

/** The row filter of every windowed DIRBS query: `last_seen >= start AND first_seen < end`. */
export function overlapsWindow(row: { firstSeen: IsoDate; lastSeen: IsoDate }, window: Window): boolean {
  return row.lastSeen >= window.start && row.firstSeen < window.end;
}

/**
 * The row's day bitmask restricted to the window, or null when the row is outside it.
 * DIRBS's `get_bitmask_within_window` applies two trims: bits before the start day are cleared
 * only when the row was first seen before the start, and bits from the end day on only when the
 * row was last seen after the end (with `half-open`: on or after the end).
 */
export function windowedBitmask(
  row: { firstSeen: IsoDate; lastSeen: IsoDate; dateBitmask: number },
  window: Window,
  windowEnd: WindowEnd,
): number | null {
  if (!overlapsWindow(row, window)) return null;
  let mask = row.dateBitmask;
  if (row.firstSeen < window.start) mask &= ~((1 << (dayOfMonth(window.start) - 1)) - 1);
  const trimEnd = windowEnd === 'dirbs' ? row.lastSeen > window.end : row.lastSeen >= window.end;
  if (trimEnd) mask &= (1 << (dayOfMonth(window.end) - 1)) - 1;
  return mask;
}

/** Number of days set in a 31-bit day mask. */
export function bitCount(mask: number): number {
  let count = 0;
  for (let bit = 0; bit < 31; bit++) if (mask & (1 << bit)) count++;
  return count;
}

/** The days (1..31) set in a day mask, ascending. */
export function daysOf(mask: number): number[] {
  const days: number[] = [];
  for (let bit = 0; bit < 31; bit++) if (mask & (1 << bit)) days.push(bit + 1);
  return days;
}

/** First and last date set in a row's (windowed) mask, or null when it is empty. */
export function spanOf(mask: number, inMonth: IsoDate): { first: IsoDate; last: IsoDate } | null {
  const days = daysOf(mask);
  if (days.length === 0) return null;
  return { first: dateInMonth(inMonth, days[0]!), last: dateInMonth(inMonth, days[days.length - 1]!) };
}

// ---------------------------------------------------------------------------------------------
// Derived tables

/**
 * `monthly_network_triplets_country`: per-operator rows merged by (month, imei, imsi, msisdn),
 * first_seen the earliest, last_seen the latest, bitmasks OR'ed. DIRBS windows these merged rows,
 * which is not the same as windowing each operator's row (the end trim looks at the merged
 * last_seen), so every country-level dimension must read this, not the per-operator rows.
 */
export function countryTriplets(triplets: readonly Triplet[]): CountryTriplet[] {
  const merged = new Map<string, CountryTriplet>();
  for (const t of triplets) {
    const key = JSON.stringify([monthOf(t.firstSeen), t.imeiNorm, t.imsi, t.msisdn]);
    const seen = merged.get(key);
    merged.set(
      key,
      seen === undefined
        ? {
            imeiNorm: t.imeiNorm,
            imsi: t.imsi,
            msisdn: t.msisdn,
            firstSeen: t.firstSeen,
            lastSeen: t.lastSeen,
            dateBitmask: t.dateBitmask,
          }
        : {
            ...seen,
            firstSeen: earlier(t.firstSeen, seen.firstSeen),
            lastSeen: later(t.lastSeen, seen.lastSeen),
            dateBitmask: seen.dateBitmask | t.dateBitmask,
          },
    );
  }
  return [...merged.values()];
}

/**
 * DIRBS's default analysis end date when `--curr-date` is not given: the latest `last_seen` in
 * the latest month of operator data, or `today` when there is none (dirbs-compat.md §3.1).
 */
export function defaultAnalysisEnd(triplets: readonly Triplet[], today: IsoDate): IsoDate {
  let latestMonth = '';
  let end: IsoDate | null = null;
  for (const t of triplets) {
    const month = monthOf(t.firstSeen);
    if (month > latestMonth) {
      latestMonth = month;
      end = t.lastSeen;
    } else if (month === latestMonth && end !== null && t.lastSeen > end) {
      end = t.lastSeen;
    }
  }
  return end ?? today;
}

/** A valid IMSI for the duplicate analyses: 14 or 15 characters (DIRBS `is_valid_imsi`). */
export function isValidImsi(imsi: string | null): imsi is string {
  return imsi !== null && imsi.length >= 14 && imsi.length <= 15;
}

/** A valid MSISDN for the duplicate and transient analyses: 12 to 15 characters (`is_valid_msisdn`). */
export function isValidMsisdn(msisdn: string | null): msisdn is string {
  return msisdn !== null && msisdn.length >= 12 && msisdn.length <= 15;
}

/** The configured MCC+MNC prefixes (home networks of the region's operators). */
export function mccMncPrefixes(config: RegionConfig): string[] {
  return [...new Set(config.operators.flatMap((op) => op.mccMnc.map((p) => p.mcc + p.mnc)))];
}

/** The configured MCCs (the region's countries). */
export function mccPrefixes(config: RegionConfig): string[] {
  return [...new Set(config.operators.flatMap((op) => op.mccMnc.map((p) => p.mcc)))];
}

export function startsWithAny(value: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => value.startsWith(prefix));
}

// ---------------------------------------------------------------------------------------------
// Building a dataset from daily rows (what the operator import does, for tests and generators)

/** One row of an operator dump: `date,imei,imsi,msisdn[,rat]`, RATs as operator-rank bits. */
export interface DailyRow {
  readonly operator: string;
  readonly date: IsoDate;
  readonly imei: string | null;
  readonly imsi: string | null;
  readonly msisdn: string | null;
  readonly ratMask?: number | null;
}

/**
 * Aggregates daily rows into monthly triplets (bit OR, first/last seen), `network_imeis` and the
 * raw 15-digit IMEI texts, normalising every IMEI with {@link normaliseImei}.
 */
export function aggregateDailyRows(
  rows: readonly DailyRow[],
): Pick<Dataset, 'triplets' | 'networkImeis' | 'rawImeis'> {
  const triplets = new Map<string, Triplet>();
  const networkImeis = new Map<ImeiNorm, NetworkImei>();
  const rawImeis = new Map<ImeiNorm, Set<string>>();
  for (const row of rows) {
    const imeiNorm = normaliseImei(row.imei);
    const key = JSON.stringify([row.operator, monthOf(row.date), imeiNorm, row.imsi, row.msisdn]);
    const bit = 1 << (dayOfMonth(row.date) - 1);
    const seen = triplets.get(key);
    triplets.set(
      key,
      seen === undefined
        ? {
            operator: row.operator,
            imeiNorm,
            imsi: row.imsi,
            msisdn: row.msisdn,
            firstSeen: row.date,
            lastSeen: row.date,
            dateBitmask: bit,
          }
        : {
            ...seen,
            firstSeen: earlier(row.date, seen.firstSeen),
            lastSeen: later(row.date, seen.lastSeen),
            dateBitmask: seen.dateBitmask | bit,
          },
    );
    if (imeiNorm === null) continue;
    const known = networkImeis.get(imeiNorm);
    const rat = row.ratMask ?? null;
    networkImeis.set(imeiNorm, {
      firstSeen: known ? earlier(known.firstSeen, row.date) : row.date,
      lastSeen: known ? later(known.lastSeen, row.date) : row.date,
      seenRatMask:
        known?.seenRatMask == null ? rat : rat === null ? known.seenRatMask : known.seenRatMask | rat,
    });
    const raw = row.imei?.trim() ?? '';
    if (/^[0-9]{15}$/.test(raw)) {
      const set = rawImeis.get(imeiNorm) ?? new Set<string>();
      set.add(raw);
      rawImeis.set(imeiNorm, set);
    }
  }
  return { triplets: [...triplets.values()], networkImeis, rawImeis };
}
