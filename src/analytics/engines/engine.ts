/**
 * The analytics engines: DuckDB (embedded default, its own file and Parquet partitions in the data
 * directory) and PostgreSQL (the registry's database; Citus-ready). Both keep the same tables
 * (../schema.ts) and run the same SQL, written once here in the dialect both accept, so that rules
 * can be compared engine against engine.
 *
 * An import of one operator file is one transaction: the file's rows go to a staging table, then the
 * monthly triplets, the network IMEIs, the bad check digits and the timed sightings are upserted
 * from it, and the import is recorded — all or nothing. The upserts are idempotent (min, max and OR),
 * and a file already recorded is skipped, so importing a file twice, or again after a crash half way,
 * gives the state of one clean import.
 */
import { checkDigitOf, type DeviceKey } from '../../identifiers/index.ts';
import type { OperatorRow as ImportedRow } from '../import/row.ts';
import { REFERENCE_TABLES, REFERENCE_TYPES, type ReferenceLists, type ReferenceTable } from '../reference.ts';
import type { ImsiSealer } from '../subscriber-seal.ts';

/**
 * One validated row of operator network data, as analytics/import/row.ts reads it; the extended
 * columns (time, cell, lat, lon) may be left out by callers that have none.
 */
export type OperatorRow = Omit<ImportedRow, 'time' | 'cell' | 'lat' | 'lon'> &
  Partial<Pick<ImportedRow, 'time' | 'cell' | 'lat' | 'lon'>>;

/**
 * The instant of a timed row as a timestamp without zone: the row's date and local time as given,
 * or, when the time carries an offset (`Z`, `+03:00`), the same instant in UTC. A full ISO date-time
 * is taken as it is.
 */
export function sightingTime(date: string, time: string): string | null {
  const full = time.includes('T') ? time : `${date}T${time}`;
  if (/(Z|[+-]\d{2}:\d{2})$/.test(full)) {
    const ms = Date.parse(full);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 19);
  }
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(full) ? full : null;
}

export interface ImportMeta {
  /** SHA-256 of the file content. */
  readonly importId: string;
  readonly operator: string;
  readonly fileName: string;
  readonly startDate: string;
  readonly endDate: string;
}

export interface ImportRecord extends ImportMeta {
  readonly rows: number;
  readonly nullImeiRows: number;
}

export type ImportOutcome =
  | { readonly outcome: 'imported'; readonly record: ImportRecord }
  | { readonly outcome: 'already-imported'; readonly record: ImportRecord };

/** The stored state, in a canonical order: what the engines and repeated imports are compared on. */
export interface AnalyticsSnapshot {
  readonly triplets: readonly string[];
  readonly imeis: readonly string[];
  readonly badCheckDigits: readonly string[];
  readonly timedSightings: readonly string[];
}

export interface AnalyticsEngine {
  readonly kind: 'duckdb' | 'postgres';
  /** Seals the IMSIs and MSISDNs this engine stores (null: in clear); opens them where lists must carry them. */
  readonly imsiSealer?: ImsiSealer | null;
  importOperatorRows(
    meta: ImportMeta,
    rows: AsyncIterable<OperatorRow> | Iterable<OperatorRow>,
  ): Promise<ImportOutcome>;
  imports(): Promise<ImportRecord[]>;
  /** Replaces the `ref_*` tables with this snapshot of the reference lists (one transaction). */
  loadReference(lists: ReferenceLists): Promise<void>;
  /** The `ref_*` tables' rows as text, sorted: what engines are compared on. */
  referenceSnapshot(): Promise<Record<ReferenceTable, string[]>>;
  snapshot(): Promise<AnalyticsSnapshot>;
  /**
   * The operator's average daily distinct IMEIs, IMSIs and MSISDNs over its last 30 days with data
   * before `before` (the historic import checks, dirbs-compat.md §2.2 step 9); null without history.
   */
  historicAverages(
    operator: string,
    before: string,
  ): Promise<{ imei: number; imsi: number; msisdn: number } | null>;
  /** Runs a query (the dimensions' SQL) and returns its rows with text values. */
  query(text: string): Promise<Record<string, string | null>[]>;
  close(): Promise<void>;
}

