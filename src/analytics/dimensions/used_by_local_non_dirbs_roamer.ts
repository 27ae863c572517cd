/**
 * `used_by_local_non_dirbs_roamer`: IMEIs seen with an IMSI of the region's country (MCC) but not of
 * a configured operator's network (MCC+MNC): a local network that does not send data.
 */
import type { Dimension } from './dimension.ts';
import { mccMncPrefixes, mccPrefixes, startsWithAny } from './model.ts';
import { type LookbackParameters, lookbackParameters, subscriberOrigin } from './roaming.ts';
import * as sql from './sql.ts';

export const usedByLocalNonDirbsRoamer: Dimension<LookbackParameters> = {
  name: 'used_by_local_non_dirbs_roamer',
  describe:
    "seen in the lookback window with a local IMSI (MCC) of a network that is not one of the region's operators",
  parameters: lookbackParameters,
  ...subscriberOrigin((config) => {
    const countries = mccPrefixes(config);
    const home = mccMncPrefixes(config);
    return {
      passes: (imsi) => startsWithAny(imsi, countries) && !startsWithAny(imsi, home),
      passesSql: (column) =>
        `(${sql.startsWithAny(column, countries)} and not ${sql.startsWithAny(column, home)})`,
      what: `of a local network outside the region's operators (MCC ${countries.join(', ') || 'none'}, not ${home.join(', ') || 'none'})`,
    };
  }),
};
