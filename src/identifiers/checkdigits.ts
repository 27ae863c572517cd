/**
 * Check-digit algorithms used by device and subscriber identifiers. Pure arithmetic, no I/O.
 *
 * - Luhn (ISO/IEC 7812-1 Annex B; 3GPP TS 23.003 Annex B for the IMEI) in base 10, and the base-16
 *   variant 3GPP2 S.R0048 uses for hexadecimal MEIDs.
 * - ISO/IEC 7064 MOD 97-10, used by the eUICC identifier (GSMA SGP.02 / SGP.29).
 */

const HEX = '0123456789ABCDEF';

/**
 * The Luhn check digit for `payload` in `base` (10 or 16). Digits are doubled starting with the
 * rightmost payload digit; a doubled value at or above the base contributes 1 + (value − base).
 * Returns `null` if `payload` holds a character that is not a digit of that base.
 */
export function luhnDigit(payload: string, base: 10 | 16 = 10): string | null {
  let sum = 0;
  let double = true;
  for (let i = payload.length - 1; i >= 0; i--) {
    const value = HEX.indexOf(payload.charAt(i).toUpperCase());
    if (value < 0 || value >= base) return null;
    let contribution = double ? value * 2 : value;
    if (contribution >= base) contribution = 1 + (contribution - base);
    sum += contribution;
    double = !double;
  }
  return HEX.charAt((base - (sum % base)) % base);
}

/** True when the last character of `text` is the Luhn digit of the characters before it. */
export function luhnValid(text: string, base: 10 | 16 = 10): boolean {
  if (text.length < 2) return false;
  const expected = luhnDigit(text.slice(0, -1), base);
  return expected !== null && expected === text.slice(-1).toUpperCase();
}

/** N mod 97 for a decimal string of any length (computed in chunks; no BigInt needed). */
export function mod97(digits: string): number {
  let remainder = 0;
  for (let i = 0; i < digits.length; i += 7) {
    remainder = Number(`${remainder}${digits.slice(i, i + 7)}`) % 97;
  }
  return remainder;
}

/** The two ISO/IEC 7064 MOD 97-10 check digits for a payload: 98 − (payload·100 mod 97). */
export function mod97CheckDigits(payload: string): string {
  return String(98 - mod97(`${payload}00`)).padStart(2, '0');
}
