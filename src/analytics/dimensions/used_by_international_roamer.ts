/** `used_by_international_roamer`: IMEIs seen with an IMSI whose MCC is not one of the region's. */
import type { Dimension } from './dimension.ts';
import { mccPrefixes, startsWithAny } from './model.ts';
import { type LookbackParameters, lookbackParameters, subscriberOrigin } from './roaming.ts';
import * as sql from './sql.ts';

export const usedByInternationalRoamer: Dimension<LookbackParameters> = {
  name: 'used_by_international_roamer',
  describe: "seen in the lookback window with an IMSI from outside the region's countries (MCC)",
  parameters: lookbackParameters,
  ...subscriberOrigin((config) => {
    const countries = mccPrefixes(config);
    return {
      passes: (imsi) => !startsWithAny(imsi, countries),
      passesSql: (column) => `not ${sql.startsWithAny(column, countries)}`,
      what: `of a foreign country (MCC not in ${countries.join(', ') || 'none configured'})`,
    };
  }),
};
