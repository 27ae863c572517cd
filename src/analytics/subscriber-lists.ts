/**
 * Import of the two DIRBS reference lists that are analytics' own rather than device statuses
 * (dirbs-compat.md §2.1, §2.10, §2.11): the subscribers registration list (`uid,imsi`, feeding
 * daily_avg_uid) and the device association list (`uid,imei`, feeding not_on_association_list).
 *
 * Files are CSV or a zip holding one CSV, full (the file is the whole list) or delta (`change_type`
 * add or remove). The checks are DIRBS's, run by the same pure flow as the ledger lists
 * (ledger/lists/import.ts): conflicting rows, delta multiple changes, delta adds/removes (each can be
 * disabled) and the historic size check (subscribers 1000/0.95, association −1/0.75). Every bad row
 * is reported with line, field and rule, and nothing is written unless the whole file is good.
 *
 * The change is one PostgreSQL transaction, with the import record keyed by the file's SHA-256
 * (analytics_list_import): a killed import leaves nothing, and the same file applied twice applies
 * once and says so.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { FileFormatError, readRows } from '../files/read.ts';
import type { FieldProblem, Item, RowResult } from '../ledger/lists/formats.ts';
import {
  collectItems,
  type DeltaChecks,
  deltaChecksOf,
  planChanges,
  type RowError,
  sizeCheckFloor,
} from '../ledger/lists/import.ts';
import { type Database, type Executor, query } from '../store/index.ts';
import { normaliseImei } from './normalise.ts';
import type { ImsiSealer } from './subscriber-seal.ts';

export const SUBSCRIBER_LISTS = ['subscribers', 'association'] as const;
export type SubscriberList = (typeof SUBSCRIBER_LISTS)[number];

interface ListSpec {
  readonly table: 'analytics_subscriber' | 'analytics_association';
  /** The file's columns: uid and the second key column. */
  readonly column: 'imsi' | 'imei';
  /** The table's second key column. */
  readonly dbColumn: 'imsi' | 'imei_norm';
  /** DIRBS import_size_variation_absolute / _percent (etc/config.yml defaults). */
  readonly sizeCheck: { readonly absolute: number; readonly percent: number };
  /** The second key column, parsed, or the rule it breaks. */
  parseValue(raw: string): string | FieldProblem;
}

/** DIRBS uid: a national ID or similar (subscribers and association schemas). */
const UID = /^[0-9A-Za-z\-\\]{1,20}$/;

