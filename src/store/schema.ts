/**
 * The store's own table: one row that names this installation. Every other table belongs to the
 * part that uses it (`src/<part>/schema.ts`); drizzle-kit reads them all into one migration folder.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const installation = pgTable(
  'installation',
  {
    /** Stable identity of this database. */
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** Always true and unique: the table can hold one row, whoever inserts first. */
    singleton: boolean('singleton').notNull().default(true).unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Version of OpenCEIR that created the database. */
    createdBy: text('created_by').notNull(),
  },
  (table) => [check('installation_singleton', sql`${table.singleton}`)],
);
