import { describe, expect, it } from 'vitest';
import { newApiKey, parseApiKey, secretHash } from './api-keys.ts';

describe('API keys', () => {
  it('are ok_<16 hex>.<43 base64url> and parse back to their id and secret', () => {
    const key = newApiKey();
    expect(key.key).toMatch(/^ok_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key.key)).toEqual({ id: key.id, secret: key.secret });
    expect(newApiKey().key).not.toBe(key.key);
  });

  it('refuse anything else', () => {
    const { key } = newApiKey();
    for (const text of [
      '',
      'ok_',
      key.slice(0, -1),
      key.replace('ok_', 'ko_'),
      `${key}x`,
      key.replace('.', '_'),
    ])
      expect(parseApiKey(text)).toBeNull();
  });

  it('keep only a hash of the secret', () => {
    const { secret } = newApiKey();
    expect(secretHash(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(secretHash(secret)).not.toContain(secret);
  });
});