const SPECS: Readonly<Record<SubscriberList, ListSpec>> = {
  subscribers: {
    table: 'analytics_subscriber',
    column: 'imsi',
    dbColumn: 'imsi',
    sizeCheck: { absolute: 1000, percent: 0.95 },
    parseValue: (raw) =>
      /^[0-9]{1,15}$/.test(raw)
        ? raw
        : { field: 'imsi', message: 'must be 1 to 15 digits (DIRBS IMSI format)' },
  },
  association: {
    table: 'analytics_association',
    column: 'imei',
    dbColumn: 'imei_norm',
    sizeCheck: { absolute: -1, percent: 0.75 },
    parseValue: (raw) =>
      /^[0-9A-Fa-f*#]{1,16}$/.test(raw)
        ? (normaliseImei(raw) as string)
        : { field: 'imei', message: 'must be 1 to 16 characters of 0-9, A-F, * or # (DIRBS IMEI format)' },
  },
};

/** The columns of a list file, for help texts and docs. */
export function listColumns(list: SubscriberList): readonly string[] {
  return ['uid', SPECS[list].column];
}

/** Both columns are the key: no metadata, one shared empty object for millions of rows. */
const NO_META: Item['meta'] = Object.freeze({});

/** An item's key: uid and the second column, comma-joined (a uid never holds a comma). */
const keyOf = (uid: string, value: string) => `${uid},${value}`;
const splitKey = (key: string): [string, string] => {
  const comma = key.indexOf(',');
  return [key.slice(0, comma), key.slice(comma + 1)];
};

/**
 * One row of a subscribers or association file: its key, or every rule it breaks. With a sealer, a
 * subscriber's IMSI is sealed as the analytics engines store it (subscriber-seal.ts).
 */
export function parseListRow(
  list: SubscriberList,
  fields: Readonly<Record<string, string>>,
  imsiSealer: ImsiSealer | null = null,
): RowResult {
  const spec = SPECS[list];
  const problems: FieldProblem[] = [];
  const uid = fields.uid ?? '';
  if (uid === '') problems.push({ field: 'uid', message: 'is empty' });
  else if (!UID.test(uid))
    problems.push({
      field: 'uid',
      message: 'must be 1 to 20 characters of 0-9, A-Z, a-z, - or \\ (DIRBS uid format)',
    });
  const raw = fields[spec.column] ?? '';
  const value =
    raw === '' ? ({ field: spec.column, message: 'is empty' } as FieldProblem) : spec.parseValue(raw);
  if (typeof value !== 'string') problems.push(value);
  if (problems.length > 0 || typeof value !== 'string') return { problems };
  const stored = imsiSealer && list === 'subscribers' ? imsiSealer.seal(value) : value;
  return { item: { key: keyOf(uid, stored), meta: NO_META } };
}

/**
 * The subscribers list's IMSIs are sealed under one key or all in clear (`analytics_sealing`, what
 * `subscriber_list`): a sealed import needs the recorded key, or a full file (it replaces every row,
 * so it seals a list in clear or under an earlier key); an import without a key needs a list in clear.
 * Records the key when it seals.
 */
async function checkListSealing(
  tx: Executor,
  sealer: ImsiSealer | null,
  mode: 'full' | 'delta',
  record: boolean,
): Promise<void> {
  const [row] = await query<{ key_id: string }>(
    tx,
    sql`select key_id from analytics_sealing where what = 'subscriber_list'`,
  );
  const recorded = row?.key_id ?? null;
  if (recorded !== null && recorded === sealer?.keyId) return;
  // A full file replaces every row, so it may re-seal a list under a new key (after a rotation).
  if (recorded !== null && (sealer === null || mode === 'delta'))
    throw new ListImportError(
      `the subscribers list's IMSIs are sealed under privacy key ${recorded}; set privacy.key_file to that key, ` +
        'or import a full subscribers file, which seals every row under the current key',
    );
  if (sealer === null) return;
  if (mode === 'delta') {
    const [any] = await query<{ found: number }>(
      tx,
      sql`select 1 as found from analytics_subscriber limit 1`,
    );
    if (any)
      throw new ListImportError(
        'the subscribers list holds IMSIs in clear (imported before sealing at rest): import a full subscribers file once, which seals every row, then deltas',
      );
  }
  if (record)
    await tx.execute(
      sql`insert into analytics_sealing (what, key_id) values ('subscriber_list', ${sealer.keyId})
          on conflict (what) do update set key_id = excluded.key_id`,
    );
}

export interface ListImportOptions {
  readonly mode?: 'full' | 'delta';
  readonly dryRun?: boolean;
  /** DIRBS --disable-delta-adds-check / --disable-delta-removes-check (default on). */
  readonly deltaChecks?: Partial<Pick<DeltaChecks, 'adds' | 'removes'>>;
  /** DIRBS historic size check for full files (default on; --disable-historic-check). */
  readonly historicCheck?: boolean;
  /** Seals the subscribers' IMSIs at rest (subscriber-seal.ts); null or absent: stored in clear. */
  readonly imsiSealer?: ImsiSealer | null;
}

export type ListImportOutcome = 'imported' | 'already-imported' | 'refused' | 'dry-run';

export interface ListImportReport {
  readonly list: SubscriberList;
  readonly mode: 'full' | 'delta';
  readonly file: string;
  readonly fileSha256: string;
  readonly outcome: ListImportOutcome;
  readonly rows: number;
  readonly errorCount: number;
  /** The first 1,000 row errors. */
  readonly errors: readonly RowError[];
  /** Why the whole file was refused when no single row is to blame (the historic size check). */
  readonly refusal: string | null;
  readonly adds: number;
  readonly removes: number;
  readonly unchanged: number;
  readonly samples: { readonly adds: readonly string[]; readonly removes: readonly string[] };
  /** The import record written (imported) or found (already-imported). */
  readonly importId: number | null;
  readonly importedAt: string | null;
}

export class ListImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListImportError';
  }
}

