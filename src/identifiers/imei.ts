/**
 * IMEI, IMEISV and their parts (3GPP TS 23.003 §6.2), and the 14-digit device key every list uses.
 *
 * An IMEI is TAC (8) + SNR (6) + check or spare digit (1); an IMEISV is TAC + SNR + SVN (2). The
 * check digit is not sent when a network checks an IMEI (TS 23.003 §6.2.1), so OpenCEIR keys every
 * list on TAC+SNR and verifies the Luhn digit only on input typed by people (identifiers.md §10.1).
 */
import { luhnDigit } from './checkdigits.ts';
import { type Rbi, reportingBody } from './rbi.ts';
import { asText, type Brand, fail, ok, type ParseResult, quote } from './result.ts';

/** TAC + SNR: exactly 14 decimal digits. The unit of every list. */
export type DeviceKey = Brand<string, 'DeviceKey'>;
/** Type Allocation Code: 8 decimal digits, the first two being the reporting body (RBI). */
export type Tac = Brand<string, 'Tac'>;
/** Serial number: 6 decimal digits. */
export type Snr = Brand<string, 'Snr'>;
/** Software version number: 2 decimal digits (99 is reserved, TS 23.003 §6.2.2). */
export type Svn = Brand<string, 'Svn'>;

/**
 * Where an identifier came from decides how strict the check digit is: a person's typing error
 * must be caught, but network traffic carries a spare 0 or garbage there and is never refused for it.
 */
export type InputSource = 'person' | 'network';

/** `spare`: a 0 that is not the Luhn digit (allowed by TS 23.003); `mismatch`: any other wrong digit. */
export type CheckDigitState = 'valid' | 'spare' | 'mismatch' | 'absent';

export interface Imei {
  readonly kind: 'imei';
  readonly deviceKey: DeviceKey;
  readonly tac: Tac;
  readonly snr: Snr;
  /** The 15th digit as given, or null for the 14-digit form. */
  readonly checkDigit: string | null;
  readonly checkDigitState: CheckDigitState;
  /** The Luhn digit of the device key. */
  readonly expectedCheckDigit: string;
}

export interface Imeisv {
  readonly kind: 'imeisv';
  readonly deviceKey: DeviceKey;
  readonly tac: Tac;
  readonly snr: Snr;
  readonly svn: Svn;
  readonly expectedCheckDigit: string;
}

export interface ImeiOptions {
  /** Default `person`: a wrong 15th digit other than a spare 0 is an error. */
  readonly source?: InputSource;
}

/**
 * Removes the separators people and labels put between digit groups ("35-209900-176148-1",
 * "35 209900 176148 1"). Only single spaces, hyphens, dots or slashes between digits are taken out.
 */
export function compactDigits(text: string): string | null {
  const trimmed = text.trim();
  if (!/^[0-9]+(?:[ \-./][0-9]+)*$/.test(trimmed)) return null;
  return trimmed.replace(/[ \-./]/g, '');
}

function digitsOf(input: unknown, what: string, code: string): ParseResult<string> {
  const text = asText(input, what);
  if (!text.ok) return text;
  const trimmed = text.value.trim();
  if (trimmed === '') return fail(`${code}_EMPTY`, `${what} is empty`);
  const digits = compactDigits(trimmed);
  if (digits === null) {
    const bad = [...trimmed].findIndex((c) => !/[0-9 \-./]/.test(c));
    const where = bad >= 0 ? `; found ${quote(trimmed.charAt(bad))} at position ${bad + 1}` : '';
    return fail(
      `${code}_CHARACTERS`,
      `${what} is decimal digits (optionally grouped by - . / or space)${where}`,
    );
  }
  return ok(digits);
}

function fixedDigits<T extends string>(
  input: unknown,
  length: number,
  what: string,
  code: string,
): ParseResult<T> {
  const text = asText(input, what);
  if (!text.ok) return text;
  const value = text.value.trim();
  if (!new RegExp(`^[0-9]{${length}}$`).test(value)) {
    return fail(`${code}_FORMAT`, `${what} is exactly ${length} decimal digits, got ${quote(value)}`);
  }
  return ok(value as T);
}

export const parseTac = (input: unknown): ParseResult<Tac> => fixedDigits<Tac>(input, 8, 'a TAC', 'TAC');
export const parseSnr = (input: unknown): ParseResult<Snr> => fixedDigits<Snr>(input, 6, 'an SNR', 'SNR');
export const parseSvn = (input: unknown): ParseResult<Svn> => fixedDigits<Svn>(input, 2, 'an SVN', 'SVN');
export const formatTac = (tac: Tac): string => tac;
export const formatSnr = (snr: Snr): string => snr;
export const formatSvn = (svn: Svn): string => svn;

/** A device key is exactly 14 digits; use `parseImei` to accept every IMEI form a person may type. */
export function parseDeviceKey(input: unknown): ParseResult<DeviceKey> {
  return fixedDigits<DeviceKey>(input, 14, 'a device key (TAC + SNR)', 'DEVICE_KEY');
}

export const formatDeviceKey = (key: DeviceKey): string => key;
export const tacOf = (key: DeviceKey): Tac => key.slice(0, 8) as Tac;
export const snrOf = (key: DeviceKey): Snr => key.slice(8, 14) as Snr;
export const rbiOf = (key: DeviceKey | Tac): Rbi => key.slice(0, 2) as Rbi;

/** The Luhn check digit of a device key (TS 23.003 Annex B). */
export function checkDigitOf(key: DeviceKey): string {
  return luhnDigit(key) as string;
}

