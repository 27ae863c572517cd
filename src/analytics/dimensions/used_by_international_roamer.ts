/** `used_by_international_roamer`: IMEIs seen with an IMSI whose MCC is not one of the region's. */
import type { Dimension } from './dimension.ts';
import { mccPrefixes, startsWithAny } from './model.ts';
import { imeisSeenWithImsi, type LookbackParameters, lookbackParameters } from './roaming.ts';

export const usedByInternationalRoamer: Dimension<LookbackParameters> = {
  name: 'used_by_international_roamer',
  describe: "seen in the lookback window with an IMSI from outside the region's countries (MCC)",
  parameters: lookbackParameters,
  evaluate(dataset, params, context) {
    const countries = mccPrefixes(dataset.config);
    return imeisSeenWithImsi(
      dataset,
      params,
      context,
      (imsi) => !startsWithAny(imsi, countries),
      `of a foreign country (MCC not in ${countries.join(', ') || 'none configured'})`,
    );
  },
};
