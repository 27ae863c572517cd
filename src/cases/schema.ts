/**
 * The cases part's tables: theft and loss reports (`case_report`, one per device, with every IMEI of
 * it in `case_device`), the history of each case (`case_event`), one-time codes, police alerts raised
 * by sightings, appeals and their outcomes, and the durable outbox of messages to people.
 *
 * Device status never lives here: blocking and unblocking are ledger entries whose `reference` is the
 * case reference. Personal data (reporter name, phone, e-mail, SIM numbers in alerts) lives only here,
 * never in the ledger.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const int8 = (name: string) => bigint(name, { mode: 'number' });

export const caseReport = pgTable(
  'case_report',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** What people quote: short, unambiguous letters and digits (e.g. `C-7KQ4-9XZ2`). */
    reference: text('reference').notNull().unique(),
    /** lost or stolen. */
    kind: text('kind').notNull(),
    /** submitted, verified, blocked, tracked, recovered, closed, withdrawn, rejected. */
    state: text('state').notNull(),
    /** What verification leads to: block (the device stops working) or track (recovery mode). */
    mode: text('mode').notNull(),
    brand: text('brand'),
    model: text('model'),
    lastMsisdn: text('last_msisdn'),
    incidentAt: time('incident_at'),
    incidentPlace: text('incident_place'),
    /** Region code; the police unit covering it owns the case's alerts. */
    region: text('region'),
    policeReportNumber: text('police_report_number'),
    /** Organisation id of the police unit that owns the case. */
    policeUnit: text('police_unit'),
    reporterName: text('reporter_name'),
    reporterPhone: text('reporter_phone'),
    reporterEmail: text('reporter_email'),
    /** The reporter's language for messages. */
    language: text('language').notNull().default('en'),
    /** Whether the owner wants a message when the device is seen on a network. */
    notifyOwner: boolean('notify_owner').notNull().default(false),
    /** portal, sms, police, operator or bulk. */
    channel: text('channel').notNull(),
    /** The ledger source the case blocks and unblocks under: owner, police or operator:<id>. */
    source: text('source').notNull(),
    /** Who entered it (staff user, `public`, `sms:<number>`) and for which organisation. */
    enteredBy: text('entered_by').notNull(),
    organisation: text('organisation'),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (t) => [index('case_report_state').on(t.state, t.updatedAt), index('case_report_unit').on(t.policeUnit)],
);

export const caseDevice = pgTable(
  'case_device',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => caseReport.id),
    deviceKey: text('device_key').notNull(),
    /** The IMEI as reported (15 digits when the check digit is known). */
    imei: text('imei').notNull(),
    /** True while the case is open: one open case per device key. */
    open: boolean('open').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.deviceKey] }),
    uniqueIndex('case_device_open').on(t.deviceKey).where(sql`${t.open}`),
    index('case_device_key').on(t.deviceKey),
  ],
);

/** Every transition and every act on a case: who, why, and the ledger entries it wrote. */
export const caseEvent = pgTable(
  'case_event',
  {
    id: int8('id').primaryKey().generatedAlwaysAsIdentity(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => caseReport.id),
    at: time('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    note: text('note'),
    ledgerSeqs: int8('ledger_seqs').array().notNull().default(sql`'{}'::bigint[]`),
  },
  (t) => [index('case_event_case').on(t.caseId, t.id)],
);

/** The one-time code of a case (hashed); a new code replaces the old one. */
export const verificationCode = pgTable('verification_code', {
  caseId: uuid('case_id')
    .primaryKey()
    .references(() => caseReport.id),
  codeHash: text('code_hash').notNull(),
  phone: text('phone').notNull(),
  expiresAt: time('expires_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  createdAt: time('created_at').notNull().defaultNow(),
});

/** A device of an open case seen on a network, for the police unit that owns the case. */
export const alert = pgTable(
  'alert',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    caseId: uuid('case_id')
      .notNull()
      .references(() => caseReport.id),
    deviceKey: text('device_key').notNull(),
    policeUnit: text('police_unit'),
    /** new, acknowledged, following-up, closed. */
    state: text('state').notNull().default('new'),
    /** The SIM it was seen with: one open alert per case and SIM; more sightings raise its count. */
    simKey: text('sim_key').notNull(),
    imsi: text('imsi'),
    msisdn: text('msisdn'),
    network: text('network'),
    location: text('location'),
    protocol: text('protocol'),
    firstSeenAt: time('first_seen_at').notNull(),
    lastSeenAt: time('last_seen_at').notNull(),
    sightings: integer('sightings').notNull().default(1),
    lastSightingId: text('last_sighting_id').notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
    handledBy: text('handled_by'),
    note: text('note'),
  },
  (t) => [
    uniqueIndex('alert_open_sim').on(t.caseId, t.simKey).where(sql`${t.state} <> 'closed'`),
    index('alert_unit_state').on(t.policeUnit, t.state, t.lastSeenAt),
  ],
);

/** How far the alert raiser has read the sightings (their `seq`). */
export const casesCursor = pgTable('cases_cursor', {
  name: text('name').primaryKey(),
  position: int8('position').notNull(),
});

export const appeal = pgTable(
  'appeal',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    reference: text('reference').notNull().unique(),
    deviceKey: text('device_key').notNull(),
    imei: text('imei').notNull(),
    /** The case that blocked it, when one did. */
    caseId: uuid('case_id').references(() => caseReport.id),
    /** good-faith-buyer, false-duplicate, recovered, other. */
    ground: text('ground').notNull(),
    statement: text('statement').notNull(),
    appellantName: text('appellant_name'),
    appellantPhone: text('appellant_phone'),
    appellantEmail: text('appellant_email'),
    language: text('language').notNull().default('en'),
    channel: text('channel').notNull(),
    /** open, escalated, upheld (the block stays), overturned (lifted), withdrawn. */
    state: text('state').notNull(),
    deadline: time('deadline').notNull(),
    /** Whether the block is suspended to tracked while the appeal waits (overdue policy). */
    suspended: boolean('suspended').notNull().default(false),
    decidedBy: text('decided_by'),
    decidedAt: time('decided_at'),
    decisionNote: text('decision_note'),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (t) => [index('appeal_state_deadline').on(t.state, t.deadline), index('appeal_device').on(t.deviceKey)],
);

/**
 * What an appeal is about: each active reason of the device when it was filed (status, reason code,
 * source — `rule:<condition>` names the detection rule), and, once decided, the outcome for each.
 */
export const appealReason = pgTable(
  'appeal_reason',
  {
    appealId: uuid('appeal_id')
      .notNull()
      .references(() => appeal.id),
    status: text('status').notNull(),
    reason: text('reason').notNull(),
    source: text('source').notNull(),
    /** null while open; upheld or overturned. */
    outcome: text('outcome'),
  },
  (t) => [primaryKey({ columns: [t.appealId, t.status, t.reason, t.source] })],
);

/** Messages to people, written in the same transaction as what caused them; a channel sends them. */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    channel: text('channel').notNull().default('sms'),
    to: text('to').notNull(),
    text: text('text').notNull(),
    /** verification, blocked, seen, appeal-decided, recovered, … */
    kind: text('kind').notNull(),
    caseId: uuid('case_id'),
    /** queued, sent, failed (gave up). */
    state: text('state').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: time('next_attempt_at').notNull().defaultNow(),
    providerId: text('provider_id'),
    lastError: text('last_error'),
    createdAt: time('created_at').notNull().defaultNow(),
    sentAt: time('sent_at'),
  },
  (t) => [index('outbox_due').on(t.state, t.nextAttemptAt)],
);
