/**
 * IMSIs in the analytics stores sealed at rest (docs/security.md, Privacy; docs/analytics.md).
 *
 * The DIRBS dimensions need more of an IMSI than equality: its length (`is_valid_imsi`, 14–15
 * characters) and its network prefix (MCC, MCC+MNC: the roaming dimensions, the home operator of a
 * notification). So an IMSI is sealed with format-preserving encryption, FF1 (NIST SP 800-38G) over
 * decimal digits with AES-256: the first six digits (MCC+MNC, which name a network, not a person) stay
 * in clear and are the tweak, the subscriber part (MSIN) is encrypted to the same number of digits.
 * Equal IMSIs give equal stored values, so grouping, distinct counts and joins (ref_subscribers,
 * ref_pairing) give the same answers, in SQL, on every engine, without opening anything; only the list
 * files sent to operators open them.
 *
 * The key is derived from the privacy key (`privacy.key_file`) by HKDF with its own info string. The
 * stored digits carry no key id: a data directory records which key sealed it (engines/sealing.ts).
 * Values too short to encrypt (fewer than two digits after the prefix, which no IMSI is) stay as they are.
 * MSISDNs are sealed the same way, whole (ImsiSealer.msisdn).
 */
import { type Cipher, createCipheriv, createHash } from 'node:crypto';
import { deriveSubKey } from '../privacy/seal.ts';

const PREFIX = 6;
const ROUNDS = 10;
const DIGITS = /^[0-9]*$/;

/** FF1 over radix 10 (NIST SP 800-38G §6.2), for numeral strings of 2 to 56 digits. */
export class Ff1 {
  private readonly ecb: Cipher;

  constructor(key: Buffer) {
    if (![16, 24, 32].includes(key.length)) throw new RangeError('FF1 key must be 16, 24 or 32 bytes');
    this.ecb = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
    this.ecb.setAutoPadding(false);
  }

  encrypt(digits: string, tweak: Buffer): string {
    return this.run(digits, tweak, true);
  }

  decrypt(digits: string, tweak: Buffer): string {
    return this.run(digits, tweak, false);
  }

  private block(input: Buffer): Buffer {
    return this.ecb.update(input);
  }

  private run(x: string, tweak: Buffer, forward: boolean): string {
    const n = x.length;
    if (n < 2 || n > 56 || !DIGITS.test(x)) throw new RangeError('FF1 input must be 2 to 56 decimal digits');
    const u = Math.floor(n / 2);
    const v = n - u;
    const t = tweak.length;
    const b = Math.ceil(Math.ceil(v * Math.log2(10)) / 8);
    const d = 4 * Math.ceil(b / 4) + 4;
    const p = Buffer.alloc(16);
    p.set([1, 2, 1, 0, 0, 10, 10, u % 256]);
    p.writeUInt32BE(n, 8);
    p.writeUInt32BE(t, 12);
    const head = this.block(p);
    const qLength = t + ((((-t - b - 1) % 16) + 16) % 16) + 1 + b;
    const q = Buffer.alloc(qLength);
    tweak.copy(q, 0);
    let a = x.slice(0, u);
    let bPart = x.slice(u);
    for (let step = 0; step < ROUNDS; step++) {
      const i = forward ? step : ROUNDS - 1 - step;
      const m = i % 2 === 0 ? u : v;
      // Forward the round function reads B; backward, the half that was B is now A.
      const input = forward ? bPart : a;
      q[qLength - b - 1] = i;
      writeNumber(q, qLength - b, b, BigInt(input));
      let r = head;
      for (let offset = 0; offset < qLength; offset += 16) {
        const mixed = Buffer.alloc(16);
        for (let k = 0; k < 16; k++) mixed[k] = r[k]! ^ q[offset + k]!;
        r = this.block(mixed);
      }
      const y = readNumber(r, d);
      const modulus = 10n ** BigInt(m);
      if (forward) {
        const c = (BigInt(a) + y) % modulus;
        a = bPart;
        bPart = c.toString().padStart(m, '0');
      } else {
        const c = (((BigInt(bPart) - y) % modulus) + modulus) % modulus;
        bPart = a;
        a = c.toString().padStart(m, '0');
      }
    }
    return a + bPart;
  }
}

