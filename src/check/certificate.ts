/**
 * Signed status certificates: what the registry answered for one device at one moment, signed with
 * the registry's ledger key (Ed25519) so that a buyer, a marketplace or an insurer can verify it
 * offline with the published public key. Pure: no I/O; the caller gives the answer, the ledger
 * position and the signing function.
 *
 * The signed bytes are the domain-separation string followed by the statement in canonical JSON
 * (RFC 8785: keys sorted, no white space): docs/portal.md shows how to check them with OpenSSL.
 * A certificate holds no personal data: no owner, no contact, no IMSI or MSISDN, no case, no source.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { type CanonicalValue, canonicalJson } from '../ledger/canonical.ts';
import { keyIdOf } from '../ledger/signing.ts';

/** Prefixed to the canonical statement before signing, so no other signed thing can pass for one. */
export const CERTIFICATE_DOMAIN = 'OpenCEIR status certificate v1\n';
export const CERTIFICATE_TYPE = 'openceir-status-certificate';
export const CERTIFICATE_STATUSES = ['allowed', 'tracked', 'blocked', 'unknown'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export interface StatusStatement {
  readonly version: 1;
  readonly type: typeof CERTIFICATE_TYPE;
  /** 128 random bits in hex: tells two certificates of the same answer apart. */
  readonly serial: string;
  readonly deviceKey: string;
  /** The identifier as checked, digits only (14, 15 or 16). */
  readonly identifier: string;
  readonly status: CertificateStatus;
  /** Reason codes (ledger/reasons.ts), in the order of the answer. */
  readonly reasons: readonly string[];
  /** ISO 8601, UTC, milliseconds. */
  readonly checkedAt: string;
  /** The signed tree head the answer reflects: the ledger held exactly these entries. */
  readonly ledger: { readonly treeSize: number; readonly rootHash: string };
  readonly issuer: { readonly keyId: string };
}

export interface StatusCertificate {
  readonly statement: StatusStatement;
  /** Ed25519 signature of `signedBytes(statement)`, base64url without padding. */
  readonly signature: string;
}

export interface StatementInput {
  readonly deviceKey: string;
  readonly identifier: string;
  readonly status: CertificateStatus;
  readonly reasons: readonly string[];
  readonly checkedAt: Date;
  readonly treeSize: number;
  readonly rootHashHex: string;
  readonly keyId: string;
  readonly serial?: string;
}

export function buildStatement(input: StatementInput): StatusStatement {
  return {
    version: 1,
    type: CERTIFICATE_TYPE,
    serial: input.serial ?? randomBytes(16).toString('hex'),
    deviceKey: input.deviceKey,
    identifier: input.identifier,
    status: input.status,
    reasons: [...input.reasons],
    checkedAt: input.checkedAt.toISOString(),
    ledger: { treeSize: input.treeSize, rootHash: input.rootHashHex },
    issuer: { keyId: input.keyId },
  };
}

const canonicalStatement = (statement: StatusStatement): string =>
  canonicalJson(statement as unknown as CanonicalValue);

/** Exactly the bytes the signature covers. */
export function signedBytes(statement: StatusStatement): Buffer {
  return Buffer.from(CERTIFICATE_DOMAIN + canonicalStatement(statement), 'utf8');
}

export function issueCertificate(
  statement: StatusStatement,
  sign: (bytes: Buffer) => Uint8Array,
): StatusCertificate {
  return { statement, signature: Buffer.from(sign(signedBytes(statement))).toString('base64url') };
}

/**
 * The certificate as a file: canonical JSON too, without a final newline, so that every byte of it
 * matters (a reader may re-indent it: white space between tokens is not part of what is signed).
 */
export function certificateJson(certificate: StatusCertificate): string {
  return canonicalJson(certificate as unknown as CanonicalValue);
}

/** The short form for links and QR codes: base64url(canonical statement) "." base64url(signature). */
export function encodeCompact(certificate: StatusCertificate): string {
  const statement = Buffer.from(canonicalStatement(certificate.statement), 'utf8').toString('base64url');
  return `${statement}.${certificate.signature}`;
}

export type Verification =
  | { readonly valid: true; readonly certificate: StatusCertificate }
  | { readonly valid: false; readonly reason: 'malformed'; readonly field: string; readonly detail: string }
  | { readonly valid: false; readonly reason: 'unknown-key'; readonly keyId: string }
  | { readonly valid: false; readonly reason: 'bad-signature'; readonly certificate: StatusCertificate };

type Parsed =
  | { ok: true; certificate: StatusCertificate }
  | { ok: false; reason: 'malformed'; field: string; detail: string };

class Malformed extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const REASON_CODE = /^[a-z][a-z0-9-]{0,63}$/;

function object(value: unknown, field: string, keys: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Malformed(field, 'must be a JSON object');
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!keys.includes(key))
      throw new Malformed(field ? `${field}.${key}` : key, 'is not a certificate field');
  for (const key of keys)
    if (!(key in record)) throw new Malformed(field ? `${field}.${key}` : key, 'is missing');
  return record;
}

function text(value: unknown, field: string, rule: RegExp, description: string): string {
  if (typeof value !== 'string' || !rule.test(value)) throw new Malformed(field, `must be ${description}`);
  return value;
}

