/**
 * 3GPP2 equipment identifiers (S.R0048, X.S0008): MEID (56 bits), ESN (32 bits) and the pseudo-ESN
 * derived from a MEID. They identify CDMA devices; OpenCEIR catalogues and validates them but keys
 * no list on them (identifiers.md §4).
 */
import { createHash } from 'node:crypto';
import { luhnDigit } from './checkdigits.ts';
import { asText, type Brand, fail, ok, type ParseResult, quote } from './result.ts';

export type MeidHex = Brand<string, 'Meid'>;
export type EsnHex = Brand<string, 'Esn'>;

export interface Meid {
  readonly kind: 'meid';
  /** 14 upper-case hex digits: RR (region) + XXXXXX (manufacturer) + ZZZZZZ (serial). */
  readonly hex: MeidHex;
  /** The optional check digit as given (not part of the MEID), or null. */
  readonly checkDigit: string | null;
  /** Base-16 Luhn for the hex form; decimal Luhn over the 18-digit form. */
  readonly expectedCheckDigit: string;
  readonly expectedDecimalCheckDigit: string;
  /** `hex` for RR A0–FF (TIA, the Global Hex Administrator); `decimal` for RR 99 (GSMA, IMEI-compatible). */
  readonly administration: 'hex' | 'decimal';
  /** The form the MEID was given in, kept so that formatting gives the text back. */
  readonly form: 'hex' | 'decimal';
}

export interface Esn {
  readonly kind: 'esn';
  readonly hex: EsnHex;
  /** Manufacturer code 0x80: a pseudo-ESN, derived from a MEID and not unique. */
  readonly pseudo: boolean;
  readonly form: 'hex' | 'decimal';
}

/** 18-digit decimal MEID: the 32-bit RR+manufacturer part as 10 digits, the 24-bit serial as 8. */
export function meidDecimal(hex: MeidHex): string {
  const high = Number.parseInt(hex.slice(0, 8), 16);
  const low = Number.parseInt(hex.slice(8), 16);
  return String(high).padStart(10, '0') + String(low).padStart(8, '0');
}

function meidFromDecimal(digits: string): string | null {
  const high = Number(digits.slice(0, 10));
  const low = Number(digits.slice(10, 18));
  if (high > 0xffffffff || low > 0xffffff) return null;
  return (high.toString(16).padStart(8, '0') + low.toString(16).padStart(6, '0')).toUpperCase();
}

export function parseMeid(input: unknown): ParseResult<Meid> {
  const text = asText(input, 'a MEID');
  if (!text.ok) return text;
  const value = text.value.trim().replace(/[ -]/g, '');
  let hex: string;
  let form: Meid['form'];
  let checkDigit: string | null = null;
  if (/^[0-9A-Fa-f]{14,15}$/.test(value) && !/^[0-9]{18,19}$/.test(value)) {
    form = 'hex';
    hex = value.slice(0, 14).toUpperCase();
    checkDigit = value.length === 15 ? value.charAt(14).toUpperCase() : null;
  } else if (/^[0-9]{18,19}$/.test(value)) {
    form = 'decimal';
    const converted = meidFromDecimal(value);
    if (converted === null) {
      return fail(
        'MEID_DECIMAL_RANGE',
        `a decimal MEID is a 10-digit number up to 4294967295 and an 8-digit number up to 16777215, got ${quote(value)}`,
      );
    }
    hex = converted;
    checkDigit = value.length === 19 ? value.charAt(18) : null;
  } else {
    return fail(
      'MEID_FORMAT',
      `a MEID is 14 hex digits (15 with check digit) or 18 decimal digits (19 with check digit), got ${quote(value)}`,
    );
  }
  const region = hex.slice(0, 2);
  const administration = region >= 'A0' ? 'hex' : region === '99' && /^[0-9]+$/.test(hex) ? 'decimal' : null;
  if (administration === null) {
    return fail(
      'MEID_REGION',
      `a MEID's region code is A0–FF, or 99 followed by decimal digits (IMEI-compatible); ${region} is neither`,
    );
  }
  const expectedCheckDigit = luhnDigit(hex, 16) as string;
  const expectedDecimalCheckDigit = luhnDigit(meidDecimal(hex as MeidHex)) as string;
  const expected = form === 'hex' ? expectedCheckDigit : expectedDecimalCheckDigit;
  if (checkDigit !== null && checkDigit !== expected) {
    return fail('MEID_CHECK_DIGIT', `the MEID's check digit is ${expected}, not ${checkDigit}`);
  }
  return ok({
    kind: 'meid',
    hex: hex as MeidHex,
    checkDigit,
    expectedCheckDigit,
    expectedDecimalCheckDigit,
    administration,
    form,
  });
}

export function formatMeid(meid: Meid): string {
  const body = meid.form === 'hex' ? meid.hex : meidDecimal(meid.hex);
  return body + (meid.checkDigit ?? '');
}

/** pESN = 0x80 ‖ the low 24 bits of SHA-1 over the 7 MEID octets (3GPP2 X.S0008). */
export function pseudoEsn(meid: Meid): Esn {
  const digest = createHash('sha1').update(Buffer.from(meid.hex, 'hex')).digest('hex');
  return { kind: 'esn', hex: `80${digest.slice(-6)}`.toUpperCase() as EsnHex, pseudo: true, form: 'hex' };
}

/** ESN: 8 hex digits, or 11 decimal digits (3-digit manufacturer code 0–255 + 8-digit serial 0–16777215). */
export function parseEsn(input: unknown): ParseResult<Esn> {
  const text = asText(input, 'an ESN');
  if (!text.ok) return text;
  const value = text.value.trim();
  let hex: string;
  let form: Esn['form'];
  if (/^[0-9]{11}$/.test(value)) {
    const manufacturer = Number(value.slice(0, 3));
    const serial = Number(value.slice(3));
    if (manufacturer > 255 || serial > 0xffffff) {
      return fail(
        'ESN_DECIMAL_RANGE',
        `a decimal ESN is a manufacturer code up to 255 and a serial up to 16777215, got ${quote(value)}`,
      );
    }
    hex = (manufacturer.toString(16).padStart(2, '0') + serial.toString(16).padStart(6, '0')).toUpperCase();
    form = 'decimal';
  } else if (/^[0-9A-Fa-f]{8}$/.test(value)) {
    hex = value.toUpperCase();
    form = 'hex';
  } else {
    return fail('ESN_FORMAT', `an ESN is 8 hex digits or 11 decimal digits, got ${quote(value)}`);
  }
  return ok({ kind: 'esn', hex: hex as EsnHex, pseudo: hex.startsWith('80'), form });
}

export function esnDecimal(esn: Esn): string {
  return (
    String(Number.parseInt(esn.hex.slice(0, 2), 16)).padStart(3, '0') +
    String(Number.parseInt(esn.hex.slice(2), 16)).padStart(8, '0')
  );
}

export function formatEsn(esn: Esn): string {
  return esn.form === 'hex' ? esn.hex : esnDecimal(esn);
}
