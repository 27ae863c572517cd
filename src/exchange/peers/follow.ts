/**
 * Follows peer registries' ledgers and applies what their trust policies say. For each active peer, a
 * round reads its signed head, checks the signature with the configured key and that the head is
 * consistent with the last one we verified (RFC 9162 §2.1.4 consistency proof), then reads entries from
 * our position in chunks; each chunk must extend the tree we hold (Frontier) to a prefix of the signed
 * tree (exactly its root at the end, a consistency proof before). Only then is the chunk mapped and
 * applied: our entries, the origin slots and the peer's new position commit in ONE ledger transaction,
 * so a crash neither applies a chunk twice nor skips one. An inconsistent head or chunk stops the peer
 * with the problem recorded; nothing of it is applied until a person resumes it (`openceir peer resume`).
 */
import { sql } from 'drizzle-orm';
import { type Entry, entryLeafHash } from '../../ledger/entry.ts';
import { type Ledger, LedgerValidationError } from '../../ledger/ledger.ts';
import { Frontier, type Hash, verifyConsistency, verifyInclusion } from '../../ledger/merkle.ts';
import { RemoteLedger } from '../../ledger/remote.ts';
import { headFromJson, type TreeHead, type TreeHeadJson, verifyHead } from '../../ledger/signing.ts';
import { type Executor, query } from '../../store/index.ts';
import { PeerDirectory, type PeerRecord } from './directory.ts';
import { type MappingContext, mapEntry, type OriginSlot, type OriginState } from './mapping.ts';

/** A peer's ledger as the follower reads it. */
export interface PeerSource {
  head(): Promise<TreeHead>;
  /**
   * Long poll: resolves when the peer has a head beyond `after`, or after `waitMs` (its
   * `/ledger/v1/head?after=&wait=`), so that a change there reaches us at once rather than next tick.
   */
  waitHead?(after: number, waitMs: number, signal: AbortSignal): Promise<void>;
  entries(start: number, limit: number): Promise<Entry[]>;
  consistency(first: number, second: number): Promise<Hash[]>;
  /** Its feed for us (peers added with via feed): shared entries from `after`, with inclusion proofs. */
  feed?(after: number): Promise<FeedPage>;
}

/** A page of a peer's feed, parsed (the head not yet verified). */
export interface FeedPage {
  readonly head: TreeHead;
  readonly items: readonly { readonly entry: Entry; readonly proof: readonly Hash[] }[];
  readonly next: number;
}

/** A peer's ledger over HTTP (its `/ledger/v1` read API). */
export class RemotePeerSource implements PeerSource {
  private readonly remote: RemoteLedger;

  constructor(
    private readonly url: string,
    private readonly apiKey: string | null,
    publicKeyPem: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.remote = new RemoteLedger(url, apiKey, publicKeyPem, timeoutMs);
  }

  /** The head as signed; the follower checks the signature itself (and says so when it fails). */
  async head(): Promise<TreeHead> {
    return headFromJson((await this.json('/ledger/v1/head')) as TreeHeadJson);
  }

  async waitHead(after: number, waitMs: number, signal: AbortSignal): Promise<void> {
    await this.remote.head({ after, waitMs, signal }).catch(() => {});
  }

  entries(start: number, limit: number): Promise<Entry[]> {
    return this.remote.entries(start, limit);
  }

  async feed(after: number): Promise<FeedPage> {
    const body = (await this.json(`/exchange/v1/feed?after=${after}`)) as {
      head: TreeHeadJson;
      entries: { entry: Entry; proof: string[] }[];
      next: number;
    };
    return {
      head: headFromJson(body.head),
      items: body.entries.map((item) => ({
        entry: item.entry,
        proof: item.proof.map((p) => Buffer.from(p, 'base64')),
      })),
      next: body.next,
    };
  }

  async consistency(first: number, second: number): Promise<Hash[]> {
    const body = (await this.json(`/ledger/v1/proofs/consistency?first=${first}&second=${second}`)) as {
      proof: string[];
    };
    return body.proof.map((p) => Buffer.from(p, 'base64'));
  }

  private async json(path: string): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, {
      headers: this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {},
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((error: Error) => {
      throw new Error(`peer ${this.url} unreachable: ${error.cause ?? error.message}`);
    });
    if (!response.ok) throw new Error(`peer ${this.url}${path.split('?')[0]} answered ${response.status}`);
    return response.json();
  }
}

