/**
 * `transient_imei` (dirbs-compat.md §3.2): IMEIs used with batches of sequential SIMs. Over the
 * window [end − period days, end) an IMEI matches when all three hold:
 * 1. Σ over its per-operator triplets with a valid MSISDN (12–15 characters) of the days seen,
 *    **integer-divided** by `period`, is at least `num_msisdns`;
 * 2. its distinct MSISDNs in country triplets in the window (any length, NULL ignored) form an
 *    arithmetic progression: all consecutive differences equal. DIRBS orders them by a constant
 *    key, so its order is whatever PostgreSQL scans. We define the order: ascending numeric value.
 *    A set of distinct numbers is a progression in some order exactly when it is one sorted, so we
 *    match whenever some scan order could make DIRBS match. As in DIRBS (MIN = MAX of no
 *    difference is NULL), fewer than two distinct MSISDNs is not a progression;
 * 3. exactly one operator's data saw it in the window (any triplet of that IMEI).
 * Day bits are windowed with the `windowEnd` setting; conditions 2 and 3 test rows by their
 * first/last seen dates only, as DIRBS does.
 *
 * Condition 2 is arithmetic on the numbers, which their sealed form (../subscriber-seal.ts: FF1, no
 * order or difference kept, by design) cannot answer. On an engine that seals MSISDNs, `opened` runs:
 * SQL finds the IMEIs of conditions 1 and 3 with their distinct sealed MSISDNs, code opens those and
 * tests the progression. The evidence names the count and the step, not the numbers, so that no
 * MSISDN reaches classification_state or the ledger.
 */
import type { ImeiNorm } from '../normalise.ts';
import { type Dimension, type EvaluationContext, type Matches, plural } from './dimension.ts';
import {
  bitCount,
  countryTriplets,
  isValidMsisdn,
  overlapsWindow,
  windowedBitmask,
  windowOfDays,
} from './model.ts';
import { ParameterReader } from './parameters.ts';
import * as SQL from './sql.ts';

export interface TransientImeiParameters {
  readonly period: number;
  readonly numMsisdns: number;
}

/** The common difference when `values` (distinct) form an arithmetic progression, ascending. */
export function progressionStep(values: readonly bigint[]): bigint | null {
  if (values.length < 2) return null;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const step = sorted[1]! - sorted[0]!;
  for (let i = 2; i < sorted.length; i++) if (sorted[i]! - sorted[i - 1]! !== step) return null;
  return step;
}

