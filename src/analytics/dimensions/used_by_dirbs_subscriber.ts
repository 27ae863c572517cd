/** `used_by_dirbs_subscriber`: IMEIs seen with an IMSI of a configured operator's network (MCC+MNC). */
import type { Dimension } from './dimension.ts';
import { mccMncPrefixes, startsWithAny } from './model.ts';
import { type LookbackParameters, lookbackParameters, subscriberOrigin } from './roaming.ts';
import * as sql from './sql.ts';

export const usedByDirbsSubscriber: Dimension<LookbackParameters> = {
  name: 'used_by_dirbs_subscriber',
  describe: "seen in the lookback window with an IMSI of one of the region's operators (MCC+MNC)",
  parameters: lookbackParameters,
  ...subscriberOrigin((config) => {
    const home = mccMncPrefixes(config);
    return {
      passes: (imsi) => startsWithAny(imsi, home),
      passesSql: (column) => sql.startsWithAny(column, home),
      what: `of the region's operators (${home.join(', ') || 'none configured'})`,
    };
  }),
};
