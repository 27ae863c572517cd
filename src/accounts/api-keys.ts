/**
 * API keys for operators' systems: `ok_<id>.<secret>`. The id is public (lists, logs, revocation);
 * the secret is shown once and only its SHA-256 is kept. A 256-bit random secret cannot be guessed,
 * so a fast hash is enough here (a slow one would only slow every API call).
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';

const PREFIX = 'ok_';
const FORMAT = /^ok_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  readonly id: string;
  readonly secret: string;
  /** What the holder puts in `Authorization: Bearer …`. */
  readonly key: string;
}

export function newApiKey(): NewApiKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `${PREFIX}${id}.${secret}` };
}

/** The id and secret of a key, or null when the text is not in the key format. */
export function parseApiKey(text: string): { id: string; secret: string } | null {
  const match = FORMAT.exec(text.trim());
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

export function looksLikeApiKey(text: string): boolean {
  return text.startsWith(PREFIX);
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A certificate's SHA-256 fingerprint as openssl and Node print it: `AB:CD:…` (32 bytes). */
const FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;

/**
 * The SHA-256 fingerprint of a PEM certificate (RFC 8705 §3.1 binds a token to this hash of the DER),
 * or null when the text holds no certificate.
 */
export function certificateFingerprint(pem: string | Buffer): string | null {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return null;
  }
}

export function isFingerprint(text: string): boolean {
  return FINGERPRINT.test(text);
}
