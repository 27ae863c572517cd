/**
 * The statistics dashboard's charts: which measures each chart shows, turned into chart matrices
 * (chart-data.ts) for the filters chosen. The console draws them, the printable report draws the
 * same ones, and each chart's CSV export is its matrix, so a figure reads the same everywhere.
 */
import type { statisticsEn } from '../../i18n/console/statistics/en.ts';
import type { Executor } from '../../store/index.ts';
import {
  cellValue,
  computeMeasure,
  type Dimension,
  InsightInputError,
  type MeasureName,
  type MeasureResult,
  measureSupports,
  parseMeasureQuery,
} from '../measures.ts';
import { bucketEnds, spanDays } from '../period.ts';
import type { ChartData, ChartKind } from './chart-data.ts';

export type StatisticsKey = keyof typeof statisticsEn;
export type Translate = (key: StatisticsKey) => string;

export const DASHBOARD_GRAINS = ['day', 'week', 'month'] as const;
export type DashboardGrain = (typeof DASHBOARD_GRAINS)[number];

export interface DashboardFilters {
  readonly from: string;
  readonly to: string;
  readonly grain: DashboardGrain;
  readonly operator: string | null;
  readonly region: string | null;
  readonly reason: string | null;
}

/** Most points one time-series chart draws: a day grain over more than this asks for a week or month. */
export const MAX_BUCKETS = 400;

const NAME = /^[A-Za-z0-9._:-]{1,64}$/;

function optionalName(field: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !NAME.test(value))
    throw new InsightInputError(field, 'must be a name of letters, digits and . _ : - (at most 64)');
  return value;
}

/** The last twelve months up to today, by month: what the page shows before any filter is chosen. */
export function defaultFilters(today: Date): DashboardFilters {
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1));
  return {
    from: from.toISOString().slice(0, 10),
    to: today.toISOString().slice(0, 10),
    grain: 'month',
    operator: null,
    region: null,
    reason: null,
  };
}

/** Parses the filter form (query string); errors name the form's field and the rule. */
export function parseDashboardFilters(
  input: Readonly<Record<string, unknown>>,
  today: Date,
): DashboardFilters {
  const defaults = defaultFilters(today);
  const grain = input.grain === undefined || input.grain === '' ? defaults.grain : input.grain;
  if (!DASHBOARD_GRAINS.includes(grain as DashboardGrain))
    throw new InsightInputError('grain', `must be one of ${DASHBOARD_GRAINS.join(', ')}`);
  const q = parseMeasureQuery({
    from: input.from === undefined || input.from === '' ? defaults.from : input.from,
    to: input.to === undefined || input.to === '' ? defaults.to : input.to,
    granularity: grain,
    operator: input.operator === '' ? undefined : input.operator,
  });
  if (grain === 'day' && spanDays(q.from, q.to) > MAX_BUCKETS)
    throw new InsightInputError(
      'grain',
      `a day grain covers at most ${MAX_BUCKETS} days; choose week or month`,
    );
  const region = optionalName('region', input.region);
  const reason = optionalName('reason', input.reason);
  // Measures break down by one dimension at a time: the filter is that breakdown's one value.
  if (region && reason) throw new InsightInputError('reason', 'choose a region or a reason, not both');
  return {
    from: q.from,
    to: q.to,
    grain: grain as DashboardGrain,
    operator: q.operator ?? null,
    region,
    reason,
  };
}

interface SeriesSpec {
  readonly key: string;
  readonly name: StatisticsKey;
  readonly measure: MeasureName;
  /** Seconds are drawn as hours, ratios as percentages. */
  readonly as?: 'hours' | 'percent';
}

interface ChartSpec {
  readonly id: string;
  readonly kind: ChartKind;
  readonly title: StatisticsKey;
  readonly description: StatisticsKey;
  readonly series: readonly SeriesSpec[];
  /** Breakdowns: over the whole period, one category per value of this dimension. */
  readonly by?: Extract<Dimension, 'reason' | 'rule' | 'region'>;
}

