/**
 * Analytics tables on PostgreSQL (the same tables the DuckDB engine keeps in its own file, see
 * engines/duckdb.ts). Operator network data is kept as DIRBS keeps it (dirbs-compat.md §1.3): one
 * row per distinct (IMEI, IMSI, MSISDN) triplet per operator and month with first/last seen and a
 * day bitmask, and one row per IMEI ever seen. Every big table carries `imei_norm` in its primary key,
 * so Citus can distribute them by IMEI (`create_distributed_table('…', 'imei_norm')`) when one machine
 * is not enough. Rows without an IMEI are counted in their import record, not stored.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const int8 = (name: string) => bigint(name, { mode: 'number' });

export const analyticsImport = pgTable('analytics_import', {
  /** SHA-256 of the file's content: the same file imported twice is one import. */
  importId: text('import_id').primaryKey(),
  operator: text('operator').notNull(),
  fileName: text('file_name').notNull(),
  startDate: date('start_date', { mode: 'string' }).notNull(),
  endDate: date('end_date', { mode: 'string' }).notNull(),
  rows: int8('rows').notNull(),
  nullImeiRows: int8('null_imei_rows').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export const monthlyTriplet = pgTable(
  'monthly_triplet',
  {
    imeiNorm: text('imei_norm').notNull(),
    operator: text('operator').notNull(),
    /** First day of the month. */
    month: date('month', { mode: 'string' }).notNull(),
    /** MD5 of `imei_norm|imsi|msisdn` (empty for null): the triplet's key, as DIRBS's triplet_hash. */
    tripletHash: text('triplet_hash').notNull(),
    imsi: text('imsi'),
    msisdn: text('msisdn'),
    firstSeen: date('first_seen', { mode: 'string' }).notNull(),
    lastSeen: date('last_seen', { mode: 'string' }).notNull(),
    /** Bit d-1 set when seen on day d of the month. */
    dateBitmask: integer('date_bitmask').notNull(),
  },
  (t) => [primaryKey({ columns: [t.imeiNorm, t.operator, t.month, t.tripletHash] })],
);

export const networkImei = pgTable('network_imei', {
  imeiNorm: text('imei_norm').primaryKey(),
  firstSeen: date('first_seen', { mode: 'string' }).notNull(),
  lastSeen: date('last_seen', { mode: 'string' }).notNull(),
  /** Operator RAT rank bits OR'ed over every sighting (analytics/rat.ts). */
  seenRatBitmask: integer('seen_rat_bitmask').notNull(),
});

/** 15-digit IMEIs as operators sent them whose Luhn digit is wrong (neither the right one nor a spare 0). */
export const badCheckDigit = pgTable(
  'bad_check_digit',
  {
    imeiNorm: text('imei_norm').notNull(),
    imeiRaw: text('imei_raw').notNull(),
    operator: text('operator').notNull(),
    firstSeen: date('first_seen', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.imeiNorm, t.imeiRaw, t.operator] })],
);

/** Sightings with a time and a place (the extended import format), for impossible travel. */
export const timedSighting = pgTable(
  'timed_sighting',
  {
    imeiNorm: text('imei_norm').notNull(),
    seenAt: timestamp('seen_at', { precision: 0 }).notNull(),
    operator: text('operator').notNull(),
    imsi: text('imsi').notNull().default(''),
    cell: text('cell').notNull().default(''),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
  },
  (t) => [primaryKey({ columns: [t.imeiNorm, t.seenAt, t.operator, t.imsi, t.cell] })],
);

/** Subscribers registration list (uid, imsi): DIRBS `subscribers_registration_list`, for daily_avg_uid. */
export const analyticsSubscriber = pgTable(
  'analytics_subscriber',
  { uid: text('uid').notNull(), imsi: text('imsi').notNull() },
  (t) => [primaryKey({ columns: [t.uid, t.imsi] })],
);

/** Device association list (uid, imei): DIRBS `device_association_list`, for not_on_association_list. */
export const analyticsAssociation = pgTable(
  'analytics_association',
  { uid: text('uid').notNull(), imeiNorm: text('imei_norm').notNull() },
  (t) => [primaryKey({ columns: [t.imeiNorm, t.uid] })],
);

/**
 * Committed imports of the subscribers and association lists (subscriber-lists.ts), one row each. The
 * file's SHA-256 makes a delta file applied twice apply once, and a full file that is already the
 * latest import of its list a no-op that says so; a full file imported again later (a restore) is a
 * new import.
 */
export const analyticsListImport = pgTable(
  'analytics_list_import',
  {
    importId: int8('import_id').primaryKey().generatedAlwaysAsIdentity(),
    /** subscribers or association. */
    list: text('list').notNull(),
    /** full or delta. */
    mode: text('mode').notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileName: text('file_name').notNull(),
    rows: int8('rows').notNull(),
    adds: int8('adds').notNull(),
    removes: int8('removes').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('analytics_list_import_file').on(t.list, t.fileSha256)],
);

/*
 * The reference lists of one run (reference.ts), loaded whole before classification so that both
 * engines read the same snapshot. Replaced by every run; never edited in place.
 */