const MAX_ERRORS = 1_000;
const SAMPLES = 10;
const CHUNK = 5_000;
/** One advisory lock per list, so that two imports of one list never plan against the same state. */
const LOCK_BASE = 0x4f43_4c00;

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function currentItems(tx: Executor, spec: ListSpec): Promise<Map<string, Item>> {
  const rows = await query<{ uid: string; value: string }>(
    tx,
    sql`select uid, ${sql.identifier(spec.dbColumn)} as value from ${sql.identifier(spec.table)}`,
  );
  const items = new Map<string, Item>();
  for (const row of rows) {
    const key = keyOf(row.uid, row.value);
    items.set(key, { key, meta: NO_META });
  }
  return items;
}

/** An earlier import that makes this one a no-op: the same delta file, or the same full file last. */
async function earlierImport(
  tx: Executor,
  list: SubscriberList,
  mode: 'full' | 'delta',
  sha: string,
): Promise<EarlierImport | null> {
  const rows =
    mode === 'delta'
      ? await query<{ import_id: number; imported_at: string; rows: number }>(
          tx,
          sql`select import_id, imported_at::text, rows from analytics_list_import
              where list = ${list} and mode = 'delta' and file_sha256 = ${sha} order by import_id limit 1`,
        )
      : await query<{
          import_id: number;
          imported_at: string;
          rows: number;
          file_sha256: string;
          mode: string;
        }>(
          tx,
          sql`select import_id, imported_at::text, rows, file_sha256, mode from analytics_list_import
              where list = ${list} order by import_id desc limit 1`,
        ).then((last) => last.filter((r) => r.mode === 'full' && r.file_sha256 === sha));
  const row = rows[0];
  return row
    ? { importId: Number(row.import_id), importedAt: row.imported_at, rows: Number(row.rows) }
    : null;
}

interface EarlierImport {
  readonly importId: number;
  readonly importedAt: string;
  readonly rows: number;
}

function alreadyImported(
  list: SubscriberList,
  mode: 'full' | 'delta',
  file: string,
  sha: string,
  earlier: EarlierImport,
): ListImportReport {
  return {
    list,
    mode,
    file: path.basename(file),
    fileSha256: sha,
    outcome: 'already-imported',
    rows: earlier.rows,
    errorCount: 0,
    errors: [],
    refusal: null,
    adds: 0,
    removes: 0,
    unchanged: 0,
    samples: { adds: [], removes: [] },
    importId: earlier.importId,
    importedAt: earlier.importedAt,
  };
}

async function apply(tx: Executor, spec: ListSpec, adds: readonly Item[], removes: readonly Item[]) {
  const table = sql.identifier(spec.table);
  const column = sql.identifier(spec.dbColumn);
  for (let i = 0; i < removes.length; i += CHUNK) {
    const keys = removes.slice(i, i + CHUNK).map((item) => splitKey(item.key));
    await tx.execute(sql`
      delete from ${table} t using unnest(${sql.param(keys.map((k) => k[0]))}::text[], ${sql.param(keys.map((k) => k[1]))}::text[]) as r(uid, value)
      where t.uid = r.uid and t.${column} = r.value`);
  }
  for (let i = 0; i < adds.length; i += CHUNK) {
    const keys = adds.slice(i, i + CHUNK).map((item) => splitKey(item.key));
    await tx.execute(sql`
      insert into ${table} (uid, ${column})
      select uid, value from unnest(${sql.param(keys.map((k) => k[0]))}::text[], ${sql.param(keys.map((k) => k[1]))}::text[]) as r(uid, value)`);
  }
}

/**
 * Imports one subscribers or association file into the registry database. File-level problems (an
 * unreadable file, missing columns) throw ListImportError; bad rows and a failed size check are
 * reported with outcome `refused`, and nothing is written.
 */