/** The staging table's columns, in order: every value travels as text (or null) and is cast in SQL. */
export const STAGE_COLUMNS = [
  'day',
  'imei_norm',
  'imsi',
  'msisdn',
  'rat_mask',
  'bad_raw',
  'seen_at',
  'cell',
  'lat',
  'lon',
] as const;

/**
 * A row as staged: the raw IMEI is kept only when its Luhn digit is wrong (a 15-digit IMEI whose
 * last digit is neither the check digit nor a spare 0), for the bad_check_digit rule. The IMSI and the
 * MSISDN are sealed here, before they reach any table or Parquet file, when the engine has a sealer.
 */
export function stageValues(row: OperatorRow, sealer: ImsiSealer | null = null): (string | null)[] {
  const raw = row.imei?.trim() ?? '';
  const bad =
    row.imeiNorm !== null &&
    /^[0-9]{15}$/.test(raw) &&
    raw[14] !== '0' &&
    raw[14] !== checkDigitOf(raw.slice(0, 14) as DeviceKey)
      ? raw
      : null;
  const at = row.time ? sightingTime(row.date, row.time) : null;
  const timed = at !== null && row.imeiNorm !== null && (row.cell || (row.lat != null && row.lon != null));
  return [
    row.date,
    row.imeiNorm,
    sealer ? sealer.seal(row.imsi) : row.imsi,
    sealer ? sealer.msisdn.seal(row.msisdn) : row.msisdn,
    row.ratMask === null ? null : String(row.ratMask),
    bad,
    timed ? at : null,
    timed ? (row.cell ?? '') : null,
    timed && row.lat != null ? String(row.lat) : null,
    timed && row.lon != null ? String(row.lon) : null,
  ];
}

/** The staged rows in typed form; `stage` is the staging table of text columns. */
const typed = (stage: string) => `(select cast(day as date) as day, imei_norm, imsi, msisdn,
  cast(rat_mask as integer) as rat_mask, bad_raw, cast(seen_at as timestamp) as seen_at, cell,
  cast(lat as double precision) as lat, cast(lon as double precision) as lon from ${stage})`;

/** The upserts of one import, in order, in SQL both engines accept. */
export function upsertStatements(stage: string, operator: string): string[] {
  const op = `'${operator.replace(/'/g, "''")}'`;
  const rows = typed(stage);
  return [
    `insert into monthly_triplet (imei_norm, operator, month, triplet_hash, imsi, msisdn, first_seen, last_seen, date_bitmask)
     select imei_norm, ${op}, month, md5(imei_norm || '|' || coalesce(imsi, '') || '|' || coalesce(msisdn, '')),
            imsi, msisdn, min(day), max(day), bit_or(1 << (cast(extract(day from day) as integer) - 1))
     from (select *, cast(date_trunc('month', day) as date) as month from ${rows} r where imei_norm is not null) s
     group by imei_norm, month, imsi, msisdn
     on conflict (imei_norm, operator, month, triplet_hash) do update set
       first_seen = least(monthly_triplet.first_seen, excluded.first_seen),
       last_seen = greatest(monthly_triplet.last_seen, excluded.last_seen),
       date_bitmask = monthly_triplet.date_bitmask | excluded.date_bitmask`,
    `insert into network_imei (imei_norm, first_seen, last_seen, seen_rat_bitmask)
     select imei_norm, min(day), max(day), bit_or(coalesce(rat_mask, 0))
     from ${rows} r where imei_norm is not null group by imei_norm
     on conflict (imei_norm) do update set
       first_seen = least(network_imei.first_seen, excluded.first_seen),
       last_seen = greatest(network_imei.last_seen, excluded.last_seen),
       seen_rat_bitmask = network_imei.seen_rat_bitmask | excluded.seen_rat_bitmask`,
    `insert into bad_check_digit (imei_norm, imei_raw, operator, first_seen)
     select imei_norm, bad_raw, ${op}, min(day) from ${rows} r where bad_raw is not null group by imei_norm, bad_raw
     on conflict (imei_norm, imei_raw, operator) do update set
       first_seen = least(bad_check_digit.first_seen, excluded.first_seen)`,
    `insert into timed_sighting (imei_norm, seen_at, operator, imsi, cell, lat, lon)
     select imei_norm, seen_at, ${op}, coalesce(imsi, ''), coalesce(cell, ''), min(lat), min(lon)
     from ${rows} r where seen_at is not null group by imei_norm, seen_at, coalesce(imsi, ''), coalesce(cell, '')
     on conflict (imei_norm, seen_at, operator, imsi, cell) do nothing`,
  ];
}

