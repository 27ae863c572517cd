/**
 * `openceir ledger verify`: recomputes the Merkle tree from the ledger rows and checks it against
 * every signed tree head, the stored tree nodes, the tree state and the current lists. It names the
 * first bad position when a row was altered, removed or reordered behind the ledger's back.
 */
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../store/index.ts';
import { entryLeafHash } from './entry.ts';
import { applyEntry, emptyState } from './fold.ts';
import { ENTRY_COLUMNS, rowToEntry, rowToHead } from './ledger.ts';
import { Frontier } from './merkle.ts';
import { type TreeHead, verifyHead } from './signing.ts';
import { snapshotOfProjection, snapshotOfState } from './snapshot.ts';

export type ProblemKind =
  | 'missing'
  | 'leaf'
  | 'node'
  | 'head-signature'
  | 'head-root'
  | 'truncated'
  | 'state'
  | 'projection';

export interface VerifyProblem {
  /** The first ledger position the problem concerns, or null when it is not about one entry. */
  readonly position: number | null;
  readonly kind: ProblemKind;
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly entries: number;
  readonly heads: number;
  readonly nodes: number;
  readonly firstBadPosition: number | null;
  readonly problems: readonly VerifyProblem[];
}

export interface VerifyOptions {
  readonly pageSize?: number;
  /** Also compare the current lists with the fold of the ledger (default true). */
  readonly projection?: boolean;
  readonly onProgress?: (checked: number) => void;
}

const MAX_PROBLEMS = 50;