/** Base64url without padding, in its one canonical spelling (no ignored characters or spare bits). */
function base64url(value: unknown, field: string, bytes?: number): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value))
    throw new Malformed(field, 'must be base64url without padding');
  const decoded = Buffer.from(value, 'base64url');
  if (decoded.toString('base64url') !== value) throw new Malformed(field, 'is not canonical base64url');
  if (bytes !== undefined && decoded.length !== bytes) throw new Malformed(field, `must hold ${bytes} bytes`);
  return decoded;
}

function statementOf(value: unknown): StatusStatement {
  const s = object(value, 'statement', [
    'version',
    'type',
    'serial',
    'deviceKey',
    'identifier',
    'status',
    'reasons',
    'checkedAt',
    'ledger',
    'issuer',
  ]);
  if (s.version !== 1) throw new Malformed('statement.version', 'must be 1');
  if (s.type !== CERTIFICATE_TYPE) throw new Malformed('statement.type', `must be ${CERTIFICATE_TYPE}`);
  const deviceKey = text(s.deviceKey, 'statement.deviceKey', /^[0-9]{14}$/, '14 digits');
  const identifier = text(s.identifier, 'statement.identifier', /^[0-9]{14,16}$/, '14 to 16 digits');
  if (!identifier.startsWith(deviceKey))
    throw new Malformed('statement.identifier', 'must begin with the device key');
  if (!(CERTIFICATE_STATUSES as readonly unknown[]).includes(s.status))
    throw new Malformed('statement.status', `must be one of ${CERTIFICATE_STATUSES.join(', ')}`);
  if (!Array.isArray(s.reasons)) throw new Malformed('statement.reasons', 'must be a list');
  const reasons = s.reasons.map((r, i) => text(r, `statement.reasons[${i}]`, REASON_CODE, 'a reason code'));
  const checkedAt = text(s.checkedAt, 'statement.checkedAt', /^\d{4}-\d\d-\d\dT/, 'an ISO 8601 time');
  if (Number.isNaN(Date.parse(checkedAt)) || new Date(checkedAt).toISOString() !== checkedAt)
    throw new Malformed('statement.checkedAt', 'must be an ISO 8601 UTC time with milliseconds');
  const ledger = object(s.ledger, 'statement.ledger', ['treeSize', 'rootHash']);
  if (!Number.isSafeInteger(ledger.treeSize) || (ledger.treeSize as number) < 0)
    throw new Malformed('statement.ledger.treeSize', 'must be a whole number ≥ 0');
  const issuer = object(s.issuer, 'statement.issuer', ['keyId']);
  return {
    version: 1,
    type: CERTIFICATE_TYPE,
    serial: text(s.serial, 'statement.serial', HEX32, '32 lower-case hex digits'),
    deviceKey,
    identifier,
    status: s.status as CertificateStatus,
    reasons,
    checkedAt,
    ledger: {
      treeSize: ledger.treeSize as number,
      rootHash: text(ledger.rootHash, 'statement.ledger.rootHash', HEX64, '64 lower-case hex digits'),
    },
    issuer: { keyId: text(issuer.keyId, 'statement.issuer.keyId', HEX64, '64 lower-case hex digits') },
  };
}

function parseJson(json: string, field: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new Malformed(field, 'is not valid JSON');
  }
}

/**
 * Reads a certificate as a person hands it over: the JSON file (any white space), a parsed object,
 * or the compact form of a QR code. Every field is checked; the first wrong one is named.
 */
export function parseCertificate(input: unknown): Parsed {
  try {
    if (typeof input === 'string') {
      const trimmed = input.trim();
      if (trimmed.startsWith('{')) return parseCertificate(parseJson(trimmed, 'certificate'));
      const parts = trimmed.split('.');
      if (parts.length !== 2) throw new Malformed('certificate', 'must be JSON or the compact form');
      const bytes = base64url(parts[0], 'statement');
      const statement = statementOf(parseJson(bytes.toString('utf8'), 'statement'));
      // The compact form carries exactly the canonical bytes: nothing else may decode to them.
      if (canonicalStatement(statement) !== bytes.toString('utf8'))
        throw new Malformed('statement', 'is not in canonical JSON');
      base64url(parts[1], 'signature', 64);
      return { ok: true, certificate: { statement, signature: parts[1]! } };
    }
    const c = object(input, '', ['statement', 'signature']);
    const statement = statementOf(c.statement);
    base64url(c.signature, 'signature', 64);
    return { ok: true, certificate: { statement, signature: c.signature as string } };
  } catch (error) {
    if (error instanceof Malformed)
      return { ok: false, reason: 'malformed', field: error.field || 'certificate', detail: error.detail };
    throw error;
  }
}

/** Valid, or the exact reason it is not: a malformed field, a key we do not know, a bad signature. */
export function verifyCertificate(input: unknown, publicKeyPem: string): Verification {
  const parsed = parseCertificate(input);
  if (!parsed.ok) return { valid: false, reason: 'malformed', field: parsed.field, detail: parsed.detail };
  const { certificate } = parsed;
  const key = createPublicKey(publicKeyPem);
  if (keyIdOf(key) !== certificate.statement.issuer.keyId)
    return { valid: false, reason: 'unknown-key', keyId: certificate.statement.issuer.keyId };
  const signature = Buffer.from(certificate.signature, 'base64url');
  return verify(null, signedBytes(certificate.statement), key, signature)
    ? { valid: true, certificate }
    : { valid: false, reason: 'bad-signature', certificate };
}