/** The 15-digit IMEI of a device key, with its Luhn digit appended. */
export function fullImei(key: DeviceKey): string {
  return key + checkDigitOf(key);
}

/** A device key as a number: 10^14 < 2^53, so it is exact in a float64 (the check index's form). */
export function deviceKeyToNumber(key: DeviceKey): number {
  return Number(key);
}

export function deviceKeyFromNumber(n: number): DeviceKey | null {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e14) return null;
  return String(n).padStart(14, '0') as DeviceKey;
}

function imeiFromDigits(digits: string, source: InputSource): ParseResult<Imei> {
  const deviceKey = digits.slice(0, 14) as DeviceKey;
  const expectedCheckDigit = checkDigitOf(deviceKey);
  const checkDigit = digits.length === 15 ? digits.charAt(14) : null;
  let checkDigitState: CheckDigitState = 'absent';
  if (checkDigit !== null) {
    if (checkDigit === expectedCheckDigit) checkDigitState = 'valid';
    else if (checkDigit === '0') checkDigitState = 'spare';
    else checkDigitState = 'mismatch';
  }
  if (checkDigitState === 'mismatch' && source === 'person') {
    return fail(
      'IMEI_CHECK_DIGIT',
      `the 15th digit of an IMEI is its Luhn check digit: for ${deviceKey} it is ${expectedCheckDigit}, not ${checkDigit}`,
    );
  }
  return ok({
    kind: 'imei',
    deviceKey,
    tac: tacOf(deviceKey),
    snr: snrOf(deviceKey),
    checkDigit,
    checkDigitState,
    expectedCheckDigit,
  });
}

/**
 * An IMEI in its 14-digit (no check digit) or 15-digit form, with separators tolerated and an
 * optional `imei-` PEI prefix. 16 digits is an IMEISV: see `parseImeisv` and `parseEquipment`.
 */
export function parseImei(input: unknown, options: ImeiOptions = {}): ParseResult<Imei> {
  const text = asText(input, 'an IMEI');
  if (!text.ok) return text;
  const unprefixed = text.value.trim().replace(/^imei-/i, '');
  const digits = digitsOf(unprefixed, 'an IMEI', 'IMEI');
  if (!digits.ok) return digits;
  const n = digits.value.length;
  if (n !== 14 && n !== 15) {
    const hint = n === 16 ? ' (16 digits is an IMEISV)' : '';
    return fail('IMEI_LENGTH', `an IMEI has 14 digits (TAC + SNR) or 15 (with check digit), got ${n}${hint}`);
  }
  return imeiFromDigits(digits.value, options.source ?? 'person');
}

/** The canonical text of an IMEI: the digits as given (14 or 15), without separators. */
export function formatImei(imei: Imei): string {
  return imei.checkDigit === null ? imei.deviceKey : imei.deviceKey + imei.checkDigit;
}

/** An IMEISV: 16 digits (TAC + SNR + SVN), separators tolerated, optional `imeisv-` PEI prefix. */
export function parseImeisv(input: unknown): ParseResult<Imeisv> {
  const text = asText(input, 'an IMEISV');
  if (!text.ok) return text;
  const unprefixed = text.value.trim().replace(/^imeisv-/i, '');
  const digits = digitsOf(unprefixed, 'an IMEISV', 'IMEISV');
  if (!digits.ok) return digits;
  if (digits.value.length !== 16) {
    return fail('IMEISV_LENGTH', `an IMEISV has 16 digits (TAC + SNR + SVN), got ${digits.value.length}`);
  }
  const deviceKey = digits.value.slice(0, 14) as DeviceKey;
  return ok({
    kind: 'imeisv',
    deviceKey,
    tac: tacOf(deviceKey),
    snr: snrOf(deviceKey),
    svn: digits.value.slice(14) as Svn,
    expectedCheckDigit: checkDigitOf(deviceKey),
  });
}

export function formatImeisv(imeisv: Imeisv): string {
  return imeisv.deviceKey + imeisv.svn;
}

/**
 * Any form of one device's equipment identity, as the check path and importers meet them:
 * 14, 15 or 16 digits, `imei-` or `imeisv-`. All forms of one device give one device key.
 */
export function parseEquipment(input: unknown, options: ImeiOptions = {}): ParseResult<Imei | Imeisv> {
  const text = asText(input, 'an IMEI');
  if (!text.ok) return text;
  const trimmed = text.value.trim();
  if (/^imeisv-/i.test(trimmed)) return parseImeisv(trimmed);
  if (/^imei-/i.test(trimmed)) return parseImei(trimmed, options);
  const digits = compactDigits(trimmed);
  if (digits?.length === 16) return parseImeisv(digits);
  return parseImei(trimmed, options);
}

/** What DIRBS-compatible imports keep of a raw IMEI field (identifiers.md §10.1, DIRBS `normalize_imei`). */
export type NormalizedImei =
  | { readonly kind: 'key'; readonly deviceKey: DeviceKey }
  | { readonly kind: 'malformed'; readonly text: string }
  | { readonly kind: 'empty' };

/**
 * Trim; a value that starts with 14 decimal digits is keyed on exactly those 14; anything else is
 * malformed and kept upper-cased for reports. Matches DIRBS-Core `normalize_imei()`.
 */
export function normalizeImei(raw: string): NormalizedImei {
  const trimmed = raw.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (/^[0-9]{14}/.test(trimmed)) return { kind: 'key', deviceKey: trimmed.slice(0, 14) as DeviceKey };
  return { kind: 'malformed', text: trimmed.toUpperCase() };
}

/** The reporting body behind a device key or TAC. */
export function reportingBodyOf(key: DeviceKey | Tac) {
  return reportingBody(rbiOf(key));
}
