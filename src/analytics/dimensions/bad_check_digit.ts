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
  // The engines keep in bad_check_digit only raw 15-digit IMEIs whose last digit is wrong (engine.ts
  // `stageValues`); the join keeps the reference's restriction to network IMEIs.
  sql: () => `select b.imei_norm, 'seen as ' || string_agg(b.imei_raw || ' (check digit ' || substr(b.imei_raw, 15, 1) ||
        ', expected ' || ${luhnDigitSql('b.imei_raw')} || ')', ', ' order by b.imei_raw) as evidence
    from (select distinct imei_norm, imei_raw from bad_check_digit) b
    join network_imei n on n.imei_norm = b.imei_norm
    group by b.imei_norm`,
};

/** The Luhn digit of the first 14 digits of `column` as SQL text (TS 23.003 Annex B): every second digit from the right doubled. */
function luhnDigitSql(column: string): string {
  const digit = (i: number) => `cast(substr(${column}, ${i + 1}, 1) as integer)`;
  const terms = Array.from({ length: 14 }, (_, i) =>
    i % 2 === 1 ? `(${digit(i)} * 2 - case when ${digit(i)} >= 5 then 9 else 0 end)` : digit(i),
  );
  return `cast((10 - (${terms.join(' + ')}) % 10) % 10 as varchar)`;
}
