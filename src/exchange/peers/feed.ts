/**
 * What a peer may read of our ledger: its feed. A peer authenticates with the key we issued it
 * (`openceir peer feed-key`), and gets, from a position, only the entries its trust policy shares
 * (device blocks and tracks for the shared reasons, and their lifts), each with an RFC 9162 inclusion
 * proof against our current signed head, so that it can check every one without the entries we keep
 * to ourselves. `next` says how far we looked, so that the peer never asks for the same range twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Entry } from '../../ledger/entry.ts';
import type { Ledger } from '../../ledger/ledger.ts';
import { headToJson, type TreeHeadJson } from '../../ledger/signing.ts';
import { type Executor, query } from '../../store/index.ts';
import { PeerNotFoundError } from './directory.ts';
import { parsePolicy, type TrustPolicy } from './policy.ts';

/** Entries of ours looked at per feed request. */
export const FEED_SCAN = 2_000;

export interface FeedItem {
  readonly entry: Entry;
  /** Inclusion proof of the entry's leaf in the tree of `head.treeSize`, base64 hashes. */
  readonly proof: readonly string[];
}

export interface Feed {
  readonly head: TreeHeadJson;
  readonly entries: readonly FeedItem[];
  /** The position looked up to (exclusive): ask again with `after=next`. */
  readonly next: number;
}

const SHARED_ACTIONS = new Set(['block', 'track', 'unblock', 'untrack']);

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** Whether a policy shares an entry: device statuses for its reasons, lifts naming none of them hidden. */
export function isShared(entry: Entry, policy: TrustPolicy, peerId: string): boolean {
  if (entry.target.kind !== 'device' || !SHARED_ACTIONS.has(entry.action)) return false;
  // What we have from this peer is its own; it never needs it back.
  if (entry.source === `peer:${peerId}`) return false;
  // A lift of every reason of a source names none: shared, since the peer may hold a shared one.
  if (entry.reasons.length === 0) return entry.action === 'unblock' || entry.action === 'untrack';
  return entry.reasons.some((r) => policy.share.reasons.includes(r));
}

/** Issues (or replaces) the key a peer uses to read our feed; the key itself is shown only here. */
export async function issueFeedKey(db: Executor, peerId: string): Promise<string> {
  const key = `pf_${randomBytes(24).toString('base64url')}`;
  const rows = await query(
    db,
    sql`update peer set feed_key_hash = ${hashOf(key)} where id = ${peerId} returning id`,
  );
  if (rows.length === 0) throw new PeerNotFoundError(peerId);
  return key;
}

/** The peer a feed key belongs to, or null. */
export async function peerOfFeedKey(
  db: Executor,
  key: string,
): Promise<{ id: string; policy: TrustPolicy } | null> {
  if (!/^pf_[A-Za-z0-9_-]{32}$/.test(key)) return null;
  const [row] = await query(db, sql`select id, policy from peer where feed_key_hash = ${hashOf(key)}`);
  return row ? { id: String(row.id), policy: parsePolicy(row.policy) } : null;
}

/** The shared entries from `after`, with proofs against the head of now. */
export async function feedFor(
  ledger: Ledger,
  peer: { id: string; policy: TrustPolicy },
  after: number,
): Promise<Feed> {
  if (!Number.isSafeInteger(after) || after < 0) throw new RangeError('after must be a position ≥ 0');
  const head = await ledger.head();
  if (after > head.size) throw new RangeError(`after ${after} is beyond our tree size ${head.size}`);
  const next = Math.min(head.size, after + FEED_SCAN);
  const scanned = after < next ? await ledger.entries(after, next - after) : [];
  const entries: FeedItem[] = [];
  for (const entry of scanned) {
    if (entry.seq >= next || !isShared(entry, peer.policy, peer.id)) continue;
    const proof = await ledger.inclusionProof(entry.seq, head.size);
    entries.push({ entry, proof: proof.map((h) => h.toString('base64')) });
  }
  return { head: headToJson(head), entries, next };
}
