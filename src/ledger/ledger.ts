/**
 * The ledger in the database: appends (entry, tree nodes, projection and signed head in one
 * transaction), entries, tree heads and proofs. Appends lock the single `ledger_state` row first,
 * which serialises writers: sequence numbers are gapless and no update is lost.
 */
import { sql } from 'drizzle-orm';
import { type Database, type Executor, query, type Store } from '../store/index.ts';
import {
  deviceKeyOf,
  type Entry,
  type EntryDraft,
  entryFromDraft,
  entryLeafHash,
  type FieldError,
  type ListName,
  type Target,
  validateDraft,
} from './entry.ts';
import {
  consistencyRanges,
  Frontier,
  foldNodes,
  type Hash,
  inclusionRanges,
  type NodeId,
  perfectNodes,
  type Range,
} from './merkle.ts';
import { project } from './projection.ts';
import type { HeadSigner, TreeHead } from './signing.ts';

const p = (value: unknown) => sql.param(value);

/** Rows per INSERT: big enough to amortise round trips, small enough for PGlite's memory. */
const CHUNK = 5_000;

export class LedgerValidationError extends Error {
  constructor(readonly problems: readonly (FieldError & { index: number })[]) {
    super(`invalid ledger entry: ${problems.map((e) => `[${e.index}] ${e.field} ${e.message}`).join('; ')}`);
    this.name = 'LedgerValidationError';
  }
}

export interface AppendResult {
  readonly entries: readonly Entry[];
  /** Per draft: true when its idempotency key was seen before and the first entry is returned. */
  readonly replayed: readonly boolean[];
  readonly head: TreeHead;
}

type Row = Record<string, unknown>;

/** Converts a `ledger_entry` row (selected with ENTRY_COLUMNS) to an entry. */
export function rowToEntry(row: Row): Entry {
  return {
    seq: Number(row.seq),
    time: new Date(Number(row.time_ms)).toISOString(),
    actor: String(row.actor),
    source: String(row.source),
    action: row.action as Entry['action'],
    target: row.target as Target,
    status: (row.status as Entry['status']) ?? null,
    reasons: (row.reasons as string[]) ?? [],
    note: (row.note as string | null) ?? null,
    reference: (row.reference as string | null) ?? null,
    list: (row.list as ListName | null) ?? null,
    attributes: (row.attributes as Record<string, string> | null) ?? null,
    expiresAt: row.expires_ms == null ? null : new Date(Number(row.expires_ms)).toISOString(),
  };
}

export const ENTRY_COLUMNS =
  sql.raw(`seq, floor(extract(epoch from recorded_at) * 1000)::bigint as time_ms, actor, source, action,
  target, status, reasons, note, reference, list, attributes,
  floor(extract(epoch from expires_at) * 1000)::bigint as expires_ms, leaf_hash`);

const bytes = (value: unknown): Buffer => Buffer.from(value as Uint8Array);

/** One append transaction: entries added in order, then one signed head. */
/**
 * Refuses to start a ledger that already has signing keys with a key file that does not exist yet:
 * that is a process pointed at the wrong data directory, not a key rotation, and it would sign the
 * registry's heads with a key no follower or peer trusts. Rotating is deliberate: put the new key file
 * in place first.
 */
export async function refuseNewSigningKey(db: Executor, keyFile: string): Promise<void> {
  const keys = await query<{ key_id: string }>(db, sql`select key_id from ledger_key order by created_at`);
  if (keys.length === 0) return;
  throw new LedgerKeyError(
    `ledger_key_file: ${keyFile} does not exist, but this ledger is already signed by key ${keys.at(-1)!.key_id}; ` +
      "use the registry's key file (the same data_dir or ledger_key_file as its server). " +
      'To rotate the key on purpose, create the new key file first.',
  );
}

export class LedgerKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerKeyError';
  }
}

export class AppendSession {
  private readonly added: Entry[] = [];

  constructor(
    private readonly tx: Executor,
    private readonly frontier: Frontier,
    private readonly time: Date,
  ) {}

