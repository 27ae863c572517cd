import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeadSigner } from '../ledger/signing.ts';
import {
  buildStatement,
  CERTIFICATE_DOMAIN,
  certificateJson,
  encodeCompact,
  issueCertificate,
  parseCertificate,
  signedBytes,
  verifyCertificate,
} from './certificate.ts';

const signer = new HeadSigner(generateKeyPairSync('ed25519').privateKey);
const other = new HeadSigner(generateKeyPairSync('ed25519').privateKey);

function certificate(overrides: Partial<Parameters<typeof buildStatement>[0]> = {}) {
  const statement = buildStatement({
    deviceKey: '35209900176148',
    identifier: '352099001761481',
    status: 'blocked',
    reasons: ['stolen'],
    checkedAt: new Date('2026-03-01T10:20:30.456Z'),
    treeSize: 42,
    rootHashHex: 'ab'.repeat(32),
    keyId: signer.keyId,
    ...overrides,
  });
  return issueCertificate(statement, (bytes) => signer.signStatement(bytes));
}

describe('status certificates', () => {
  it('signs the domain string and the canonical statement, and verifies', () => {
    const cert = certificate();
    const bytes = signedBytes(cert.statement).toString('utf8');
    expect(bytes.startsWith(CERTIFICATE_DOMAIN)).toBe(true);
    expect(bytes.slice(CERTIFICATE_DOMAIN.length)).toBe(
      `{"checkedAt":"2026-03-01T10:20:30.456Z","deviceKey":"35209900176148","identifier":"352099001761481",` +
        `"issuer":{"keyId":"${signer.keyId}"},"ledger":{"rootHash":"${'ab'.repeat(32)}","treeSize":42},` +
        `"reasons":["stolen"],"serial":"${cert.statement.serial}","status":"blocked",` +
        `"type":"openceir-status-certificate","version":1}`,
    );
    expect(cert.statement.serial).toMatch(/^[0-9a-f]{32}$/);
    expect(verifyCertificate(cert, signer.publicKeyPem)).toEqual({ valid: true, certificate: cert });
    expect(verifyCertificate(certificateJson(cert), signer.publicKeyPem).valid).toBe(true);
    expect(verifyCertificate(JSON.stringify(cert, null, 2), signer.publicKeyPem).valid).toBe(true);
    expect(verifyCertificate(encodeCompact(cert), signer.publicKeyPem)).toEqual({
      valid: true,
      certificate: cert,
    });
  });

  it('gives every certificate its own serial', () => {
    expect(certificate().statement.serial).not.toBe(certificate().statement.serial);
  });

  it('fails when any single byte of the file or the compact form is altered', () => {
    const cert = certificate({ reasons: ['stolen', 'duplicate'] });
    for (const form of [certificateJson(cert), encodeCompact(cert)]) {
      const original = Buffer.from(form, 'utf8');
      for (let i = 0; i < original.length; i++) {
        for (const flip of [0x01, 0x20]) {
          const altered = Buffer.from(original);
          altered[i] = altered[i]! ^ flip;
          const result = verifyCertificate(altered.toString('latin1'), signer.publicKeyPem);
          expect(result.valid, `byte ${i} ^ ${flip} of ${form.slice(0, 20)}…`).toBe(false);
        }
      }
    }
  });

  it('names the reason: bad signature, unknown key, malformed field', () => {
    const cert = certificate();
    const changed = { ...cert, statement: { ...cert.statement, status: 'allowed' } };
    expect(verifyCertificate(changed, signer.publicKeyPem)).toMatchObject({
      valid: false,
      reason: 'bad-signature',
    });
    expect(verifyCertificate(cert, other.publicKeyPem)).toEqual({
      valid: false,
      reason: 'unknown-key',
      keyId: signer.keyId,
    });
    const cases: [unknown, string][] = [
      [{ ...cert, statement: { ...cert.statement, deviceKey: '3520990017614' } }, 'statement.deviceKey'],
      [{ ...cert, statement: { ...cert.statement, identifier: '490154203237518' } }, 'statement.identifier'],
      [{ ...cert, statement: { ...cert.statement, status: 'stolen' } }, 'statement.status'],
      [{ ...cert, statement: { ...cert.statement, checkedAt: '2026-03-01' } }, 'statement.checkedAt'],
      [{ ...cert, statement: { ...cert.statement, owner: 'x' } }, 'statement.owner'],
      [{ ...cert, signature: `${cert.signature}A` }, 'signature'],
      [{ statement: cert.statement }, 'signature'],
      ['{not json', 'certificate'],
      ['abc', 'certificate'],
    ];
    for (const [input, field] of cases)
      expect(parseCertificate(input), field).toMatchObject({ ok: false, reason: 'malformed', field });
  });

  it('is verified by OpenSSL from the documented bytes alone', () => {
    const cert = certificate();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-certificate-'));
    try {
      writeFileSync(path.join(dir, 'key.pem'), signer.publicKeyPem);
      writeFileSync(path.join(dir, 'signed.bin'), signedBytes(cert.statement));
      writeFileSync(path.join(dir, 'signature.bin'), Buffer.from(cert.signature, 'base64url'));
      const out = execFileSync(
        'openssl',
        [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          'key.pem',
          '-rawin',
          '-in',
          'signed.bin',
          '-sigfile',
          'signature.bin',
        ],
        { cwd: dir, encoding: 'utf8' },
      );
      expect(out).toContain('Signature Verified Successfully');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
