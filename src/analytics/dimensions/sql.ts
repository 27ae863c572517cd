/**
 * Pieces of SQL that mean the same on DuckDB and PostgreSQL, for the dimensions' `sql` queries.
 * Only functions both engines have: no regular expressions (`~` vs `regexp_matches`), no `::` casts
 * on literals that one engine reads differently, dates as `cast('YYYY-MM-DD' as date)`.
 */

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