  get size(): number {
    return this.frontier.size;
  }

  /** The transaction, for parts that write their own rows atomically with their entries (cases). */
  get executor(): Executor {
    return this.tx;
  }

  /** Adds valid drafts (see Ledger.append for validation); returns the entries and which were replays. */
  async add(drafts: readonly EntryDraft[]): Promise<{ entries: Entry[]; replayed: boolean[] }> {
    const keys = drafts.map((d) => d.idempotencyKey).filter((k): k is string => typeof k === 'string');
    const earlier = new Map<string, Entry>();
    if (keys.length > 0) {
      const rows = await query(
        this.tx,
        sql`select ${ENTRY_COLUMNS}, idempotency_key from ledger_entry where idempotency_key = any(${p(keys)}::text[])`,
      );
      for (const row of rows) earlier.set(String(row.idempotency_key), rowToEntry(row));
    }
    const entries: Entry[] = [];
    const replayed: boolean[] = [];
    const fresh: { entry: Entry; key: string | null }[] = [];
    for (const draft of drafts) {
      const key = draft.idempotencyKey ?? null;
      const seen = key === null ? undefined : earlier.get(key);
      if (seen) {
        entries.push(seen);
        replayed.push(true);
        continue;
      }
      const entry = entryFromDraft(draft, this.frontier.size + fresh.length, this.time);
      if (key !== null) earlier.set(key, entry);
      fresh.push({ entry, key });
      entries.push(entry);
      replayed.push(false);
    }
    for (let i = 0; i < fresh.length; i += CHUNK) await this.write(fresh.slice(i, i + CHUNK));
    this.added.push(...fresh.map((f) => f.entry));
    return { entries, replayed };
  }

  private async write(batch: readonly { entry: Entry; key: string | null }[]): Promise<void> {
    const nodes: (NodeId & { hash: Hash })[] = [];
    const leaves: string[] = [];
    for (const { entry } of batch) {
      const leaf = entryLeafHash(entry);
      leaves.push(leaf.toString('hex'));
      nodes.push(...this.frontier.append(leaf));
    }
    const column = <T>(f: (x: { entry: Entry; key: string | null }) => T) => p(batch.map(f));
    await this.tx.execute(sql`
      insert into ledger_entry (seq, recorded_at, actor, source, action, target, device_key, status, reasons, note,
                                reference, list, attributes, expires_at, idempotency_key, leaf_hash)
      select seq, time::timestamptz, actor, source, action, target::jsonb, device_key, status, string_to_array(reasons, '|'),
             note, reference, list, attributes::jsonb, expires::timestamptz, idem, decode(leaf, 'hex')
      from unnest(${column((x) => x.entry.seq)}::bigint[], ${column((x) => x.entry.time)}::text[], ${column((x) => x.entry.actor)}::text[],
                  ${column((x) => x.entry.source)}::text[], ${column((x) => x.entry.action)}::text[],
                  ${column((x) => JSON.stringify(x.entry.target))}::text[], ${column((x) => deviceKeyOf(x.entry.target))}::text[],
                  ${column((x) => x.entry.status)}::text[], ${column((x) => x.entry.reasons.join('|'))}::text[],
                  ${column((x) => x.entry.note)}::text[], ${column((x) => x.entry.reference)}::text[], ${column((x) => x.entry.list)}::text[],
                  ${column((x) => (x.entry.attributes ? JSON.stringify(x.entry.attributes) : null))}::text[],
                  ${column((x) => x.entry.expiresAt)}::text[], ${column((x) => x.key)}::text[], ${p(leaves)}::text[])
        as r(seq, time, actor, source, action, target, device_key, status, reasons, note, reference, list, attributes, expires, idem, leaf)`);
    if (nodes.length > 0) {
      await this.tx.execute(sql`
        insert into ledger_node (level, idx, hash)
        select level, idx, decode(hash, 'hex')
        from unnest(${p(nodes.map((n) => n.level))}::smallint[], ${p(nodes.map((n) => n.index))}::bigint[],
                    ${p(nodes.map((n) => n.hash.toString('hex')))}::text[]) as r(level, idx, hash)`);
    }
    await project(
      this.tx,
      batch.map((b) => b.entry),
    );
  }

