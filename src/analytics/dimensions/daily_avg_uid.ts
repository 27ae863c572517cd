/**
 * `daily_avg_uid` (dirbs-compat.md §2.10, §3.2): country triplets in the window are joined to the
 * subscribers registration list on a valid IMSI. DIRBS-Core v16 then, per IMEI:
 * - ORs the day bits per (IMEI, UID) *across months*, so day 5 of January and day 5 of February are
 *   one day (days_seen counts days of the month, at most 31);
 * - counts each UID with any day in the window once, so "UIDs a day" is really distinct UIDs over
 *   the window divided by days_seen, not a daily average;
 * - truncates that quotient to an integer before comparing it to `threshold` (averages.ts).
 * This module reproduces all three, as the reference semantics of the dimension's name. Match
 * when days_seen ≥ min_seen_days and the quotient ≥ threshold.
 */
import type { ImeiNorm } from '../normalise.ts';
import { average, averageText, readAverageParameters } from './averages.ts';
import { type Dimension, type Matches, plural } from './dimension.ts';
import { bitCount, countryTriplets, isValidImsi, windowedBitmask } from './model.ts';
import { ParameterReader, PERIOD_FIELDS, type Period, windowOfPeriod } from './parameters.ts';
import * as SQL from './sql.ts';

export interface DailyAvgUidParameters {
  readonly threshold: number;
  readonly period: Period;
  readonly minSeenDays: number;
}

export const dailyAvgUid: Dimension<DailyAvgUidParameters> = {
  name: 'daily_avg_uid',
  describe:
    'seen with at least threshold registered subscribers (UIDs) per day seen, on at least min_seen_days days',
  parameters: {
    fields: [
      {
        name: 'threshold',
        type: 'number',
        required: true,
        rule: 'number; match when UIDs ÷ days ≥ threshold',
      },
      ...PERIOD_FIELDS,
      { name: 'min_seen_days', type: 'integer', required: true, rule: 'integer, not above period_days' },
    ],
    validate(raw) {
      const reader = new ParameterReader(raw, ['threshold', 'period_days', 'period_months', 'min_seen_days']);
      const averaged = readAverageParameters(reader);
      return reader.result(averaged);
    },
  },
  evaluate(dataset, { threshold, period, minSeenDays }, context) {
    const window = windowOfPeriod(context.analysisEnd, period);
    const uidsByImsi = new Map<string, string[]>();
    for (const { uid, imsi } of dataset.subscribers) {
      if (!isValidImsi(imsi)) continue;
      uidsByImsi.set(imsi, [...(uidsByImsi.get(imsi) ?? []), uid]);
    }
    // imei → (uid → OR of windowed day bits over every month)
    const perUid = new Map<ImeiNorm, Map<string, number>>();
    for (const row of countryTriplets(dataset.triplets)) {
      if (row.imeiNorm === null || !isValidImsi(row.imsi)) continue;
      const uids = uidsByImsi.get(row.imsi);
      if (uids === undefined) continue;
      const mask = windowedBitmask(row, window, context.windowEnd);
      if (mask === null) continue;
      const masks = perUid.get(row.imeiNorm) ?? new Map<string, number>();
      for (const uid of uids) masks.set(uid, (masks.get(uid) ?? 0) | mask);
      perUid.set(row.imeiNorm, masks);
    }
    const matches: Matches = new Map();
    for (const [imei, masks] of perUid) {
      let daysMask = 0;
      let uids = 0;
      for (const mask of masks.values()) {
        daysMask |= mask;
        if (mask !== 0) uids++;
      }
      const days = bitCount(daysMask);
      if (days === 0 || days < minSeenDays || average(uids, days, context) < threshold) continue;
      matches.set(
        imei,
        `seen with ${plural(uids, 'registered subscriber UID')} on ${plural(days, 'day')} of the month ` +
          `from ${window.start} up to ${window.end}: ${averageText(uids, days, 'UIDs per day', context)} ` +
          `(threshold ${threshold}, at least ${plural(minSeenDays, 'day')})`,
      );
    }
    return matches;
  },
  sql({ threshold, period, minSeenDays }, context) {
    const window = windowOfPeriod(context.analysisEnd, period);
    // Day bits OR'ed per (IMEI, UID) across months, as DIRBS does; a UID counts when it has a day.
    return `with per_uid as (
        select t.imei_norm, s.uid, bit_or(${SQL.windowedBitmask(window, context.windowEnd, 't.')}) as mask
        from ${SQL.countryTriplets()} t join ref_subscribers s on s.imsi = t.imsi
        where ${SQL.overlapsWindow(window, 't.')} and ${SQL.isValidImsi('t.imsi')}
        group by t.imei_norm, s.uid
      ), per_imei as (
        select imei_norm, bit_or(mask) as days_mask, sum(case when mask <> 0 then 1 else 0 end) as uids
        from per_uid group by imei_norm
      ), counted as (
        select imei_norm, uids, ${SQL.bitCount('days_mask')} as days from per_imei
      )
      select imei_norm, 'seen with ' || ${SQL.asText('uids')} || ' registered subscriber UID(s) on ' || ${SQL.asText('days')} ||
          ${SQL.text(` day(s) of the month from ${window.start} up to ${window.end} (threshold ${threshold} UIDs per day, ${context.averageDivision === 'integer' ? 'the quotient truncated, ' : ''}at least ${plural(minSeenDays, 'day')})`)} as evidence
      from counted
      where days > 0 and days >= ${minSeenDays} and ${SQL.averageAtLeast('uids', 'days', threshold, context.averageDivision)}`;
  },
};