/** Queries whose rows, as text, make a snapshot (sorted by the caller: collations differ between engines). */
export const SNAPSHOT_QUERIES = {
  triplets: `select imei_norm || ',' || operator || ',' || cast(month as varchar) || ',' || coalesce(imsi, '') || ',' ||
      coalesce(msisdn, '') || ',' || cast(first_seen as varchar) || ',' || cast(last_seen as varchar) || ',' ||
      cast(date_bitmask as varchar) as line from monthly_triplet`,
  imeis: `select imei_norm || ',' || cast(first_seen as varchar) || ',' || cast(last_seen as varchar) || ',' ||
      cast(seen_rat_bitmask as varchar) as line from network_imei`,
  badCheckDigits: `select imei_norm || ',' || imei_raw || ',' || operator || ',' || cast(first_seen as varchar) as line
      from bad_check_digit`,
  // Degrees as whole micro-degrees: the engines print doubles differently (0.0 / 0).
  timedSightings: `select imei_norm || ',' || cast(seen_at as varchar) || ',' || operator || ',' || imsi || ',' || cell || ',' ||
      coalesce(cast(cast(round(lat * 1000000) as bigint) as varchar), '') || ',' ||
      coalesce(cast(cast(round(lon * 1000000) as bigint) as varchar), '') as line from timed_sighting`,
} as const;

/** The reference lists with IMSIs and MSISDNs sealed as the engine stores them, to join with the triplets. */
export function sealReference(lists: ReferenceLists, sealer: ImsiSealer | null): ReferenceLists {
  if (!sealer) return lists;
  return {
    ...lists,
    subscribers: lists.subscribers.map((s) => ({ ...s, imsi: sealer.seal(s.imsi) })),
    pairing: lists.pairing.map((p) => ({
      ...p,
      imsi: sealer.seal(p.imsi),
      msisdn: sealer.msisdn.seal(p.msisdn),
    })),
  };
}

/** `insert into <table> select <typed columns> from <stage of text columns>`. */
export function referenceInsert(table: ReferenceTable, stage: string): string {
  const columns = REFERENCE_TABLES[table];
  const typedColumn = (column: string) => {
    const type = REFERENCE_TYPES[column];
    if (type === 'timestamp') return `cast(replace(replace(${column}, 'T', ' '), 'Z', '') as timestamp)`;
    return type ? `cast(${column} as ${type})` : column;
  };
  return `insert into ${table} (${columns.join(', ')}) select ${columns.map(typedColumn).join(', ')} from ${stage}`;
}

/** One line of text per reference row, the same on both engines. */
function referenceLines(table: ReferenceTable): string {
  const columns = REFERENCE_TABLES[table].map((c) => `coalesce(cast(${c} as varchar), '')`);
  return `select ${columns.join(" || ',' || ")} as line from ${table}`;
}

/** The days with data of one operator before a date, as each month's OR of day bitmasks. */
function daysWithDataQuery(operator: string, before: string): string {
  return `select cast(month as varchar) as month, bit_or(date_bitmask) as days from monthly_triplet
    where operator = ${quoted(operator)} and month < cast('${before}' as date) group by month`;
}

/**
 * The last `count` days with data before `before`, newest first, from each month's day bits: a
 * light pass (one OR per month) that tells the heavy count which days to look at.
 */
export function lastDaysWithData(
  months: readonly { month: string; days: number }[],
  before: string,
  count: number,
): string[] {
  const found: string[] = [];
  for (const { month, days } of months) {
    const [year, monthNumber] = month.split('-').map(Number) as [number, number];
    for (let d = 1; d <= 31; d++) {
      if ((days & (1 << (d - 1))) === 0) continue;
      const day = `${month.slice(0, 8)}${String(d).padStart(2, '0')}`;
      // A bit past the month's last day cannot be set by an import; skip it rather than roll over.
      if (d > new Date(Date.UTC(year, monthNumber, 0)).getUTCDate()) continue;
      if (day < before) found.push(day);
    }
  }
  return found.sort().reverse().slice(0, count);
}

