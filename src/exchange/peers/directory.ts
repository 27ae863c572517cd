/**
 * The configured peers: add, list, show, remove, pause and resume (after a person has looked at the
 * problem), and the follower's writes of its state. Input is checked here once, with errors that name
 * the field and the rule; the CLI and the HTTP routes are thin adapters over these operations.
 */
import { createPublicKey } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { keyIdOf, type TreeHead } from '../../ledger/signing.ts';
import { type Executor, query } from '../../store/index.ts';
import { DEFAULT_POLICY, PolicyError, parsePolicy, type TrustPolicy } from './policy.ts';

export const PEER_STATES = ['active', 'paused', 'stopped'] as const;
export type PeerState = (typeof PEER_STATES)[number];

/**
 * How we read a peer: the feed it keeps for us (only what it shares, with its feed key for us), or its
 * whole ledger API, when it deliberately issued us a follower key (a national registry and its own
 * regional instance). A peer key reads no ledger entries (web/permissions.ts).
 */
export const PEER_VIAS = ['ledger', 'feed'] as const;
export type PeerVia = (typeof PEER_VIAS)[number];
export const DEFAULT_PEER_VIA: PeerVia = 'feed';

/** A peer as people see it (no API key). */
export interface PeerView {
  readonly id: string;
  readonly url: string;
  readonly keyId: string;
  readonly via: PeerVia;
  /** Whether we issued it a key to read our feed. */
  readonly feedKey: boolean;
  readonly state: PeerState;
  readonly problem: string | null;
  readonly problemAt: string | null;
  readonly position: number;
  readonly head: { readonly size: number; readonly rootHash: string; readonly timestamp: string } | null;
  readonly lastContact: string | null;
  readonly policy: TrustPolicy;
  readonly createdAt: string;
}

/** What the follower needs besides the view. */
export interface PeerRecord extends PeerView {
  readonly publicKeyPem: string;
  readonly apiKey: string | null;
  readonly frontier: readonly string[];
  /** The last verified signed head, whole. */
  readonly verifiedHead: TreeHead | null;
}

export interface PeerInput {
  readonly id: string;
  readonly url: string;
  readonly publicKeyPem: string;
  readonly apiKey?: string | null;
  readonly policy?: unknown;
  readonly via?: PeerVia;
}

export class PeerInputError extends Error {
  constructor(readonly problems: readonly { field: string; message: string }[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'PeerInputError';
  }
}

export class PeerNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`no peer ${id}`);
    this.name = 'PeerNotFoundError';
  }
}

export const PEER_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const iso = (value: unknown) => (value == null ? null : new Date(value as string).toISOString());

function rowToRecord(row: Record<string, unknown>): PeerRecord {
  const headSize = row.head_size == null ? null : Number(row.head_size);
  const verifiedHead: TreeHead | null =
    headSize === null
      ? null
      : {
          size: headSize,
          rootHash: Buffer.from(row.head_root as Uint8Array),
          timestampMs: Number(row.head_timestamp_ms),
          keyId: String(row.key_id),
          signature: Buffer.from(row.head_signature as Uint8Array),
        };
  return {
    id: String(row.id),
    url: String(row.url),
    keyId: String(row.key_id),
    via: row.via as PeerVia,
    feedKey: row.feed_key_hash != null,
    state: row.state as PeerState,
    problem: (row.problem as string | null) ?? null,
    problemAt: iso(row.problem_at),
    position: Number(row.position),
    head: verifiedHead && {
      size: verifiedHead.size,
      rootHash: verifiedHead.rootHash.toString('hex'),
      timestamp: new Date(verifiedHead.timestampMs).toISOString(),
    },
    lastContact: iso(row.last_contact),
    policy: parsePolicy(row.policy),
    createdAt: iso(row.created_at)!,
    publicKeyPem: String(row.public_key_pem),
    apiKey: (row.api_key as string | null) ?? null,
    frontier: row.frontier as string[],
    verifiedHead,
  };
}

/** The view of a record: what may be shown and printed. */
export function viewOf(record: PeerRecord): PeerView {
  const { publicKeyPem: _p, apiKey: _a, frontier: _f, verifiedHead: _h, ...view } = record;
  return view;
}

