/**
 * The effectiveness measures (Res. 97: does it work?): reports, blocks, time to block, blocked
 * attempts, alerts, recoveries, unblocks, appeals and overturns per rule, detections, list sizes and
 * peer exchange, per day, week, month or whole period, broken down by one dimension. Every figure is
 * one SQL query over the records (sources.ts), the same on PGlite and PostgreSQL, so any past period
 * can be recomputed; docs/statistics.md defines each measure precisely.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, query as run } from '../store/index.ts';
import {
  bucketEnds,
  endOf,
  GRANULARITIES,
  type Granularity,
  InsightInputError,
  parseDate,
  spanDays,
  startOf,
} from './period.ts';
import {
  alertsRaised,
  appeals,
  blockedSightings,
  DIMENSIONS,
  type Dimension,
  detections,
  events,
  ledgerActions,
  listSizes,
  recoveries,
  recoveryCohort,
  reportsReceived,
  reportToBlock,
  sourceId,
  unblocks,
} from './sources.ts';

export { GRANULARITIES, type Granularity, InsightInputError } from './period.ts';
export type { Dimension } from './sources.ts';
export { DIMENSIONS } from './sources.ts';

export const MEASURE_NAMES = [
  'reports_received',
  'devices_blocked',
  'devices_tracked',
  'report_to_block_p50',
  'report_to_block_p95',
  'blocked_attempts',
  'devices_traced',
  'alerts_raised',
  'alerts_acknowledged',
  'devices_recovered',
  'recovery_rate',
  'unblocks',
  'unblock_time_p50',
  'unblock_time_p95',
  'appeals_filed',
  'appeals_decided',
  'appeals_overturned',
  'overturn_rate',
  'detections',
  'blocked_list_size',
  'tracked_list_size',
  'peer_entries_applied',
] as const;
export type MeasureName = (typeof MEASURE_NAMES)[number];

/** count: a whole number of items; seconds: a duration percentile; ratio: 0 to 1. */
export type MeasureUnit = 'count' | 'seconds' | 'ratio';

export interface MeasureDefinition {
  readonly name: MeasureName;
  readonly unit: MeasureUnit;
  /** The breakdowns the measure has. */
  readonly dimensions: readonly Dimension[];
  /** A count taken at the end of each bucket (list sizes) rather than over it. */
  readonly snapshot: boolean;
  /** One line for people; docs/statistics.md has the precise definition. */
  readonly description: string;
}

export interface MeasureQuery {
  /** First day, `YYYY-MM-DD`, UTC. */
  readonly from: string;
  /** Last day included, `YYYY-MM-DD`, UTC. */
  readonly to: string;
  readonly granularity: Granularity;
  /** One breakdown, or none for totals. */
  readonly by?: Dimension | null;
  /** Only what concerns this operator (its id in `operator:<id>` sources and sightings' network). */
  readonly operator?: string | null;
}

export interface MeasureRow {
  /** First day of the bucket, `YYYY-MM-DD` (the range's `from` for granularity `period`). */
  readonly bucket: string;
  /** The breakdown's value; null for totals, and for items the dimension does not apply to. */
  readonly group: string | null;
  /** null when undefined (a percentile or ratio over nothing). */
  readonly value: number | null;
}

export interface MeasureResult {
  readonly name: MeasureName;
  readonly unit: MeasureUnit;
  readonly granularity: Granularity;
  readonly by: Dimension | null;
  /** Buckets and groups without any item are absent (a count of 0). */
  readonly rows: readonly MeasureRow[];
}

type Aggregate = 'distinct' | 'hits' | 'p50' | 'p95' | 'ratio';

interface Definition extends MeasureDefinition {
  readonly aggregate: Aggregate | 'snapshot';
  readonly events: (q: MeasureQuery & { bucketEnd: (column: SQL) => SQL }) => SQL;
}

const CASE: readonly Dimension[] = ['operator', 'region', 'brand', 'model', 'kind', 'channel'];
const LEDGER: readonly Dimension[] = [...CASE, 'reason', 'rule', 'peer'];
const APPEAL: readonly Dimension[] = [...CASE, 'reason', 'rule'];
const byReason = (q: MeasureQuery) => q.by === 'reason';
const byReasonOrRule = (q: MeasureQuery) => q.by === 'reason' || q.by === 'rule';

