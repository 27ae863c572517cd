/**
 * The monthly report, for the country or one operator: the effectiveness measures (measures.ts) and
 * the sections of the DIRBS standard report that apply (dirbs-compat.md §5): identifier counts and
 * data quality from the operators' network data, compliance and conditions breakdowns from the latest
 * classification, top models, and blacklist violations by age. Everything is a table of rows, so the
 * same object becomes report.json, one CSV per table (report-files.ts) and the printable PDF.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, query } from '../store/index.ts';
import { VERSION } from '../version.ts';
import {
  computeMeasure,
  computeMeasures,
  type Dimension,
  MEASURES,
  type MeasureName,
  type MeasureQuery,
  measureSupports,
} from './measures.ts';
import { endOf, InsightInputError, parseMonth } from './period.ts';

export const REPORT_VERSION = '1.0.0';

export type Cell = string | number | null;

export interface ReportTable {
  /** File name stem of its CSV: lower case, underscores. */
  readonly name: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface MonthlyReport {
  readonly report_version: string;
  readonly software_version: string;
  /** `YYYY-MM`. */
  readonly month: string;
  readonly from: string;
  readonly to: string;
  /** The operator the report is for; null for the country report. */
  readonly operator: string | null;
  readonly generated_at: string;
  /** Whether operators' network data was imported for the month (the DIRBS sections are empty otherwise). */
  readonly network_data: boolean;
  /** The headline figures of the month: each measure's value over the whole month. */
  readonly summary: Readonly<Partial<Record<MeasureName, number | null>>>;
  readonly tables: readonly ReportTable[];
}

export interface MonthlyReportOptions {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly operator?: string | null;
  /** For reproducible output (tests); default now. */
  readonly now?: Date;
}

/** DIRBS `blacklist_violations_by_age` buckets: days from block date to last seen. */
const AGE_BUCKETS: readonly [string, number, number | null][] = [
  ['1-2', 1, 2],
  ['3-5', 3, 5],
  ['6-10', 6, 10],
  ['11-20', 11, 20],
  ['21-30', 21, 30],
  ['31-90', 31, 90],
  ['90+', 91, null],
];

const DAILY: readonly MeasureName[] = [
  'reports_received',
  'devices_blocked',
  'blocked_attempts',
  'devices_recovered',
];
const TOP = 10;

const num = (v: unknown): number => Number(v ?? 0);

