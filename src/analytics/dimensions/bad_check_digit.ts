/**
 * `bad_check_digit` (OpenCEIR; DIRBS drops the check digit on input, dirbs-compat.md §8.1): network
 * IMEIs seen in source data as 15 decimal digits whose last digit is neither the Luhn check digit
 * of the first 14 (3GPP TS 23.003 §6.2.1, Annex B) nor the spare digit 0 that a mobile sends in
 * place of it (TS 23.003 §6.2.1, TS 24.008 §10.5.1.4).
 */
import { luhnDigit } from '../../identifiers/index.ts';
import { type Dimension, listOf, type Matches } from './dimension.ts';
import { type NoParameters, noParameters } from './no-parameters.ts';

/** The expected check digit when `raw` is a 15-digit IMEI with a wrong one; otherwise null. */
export function wrongCheckDigit(raw: string): string | null {
  if (!/^[0-9]{15}$/.test(raw)) return null;
  const given = raw.charAt(14);
  const expected = luhnDigit(raw.slice(0, 14));
  if (expected === null || given === expected || given === '0') return null;
  return expected;
}

export const badCheckDigit: Dimension<NoParameters> = {
  name: 'bad_check_digit',
  describe: 'seen in network data as a 15-digit IMEI whose Luhn check digit is wrong',
  parameters: noParameters,
  evaluate(dataset) {
    const matches: Matches = new Map();
    for (const [imei, raws] of dataset.rawImeis) {
      if (!dataset.networkImeis.has(imei)) continue;
      const wrong = [...raws]
        .map((raw) => raw.trim())
        .sort()
        .flatMap((raw) => {
          const expected = wrongCheckDigit(raw);
          return expected === null ? [] : [`${raw} (check digit ${raw.charAt(14)}, expected ${expected})`];
        });
      if (wrong.length > 0) matches.set(imei, `seen as ${listOf(wrong)}`);
    }
    return matches;
  },
};
