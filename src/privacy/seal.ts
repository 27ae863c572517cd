/**
 * Encryption at rest of personal data kept outside the ledger (docs/security.md, Privacy): owners' and
 * appellants' contacts, and the IMSI and MSISDN of sightings and alerts.
 *
 * One 32-byte key, in a key file (`privacy.key_file`, created on first start like the ledger signing
 * key), gives three sub-keys by HKDF-SHA-256 (RFC 5869): one to encrypt, one to derive deterministic
 * nonces, one for blind indexes. A stored value reads `<form>1.<key id>.<base64url>`:
 *
 * - `s1` (sealed): AES-256-GCM with a fresh random 96-bit nonce; the field's name is the associated data,
 *   so a value moved to another column does not open. For contacts, read only to be shown or sent to.
 * - `d1` (deterministic): AES-256-GCM with the nonce HMAC-SHA-256(nonce key, field ‖ 0x00 ‖ value)
 *   truncated to 96 bits, the synthetic-IV construction (RFC 5297 §2.1 in spirit): equal values give
 *   equal ciphertexts, so the database can still group, count distinct and join on them (an IMSI in
 *   sightings and alerts), at the cost of showing which rows hold the same value. Distinct values never
 *   share a nonce unless HMAC collides in 96 bits.
 * - {@link Sealer.blind}: HMAC-SHA-256 under the index key, hex, for looking a value up without storing it.
 *
 * The key id (8 hex digits of a hash of the key) lets a keyring hold retired keys for opening while new
 * values are sealed under the current one. A value without a known prefix is read as written before
 * sealing was turned on, and returned as it is; {@link isSealed} tells the two apart for re-sealing.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PREFIX = /^([sd])1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)$/;
const NONCE = 12;
const TAG = 16;

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

interface KeyMaterial {
  readonly id: string;
  readonly encrypt: Buffer;
  readonly nonce: Buffer;
  readonly index: Buffer;
}

function derive(master: Buffer): KeyMaterial {
  if (master.length !== 32) throw new SealError(`privacy key must be 32 bytes; got ${master.length}`);
  const sub = (info: string) =>
    Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `openceir ${info}`, 32));
  return {
    id: createHash('sha256').update(sub('key id')).digest('hex').slice(0, 8),
    encrypt: sub('seal'),
    nonce: sub('nonce'),
    index: sub('blind index'),
  };
}

/** True for a value written by {@link Sealer.seal} or {@link Sealer.sealEqual}. */
export function isSealed(stored: string | null | undefined): boolean {
  return typeof stored === 'string' && PREFIX.test(stored);
}

export class Sealer {
  private readonly current: KeyMaterial;
  private readonly byId: Map<string, KeyMaterial>;

  /** @param key the current key; @param retired keys still accepted for opening (rotation). */
  constructor(key: Buffer, retired: readonly Buffer[] = []) {
    this.current = derive(key);
    this.byId = new Map([this.current, ...retired.map(derive)].map((k) => [k.id, k]));
  }

  /** The current key's id, as written in every value it seals. */
  get keyId(): string {
    return this.current.id;
  }

  /** Randomised sealing: the same value sealed twice gives two different strings. */
  seal(field: string, value: string): string;
  seal(field: string, value: string | null | undefined): string | null;
  seal(field: string, value: string | null | undefined): string | null {
    if (value == null) return null;
    return this.write('s', field, value, randomBytes(NONCE));
  }

  /** Deterministic sealing: the same value in the same field always gives the same string. */
  sealEqual(field: string, value: string): string;
  sealEqual(field: string, value: string | null | undefined): string | null;
  sealEqual(field: string, value: string | null | undefined): string | null {
    if (value == null) return null;
    const nonce = createHmac('sha256', this.current.nonce)
      .update(field)
      .update('\0')
      .update(value)
      .digest()
      .subarray(0, NONCE);
    return this.write('d', field, value, nonce);
  }

  /** The value a stored string holds: opened if sealed, as it is if written before sealing. */
  open(field: string, stored: string): string;
  open(field: string, stored: string | null | undefined): string | null;
  open(field: string, stored: string | null | undefined): string | null {
    if (stored == null) return null;
    const match = PREFIX.exec(stored);
    if (!match) return stored;
    const key = this.byId.get(match[2]!);
    if (!key) throw new SealError(`${field}: sealed under key ${match[2]}, which is not in the keyring`);
    const raw = Buffer.from(match[3]!, 'base64url');
    if (raw.length < NONCE + TAG) throw new SealError(`${field}: sealed value too short`);
    const decipher = createDecipheriv('aes-256-gcm', key.encrypt, raw.subarray(0, NONCE));
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(raw.subarray(raw.length - TAG));
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(NONCE, raw.length - TAG)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SealError(`${field}: sealed value does not authenticate (altered, or another field's)`);
    }
  }

  /** A keyed hash of a value for lookups (hex); equal values give equal indexes, under the current key. */
  blind(field: string, value: string): string {
    return createHmac('sha256', this.current.index).update(field).update('\0').update(value).digest('hex');
  }

  /** True if a stored string is sealed under a key other than the current one (to re-seal on rotation). */
  isStale(stored: string | null | undefined): boolean {
    const match = typeof stored === 'string' ? PREFIX.exec(stored) : null;
    return match !== null && match[2] !== this.current.id;
  }

  /** Compares a stored value with a plain one without revealing where they differ. */
  matches(field: string, stored: string | null | undefined, value: string): boolean {
    const opened = this.open(field, stored);
    if (opened === null) return false;
    const a = Buffer.from(opened);
    const b = Buffer.from(value);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private write(form: 's' | 'd', field: string, value: string, nonce: Buffer): string {
    const cipher = createCipheriv('aes-256-gcm', this.current.encrypt, nonce);
    cipher.setAAD(Buffer.from(field));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${form}1.${this.current.id}.${Buffer.concat([nonce, body]).toString('base64url')}`;
  }
}

/**
 * Reads a key file (base64 of 32 bytes, one line), creating it with a fresh random key (mode 0600) when
 * it does not exist and `create` is true.
 */
export function loadOrCreatePrivacyKey(file: string, create = true, setting = 'privacy.key_file'): Buffer {
  if (!existsSync(file)) {
    if (!create) throw new SealError(`${setting}: ${file} does not exist`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  const text = readFileSync(file, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || key.toString('base64') !== text)
    throw new SealError(`${setting}: ${file} must hold the base64 of exactly 32 bytes on one line`);
  return key;
}

/**
 * A 32-byte key for another use of the privacy key (HKDF-SHA-256, RFC 5869, info `openceir <info>`),
 * independent of the sealing sub-keys above: e.g. the analytics stores' IMSI key (analytics/subscriber-seal.ts).
 */
export function deriveSubKey(master: Buffer, info: string): Buffer {
  if (master.length !== 32) throw new SealError(`privacy key must be 32 bytes; got ${master.length}`);
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `openceir ${info}`, 32));
}
