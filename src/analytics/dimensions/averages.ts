/**
 * The average test of `duplicate_daily_avg` and `daily_avg_uid`: `total / days ≥ threshold`.
 * DIRBS computes it as `SUM(…)/SUM(…)` over PostgreSQL bigints, which is integer division: an
 * average of 1.8 is compared as 1 (DIRBS-Core `duplicate_daily_avg.py`, `daily_avg_uid.py`;
 * `bitcount` returns INTEGER and SUM of INTEGER is BIGINT). A window with no seen day never
 * matches (DIRBS would divide by zero when `min_seen_days` is 0).
 */
import { type EvaluationContext, formatNumber } from './dimension.ts';
import { type ParameterReader, type Period, readPeriod } from './parameters.ts';

export function average(
  total: number,
  days: number,
  context: Pick<EvaluationContext, 'averageDivision'>,
): number {
  return context.averageDivision === 'integer' ? Math.floor(total / days) : total / days;
}

/** "1.8 IMSIs a day on average, taken as 1 by integer division": `unit` follows the quotient. */
export function averageText(
  total: number,
  days: number,
  unit: string,
  context: Pick<EvaluationContext, 'averageDivision'>,
): string {
  const used = average(total, days, context);
  const note = used === total / days ? '' : `, taken as ${used} by integer division`;
  return `${formatNumber(total / days)} ${unit}${note}`;
}

/** `threshold`, the period and `min_seen_days` (at most period_days), as both average dimensions take them. */
export function readAverageParameters(reader: ParameterReader): {
  threshold: number;
  period: Period;
  minSeenDays: number;
} {
  const threshold = reader.number('threshold', { required: true });
  const period = readPeriod(reader);
  const minSeenDays = reader.integer('min_seen_days', { required: true });
  if (period && 'days' in period && minSeenDays !== undefined && minSeenDays > period.days) {
    reader.fail(
      'min_seen_days',
      'maximum',
      `min_seen_days (${minSeenDays}) is greater than period_days (${period.days})`,
    );
  }
  return { threshold: threshold ?? 0, period: period ?? { days: 0 }, minSeenDays: minSeenDays ?? 0 };
}