function define(
  name: MeasureName,
  unit: MeasureUnit,
  dimensions: readonly Dimension[],
  aggregate: Definition['aggregate'],
  events: Definition['events'],
  description: string,
): Definition {
  return { name, unit, dimensions, aggregate, events, snapshot: aggregate === 'snapshot', description };
}

const none = () => sql``;

const DEFINITIONS: Record<MeasureName, Definition> = {
  reports_received: define(
    'reports_received',
    'count',
    CASE,
    'distinct',
    reportsReceived,
    'Theft and loss reports made',
  ),
  devices_blocked: define(
    'devices_blocked',
    'count',
    LEDGER,
    'distinct',
    (q) => ledgerActions(['block'], byReason(q)),
    'Devices with a block entry in the ledger',
  ),
  devices_tracked: define(
    'devices_tracked',
    'count',
    LEDGER,
    'distinct',
    (q) => ledgerActions(['track'], byReason(q)),
    'Devices with a track entry in the ledger',
  ),
  report_to_block_p50: define(
    'report_to_block_p50',
    'seconds',
    CASE,
    'p50',
    reportToBlock,
    'Median time from report to block',
  ),
  report_to_block_p95: define(
    'report_to_block_p95',
    'seconds',
    CASE,
    'p95',
    reportToBlock,
    '95th percentile time from report to block',
  ),
  blocked_attempts: define(
    'blocked_attempts',
    'count',
    ['operator', 'reason'],
    'distinct',
    (q) => blockedSightings(byReason(q), 'blocked'),
    'Checks of blocked devices on a network (sightings)',
  ),
  devices_traced: define(
    'devices_traced',
    'count',
    ['operator', 'reason'],
    'distinct',
    (q) => blockedSightings(byReason(q), 'any'),
    'Distinct blocked or tracked devices seen on a network',
  ),
  alerts_raised: define(
    'alerts_raised',
    'count',
    CASE,
    'distinct',
    alertsRaised,
    'Police alerts raised by sightings',
  ),
  alerts_acknowledged: define(
    'alerts_acknowledged',
    'count',
    CASE,
    'hits',
    alertsRaised,
    'Of the alerts raised, those taken up by police',
  ),
  devices_recovered: define(
    'devices_recovered',
    'count',
    CASE,
    'distinct',
    recoveries,
    'Cases marked recovered',
  ),
  recovery_rate: define(
    'recovery_rate',
    'ratio',
    CASE,
    'ratio',
    (q) => recoveryCohort(q.bucketEnd),
    'Of the cases reported, the share recovered by the end of the bucket',
  ),
  unblocks: define(
    'unblocks',
    'count',
    LEDGER,
    'distinct',
    (q) => unblocks(byReason(q)),
    'Devices unblocked',
  ),
  unblock_time_p50: define(
    'unblock_time_p50',
    'seconds',
    LEDGER,
    'p50',
    (q) => unblocks(byReason(q)),
    'Median time blocked before unblock',
  ),
  unblock_time_p95: define(
    'unblock_time_p95',
    'seconds',
    LEDGER,
    'p95',
    (q) => unblocks(byReason(q)),
    '95th percentile time blocked before unblock',
  ),
  appeals_filed: define(
    'appeals_filed',
    'count',
    APPEAL,
    'distinct',
    (q) => appeals('filed', byReasonOrRule(q)),
    'Appeals filed',
  ),
  appeals_decided: define(
    'appeals_decided',
    'count',
    APPEAL,
    'distinct',
    (q) => appeals('decided', byReasonOrRule(q)),
    'Appeals decided',
  ),
  appeals_overturned: define(
    'appeals_overturned',
    'count',
    APPEAL,
    'hits',
    (q) => appeals('decided', byReasonOrRule(q)),
    'Appeals decided for the appellant (block lifted)',
  ),
  overturn_rate: define(
    'overturn_rate',
    'ratio',
    APPEAL,
    'ratio',
    (q) => appeals('decided', byReasonOrRule(q)),
    'Of the appeals decided, the share overturned',
  ),
  detections: define(
    'detections',
    'count',
    ['rule'],
    'distinct',
    detections,
    'IMEIs newly classified by a detection rule',
  ),
  blocked_list_size: define(
    'blocked_list_size',
    'count',
    LEDGER,
    'snapshot',
    none,
    'Devices blocked at the end of the bucket',
  ),
  tracked_list_size: define(
    'tracked_list_size',
    'count',
    LEDGER,
    'snapshot',
    none,
    'Devices tracked at the end of the bucket',
  ),
  peer_entries_applied: define(
    'peer_entries_applied',
    'count',
    ['peer', 'reason'],
    'distinct',
    (q) => peerEntries(byReason(q)),
    'Ledger entries applied from peer registries',
  ),
};

