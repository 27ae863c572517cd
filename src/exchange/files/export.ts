/**
 * `openceir exchange export`: one operator's list files at one ledger position, full or as a delta
 * from an earlier position, with a signed manifest, the registry's public key and SHA256SUMS
 * (docs/exchange-operators.md). The directory is written beside its target under a temporary name
 * and renamed into place when complete, so a crash leaves either no directory or a whole one.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, open, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Ledger } from '../../ledger/ledger.ts';
import { headToJson } from '../../ledger/signing.ts';
import { query } from '../../store/index.ts';
import { deltaCsv, fullCsv } from './csv.ts';
import { diffRows, type ExceptionsScope, LIST_NAMES } from './lists.ts';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  type Manifest,
  type ManifestFile,
  manifestBytes,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  SUMS_FILE,
  scopeInManifest,
  sha256Hex,
  sumsText,
} from './manifest.ts';
import { currentPosition, listsAt, type Position, PositionError, positionAt } from './positions.ts';

export const OPERATOR_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** An operator as the export routes exceptions: its id and its MCC+MNC prefixes (may be none). */
export interface OperatorPrefixes {
  readonly id: string;
  readonly prefixes: readonly string[];
}

export interface ExportRequest {
  readonly operator: string;
  readonly dir: string;
  /** Target position (tree size); default the current signed head. */
  readonly position?: number;
  /** Write the changes from this position instead of the full lists. */
  readonly deltaFrom?: number;
  /** The operators of the analytics configuration (region.operators), in configuration order. */
  readonly configured: readonly OperatorPrefixes[];
}

export interface ExportResult {
  readonly dir: string;
  readonly manifest: Manifest;
}

export class ExportInputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'ExportInputError';
  }
}

/**
 * Which pairings are the operator's: by its MCC-MNC prefixes when the analytics configuration gives
 * it some (DIRBS routing, dirbs-compat.md §4.1), else the pairings it set (`operator:<id>`).
 */
export function exceptionsScope(operator: string, configured: readonly OperatorPrefixes[]): ExceptionsScope {
  const own = configured.find((o) => o.id === operator);
  if (!own || own.prefixes.length === 0) return { by: 'source', source: `operator:${operator}` };
  return {
    by: 'mcc-mnc',
    prefixes: own.prefixes,
    allPrefixes: configured.flatMap((o) => o.prefixes.map((prefix) => ({ operator: o.id, prefix }))),
  };
}

/** Operators the registry knows: organisations of kind operator, and the configured ones. */
export async function knownOperators(
  ledger: Ledger,
  configured: readonly OperatorPrefixes[],
): Promise<string[]> {
  const rows = await query(
    ledger.db,
    sql`select operator_id from organisation where kind = 'operator' and operator_id is not null`,
  );
  return [...new Set([...rows.map((r) => String(r.operator_id)), ...configured.map((o) => o.id)])].sort();
}

async function writeFileSynced(file: string, bytes: Uint8Array | string): Promise<void> {
  const handle = await open(file, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function installationId(ledger: Ledger): Promise<string | null> {
  const [row] = await query(ledger.db, sql`select id from installation limit 1`);
  return row ? String(row.id) : null;
}

function checkTarget(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new ExportInputError('dir', `${dir} exists and is not empty: give a new or empty directory`);
}

export async function exportOperatorFiles(ledger: Ledger, request: ExportRequest): Promise<ExportResult> {
  const { operator, dir } = request;
  if (!OPERATOR_PATTERN.test(operator))
    throw new ExportInputError('operator', 'an operator id: lower-case letters, digits, . _ -, at most 64');
  const known = await knownOperators(ledger, request.configured);
  if (!known.includes(operator))
    throw new ExportInputError(
      'operator',
      `unknown operator ${operator} (known: ${known.join(', ') || 'none: add an organisation of kind operator, or region.operators in the analytics configuration'})`,
    );
  checkTarget(dir);
  const scope = exceptionsScope(operator, request.configured);

  let to: Position;
  let from: Position | null = null;
  try {
    to =
      request.position === undefined
        ? await currentPosition(ledger)
        : await positionAt(ledger, request.position, 'position');
    if (request.deltaFrom !== undefined) {
      if (request.deltaFrom > to.size)
        throw new PositionError('delta-from', `must not be after the target position ${to.size}`);
      from = await positionAt(ledger, request.deltaFrom, 'delta-from');
    }
  } catch (error) {
    if (error instanceof PositionError)
      throw new ExportInputError(error.field, error.message.slice(error.field.length + 2));
    throw error;
  }

  const contents: { name: string; list: (typeof LIST_NAMES)[number]; text: string; rows: number }[] = [];
  if (from === null) {
    const [lists] = await listsAt(ledger, [to], scope);
    for (const list of LIST_NAMES)
      contents.push({
        name: `${list}.csv`,
        list,
        text: fullCsv(list, lists![list]),
        rows: lists![list].length,
      });
  } else {
    const [before, after] = await listsAt(ledger, [from, to], scope);
    for (const list of LIST_NAMES) {
      const delta = diffRows(before![list], after![list]);
      contents.push({ name: `${list}-delta.csv`, list, text: deltaCsv(list, delta), rows: delta.length });
    }
  }

  const files: ManifestFile[] = contents.map((c) => {
    const bytes = Buffer.from(c.text, 'utf8');
    return { name: c.name, list: c.list, rows: c.rows, bytes: bytes.length, sha256: sha256Hex(bytes) };
  });
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    registry: { keyId: ledger.signer.keyId, installationId: await installationId(ledger) },
    operator,
    kind: from === null ? 'full' : 'delta',
    fromPosition: from === null ? null : from.size,
    toPosition: to.size,
    asOf: to.asOf,
    exceptions: scopeInManifest(scope),
    csv: { encoding: 'UTF-8', lineEnd: 'LF', header: true, sortedBy: 'key' },
    treeHead: {
      ...headToJson(to.head),
      signatureAlgorithm: 'Ed25519',
      signedStructure:
        'RFC 6962 §3.5 TreeHeadSignature: version 0, type 1, timestamp ms u64, size u64, root 32 bytes',
    },
    files,
  };
  const bytes = manifestBytes(manifest);
  const signature = ledger.signer.signStatement(bytes);

  const target = path.resolve(dir);
  const staging = path.join(
    path.dirname(target),
    `.${path.basename(target)}.partial-${randomBytes(4).toString('hex')}`,
  );
  await mkdir(staging, { recursive: true });
  try {
    for (const c of contents) await writeFileSynced(path.join(staging, c.name), c.text);
    await writeFileSynced(path.join(staging, MANIFEST_FILE), bytes);
    await writeFileSynced(path.join(staging, SIGNATURE_FILE), signature);
    await writeFileSynced(path.join(staging, PUBLIC_KEY_FILE), ledger.signer.publicKeyPem);
    await writeFileSynced(
      path.join(staging, SUMS_FILE),
      sumsText([
        ...files,
        { name: MANIFEST_FILE, sha256: sha256Hex(bytes) },
        { name: SIGNATURE_FILE, sha256: sha256Hex(signature) },
        { name: PUBLIC_KEY_FILE, sha256: sha256Hex(ledger.signer.publicKeyPem) },
      ]),
    );
    checkTarget(target);
    if (existsSync(target)) await rmdir(target);
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another writer filled the directory between the check and the rename.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST')
      throw new ExportInputError('dir', `${dir} was written by someone else meanwhile: give a new directory`);
    throw error;
  }
  return { dir: target, manifest };
}
