/**
 * Signed tree heads. The registry signs, with Ed25519, the RFC 6962 §3.5 TreeHeadSignature structure:
 *
 *   byte 0      version       0 (v1)
 *   byte 1      signature type 1 (tree_hash)
 *   bytes 2–9   timestamp     milliseconds since the Unix epoch, unsigned big-endian
 *   bytes 10–17 tree size     unsigned big-endian
 *   bytes 18–49 root hash     SHA-256 Merkle tree hash
 *
 * 50 bytes, signed as they are (pure Ed25519, no pre-hash), so that plain OpenSSL verifies a head:
 *   openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in head.bin -sigfile head.sig
 * The key id is the SHA-256 of the public key's DER SubjectPublicKeyInfo, in hex.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TreeHead {
  readonly size: number;
  readonly rootHash: Buffer;
  readonly timestampMs: number;
  readonly keyId: string;
  readonly signature: Buffer;
}

export function treeHeadSigningInput(size: number, timestampMs: number, rootHash: Uint8Array): Buffer {
  if (rootHash.length !== 32) throw new RangeError('a root hash has 32 bytes');
  const bytes = Buffer.alloc(50);
  bytes.writeUInt8(0, 0);
  bytes.writeUInt8(1, 1);
  bytes.writeBigUInt64BE(BigInt(timestampMs), 2);
  bytes.writeBigUInt64BE(BigInt(size), 10);
  Buffer.from(rootHash).copy(bytes, 18);
  return bytes;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export class HeadSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly publicKeyPem: string;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519')
      throw new Error('the ledger signing key must be an Ed25519 key');
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(size: number, rootHash: Buffer, timestampMs: number): TreeHead {
    const signature = sign(null, treeHeadSigningInput(size, timestampMs, rootHash), this.privateKey);
    return { size, rootHash, timestampMs, keyId: this.keyId, signature };
  }

  /**
   * Signs other statements of the registry (status certificates) with the same key. The caller's
   * bytes must begin with their own domain-separation string, so that no statement can be taken for
   * a tree head (whose 50 bytes begin with 0x00 0x01) or for another kind of statement.
   */
  signStatement(bytes: Uint8Array): Buffer {
    if (bytes[0] === 0) throw new Error('a statement begins with its domain-separation string');
    return sign(null, bytes, this.privateKey);
  }
}

export function verifyHead(head: TreeHead, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (keyIdOf(key) !== head.keyId) return false;
    return verify(
      null,
      treeHeadSigningInput(head.size, head.timestampMs, head.rootHash),
      key,
      head.signature,
    );
  } catch {
    return false;
  }
}

/**
 * The registry's signing key: read from `file` (PKCS#8 PEM), or created there on first start with
 * mode 0600. Several registry processes sharing one database must share this file.
 */
export function loadOrCreateSigningKey(file: string): KeyObject {
  if (existsSync(file)) return createPrivateKey(readFileSync(file));
  mkdirSync(path.dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  return privateKey;
}

/** A head as the ledger API writes it: numbers as numbers, hashes and signature in base64 and hex. */
export interface TreeHeadJson {
  readonly treeSize: number;
  readonly timestamp: number;
  readonly rootHash: string;
  readonly rootHashHex: string;
  readonly keyId: string;
  readonly signature: string;
  readonly signedBytes: string;
}

export function headToJson(head: TreeHead): TreeHeadJson {
  return {
    treeSize: head.size,
    timestamp: head.timestampMs,
    rootHash: head.rootHash.toString('base64'),
    rootHashHex: head.rootHash.toString('hex'),
    keyId: head.keyId,
    signature: head.signature.toString('base64'),
    signedBytes: treeHeadSigningInput(head.size, head.timestampMs, head.rootHash).toString('base64'),
  };
}

export function headFromJson(json: TreeHeadJson): TreeHead {
  return {
    size: json.treeSize,
    timestampMs: json.timestamp,
    rootHash: Buffer.from(json.rootHash, 'base64'),
    keyId: json.keyId,
    signature: Buffer.from(json.signature, 'base64'),
  };
}