  /** Stores the new tree state and signs its head. */
  async finish(signer: HeadSigner): Promise<TreeHead> {
    const head = signer.sign(this.frontier.size, this.frontier.root(), Date.now());
    await this.tx.execute(sql`
      update ledger_state set size = ${this.frontier.size},
        frontier = ${JSON.stringify(this.frontier.hashes().map((h) => h.toString('hex')))}::jsonb,
        last_time_ms = ${this.time.getTime()}
      where id = 1`);
    await insertHead(this.tx, head);
    return head;
  }
}

async function insertHead(db: Executor, head: TreeHead): Promise<void> {
  await db.execute(sql`
    insert into ledger_head (size, root_hash, timestamp_ms, key_id, signature)
    values (${head.size}, decode(${head.rootHash.toString('hex')}, 'hex'), ${head.timestampMs}, ${head.keyId},
            decode(${head.signature.toString('hex')}, 'hex'))`);
}

export function rowToHead(row: Row): TreeHead {
  return {
    size: Number(row.size),
    rootHash: bytes(row.root_hash),
    timestampMs: Number(row.timestamp_ms),
    keyId: String(row.key_id),
    signature: bytes(row.signature),
  };
}

export class Ledger {
  private readonly listeners = new Set<(head: TreeHead) => void>();

