import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSealed, loadOrCreatePrivacyKey, SealError, Sealer } from './seal.ts';

const key = Buffer.alloc(32, 7);
const other = Buffer.alloc(32, 9);

describe('Sealer', () => {
  it('seals with a fresh nonce each time and opens only in its own field', () => {
    const sealer = new Sealer(key);
    const a = sealer.seal('reporter_phone', '+35799123456');
    const b = sealer.seal('reporter_phone', '+35799123456');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^s1\.[0-9a-f]{8}\./);
    expect(a).not.toContain('35799123456');
    expect(sealer.open('reporter_phone', a)).toBe('+35799123456');
    expect(() => sealer.open('appellant_phone', a)).toThrow(/does not authenticate/);
    expect(isSealed(a)).toBe(true);
    expect(sealer.seal('reporter_phone', null)).toBeNull();
  });

  it('seals deterministically per field, so equal values stay equal in SQL', () => {
    const sealer = new Sealer(key);
    const imsi = sealer.sealEqual('imsi', '280011234567890');
    expect(sealer.sealEqual('imsi', '280011234567890')).toBe(imsi);
    expect(sealer.sealEqual('imsi', '280011234567891')).not.toBe(imsi);
    expect(sealer.sealEqual('msisdn', '280011234567890')).not.toBe(imsi);
    expect(new Sealer(other).sealEqual('imsi', '280011234567890')).not.toBe(imsi);
    expect(sealer.open('imsi', imsi)).toBe('280011234567890');
  });

  it('refuses a changed byte anywhere in a sealed value', () => {
    const sealer = new Sealer(key);
    const sealed = sealer.seal('reporter_email', 'owner@example.org');
    const body = Buffer.from(sealed.split('.')[2]!, 'base64url');
    for (let i = 0; i < body.length; i++) {
      const changed = Buffer.from(body);
      changed[i]! ^= 0x01;
      const stored = `${sealed.split('.').slice(0, 2).join('.')}.${changed.toString('base64url')}`;
      expect(() => sealer.open('reporter_email', stored), `byte ${i}`).toThrow(SealError);
    }
  });

  it('reads values written before sealing as they are, and opens retired keys after rotation', () => {
    const old = new Sealer(other);
    const sealedOld = old.seal('reporter_name', 'Amina');
    const rotated = new Sealer(key, [other]);
    expect(rotated.open('reporter_name', 'plain text')).toBe('plain text');
    expect(isSealed('plain text')).toBe(false);
    expect(rotated.open('reporter_name', sealedOld)).toBe('Amina');
    expect(rotated.isStale(sealedOld)).toBe(true);
    expect(rotated.isStale(rotated.seal('reporter_name', 'Amina'))).toBe(false);
    expect(() => new Sealer(key).open('reporter_name', sealedOld)).toThrow(/not in the keyring/);
  });

  it('compares and blind-indexes without storing the value', () => {
    const sealer = new Sealer(key);
    const stored = sealer.seal('reporter_phone', '+35799123456');
    expect(sealer.matches('reporter_phone', stored, '+35799123456')).toBe(true);
    expect(sealer.matches('reporter_phone', stored, '+35799123457')).toBe(false);
    expect(sealer.matches('reporter_phone', null, '+35799123456')).toBe(false);
    expect(sealer.blind('phone', '+35799123456')).toBe(sealer.blind('phone', '+35799123456'));
    expect(sealer.blind('phone', '+35799123456')).not.toBe(new Sealer(other).blind('phone', '+35799123456'));
  });

  it('is opened by an independent implementation (Python cryptography: HKDF and AES-GCM)', () => {
    const sealer = new Sealer(key);
    const sealed = sealer.seal('reporter_phone', '+35799123456');
    const equal = sealer.sealEqual('imsi', '280011234567890');
    const script = `
import sys, base64, hashlib, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
master = bytes([7]) * 32
def sub(info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b'openceir ' + info).derive(master)
kid = hashlib.sha256(sub(b'key id')).hexdigest()[:8]
for field, stored in [(b'reporter_phone', sys.argv[1]), (b'imsi', sys.argv[2])]:
    form, sid, body = stored.split('.')
    assert sid == kid, (sid, kid)
    raw = base64.urlsafe_b64decode(body + '=' * (-len(body) % 4))
    plain = AESGCM(sub(b'seal')).decrypt(raw[:12], raw[12:], field)
    if form == 'd1':
        assert raw[:12] == hmac.new(sub(b'nonce'), field + b'\\0' + plain, 'sha256').digest()[:12]
    print(plain.decode())
`;
    const out = execFileSync('python3', ['-c', script, sealed, equal], { encoding: 'utf8' });
    expect(out.trim().split('\n')).toEqual(['+35799123456', '280011234567890']);
  });
});

describe('loadOrCreatePrivacyKey', () => {
  it('creates a 0600 key file once and reads it back; refuses a malformed one naming the setting', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-seal-'));
    const file = path.join(dir, 'sub', 'privacy-key');
    const first = loadOrCreatePrivacyKey(file);
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreatePrivacyKey(file)).toEqual(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
    expect(() => loadOrCreatePrivacyKey(path.join(dir, 'missing'), false)).toThrow(
      /privacy.key_file: .* does not exist/,
    );
    writeFileSync(path.join(dir, 'short'), 'AAAA\n');
    expect(() => loadOrCreatePrivacyKey(path.join(dir, 'short'))).toThrow(/exactly 32 bytes/);
  });
});
