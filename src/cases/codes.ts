/**
 * One-time codes sent to a reporter's number: 6 digits from a CSPRNG, stored as an HMAC keyed by
 * the case id (a leaked table does not give codes for other cases in one lookup table), checked in
 * constant time, limited in attempts and lifetime.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const MAX_CODE_ATTEMPTS = 5;

export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function hashCode(caseId: string, code: string): string {
  return createHmac('sha256', caseId).update(code.trim()).digest('hex');
}

export function codeMatches(caseId: string, code: string, storedHash: string): boolean {
  const given = Buffer.from(hashCode(caseId, code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
