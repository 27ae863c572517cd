/**
 * `openceir exchange verify`: checks a list-file directory as its receiver would, and names the
 * file and the check that failed. In order: the manifest's Ed25519 signature (with a pinned key,
 * or, saying that it proves nothing by itself, the key shipped in the directory), the manifest's
 * fields, the signed tree head inside it, every file's bytes, SHA-256, header and row count, and
 * SHA256SUMS. Optionally a registry confirms the head (a server by a consistency proof from the
 * head to its current head, or the registry database by its own signed heads).
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { keyIdOf, type TreeHeadJson, treeHeadSigningInput } from '../../ledger/signing.ts';
import { CsvFormatError, parseListCsv } from './csv.ts';
import { LIST_NAMES, type ListName } from './lists.ts';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  type Manifest,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  SUMS_FILE,
  sha256Hex,
  sumsText,
} from './manifest.ts';

export interface Check {
  /** The file the check is about. */
  readonly file: string;
  readonly check: string;
  readonly ok: boolean;
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Whether the key was given by the verifier; false: the directory's own key was used. */
  readonly pinnedKey: boolean;
  readonly keyId: string | null;
  readonly manifest: Manifest | null;
  readonly checks: readonly Check[];
  readonly warnings: readonly string[];
}

/** Confirms the head with the registry: null when it does, else the reason. */
export type HeadConfirmer = (head: TreeHeadJson, key: KeyObject) => Promise<string | null>;

export interface VerifyOptions {
  /** The registry's public key (SPKI PEM) the verifier trusts. */
  readonly publicKeyPem?: string;
  readonly confirm?: { readonly by: string; readonly confirmer: HeadConfirmer };
}

const FIXED_FILES = new Set([MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE, SUMS_FILE]);

function expectedNames(kind: string): string[] {
  return LIST_NAMES.map((list) => (kind === 'delta' ? `${list}-delta.csv` : `${list}.csv`));
}

class Checker {
  readonly checks: Check[] = [];
  readonly warnings: string[] = [];
  pass(file: string, check: string, message: string): void {
    this.checks.push({ file, check, ok: true, message });
  }
  fail(file: string, check: string, message: string): void {
    this.checks.push({ file, check, ok: false, message });
  }
  get ok(): boolean {
    return this.checks.length > 0 && this.checks.every((c) => c.ok);
  }
}

function readKey(
  c: Checker,
  dir: string,
  pem: string | undefined,
): { key: KeyObject | null; pinned: boolean } {
  const pinned = pem !== undefined;
  const where = pinned ? '--public-key' : PUBLIC_KEY_FILE;
  let text = pem;
  if (!pinned) {
    c.warnings.push(
      `no key pinned: the signature is checked with ${PUBLIC_KEY_FILE} from the directory itself, which proves nothing on its own; pass --public-key with the registry key you obtained out of band`,
    );
    const file = path.join(dir, PUBLIC_KEY_FILE);
    if (!existsSync(file)) {
      c.fail(PUBLIC_KEY_FILE, 'public key', 'missing, and no --public-key given');
      return { key: null, pinned };
    }
    text = readFileSync(file, 'utf8');
  }
  try {
    const key = createPublicKey(text!);
    if (key.asymmetricKeyType !== 'ed25519') {
      c.fail(where, 'public key', `an Ed25519 key is needed, this is ${key.asymmetricKeyType}`);
      return { key: null, pinned };
    }
    return { key, pinned };
  } catch (error) {
    c.fail(where, 'public key', `not a PEM public key (${(error as Error).message})`);
    return { key: null, pinned };
  }
}

const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;

/** What makes the parsed manifest unusable (a field of the wrong type), or null: checked before any use. */
function shapeProblem(m: unknown): string | null {
  const manifest = m as Partial<Manifest> | null;
  if (typeof manifest !== 'object' || manifest === null) return 'the manifest must be a JSON object';
  if (manifest.format !== MANIFEST_FORMAT) return `format must be ${MANIFEST_FORMAT}`;
  if (manifest.kind !== 'full' && manifest.kind !== 'delta') return 'kind must be full or delta';
  if (!isCount(manifest.toPosition)) return 'toPosition must be a whole number ≥ 0';
  const head = manifest.treeHead as Record<string, unknown> | undefined;
  if (typeof head !== 'object' || head === null) return 'treeHead must be an object';
  for (const field of ['treeSize', 'timestamp'])
    if (!isCount(head[field])) return `treeHead.${field} must be a whole number ≥ 0`;
  for (const field of ['rootHash', 'rootHashHex', 'keyId', 'signature', 'signedBytes'])
    if (typeof head[field] !== 'string') return `treeHead.${field} must be a string`;
  if (!Array.isArray(manifest.files)) return 'files must be a list';
  for (const [i, f] of manifest.files.entries()) {
    if (typeof f !== 'object' || f === null) return `files[${i}] must be an object`;
    if (typeof f.name !== 'string' || typeof f.sha256 !== 'string')
      return `files[${i}].name and .sha256 must be strings`;
    if (!isCount(f.rows) || !isCount(f.bytes)) return `files[${i}].rows and .bytes must be whole numbers ≥ 0`;
  }
  return null;
}