export async function buildMonthlyReport(
  db: Executor,
  options: MonthlyReportOptions,
): Promise<MonthlyReport> {
  const { from, to } = parseMonth('month', options.month);
  const operator = options.operator ?? null;
  if (operator !== null && !/^[A-Za-z0-9._-]{1,64}$/.test(operator)) {
    throw new InsightInputError('operator', 'must be an operator id (letters, digits, . _ -, at most 64)');
  }
  const month: MeasureQuery = { from, to, granularity: 'period', operator };
  const tables: ReportTable[] = [];

  // Effectiveness: every measure over the month, then daily series and the breakdowns that matter.
  const totals = await computeMeasures(db, month);
  const summary: Partial<Record<MeasureName, number | null>> = {};
  for (const t of totals)
    summary[t.name] = t.rows.find((r) => r.group === null)?.value ?? (t.unit === 'count' ? 0 : null);
  tables.push({
    name: 'effectiveness',
    title: 'Effectiveness measures of the month',
    columns: ['measure', 'unit', 'value', 'description'],
    rows: MEASURES.filter((m) => m.name in summary).map((m) => [
      m.name,
      m.unit,
      summary[m.name] ?? null,
      m.description,
    ]),
  });
  const daily = await computeMeasures(db, { ...month, granularity: 'day' }, DAILY);
  const days = new Map<string, Cell[]>();
  for (let d = Date.parse(`${from}T00:00:00Z`); d < endOf(to).getTime(); d += 86_400_000) {
    days.set(
      new Date(d).toISOString().slice(0, 10),
      daily.map(() => 0),
    );
  }
  daily.forEach((m, i) => {
    for (const r of m.rows) days.get(r.bucket)![i] = r.value;
  });
  tables.push({
    name: 'effectiveness_daily',
    title: 'Day by day',
    columns: ['day', ...daily.map((m) => m.name)],
    rows: [...days].map(([day, values]) => [day, ...values]),
  });
  tables.push(
    await breakdown(db, month, 'region', [
      'reports_received',
      'devices_blocked',
      'devices_recovered',
      'recovery_rate',
    ]),
  );
  tables.push(
    await breakdown(db, month, 'reason', ['devices_blocked', 'unblocks', 'appeals_decided', 'overturn_rate']),
  );
  tables.push(
    await breakdown(db, month, 'rule', [
      'devices_blocked',
      'appeals_filed',
      'appeals_decided',
      'appeals_overturned',
      'overturn_rate',
    ]),
  );
  if (!operator)
    tables.push(
      await breakdown(db, month, 'operator', [
        'reports_received',
        'devices_blocked',
        'blocked_attempts',
        'alerts_raised',
      ]),
    );
  tables.push(await breakdown(db, month, 'model', ['reports_received', 'devices_recovered'], TOP));

  // The DIRBS sections, from the network data of the month.
  const seen = seenImeis(from, operator);
  const [presence] = await query<{ n: number | string }>(db, sql`select count(*) as n from (${seen}) s`);
  const network = num(presence?.n) > 0;
  tables.push(await identifierCounts(db, from, operator));
  tables.push(await dataQuality(db, from, to, operator));
  tables.push(...(await compliance(db, from, to, operator)));
  tables.push(await topModels(db, from, operator));
  tables.push(await violationsByAge(db, from, to, operator));

  return {
    report_version: REPORT_VERSION,
    software_version: VERSION,
    month: options.month,
    from,
    to,
    operator,
    generated_at: (options.now ?? new Date()).toISOString(),
    network_data: network,
    summary,
    tables,
  };
}

/** One breakdown, one row per group and one column per measure; `limit` keeps the largest first. */
async function breakdown(
  db: Executor,
  month: MeasureQuery,
  by: Dimension,
  names: readonly MeasureName[],
  limit?: number,
): Promise<ReportTable> {
  const usable = names.filter((n) => measureSupports(n, { by, operator: month.operator }));
  const groups = new Map<string, Cell[]>();
  for (const [i, name] of usable.entries()) {
    const result = await computeMeasure(db, name, { ...month, by });
    for (const r of result.rows) {
      const key = r.group ?? '';
      if (!groups.has(key))
        groups.set(
          key,
          usable.map(() => null),
        );
      groups.get(key)![i] = r.value;
    }
  }
  let rows = [...groups].map(([g, values]) => [g === '' ? null : g, ...values] as Cell[]);
  rows.sort((a, b) => num(b[1]) - num(a[1]) || String(a[0]).localeCompare(String(b[0])));
  if (limit) rows = rows.slice(0, limit);
  return { name: `by_${by}`, title: `By ${by}`, columns: [by, ...usable], rows };
}

/** IMEIs seen in the month's network data (one operator's, or every operator's). */
function seenImeis(from: string, operator: string | null): SQL {
  return sql`select imei_norm, count(distinct imsi) as imsis, count(distinct msisdn) as msisdns,
      count(distinct triplet_hash) as triplets, max(last_seen) as last_seen
    from monthly_triplet where month = ${from}::date ${operator ? sql`and operator = ${operator}` : sql``}
    group by imei_norm`;
}

