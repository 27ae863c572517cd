/**
 * `not_on_registration_list` (dirbs-compat.md §2.6, §3.2): network IMEIs with no current
 * registration row whose status is blank or `whitelist`, less exempted device types (see
 * exemptions.ts for DIRBS's inner-join quirk and its switch).
 */
import type { Dimension, Matches } from './dimension.ts';
import { withoutExemptedDeviceTypes } from './exemptions.ts';
import { type NoParameters, noParameters } from './no-parameters.ts';
import { withoutExemptedDeviceTypes as withoutExemptedDeviceTypesSql } from './sql.ts';

export const notOnRegistrationList: Dimension<NoParameters> = {
  name: 'not_on_registration_list',
  describe: 'seen on the network without an approved registration (status blank or "whitelist")',
  parameters: noParameters,
  evaluate(dataset, _params, context) {
    const matches: Matches = new Map();
    for (const imei of dataset.networkImeis.keys()) {
      const row = dataset.registration.get(imei);
      if (row === undefined) {
        matches.set(imei, 'not on the registration list');
      } else if (row.status !== null && row.status !== 'whitelist') {
        matches.set(imei, `on the registration list with status "${row.status}", which is not an approval`);
      }
    }
    return withoutExemptedDeviceTypes(dataset, matches, context);
  },
  sql: (_params, context, region) =>
    withoutExemptedDeviceTypesSql(
      `select n.imei_norm, case when r.imei_norm is null then 'not on the registration list'
          else 'on the registration list with status "' || r.status || '", which is not an approval' end as evidence
        from network_imei n left join ref_registration r on r.imei_norm = n.imei_norm
        where r.imei_norm is null or (r.status is not null and r.status <> 'whitelist')`,
      region.exemptedDeviceTypes,
      context.exemptionJoin,
    ),
};