/** Checks a new peer's fields; returns its key id and policy. */
export function checkPeerInput(input: PeerInput): { keyId: string; policy: TrustPolicy } {
  const problems: { field: string; message: string }[] = [];
  if (typeof input.id !== 'string' || !PEER_ID_PATTERN.test(input.id))
    problems.push({
      field: 'id',
      message: 'must be 1 to 64 of a-z 0-9 . _ - (starting with a letter or digit)',
    });
  let url: URL | null = null;
  try {
    url = new URL(input.url);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash)
    problems.push({
      field: 'url',
      message: 'must be an http or https base URL without query, e.g. https://ceir.example',
    });
  let keyId = '';
  try {
    const key = createPublicKey(input.publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519')
      problems.push({ field: 'publicKey', message: 'must be an Ed25519 key' });
    else keyId = keyIdOf(key);
  } catch {
    problems.push({
      field: 'publicKey',
      message: 'must be a PEM public key (the peer’s GET /ledger/v1/public-key)',
    });
  }
  if (
    input.apiKey != null &&
    (typeof input.apiKey !== 'string' || input.apiKey.length === 0 || input.apiKey.length > 500)
  )
    problems.push({ field: 'apiKey', message: 'must be 1 to 500 characters' });
  if (input.via !== undefined && !(PEER_VIAS as readonly string[]).includes(input.via))
    problems.push({
      field: 'via',
      message:
        'must be feed (its feed for us, the default) or ledger (its whole ledger API, with a follower key)',
    });
  let policy: TrustPolicy = DEFAULT_POLICY;
  if (input.policy !== undefined && input.policy !== null) {
    try {
      policy = parsePolicy(input.policy);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      problems.push(...error.problems.map((p) => ({ field: `policy.${p.field}`, message: p.message })));
    }
  }
  if (problems.length > 0) throw new PeerInputError(problems);
  return { keyId, policy };
}

export class PeerDirectory {
  constructor(private readonly db: Executor) {}

  async add(input: PeerInput): Promise<PeerView> {
    const { keyId, policy } = checkPeerInput(input);
    const rows = await query(
      this.db,
      sql`insert into peer (id, url, public_key_pem, key_id, api_key, via, policy)
          values (${input.id}, ${input.url.replace(/\/+$/, '')}, ${input.publicKeyPem}, ${keyId}, ${input.apiKey ?? null}, ${input.via ?? DEFAULT_PEER_VIA},
                  ${JSON.stringify(policy)}::jsonb)
          on conflict (id) do nothing returning *`,
    );
    if (rows.length === 0)
      throw new PeerInputError([
        { field: 'id', message: `peer ${input.id} exists already; remove it first` },
      ]);
    return viewOf(rowToRecord(rows[0]!));
  }

  async list(): Promise<PeerRecord[]> {
    return (await query(this.db, sql`select * from peer order by id`)).map(rowToRecord);
  }

  async get(id: string): Promise<PeerRecord> {
    const [row] = await query(this.db, sql`select * from peer where id = ${id}`);
    if (!row) throw new PeerNotFoundError(id);
    return rowToRecord(row);
  }

  /** Forgets the peer and which of its statuses stand behind ours; entries already applied stay. */
  async remove(id: string): Promise<void> {
    const rows = await query(this.db, sql`delete from peer where id = ${id} returning id`);
    if (rows.length === 0) throw new PeerNotFoundError(id);
    await this.db.execute(sql`delete from peer_origin where peer_id = ${id}`);
  }

  async pause(id: string): Promise<PeerView> {
    return this.setState(id, 'paused', null);
  }

  /** Follows again from the position held; the problem is cleared (a person decided). */
  async resume(id: string): Promise<PeerView> {
    return this.setState(id, 'active', null);
  }

  /** The follower stops a peer whose log is inconsistent: nothing more of it is applied until resumed. */
  async stop(id: string, problem: string): Promise<void> {
    await this.db.execute(
      sql`update peer set state = 'stopped', problem = ${problem}, problem_at = now() where id = ${id}`,
    );
  }

  /** A passing problem (unreachable, refused): kept for `peer list`, the peer stays active. */
  async note(id: string, problem: string | null, contact: boolean): Promise<void> {
    await this.db.execute(
      sql`update peer set problem = ${problem}, problem_at = case when ${problem}::text is null then null else now() end,
            last_contact = case when ${contact} then now() else last_contact end
          where id = ${id} and state = 'active'`,
    );
  }

  private async setState(id: string, state: PeerState, problem: string | null): Promise<PeerView> {
    const [row] = await query(
      this.db,
      sql`update peer set state = ${state}, problem = ${problem}, problem_at = null where id = ${id} returning *`,
    );
    if (!row) throw new PeerNotFoundError(id);
    return viewOf(rowToRecord(row));
  }
}
