/**
 * Pseudonymised matching between two registries (issue "List distribution and cross-border exchange",
 * Deliver 4; docs/exchange-matching.md). Each side keeps, per peer, a shared secret; both turn the
 * device keys of their blocked and tracked lists into keyed tokens (tokens.ts) and one asks the other
 * which of its tokens are listed there. The answering side reveals the clear IMEI, status and reasons of
 * a match only for the reasons its reveal policy for that peer allows.
 */
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../store/index.ts';
import {
  answerFor,
  type ListedReason,
  MAX_TOKENS,
  type MatchAnswer,
  MatchInputError,
  matchToken,
  newSecret,
  parseSecret,
  parseTokens,
} from './tokens.ts';

export const MATCH_LISTS = ['blocked', 'tracked'] as const;
export type MatchList = (typeof MATCH_LISTS)[number];

const PEER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const REASON = /^[a-z0-9][a-z0-9-]{0,39}$/;
const PAGE = 50_000;

export interface MatchKeyInfo {
  readonly peerId: string;
  readonly revealReasons: readonly string[];
  readonly organisationId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface MatchKeyChange {
  readonly peerId: string;
  /** 64 hex digits: set this secret (agreed with the peer). Absent: keep the current one, or make one. */
  readonly secret?: string;
  /** Replace the current secret with a new random one. */
  readonly rotate?: boolean;
  /** Replace the reveal policy with these reason codes (empty: reveal nothing). */
  readonly revealReasons?: readonly string[];
  /** Bind the peer to an organisation's API keys (empty string: unbind). */
  readonly organisationId?: string;
}

export function parsePeerId(value: unknown, field = 'peerId'): string {
  if (typeof value !== 'string' || !PEER_ID.test(value))
    throw new MatchInputError(field, 'must be 1 to 63 letters, digits, dots, dashes or underscores');
  return value;
}

export function parseLists(value: unknown, field = 'lists'): MatchList[] {
  if (value === undefined) return [...MATCH_LISTS];
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0 || !items.every((v) => (MATCH_LISTS as readonly unknown[]).includes(v)))
    throw new MatchInputError(field, `must be one or more of ${MATCH_LISTS.join(', ')}`);
  return [...new Set(items as MatchList[])];
}

function parseReasons(values: readonly string[]): string[] {
  for (const [i, r] of values.entries()) {
    if (!REASON.test(r))
      throw new MatchInputError(`revealReasons[${i}]`, 'must be a reason code such as stolen or lost');
  }
  return [...new Set(values)].sort();
}

const info = (r: Record<string, unknown>): MatchKeyInfo => ({
  peerId: String(r.peer_id),
  revealReasons: (r.reveal_reasons as string[] | null) ?? [],
  organisationId: (r.organisation_id as string | null) ?? null,
  createdAt: new Date(r.created_at as string).toISOString(),
  updatedAt: new Date(r.updated_at as string).toISOString(),
});

/** Creates or changes a peer's match key; returns the secret (hex), which the peer must also hold. */
export async function setMatchKey(
  db: Executor,
  change: MatchKeyChange,
): Promise<MatchKeyInfo & { secret: string; created: boolean }> {
  const peerId = parsePeerId(change.peerId);
  const given = change.secret !== undefined ? parseSecret(change.secret) : null;
  if (given && change.rotate) throw new MatchInputError('secret', 'give a secret or rotate, not both');
  const reveal = change.revealReasons ? parseReasons(change.revealReasons) : null;
  const [existing] = await query(db, sql`select secret from exchange_match_key where peer_id = ${peerId}`);
  const secret = given ?? (change.rotate || !existing ? newSecret() : Buffer.from(existing.secret as Buffer));
  const organisation = change.organisationId === undefined ? undefined : change.organisationId || null;
  const [row] = await query(
    db,
    sql`insert into exchange_match_key (peer_id, secret, reveal_reasons, organisation_id)
        values (${peerId}, ${secret}, ${sql.param(reveal ?? [])}::text[], ${organisation ?? null})
        on conflict (peer_id) do update set
          secret = excluded.secret,
          reveal_reasons = ${reveal ? sql`excluded.reveal_reasons` : sql`exchange_match_key.reveal_reasons`},
          organisation_id = ${organisation === undefined ? sql`exchange_match_key.organisation_id` : sql`excluded.organisation_id`},
          updated_at = now()
        returning peer_id, reveal_reasons, organisation_id, created_at, updated_at`,
  );
  return { ...info(row!), secret: secret.toString('hex'), created: !existing };
}