export const transientImei: Dimension<TransientImeiParameters> = {
  name: 'transient_imei',
  describe:
    'used on one operator with many MSISDNs a day that form an arithmetic progression (sequential SIMs)',
  parameters: {
    fields: [
      { name: 'period', type: 'integer', required: true, rule: 'integer > 0, days' },
      {
        name: 'num_msisdns',
        type: 'integer',
        required: true,
        rule: 'integer > 0; MSISDN-days ÷ period (integer) ≥ it',
      },
    ],
    validate(raw) {
      const reader = new ParameterReader(raw, ['period', 'num_msisdns']);
      const period = reader.integer('period', { required: true, min: 1 });
      const numMsisdns = reader.integer('num_msisdns', { required: true, min: 1 });
      return reader.result({ period: period ?? 1, numMsisdns: numMsisdns ?? 1 });
    },
  },
  evaluate(dataset, { period, numMsisdns }, context) {
    const window = windowOfDays(context.analysisEnd, period);
    const msisdnDays = new Map<ImeiNorm, number>();
    const operators = new Map<ImeiNorm, Set<string>>();
    for (const row of dataset.triplets) {
      if (row.imeiNorm === null || !overlapsWindow(row, window)) continue;
      operators.set(row.imeiNorm, (operators.get(row.imeiNorm) ?? new Set<string>()).add(row.operator));
      if (!isValidMsisdn(row.msisdn)) continue;
      const mask = windowedBitmask(row, window, context.windowEnd) ?? 0;
      msisdnDays.set(row.imeiNorm, (msisdnDays.get(row.imeiNorm) ?? 0) + bitCount(mask));
    }
    const msisdns = new Map<ImeiNorm, Set<string>>();
    for (const row of countryTriplets(dataset.triplets)) {
      if (row.imeiNorm === null || row.msisdn === null || !overlapsWindow(row, window)) continue;
      msisdns.set(row.imeiNorm, (msisdns.get(row.imeiNorm) ?? new Set<string>()).add(row.msisdn));
    }
    const matches: Matches = new Map();
    for (const [imei, total] of msisdnDays) {
      const perDay = Math.floor(total / period);
      if (perDay < numMsisdns) continue;
      const seenOn = operators.get(imei) ?? new Set<string>();
      if (seenOn.size !== 1) continue;
      const texts = [...(msisdns.get(imei) ?? [])];
      // DIRBS casts MSISDNs to bigint; a non-numeric one would stop its run, here it is no progression.
      if (!texts.every((m) => /^[0-9]+$/.test(m))) continue;
      const values = texts.map((m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const step = progressionStep(values);
      if (step === null) continue;
      matches.set(
        imei,
        `seen on operator ${[...seenOn][0]} with ${plural(values.length, 'MSISDN')} in arithmetic progression ` +
          `(step ${step}); ${total} MSISDN-days in ${period} days ` +
          `= ${perDay} a day (at least ${numMsisdns})`,
      );
    }
    return matches;
  },
  sql(params, context) {
    return `${candidatesSql(params, context)}, valued as (
        select imei_norm, case when ${SQL.isDigits('msisdn')} then 0 else 1 end as not_numeric,
          case when ${SQL.isDigits('msisdn')} then cast(msisdn as decimal(38, 0)) end as value
        from listed
      ), stepped as (
        select imei_norm, not_numeric, value, value - lag(value) over (partition by imei_norm order by value) as step
        from valued
      ), progression as (
        select imei_norm, count(*) as msisdns, min(step) as step
        from stepped group by imei_norm
        having max(not_numeric) = 0 and count(*) >= 2 and min(step) = max(step)
      )
      select s.imei_norm, 'seen on operator ' || s.operator || ' with ' || ${SQL.asText('p.msisdns')} ||
          ' MSISDNs in arithmetic progression (step ' || ${SQL.asText('p.step')} || '); ' || ${SQL.asText('s.msisdn_days')} ||
          ${SQL.text(evidenceTail(params))} as evidence
      from seen s join progression p on p.imei_norm = s.imei_norm
      where ${passes('s', params)}`;
  },
  opened: {
    candidates(params, context) {
      return `${candidatesSql(params, context)}
        select s.imei_norm, s.operator, ${SQL.asText('s.msisdn_days')} as msisdn_days, l.msisdn
        from seen s join listed l on l.imei_norm = s.imei_norm
        where ${passes('s', params)}`;
    },
    decide(rows, params, openMsisdn) {
      const byImei = new Map<string, { operator: string; days: string; msisdns: string[] }>();
      for (const row of rows) {
        const imei = String(row.imei_norm);
        const found = byImei.get(imei) ?? {
          operator: String(row.operator),
          days: String(row.msisdn_days),
          msisdns: [],
        };
        found.msisdns.push(openMsisdn(String(row.msisdn)));
        byImei.set(imei, found);
      }
      const matches: Matches = new Map();
      for (const [imei, { operator, days, msisdns }] of byImei) {
        if (!msisdns.every((m) => /^[0-9]+$/.test(m))) continue;
        const step = progressionStep(msisdns.map((m) => BigInt(m)));
        if (step === null) continue;
        matches.set(
          imei as ImeiNorm,
          `seen on operator ${operator} with ${msisdns.length} MSISDNs in arithmetic progression (step ${step}); ` +
            `${days}${evidenceTail(params)}`,
        );
      }
      return matches;
    },
  },
};

const evidenceTail = ({ period, numMsisdns }: TransientImeiParameters) =>
  ` MSISDN-days in ${period} days (at least ${numMsisdns} a day)`;

/** Conditions 1 and 3 on `seen` (⌊MSISDN-days / period⌋ ≥ num_msisdns ⇔ MSISDN-days ≥ num_msisdns · period). */
const passes = (alias: string, { period, numMsisdns }: TransientImeiParameters) =>
  `${alias}.operators = 1 and ${alias}.msisdn_days >= ${numMsisdns * period}`;

/** `with per_operator, seen` (conditions 1 and 3, per IMEI) `, listed` (its distinct country MSISDNs). */
function candidatesSql({ period }: TransientImeiParameters, context: EvaluationContext): string {
  const window = windowOfDays(context.analysisEnd, period);
  return `with per_operator as (
        select imei_norm, operator, msisdn, ${SQL.windowedBitmask(window, context.windowEnd)} as mask
        from monthly_triplet where ${SQL.overlapsWindow(window)}
      ), seen as (
        select imei_norm, count(distinct operator) as operators, min(operator) as operator,
          sum(case when ${SQL.isValidMsisdn('msisdn')} then ${SQL.bitCount('mask')} else 0 end) as msisdn_days
        from per_operator group by imei_norm
      ), listed as (
        select distinct imei_norm, msisdn from ${SQL.countryTriplets()} t
        where ${SQL.overlapsWindow(window)} and msisdn is not null
      )`;
}
