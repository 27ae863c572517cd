/**
 * What the three subscriber-origin dimensions share (dirbs-compat.md §3.2): country triplets with
 * `last_seen ≥ end − lookback_days AND first_seen < end` whose IMSI passes a prefix test against the
 * configured operators' MCC / MCC+MNC. A NULL IMSI never passes (SQL `LIKE` on NULL is unknown).
 * They test rows by first/last seen dates only, so `windowEnd` does not change them.
 */
import type { ImeiNorm } from '../normalise.ts';
import { type EvaluationContext, type Matches, plural } from './dimension.ts';
import { countryTriplets, type Dataset, overlapsWindow, windowOfDays } from './model.ts';
import { type ParameterField, ParameterReader, type Validated } from './parameters.ts';

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