export async function matchKeys(db: Executor): Promise<MatchKeyInfo[]> {
  const rows = await query(
    db,
    sql`select peer_id, reveal_reasons, organisation_id, created_at, updated_at from exchange_match_key order by peer_id`,
  );
  return rows.map(info);
}

export async function removeMatchKey(db: Executor, peerId: string): Promise<boolean> {
  const rows = await query(
    db,
    sql`delete from exchange_match_key where peer_id = ${parsePeerId(peerId)} returning peer_id`,
  );
  return rows.length > 0;
}

interface PeerKey {
  readonly secret: Buffer;
  readonly reveal: ReadonlySet<string>;
  readonly organisationId: string | null;
}

async function peerKey(db: Executor, peerId: string): Promise<PeerKey | null> {
  const [row] = await query(
    db,
    sql`select secret, reveal_reasons, organisation_id from exchange_match_key where peer_id = ${peerId}`,
  );
  if (!row) return null;
  return {
    secret: Buffer.from(row.secret as Buffer),
    reveal: new Set((row.reveal_reasons as string[] | null) ?? []),
    organisationId: (row.organisation_id as string | null) ?? null,
  };
}

/** Every device key on the given lists now (in force: not expired), in key order, a page at a time. */
async function listedKeys(db: Executor, lists: readonly MatchList[]): Promise<string[]> {
  const keys: string[] = [];
  let after = '';
  for (;;) {
    const rows = await query(
      db,
      sql`select distinct device_key from device_reason
          where status = any(${sql.param([...lists])}::text[]) and (expires_at is null or expires_at > now())
            and device_key > ${after}
          order by device_key limit ${PAGE}`,
    );
    for (const r of rows) keys.push(String(r.device_key));
    if (rows.length < PAGE) return keys;
    after = keys[keys.length - 1]!;
  }
}

async function listedReasons(
  db: Executor,
  keys: readonly string[],
  lists: readonly MatchList[],
): Promise<Map<string, ListedReason[]>> {
  const out = new Map<string, ListedReason[]>();
  if (keys.length === 0) return out;
  const rows = await query(
    db,
    sql`select device_key, status, reason from device_reason
        where device_key = any(${sql.param([...keys])}::text[]) and status = any(${sql.param([...lists])}::text[])
          and (expires_at is null or expires_at > now())`,
  );
  for (const r of rows) {
    const key = String(r.device_key);
    const list = out.get(key) ?? [];
    list.push({ status: r.status as MatchList, reason: String(r.reason) });
    out.set(key, list);
  }
  return out;
}

/** Lists up to this many devices keep their token table in memory between requests. */
const CACHE_MAX_KEYS = 2_000_000;
/** Token tables kept, one per (peer, secret, lists), the most recently used last. */
const CACHE_TABLES = 4;
const tokenTables = new Map<string, { size: number; byToken: Map<string, string> }>();

/**
 * Our listed device keys by their token for a peer. One HMAC per listed device, so a peer's batches at
 * the same ledger position reuse the table: it is rebuilt only when the ledger has grown.
 */
async function tokensOfLists(
  db: Executor,
  peer: string,
  secret: Buffer,
  lists: readonly MatchList[],
): Promise<Map<string, string>> {
  const [state] = await query(db, sql`select size from ledger_state where id = 1`);
  const size = Number(state?.size ?? 0);
  const cacheKey = `${peer}|${secret.toString('hex')}|${lists.join(',')}`;
  const cached = tokenTables.get(cacheKey);
  tokenTables.delete(cacheKey);
  if (cached && cached.size === size) {
    tokenTables.set(cacheKey, cached);
    return cached.byToken;
  }
  const byToken = new Map<string, string>();
  for (const deviceKey of await listedKeys(db, lists)) byToken.set(matchToken(secret, deviceKey), deviceKey);
  if (byToken.size <= CACHE_MAX_KEYS) {
    tokenTables.set(cacheKey, { size, byToken });
    while (tokenTables.size > CACHE_TABLES) tokenTables.delete(tokenTables.keys().next().value!);
  }
  return byToken;
}

/** Thrown when the caller may not match as the peer it names (403). */
export class MatchAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchAccessError';
  }
}

export interface MatchRequest {
  readonly peer: unknown;
  readonly tokens: unknown;
  readonly lists?: unknown;
}

export interface MatchResult {
  readonly peer: string;
  readonly lists: MatchList[];
  readonly checked: number;
  readonly matches: MatchAnswer[];
}