const s = (key: string, name: StatisticsKey, measure: MeasureName, as?: SeriesSpec['as']): SeriesSpec => ({
  key,
  name,
  measure,
  ...(as ? { as } : {}),
});

/** The dashboard, in order. */
export const DASHBOARD_CHARTS: readonly ChartSpec[] = [
  {
    id: 'reports',
    kind: 'bar',
    title: 'statistics.chart.reports',
    description: 'statistics.chart.reports.desc',
    series: [s('reports', 'statistics.series.reports', 'reports_received')],
  },
  {
    id: 'blocks',
    kind: 'bar',
    title: 'statistics.chart.blocks',
    description: 'statistics.chart.blocks.desc',
    series: [
      s('blocked', 'statistics.series.blocked', 'devices_blocked'),
      s('tracked', 'statistics.series.tracked', 'devices_tracked'),
    ],
  },
  {
    id: 'time-to-block',
    kind: 'line',
    title: 'statistics.chart.timeToBlock',
    description: 'statistics.chart.timeToBlock.desc',
    series: [
      s('p50_hours', 'statistics.series.p50', 'report_to_block_p50', 'hours'),
      s('p95_hours', 'statistics.series.p95', 'report_to_block_p95', 'hours'),
    ],
  },
  {
    id: 'blocked-attempts',
    kind: 'bar',
    title: 'statistics.chart.attempts',
    description: 'statistics.chart.attempts.desc',
    series: [
      s('blocked_attempts', 'statistics.series.attempts', 'blocked_attempts'),
      s('devices_traced', 'statistics.series.traced', 'devices_traced'),
    ],
  },
  {
    id: 'recoveries',
    kind: 'bar',
    title: 'statistics.chart.recoveries',
    description: 'statistics.chart.recoveries.desc',
    series: [s('recovered', 'statistics.series.recovered', 'devices_recovered')],
  },
  {
    id: 'recovery-rate',
    kind: 'line',
    title: 'statistics.chart.recoveryRate',
    description: 'statistics.chart.recoveryRate.desc',
    series: [s('recovery_rate_percent', 'statistics.series.recoveryRate', 'recovery_rate', 'percent')],
  },
  {
    id: 'appeals',
    kind: 'bar',
    title: 'statistics.chart.appeals',
    description: 'statistics.chart.appeals.desc',
    series: [
      s('filed', 'statistics.series.filed', 'appeals_filed'),
      s('decided', 'statistics.series.decided', 'appeals_decided'),
      s('overturned', 'statistics.series.overturned', 'appeals_overturned'),
    ],
  },
  {
    id: 'appeals-by-rule',
    kind: 'breakdown',
    by: 'rule',
    title: 'statistics.chart.appealsByRule',
    description: 'statistics.chart.appealsByRule.desc',
    series: [
      s('decided', 'statistics.series.decided', 'appeals_decided'),
      s('overturned', 'statistics.series.overturned', 'appeals_overturned'),
    ],
  },
  {
    id: 'overturn-rate-by-rule',
    kind: 'breakdown',
    by: 'rule',
    title: 'statistics.chart.overturnRate',
    description: 'statistics.chart.overturnRate.desc',
    series: [s('overturn_rate_percent', 'statistics.series.overturnRate', 'overturn_rate', 'percent')],
  },
  {
    id: 'list-sizes',
    kind: 'line',
    title: 'statistics.chart.listSizes',
    description: 'statistics.chart.listSizes.desc',
    series: [
      s('blocked_list', 'statistics.series.blockedList', 'blocked_list_size'),
      s('tracked_list', 'statistics.series.trackedList', 'tracked_list_size'),
    ],
  },
  {
    id: 'blocks-by-reason',
    kind: 'breakdown',
    by: 'reason',
    title: 'statistics.chart.blocksByReason',
    description: 'statistics.chart.blocksByReason.desc',
    series: [s('blocked', 'statistics.series.blocked', 'devices_blocked')],
  },
  {
    id: 'reports-by-region',
    kind: 'regions',
    by: 'region',
    title: 'statistics.chart.reportsByRegion',
    description: 'statistics.chart.reportsByRegion.desc',
    series: [s('reports', 'statistics.series.reports', 'reports_received')],
  },
];