function peerEntries(reason: boolean): SQL {
  const join = reason ? sql`cross join lateral unnest(e.reasons) as rr(reason)` : sql``;
  return events(
    {
      at: sql`e.recorded_at`,
      item: sql`e.seq`,
      dims: { peer: sourceId(sql`e.source`, 'peer'), reason: reason ? sql`rr.reason` : sql`null` },
    },
    sql`from ledger_entry e ${join} where e.source like 'peer:%'`,
  );
}

/** The public description of every measure, in order. */
export const MEASURES: readonly MeasureDefinition[] = MEASURE_NAMES.map((n) => {
  const { aggregate: _a, events: _e, ...definition } = DEFINITIONS[n];
  return definition;
});

export function measureDefinition(name: MeasureName): MeasureDefinition {
  return MEASURES[MEASURE_NAMES.indexOf(name)]!;
}

/** Longest range in days a query may cover (bounds the work of one request). */
export const MAX_SPAN_DAYS = 3660;

/** Parses a query from untrusted input; errors name the field and the rule. */
export function parseMeasureQuery(input: {
  from?: unknown;
  to?: unknown;
  granularity?: unknown;
  by?: unknown;
  operator?: unknown;
}): MeasureQuery {
  const from = parseDate('from', input.from);
  const to = parseDate('to', input.to);
  if (from > to) throw new InsightInputError('to', `must not be before from (${from})`);
  if (spanDays(from, to) > MAX_SPAN_DAYS)
    throw new InsightInputError('to', `the range may cover at most ${MAX_SPAN_DAYS} days`);
  const granularity = input.granularity ?? 'period';
  if (!GRANULARITIES.includes(granularity as Granularity)) {
    throw new InsightInputError('granularity', `must be one of ${GRANULARITIES.join(', ')}`);
  }
  const by = input.by ?? null;
  if (by !== null && !DIMENSIONS.includes(by as Dimension)) {
    throw new InsightInputError('by', `must be one of ${DIMENSIONS.join(', ')}`);
  }
  const operator = input.operator ?? null;
  if (operator !== null && (typeof operator !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(operator))) {
    throw new InsightInputError('operator', 'must be an operator id (letters, digits, . _ -, at most 64)');
  }
  return {
    from,
    to,
    granularity: granularity as Granularity,
    by: by as Dimension | null,
    operator: operator as string | null,
  };
}

/** The start of the bucket holding a time column, as a date (for the open end below). */
function bucketStart(q: MeasureQuery, column: SQL): SQL {
  if (q.granularity === 'period') return sql`${q.from}::date`;
  return sql`date_trunc(${q.granularity}, ${column} at time zone 'UTC')`;
}

function bucketLabel(q: MeasureQuery, column: SQL): SQL {
  if (q.granularity === 'period') return sql`${q.from}::text`;
  return sql`to_char(${bucketStart(q, column)}, 'YYYY-MM-DD')`;
}

/** The end of the bucket holding a time column (clipped to the range's end), as a timestamptz. */
function bucketEndSql(q: MeasureQuery, column: SQL): SQL {
  const rangeEnd = sql`${endOf(q.to).toISOString()}::timestamptz`;
  if (q.granularity === 'period') return rangeEnd;
  const step = q.granularity === 'week' ? '7 days' : `1 ${q.granularity}`;
  return sql`least((${bucketStart(q, column)} + ${step}::interval) at time zone 'UTC', ${rangeEnd})`;
}

