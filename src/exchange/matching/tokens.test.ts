/** Keyed device tokens and the reveal rule; the token vector comes from `openssl dgst -sha256 -mac HMAC`. */
import { describe, expect, it } from 'vitest';
import { answerFor, MAX_TOKENS, MatchInputError, matchToken, parseSecret, parseTokens } from './tokens.ts';

const SECRET = parseSecret('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

describe('match tokens', () => {
  it('are HMAC-SHA256(secret, device key) truncated to 16 bytes, as openssl computes it', () => {
    // printf 35209900176148 | openssl dgst -sha256 -mac HMAC -macopt hexkey:0001…1f  → first 32 hex digits
    expect(matchToken(SECRET, '35209900176148')).toBe('56664c2226ae2dab271e96e14b7cb968');
    expect(matchToken(Buffer.alloc(32), '35209900176148')).not.toBe('56664c2226ae2dab271e96e14b7cb968');
  });

  it('refuse bad secrets, keys and token lists, naming the field and the rule', () => {
    expect(() => parseSecret('abc')).toThrow('secret: must be 32 bytes as 64 hex digits');
    expect(() => matchToken(SECRET, '3520990017614')).toThrow('deviceKey: must be 14 digits');
    expect(() => parseTokens('x')).toThrow('tokens: must be a list of tokens');
    expect(() => parseTokens(['56664C2226AE2DAB271E96E14B7CB968'])).toThrow(
      'tokens[0]: must be 32 lower-case hex digits',
    );
    const tooMany = Array.from({ length: MAX_TOKENS + 1 }, () => '56664c2226ae2dab271e96e14b7cb968');
    try {
      parseTokens(tooMany);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MatchInputError);
      expect((error as MatchInputError).status).toBe(413);
    }
    expect(
      parseTokens(['56664c2226ae2dab271e96e14b7cb968', '56664c2226ae2dab271e96e14b7cb968']),
    ).toHaveLength(1);
  });

  it('reveal only the reasons the policy allows, and the IMEI only when one is allowed', () => {
    const reasons = [
      { status: 'blocked' as const, reason: 'counterfeit' },
      { status: 'tracked' as const, reason: 'stolen' },
    ];
    expect(answerFor('t', '35209900176148', reasons, new Set(['lost']))).toEqual({
      token: 't',
      matched: true,
    });
    expect(answerFor('t', '35209900176148', reasons, new Set(['stolen']))).toEqual({
      token: 't',
      matched: true,
      imei: '35209900176148',
      status: 'tracked',
      reasons: ['stolen'],
    });
  });
});
