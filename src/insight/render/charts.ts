/**
 * Charts as SVG strings, from a chart's matrix (chart-data.ts): pure functions, no script, no
 * library, drawn the same on the console, in the printable report and in its PDF. Every chart is an
 * image with a title and a description, each mark carries its value (`data-value`) and a tooltip,
 * and `chartTable` gives the same figures as a table for people who do not read charts.
 */
import { type ChartData, checkChartData } from './chart-data.ts';
import {
  colour,
  type Direction,
  escapeXml,
  formatNumber,
  label,
  legend,
  Mirror,
  niceScale,
  numberLabel,
  round,
  shorten,
  svgRoot,
} from './svg.ts';

export interface DrawOptions {
  readonly dir: Direction;
  /** Width in SVG units (default 640); charts scale down with CSS `max-inline-size: 100%`. */
  readonly width?: number;
}

/** Draws a chart of any kind. */
export function renderChart(chart: ChartData, options: DrawOptions): string {
  checkChartData(chart);
  switch (chart.kind) {
    case 'line':
    case 'bar':
      return timeSeriesChart(chart, options);
    case 'breakdown':
      return breakdownChart(chart, options);
    case 'regions':
      return regionChart(chart, options);
  }
}

function markTitle(chart: ChartData, series: number, category: number): string {
  const s = chart.series[series]!;
  return `<title>${escapeXml(`${s.name} · ${chart.categories[category]}: ${formatNumber(s.values[category] ?? null)}`)}</title>`;
}

function markData(chart: ChartData, series: number, category: number): string {
  return `data-series="${escapeXml(chart.series[series]!.key)}" data-category="${escapeXml(chart.categories[category]!)}" data-value="${chart.series[series]!.values[category]}"`;
}

function maxValue(chart: ChartData): number {
  let max = 0;
  for (const s of chart.series) for (const v of s.values) if (v !== null && v > max) max = v;
  return max;
}

/** Periods along the category axis (from the reading side), values up the value axis. */
export function timeSeriesChart(chart: ChartData, options: DrawOptions): string {
  const width = options.width ?? 640;
  const mirror = new Mirror(width, options.dir);
  const top = chart.series.length > 1 ? 40 : 16;
  const height = 260 + top;
  const axisSide = 56;
  const plot = { left: axisSide, right: width - 16, top, bottom: height - 40 };
  const plotWidth = plot.right - plot.left;
  const plotHeight = plot.bottom - plot.top;
  const scale = niceScale(maxValue(chart));
  const yOf = (v: number) => round(plot.bottom - (v / scale.top) * plotHeight);
  const n = Math.max(1, chart.categories.length);
  const band = plotWidth / n;
  const centre = (i: number) => plot.left + band * (i + 0.5);
  const parts: string[] = [
    legend(
      chart.series.map((s) => s.name),
      mirror,
      plot.left,
      20,
      options.dir,
    ),
  ];

  const grid: string[] = [];
  for (let v = 0; v <= scale.top + 1e-9; v += scale.step) {
    const y = yOf(v);
    grid.push(
      `<line class="grid" x1="${mirror.x(plot.left)}" x2="${mirror.x(plot.right)}" y1="${y}" y2="${y}" stroke="#d0d0d0"/>`,
      numberLabel(mirror.x(plot.left - 6), y + 4, mirror.anchor('end'), round(v)),
    );
  }
  parts.push(`<g class="axis value-axis">${grid.join('')}</g>\n`);

  const every = Math.max(1, Math.ceil(n / Math.floor(plotWidth / 64)));
  const ticks = chart.categories.map((category, i) =>
    i % every === 0
      ? label(mirror.x(centre(i)), plot.bottom + 18, 'middle', shorten(category, 10), 'ltr')
      : '',
  );
  parts.push(
    `<g class="axis category-axis"><line x1="${mirror.x(plot.left)}" x2="${mirror.x(plot.right)}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#555"/>${ticks.join('')}</g>\n`,
  );

  if (chart.kind === 'bar') {
    // Wide enough to see, never a slab: at most 48 units a bar.
    const group = Math.min(band * 0.8, 48 * chart.series.length);
    const barWidth = group / chart.series.length;
    chart.series.forEach((series, s) => {
      const bars = series.values.map((value, i) => {
        if (value === null) return '';
        const x = centre(i) - group / 2 + s * barWidth;
        const h = round(plot.bottom - yOf(value));
        return `<rect class="mark bar" ${markData(chart, s, i)} x="${mirror.left(x, barWidth)}" y="${round(plot.bottom - h)}" width="${round(barWidth)}" height="${h}" fill="${colour(s)}">${markTitle(chart, s, i)}</rect>`;
      });
      parts.push(`<g class="series" data-series="${escapeXml(series.key)}">${bars.join('')}</g>\n`);
    });
  } else {
    chart.series.forEach((series, s) => {
      // A null value breaks the line: no value is not zero.
      let path = '';
      let pen = false;
      const marks: string[] = [];
      series.values.forEach((value, i) => {
        if (value === null) {
          pen = false;
          return;
        }
        const x = mirror.x(centre(i));
        const y = yOf(value);
        path += `${pen ? 'L' : 'M'}${x} ${y} `;
        pen = true;
        marks.push(
          `<circle class="mark point" ${markData(chart, s, i)} cx="${x}" cy="${y}" r="3.5" fill="${colour(s)}">${markTitle(chart, s, i)}</circle>`,
        );
      });
      parts.push(
        `<g class="series" data-series="${escapeXml(series.key)}"><path d="${path.trim()}" fill="none" stroke="${colour(s)}" stroke-width="2"/>${marks.join('')}</g>\n`,
      );
    });
  }
  return svgRoot({ ...chart, width, height, dir: options.dir }, parts.join(''));
}

