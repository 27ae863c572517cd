/**
 * The monthly report (report.ts) as a printable document in one of the six languages: the month in
 * figures, the day-by-day charts, each breakdown as a chart and its table, and the DIRBS sections.
 * Headings and measure names are translated; table cells stay as the report has them (codes, names,
 * Western digits), except that durations read in hours and ratios in percent, as on the dashboard.
 */
import { consoleCatalogue } from '../../i18n/console/index.ts';
import { direction, type Language, translator } from '../../i18n/index.ts';
import { MEASURES, type MeasureName, type MeasureUnit } from '../measures.ts';
import type { Cell, MonthlyReport, ReportTable } from '../report.ts';
import type { ChartData, ChartKind } from './chart-data.ts';
import type { StatisticsKey } from './dashboard.ts';
import {
  type PrintableDocument,
  type PrintableSection,
  type PrintableTable,
  printableHtml,
} from './printable.ts';

const UNITS = new Map<string, MeasureUnit>(MEASURES.map((m) => [m.name, m.unit]));

/** A measure's value as people read it: hours for durations, percent for ratios. */
function readable(column: string, value: Cell): Cell {
  if (typeof value !== 'number') return value;
  const unit = UNITS.get(column);
  if (unit === 'seconds') return Math.round((value / 3600) * 100) / 100;
  if (unit === 'ratio') return Math.round(value * 1000) / 10;
  return value;
}

/** What each table of the report is drawn as (tables not listed are shown as tables only). */
const CHARTS: Readonly<Record<string, { kind: ChartKind; columns: readonly string[] }[]>> = {
  effectiveness_daily: [
    { kind: 'bar', columns: ['reports_received', 'devices_blocked'] },
    { kind: 'bar', columns: ['blocked_attempts', 'devices_recovered'] },
  ],
  by_region: [{ kind: 'regions', columns: ['reports_received'] }],
  by_reason: [{ kind: 'breakdown', columns: ['devices_blocked'] }],
  by_rule: [{ kind: 'breakdown', columns: ['appeals_decided', 'appeals_overturned'] }],
  by_operator: [{ kind: 'breakdown', columns: ['reports_received', 'devices_blocked'] }],
  compliance_breakdown: [{ kind: 'breakdown', columns: ['num_imeis'] }],
  top_models: [{ kind: 'breakdown', columns: ['num_imeis'] }],
  blacklist_violations_by_age: [{ kind: 'breakdown', columns: ['num_imeis'] }],
};

/** Columns that are not measures but have a name in the catalogue. */
const COLUMNS: Readonly<Record<string, StatisticsKey>> = {
  day: 'statistics.grain.day',
  region: 'statistics.category.region',
  reason: 'statistics.category.reason',
  rule: 'statistics.category.rule',
  operator: 'statistics.operator',
};

/** Dates and versions read left to right inside right-to-left text (Unicode bidi isolates, UAX #9). */
const ltr = (text: string) => `\u2066${text}\u2069`;

export function reportDocument(report: MonthlyReport, language: Language): PrintableDocument {
  const t = translator(consoleCatalogue, language);
  const say = (key: StatisticsKey, params?: Record<string, string>) => t(key, params);
  const has = (key: string): key is StatisticsKey => key in consoleCatalogue.en;
  const header = (column: string) => {
    if (has(`statistics.measure.${column}`)) return say(`statistics.measure.${column}` as StatisticsKey);
    const known = COLUMNS[column];
    return known ? say(known) : column;
  };
  const titleOf = (table: ReportTable) =>
    has(`statistics.table.${table.name}`)
      ? say(`statistics.table.${table.name}` as StatisticsKey)
      : table.title;
  const category = (table: ReportTable, row: readonly Cell[]) =>
    table.name === 'top_models' ? `${row[0] ?? '—'} ${row[1] ?? ''}`.trim() : String(row[0] ?? '—');

  const chartsOf = (table: ReportTable): ChartData[] =>
    (CHARTS[table.name] ?? []).flatMap((spec, i) => {
      const columns = spec.columns.filter((c) => table.columns.includes(c));
      if (columns.length === 0 || table.rows.length === 0) return [];
      const title = columns.map(header).join(' · ');
      return [
        {
          id: `${table.name.replaceAll('_', '-')}-${i + 1}`,
          kind: spec.kind,
          title,
          description: `${titleOf(table)}: ${title}`,
          categoryKey: table.columns[0]!.replace(/[^a-z0-9_]/g, '_'),
          categoryLabel: header(table.columns[0]!),
          categories: table.rows.map((row) => category(table, row)),
          series: columns.map((c) => {
            const at = table.columns.indexOf(c);
            return {
              key: c,
              name: header(c),
              values: table.rows.map((row) => {
                const v = readable(c, row[at] ?? null);
                return typeof v === 'number' && v >= 0 ? v : null;
              }),
            };
          }),
        },
      ];
    });

  const asTable = (table: ReportTable): PrintableTable => ({
    caption: table.name === 'effectiveness_daily' ? say('statistics.report.daily') : titleOf(table),
    head: table.columns.map(header),
    rows: table.rows.map((row) => row.map((cell, i) => readable(table.columns[i]!, cell))),
  });

  const summary: PrintableTable = {
    caption: say('statistics.report.summary'),
    head: [say('statistics.report.measure'), say('statistics.report.value')],
    rows: (Object.keys(report.summary) as MeasureName[]).map((name) => [
      header(name),
      readable(name, report.summary[name] ?? null),
    ]),
  };

  // The month's curve first, then its figures, then every breakdown and the DIRBS sections.
  const sections: PrintableSection[] = [];
  const first = (table: ReportTable) => (table.name === 'effectiveness_daily' ? 0 : 1);
  for (const table of [...report.tables].sort((a, b) => first(a) - first(b))) {
    if (table.name === 'effectiveness') {
      // Its figures are the summary, with the measures' names translated.
      sections.push({ heading: say('statistics.report.summary'), tables: [summary] });
      continue;
    }
    const daily = table.name === 'effectiveness_daily';
    sections.push({
      heading: daily ? say('statistics.report.daily') : titleOf(table),
      ...(daily ? { lead: say('statistics.report.dailyDesc') } : {}),
      ...(table.name === 'identifier_counts' && !report.network_data
        ? { lead: say('statistics.report.noNetworkData') }
        : {}),
      charts: chartsOf(table),
      tables: [asTable(table)],
    });
  }
  return {
    language,
    dir: direction(language),
    title: say('statistics.report.title', { month: ltr(report.month) }),
    subtitle: report.operator
      ? say('statistics.report.operator', { operator: ltr(report.operator) })
      : say('statistics.report.country'),
    facts: [
      [say('statistics.report.period'), ltr(`${report.from} – ${report.to}`)],
      [say('statistics.report.generated'), ltr(report.generated_at.slice(0, 16).replace('T', ' '))],
      [
        say('statistics.report.version'),
        ltr(`${report.report_version} (OpenCEIR ${report.software_version})`),
      ],
    ],
    sections,
  };
}

/** The report as a self-contained printable HTML page. */
export function reportHtml(report: MonthlyReport, language: Language): string {
  return printableHtml(reportDocument(report, language));
}
