/**
 * The one shape every chart is drawn from, shown as a table from, and exported as CSV from: a matrix
 * of categories (periods, operators, reasons, regions) by series (measures). Drawing, the table
 * alternative and the CSV read the same object, so what a person sees, reads and downloads agree.
 */

export type ChartKind = 'line' | 'bar' | 'breakdown' | 'regions';

export interface ChartSeries {
  /** Stable machine name: the CSV column header (e.g. `reports`, `p95_hours`). */
  readonly key: string;
  /** What a person reads in the legend and the table, in the page's language. */
  readonly name: string;
  /** One value per category; null where the measure has no value (e.g. a percentile of nothing). */
  readonly values: readonly (number | null)[];
}

export interface ChartData {
  /** Stable id: element ids and the CSV export route (`/console/statistics/<id>.csv`). */
  readonly id: string;
  readonly kind: ChartKind;
  readonly title: string;
  /** One sentence saying what the chart shows (SVG `desc`, read by screen readers). */
  readonly description: string;
  /** Machine name of the category column in CSV (`period`, `operator`, `reason`, `region`). */
  readonly categoryKey: string;
  /** Header of the category column in the table, in the page's language. */
  readonly categoryLabel: string;
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
}

export class ChartDataError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`chart ${field}: ${rule}`);
    this.name = 'ChartDataError';
  }
}

const KEY = /^[a-z][a-z0-9_]*$/;

/** Checks the matrix before drawing: a chart that cannot be drawn says why, naming the field. */
export function checkChartData(chart: ChartData): ChartData {
  if (!/^[a-z][a-z0-9-]*$/.test(chart.id))
    throw new ChartDataError('id', 'is lower-case letters, digits and -');
  if (!KEY.test(chart.categoryKey))
    throw new ChartDataError('categoryKey', 'is lower-case letters, digits and _');
  if (chart.series.length === 0) throw new ChartDataError('series', 'has at least one series');
  for (const [i, series] of chart.series.entries()) {
    if (!KEY.test(series.key))
      throw new ChartDataError(`series[${i}].key`, 'is lower-case letters, digits and _');
    if (series.values.length !== chart.categories.length)
      throw new ChartDataError(
        `series[${i}].values`,
        `has one value per category (${chart.categories.length})`,
      );
    for (const value of series.values)
      if (value !== null && !(Number.isFinite(value) && value >= 0))
        throw new ChartDataError(`series[${i}].values`, 'are finite numbers ≥ 0 or null');
  }
  return chart;
}

/** RFC 4180 CSV of exactly the chart's matrix: the category column, then one column per series. */
export function chartCsv(chart: ChartData): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [[chart.categoryKey, ...chart.series.map((s) => s.key)].map(cell).join(',')];
  chart.categories.forEach((category, i) => {
    lines.push(
      [cell(category), ...chart.series.map((s) => (s.values[i] === null ? '' : String(s.values[i])))].join(
        ',',
      ),
    );
  });
  return `${lines.join('\r\n')}\r\n`;
}
