import { describe, expect, it } from 'vitest';
import { Ff1, ImsiSealer } from './subscriber-seal.ts';

const KEY_128 = Buffer.from('2B7E151628AED2A6ABF7158809CF4F3C', 'hex');
const KEY_256 = Buffer.from('2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94', 'hex');
const TWEAK = Buffer.from('39383736353433323130', 'hex');

describe('FF1 (NIST SP 800-38G sample vectors, radix 10)', () => {
  it.each([
    ['sample 1, AES-128, no tweak', KEY_128, Buffer.alloc(0), '2433477484'],
    ['sample 2, AES-128, tweak', KEY_128, TWEAK, '6124200773'],
    ['sample 7, AES-256, no tweak', KEY_256, Buffer.alloc(0), '6657667009'],
    ['sample 8, AES-256, tweak', KEY_256, TWEAK, '1001623463'],
  ])('%s', (_name, key, tweak, expected) => {
    const ff1 = new Ff1(key);
    expect(ff1.encrypt('0123456789', tweak)).toBe(expected);
    expect(ff1.decrypt(expected, tweak)).toBe('0123456789');
  });

  it('refuses what is not 2 to 56 digits', () => {
    const ff1 = new Ff1(KEY_256);
    expect(() => ff1.encrypt('1', Buffer.alloc(0))).toThrow(/2 to 56 decimal digits/);
    expect(() => ff1.encrypt('12a4', Buffer.alloc(0))).toThrow(/2 to 56 decimal digits/);
  });
});

describe('ImsiSealer', () => {
  const sealer = ImsiSealer.fromPrivacyKey(Buffer.alloc(32, 7));

  it('keeps the network prefix and the length, hides the subscriber part, and opens back', () => {
    for (const imsi of ['639020000000001', '63902000000002', '21407123456789', '310150123456789']) {
      const sealed = sealer.seal(imsi);
      expect(sealed).toHaveLength(imsi.length);
      expect(sealed.slice(0, 6)).toBe(imsi.slice(0, 6));
      expect(sealed.slice(6)).not.toBe(imsi.slice(6));
      expect(sealed).toMatch(/^[0-9]+$/);
      expect(sealer.open(sealed)).toBe(imsi);
    }
  });

  it('gives equal values for equal IMSIs and different ones for different IMSIs', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(sealer.seal(`63902${String(i).padStart(10, '0')}`));
    expect(seen.size).toBe(2000);
    expect(sealer.seal('639020000000042')).toBe(sealer.seal('639020000000042'));
    const other = ImsiSealer.fromPrivacyKey(Buffer.alloc(32, 8));
    expect(other.seal('639020000000042')).not.toBe(sealer.seal('639020000000042'));
    expect(other.keyId).not.toBe(sealer.keyId);
  });

  it('leaves null and values too short to encrypt as they are', () => {
    expect(sealer.seal(null)).toBeNull();
    expect(sealer.seal('6390201')).toBe('6390201');
    expect(sealer.open('6390201')).toBe('6390201');
  });
});

describe('ImsiSealer.msisdn', () => {
  const sealer = ImsiSealer.fromPrivacyKey(Buffer.alloc(32, 7));

  it('seals every digit, keeps the length, and opens back', () => {
    for (const msisdn of ['254712345678', '923000000001', '12025550123', '8613800138000', '447911123456']) {
      const sealed = sealer.msisdn.seal(msisdn);
      expect(sealed).toHaveLength(msisdn.length);
      expect(sealed).toMatch(/^[0-9]+$/);
      expect(sealed).not.toBe(msisdn);
      expect(sealer.msisdn.open(sealed)).toBe(msisdn);
    }
  });

  it('is equal for equal MSISDNs and keeps no order nor difference', () => {
    const run = Array.from({ length: 1000 }, (_, i) => `2547${String(i).padStart(8, '0')}`);
    const sealed = run.map((m) => sealer.msisdn.seal(m));
    expect(new Set(sealed).size).toBe(run.length);
    expect(sealer.msisdn.seal(run[5]!)).toBe(sealed[5]);
    // Consecutive numbers do not stay consecutive, nor in order (what transient_imei must open them for).
    const steps = new Set(sealed.slice(1).map((s, i) => BigInt(s) - BigInt(sealed[i]!)));
    expect(steps.size).toBeGreaterThan(900);
    expect([...sealed].sort()).not.toEqual(sealed);
    // No clear prefix: the leading digits change too.
    expect(sealer.msisdn.seal('254712345678').slice(0, 6)).not.toBe('254712');
    expect(sealer.msisdn.seal(null)).toBeNull();
    expect(sealer.msisdn.seal('7')).toBe('7');
  });
});
