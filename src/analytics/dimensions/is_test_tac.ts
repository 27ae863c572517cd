/**
 * `is_test_tac`: network IMEIs in a GSMA test TAC range (TS.06; dirbs-compat.md §3.2): the first 8
 * characters are digits, the first two are `00`, and characters 3–4 are `10` with characters 5–6
 * in 01..17, or are `44`, `86` or `91`.
 */
import type { Dimension, Matches } from './dimension.ts';
import { type NoParameters, noParameters } from './no-parameters.ts';
import { isDigits, tacOf } from './sql.ts';

export function testTacRange(imei: string): string | null {
  if (!/^00[0-9]{6}/.test(imei)) return null;
  const pair = imei.slice(2, 4);
  const next = Number(imei.slice(4, 6));
  if (pair === '10' && next >= 1 && next <= 17) return '0010 01–17';
  if (pair === '44' || pair === '86' || pair === '91') return `00${pair}`;
  return null;
}

export const isTestTac: Dimension<NoParameters> = {
  name: 'is_test_tac',
  describe: 'seen on the network with a TAC in a GSMA test range',
  parameters: noParameters,
  evaluate(dataset) {
    const matches: Matches = new Map();
    for (const imei of dataset.networkImeis.keys()) {
      const range = testTacRange(imei);
      if (range !== null) matches.set(imei, `TAC ${imei.slice(0, 8)} is in the test range ${range}`);
    }
    return matches;
  },
  sql: () => `select imei_norm, 'TAC ' || ${tacOf('imei_norm')} || ' is in the test range ' ||
      case when substr(imei_norm, 3, 2) = '10' then '0010 01–17' else substr(imei_norm, 1, 4) end as evidence
    from network_imei
    where length(imei_norm) >= 8 and ${isDigits(tacOf('imei_norm'))} and substr(imei_norm, 1, 2) = '00'
      and ((substr(imei_norm, 3, 2) = '10' and substr(imei_norm, 5, 2) between '01' and '17')
        or substr(imei_norm, 3, 2) in ('44', '86', '91'))`,
};
