/**
 * Periods of the statistics: a range of whole UTC days (`from` and `to` included) cut into buckets
 * of a day, an ISO week (Monday first), a calendar month or the whole range. Pure: parsing with errors
 * that name the field and the rule, and the bucket list the list-size snapshot needs.
 */

export const GRANULARITIES = ['day', 'week', 'month', 'period'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Bad input to the statistics: which field, which rule. */
export class InsightInputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'InsightInputError';
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export function parseDate(field: string, value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value)) {
    throw new InsightInputError(field, 'must be a date written YYYY-MM-DD');
  }
  const time = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new InsightInputError(field, `${value} is not a calendar date`);
  }
  return value;
}

/** A month `YYYY-MM`, as its first and last day. */
export function parseMonth(field: string, value: unknown): { from: string; to: string } {
  if (typeof value !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
    throw new InsightInputError(field, 'must be a month written YYYY-MM');
  }
  const start = new Date(`${value}-01T00:00:00Z`);
  const next = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
  return { from: `${value}-01`, to: new Date(next - DAY_MS).toISOString().slice(0, 10) };
}

/** Days from `from` to `to`, both included. */
export function spanDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The instant just after the range: midnight UTC after `to`. */
export function endOf(to: string): Date {
  return new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS);
}

export function startOf(from: string): Date {
  return new Date(`${from}T00:00:00Z`);
}

/** The bucket a date falls in, as the bucket's first day (the range's `from` for `period`). */
export function bucketOf(date: Date, granularity: Granularity, from: string): string {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  switch (granularity) {
    case 'period':
      return from;
    case 'day':
      return new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
    case 'month':
      return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
    case 'week': {
      const monday = (date.getUTCDay() + 6) % 7;
      return new Date(Date.UTC(y, m, d - monday)).toISOString().slice(0, 10);
    }
  }
}

/**
 * Every bucket of the range with the instant it ends (clipped to the range's end), in order: where
 * the list sizes are taken. Bounded by the range's length in days.
 */
export function bucketEnds(
  from: string,
  to: string,
  granularity: Granularity,
): { bucket: string; end: Date }[] {
  const last = endOf(to).getTime();
  const out: { bucket: string; end: Date }[] = [];
  let day = startOf(from).getTime();
  const days = spanDays(from, to);
  for (let i = 0; i < days; i++, day += DAY_MS) {
    const bucket = bucketOf(new Date(day), granularity, from);
    const end = Math.min(day + DAY_MS, last);
    const previous = out.at(-1);
    if (previous && previous.bucket === bucket) previous.end = new Date(end);
    else out.push({ bucket, end: new Date(end) });
  }
  return out;
}
