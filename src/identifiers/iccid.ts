/**
 * ICCID, the SIM card number (ITU-T E.118): 89 (telecom industry) + E.164 country calling code +
 * issuer identifier + account number + a Luhn check digit, 19 or 20 digits in all (18 on some old cards).
 */
import { luhnDigit } from './checkdigits.ts';
import { callingCodePrefix } from './msisdn.ts';
import { asText, type Brand, fail, ok, type ParseResult, quote } from './result.ts';

export type IccidDigits = Brand<string, 'Iccid'>;

export interface Iccid {
  readonly kind: 'iccid';
  readonly digits: IccidDigits;
  readonly countryCallingCode: string | null;
}

export function parseIccid(input: unknown): ParseResult<Iccid> {
  const text = asText(input, 'an ICCID');
  if (!text.ok) return text;
  const value = text.value.trim().replace(/ /g, '');
  if (!/^[0-9]{18,20}$/.test(value)) {
    return fail('ICCID_FORMAT', `an ICCID is 18 to 20 decimal digits, got ${quote(value)}`);
  }
  if (!value.startsWith('89')) {
    return fail(
      'ICCID_PREFIX',
      `an ICCID starts with 89, the telecommunication industry identifier (ITU-T E.118), got ${quote(value.slice(0, 2))}`,
    );
  }
  const expected = luhnDigit(value.slice(0, -1));
  if (expected !== value.slice(-1)) {
    return fail(
      'ICCID_CHECK_DIGIT',
      `an ICCID's last digit is its Luhn check digit: ${expected}, not ${value.slice(-1)}`,
    );
  }
  // North American cards write country code 1 as 01 (8901…).
  const rest = value.slice(2);
  const countryCallingCode = callingCodePrefix(rest.startsWith('0') ? rest.slice(1) : rest);
  return ok({ kind: 'iccid', digits: value as IccidDigits, countryCallingCode });
}

export const formatIccid = (iccid: Iccid): string => iccid.digits;