/** One row per category, bars growing from the labels (from the right in right-to-left languages). */
export function breakdownChart(chart: ChartData, options: DrawOptions): string {
  const width = options.width ?? 640;
  const mirror = new Mirror(width, options.dir);
  const top = chart.series.length > 1 ? 36 : 8;
  const rowHeight = 12 + 14 * chart.series.length;
  const height = top + Math.max(1, chart.categories.length) * rowHeight + 8;
  const labelWidth = 180;
  const plot = { left: labelWidth + 8, right: width - 56 };
  const scale = niceScale(maxValue(chart));
  const parts: string[] = [
    legend(
      chart.series.map((s) => s.name),
      mirror,
      plot.left,
      20,
      options.dir,
    ),
  ];
  chart.categories.forEach((category, i) => {
    const y = top + i * rowHeight;
    parts.push(
      `<g class="row">${label(mirror.x(labelWidth), y + rowHeight / 2 + 4, mirror.anchor('end'), shorten(category, 26), options.dir)}`,
    );
    chart.series.forEach((series, s) => {
      const value = series.values[i] ?? null;
      const barY = y + 6 + s * 14;
      const w = value === null ? 0 : round((value / scale.top) * (plot.right - plot.left));
      if (value !== null)
        parts.push(
          `<rect class="mark bar" ${markData(chart, s, i)} x="${mirror.left(plot.left, w)}" y="${barY}" width="${w}" height="12" fill="${colour(s)}">${markTitle(chart, s, i)}</rect>`,
        );
      parts.push(numberLabel(mirror.x(plot.left + w + 4), barY + 10, mirror.anchor('start'), value));
    });
    parts.push('</g>\n');
  });
  parts.push(
    `<line class="axis" x1="${mirror.x(plot.left)}" x2="${mirror.x(plot.left)}" y1="${top}" y2="${height - 8}" stroke="#555"/>\n`,
  );
  return svgRoot({ ...chart, width, height, dir: options.dir }, parts.join(''));
}

