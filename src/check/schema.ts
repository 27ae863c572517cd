/** Sightings: checks that met a blocked or tracked device (or every check, when configured). */
import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const sighting = pgTable(
  'sighting',
  {
    /** `<node>-<start ms>-<counter>`: unique across nodes and restarts, so shipping twice stores once. */
    id: text('id').primaryKey(),
    /** Order of arrival at the registry, for readers that follow sightings (police alerts). */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    time: timestamp('time', { withTimezone: true, precision: 3 }).notNull(),
    deviceKey: text('device_key'),
    /** The equipment identity as the network sent it. */
    equipment: text('equipment').notNull(),
    svn: text('svn'),
    imsi: text('imsi'),
    msisdn: text('msisdn'),
    status: text('status').notNull(),
    matched: text('matched').notNull(),
    reasons: text('reasons').array().notNull(),
    /** n5g-eir, s13, rest or bulk. */
    protocol: text('protocol').notNull(),
    node: text('node').notNull(),
    /** Who asked: Diameter Origin-Host, SBI consumer (token subject or address), API client. */
    peer: text('peer'),
    /** The operator network the check came from, when known. */
    network: text('network'),
    location: text('location'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('sighting_device_time').on(t.deviceKey, t.time),
    index('sighting_time').on(t.time),
    index('sighting_seq').on(t.seq),
  ],
);
