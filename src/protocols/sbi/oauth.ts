/**
 * OAuth2 access tokens on the SBI (TS 33.501 §13.4.1, TS 29.510): the NRF issues a JWT; the EIR checks
 * its signature, issuer, audience (NF type 5G_EIR or this EIR's instance id), scope `n5g-eir-eic`, and
 * validity period. Keys come from a JWKS file (RFC 7517) or a PEM public key. RS256, ES256 and EdDSA.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface OAuthOptions {
  /** A JWKS file (`{"keys": [...]}`) or a PEM public key file. */
  readonly keyFile: string;
  /** Expected `iss` (the NRF's NF instance id); absent: not checked. */
  readonly issuer?: string | null;
  /** Accepted `aud` values; the token's audience must include one. */
  readonly audiences: readonly string[];
  readonly scope?: string;
  /** Clock skew tolerated on exp and nbf (seconds). */
  readonly leewaySeconds?: number;
}

export type TokenCheck =
  | { ok: true; subject: string | null }
  | { ok: false; status: 401 | 403; error: 'invalid_token' | 'insufficient_scope'; detail: string };

interface Key {
  readonly kid: string | null;
  readonly alg: string | null;
  readonly key: KeyObject;
}

export function loadKeys(file: string): Key[] {
  const text = readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('{')) {
    const jwks = JSON.parse(text) as { keys?: (Record<string, unknown> & { kid?: string; alg?: string })[] };
    if (!Array.isArray(jwks.keys)) throw new Error(`${file}: a JWKS file has a "keys" array`);
    return jwks.keys.map((jwk) => ({
      kid: jwk.kid ?? null,
      alg: jwk.alg ?? null,
      key: createPublicKey({ key: jwk as never, format: 'jwk' }),
    }));
  }
  return [{ kid: null, alg: null, key: createPublicKey(text) }];
}

const b64 = (part: string) => Buffer.from(part, 'base64url');

export class TokenValidator {
  private readonly keys: Key[];

  constructor(private readonly options: OAuthOptions) {
    this.keys = loadKeys(options.keyFile);
  }

  check(authorization: string | undefined, now = Date.now()): TokenCheck {
    const invalid = (detail: string): TokenCheck => ({
      ok: false,
      status: 401,
      error: 'invalid_token',
      detail,
    });
    const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/i.exec(
      authorization ?? '',
    );
    if (!match) return invalid('an access token is required: Authorization: Bearer <JWT>');
    const [, h, p, s] = match as unknown as [string, string, string, string];
    let header: { alg?: string; kid?: string };
    let claims: {
      iss?: string;
      sub?: string;
      aud?: string | string[];
      scope?: string;
      exp?: number;
      nbf?: number;
    };
    try {
      header = JSON.parse(b64(h).toString('utf8'));
      claims = JSON.parse(b64(p).toString('utf8'));
    } catch {
      return invalid('the token is not a JWT');
    }
    const candidates = this.keys.filter(
      (k) =>
        (header.kid === undefined || k.kid === null || k.kid === header.kid) &&
        (k.alg === null || k.alg === header.alg),
    );
    const data = Buffer.from(`${h}.${p}`);
    const signature = b64(s);
    const verified = candidates.some((k) => {
      try {
        if (header.alg === 'RS256' && k.key.asymmetricKeyType === 'rsa')
          return verify('sha256', data, k.key, signature);
        if (header.alg === 'ES256' && k.key.asymmetricKeyType === 'ec')
          return verify('sha256', data, { key: k.key, dsaEncoding: 'ieee-p1363' }, signature);
        if (header.alg === 'EdDSA' && k.key.asymmetricKeyType === 'ed25519')
          return verify(null, data, k.key, signature);
      } catch {
        return false;
      }
      return false;
    });
    if (!verified)
      return invalid(
        `the token's signature does not verify (alg ${header.alg ?? 'none'}, kid ${header.kid ?? 'none'})`,
      );
    const leeway = (this.options.leewaySeconds ?? 30) * 1000;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 + leeway <= now)
      return invalid('the token has expired');
    if (typeof claims.nbf === 'number' && claims.nbf * 1000 - leeway > now)
      return invalid('the token is not valid yet');
    if (this.options.issuer && claims.iss !== this.options.issuer)
      return invalid(`the token's issuer is not ${this.options.issuer}`);
    const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud !== undefined ? [claims.aud] : [];
    if (!audiences.some((a) => this.options.audiences.includes(a)))
      return invalid(`the token's audience is not one of ${this.options.audiences.join(', ')}`);
    const scope = this.options.scope ?? 'n5g-eir-eic';
    if (!(claims.scope ?? '').split(' ').includes(scope)) {
      return {
        ok: false,
        status: 403,
        error: 'insufficient_scope',
        detail: `the token's scope does not include ${scope}`,
      };
    }
    return { ok: true, subject: claims.sub ?? null };
  }
}
