/**
 * The manifest of a list-file directory (`manifest.json`): what the files are (operator, full or
 * delta, ledger positions), the registry's signed tree head of the target position, and each file's
 * rows, bytes and SHA-256. It is signed, as its exact bytes, with the registry's Ed25519 key
 * (`manifest.json.sig`, 64 raw bytes), so plain OpenSSL checks it:
 *
 *   openssl pkeyutl -verify -pubin -inkey registry-public-key.pem -rawin -in manifest.json -sigfile manifest.json.sig
 *
 * The bytes begin with `{"format":"openceir-list-files/1"`, the domain-separation string that keeps
 * a manifest from being taken for a tree head or another statement signed with the same key.
 * The manifest has no time of writing in it: the directory of one position is the same bytes each time.
 */
import { createHash } from 'node:crypto';
import type { TreeHeadJson } from '../../ledger/signing.ts';
import type { ExceptionsScope, ListName } from './lists.ts';

export const MANIFEST_FORMAT = 'openceir-list-files/1';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.json.sig';
export const PUBLIC_KEY_FILE = 'registry-public-key.pem';
export const SUMS_FILE = 'SHA256SUMS';

export interface ManifestFile {
  readonly name: string;
  readonly list: ListName;
  /** Data rows (lines after the header). */
  readonly rows: number;
  readonly bytes: number;
  /** Lower-case hex. */
  readonly sha256: string;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly registry: {
    /** SHA-256 of the registry key's DER SubjectPublicKeyInfo, hex (the ledger's key id). */
    readonly keyId: string;
    /** The installation id of the registry database. */
    readonly installationId: string | null;
  };
  readonly operator: string;
  readonly kind: 'full' | 'delta';
  /** Delta: the position the changes start from; full: null. */
  readonly fromPosition: number | null;
  readonly toPosition: number;
  /** The time the lists are evaluated at (expiry): the timestamp of the target position's head. */
  readonly asOf: string;
  readonly exceptions:
    | { readonly by: 'mcc-mnc'; readonly prefixes: readonly string[] }
    | { readonly by: 'source'; readonly source: string };
  readonly csv: {
    readonly encoding: 'UTF-8';
    readonly lineEnd: 'LF';
    readonly header: true;
    readonly sortedBy: 'key';
  };
  /** The registry's signed head of `toPosition` (RFC 6962 §3.5 TreeHeadSignature, Ed25519). */
  readonly treeHead: TreeHeadJson & {
    readonly signatureAlgorithm: 'Ed25519';
    readonly signedStructure: 'RFC 6962 §3.5 TreeHeadSignature: version 0, type 1, timestamp ms u64, size u64, root 32 bytes';
  };
  readonly files: readonly ManifestFile[];
}

export function scopeInManifest(scope: ExceptionsScope): Manifest['exceptions'] {
  return scope.by === 'mcc-mnc'
    ? { by: 'mcc-mnc', prefixes: [...scope.prefixes] }
    : { by: 'source', source: scope.source };
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The manifest's exact bytes: two-space JSON in the key order above, LF line ends, one final LF. */
export function manifestBytes(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** `sha256sum -c` input: `<hex>  <name>` per line (two spaces: text mode), LF, in manifest order. */
export function sumsText(files: readonly { name: string; sha256: string }[]): string {
  return files.map((f) => `${f.sha256}  ${f.name}\n`).join('');
}
