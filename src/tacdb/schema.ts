/** The TAC database: one row per Type Allocation Code, and the history of every change to it. */
import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const tacModel = pgTable(
  'tac_model',
  {
    tac: text('tac').primaryKey(),
    brand: text('brand'),
    model: text('model'),
    marketingName: text('marketing_name'),
    manufacturer: text('manufacturer'),
    deviceType: text('device_type'),
    bands: text('bands'),
    /** ISO date (GSMA `Allocation Date`), when known. */
    allocationDate: text('allocation_date'),
    /** Radio generations derived from the bands: 2G, 3G, 4G, 5G (DIRBS rules, plus NR for 5G). */
    radio: text('radio').array().notNull().default(sql`'{}'::text[]`),
    operatingSystem: text('operating_system'),
    /** Where the row came from: gsma or osmocom. A GSMA row is never replaced by an Osmocom one. */
    source: text('source').notNull(),
    /** Every other column of the source file, kept as given. */
    attributes: jsonb('attributes'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    importId: text('import_id').notNull(),
  },
  (t) => [index('tac_model_brand_model').on(t.brand, t.model)],
);

export const tacHistory = pgTable(
  'tac_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tac: text('tac').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    importId: text('import_id').notNull(),
    change: text('change').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('tac_history_tac').on(t.tac, t.id)],
);