/**
 * Each month's distinct IMEIs, IMSIs and MSISDNs per day of the month (`d1` … `d31`), for the months
 * from `from` to `to`: one OR of day bitmasks per value and month, then one sum per day bit. Only the
 * months holding the given days are read, and no row is multiplied by the days of its month.
 */
function dailyDistinctQuery(operator: string, from: string, to: string): string {
  const where = `operator = ${quoted(operator)} and month >= cast('${from.slice(0, 8)}01' as date)
      and month <= cast('${to}' as date)`;
  const sums = Array.from({ length: 31 }, (_, i) => `sum((m >> ${i}) & 1) as d${i + 1}`).join(', ');
  return `select kind, cast(month as varchar) as month, ${sums} from (
    select 'imei' as kind, month, bit_or(date_bitmask) as m from monthly_triplet where ${where} group by month, imei_norm
    union all
    select 'imsi' as kind, month, bit_or(date_bitmask) as m from monthly_triplet
      where ${where} and imsi is not null group by month, imsi
    union all
    select 'msisdn' as kind, month, bit_or(date_bitmask) as m from monthly_triplet
      where ${where} and msisdn is not null group by month, msisdn) v
    group by kind, month`;
}

/** The averages of the daily distinct counts over `days`, from dailyDistinctQuery's rows. */
export function averagesOver(
  rows: readonly Record<string, string | null>[],
  days: readonly string[],
): { imei: number; imsi: number; msisdn: number } {
  const byKindMonth = new Map<string, Record<string, string | null>>();
  for (const row of rows) byKindMonth.set(`${row.kind} ${row.month}`, row);
  const average = (kind: 'imei' | 'imsi' | 'msisdn') => {
    let sum = 0;
    for (const day of days) {
      const row = byKindMonth.get(`${kind} ${day.slice(0, 8)}01`);
      sum += Number(row?.[`d${Number(day.slice(8, 10))}`] ?? 0);
    }
    return sum / days.length;
  };
  return { imei: average('imei'), imsi: average('imsi'), msisdn: average('msisdn') };
}

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * What both engines do the same way once they can run a query: the import records, the snapshots
 * engines are compared on, and the historic averages of the import checks.
 */
export abstract class SqlEngine {
  /** Runs a query (the dimensions' SQL) and returns its rows with text values. */
  abstract query(text: string): Promise<Record<string, string | null>[]>;

  async imports(): Promise<ImportRecord[]> {
    const rows = await this.query(
      `select import_id, operator, file_name, cast(start_date as varchar) as start_date,
         cast(end_date as varchar) as end_date, rows, null_imei_rows from analytics_import order by imported_at, import_id`,
    );
    return rows.map((r) => ({
      importId: String(r.import_id),
      operator: String(r.operator),
      fileName: String(r.file_name),
      startDate: String(r.start_date),
      endDate: String(r.end_date),
      rows: Number(r.rows),
      nullImeiRows: Number(r.null_imei_rows),
    }));
  }

  private async lines(statement: string): Promise<string[]> {
    return (await this.query(statement)).map((r) => String(r.line)).sort();
  }

  async snapshot(): Promise<AnalyticsSnapshot> {
    return {
      triplets: await this.lines(SNAPSHOT_QUERIES.triplets),
      imeis: await this.lines(SNAPSHOT_QUERIES.imeis),
      badCheckDigits: await this.lines(SNAPSHOT_QUERIES.badCheckDigits),
      timedSightings: await this.lines(SNAPSHOT_QUERIES.timedSightings),
    };
  }

  async referenceSnapshot(): Promise<Record<ReferenceTable, string[]>> {
    const result = {} as Record<ReferenceTable, string[]>;
    for (const table of Object.keys(REFERENCE_TABLES) as ReferenceTable[]) {
      result[table] = await this.lines(referenceLines(table));
    }
    return result;
  }

  async historicAverages(operator: string, before: string) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(before)) throw new RangeError(`before must be YYYY-MM-DD, got ${before}`);
    const months = (await this.query(daysWithDataQuery(operator, before))).map((r) => ({
      month: String(r.month),
      days: Number(r.days),
    }));
    const days = lastDaysWithData(months, before, 30);
    if (days.length === 0) return null;
    return averagesOver(await this.query(dailyDistinctQuery(operator, days.at(-1)!, days[0]!)), days);
  }
}