export function dashboardChartSpec(id: string): ChartSpec | undefined {
  return DASHBOARD_CHARTS.find((c) => c.id === id);
}

export interface DashboardChart {
  readonly chart: ChartData;
  /** false when a measure of the chart has no breakdown for the filters (the chart is then empty). */
  readonly available: boolean;
}

function scaled(value: number | null, as: SeriesSpec['as']): number | null {
  if (value === null) return null;
  if (as === 'hours') return Math.round((value / 3600) * 100) / 100;
  if (as === 'percent') return Math.round(value * 1000) / 10;
  return value;
}

/**
 * One chart's matrix for the filters. Time series: one category per bucket of the range. Breakdowns:
 * the whole range, one category per value met (and every configured region for the region map),
 * largest first. A region or reason filter is the breakdown's one value.
 */
export async function dashboardChart(
  db: Executor,
  spec: ChartSpec,
  filters: DashboardFilters,
  t: Translate,
  regions: readonly string[] = [],
): Promise<DashboardChart> {
  const filter: { by: Dimension; value: string } | null = filters.region
    ? { by: 'region', value: filters.region }
    : filters.reason
      ? { by: 'reason', value: filters.reason }
      : null;
  const by: Dimension | null = spec.by ?? filter?.by ?? null;
  const categoryKey = spec.by ?? 'period';
  const base = {
    id: spec.id,
    kind: spec.kind,
    title: t(spec.title),
    description: t(spec.description),
    categoryKey,
    categoryLabel: t(`statistics.category.${categoryKey}` as StatisticsKey),
  };
  const empty = {
    chart: {
      ...base,
      categories: [],
      series: spec.series.map((x) => ({ key: x.key, name: t(x.name), values: [] })),
    },
  };
  const usable =
    (!filter || filter.by === by) &&
    spec.series.every((x) => measureSupports(x.measure, { by, operator: filters.operator }));
  if (!usable) return { ...empty, available: false };
  const q = {
    from: filters.from,
    to: filters.to,
    granularity: spec.by ? ('period' as const) : filters.grain,
    by,
    operator: filters.operator,
  };
  const results: MeasureResult[] = [];
  for (const x of spec.series) results.push(await computeMeasure(db, x.measure, q));

  if (!spec.by) {
    const buckets = bucketEnds(filters.from, filters.to, filters.grain).map((b) => b.bucket);
    const group = filter?.value ?? null;
    return {
      available: true,
      chart: {
        ...base,
        categories: buckets,
        series: spec.series.map((x, i) => ({
          key: x.key,
          name: t(x.name),
          values: buckets.map((b) => scaled(cellValue(results[i]!, b, group), x.as)),
        })),
      },
    };
  }
  const met = new Set<string>(spec.by === 'region' ? regions : []);
  for (const result of results) for (const row of result.rows) if (row.group !== null) met.add(row.group);
  let categories = [...met];
  if (filter) categories = categories.filter((c) => c === filter.value);
  const value = (i: number, category: string) => cellValue(results[i]!, filters.from, category);
  categories.sort((a, b) =>
    spec.by === 'region'
      ? a.localeCompare(b)
      : (value(0, b) ?? -1) - (value(0, a) ?? -1) || a.localeCompare(b),
  );
  return {
    available: true,
    chart: {
      ...base,
      categories,
      series: spec.series.map((x, i) => ({
        key: x.key,
        name: t(x.name),
        values: categories.map((c) => scaled(value(i, c), x.as)),
      })),
    },
  };
}

/** Every chart of the dashboard for the filters (one measure query per series). */
export async function dashboardCharts(
  db: Executor,
  filters: DashboardFilters,
  t: Translate,
  regions: readonly string[] = [],
): Promise<DashboardChart[]> {
  const out: DashboardChart[] = [];
  for (const spec of DASHBOARD_CHARTS) out.push(await dashboardChart(db, spec, filters, t, regions));
  return out;
}
