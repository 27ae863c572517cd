/**
 * Case and appeal references people read aloud and type on phones: a letter, then 8 characters of
 * Crockford base32 (no I, L, O, U: nothing to confuse with 1, 0 or V) in two groups, e.g.
 * `C-7KQ4-9XZ2`; 40 random bits, so references cannot be guessed from one another.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newReference(prefix: 'C' | 'A'): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let text = '';
  for (let i = 0; i < 8; i++) {
    text = ALPHABET[Number(bits & 31n)] + text;
    bits >>= 5n;
  }
  return `${prefix}-${text.slice(0, 4)}-${text.slice(4)}`;
}

/** A reference as typed: case-insensitive, spaces or missing hyphens tolerated, O→0, I/L→1. */
export function normaliseReference(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const match = /^([CA])([0-9A-HJKMNP-TV-Z]{8})$/.exec(compact);
  if (!match) return null;
  return `${match[1]}-${match[2]!.slice(0, 4)}-${match[2]!.slice(4)}`;
}