export const refGsma = pgTable('ref_gsma', {
  tac: text('tac').primaryKey(),
  manufacturer: text('manufacturer'),
  modelName: text('model_name'),
  deviceType: text('device_type'),
  ratMask: integer('rat_mask'),
});
export const refStolen = pgTable('ref_stolen', {
  imeiNorm: text('imei_norm').primaryKey(),
  status: text('status'),
});
export const refBarred = pgTable('ref_barred', { imeiNorm: text('imei_norm').primaryKey() });
export const refBarredTac = pgTable('ref_barred_tac', { tac: text('tac').primaryKey() });
export const refMonitoring = pgTable('ref_monitoring', {
  imeiNorm: text('imei_norm').primaryKey(),
  startDate: timestamp('start_date', { precision: 0 }).notNull(),
});
export const refRegistration = pgTable('ref_registration', {
  imeiNorm: text('imei_norm').primaryKey(),
  status: text('status'),
  deviceType: text('device_type'),
});
export const refAssociation = pgTable(
  'ref_association',
  { uid: text('uid').notNull(), imeiNorm: text('imei_norm').notNull() },
  (t) => [primaryKey({ columns: [t.imeiNorm, t.uid] })],
);
export const refSubscribers = pgTable(
  'ref_subscribers',
  { uid: text('uid').notNull(), imsi: text('imsi').notNull() },
  (t) => [primaryKey({ columns: [t.uid, t.imsi] })],
);
export const refPairing = pgTable(
  'ref_pairing',
  { imeiNorm: text('imei_norm').notNull(), imsi: text('imsi').notNull(), msisdn: text('msisdn') },
  (t) => [primaryKey({ columns: [t.imeiNorm, t.imsi] })],
);
export const refGolden = pgTable('ref_golden', { hashedImeiNorm: text('hashed_imei_norm').primaryKey() });

/** Which privacy key sealed this store's IMSIs (what = 'imsi'); no row: clear (engines/sealing.ts). */
export const analyticsSealing = pgTable('analytics_sealing', {
  what: text('what').primaryKey(),
  keyId: text('key_id').notNull(),
});

/*
 * Classification and list generation live in the registry's database whichever engine computed the
 * matches: they are small (one row per classified IMEI and condition), their blocking results become
 * ledger entries, and lists are read from them. As DIRBS keeps them (dirbs-compat.md §1.3, §3.1, §4).
 */

/** One classify or listgen job: when, for which dates, how it ended, and per-condition figures. */
export const analyticsRun = pgTable('analytics_run', {
  runId: int8('run_id').primaryKey().generatedAlwaysAsIdentity(),
  /** classify or listgen. */
  command: text('command').notNull(),
  currDate: date('curr_date', { mode: 'string' }).notNull(),
  analysisEnd: date('analysis_end', { mode: 'string' }),
  /** running, success or error. */
  status: text('status').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
  /** Per condition: matched, new, ended, refused by the safety check; engine; base run of a listgen. */
  details: jsonb('details'),
});

/** One row per (IMEI, condition) classification; open while end_date is null (one open row at most). */
export const classificationState = pgTable(
  'classification_state',
  {
    rowId: int8('row_id').primaryKey().generatedAlwaysAsIdentity(),
    runId: int8('run_id').notNull(),
    imeiNorm: text('imei_norm').notNull(),
    condName: text('cond_name').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    /** start_date + grace period for blocking conditions; null for informative ones and amnesty. */
    blockDate: date('block_date', { mode: 'string' }),
    amnestyGranted: boolean('amnesty_granted').notNull().default(false),
    /** The dimension evidence of the match, for people (`openceir analytics matches`). */
    evidence: text('evidence'),
  },
  (t) => [
    uniqueIndex('classification_state_open').on(t.imeiNorm, t.condName).where(sql`${t.endDate} is null`),
    index('classification_state_cond').on(t.condName, t.endDate),
  ],
);

/** The blacklist as deltas per listgen run (DIRBS `blacklist`): a row is in force from start to end run. */
export const listBlacklist = pgTable(
  'list_blacklist',
  {
    imeiNorm: text('imei_norm').notNull(),
    blockDate: date('block_date', { mode: 'string' }).notNull(),
    /** Distinct reason strings, sorted, joined with |. */
    reasons: text('reasons').notNull(),
    startRunId: int8('start_run_id').notNull(),
    endRunId: int8('end_run_id'),
    /** blocked, unblocked or changed. */
    deltaReason: text('delta_reason').notNull(),
  },
  (t) => [
    index('list_blacklist_run').on(t.startRunId),
    index('list_blacklist_imei').on(t.imeiNorm, t.startRunId),
  ],
);

/** Notification lists per operator as deltas per run (DIRBS `notifications_lists`). */
export const listNotification = pgTable(
  'list_notification',
  {
    operator: text('operator').notNull(),
    imeiNorm: text('imei_norm').notNull(),
    imsi: text('imsi').notNull(),
    msisdn: text('msisdn').notNull(),
    blockDate: date('block_date', { mode: 'string' }),
    reasons: text('reasons').notNull(),
    amnestyGranted: boolean('amnesty_granted').notNull().default(false),
    startRunId: int8('start_run_id').notNull(),
    endRunId: int8('end_run_id'),
    /** new, resolved, blacklisted, changed or no_longer_seen. */
    deltaReason: text('delta_reason').notNull(),
  },
  (t) => [index('list_notification_run').on(t.operator, t.startRunId)],
);

/** Exception lists per operator as deltas per run (DIRBS `exceptions_lists`). */
export const listException = pgTable(
  'list_exception',
  {
    operator: text('operator').notNull(),
    imeiNorm: text('imei_norm').notNull(),
    imsi: text('imsi').notNull(),
    msisdn: text('msisdn'),
    startRunId: int8('start_run_id').notNull(),
    endRunId: int8('end_run_id'),
    /** added or removed. */
    deltaReason: text('delta_reason').notNull(),
  },
  (t) => [index('list_exception_run').on(t.operator, t.startRunId)],
);