/** Sequential blues in five classes (ColorBrewer Blues 5): darker is more. */
export const REGION_CLASSES = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'] as const;

/** The class of a value on a 0…max scale: 0 and tiny values in the lightest, max in the darkest. */
export function regionClass(value: number, max: number): number {
  if (!(max > 0) || value <= 0) return 0;
  return Math.min(REGION_CLASSES.length - 1, Math.ceil((value / max) * REGION_CLASSES.length) - 1);
}

/**
 * A tile map: one equal tile per region (the police units' regions carry no geometry), shaded by the
 * first series, in reading order from the top corner of the reading side.
 */
export function regionChart(chart: ChartData, options: DrawOptions): string {
  const width = options.width ?? 640;
  const mirror = new Mirror(width, options.dir);
  const n = Math.max(1, chart.categories.length);
  const columns = Math.min(n, Math.max(1, Math.floor((width - 16) / 128)));
  const tile = { width: (width - 16) / columns - 8, height: 64 };
  const top = 8;
  const rows = Math.ceil(n / columns);
  const height = top + rows * (tile.height + 8) + 36;
  const series = chart.series[0]!;
  const max = maxValue({ ...chart, series: [series] });
  const parts: string[] = [];
  chart.categories.forEach((region, i) => {
    const value = series.values[i] ?? null;
    const x = 8 + (i % columns) * (tile.width + 8);
    const y = top + Math.floor(i / columns) * (tile.height + 8);
    const k = value === null ? -1 : regionClass(value, max);
    const fill = k < 0 ? '#f0f0f0' : REGION_CLASSES[k];
    const ink = k >= 3 ? '#ffffff' : '#111111';
    parts.push(
      `<g class="region"><rect class="mark tile" ${markData(chart, 0, i)} data-class="${k}" x="${mirror.left(x, tile.width)}" y="${y}" width="${round(tile.width)}" height="${tile.height}" fill="${fill}" stroke="#777">${markTitle(chart, 0, i)}</rect>`,
      label(
        mirror.x(x + 8),
        y + 22,
        mirror.anchor('start'),
        shorten(region, 16),
        options.dir,
        ` fill="${ink}"`,
      ),
      numberLabel(mirror.x(x + 8), y + 46, mirror.anchor('start'), value, ` fill="${ink}" font-size="16"`),
      '</g>\n',
    );
  });
  // The legend: the five classes and the values they stand for.
  const legendY = height - 24;
  const step = max / REGION_CLASSES.length;
  REGION_CLASSES.forEach((fill, k) => {
    const x = 8 + k * 96;
    parts.push(
      `<rect class="swatch" x="${mirror.left(x, 16)}" y="${legendY}" width="16" height="12" fill="${fill}" stroke="#777"/>`,
      `<text class="number" x="${mirror.x(x + 20)}" y="${legendY + 10}" text-anchor="${mirror.anchor('start')}" direction="ltr" unicode-bidi="embed">≤ ${formatNumber(round((k + 1) * step))}</text>`,
    );
  });
  return svgRoot({ ...chart, width, height, dir: options.dir }, parts.join(''));
}

/** The chart's figures as an HTML table: the text alternative of the chart (WCAG 2.2 §1.1.1). */
export function chartTable(chart: ChartData): string {
  checkChartData(chart);
  const head = chart.series.map((s) => `<th scope="col">${escapeXml(s.name)}</th>`).join('');
  const rows = chart.categories.map((category, i) => {
    const cells = chart.series.map((s) => `<td class="number">${formatNumber(s.values[i] ?? null)}</td>`);
    return `<tr><th scope="row">${escapeXml(category)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="chart-data" id="${escapeXml(chart.id)}-table"><caption>${escapeXml(chart.title)}</caption>
<thead><tr><th scope="col">${escapeXml(chart.categoryLabel)}</th>${head}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}