export interface PeerFollowerOptions {
  /** How often each active peer is asked for a new head (ms). */
  readonly intervalMs?: number;
  /** Entries per transaction. */
  readonly chunk?: number;
  /** Chunks per peer per round, so that one peer's backlog does not hold the others. */
  readonly chunksPerRound?: number;
  /** The peer's ledger for a record (tests give an in-process one). */
  readonly sourceOf?: (peer: PeerRecord) => PeerSource;
  readonly onApplied?: (peerId: string, position: number, added: number) => void;
  readonly onProblem?: (peerId: string, problem: string, stopped: boolean) => void;
}

/** A chunk lost the race to another process (or the peer was paused or removed meanwhile). */
class Superseded extends Error {}

export interface RoundResult {
  readonly position: number;
  /** Our entries appended in this round. */
  readonly added: number;
  readonly stopped: boolean;
}

export class PeerFollower {
  private readonly directory: PeerDirectory;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private readonly abort = new AbortController();
  /** Active peers and the size of their tree we hold, for the long polls. */
  private readonly active = new Set<string>();
  private readonly sizes = new Map<string, number>();
  private readonly waiters = new Map<string, Promise<void>>();
  private stopped = false;
  /** Last problem written per peer, so that the same one is not written every round. */
  private readonly noted = new Map<string, string | null>();
  private readonly lastContactWrite = new Map<string, number>();

