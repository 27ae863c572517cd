/** Privacy keys: the id of every key that has sealed values here (src/privacy/seal.ts), never the key. */
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const privacyKey = pgTable('privacy_key', {
  /** The key id written in every value it sealed. */
  keyId: text('key_id').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
