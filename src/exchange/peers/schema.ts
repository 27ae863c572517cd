/**
 * Peer registries (another country's OpenCEIR): who they are (URL, ledger signing key), what we apply
 * of theirs (trust policy), and how far we have followed their ledger. `peer_origin` remembers which
 * of their statuses stand behind each status we hold from them, so that a lift at the origin lifts ours
 * only when nothing of theirs still justifies it. Both move in the ledger transaction that appends
 * the mapped entries (exactly once across crashes).
 */
import { sql } from 'drizzle-orm';
import { bigint, customType, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
const int8 = (name: string) => bigint(name, { mode: 'number' });

export const peer = pgTable('peer', {
  /** The name we give the peer; our entries from it have source `peer:<id>`. */
  id: text('id').primaryKey(),
  /** Base URL of its ledger read API (`<url>/ledger/v1/…`). */
  url: text('url').notNull(),
  /** Its ledger signing key (Ed25519, SPKI PEM), exchanged out of band; heads signed otherwise are refused. */
  publicKeyPem: text('public_key_pem').notNull(),
  keyId: text('key_id').notNull(),
  /** Bearer key the peer issued us to read its ledger, or null when its ledger is open to us. */
  apiKey: text('api_key'),
  /** Trust policy (docs/exchange-peers.md), as validated by policy.ts. */
  policy: jsonb('policy').notNull(),
  /** active: followed; paused: by a person; stopped: it showed an inconsistent head (see problem). */
  state: text('state').notNull().default('active'),
  problem: text('problem'),
  problemAt: timestamp('problem_at', { withTimezone: true, precision: 3 }),
  /** How many of its ledger entries are processed (applied or ignored by the policy). */
  position: int8('position').notNull().default(0),
  /** Hex hashes of its tree's frontier at `position` (merkle.ts Frontier). */
  frontier: jsonb('frontier').notNull().default(sql`'[]'::jsonb`),
  /** The last signed head of its ledger we verified (size ≥ position). */
  headSize: int8('head_size'),
  headRoot: bytea('head_root'),
  headTimestampMs: int8('head_timestamp_ms'),
  headSignature: bytea('head_signature'),
  lastContact: timestamp('last_contact', { withTimezone: true, precision: 3 }),
  /** How we read it: `ledger` (its whole /ledger/v1 API) or `feed` (its /exchange/v1/feed for us). */
  via: text('via').notNull().default('ledger'),
  /** SHA-256 (hex) of the key we issued it to read our feed; null: it has none. */
  feedKeyHash: text('feed_key_hash').unique(),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export const peerOrigin = pgTable(
  'peer_origin',
  {
    peerId: text('peer_id').notNull(),
    deviceKey: text('device_key').notNull(),
    /** Their status and reason … */
    originStatus: text('origin_status').notNull(),
    originReason: text('origin_reason').notNull(),
    /** … and ours that they justify. */
    status: text('status').notNull(),
    reason: text('reason').notNull(),
    originSeq: int8('origin_seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.peerId, t.deviceKey, t.originStatus, t.originReason] })],
);
