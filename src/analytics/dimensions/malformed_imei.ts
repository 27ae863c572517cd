/**
 * `malformed_imei`: network IMEIs whose imei_norm is not exactly 14 decimal digits: hex values,
 * values with `*` or `#`, and IMEIs shorter than 14 digits (dirbs-compat.md §3.2).
 */

import { isDeviceKeyNorm } from '../normalise.ts';
import type { Dimension, Matches } from './dimension.ts';
import { type NoParameters, noParameters } from './no-parameters.ts';
import { isDeviceKey } from './sql.ts';

export const malformedImei: Dimension<NoParameters> = {
  name: 'malformed_imei',
  describe: 'seen on the network with an IMEI that is not 14 decimal digits after normalisation',
  parameters: noParameters,
  evaluate(dataset) {
    const matches: Matches = new Map();
    for (const imei of dataset.networkImeis.keys()) {
      if (isDeviceKeyNorm(imei)) continue;
      const why = /[^0-9]/.test(imei)
        ? `holds ${imei.replace(/[0-9]/g, '').length} character(s) that are not decimal digits`
        : `has ${imei.length} digits`;
      matches.set(imei, `IMEI "${imei}" ${why}; a well-formed IMEI starts with 14 decimal digits`);
    }
    return matches;
  },
  sql: () => `select imei_norm, 'IMEI "' || imei_norm || '" is not 14 decimal digits' as evidence
    from network_imei where not ${isDeviceKey('imei_norm')}`,
};
