/**
 * Asking the registry whether a manifest's tree head is in its log:
 * - a server (`--server URL`): its current signed head, checked with the pinned key, and the
 *   RFC 9162 §2.1.4 consistency proof from the manifest's size to it, checked against both roots;
 *   so the files belong to the log the registry still serves (no fork, no rewritten history);
 * - the registry database: one of its own signed heads has this size, root and signature.
 */
import { type KeyObject, verify } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Ledger } from '../../ledger/ledger.ts';
import { verifyConsistency } from '../../ledger/merkle.ts';
import { keyIdOf, type TreeHeadJson, treeHeadSigningInput } from '../../ledger/signing.ts';
import { query } from '../../store/index.ts';
import type { HeadConfirmer } from './verify.ts';

const TIMEOUT_MS = 10_000;

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

export function serverConfirmer(base: string): HeadConfirmer {
  const root = base.replace(/\/$/, '');
  return async (head: TreeHeadJson, key: KeyObject) => {
    try {
      const current = (await getJson(`${root}/ledger/v1/head`)) as unknown as TreeHeadJson;
      const currentRoot = Buffer.from(current.rootHash, 'base64');
      const signed = treeHeadSigningInput(current.treeSize, current.timestamp, currentRoot);
      if (
        current.keyId !== keyIdOf(key) ||
        !verify(null, signed, key, Buffer.from(current.signature, 'base64'))
      )
        return `the server's current head is not signed by the pinned key`;
      if (current.treeSize < head.treeSize)
        return `the server's log has ${current.treeSize} entries, fewer than the manifest's ${head.treeSize}`;
      const proof = await getJson(
        `${root}/ledger/v1/proofs/consistency?first=${head.treeSize}&second=${current.treeSize}`,
      );
      const hashes = (proof.proof as string[]).map((h) => Buffer.from(h, 'base64'));
      const ok = verifyConsistency(
        head.treeSize,
        current.treeSize,
        Buffer.from(head.rootHash, 'base64'),
        currentRoot,
        hashes,
      );
      return ok
        ? null
        : `the manifest's head (size ${head.treeSize}) is not consistent with the server's head (size ${current.treeSize}): a different history`;
    } catch (error) {
      return `could not ask the server: ${(error as Error).message}`;
    }
  };
}

export function ledgerConfirmer(ledger: Ledger): HeadConfirmer {
  return async (head: TreeHeadJson) => {
    const [row] = await query(
      ledger.db,
      sql`select 1 as found from ledger_head where size = ${head.treeSize}
          and root_hash = decode(${Buffer.from(head.rootHash, 'base64').toString('hex')}, 'hex')
          and signature = decode(${Buffer.from(head.signature, 'base64').toString('hex')}, 'hex')`,
    );
    if (row) return null;
    const size = await ledger.size();
    if (head.treeSize > size)
      return `the registry database has ${size} entries, fewer than the manifest's ${head.treeSize}`;
    const root = await ledger.rootAt(head.treeSize);
    return root.toString('base64') === head.rootHash
      ? 'the root matches the registry database, but no head it signed carries this signature'
      : `the registry database's root at size ${head.treeSize} differs from the manifest's: a different history`;
  };
}
