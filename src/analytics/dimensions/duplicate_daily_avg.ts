/**
 * `duplicate_daily_avg` (dirbs-compat.md §3.2): per IMEI over country triplets in the window,
 * days_seen = the distinct days it was seen with any valid IMSI (day bits OR'ed per month, summed
 * over months) and pair-days = Σ over (IMSI, month) of the days seen with that IMSI (an IMSI seen
 * on several operators on one day counts once). Match when days_seen ≥ min_seen_days and
 * pair-days / days_seen ≥ threshold, the quotient truncated as DIRBS does (see averages.ts).
 * Day bits are windowed with the `windowEnd` setting.
 */
import type { ImeiNorm } from '../normalise.ts';
import { average, averageText, readAverageParameters } from './averages.ts';
import { type Dimension, type Matches, plural } from './dimension.ts';
import { bitCount, countryTriplets, isValidImsi, isValidMsisdn, monthOf, windowedBitmask } from './model.ts';
import { ParameterReader, PERIOD_FIELDS, type Period, windowOfPeriod } from './parameters.ts';
import * as SQL from './sql.ts';

export interface DuplicateDailyAvgParameters {
  readonly threshold: number;
  readonly period: Period;
  readonly minSeenDays: number;
  readonly useMsisdn: boolean;
}

export const duplicateDailyAvg: Dimension<DuplicateDailyAvgParameters> = {
  name: 'duplicate_daily_avg',
  describe:
    'seen with at least threshold IMSIs (or MSISDNs) a day on average, on at least min_seen_days days',
  parameters: {
    fields: [
      {
        name: 'threshold',
        type: 'number',
        required: true,
        rule: 'number; match when the average ≥ threshold',
      },
      ...PERIOD_FIELDS,
      { name: 'min_seen_days', type: 'integer', required: true, rule: 'integer, not above period_days' },
      {
        name: 'use_msisdn',
        type: 'boolean',
        required: false,
        default: 'false',
        rule: 'count MSISDNs instead of IMSIs',
      },
    ],
    validate(raw) {
      const reader = new ParameterReader(raw, [
        'threshold',
        'period_days',
        'period_months',
        'min_seen_days',
        'use_msisdn',
      ]);
      const averaged = readAverageParameters(reader);
      const useMsisdn = reader.boolean('use_msisdn', false);
      return reader.result({ ...averaged, useMsisdn });
    },
  },
  evaluate(dataset, { threshold, period, minSeenDays, useMsisdn }, context) {
    const window = windowOfPeriod(context.analysisEnd, period);
    // (imei, month) → (subscriber → OR of windowed day bits)
    const perMonth = new Map<ImeiNorm, Map<string, Map<string, number>>>();
    for (const row of countryTriplets(dataset.triplets)) {
      if (row.imeiNorm === null) continue;
      const subscriber = useMsisdn ? row.msisdn : row.imsi;
      if (useMsisdn ? !isValidMsisdn(subscriber) : !isValidImsi(subscriber)) continue;
      const mask = windowedBitmask(row, window, context.windowEnd);
      if (mask === null) continue;
      const months = perMonth.get(row.imeiNorm) ?? new Map<string, Map<string, number>>();
      const subscribers = months.get(monthOf(row.firstSeen)) ?? new Map<string, number>();
      subscribers.set(subscriber as string, (subscribers.get(subscriber as string) ?? 0) | mask);
      months.set(monthOf(row.firstSeen), subscribers);
      perMonth.set(row.imeiNorm, months);
    }
    const noun = useMsisdn ? 'MSISDN' : 'IMSI';
    const matches: Matches = new Map();
    for (const [imei, months] of perMonth) {
      let days = 0;
      let pairDays = 0;
      for (const subscribers of months.values()) {
        let monthMask = 0;
        for (const mask of subscribers.values()) {
          monthMask |= mask;
          pairDays += bitCount(mask);
        }
        days += bitCount(monthMask);
      }
      if (days === 0 || days < minSeenDays || average(pairDays, days, context) < threshold) continue;
      matches.set(
        imei,
        `seen on ${plural(days, 'day')} from ${window.start} up to ${window.end} with ${pairDays} ${noun}-days: ` +
          `${averageText(pairDays, days, `${noun}s a day on average`, context)} (threshold ${threshold}, ` +
          `at least ${plural(minSeenDays, 'day')})`,
      );
    }
    return matches;
  },
  sql({ threshold, period, minSeenDays, useMsisdn }, context) {
    const window = windowOfPeriod(context.analysisEnd, period);
    const subscriber = useMsisdn ? 'msisdn' : 'imsi';
    const valid = useMsisdn ? SQL.isValidMsisdn('msisdn') : SQL.isValidImsi('imsi');
    const noun = useMsisdn ? 'MSISDN' : 'IMSI';
    // Day bits OR'ed per (IMEI, month, subscriber): pair-days; per (IMEI, month): days seen.
    return `with windowed as (
        select imei_norm, month, ${subscriber} as subscriber, ${SQL.windowedBitmask(window, context.windowEnd)} as mask
        from ${SQL.countryTriplets()} t
        where ${SQL.overlapsWindow(window)} and ${valid}
      ), per_subscriber as (
        select imei_norm, month, bit_or(mask) as mask from windowed group by imei_norm, month, subscriber
      ), per_month as (
        select imei_norm, month, bit_or(mask) as month_mask, sum(${SQL.bitCount('mask')}) as pair_days
        from per_subscriber group by imei_norm, month
      ), per_imei as (
        select imei_norm, sum(${SQL.bitCount('month_mask')}) as days, sum(pair_days) as pair_days
        from per_month group by imei_norm
      )
      select imei_norm, 'seen on ' || ${SQL.asText('days')} || ' day(s) from ${window.start} up to ${window.end} with ' ||
          ${SQL.asText('pair_days')} || ${SQL.text(` ${noun}-days (threshold ${threshold} a day on average, ${context.averageDivision === 'integer' ? 'the average truncated, ' : ''}at least ${plural(minSeenDays, 'day')})`)} as evidence
      from per_imei
      where days > 0 and days >= ${minSeenDays} and ${SQL.averageAtLeast('pair_days', 'days', threshold, context.averageDivision)}`;
  },
};