/** What is wrong with the manifest's signed tree head, or null. */
function headProblem(manifest: Manifest, key: KeyObject): string | null {
  const head = manifest.treeHead;
  try {
    const root = Buffer.from(head.rootHash, 'base64');
    const signed = treeHeadSigningInput(head.treeSize, head.timestamp, root);
    if (head.treeSize !== manifest.toPosition)
      return `treeHead.treeSize ${head.treeSize} is not toPosition ${manifest.toPosition}`;
    if (root.toString('hex') !== head.rootHashHex) return 'treeHead.rootHash and treeHead.rootHashHex differ';
    if (signed.toString('base64') !== head.signedBytes)
      return 'treeHead.signedBytes is not the TreeHeadSignature of its size, timestamp and root';
    if (head.keyId !== keyIdOf(key))
      return `treeHead.keyId ${head.keyId} is not the key's id ${keyIdOf(key)}`;
    if (!verify(null, signed, key, Buffer.from(head.signature, 'base64')))
      return 'treeHead.signature does not verify with the key';
    return null;
  } catch (error) {
    return `treeHead is malformed (${(error as Error).message})`;
  }
}

function checkFiles(c: Checker, dir: string, manifest: Manifest): Map<string, string> {
  const actual = new Map<string, string>();
  const names = manifest.files.map((f) => f.name);
  const expected = expectedNames(manifest.kind);
  if (names.join(',') !== expected.join(','))
    c.fail(
      MANIFEST_FILE,
      'files',
      `a ${manifest.kind} manifest lists ${expected.join(', ')}, this one ${names.join(', ')}`,
    );
  for (const entry of manifest.files) {
    if (!expected.includes(entry.name)) continue;
    const file = path.join(dir, entry.name);
    if (!existsSync(file)) {
      c.fail(entry.name, 'present', 'missing');
      continue;
    }
    const bytes = readFileSync(file);
    actual.set(entry.name, sha256Hex(bytes));
    if (bytes.length !== entry.bytes)
      c.fail(entry.name, 'size', `${bytes.length} bytes, the manifest says ${entry.bytes}`);
    if (sha256Hex(bytes) !== entry.sha256) {
      c.fail(entry.name, 'sha256', `SHA-256 ${sha256Hex(bytes)}, the manifest says ${entry.sha256}`);
      continue;
    }
    const list = entry.name.replace(/(-delta)?\.csv$/, '') as ListName;
    try {
      const { rows } = parseListCsv(list, manifest.kind === 'delta', bytes.toString('utf8'));
      if (rows.length !== entry.rows) {
        c.fail(entry.name, 'rows', `${rows.length} rows, the manifest says ${entry.rows}`);
        continue;
      }
      for (let i = 1; i < rows.length; i++) {
        if (!(rows[i - 1]!.key < rows[i]!.key)) {
          c.fail(entry.name, 'order', `line ${i + 2}: keys must be unique and sorted`);
          break;
        }
      }
      c.pass(entry.name, 'sha256 and rows', `${entry.rows} rows, ${entry.bytes} bytes`);
    } catch (error) {
      c.fail(entry.name, 'format', error instanceof CsvFormatError ? error.message : String(error));
    }
  }
  return actual;
}

/**
 * What is wrong with SHA256SUMS, or null. It must be exactly what export writes for these hashes
 * (text mode, manifest order), so that no byte of it can change unnoticed although it is not signed.
 */
function sumsProblem(dir: string, hashes: Map<string, string>): string | null {
  const file = path.join(dir, SUMS_FILE);
  if (!existsSync(file)) return 'missing';
  const expected = sumsText([...hashes].map(([name, sha256]) => ({ name, sha256 }))).split('\n');
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < Math.max(expected.length, lines.length); i++) {
    if (lines[i] !== expected[i])
      return `line ${i + 1} must read "${expected[i] ?? '(end of file)'}" for the files as they are`;
  }
  return null;
}