/** DIRBS monthly counts: distinct identifiers and triplets seen, and gross adds. */
async function identifierCounts(db: Executor, from: string, operator: string | null): Promise<ReportTable> {
  const op = operator ? sql`and operator = ${operator}` : sql``;
  const [row] = await query<Record<string, number | string>>(
    db,
    sql`select count(distinct imei_norm) as total_imeis_seen, count(distinct imsi) as total_imsis_seen,
        count(distinct msisdn) as total_msisdns_seen,
        count(distinct imei_norm || '|' || coalesce(imsi, '')) filter (where imsi is not null) as total_imei_imsis_seen,
        count(distinct imei_norm || '|' || coalesce(msisdn, '')) filter (where msisdn is not null) as total_imei_msisdns_seen,
        count(distinct triplet_hash) as total_triplets_seen,
        count(distinct imei_norm) filter (where first_seen >= ${from}::date and imei_norm not in (
          select t.imei_norm from monthly_triplet t where t.month < ${from}::date ${operator ? sql`and t.operator = ${operator}` : sql``}))
          as total_gross_adds
      from monthly_triplet where month = ${from}::date ${op}`,
  );
  const names = [
    'total_imeis_seen',
    'total_imsis_seen',
    'total_msisdns_seen',
    'total_imei_imsis_seen',
    'total_imei_msisdns_seen',
    'total_triplets_seen',
    'total_gross_adds',
  ];
  return {
    name: 'identifier_counts',
    title: 'Identifiers seen on the networks',
    columns: ['count', 'value'],
    rows: names.map((n) => [n, num(row?.[n])]),
  };
}

/** DIRBS data-quality counts: records without an IMEI (from the imports), triplets without IMSI or MSISDN. */
async function dataQuality(
  db: Executor,
  from: string,
  to: string,
  operator: string | null,
): Promise<ReportTable> {
  const [imports] = await query<{
    records: number | string;
    null_imei: number | string;
    files: number | string;
  }>(
    db,
    sql`select coalesce(sum(rows), 0) as records, coalesce(sum(null_imei_rows), 0) as null_imei, count(*) as files
      from analytics_import where start_date <= ${to}::date and end_date >= ${from}::date
      ${operator ? sql`and operator = ${operator}` : sql``}`,
  );
  const [triplets] = await query<{ null_imsi: number | string; null_msisdn: number | string }>(
    db,
    sql`select count(*) filter (where imsi is null) as null_imsi, count(*) filter (where msisdn is null) as null_msisdn
      from monthly_triplet where month = ${from}::date ${operator ? sql`and operator = ${operator}` : sql``}`,
  );
  return {
    name: 'data_quality',
    title: 'Data quality of the imported network data',
    columns: ['count', 'value'],
    rows: [
      ['import_files', num(imports?.files)],
      ['total_records_seen', num(imports?.records)],
      ['total_null_imei_records', num(imports?.null_imei)],
      ['total_null_imsi_triplets', num(triplets?.null_imsi)],
      ['total_null_msisdn_triplets', num(triplets?.null_msisdn)],
    ],
  };
}

/**
 * DIRBS compliance and conditions breakdowns over the IMEIs seen in the month, by the classification
 * in force at the month's end: compliant (no condition), non-compliant blocking (at least one
 * condition with a block date), non-compliant informative only.
 */
