/** `used_by_dirbs_subscriber`: IMEIs seen with an IMSI of a configured operator's network (MCC+MNC). */
import type { Dimension } from './dimension.ts';
import { mccMncPrefixes, startsWithAny } from './model.ts';
import { imeisSeenWithImsi, type LookbackParameters, lookbackParameters } from './roaming.ts';

export const usedByDirbsSubscriber: Dimension<LookbackParameters> = {
  name: 'used_by_dirbs_subscriber',
  describe: "seen in the lookback window with an IMSI of one of the region's operators (MCC+MNC)",
  parameters: lookbackParameters,
  evaluate(dataset, params, context) {
    const home = mccMncPrefixes(dataset.config);
    return imeisSeenWithImsi(
      dataset,
      params,
      context,
      (imsi) => startsWithAny(imsi, home),
      `of the region's operators (${home.join(', ') || 'none configured'})`,
    );
  },
};