  constructor(
    private readonly ledger: Ledger,
    private readonly options: PeerFollowerOptions = {},
  ) {
    this.directory = new PeerDirectory(ledger.db);
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.wake();
      this.timer = setTimeout(tick, this.options.intervalMs ?? 250);
      this.timer.unref();
    };
    tick();
  }

  /** Runs a round now, or right after the one running (coalesced: one round at a time). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.roundAll().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
    await Promise.all(this.waiters.values());
  }

  /**
   * One long poll at a time per active peer (bounded: it ends when the peer is no longer active or
   * the follower stops); each answer wakes a round.
   */
  private watch(peer: PeerRecord, source: PeerSource): void {
    if (!source.waitHead || this.waiters.has(peer.id)) return;
    const wait = source.waitHead.bind(source);
    const loop = async () => {
      while (!this.stopped && this.active.has(peer.id)) {
        const started = Date.now();
        await wait(this.sizes.get(peer.id) ?? 0, 20_000, this.abort.signal);
        this.wake();
        // An answer at once (unreachable, refused) must not spin: at most one request per interval.
        const rest = (this.options.intervalMs ?? 250) - (Date.now() - started);
        if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest).unref());
      }
    };
    this.waiters.set(
      peer.id,
      loop().finally(() => this.waiters.delete(peer.id)),
    );
  }

  /** One round over every active peer; problems are recorded per peer, never thrown. */
  async roundAll(): Promise<void> {
    let peers: PeerRecord[];
    try {
      peers = (await this.directory.list()).filter((p) => p.state === 'active');
    } catch {
      return; // The database is away: the next tick tries again.
    }
    this.active.clear();
    for (const peer of peers) this.active.add(peer.id);
    for (const peer of peers) {
      if (this.stopped) return;
      try {
        await this.round(peer);
      } catch (error) {
        const problem = (error as Error).message;
        this.options.onProblem?.(peer.id, problem, false);
        if (this.noted.get(peer.id) !== problem) {
          this.noted.set(peer.id, problem);
          await this.directory.note(peer.id, problem, false).catch(() => {});
        }
      }
    }
  }

  /** Follows one peer until it is caught up (or the round's chunk budget is spent). */
  async round(peer: PeerRecord): Promise<RoundResult> {
    const source =
      this.options.sourceOf?.(peer) ?? new RemotePeerSource(peer.url, peer.apiKey, peer.publicKeyPem);
    this.sizes.set(peer.id, Math.max(peer.position, peer.verifiedHead?.size ?? 0));
    this.watch(peer, source);
    if (peer.via === 'feed') return this.feedRound(peer, source);
    const head = await source.head();
    const wrong = await headProblem(peer, peer.verifiedHead, head, source);
    if (wrong) return this.fail(peer, wrong);
    await this.contact(peer);
    let position = peer.position;
    let frontier = new Frontier(
      position,
      peer.frontier.map((h) => Buffer.from(h, 'hex')),
    );
    let added = 0;
    const chunk = this.options.chunk ?? 1_000;
    for (let n = 0; n < (this.options.chunksPerRound ?? 50) && position < head.size && !this.stopped; n++) {
      const end = Math.min(position + chunk, head.size);
      const entries: Entry[] = [];
      while (position + entries.length < end) {
        const page = await source.entries(position + entries.length, end - position - entries.length);
        if (page.length === 0) throw new Error(`the peer sent no entries from ${position + entries.length}`);
        entries.push(...page.slice(0, end - position - entries.length));
      }
      const next = new Frontier(frontier.size, frontier.hashes());
      for (const [i, entry] of entries.entries()) {
        if (entry.seq !== position + i)
          return this.fail(peer, `it sent entry ${entry.seq} where ${position + i} was expected`);
        next.append(entryLeafHash(entry));
      }
      const matches =
        end === head.size
          ? Buffer.compare(next.root(), head.rootHash) === 0
          : verifyConsistency(
              end,
              head.size,
              next.root(),
              head.rootHash,
              await source.consistency(end, head.size),
            );
      if (!matches)
        return this.fail(
          peer,
          `its entries ${position} to ${end - 1} do not give its signed root for size ${head.size}: an entry was altered or forged (nothing of them applied)`,
        );
      try {
        added += await this.apply(peer, position, entries, next, head);
      } catch (error) {
        if (error instanceof Superseded) return { position, added, stopped: false };
        if (error instanceof LedgerValidationError)
          return this.fail(
            peer,
            `its entries ${position} to ${end - 1} map to entries we refuse: ${error.message}`,
          );
        throw error;
      }
      position = end;
      frontier = next;
      this.options.onApplied?.(peer.id, position, added);
    }
    this.sizes.set(peer.id, position);
    if (this.noted.get(peer.id) !== null) {
      this.noted.set(peer.id, null);
      await this.directory.note(peer.id, null, true);
    }
    return { position, added, stopped: false };
  }

  /**
   * Follows a peer through its feed for us: only the entries it shares, each proven by an inclusion
   * proof against its signed head (which must be consistent with the last one verified).
   */
  private async feedRound(peer: PeerRecord, source: PeerSource): Promise<RoundResult> {
    if (!source.feed) throw new Error(`peer ${peer.id} is followed via its feed, which this source has not`);
    let position = peer.position;
    let last = peer.verifiedHead;
    let added = 0;
    for (let n = 0; n < (this.options.chunksPerRound ?? 50) && !this.stopped; n++) {
      const page = await source.feed(position);
      const head = page.head;
      const wrong = await headProblem(peer, last, head, source);
      if (wrong) return this.fail(peer, wrong);
      if (n === 0) await this.contact(peer);
      if (!Number.isSafeInteger(page.next) || page.next < position || page.next > head.size)
        return this.fail(peer, `its feed went to ${page.next}, outside ${position} to ${head.size}`);
      let previous = position - 1;
      for (const { entry, proof } of page.items) {
        if (!(entry.seq > previous && entry.seq < page.next))
          return this.fail(
            peer,
            `its feed sent entry ${entry.seq} out of order or out of ${position} to ${page.next - 1}`,
          );
        if (!verifyInclusion(entryLeafHash(entry), entry.seq, head.size, proof, head.rootHash))
          return this.fail(
            peer,
            `its entry ${entry.seq} is not in its signed tree of size ${head.size}: an entry was altered or forged (nothing of this page applied)`,
          );
        previous = entry.seq;
      }
      if (page.next === position && last?.size === head.size) break;
      try {
        added += await this.apply(
          peer,
          position,
          page.items.map((i) => i.entry),
          { size: page.next, hashes: () => [] },
          head,
        );
      } catch (error) {
        if (error instanceof Superseded) return { position, added, stopped: false };
        if (error instanceof LedgerValidationError)
          return this.fail(peer, `its feed up to ${page.next} maps to entries we refuse: ${error.message}`);
        throw error;
      }
      position = page.next;
      last = head;
      this.options.onApplied?.(peer.id, position, added);
      if (position === head.size) break;
    }
    this.sizes.set(peer.id, position);
    if (this.noted.get(peer.id) !== null) {
      this.noted.set(peer.id, null);
      await this.directory.note(peer.id, null, true);
    }
    return { position, added, stopped: false };
  }

  /** Last contact, written at most every 5 s (every round would be four writes a second). */
  private async contact(peer: PeerRecord): Promise<void> {
    const now = Date.now();
    if (now - (this.lastContactWrite.get(peer.id) ?? 0) < 5_000) return;
    this.lastContactWrite.set(peer.id, now);
    await this.directory.note(peer.id, this.noted.get(peer.id) ?? null, true);
  }

  private async fail(peer: PeerRecord, problem: string): Promise<RoundResult> {
    const text = `peer ${peer.id} stopped: ${problem}`;
    await this.directory.stop(peer.id, text);
    this.noted.delete(peer.id);
    this.options.onProblem?.(peer.id, text, true);
    return { position: peer.position, added: 0, stopped: true };
  }

  /**
   * Maps and applies one verified chunk: our entries, the origin slots and the peer's position in one
   * transaction, under the peer row's lock and only if the position is still the one we read from.
   */
  private async apply(
    peer: PeerRecord,
    from: number,
    entries: readonly Entry[],
    frontier: { readonly size: number; hashes(): Hash[] },
    head: TreeHead,
  ): Promise<number> {
    const context: MappingContext = {
      peerId: peer.id,
      policy: peer.policy,
      peerKeyId: peer.keyId,
      ourKeyIds: new Set((await this.ledger.publicKeys()).keys()),
      now: new Date(),
    };
    const devices = [
      ...new Set(entries.flatMap((e) => (e.target.kind === 'device' ? [e.target.deviceKey] : []))),
    ];
    const state = await loadOrigins(this.ledger.db, peer.id, devices);
    const drafts = entries.flatMap((entry) => mapEntry(context, entry, state));
    const write = async (tx: Executor) => {
      const [row] = await query(tx, sql`select position, state from peer where id = ${peer.id} for update`);
      if (row?.state !== 'active' || Number(row.position) !== from) throw new Superseded();
      await saveOrigins(tx, peer.id, devices, state);
      await tx.execute(sql`
        update peer set position = ${frontier.size},
          frontier = ${JSON.stringify(frontier.hashes().map((h) => h.toString('hex')))}::jsonb,
          head_size = ${head.size}, head_root = decode(${head.rootHash.toString('hex')}, 'hex'),
          head_timestamp_ms = ${head.timestampMs}, head_signature = decode(${head.signature.toString('hex')}, 'hex'),
          last_contact = now(), problem = null, problem_at = null
        where id = ${peer.id}`);
    };
    if (drafts.length === 0) {
      await this.ledger.db.transaction(write);
      return 0;
    }
    this.ledger.validate(drafts);
    const { result } = await this.ledger.transaction(async (session) => {
      await write(session.executor);
      return session.add(drafts);
    });
    return result.replayed.filter((r) => !r).length;
  }
}