function writeNumber(target: Buffer, offset: number, length: number, value: bigint): void {
  for (let k = length - 1; k >= 0; k--) {
    target[offset + k] = Number(value & 0xffn);
    value >>= 8n;
  }
}

/** The first `length` bytes as a big-endian number; d ≤ 16 for IMSIs (at most 15 digits). */
function readNumber(source: Buffer, length: number): bigint {
  let value = 0n;
  for (let k = 0; k < length; k++) value = (value << 8n) | BigInt(source[k]!);
  return value;
}

/**
 * Seals and opens one kind of digit string: the first `prefix` digits stay in clear and are the tweak,
 * the rest is encrypted with FF1 to the same number of digits. Remembers recent answers (subscribers repeat).
 */
export class DigitSealer {
  private readonly sealed = new Map<string, string>();
  private static readonly CACHE = 200_000;

  constructor(
    private readonly ff1: Ff1,
    private readonly prefix: number,
  ) {}

  seal(value: string): string;
  seal(value: string | null): string | null;
  seal(value: string | null): string | null {
    if (value === null) return null;
    const known = this.sealed.get(value);
    if (known !== undefined) return known;
    const result = this.transform(value, true);
    if (this.sealed.size >= DigitSealer.CACHE) this.sealed.clear();
    this.sealed.set(value, result);
    return result;
  }

  open(stored: string): string;
  open(stored: string | null): string | null;
  open(stored: string | null): string | null {
    return stored === null ? null : this.transform(stored, false);
  }

  private transform(value: string, forward: boolean): string {
    if (value.length < this.prefix + 2 || !DIGITS.test(value)) return value;
    const prefix = value.slice(0, this.prefix);
    const tweak = Buffer.from(prefix, 'ascii');
    const rest = value.slice(this.prefix);
    return prefix + (forward ? this.ff1.encrypt(rest, tweak) : this.ff1.decrypt(rest, tweak));
  }
}

/**
 * Seals and opens the IMSIs (MCC+MNC kept) and, with `msisdn`, the MSISDNs of the analytics stores.
 * MSISDNs are sealed whole, under their own key derived from this one: no rule reads an MSISDN's
 * prefix once stored (the import's out-of-region check reads the file, before sealing), and a fixed
 * clear prefix cannot be the country code, which is one to three digits (E.164 §6.2.1): it would show
 * part of the national number wherever the code is shorter. Lengths (`is_valid_msisdn`) and equality
 * (distinct counts, pairing joins) survive; the arithmetic of `transient_imei` does not, so that
 * dimension opens the MSISDNs in code (dimensions/transient_imei.ts).
 */
export class ImsiSealer {
  /** Names the key in a data directory's record of what sealed it; not the key. */
  readonly keyId: string;
  private readonly imsi: DigitSealer;
  readonly msisdn: DigitSealer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError('the IMSI key must be 32 bytes');
    this.imsi = new DigitSealer(new Ff1(key), PREFIX);
    this.msisdn = new DigitSealer(new Ff1(deriveSubKey(key, 'analytics msisdn ff1')), 0);
    this.keyId = createHash('sha256').update('openceir imsi key id').update(key).digest('hex').slice(0, 8);
  }

  /** From the privacy key (privacy.key_file). */
  static fromPrivacyKey(master: Buffer): ImsiSealer {
    return new ImsiSealer(deriveSubKey(master, 'analytics imsi ff1'));
  }

  seal(imsi: string): string;
  seal(imsi: string | null): string | null;
  seal(imsi: string | null): string | null {
    return this.imsi.seal(imsi);
  }

  open(stored: string): string;
  open(stored: string | null): string | null;
  open(stored: string | null): string | null {
    return this.imsi.open(stored);
  }
}