export async function verifyLedger(db: Executor, options: VerifyOptions = {}): Promise<VerifyReport> {
  const pageSize = options.pageSize ?? 10_000;
  const problems: VerifyProblem[] = [];
  const report = (problem: VerifyProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };

  const keys = new Map(
    (await query(db, sql`select key_id, public_key_pem from ledger_key`)).map((r) => [
      String(r.key_id),
      String(r.public_key_pem),
    ]),
  );
  const heads: TreeHead[] = (await query(db, sql`select * from ledger_head order by size, id`)).map(
    rowToHead,
  );
  for (const head of heads) {
    const pem = keys.get(head.keyId);
    if (!pem)
      report({
        position: null,
        kind: 'head-signature',
        message: `head of size ${head.size} is signed by unknown key ${head.keyId}`,
      });
    else if (!verifyHead(head, pem)) {
      report({
        position: null,
        kind: 'head-signature',
        message: `head of size ${head.size} (time ${head.timestampMs}) has a bad signature`,
      });
    }
  }

  // Two trees: one from the leaf hashes recomputed from the rows (what the signed heads must match),
  // one from the stored leaf hashes (what the stored nodes must match).
  const frontier = new Frontier();
  const storedFrontier = new Frontier();
  const state = emptyState();
  let nextHead = 0;
  let lastGoodHead = 0;
  let nodesChecked = 0;
  let broken = false;
  /** Heads whose root the rows no longer give: entries [from, to) hold the change. */
  const badHeads: { from: number; to: number; size: number }[] = [];
  const badNodes = new Set<string>();

  const checkHeadsAt = (size: number) => {
    while (nextHead < heads.length && heads[nextHead]!.size === size) {
      const head = heads[nextHead]!;
      if (Buffer.compare(head.rootHash, frontier.root()) === 0) lastGoodHead = size;
      else if (!badHeads.some((b) => b.from === lastGoodHead))
        badHeads.push({ from: lastGoodHead, to: size, size });
      nextHead += 1;
    }
  };
  checkHeadsAt(0);

  while (!broken) {
    const start = frontier.size;
    const rows = await query(
      db,
      sql`select ${ENTRY_COLUMNS} from ledger_entry where seq >= ${start} order by seq limit ${pageSize}`,
    );
    if (rows.length === 0) break;
    const computed = new Map<string, Buffer>();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== frontier.size) {
        report({
          position: frontier.size,
          kind: 'missing',
          message: `entry ${frontier.size} is missing (the next one present is ${seq})`,
        });
        broken = true;
        break;
      }
      const entry = rowToEntry(row);
      const leaf = entryLeafHash(entry);
      const storedLeaf = Buffer.from(row.leaf_hash as Uint8Array);
      if (Buffer.compare(leaf, storedLeaf) !== 0) {
        report({
          position: seq,
          kind: 'leaf',
          message: `entry ${seq} does not match its leaf hash: it was altered or moved`,
        });
      }
      frontier.append(leaf);
      for (const node of storedFrontier.append(storedLeaf))
        computed.set(`${node.level}/${node.index}`, node.hash);
      applyEntry(state, entry);
      checkHeadsAt(frontier.size);
    }
    const end = storedFrontier.size;
    // The stored nodes completed by this page: those whose last leaf lies in [start, end).
    const stored = await query(
      db,
      sql`select level, idx, hash from ledger_node
          where (idx + 1) * (1::bigint << level) > ${start} and (idx + 1) * (1::bigint << level) <= ${end}
          order by level, idx`,
    );
    for (const row of stored) {
      nodesChecked += 1;
      const [level, idx] = [Number(row.level), Number(row.idx)];
      const key = `${level}/${idx}`;
      const expected = computed.get(key);
      computed.delete(key);
      if (expected && Buffer.compare(expected, Buffer.from(row.hash as Uint8Array)) === 0) continue;
      badNodes.add(key);
      // Only the lowest mismatching node says where the change is; its ancestors follow from it, and
      // a leaf already found wrong inside its range says it more precisely.
      if (badNodes.has(`${level - 1}/${2 * idx}`) || badNodes.has(`${level - 1}/${2 * idx + 1}`)) continue;
      const first = idx * 2 ** level;
      const last = first + 2 ** level - 1;
      if (
        problems.some(
          (p) => p.kind === 'leaf' && p.position !== null && p.position >= first && p.position <= last,
        )
      )
        continue;
      report({
        position: first,
        kind: 'node',
        message: `tree node ${key} does not match the stored leaf hashes of entries ${first} to ${last}`,
      });
    }
    for (const key of computed.keys()) {
      const [level, idx] = key.split('/').map(Number) as [number, number];
      report({ position: idx * 2 ** level, kind: 'node', message: `tree node ${key} is missing` });
    }
    options.onProgress?.(end);
  }

  // A head the rows no longer give is news only if nothing found above explains it.
  for (const bad of badHeads) {
    const explained = problems.some(
      (p) => p.position !== null && p.position >= bad.from && p.position < bad.to,
    );
    if (!explained) {
      report({
        position: bad.from,
        kind: 'head-root',
        message: `entries ${bad.from} to ${bad.to - 1} do not give the root signed for size ${bad.size}: one of them was altered`,
      });
    }
  }

  const size = frontier.size;
  for (const head of heads.slice(nextHead)) {
    if (head.size > size) {
      report({
        position: size,
        kind: 'truncated',
        message: `a head is signed for size ${head.size} but the ledger has ${size} entries`,
      });
      break;
    }
  }
  const [ledgerState] = await query(db, sql`select size, frontier from ledger_state where id = 1`);
  const stateFrontier = ((ledgerState?.frontier as string[]) ?? []).join();
  if (
    !broken &&
    (Number(ledgerState?.size) !== size ||
      stateFrontier !==
        storedFrontier
          .hashes()
          .map((h) => h.toString('hex'))
          .join())
  ) {
    report({
      position: Math.min(size, Number(ledgerState?.size ?? 0)),
      kind: 'state',
      message: `ledger_state says size ${ledgerState?.size}, the rows give ${size}`,
    });
  }

  if (!broken && (options.projection ?? true)) {
    const expected = snapshotOfState(state);
    const actual = await snapshotOfProjection(db);
    for (const part of ['reasons', 'pairings', 'rules'] as const) {
      const missing = expected[part].find((line) => !actual[part].includes(line));
      const extra = actual[part].find((line) => !expected[part].includes(line));
      if (missing || extra) {
        report({
          position: null,
          kind: 'projection',
          message: `current ${part} differ from the ledger: ${missing ? `missing ${missing}` : `unexpected ${extra}`}`,
        });
      }
    }
  }

  const positions = problems.map((p) => p.position).filter((p): p is number => p !== null);
  return {
    ok: problems.length === 0,
    entries: size,
    heads: heads.length,
    nodes: nodesChecked,
    firstBadPosition: positions.length > 0 ? Math.min(...positions) : null,
    problems,
  };
}
