/**
 * MSISDN: an E.164 number (country code + national destination code + subscriber number), at most
 * 15 digits, stored without `+`. Validation against each country's numbering plan uses
 * libphonenumber-js (a port of Google's libphonenumber) with its full metadata.
 */
import { createRequire } from 'node:module';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { compactDigits, type InputSource } from './imei.ts';
import { asText, type Brand, fail, ok, type ParseResult, quote } from './result.ts';

export type MsisdnDigits = Brand<string, 'Msisdn'>;

export interface Msisdn {
  readonly kind: 'msisdn';
  /** E.164 digits without `+`. */
  readonly digits: MsisdnDigits;
  readonly countryCallingCode: string;
  /** ISO 3166-1 alpha-2 region, or null for shared and non-geographic codes. */
  readonly country: string | null;
  readonly nationalNumber: string;
  /** libphonenumber's type: MOBILE, FIXED_LINE, FIXED_LINE_OR_MOBILE, … or null when unknown. */
  readonly numberType: string | null;
  /** Whether the number fits the numbering plan; network input may carry numbers the plan does not know yet. */
  readonly validInNumberPlan: boolean;
}

export interface MsisdnOptions {
  /** Default `person`: a number outside its country's numbering plan is an error. */
  readonly source?: InputSource;
}

export function parseMsisdn(input: unknown, options: MsisdnOptions = {}): ParseResult<Msisdn> {
  const text = asText(input, 'an MSISDN');
  if (!text.ok) return text;
  const trimmed = text.value.trim();
  const digits = compactDigits(trimmed.replace(/^\+\s?/, ''));
  if (digits === null) {
    return fail(
      'MSISDN_CHARACTERS',
      `an MSISDN is digits, optionally after + and grouped by spaces or hyphens, got ${quote(trimmed)}`,
    );
  }
  if (digits.length < 5 || digits.length > 15) {
    return fail(
      'MSISDN_LENGTH',
      `an MSISDN (E.164) has 5 to 15 digits including the country code, got ${digits.length}`,
    );
  }
  const number = parsePhoneNumberFromString(`+${digits}`);
  if (!number) {
    return fail(
      'MSISDN_COUNTRY_CODE',
      `an MSISDN starts with an E.164 country calling code; ${quote(digits)} does not`,
    );
  }
  const validInNumberPlan = number.isValid();
  if (!validInNumberPlan && (options.source ?? 'person') === 'person') {
    const where = number.country ?? `+${number.countryCallingCode}`;
    return fail(
      'MSISDN_NUMBER_PLAN',
      `${quote(digits)} is not a valid number in the numbering plan of ${where}`,
    );
  }
  return ok({
    kind: 'msisdn',
    digits: number.number.slice(1) as MsisdnDigits,
    countryCallingCode: number.countryCallingCode,
    country: number.country ?? null,
    nationalNumber: number.nationalNumber,
    numberType: number.getType() ?? null,
    validInNumberPlan,
  });
}

export const formatMsisdn = (msisdn: Msisdn): string => msisdn.digits;

let callingCodes: Set<string> | undefined;

/**
 * The E.164 country calling code a digit string starts with. Country codes are a prefix code,
 * so at most one of the 1-, 2- and 3-digit prefixes can be one (used to read ICCIDs, ITU-T E.118).
 */
export function callingCodePrefix(digits: string): string | null {
  if (!callingCodes) {
    const metadata = createRequire(import.meta.url)('libphonenumber-js/metadata.max.json') as {
      country_calling_codes: Record<string, unknown>;
      nonGeographic?: Record<string, unknown>;
    };
    callingCodes = new Set([
      ...Object.keys(metadata.country_calling_codes),
      ...Object.keys(metadata.nonGeographic ?? {}),
    ]);
  }
  for (let n = 1; n <= 3; n++) {
    if (callingCodes.has(digits.slice(0, n))) return digits.slice(0, n);
  }
  return null;
}
