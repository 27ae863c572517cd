/** `is_barred_tac`: network IMEIs whose first 8 characters are on the barred TAC list (dirbs-compat.md §3.2). */
import type { Dimension, Matches } from './dimension.ts';
import { type NoParameters, noParameters } from './no-parameters.ts';
import { tacOf } from './sql.ts';

export const isBarredTac: Dimension<NoParameters> = {
  name: 'is_barred_tac',
  describe: 'seen on the network with a TAC on the barred TAC list',
  parameters: noParameters,
  evaluate(dataset) {
    const matches: Matches = new Map();
    for (const imei of dataset.networkImeis.keys()) {
      const tac = imei.slice(0, 8);
      if (dataset.barredTac.has(tac)) matches.set(imei, `TAC ${tac} is on the barred TAC list`);
    }
    return matches;
  },
  sql: () => `select n.imei_norm, 'TAC ' || t.tac || ' is on the barred TAC list' as evidence
    from network_imei n join ref_barred_tac t on t.tac = ${tacOf('n.imei_norm')}`,
};