  constructor(
    readonly store: Store,
    readonly signer: HeadSigner,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get db(): Database {
    return this.store.db;
  }

  /** Registers the signing key and makes sure a signed head exists (also for the empty ledger). */
  async init(): Promise<void> {
    await this.db.execute(sql`
      insert into ledger_key (key_id, public_key_pem) values (${this.signer.keyId}, ${this.signer.publicKeyPem})
      on conflict (key_id) do nothing`);
    const [head] = await query(this.db, sql`select 1 from ledger_head limit 1`);
    if (!head) await this.transaction(async () => {});
  }

  /** Validates drafts; throws LedgerValidationError naming every bad field of every draft. */
  validate(drafts: readonly EntryDraft[]): void {
    const now = this.clock();
    const problems = drafts.flatMap((draft, index) =>
      validateDraft(draft, now).map((e) => ({ ...e, index })),
    );
    if (problems.length > 0) throw new LedgerValidationError(problems);
  }

  /**
   * Runs `work` in one append transaction and signs one head at its end. Everything `work` adds
   * commits together or not at all.
   */
  async transaction<T>(work: (session: AppendSession) => Promise<T>): Promise<{ result: T; head: TreeHead }> {
    const done = await this.db.transaction(async (tx) => {
      const [state] = await query(
        tx,
        sql`select size, frontier, last_time_ms from ledger_state where id = 1 for update`,
      );
      if (!state) throw new Error('ledger_state is missing: migrations not applied');
      const frontier = new Frontier(
        Number(state.size),
        (state.frontier as string[]).map((h) => Buffer.from(h, 'hex')),
      );
      // Entry times follow sequence order even when writers' clocks disagree.
      const time = new Date(Math.max(this.clock().getTime(), Number(state.last_time_ms)));
      const session = new AppendSession(tx, frontier, time);
      const result = await work(session);
      const head = await session.finish(this.signer);
      return { result, head };
    });
    for (const listener of this.listeners) listener(done.head);
    return done;
  }

  /** Calls `listener` after every committed append in this process (followers wake up at once). */
  subscribe(listener: (head: TreeHead) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async append(drafts: readonly EntryDraft[]): Promise<AppendResult> {
    this.validate(drafts);
    const { result, head } = await this.transaction((session) => session.add(drafts));
    return { ...result, head };
  }

  async head(): Promise<TreeHead> {
    const [row] = await query(this.db, sql`select * from ledger_head order by id desc limit 1`);
    if (!row) throw new Error('no signed tree head yet: Ledger.init() was not called');
    return rowToHead(row);
  }

  /** Signed heads in the order they were made, from `afterId` (exclusive). */
  async heads(afterId = 0, limit = 1000): Promise<(TreeHead & { id: number })[]> {
    const rows = await query(
      this.db,
      sql`select * from ledger_head where id > ${afterId} order by id limit ${limit}`,
    );
    return rows.map((row) => ({ ...rowToHead(row), id: Number(row.id) }));
  }

  async publicKeys(): Promise<Map<string, string>> {
    const rows = await query(this.db, sql`select key_id, public_key_pem from ledger_key`);
    return new Map(rows.map((r) => [String(r.key_id), String(r.public_key_pem)]));
  }

  async size(): Promise<number> {
    const [row] = await query(this.db, sql`select size from ledger_state where id = 1`);
    return Number(row?.size ?? 0);
  }

  async entries(start: number, limit: number): Promise<Entry[]> {
    const rows = await query(
      this.db,
      sql`select ${ENTRY_COLUMNS} from ledger_entry where seq >= ${start} order by seq limit ${limit}`,
    );
    return rows.map(rowToEntry);
  }

  /** Hashes of perfect subtrees, from the leaves and the node table, in one query each. */
  private async nodes(ids: readonly NodeId[]): Promise<Map<string, Hash>> {
    const found = new Map<string, Hash>();
    const leaves = ids.filter((n) => n.level === 0).map((n) => n.index);
    const inner = ids.filter((n) => n.level > 0);
    if (leaves.length > 0) {
      const rows = await query(
        this.db,
        sql`select seq, leaf_hash from ledger_entry where seq = any(${p(leaves)}::bigint[])`,
      );
      for (const row of rows) found.set(`0/${Number(row.seq)}`, bytes(row.leaf_hash));
    }
    if (inner.length > 0) {
      const rows = await query(
        this.db,
        sql`select n.level, n.idx, n.hash from ledger_node n
            join unnest(${p(inner.map((n) => n.level))}::smallint[], ${p(inner.map((n) => n.index))}::bigint[]) as w(level, idx)
              on n.level = w.level and n.idx = w.idx`,
      );
      for (const row of rows) found.set(`${Number(row.level)}/${Number(row.idx)}`, bytes(row.hash));
    }
    return found;
  }

  /** MTH of each range, fetching every needed node at once. */
  async rangeHashes(ranges: readonly Range[]): Promise<Hash[]> {
    const plans = ranges.map(([a, b]) => perfectNodes(a, b));
    const found = await this.nodes(plans.flat());
    return plans.map((plan) =>
      foldNodes(
        plan.map((id) => {
          const hash = found.get(`${id.level}/${id.index}`);
          if (!hash) throw new Error(`tree node ${id.level}/${id.index} is missing`);
          return hash;
        }),
      ),
    );
  }

  private async checkSize(size: number): Promise<void> {
    const current = await this.size();
    if (!Number.isSafeInteger(size) || size < 0 || size > current) {
      throw new RangeError(`tree size ${size} is not between 0 and the current size ${current}`);
    }
  }

  async rootAt(size: number): Promise<Hash> {
    await this.checkSize(size);
    const [root] = await this.rangeHashes([[0, size]]);
    return root!;
  }

  async inclusionProof(index: number, size: number): Promise<Hash[]> {
    await this.checkSize(size);
    if (!Number.isSafeInteger(index) || index < 0 || index >= size)
      throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
    return this.rangeHashes(inclusionRanges(index, size));
  }

  async consistencyProof(first: number, second: number): Promise<Hash[]> {
    await this.checkSize(second);
    if (!Number.isSafeInteger(first) || first < 0 || first > second)
      throw new RangeError(`first size ${first} is not between 0 and ${second}`);
    return this.rangeHashes(consistencyRanges(first, second));
  }
}