async function loadOrigins(db: Executor, peerId: string, devices: readonly string[]): Promise<OriginState> {
  const state: OriginState = new Map();
  if (devices.length === 0) return state;
  const rows = await query(
    db,
    sql`select * from peer_origin where peer_id = ${peerId} and device_key = any(${sql.param(devices)}::text[])`,
  );
  for (const row of rows) {
    const key = String(row.device_key);
    const slots = state.get(key) ?? [];
    slots.push({
      originStatus: row.origin_status as OriginSlot['originStatus'],
      originReason: String(row.origin_reason),
      status: row.status as OriginSlot['status'],
      reason: String(row.reason),
      originSeq: Number(row.origin_seq),
    });
    state.set(key, slots);
  }
  return state;
}

async function saveOrigins(
  tx: Executor,
  peerId: string,
  devices: readonly string[],
  state: OriginState,
): Promise<void> {
  if (devices.length === 0) return;
  await tx.execute(
    sql`delete from peer_origin where peer_id = ${peerId} and device_key = any(${sql.param(devices)}::text[])`,
  );
  const slots = devices.flatMap((device) => (state.get(device) ?? []).map((slot) => ({ device, ...slot })));
  if (slots.length === 0) return;
  const column = <T>(f: (s: (typeof slots)[number]) => T) => sql.param(slots.map(f));
  await tx.execute(sql`
    insert into peer_origin (peer_id, device_key, origin_status, origin_reason, status, reason, origin_seq)
    select ${peerId}, d, os, orr, s, r, q
    from unnest(${column((s) => s.device)}::text[], ${column((s) => s.originStatus)}::text[],
                ${column((s) => s.originReason)}::text[], ${column((s) => s.status)}::text[],
                ${column((s) => s.reason)}::text[], ${column((s) => s.originSeq)}::bigint[]) as x(d, os, orr, s, r, q)`);
}

/** Why a peer's head cannot be believed (bad signature, not consistent with the last verified), or null. */
async function headProblem(
  peer: PeerRecord,
  last: TreeHead | null,
  head: TreeHead,
  source: PeerSource,
): Promise<string | null> {
  if (!verifyHead(head, peer.publicKeyPem))
    return `its head of size ${head.size} is not signed by the configured key ${peer.keyId}`;
  if (!last) return null;
  if (head.size < last.size)
    return `its signed tree shrank from ${last.size} to ${head.size} entries: history was rewritten`;
  const proof = head.size === last.size ? [] : await source.consistency(last.size, head.size);
  if (!verifyConsistency(last.size, head.size, last.rootHash, head.rootHash, proof))
    return `its signed head of size ${head.size} (root ${head.rootHash.toString('hex')}) is not consistent with the head of size ${last.size} verified before (root ${last.rootHash.toString('hex')}): history was rewritten`;
  return null;
}