async function compliance(
  db: Executor,
  from: string,
  to: string,
  operator: string | null,
): Promise<ReportTable[]> {
  const inForce = sql`select imei_norm, cond_name, block_date from classification_state
    where start_date <= ${to}::date and (end_date is null or end_date > ${to}::date)`;
  const rows = await query<Record<string, number | string>>(
    db,
    sql`with seen as (${seenImeis(from, operator)}), c as (${inForce}),
      level as (select s.imei_norm, s.triplets,
          case when bool_or(c.block_date is not null) then 'noncompliant_blocking'
               when count(c.cond_name) > 0 then 'noncompliant_info_only' else 'compliant' end as level
        from seen s left join c on c.imei_norm = s.imei_norm group by s.imei_norm, s.triplets)
      select level, count(*) as imeis, coalesce(sum(triplets), 0) as triplets from level group by level`,
  );
  const byLevel = new Map(rows.map((r) => [String(r.level), r]));
  const levels = ['compliant', 'noncompliant_blocking', 'noncompliant_info_only'];
  const conditions = await query<Record<string, number | string>>(
    db,
    sql`with seen as (${seenImeis(from, operator)}), c as (${inForce})
      select c.cond_name, (bool_or(c.block_date is not null))::text as blocking, count(*) as imeis,
        coalesce(sum(s.imsis), 0) as imei_imsis, coalesce(sum(s.msisdns), 0) as imei_msisdns,
        coalesce(sum(s.triplets), 0) as triplets
      from c join seen s on s.imei_norm = c.imei_norm group by c.cond_name order by c.cond_name`,
  );
  return [
    {
      name: 'compliance_breakdown',
      title: 'Compliance of the IMEIs seen',
      columns: ['level', 'num_imeis', 'num_triplets'],
      rows: levels.map((l) => [l, num(byLevel.get(l)?.imeis), num(byLevel.get(l)?.triplets)]),
    },
    {
      name: 'conditions_breakdown',
      title: 'Conditions met by the IMEIs seen',
      columns: ['condition', 'blocking', 'num_imeis', 'num_imei_imsis', 'num_imei_msisdns', 'num_triplets'],
      rows: conditions.map((c) => [
        String(c.cond_name),
        String(c.blocking),
        num(c.imeis),
        num(c.imei_imsis),
        num(c.imei_msisdns),
        num(c.triplets),
      ]),
    },
  ];
}

/** DIRBS `top_models_imei`: the ten models with the most IMEIs seen, by the GSMA TAC of each IMEI. */
async function topModels(db: Executor, from: string, operator: string | null): Promise<ReportTable> {
  const rows = await query<Record<string, number | string | null>>(
    db,
    sql`with seen as (${seenImeis(from, operator)})
      select g.manufacturer, g.model_name, count(*) as imeis from seen s join ref_gsma g on g.tac = substr(s.imei_norm, 1, 8)
      group by g.manufacturer, g.model_name order by imeis desc, g.manufacturer, g.model_name limit ${TOP}`,
  );
  return {
    name: 'top_models',
    title: 'Top models seen on the networks',
    columns: ['manufacturer', 'model', 'num_imeis'],
    rows: rows.map((r) => [
      r.manufacturer === null ? null : String(r.manufacturer),
      r.model_name === null ? null : String(r.model_name),
      num(r.imeis),
    ]),
  };
}

/**
 * DIRBS `blacklist_violations_by_age`: IMEIs seen in the month after their block date (earliest block
 * date of a blocking condition in force), by days from block date to last seen.
 */
async function violationsByAge(
  db: Executor,
  from: string,
  to: string,
  operator: string | null,
): Promise<ReportTable> {
  const rows = await query<{ age: number | string }>(
    db,
    sql`with seen as (${seenImeis(from, operator)}),
      b as (select imei_norm, min(block_date) as block_date from classification_state
        where block_date is not null and block_date <= ${to}::date and (end_date is null or end_date > ${to}::date)
        group by imei_norm)
      select (s.last_seen - b.block_date) as age from seen s join b on b.imei_norm = s.imei_norm
      where s.last_seen > b.block_date`,
  );
  const counts = AGE_BUCKETS.map(() => 0);
  for (const r of rows) {
    const age = num(r.age);
    const i = AGE_BUCKETS.findIndex(([, low, high]) => age >= low && (high === null || age <= high));
    if (i >= 0) counts[i]! += 1;
  }
  return {
    name: 'blacklist_violations_by_age',
    title: 'Blocked IMEIs still seen, by days since their block date',
    columns: ['days_since_block', 'num_imeis'],
    rows: AGE_BUCKETS.map(([label], i) => [label, counts[i]!]),
  };
}
