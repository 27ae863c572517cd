/**
 * Staff accounts: organisations (police units, operators, the regulator), staff users with their
 * role, console sessions, API keys for operators' systems, and the access log of every staff read of
 * personal data (append-only, queried by the auditor role).
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const int8 = (name: string) => bigint(name, { mode: 'number' });

export const organisation = pgTable('organisation', {
  /** A short code, e.g. `police-capital`, `operator-alpha`. */
  id: text('id').primaryKey(),
  /** police, operator or regulator. */
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  /** Police units: the regions they cover (a case goes to the unit of its region). */
  regions: text('regions').array().notNull().default(sql`'{}'::text[]`),
  /** Operators: the id in ledger sources (`operator:<id>`) and in sightings' network. */
  operatorId: text('operator_id'),
  createdAt: time('created_at').notNull().defaultNow(),
});

export const staffUser = pgTable('staff_user', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  /** police, operator, regulator or auditor. */
  role: text('role').notNull(),
  organisationId: text('organisation_id').references(() => organisation.id),
  /** scrypt, with its parameters and salt (see accounts/passwords.ts). */
  passwordHash: text('password_hash').notNull(),
  /** Base32 TOTP secret (RFC 6238) when two-factor login is on. */
  totpSecret: text('totp_secret'),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: time('created_at').notNull().defaultNow(),
  lastLoginAt: time('last_login_at'),
});

export const staffSession = pgTable(
  'staff_session',
  {
    /** SHA-256 of the session token; the token itself is only in the user's cookie. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUser.id),
    createdAt: time('created_at').notNull().defaultNow(),
    expiresAt: time('expires_at').notNull(),
    lastSeenAt: time('last_seen_at').notNull().defaultNow(),
  },
  (t) => [index('staff_session_user').on(t.userId)],
);

export const apiKey = pgTable(
  'api_key',
  {
    /** The public part of the key (`ok_<id>.<secret>`), shown in lists and logs. */
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisation.id),
    role: text('role').notNull(),
    label: text('label').notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
    revokedAt: time('revoked_at'),
    lastUsedAt: time('last_used_at'),
    /**
     * The SHA-256 fingerprint (`AB:CD:…`, as openssl prints it) of the client certificate the key is
     * bound to (RFC 8705 §3): the certificate alone acts as the key, and the key without it is refused.
     */
    clientCertSha256: text('client_cert_sha256'),
  },
  (table) => [
    // One certificate, one active key: a certificate must name a single principal.
    uniqueIndex('api_key_client_cert_active')
      .on(table.clientCertSha256)
      .where(sql`revoked_at is null and client_cert_sha256 is not null`),
  ],
);

/** Who read which personal data, when and why. Rows are never changed (triggers in the migration). */
export const accessLog = pgTable(
  'access_log',
  {
    id: int8('id').primaryKey().generatedAlwaysAsIdentity(),
    at: time('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    role: text('role').notNull(),
    organisation: text('organisation'),
    /** What was read: case, alert, appeal, sighting, subject-export. */
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    /** The personal fields shown (reporter contact, IMSI, MSISDN, …). */
    fields: text('fields').array().notNull(),
    /** The purpose given by the reader or implied by the screen. */
    why: text('why').notNull(),
    route: text('route'),
  },
  (t) => [index('access_log_at').on(t.at), index('access_log_subject').on(t.subjectKind, t.subjectId)],
);