export async function importSubscriberList(
  db: Database,
  list: SubscriberList,
  file: string,
  options: ListImportOptions = {},
): Promise<ListImportReport> {
  const spec = SPECS[list];
  const mode = options.mode ?? 'full';
  const sealer = list === 'subscribers' ? (options.imsiSealer ?? null) : null;
  // Samples are shown to a person: a sealed IMSI is opened for them.
  const shown = (key: string) => {
    if (!sealer) return key;
    const [uid, imsi] = splitKey(key);
    return keyOf(uid, sealer.open(imsi));
  };
  const sha = await fileSha256(file).catch((error: Error) => {
    throw new ListImportError(`cannot read ${file}: ${error.message}`);
  });
  // A file already applied is known by its hash before it is read (list pipelines re-run often); the
  // same check under the lock below is the one that decides when two imports race.
  const known = await earlierImport(db, list, mode, sha);
  if (known) return alreadyImported(list, mode, file, sha, known);

  const errors: RowError[] = [];
  let errorCount = 0;
  const fail = (line: number, field: string, message: string) => {
    errorCount += 1;
    if (errors.length < MAX_ERRORS) errors.push({ line, field, message });
  };

  let collected: Awaited<ReturnType<typeof collectItems>>;
  try {
    const { header, rows } = await readRows(file);
    const needed = ['uid', spec.column, ...(mode === 'delta' ? ['change_type'] : [])];
    const missing = needed.filter((c) => !header.includes(c));
    if (missing.length > 0)
      throw new ListImportError(
        `the ${list} list needs column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
          `(columns: ${needed.join(', ')}); the header has ${header.join(', ') || 'nothing'}`,
      );
    collected = await collectItems(
      rows,
      {
        mode,
        changes: ['add', 'remove'],
        keyField: 'uid',
        parse: (fields) => parseListRow(list, fields, sealer),
      },
      fail,
    );
  } catch (error) {
    throw error instanceof FileFormatError ? new ListImportError(error.message) : error;
  }
  const { items, rows } = collected;
  const deltaChecks = deltaChecksOf({ ...options.deltaChecks, updates: true });

  return db.transaction(async (tx) => {
    const index = SUBSCRIBER_LISTS.indexOf(list);
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_BASE + index})`);
    const report = (
      outcome: ListImportOutcome,
      plan: { adds: readonly Item[]; removes: readonly Item[]; unchanged: number },
      extra: Partial<Pick<ListImportReport, 'refusal' | 'importId' | 'importedAt'>> = {},
    ): ListImportReport => ({
      list,
      mode,
      file: path.basename(file),
      fileSha256: sha,
      outcome,
      rows,
      errorCount,
      errors,
      refusal: extra.refusal ?? null,
      adds: plan.adds.length,
      removes: plan.removes.length,
      unchanged: plan.unchanged,
      samples: {
        adds: plan.adds.slice(0, SAMPLES).map((i) => shown(i.key)),
        removes: plan.removes.slice(0, SAMPLES).map((i) => shown(i.key)),
      },
      importId: extra.importId ?? null,
      importedAt: extra.importedAt ?? null,
    });

    const earlier = await earlierImport(tx, list, mode, sha);
    if (earlier) return alreadyImported(list, mode, file, sha, earlier);

    if (list === 'subscribers') await checkListSealing(tx, sealer, mode, false);
    const current = await currentItems(tx, spec);
    const plan = planChanges(items, current, { mode, list, keyField: 'uid', deltaChecks }, fail);
    if (errorCount > 0) return report('refused', plan);
    if (mode === 'full' && (options.historicCheck ?? true)) {
      const floor = sizeCheckFloor(current.size, spec.sizeCheck);
      if (floor !== null && items.size < floor)
        return report('refused', plan, {
          refusal:
            `historic size check: the ${list} list would shrink from ${current.size} to ${items.size} entries, ` +
            `below the ${floor} it allows (import_size_variation_absolute ${spec.sizeCheck.absolute}, ` +
            `_percent ${spec.sizeCheck.percent}); a truncated file? --disable-historic-check if intended`,
        });
    }
    if (options.dryRun) return report('dry-run', plan);

    if (list === 'subscribers') await checkListSealing(tx, sealer, mode, true);
    await apply(tx, spec, plan.adds, plan.removes);
    const [record] = await query<{ import_id: number; imported_at: string }>(
      tx,
      sql`insert into analytics_list_import (list, mode, file_sha256, file_name, rows, adds, removes)
          values (${list}, ${mode}, ${sha}, ${path.basename(file)}, ${rows}, ${plan.adds.length}, ${plan.removes.length})
          returning import_id, imported_at::text`,
    );
    return report('imported', plan, { importId: Number(record!.import_id), importedAt: record!.imported_at });
  });
}
