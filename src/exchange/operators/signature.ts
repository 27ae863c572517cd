/**
 * The webhook signature, and the retry schedule. A receiver verifies a batch with the secret it was
 * given when the webhook was set:
 *
 *   X-OpenCEIR-Timestamp: <Unix seconds>
 *   X-OpenCEIR-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
 *
 * and refuses a timestamp more than SIGNATURE_TOLERANCE_S away from its clock, so that a captured
 * request cannot be replayed later (the scheme of Stripe's and GitHub's webhooks). Pure functions.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-openceir-signature';
export const TIMESTAMP_HEADER = 'x-openceir-timestamp';
export const DELIVERY_HEADER = 'x-openceir-delivery';
export const SIGNATURE_TOLERANCE_S = 300;

/** A new webhook secret: 32 random bytes, base64url, prefixed so that it is recognisable in a vault. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: true when the signature matches and the timestamp is fresh. */
export function verifySignature(
  secret: string,
  timestamp: string | undefined,
  body: string,
  signature: string | undefined,
  nowS: number = Math.floor(Date.now() / 1000),
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowS - Number(timestamp)) > SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(signatureOf(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface Backoff {
  /** Delay after the first failure. */
  readonly baseMs: number;
  /** The longest delay. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 300_000 };

/**
 * Delay before the next attempt after `attempts` failures: exponential, capped, with "equal jitter"
 * (half fixed, half random) so that operators failing together do not retry together.
 */
export function retryDelayMs(attempts: number, backoff: Backoff, random: number = Math.random()): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
