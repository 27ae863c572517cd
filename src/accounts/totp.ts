/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226): HMAC-SHA1, 6 digits, 30-second
 * steps, the step before and after accepted for clock drift (RFC 6238 §5.2). Secrets are base32
 * (RFC 4648 §6), the form authenticator apps read from an `otpauth://` URI.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(data: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Reads base32 in any case, with or without padding and spaces (as people copy it). */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`not base32: "${char}"`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(bytes);
}

/** A new secret: 20 bytes, the HMAC-SHA1 block the RFC 4226 §4 R6 recommends (160 bits). */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** HOTP (RFC 4226 §5.3): HMAC of the 8-byte counter, dynamic truncation, `digits` decimal digits. */
export function hotp(
  key: Uint8Array,
  counter: number,
  digits = 6,
  algorithm: HmacAlgorithm = 'sha1',
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export const TOTP_STEP_SECONDS = 30;

/** TOTP (RFC 6238 §4.2): HOTP of the number of 30-second steps since the Unix epoch. */
export function totp(key: Uint8Array, atMs: number, digits = 6, algorithm: HmacAlgorithm = 'sha1'): string {
  return hotp(key, Math.floor(atMs / 1000 / TOTP_STEP_SECONDS), digits, algorithm);
}

/** True when `code` is the code of the current step or of the one before or after it. */
export function verifyTotp(secret: string, code: string, atMs: number = Date.now()): boolean {
  const given = Buffer.from(code.replace(/\s/g, ''));
  if (!/^\d{6}$/.test(given.toString())) return false;
  const key = base32Decode(secret);
  const step = Math.floor(atMs / 1000 / TOTP_STEP_SECONDS);
  let match = false;
  for (const drift of [-1, 0, 1]) {
    // Every candidate is compared, so the time does not tell which step matched.
    if (timingSafeEqual(Buffer.from(hotp(key, step + drift)), given)) match = true;
  }
  return match;
}

/** The URI authenticator apps scan (Key Uri Format): `otpauth://totp/Issuer:account?secret=…`. */
export function otpauthUri(secret: string, account: string, issuer = 'OpenCEIR'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: '6',
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${query}`;
}
