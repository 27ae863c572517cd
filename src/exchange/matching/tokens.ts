/**
 * Keyed device tokens for pseudonymised matching (docs/exchange-matching.md): a token is
 * HMAC-SHA256(secret, device key as 14 ASCII digits) truncated to 16 bytes, written as 32 lower-case hex
 * digits. Two registries that share the secret compute equal tokens for equal device keys and can
 * compare lists without sending the keys; whoever lacks the secret cannot link a token to a device.
 * Pure: no I/O.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const SECRET_BYTES = 32;
export const TOKEN_BYTES = 16;
/** The most tokens one match request may carry. */
export const MAX_TOKENS = 10_000;

const TOKEN = /^[0-9a-f]{32}$/;
const SECRET_HEX = /^[0-9a-f]{64}$/i;
const DEVICE_KEY = /^\d{14}$/;

/** A refused matching input: the field and the rule it breaks. */
export class MatchInputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    /** 413 when the request is too large, otherwise 400. */
    readonly status: 400 | 413 = 400,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'MatchInputError';
  }
}

export function newSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

export function parseSecret(text: string, field = 'secret'): Buffer {
  if (!SECRET_HEX.test(text))
    throw new MatchInputError(field, `must be ${SECRET_BYTES} bytes as ${SECRET_BYTES * 2} hex digits`);
  return Buffer.from(text, 'hex');
}

export function matchToken(secret: Buffer, deviceKey: string): string {
  if (!DEVICE_KEY.test(deviceKey)) throw new MatchInputError('deviceKey', 'must be 14 digits (TAC+SNR)');
  return createHmac('sha256', secret)
    .update(deviceKey, 'latin1')
    .digest()
    .subarray(0, TOKEN_BYTES)
    .toString('hex');
}

/** Checks a request's tokens: a list of at most MAX_TOKENS distinct 32-hex-digit strings. */
export function parseTokens(value: unknown): string[] {
  if (!Array.isArray(value)) throw new MatchInputError('tokens', 'must be a list of tokens');
  if (value.length > MAX_TOKENS)
    throw new MatchInputError('tokens', `at most ${MAX_TOKENS} tokens per request; got ${value.length}`, 413);
  const seen = new Set<string>();
  for (const [i, token] of value.entries()) {
    if (typeof token !== 'string' || !TOKEN.test(token))
      throw new MatchInputError(`tokens[${i}]`, `must be ${TOKEN_BYTES * 2} lower-case hex digits`);
    seen.add(token);
  }
  return [...seen];
}

/** One reason our lists hold for a device: its status, code and list. */
export interface ListedReason {
  readonly status: 'blocked' | 'tracked';
  readonly reason: string;
}

/** What a peer learns about one matched token. */
export interface MatchAnswer {
  readonly token: string;
  readonly matched: true;
  /** Only when the reveal policy allows at least one of the device's reasons. */
  readonly imei?: string;
  readonly status?: 'blocked' | 'tracked';
  readonly reasons?: string[];
}

/**
 * The answer for one matched device under a reveal policy: the clear device key, status and reasons
 * when at least one reason may be revealed, and then only those reasons; otherwise the token alone.
 */
export function answerFor(
  token: string,
  deviceKey: string,
  reasons: readonly ListedReason[],
  reveal: ReadonlySet<string>,
): MatchAnswer {
  const shown = reasons.filter((r) => reveal.has(r.reason));
  if (shown.length === 0) return { token, matched: true };
  const status = shown.some((r) => r.status === 'blocked') ? 'blocked' : 'tracked';
  return {
    token,
    matched: true,
    imei: deviceKey,
    status,
    reasons: [...new Set(shown.map((r) => r.reason))].sort(),
  };
}
