/**
 * The ledger's tables. `ledger_entry`, `ledger_node` and `ledger_head` are append-only (triggers in
 * the migration refuse UPDATE, DELETE and TRUNCATE); `device_reason`, `pairing` and `rule` are the
 * current lists, a projection written in the same transaction as each entry.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  index,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
const int8 = (name: string) => bigint(name, { mode: 'number' });

export const ledgerEntry = pgTable(
  'ledger_entry',
  {
    /** Gapless, from 0: the entry's leaf index in the Merkle tree. */
    seq: int8('seq').primaryKey(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull(),
    actor: text('actor').notNull(),
    source: text('source').notNull(),
    action: text('action').notNull(),
    target: jsonb('target').notNull(),
    /** Copied out of the target for device and pair entries, so a device's history is one index scan. */
    deviceKey: text('device_key'),
    status: text('status'),
    reasons: text('reasons').array().notNull().default(sql`'{}'::text[]`),
    note: text('note'),
    reference: text('reference'),
    list: text('list'),
    attributes: jsonb('attributes'),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    idempotencyKey: text('idempotency_key').unique(),
    /** SHA-256(0x00 ‖ canonical bytes): kept to build the tree; `ledger verify` recomputes it. */
    leafHash: bytea('leaf_hash').notNull(),
  },
  (t) => [
    index('ledger_entry_device_key').on(t.deviceKey, t.seq),
    index('ledger_entry_reference').on(t.reference),
  ],
);

/** Hashes of completed perfect subtrees of level ≥ 1 (level 0 is `ledger_entry.leaf_hash`). */
export const ledgerNode = pgTable(
  'ledger_node',
  {
    level: smallint('level').notNull(),
    idx: int8('idx').notNull(),
    hash: bytea('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.idx] })],
);

/** One row: the tree's size and right edge, locked by every append (that lock makes seq gapless). */
export const ledgerState = pgTable('ledger_state', {
  id: smallint('id').primaryKey().default(1),
  size: int8('size').notNull().default(0),
  /** Hex hashes of the frontier's perfect subtrees, largest first. */
  frontier: jsonb('frontier').notNull().default(sql`'[]'::jsonb`),
  /** Time of the last entry: entry times never go backwards, whatever the clocks of the writers. */
  lastTimeMs: int8('last_time_ms').notNull().default(0),
});

/** Signed tree heads, one per append transaction (RFC 6962 §3.5 TreeHeadSignature, Ed25519). */
export const ledgerHead = pgTable(
  'ledger_head',
  {
    id: int8('id').primaryKey().generatedAlwaysAsIdentity(),
    size: int8('size').notNull(),
    rootHash: bytea('root_hash').notNull(),
    timestampMs: int8('timestamp_ms').notNull(),
    keyId: text('key_id').notNull(),
    signature: bytea('signature').notNull(),
  },
  (t) => [index('ledger_head_size').on(t.size)],
);

/** Every public key that ever signed a head, so old heads stay verifiable after a key change. */
export const ledgerKey = pgTable('ledger_key', {
  keyId: text('key_id').primaryKey(),
  publicKeyPem: text('public_key_pem').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const deviceReason = pgTable(
  'device_reason',
  {
    deviceKey: text('device_key').notNull(),
    status: text('status').notNull(),
    reason: text('reason').notNull(),
    source: text('source').notNull(),
    since: timestamp('since', { withTimezone: true, precision: 3 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    seq: int8('seq').notNull(),
    reference: text('reference'),
    list: text('list'),
    attributes: jsonb('attributes'),
  },
  (t) => [
    // One active reason per (status, reason, source, list): a case and a list import keep separate reasons.
    uniqueIndex('device_reason_slot').on(
      t.deviceKey,
      t.status,
      t.reason,
      t.source,
      sql`coalesce(${t.list}, '')`,
    ),
    index('device_reason_list').on(t.list, t.status),
  ],
);

export const pairing = pgTable(
  'pairing',
  {
    deviceKey: text('device_key').notNull(),
    imsi: text('imsi').notNull(),
    msisdn: text('msisdn'),
    source: text('source').notNull(),
    since: timestamp('since', { withTimezone: true, precision: 3 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    seq: int8('seq').notNull(),
    list: text('list'),
  },
  (t) => [primaryKey({ columns: [t.deviceKey, t.imsi] }), index('pairing_imsi').on(t.imsi)],
);

export const rule = pgTable(
  'rule',
  {
    ruleKey: text('rule_key').primaryKey(),
    kind: text('kind').notNull(),
    target: jsonb('target').notNull(),
    status: text('status').notNull(),
    reasons: text('reasons').array().notNull(),
    source: text('source').notNull(),
    since: timestamp('since', { withTimezone: true, precision: 3 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    seq: int8('seq').notNull(),
    reference: text('reference'),
    list: text('list'),
    note: text('note'),
    /** Match columns, by kind: TAC; device-key or IMSI bounds; IMSI prefix; golden hash. */
    tac: text('tac'),
    lowKey: text('low_key'),
    highKey: text('high_key'),
    prefix: text('prefix'),
    goldenHash: text('golden_hash'),
  },
  (t) => [index('rule_tac').on(t.tac), index('rule_golden').on(t.goldenHash), index('rule_kind').on(t.kind)],
);

export const LEDGER_TABLES = {
  ledgerEntry,
  ledgerNode,
  ledgerState,
  ledgerHead,
  ledgerKey,
  deviceReason,
  pairing,
  rule,
};
