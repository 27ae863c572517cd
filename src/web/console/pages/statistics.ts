/**
 * The statistics page of the regulator console: the filter form (a plain GET form, so a view is a
 * link that can be shared or bookmarked), then every chart with its figures as a table and a link
 * to its data as CSV. Charts are SVG drawn on the server (no script).
 */
import type { ConsoleKey } from '../../../i18n/console/index.ts';
import { chartTable, renderChart } from '../../../insight/render/charts.ts';
import type { DashboardChart, DashboardFilters } from '../../../insight/render/dashboard.ts';
import { errorSummary, field, select } from '../../portal/forms.ts';
import { html, raw, type SafeHtml } from '../../portal/html.ts';
import type { ConsoleLocalized } from '../language.ts';

/** Fields of the filter form, in the query string. */
export const FILTER_FIELDS = ['from', 'to', 'grain', 'operator', 'region', 'reason'] as const;

const FIELD_LABELS: Readonly<Record<string, ConsoleKey>> = {
  from: 'statistics.from',
  to: 'statistics.to',
  grain: 'statistics.grain',
  operator: 'statistics.operator',
  region: 'statistics.region',
  reason: 'statistics.reason',
};

export interface StatisticsPageOptions {
  /** What the form shows: the filters in force, or what was typed when refused. */
  readonly values: Readonly<Record<string, string>>;
  /** The query string of the filters in force (for the CSV links); empty when refused. */
  readonly query: string;
  readonly charts: readonly DashboardChart[];
  readonly operators: readonly string[];
  readonly regions: readonly string[];
  readonly reasons: readonly string[];
  readonly error?: { readonly field: string; readonly rule: string } | null;
}

/** Charts scale to the column; marks keep their colours when printed. */
const STYLE = raw(`<style>
.charts { display: grid; gap: 1.5rem; }
.chart-block svg.chart { inline-size: 100%; max-inline-size: 42rem; block-size: auto; display: block; }
.chart-block figure { margin: 0; }
.filters { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: end; }
.chart-data td.number { text-align: end; }
@media print { .filters, .csv { display: none; } .chart-block { break-inside: avoid; } }
</style>`);

function choices(l: ConsoleLocalized, values: readonly string[]): { value: string; label: string }[] {
  return [{ value: '', label: l.t('statistics.all') }, ...values.map((v) => ({ value: v, label: v }))];
}

function filterForm(l: ConsoleLocalized, options: StatisticsPageOptions): SafeHtml {
  const v = options.values;
  const error = (name: string) =>
    options.error?.field === name ? html`<span lang="en" dir="ltr">${options.error.rule}</span>` : null;
  return html`<form method="get" action="/console/statistics" class="filters" aria-label="${l.t('statistics.filters')}">
${field({ name: 'from', label: l.t('statistics.from'), value: v.from ?? '', dir: 'ltr', error: error('from') })}
${field({ name: 'to', label: l.t('statistics.to'), value: v.to ?? '', dir: 'ltr', error: error('to') })}
${select({
  name: 'grain',
  legend: l.t('statistics.grain'),
  value: v.grain ?? 'month',
  error: error('grain'),
  choices: (['day', 'week', 'month'] as const).map((g) => ({
    value: g,
    label: l.t(`statistics.grain.${g}`),
  })),
})}
${select({ name: 'operator', legend: l.t('statistics.operator'), value: v.operator ?? '', error: error('operator'), choices: choices(l, options.operators) })}
${select({ name: 'region', legend: l.t('statistics.region'), value: v.region ?? '', error: error('region'), choices: choices(l, options.regions) })}
${select({ name: 'reason', legend: l.t('statistics.reason'), value: v.reason ?? '', error: error('reason'), choices: choices(l, options.reasons) })}
<div class="field"><button type="submit" class="button">${l.t('statistics.apply')}</button></div>
</form>`;
}

function chartBlock(l: ConsoleLocalized, item: DashboardChart, query: string): SafeHtml {
  const { chart } = item;
  const heading = `${chart.id}-heading`;
  if (!item.available)
    return html`<section class="chart-block" aria-labelledby="${heading}"><h2 id="${heading}">${chart.title}</h2>
<p>${l.t('statistics.unavailable')}</p></section>`;
  const empty = chart.kind === 'regions' && chart.categories.length === 0;
  return html`<section class="chart-block" id="${chart.id}" aria-labelledby="${heading}">
<h2 id="${heading}">${chart.title}</h2>
${
  empty
    ? html`<p>${l.t('statistics.noRegions')}</p>`
    : html`<figure>${raw(renderChart(chart, { dir: l.dir }))}</figure>
<details><summary>${l.t('statistics.table')}</summary>${raw(chartTable(chart))}</details>`
}
<p class="csv"><a href="/console/statistics/${chart.id}.csv${query ? `?${query}` : ''}" download="${chart.id}.csv">${l.t('statistics.csv')}</a></p>
</section>`;
}

export function statisticsPage(l: ConsoleLocalized, options: StatisticsPageOptions): SafeHtml {
  const summary = options.error
    ? errorSummary(l.t('error.summary'), [
        {
          field: options.error.field,
          message: html`${l.t(FIELD_LABELS[options.error.field] ?? 'statistics.filters')}: <span lang="en" dir="ltr">${options.error.rule}</span>`,
        },
      ])
    : html``;
  return html`${STYLE}${summary}<p>${l.t('statistics.lead')}</p>
${filterForm(l, options)}
<div class="charts">${options.charts.map((c) => chartBlock(l, c, options.query))}</div>`;
}

/** The filters in force as the form's values and as the query string of links. */
export function filterValues(filters: DashboardFilters): Record<string, string> {
  return {
    from: filters.from,
    to: filters.to,
    grain: filters.grain,
    operator: filters.operator ?? '',
    region: filters.region ?? '',
    reason: filters.reason ?? '',
  };
}
