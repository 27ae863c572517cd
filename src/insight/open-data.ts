/**
 * Open data: the public statistics (Res. 97 effectiveness figures) for anyone, peer countries and
 * researchers included. Aggregated counts only, with small cells suppressed (suppress.ts) so that no
 * person can be singled out, in a versioned shape described by docs/open-data-statistics.schema.json.
 */
import type { Executor } from '../store/index.ts';
import {
  computeMeasure,
  type Dimension,
  type MeasureName,
  measureDefinition,
  measureSupports,
} from './measures.ts';
import { InsightInputError, parseDate, spanDays } from './period.ts';
import { suppressTable } from './suppress.ts';

/** Bumped on any change of shape; additions of measures keep the major number. */
export const OPEN_DATA_SCHEMA_VERSION = '1.0.0';
/** Where the JSON Schema of the answer is served. */
export const OPEN_DATA_SCHEMA_PATH = '/api/v1/open-data/statistics.schema.json';
export const OPEN_DATA_BY = ['month', 'operator', 'region', 'reason'] as const;
export type OpenDataBy = (typeof OPEN_DATA_BY)[number];
/** Longest range one request may cover. */
export const OPEN_DATA_MAX_DAYS = 731;

/** The counts published (rates and percentiles are left out: readers derive rates from the counts). */
export const OPEN_DATA_MEASURES: readonly MeasureName[] = [
  'reports_received',
  'devices_blocked',
  'devices_tracked',
  'blocked_attempts',
  'devices_traced',
  'alerts_raised',
  'devices_recovered',
  'unblocks',
  'appeals_filed',
  'appeals_decided',
  'appeals_overturned',
  'blocked_list_size',
];

export interface OpenDataQuery {
  readonly from: string;
  readonly to: string;
  readonly by: OpenDataBy;
}

export interface OpenDataCell {
  /** The month (`YYYY-MM`), operator, region or reason; null for items without one. */
  readonly group: string | null;
  readonly value: number | null;
  readonly suppressed: boolean;
}

export interface OpenDataMeasure {
  readonly name: MeasureName;
  readonly description: string;
  /** The whole range; for blocked_list_size, the size at the range's end. */
  readonly total: { readonly value: number | null; readonly suppressed: boolean };
  readonly cells: readonly OpenDataCell[];
}

export interface OpenDataStatistics {
  readonly schema_version: string;
  readonly schema: string;
  readonly from: string;
  readonly to: string;
  readonly by: OpenDataBy;
  /** Counts below this are withheld (setting `open_data.min_cell`). */
  readonly min_cell: number;
  readonly measures: readonly OpenDataMeasure[];
}

/** Parses the query string; errors name the parameter and the rule. */
export function parseOpenDataQuery(input: { from?: unknown; to?: unknown; by?: unknown }): OpenDataQuery {
  const from = parseDate('from', input.from);
  const to = parseDate('to', input.to);
  if (from > to) throw new InsightInputError('to', `must not be before from (${from})`);
  if (spanDays(from, to) > OPEN_DATA_MAX_DAYS) {
    throw new InsightInputError('to', `the range may cover at most ${OPEN_DATA_MAX_DAYS} days`);
  }
  const by = input.by ?? 'month';
  if (!OPEN_DATA_BY.includes(by as OpenDataBy)) {
    throw new InsightInputError('by', `must be one of ${OPEN_DATA_BY.join(', ')}`);
  }
  return { from, to, by: by as OpenDataBy };
}

/** Computes the published figures for a query, suppressed with threshold `minCell`. */
export async function openDataStatistics(
  db: Executor,
  query: OpenDataQuery,
  minCell: number,
): Promise<OpenDataStatistics> {
  const dimension: Dimension | null = query.by === 'month' ? null : query.by;
  const measures: OpenDataMeasure[] = [];
  for (const name of OPEN_DATA_MEASURES) {
    if (!measureSupports(name, { by: dimension })) continue;
    const range = { from: query.from, to: query.to };
    const total = await computeMeasure(db, name, { ...range, granularity: 'period' });
    const parts = await computeMeasure(db, name, {
      ...range,
      granularity: dimension ? 'period' : 'month',
      by: dimension,
    });
    const cells = parts.rows.map((r) => ({
      key: dimension ? (r.group ?? '') : r.bucket.slice(0, 7),
      group: dimension ? r.group : r.bucket.slice(0, 7),
      value: r.value ?? 0,
    }));
    const table = suppressTable(cells, total.rows[0]?.value ?? 0, minCell);
    measures.push({
      name,
      description: measureDefinition(name).description,
      total: table.total,
      cells: table.cells.map((c, i) => ({
        group: cells[i]!.group,
        value: c.value,
        suppressed: c.suppressed,
      })),
    });
  }
  return {
    schema_version: OPEN_DATA_SCHEMA_VERSION,
    schema: OPEN_DATA_SCHEMA_PATH,
    from: query.from,
    to: query.to,
    by: query.by,
    min_cell: minCell,
    measures,
  };
}
