/**
 * Staff passwords, hashed with scrypt (RFC 7914), a memory-hard function: N=2^15, r=8, p=1 takes
 * 32 MiB and ~0.1 s per guess, which makes offline guessing of a stolen table expensive on GPUs.
 * Stored as `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`, so the cost can rise later and old hashes
 * still verify with the parameters they were made with.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { AccountError } from './model.ts';

const N = 2 ** 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** NIST SP 800-63B §5.1.1.2 asks for at least 8; staff accounts reach personal data, so 12. */
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

function derive(
  password: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
  length: number,
): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that, so leave room.
  const options: ScryptOptions = { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Throws an AccountError that says what a password needs. */
export function checkPasswordQuality(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new AccountError(
      'password',
      `a password needs at least ${MIN_PASSWORD_LENGTH} characters (a few unrelated words make a good one)`,
    );
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new AccountError('password', `a password has at most ${MAX_PASSWORD_LENGTH} characters`);
}

export async function hashPassword(password: string): Promise<string> {
  checkPasswordQuality(password);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, N, R, P, KEY_BYTES);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when `password` matches `stored`; the comparison takes the same time wherever it differs. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((v) => Number.isInteger(v) && v > 0)) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length === 0 || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(password, salt, n, r, p, expected.length);
  return timingSafeEqual(key, expected);
}
