import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, newTotpSecret, otpauthUri, totp, verifyTotp } from './totp.ts';

// RFC 6238 Appendix B: the SHA1 seed is the ASCII string "12345678901234567890", 8 digits.
const SEED = Buffer.from('12345678901234567890');
const VECTORS: readonly [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('Appendix B, SHA1, T=%i → %s', (seconds, code) => {
    expect(totp(SEED, seconds * 1000, 8, 'sha1')).toBe(code);
  });

  it('matches RFC 4226 Appendix D HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583'];
    expect(expected.map((_, counter) => hotp(SEED, counter))).toEqual(expected);
  });

  it('accepts the current step and one on each side, nothing further', () => {
    const secret = base32Encode(SEED);
    const at = 1111111111_000;
    const code = totp(SEED, at);
    expect(verifyTotp(secret, code, at)).toBe(true);
    expect(verifyTotp(secret, code, at + 30_000)).toBe(true);
    expect(verifyTotp(secret, code, at - 30_000)).toBe(true);
    expect(verifyTotp(secret, code, at + 61_000)).toBe(false);
    expect(
      verifyTotp(
        secret,
        code.replace(/^./, (d) => String((Number(d) + 1) % 10)),
        at,
      ),
    ).toBe(false);
    expect(verifyTotp(secret, 'abcdef', at)).toBe(false);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, at)).toBe(true);
  });
});

describe('base32 (RFC 4648 §10 test vectors)', () => {
  const cases: readonly [string, string][] = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  it.each(cases)('"%s" ⇄ %s', (text, encoded) => {
    expect(base32Encode(Buffer.from(text))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(text);
  });

  it('reads padding, lower case and spaces, and refuses other characters', () => {
    expect(base32Decode('mzxw 6ytb oi======').toString()).toBe('foobar');
    expect(() => base32Decode('MZ1W')).toThrow(/not base32/);
  });

  it('makes 160-bit secrets and an otpauth URI authenticator apps read', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    const uri = new URL(otpauthUri(secret, 'police.capital'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/OpenCEIR:police.capital');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret,
      issuer: 'OpenCEIR',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
