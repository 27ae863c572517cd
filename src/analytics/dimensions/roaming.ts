/**
 * What the three subscriber-origin dimensions share (dirbs-compat.md §3.2): country triplets with
 * `last_seen ≥ end − lookback_days AND first_seen < end` whose IMSI passes a prefix test against the
 * configured operators' MCC / MCC+MNC. A NULL IMSI never passes (SQL `LIKE` on NULL is unknown).
 * They test rows by first/last seen dates only, so `windowEnd` does not change them.
 *
 * Each dimension is an {@link ImsiOrigin}: the same prefix test in the reference and in SQL.
 */
import type { ImeiNorm } from '../normalise.ts';
import { type Dimension, type EvaluationContext, type Matches, plural } from './dimension.ts';
import { countryTriplets, type Dataset, overlapsWindow, type RegionConfig, windowOfDays } from './model.ts';
import { type ParameterField, ParameterReader, type Validated } from './parameters.ts';
import * as sql from './sql.ts';

/** Which IMSIs a subscriber-origin dimension counts, for the reference and for SQL alike. */
export interface ImsiOrigin {
  /** The test on an IMSI (never null). */
  passes(imsi: string): boolean;
  /** The same test on an IMSI column, in SQL both engines accept. */
  passesSql(column: string): string;
  /** The IMSIs' origin in evidence, e.g. "of the region's operators (63902)". */
  readonly what: string;
}

export interface LookbackParameters {
  readonly lookbackDays: number;
}

export const lookbackParameters = {
  fields: [
    {
      name: 'lookback_days',
      type: 'integer',
      required: true,
      rule: 'integer ≥ 0, days before the analysis end',
    },
  ] as readonly ParameterField[],
  validate(raw: unknown): Validated<LookbackParameters> {
    const reader = new ParameterReader(raw, ['lookback_days']);
    const lookbackDays = reader.integer('lookback_days', { required: true, min: 0 });
    return reader.result({ lookbackDays: lookbackDays ?? 0 });
  },
};

export function imeisSeenWithImsi(
  dataset: Dataset,
  { lookbackDays }: LookbackParameters,
  context: Pick<EvaluationContext, 'analysisEnd'>,
  passes: (imsi: string) => boolean,
  what: string,
): Matches {
  const window = windowOfDays(context.analysisEnd, lookbackDays);
  const imsis = new Map<ImeiNorm, Set<string>>();
  for (const row of countryTriplets(dataset.triplets)) {
    if (row.imeiNorm === null || row.imsi === null || !overlapsWindow(row, window)) continue;
    if (!passes(row.imsi)) continue;
    imsis.set(row.imeiNorm, (imsis.get(row.imeiNorm) ?? new Set<string>()).add(row.imsi));
  }
  const matches: Matches = new Map();
  for (const [imei, set] of imsis) {
    matches.set(
      imei,
      `seen with ${plural(set.size, 'IMSI')} ${what} from ${window.start} up to ${window.end}`,
    );
  }
  return matches;
}

/** {@link imeisSeenWithImsi} as one query over `monthly_triplet` merged to country rows. */
export function imeisSeenWithImsiSql(
  { lookbackDays }: LookbackParameters,
  context: Pick<EvaluationContext, 'analysisEnd'>,
  origin: ImsiOrigin,
): string {
  const window = windowOfDays(context.analysisEnd, lookbackDays);
  const imsis = 'count(distinct imsi)';
  return `select imei_norm, 'seen with ' || ${sql.asText(imsis)} || case when ${imsis} = 1 then ' IMSI ' else ' IMSIs ' end
      || ${sql.text(`${origin.what} from ${window.start} up to ${window.end}`)} as evidence
    from ${sql.countryTriplets()} t
    where imsi is not null and ${sql.overlapsWindow(window)} and ${origin.passesSql('imsi')}
    group by imei_norm`;
}

/** The reference and the SQL of a subscriber-origin dimension from its {@link ImsiOrigin}. */
export function subscriberOrigin(
  origin: (config: RegionConfig) => ImsiOrigin,
): Pick<Dimension<LookbackParameters>, 'evaluate' | 'sql'> {
  return {
    evaluate(dataset, params, context) {
      const { passes, what } = origin(dataset.config);
      return imeisSeenWithImsi(dataset, params, context, passes, what);
    },
    sql: (params, context, region) => imeisSeenWithImsiSql(params, context, origin(region)),
  };
}