/** The directory's key file must be the exact SPKI PEM of the key used (the pinned one, if any). */
function keyFileProblem(dir: string, key: KeyObject, pinned: boolean): string | null {
  const file = path.join(dir, PUBLIC_KEY_FILE);
  if (!existsSync(file)) return 'missing';
  const canonical = key.export({ type: 'spki', format: 'pem' }).toString();
  if (readFileSync(file, 'utf8') === canonical) return null;
  return pinned ? 'is not the pinned key' : 'is not an SPKI PEM as export writes it';
}

export async function verifyDirectory(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const c = new Checker();
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const done = (manifest: Manifest | null, key: KeyObject | null, pinned: boolean): VerifyReport => ({
    ok: c.ok,
    pinnedKey: pinned,
    keyId: key ? keyIdOf(key) : null,
    manifest,
    checks: c.checks,
    warnings: c.warnings,
  });
  if (!existsSync(dir)) {
    c.fail(dir, 'directory', 'does not exist');
    return done(null, null, options.publicKeyPem !== undefined);
  }
  const { key, pinned } = readKey(c, dir, options.publicKeyPem);
  if (!existsSync(manifestFile)) {
    c.fail(MANIFEST_FILE, 'present', 'missing');
    return done(null, key, pinned);
  }
  if (key) {
    const problem = keyFileProblem(dir, key, pinned);
    if (problem !== null) c.fail(PUBLIC_KEY_FILE, 'public key', problem);
  }
  const bytes = readFileSync(manifestFile);
  const sigFile = path.join(dir, SIGNATURE_FILE);
  if (!existsSync(sigFile)) c.fail(SIGNATURE_FILE, 'present', 'missing');
  else if (key) {
    const signature = readFileSync(sigFile);
    if (signature.length !== 64)
      c.fail(SIGNATURE_FILE, 'signature', `an Ed25519 signature has 64 bytes, this has ${signature.length}`);
    else if (!verify(null, bytes, key, signature))
      c.fail(
        MANIFEST_FILE,
        'signature',
        `${SIGNATURE_FILE} does not verify the manifest's bytes with ${pinned ? 'the pinned key' : `the directory's ${PUBLIC_KEY_FILE}`}`,
      );
    else
      c.pass(
        MANIFEST_FILE,
        'signature',
        `signed by key ${keyIdOf(key)}${pinned ? ' (pinned)' : ' (not pinned)'}`,
      );
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch (error) {
    c.fail(MANIFEST_FILE, 'format', `not JSON (${(error as Error).message})`);
    return done(null, key, pinned);
  }
  const shape = shapeProblem(manifest);
  if (shape !== null) {
    c.fail(MANIFEST_FILE, 'format', shape);
    return done(null, key, pinned);
  }
  if (key && manifest.registry?.keyId !== keyIdOf(key))
    c.fail(
      MANIFEST_FILE,
      'registry key',
      `registry.keyId ${manifest.registry?.keyId} is not the key's id ${keyIdOf(key)}`,
    );
  if (key) {
    const problem = headProblem(manifest, key);
    if (problem === null)
      c.pass(
        MANIFEST_FILE,
        'tree head',
        `signed head of size ${manifest.toPosition}, root ${manifest.treeHead.rootHashHex}`,
      );
    else c.fail(MANIFEST_FILE, 'tree head', problem);
  }
  const hashes = checkFiles(c, dir, manifest);
  hashes.set(MANIFEST_FILE, sha256Hex(bytes));
  if (existsSync(sigFile)) hashes.set(SIGNATURE_FILE, sha256Hex(readFileSync(sigFile)));
  const keyFile = path.join(dir, PUBLIC_KEY_FILE);
  if (existsSync(keyFile)) hashes.set(PUBLIC_KEY_FILE, sha256Hex(readFileSync(keyFile)));
  const sums = sumsProblem(dir, hashes);
  if (sums === null) c.pass(SUMS_FILE, 'hashes', `${hashes.size} files`);
  else c.fail(SUMS_FILE, 'hashes', sums);
  const expected = new Set([...FIXED_FILES, ...expectedNames(manifest.kind)]);
  for (const name of readdirSync(dir)) {
    if (!expected.has(name)) c.warnings.push(`${name} is not part of the list files (not verified)`);
  }
  if (options.confirm && key && c.ok) {
    const reason = await options.confirm.confirmer(manifest.treeHead, key);
    if (reason === null)
      c.pass(
        options.confirm.by,
        'registry',
        `the head of size ${manifest.toPosition} is in the registry's log`,
      );
    else c.fail(options.confirm.by, 'registry', reason);
  }
  return done(manifest, key, pinned);
}
