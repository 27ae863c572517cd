/**
 * Pieces of SQL that mean the same on DuckDB and PostgreSQL, for the dimensions' `sql` queries.
 * Only functions both engines have: no regular expressions (`~` vs `regexp_matches`), no `::` casts
 * on literals that one engine reads differently, dates as `cast('YYYY-MM-DD' as date)`.
 */
import { dayOfMonth, type Window, type WindowEnd } from './model.ts';

/** A text literal. */
export function text(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A date literal. */
export function date(value: string): string {
  return `cast(${text(value)} as date)`;
}

/** `column in (…)` over text literals; false for an empty list. */
export function inList(column: string, values: readonly string[]): string {
  return values.length === 0 ? 'false' : `${column} in (${values.map(text).join(', ')})`;
}

/** True when `column` starts with one of `prefixes` (false for none, null never). */
export function startsWithAny(column: string, prefixes: readonly string[]): string {
  if (prefixes.length === 0) return 'false';
  return `(${prefixes.map((p) => `substr(${column}, 1, ${p.length}) = ${text(p)}`).join(' or ')})`;
}

/** Exactly 14 decimal digits: a device key (normalise.ts `isDeviceKeyNorm`). */
export function isDeviceKey(column: string): string {
  return `(length(${column}) = 14 and translate(${column}, '0123456789', '') = '')`;
}

/** Only decimal digits (and at least one). */
export function isDigits(column: string): string {
  return `(length(${column}) > 0 and translate(${column}, '0123456789', '') = '')`;
}

/** A timestamp literal (without zone) for an instant, in UTC as the engines store `ref_monitoring`. */
export function timestamp(instant: Date): string {
  return `cast(${text(instant.toISOString().slice(0, 23).replace('T', ' '))} as timestamp)`;
}

/** The TAC of an imei_norm column: its first 8 characters. */
export function tacOf(column: string): string {
  return `substr(${column}, 1, 8)`;
}

/**
 * The exempted-device-type filter of `not_on_registration_list` and `not_on_association_list`
 * (exemptions.ts): a query keeping the rows of the query `source` (columns `imei_norm`, `evidence`)
 * whose GSMA device type is not exempted. `dirbs` is DIRBS's inner join, so unknown TACs and blank
 * device types drop out as well; `keep-unknown` drops only exempted types.
 */
export function withoutExemptedDeviceTypes(
  source: string,
  exempted: readonly string[],
  join: 'dirbs' | 'keep-unknown',
): string {
  if (exempted.length === 0) return `select imei_norm, evidence from (${source}) m`;
  const kept =
    join === 'dirbs'
      ? `g.device_type is not null and not ${inList('g.device_type', exempted)}`
      : `g.device_type is null or not ${inList('g.device_type', exempted)}`;
  return `select m.imei_norm, m.evidence || coalesce('; device type ' || g.device_type, '; device type unknown to GSMA') as evidence
    from (${source}) m left join ref_gsma g on g.tac = ${tacOf('m.imei_norm')}
    where ${kept}`;
}

// ---------------------------------------------------------------------------------------------
// Monthly triplets, windows and day bitmasks (model.ts), for the duplicate and transient analyses

/**
 * `monthly_network_triplets_country` (model.ts `countryTriplets`): the per-operator rows merged by
 * (month, imei, imsi, msisdn), first_seen the earliest, last_seen the latest, day bits OR'ed. A
 * subquery to use as `from ${countryTriplets()} t`; its columns are imei_norm, month, imsi, msisdn,
 * first_seen, last_seen and date_bitmask.
 */
export function countryTriplets(): string {
  return `(select imei_norm, month, imsi, msisdn, min(first_seen) as first_seen, max(last_seen) as last_seen,
      bit_or(date_bitmask) as date_bitmask
    from monthly_triplet group by imei_norm, month, imsi, msisdn)`;
}

/** The row filter of every windowed DIRBS query: `last_seen >= start AND first_seen < end`. */
export function overlapsWindow(window: Window, prefix = ''): string {
  return `(${prefix}last_seen >= ${date(window.start)} and ${prefix}first_seen < ${date(window.end)})`;
}

/** All 31 day bits. */
const ALL_DAYS = 0x7fffffff;

/**
 * The row's day bitmask restricted to the window (model.ts `windowedBitmask`), for rows that pass
 * {@link overlapsWindow}: bits before the start day cleared when the row was first seen before the
 * start, bits from the end day on when it was last seen after the end (`half-open`: on or after).
 * A row first seen before the start lies in the start's month, one last seen after the end in the
 * end's month, so both masks are constants.
 */
export function windowedBitmask(window: Window, windowEnd: WindowEnd, prefix = ''): string {
  const fromStart = ~((1 << (dayOfMonth(window.start) - 1)) - 1) & ALL_DAYS;
  const beforeEnd = (1 << (dayOfMonth(window.end) - 1)) - 1;
  const after = windowEnd === 'dirbs' ? '>' : '>=';
  return `((${prefix}date_bitmask & (case when ${prefix}first_seen < ${date(window.start)} then ${fromStart} else ${ALL_DAYS} end))
    & (case when ${prefix}last_seen ${after} ${date(window.end)} then ${beforeEnd} else ${ALL_DAYS} end))`;
}

/**
 * Number of days set in a 31-bit day mask (model.ts `bitCount`). PostgreSQL's `bit_count` takes bit
 * strings only, so the bits are summed one by one. `column` should be a plain column: it is
 * repeated 31 times.
 */
export function bitCount(column: string): string {
  const bits = Array.from({ length: 31 }, (_, bit) => `((${column} >> ${bit}) & 1)`);
  return `(${bits.join(' + ')})`;
}

/** A valid IMSI for the duplicate analyses: 14 or 15 characters (model.ts `isValidImsi`). */
export function isValidImsi(column: string): string {
  return `(length(${column}) between 14 and 15)`;
}

/** A valid MSISDN: 12 to 15 characters (model.ts `isValidMsisdn`). */
export function isValidMsisdn(column: string): string {
  return `(length(${column}) between 12 and 15)`;
}

/** A finite number as an SQL literal (a decimal on both engines, or a double in exponent form). */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

/**
 * `total / days ≥ threshold` with the `averageDivision` switch (averages.ts), for `days > 0`,
 * without dividing: the engines divide integers differently (DuckDB gives a double, PostgreSQL
 * truncates). Truncated, ⌊total / days⌋ ≥ threshold ⇔ total ≥ ⌈threshold⌉ · days; exact,
 * total ≥ threshold · days in decimal arithmetic.
 */
export function averageAtLeast(
  total: string,
  days: string,
  threshold: number,
  division: 'integer' | 'exact',
): string {
  const factor = division === 'integer' ? Math.ceil(threshold) : threshold;
  return `(${total} >= ${numberLiteral(factor)} * ${days})`;
}

/** An integer expression as text, for evidence. */
export function asText(expression: string): string {
  return `cast(${expression} as varchar)`;
}

/** Matches decided in code as a query of the same shape as a dimension's SQL (`imei_norm, evidence`). */
export function matchesQuery(matches: ReadonlyMap<string, string>): string {
  if (matches.size === 0)
    return 'select cast(null as varchar) as imei_norm, cast(null as varchar) as evidence where 1 = 0';
  const rows = [...matches].map(([imei, evidence]) => `(${text(imei)}, ${text(evidence)})`).join(', ');
  return `select cast(imei_norm as varchar) as imei_norm, cast(evidence as varchar) as evidence
    from (values ${rows}) as m(imei_norm, evidence)`;
}

// ---------------------------------------------------------------------------------------------
// Timed sightings (impossible_travel)

/**
 * Seconds since 1970-01-01 00:00 of a timestamp column, as a double. The engines store sighting
 * times without a zone, in UTC, so this is the instant's epoch on both (PostgreSQL's `extract`
 * gives a numeric, DuckDB's a double).
 */
export function epochSeconds(column: string): string {
  return `cast(extract(epoch from ${column}) as double precision)`;
}

/**
 * Great-circle distance in km between two points given as latitude and longitude columns in
 * degrees: the haversine of impossible_travel.ts `distanceKm`, written in the same order of
 * operations so that both engines and the reference round alike.
 */
export function haversineKm(
  from: { lat: string; lon: string },
  to: { lat: string; lon: string },
  radiusKm: number,
): string {
  const rad = '(pi() / 180)';
  const halfSquared = (a: string, b: string) => `power(sin(((${b}) - (${a})) * ${rad} / 2), 2)`;
  const h = `${halfSquared(from.lat, to.lat)} + cos((${from.lat}) * ${rad}) * cos((${to.lat}) * ${rad}) * ${halfSquared(from.lon, to.lon)}`;
  return `(2 * ${numberLiteral(radiusKm)} * asin(least(1, sqrt(${h}))))`;
}