function aggregateSql(aggregate: Aggregate): SQL {
  switch (aggregate) {
    case 'distinct':
      return sql`count(distinct item)::float8`;
    case 'hits':
      return sql`(count(distinct item) filter (where hit))::float8`;
    case 'p50':
      return sql`percentile_cont(0.5) within group (order by num)`;
    case 'p95':
      return sql`percentile_cont(0.95) within group (order by num)`;
    case 'ratio':
      return sql`(count(distinct item) filter (where hit))::float8 / nullif(count(distinct item), 0)`;
  }
}

function check(definition: Definition, q: MeasureQuery): void {
  if (q.by && !definition.dimensions.includes(q.by)) {
    throw new InsightInputError(
      'by',
      `${definition.name} has no breakdown by ${q.by} (it has ${definition.dimensions.join(', ')})`,
    );
  }
  if (q.operator && !definition.dimensions.includes('operator')) {
    throw new InsightInputError('operator', `${definition.name} has no operator dimension`);
  }
}

/** Whether a measure can answer a query (has its breakdown and, if asked, an operator). */
export function measureSupports(name: MeasureName, q: Pick<MeasureQuery, 'by' | 'operator'>): boolean {
  const d = DEFINITIONS[name].dimensions;
  return (!q.by || d.includes(q.by)) && (!q.operator || d.includes('operator'));
}

/** Durations to the millisecond (the precision of every time stored), so 555 reads 555, not 554.9999999999999. */
function rounded(unit: MeasureUnit, value: number): number {
  return unit === 'seconds' ? Math.round(value * 1000) / 1000 : value;
}

/** Computes one measure for a query; throws InsightInputError when it lacks the breakdown asked. */
export async function computeMeasure(
  db: Executor,
  name: MeasureName,
  q: MeasureQuery,
): Promise<MeasureResult> {
  const definition = DEFINITIONS[name];
  if (!definition) throw new InsightInputError('measure', `must be one of ${MEASURE_NAMES.join(', ')}`);
  check(definition, q);
  const by = q.by ?? null;
  const group: SQL = by ? sql`${sql.identifier(by)}` : sql`null::text`;
  const filter = q.operator ? sql`operator = ${q.operator}` : sql`true`;
  let statement: SQL;
  if (definition.aggregate === 'snapshot') {
    const ends = bucketEnds(q.from, q.to, q.granularity).map(
      (b) => sql`(${b.bucket}::text, ${b.end.toISOString()}::timestamptz)`,
    );
    statement = listSizes(
      name === 'blocked_list_size' ? 'blocked' : 'tracked',
      sql.join(ends, sql`, `),
      group,
      filter,
    );
  } else {
    const source = definition.events({ ...q, bucketEnd: (column) => bucketEndSql(q, column) });
    statement = sql`with ev as (${source})
      select ${bucketLabel(q, sql`at`)} as bucket, ${group} as grp, ${aggregateSql(definition.aggregate)} as value
      from ev where at >= ${startOf(q.from).toISOString()}::timestamptz and at < ${endOf(q.to).toISOString()}::timestamptz
        and ${filter}
      group by 1, 2`;
  }
  const rows = await run<{ bucket: string; grp: string | null; value: number | string | null }>(
    db,
    sql`select * from (${statement}) m where m.value is not null order by bucket, grp nulls last`,
  );
  return {
    name,
    unit: definition.unit,
    granularity: q.granularity,
    by,
    rows: rows
      .map((r) => ({
        bucket: String(r.bucket),
        group: r.grp ?? null,
        value: r.value === null ? null : rounded(definition.unit, Number(r.value)),
      }))
      .filter((r) => definition.unit !== 'count' || r.value !== 0),
  };
}

/** Computes several measures (all by default), leaving out those that lack the breakdown or operator asked. */
export async function computeMeasures(
  db: Executor,
  q: MeasureQuery,
  names: readonly MeasureName[] = MEASURE_NAMES,
): Promise<MeasureResult[]> {
  const out: MeasureResult[] = [];
  for (const name of names) {
    if (measureSupports(name, q)) out.push(await computeMeasure(db, name, q));
  }
  return out;
}

/** The value of a result for one bucket and group (0 for an absent count, null for others). */
export function cellValue(result: MeasureResult, bucket: string, group: string | null = null): number | null {
  const row = result.rows.find((r) => r.bucket === bucket && r.group === group);
  if (row) return row.value;
  return result.unit === 'count' ? 0 : null;
}
