/**
 * An operator's feed: the ledger changes its EIR must apply, from a position (Q.Sup76 "sync API").
 * Every operator receives the national blocked and tracked lists (device adds and removes, and rules
 * that block or track); of the IMEI–IMSI exceptions (pairs) only those whose IMSI is its own: by its
 * MCC-MNC prefixes when the analytics configuration names them, else the pairs it made itself
 * (source `operator:<id>`). Positions are ledger tree sizes: position N covers entries 0 … N-1, so
 * an entry at `seq` is applied once the operator holds position seq + 1.
 */
import { sql } from 'drizzle-orm';
import type { Entry } from '../../ledger/entry.ts';
import { ENTRY_COLUMNS, type Ledger, rowToEntry } from '../../ledger/ledger.ts';
import type { TreeHead } from '../../ledger/signing.ts';
import { query } from '../../store/index.ts';

/** Whose feed, and how its exceptions are recognised. */
export interface OperatorScope {
  readonly operatorId: string;
  /** MCC+MNC prefixes of its IMSIs; empty: its pairs are those with source `operator:<id>`. */
  readonly homePrefixes: readonly string[];
}

export type ChangeList = 'blocked' | 'tracked' | 'exceptions' | 'rules';

/** One change as an operator EIR applies it. */
export interface Change {
  /** The entry's ledger position (seq); applying it brings the operator to position + 1. */
  readonly position: number;
  readonly time: string;
  readonly list: ChangeList;
  readonly op: 'add' | 'remove';
  readonly action: Entry['action'];
  readonly target: Entry['target'];
  readonly status: Entry['status'];
  readonly reasons: readonly string[];
  readonly source: string;
  readonly expiresAt: string | null;
}

export interface ChangePage {
  readonly operator: string;
  readonly since: number;
  readonly changes: readonly Change[];
  /** The position the page brings the operator to: the `since` of the next call, the `position` of an ack. */
  readonly next: number;
  /** A signed tree head of size ≥ next: every change's entry is provably in it (ledger inclusion proofs). */
  readonly head: TreeHead;
}

/** Ledger entries scanned per call at most: a call is bounded however sparse the operator's feed. */
export const SCAN_WINDOW = 100_000;
export const MAX_LIMIT = 10_000;

const DEVICE_LISTS: Partial<Record<Entry['action'], { list: ChangeList; op: 'add' | 'remove' }>> = {
  block: { list: 'blocked', op: 'add' },
  unblock: { list: 'blocked', op: 'remove' },
  track: { list: 'tracked', op: 'add' },
  untrack: { list: 'tracked', op: 'remove' },
  pair: { list: 'exceptions', op: 'add' },
  unpair: { list: 'exceptions', op: 'remove' },
  'rule-add': { list: 'rules', op: 'add' },
  'rule-remove': { list: 'rules', op: 'remove' },
};

/** The change an entry is for an operator (the entry having passed the feed's filter). */
export function changeOf(entry: Entry & { seq: number }): Change {
  const kind = DEVICE_LISTS[entry.action];
  if (!kind) throw new Error(`ledger action ${entry.action} is not in an operator feed`);
  return {
    position: entry.seq,
    time: entry.time,
    list: kind.list,
    op: kind.op,
    action: entry.action,
    target: entry.target,
    status: entry.status,
    reasons: entry.reasons,
    source: entry.source,
    expiresAt: entry.expiresAt,
  };
}

/** The feed's filter over `ledger_entry`, in SQL (one index range scan on seq). */
export function feedFilter(scope: OperatorScope) {
  const own =
    scope.homePrefixes.length > 0
      ? sql`target->>'imsi' like any(${sql.param(scope.homePrefixes.map((p) => `${p}%`))}::text[])`
      : sql`source = ${`operator:${scope.operatorId}`}`;
  return sql`(action in ('block', 'unblock', 'track', 'untrack')
    or (action in ('pair', 'unpair') and ${own})
    or (action = 'rule-add' and status in ('blocked', 'tracked'))
    or action = 'rule-remove')`;
}

/**
 * Changes for the operator from position `since`, at most `limit`, scanning at most SCAN_WINDOW
 * entries. `since` beyond the ledger's size is a RangeError (the caller answers 400).
 */
export async function changesSince(
  ledger: Ledger,
  scope: OperatorScope,
  since: number,
  limit: number,
): Promise<ChangePage> {
  const size = await ledger.size();
  if (!Number.isSafeInteger(since) || since < 0 || since > size)
    throw new RangeError(`since ${since} is not between 0 and the ledger size ${size}`);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new RangeError(`limit ${limit} is not between 1 and ${MAX_LIMIT}`);
  // Windows growing fourfold from twice the limit: a dense feed (most entries are blocks) is read in
  // one short index range, a sparse one in a few, never more than SCAN_WINDOW entries in all.
  const end = Math.min(size, since + SCAN_WINDOW);
  const changes: Change[] = [];
  let from = since;
  let window = Math.max(2 * limit, 1_000);
  while (from < end && changes.length < limit) {
    const to = Math.min(end, from + window);
    const rows = await query(
      ledger.db,
      sql`select ${ENTRY_COLUMNS} from ledger_entry
          where seq >= ${from} and seq < ${to} and ${feedFilter(scope)}
          order by seq limit ${limit - changes.length}`,
    );
    for (const row of rows) changes.push(changeOf(rowToEntry(row)));
    from = to;
    window *= 4;
  }
  const last = changes.at(-1);
  const next = changes.length === limit && last ? last.position + 1 : end;
  // Read after the size: heads only grow, so this one covers `next`.
  const head = await ledger.head();
  return { operator: scope.operatorId, since, changes, next, head };
}

/** How far the search for the first unacknowledged change goes (ten calls of SCAN_WINDOW). */
export const PENDING_SEARCH = 10 * SCAN_WINDOW;

/**
 * The first change the operator has not acknowledged, or null when it holds every change (or none
 * is within PENDING_SEARCH entries after its position, where the search stops).
 */
export async function firstPending(
  ledger: Ledger,
  scope: OperatorScope,
  acknowledged: number,
): Promise<Change | null> {
  let since = acknowledged;
  for (let call = 0; call < PENDING_SEARCH / SCAN_WINDOW; call++) {
    const page = await changesSince(ledger, scope, since, 1);
    if (page.changes[0]) return page.changes[0];
    if (page.next === since || page.next >= page.head.size) return null;
    since = page.next;
  }
  return null;
}
