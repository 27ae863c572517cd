/**
 * `stolen_list`: every current stolen-list IMEI whose status is blank or `blacklist`
 * (dirbs-compat.md §2.4, §3.2). Like DIRBS, it does not require the IMEI to have been seen on the
 * network; `pending`, `recovered` and any other status are provisional and never match.
 */
import type { Dimension, Matches } from './dimension.ts';
import { type NoParameters, noParameters } from './no-parameters.ts';

export const stolenList: Dimension<NoParameters> = {
  name: 'stolen_list',
  describe: 'on the stolen list with a blank or "blacklist" status',
  parameters: noParameters,
  evaluate(dataset) {
    const matches: Matches = new Map();
    for (const [imei, { status }] of dataset.stolen) {
      if (status !== null && status !== 'blacklist') continue;
      const seen = dataset.networkImeis.has(imei) ? '' : '; never seen on the network';
      matches.set(imei, `on the stolen list (status ${status === null ? 'blank' : status})${seen}`);
    }
    return matches;
  },
  sql: () => `select imei_norm, 'on the stolen list (status ' || coalesce(status, 'blank') || ')' as evidence
    from ref_stolen where status is null or status = 'blacklist'`,
};