/**
 * Answers a peer's match request: which of its tokens are tokens of our listed device keys under the
 * secret we share with it. Unknown peers get 403 (no secret, nothing to compare); a caller bound to
 * another organisation too.
 */
export async function answerMatch(
  db: Executor,
  request: MatchRequest,
  caller: { organisationId: string | null },
): Promise<MatchResult> {
  const peer = parsePeerId(request.peer, 'peer');
  const tokens = parseTokens(request.tokens);
  const lists = parseLists(request.lists);
  const key = await peerKey(db, peer);
  if (!key) throw new MatchAccessError(`no match key is agreed with peer ${peer}`);
  if (key.organisationId !== null && key.organisationId !== caller.organisationId)
    throw new MatchAccessError(
      `peer ${peer} matches only with an API key of organisation ${key.organisationId}`,
    );
  const byToken = await tokensOfLists(db, peer, key.secret, lists);
  const found = new Map<string, string>();
  for (const token of tokens) {
    const deviceKey = byToken.get(token);
    if (deviceKey !== undefined) found.set(token, deviceKey);
  }
  const reasons = await listedReasons(db, [...found.values()], lists);
  const matches: MatchAnswer[] = [];
  for (const [token, deviceKey] of found) {
    // A table built earlier at the same position may hold a reason that has since expired.
    const listed = reasons.get(deviceKey);
    if (listed) matches.push(answerFor(token, deviceKey, listed, key.reveal));
  }
  matches.sort((a, b) => (a.token < b.token ? -1 : 1));
  return { peer, lists, checked: tokens.length, matches };
}

export interface RunMatchOptions {
  /** Base URL of the peer registry. */
  readonly peerUrl: string;
  /** Our id for the peer: whose secret to use. */
  readonly peerId: string;
  /** The peer's id for us (what it calls this registry); default: peerId (one agreement name on both sides). */
  readonly as?: string;
  readonly lists?: readonly MatchList[];
  /** The API key the peer issued to us. */
  readonly apiKey: string | null;
  readonly timeoutMs?: number;
}

export interface OwnMatch {
  /** Our device key. */
  readonly imei: string;
  readonly token: string;
  /** What the peer revealed (its IMEI equals ours; status and reasons are the peer's). */
  readonly theirStatus: string | null;
  readonly theirReasons: string[];
}

export interface RunMatchResult {
  readonly peer: string;
  readonly sent: number;
  readonly matches: OwnMatch[];
}

/** Computes the tokens of our lists for a peer, asks the peer in batches, and maps matches back to our keys. */
export async function runMatch(db: Executor, options: RunMatchOptions): Promise<RunMatchResult> {
  const peerId = parsePeerId(options.peerId);
  const as = parsePeerId(options.as ?? peerId, 'as');
  const lists = parseLists(options.lists);
  let base: URL;
  try {
    base = new URL(options.peerUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new MatchInputError('peerUrl', 'must be an http:// or https:// URL');
  }
  const key = await peerKey(db, peerId);
  if (!key)
    throw new MatchInputError(
      'peerId',
      `no match key for ${peerId}: run openceir exchange match-key ${peerId}`,
    );
  const byToken = new Map<string, string>();
  for (const deviceKey of await listedKeys(db, lists))
    byToken.set(matchToken(key.secret, deviceKey), deviceKey);
  const tokens = [...byToken.keys()];
  const matches: OwnMatch[] = [];
  const url = new URL('/exchange/v1/match', base).toString();
  for (let i = 0; i < tokens.length; i += MAX_TOKENS) {
    const batch = tokens.slice(i, i + MAX_TOKENS);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({ peer: as, tokens: batch }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
    } catch (error) {
      throw new Error(
        `peer ${options.peerUrl} unreachable: ${(error as Error).cause ?? (error as Error).message}`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as { matches?: MatchAnswer[]; detail?: string };
    if (!response.ok)
      throw new Error(`peer ${options.peerUrl} answered ${response.status}: ${body.detail ?? 'no detail'}`);
    for (const m of body.matches ?? []) {
      const imei = byToken.get(m.token);
      if (!imei) continue; // Not a token we sent: ignore rather than trust.
      matches.push({ imei, token: m.token, theirStatus: m.status ?? null, theirReasons: m.reasons ?? [] });
    }
  }
  matches.sort((a, b) => (a.imei < b.imei ? -1 : 1));
  return { peer: peerId, sent: tokens.length, matches };
}
