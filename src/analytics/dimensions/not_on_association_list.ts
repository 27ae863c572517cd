/**
 * `not_on_association_list` (dirbs-compat.md §2.11, §3.2): network IMEIs with no current
 * device-association row for any UID, less exempted device types (see exemptions.ts).
 */
import type { Dimension, Matches } from './dimension.ts';
import { withoutExemptedDeviceTypes } from './exemptions.ts';
import { type NoParameters, noParameters } from './no-parameters.ts';
import { withoutExemptedDeviceTypes as withoutExemptedDeviceTypesSql } from './sql.ts';

export const notOnAssociationList: Dimension<NoParameters> = {
  name: 'not_on_association_list',
  describe: 'seen on the network without being associated with any subscriber UID',
  parameters: noParameters,
  evaluate(dataset, _params, context) {
    const associated = new Set(dataset.association.map((row) => row.imeiNorm));
    const matches: Matches = new Map();
    for (const imei of dataset.networkImeis.keys()) {
      if (!associated.has(imei))
        matches.set(imei, 'not associated with any UID on the device association list');
    }
    return withoutExemptedDeviceTypes(dataset, matches, context);
  },
  sql: (_params, context, region) =>
    withoutExemptedDeviceTypesSql(
      `select n.imei_norm, 'not associated with any UID on the device association list' as evidence
        from network_imei n
        where not exists (select 1 from ref_association a where a.imei_norm = n.imei_norm)`,
      region.exemptedDeviceTypes,
      context.exemptionJoin,
    ),
};
