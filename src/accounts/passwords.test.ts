import { describe, expect, it } from 'vitest';
import { AccountError } from './model.ts';
import { checkPasswordQuality, hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('stores scrypt with its parameters and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, so the cost can change later', async () => {
    const stored = await hashPassword('twelve chars!');
    const [, , , , salt, hash] = stored.split('$');
    // The same hash read with other parameters no longer matches: they are really used.
    expect(await verifyPassword('twelve chars!', `scrypt$16384$8$1$${salt}$${hash}`)).toBe(false);
  });

  it('refuses malformed stored hashes without throwing', async () => {
    for (const stored of ['', 'bcrypt$x', 'scrypt$a$8$1$c2FsdA==$aGFzaA==', 'scrypt$32768$8$1$c2FsdA==$'])
      expect(await verifyPassword('whatever password', stored)).toBe(false);
  });

  it('asks for at least 12 characters, counted as characters not bytes', () => {
    expect(() => checkPasswordQuality('short')).toThrow(AccountError);
    expect(() => checkPasswordQuality('short')).toThrow(/at least 12 characters/);
    expect(() => checkPasswordQuality('ééééééééééé')).toThrow(/at least 12/);
    expect(() => checkPasswordQuality('كلمة مرور طويلة')).not.toThrow();
  });
});
