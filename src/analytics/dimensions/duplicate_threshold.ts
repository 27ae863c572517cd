/**
 * `duplicate_threshold` (dirbs-compat.md §3.2): IMEIs seen with at least `threshold` distinct valid
 * IMSIs (14–15 characters), or valid MSISDNs (12–15) with `use_msisdn`, in country triplets with
 * `last_seen ≥ start AND first_seen < end`. DIRBS tests the rows' first/last seen dates, not their
 * day bits, so `windowEnd` does not change this dimension: a row first seen on the end date is out,
 * a row last seen on it is in, under both settings.
 */
import type { ImeiNorm } from '../normalise.ts';
import { type Dimension, type Matches, plural } from './dimension.ts';
import { countryTriplets, isValidImsi, isValidMsisdn, overlapsWindow } from './model.ts';
import { ParameterReader, PERIOD_FIELDS, type Period, readPeriod, windowOfPeriod } from './parameters.ts';
import * as SQL from './sql.ts';

export interface DuplicateThresholdParameters {
  readonly threshold: number;
  readonly period: Period;
  readonly useMsisdn: boolean;
}

export const duplicateThreshold: Dimension<DuplicateThresholdParameters> = {
  name: 'duplicate_threshold',
  describe: 'seen with at least threshold distinct IMSIs (or MSISDNs) in the period',
  parameters: {
    fields: [
      {
        name: 'threshold',
        type: 'integer',
        required: true,
        rule: 'integer; match when the count ≥ threshold',
      },
      ...PERIOD_FIELDS,
      {
        name: 'use_msisdn',
        type: 'boolean',
        required: false,
        default: 'false',
        rule: 'count MSISDNs instead of IMSIs',
      },
    ],
    validate(raw) {
      const reader = new ParameterReader(raw, ['threshold', 'period_days', 'period_months', 'use_msisdn']);
      const threshold = reader.integer('threshold', { required: true });
      const period = readPeriod(reader);
      const useMsisdn = reader.boolean('use_msisdn', false);
      return reader.result({ threshold: threshold ?? 0, period: period ?? { days: 0 }, useMsisdn });
    },
  },
  evaluate(dataset, { threshold, period, useMsisdn }, { analysisEnd }) {
    const window = windowOfPeriod(analysisEnd, period);
    const seen = new Map<ImeiNorm, Set<string>>();
    for (const row of countryTriplets(dataset.triplets)) {
      if (row.imeiNorm === null || !overlapsWindow(row, window)) continue;
      const subscriber = useMsisdn ? row.msisdn : row.imsi;
      if (useMsisdn ? !isValidMsisdn(subscriber) : !isValidImsi(subscriber)) continue;
      const set = seen.get(row.imeiNorm) ?? new Set<string>();
      set.add(subscriber as string);
      seen.set(row.imeiNorm, set);
    }
    const noun = useMsisdn ? 'MSISDN' : 'IMSI';
    const matches: Matches = new Map();
    for (const [imei, subscribers] of seen) {
      if (subscribers.size < threshold) continue;
      matches.set(
        imei,
        `seen with ${plural(subscribers.size, noun)} from ${window.start} up to ${window.end} (threshold ${threshold})`,
      );
    }
    return matches;
  },
  sql({ threshold, period, useMsisdn }, { analysisEnd }) {
    const window = windowOfPeriod(analysisEnd, period);
    const subscriber = useMsisdn ? 'msisdn' : 'imsi';
    const valid = useMsisdn ? SQL.isValidMsisdn('msisdn') : SQL.isValidImsi('imsi');
    const noun = useMsisdn ? 'MSISDN' : 'IMSI';
    const count = `count(distinct ${subscriber})`;
    return `select imei_norm, 'seen with ' || ${SQL.asText(count)} || ' ' ||
        case when ${count} = 1 then ${SQL.text(noun)} else ${SQL.text(`${noun}s`)} end ||
        ${SQL.text(` from ${window.start} up to ${window.end} (threshold ${threshold})`)} as evidence
      from ${SQL.countryTriplets()} t
      where ${SQL.overlapsWindow(window)} and ${valid}
      group by imei_norm
      having ${count} >= ${threshold}`;
  },
};
