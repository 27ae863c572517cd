/**
 * `exists_in_barred_list`: every current barred-list IMEI (dirbs-compat.md §2.8, §3.2), seen on the
 * network or not.
 */
import type { Dimension, Matches } from './dimension.ts';
import { type NoParameters, noParameters } from './no-parameters.ts';

export const existsInBarredList: Dimension<NoParameters> = {
  name: 'exists_in_barred_list',
  describe: 'on the barred list',
  parameters: noParameters,
  evaluate(dataset) {
    const matches: Matches = new Map();
    for (const imei of dataset.barred) {
      const seen = dataset.networkImeis.has(imei) ? '' : '; never seen on the network';
      matches.set(imei, `on the barred list${seen}`);
    }
    return matches;
  },
  sql: () => `select b.imei_norm, case when n.imei_norm is null then 'on the barred list; never seen on the network'
      else 'on the barred list' end as evidence
    from ref_barred b left join network_imei n on n.imei_norm = b.imei_norm`,
};
