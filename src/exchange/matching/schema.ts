/**
 * Pseudonymised matching's one table: per peer registry, the 32-byte secret both sides agreed for
 * keyed device tokens, which of our reasons may be revealed in clear to that peer, and (optionally)
 * the organisation whose API keys may ask in its name. docs/exchange-matching.md.
 */
import { customType, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const exchangeMatchKey = pgTable('exchange_match_key', {
  peerId: text('peer_id').primaryKey(),
  secret: bytea('secret').notNull(),
  /** Reason codes whose matches this peer may see in clear (IMEI, status, reason); empty: none. */
  revealReasons: text('reveal_reasons').array().notNull().default([]),
  /** When set, only API keys of this organisation may match as this peer. */
  organisationId: text('organisation_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
