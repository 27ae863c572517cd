/**
 * EID, the eUICC identifier (GSMA SGP.02 / SGP.22 / SGP.29): 32 decimal digits ending in two
 * ISO/IEC 7064 MOD 97-10 check digits, so that the whole number mod 97 is 1. Not carried on S13 or
 * N5g-eir; it matters for device registration and eSIM pairing.
 */
import { mod97, mod97CheckDigits } from './checkdigits.ts';
import { asText, type Brand, fail, ok, type ParseResult, quote } from './result.ts';

export type EidDigits = Brand<string, 'Eid'>;

export interface Eid {
  readonly kind: 'eid';
  readonly digits: EidDigits;
  /** The classic SGP.02 layout starts with 89 (telecom) and a 3-digit country code; SGP.29 EIDs need not. */
  readonly classicLayout: boolean;
}

export function parseEid(input: unknown): ParseResult<Eid> {
  const text = asText(input, 'an EID');
  if (!text.ok) return text;
  const value = text.value.trim().replace(/ /g, '');
  if (!/^[0-9]{32}$/.test(value)) {
    return fail('EID_FORMAT', `an EID is exactly 32 decimal digits, got ${quote(value)}`);
  }
  if (mod97(value) !== 1) {
    const expected = mod97CheckDigits(value.slice(0, 30));
    return fail(
      'EID_CHECK_DIGITS',
      `an EID's last two digits are its MOD 97-10 check digits: ${expected} for this EID, not ${value.slice(30)}`,
    );
  }
  return ok({ kind: 'eid', digits: value as EidDigits, classicLayout: value.startsWith('89') });
}

export const formatEid = (eid: Eid): string => eid.digits;

/** The check digits for a 30-digit EID body, for generators and tests. */
export const eidCheckDigits = mod97CheckDigits;
