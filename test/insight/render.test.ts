/**
 * Charts as SVG (src/insight/render/): the structure of the markup, read back with regular
 * expressions: marks proportional to values, labels and the text alternative present, right-to-left
 * mirrored, input checked with errors that name the field.
 */
import { describe, expect, it } from 'vitest';
import {
  type ChartData,
  ChartDataError,
  chartCsv,
  checkChartData,
} from '../../src/insight/render/chart-data.ts';
import { chartTable, regionClass, renderChart } from '../../src/insight/render/charts.ts';
import { niceScale } from '../../src/insight/render/svg.ts';

interface Mark {
  readonly tag: string;
  readonly attributes: Record<string, string>;
}

function marks(svg: string): Mark[] {
  const found: Mark[] = [];
  for (const match of svg.matchAll(/<(rect|circle) class="mark[^"]*"([^>]*)>/g)) {
    const attributes: Record<string, string> = {};
    for (const a of match[2]!.matchAll(/([a-z-]+)="([^"]*)"/g)) attributes[a[1]!] = a[2]!;
    found.push({ tag: match[1]!, attributes });
  }
  return found;
}

const num = (mark: Mark, name: string) => Number(mark.attributes[name]);

const monthly: ChartData = {
  id: 'reports',
  kind: 'bar',
  title: 'Reports received',
  description: 'Theft and loss reports per month',
  categoryKey: 'period',
  categoryLabel: 'Month',
  categories: ['2026-01', '2026-02', '2026-03', '2026-04'],
  series: [{ key: 'reports', name: 'Reports', values: [10, 40, 0, 25] }],
};

describe('time series', () => {
  it('draws bars with heights proportional to the values, on one baseline', () => {
    const svg = renderChart(monthly, { dir: 'ltr' });
    const bars = marks(svg);
    expect(bars.map((b) => Number(b.attributes['data-value']))).toEqual([10, 40, 0, 25]);
    const unit = num(bars[1]!, 'height') / 40;
    expect(unit).toBeGreaterThan(0);
    for (const bar of bars) expect(num(bar, 'height')).toBeCloseTo(unit * num(bar, 'data-value'), 1);
    const baselines = new Set(bars.map((b) => Math.round(num(b, 'y') + num(b, 'height'))));
    expect(baselines.size).toBe(1);
    // Left to right in time.
    const xs = bars.map((b) => num(b, 'x'));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  it('is an image with a title, a description and every category labelled', () => {
    const svg = renderChart(monthly, { dir: 'ltr' });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="reports-title reports-desc"/);
    expect(svg).toContain('<title id="reports-title">Reports received</title>');
    expect(svg).toContain('<desc id="reports-desc">Theft and loss reports per month</desc>');
    for (const month of monthly.categories) expect(svg).toContain(`>${month}</text>`);
    // The value axis reaches the largest value on a round number.
    expect(svg).toContain('>40</text>');
  });

  it('mirrors right to left: first period at the right, value axis on the right, numbers left to right', () => {
    const ltr = marks(renderChart(monthly, { dir: 'ltr', width: 640 }));
    const rtlSvg = renderChart(monthly, { dir: 'rtl', width: 640 });
    const rtl = marks(rtlSvg);
    ltr.forEach((bar, i) => {
      expect(num(rtl[i]!, 'x')).toBeCloseTo(640 - num(bar, 'x') - num(bar, 'width'), 1);
      expect(num(rtl[i]!, 'height')).toBe(num(bar, 'height'));
    });
    expect(num(rtl[0]!, 'x')).toBeGreaterThan(num(rtl[3]!, 'x'));
    expect(rtlSvg).toContain('direction="rtl"');
    const axisLabels = [...rtlSvg.matchAll(/<text class="number" x="([\d.]+)"[^>]*direction="ltr"/g)];
    expect(axisLabels.length).toBeGreaterThan(0);
    for (const [, x] of axisLabels) expect(Number(x)).toBeGreaterThan(320);
  });

  it('draws lines with a point per value and a gap where a value is missing', () => {
    const svg = renderChart(
      {
        ...monthly,
        id: 'time-to-block',
        kind: 'line',
        series: [
          { key: 'p50_hours', name: 'median', values: [2, null, 4, 3] },
          { key: 'p95_hours', name: '95th percentile', values: [5, null, 9, 8] },
        ],
      },
      { dir: 'ltr' },
    );
    expect(marks(svg)).toHaveLength(6);
    const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(2);
    for (const d of paths) expect(d.match(/M/g)).toHaveLength(2);
    // Two series: a legend names both.
    expect(svg).toContain('>median</text>');
    expect(svg).toContain('>95th percentile</text>');
    const [p50, p95] = [marks(svg)[0]!, marks(svg)[3]!];
    expect(num(p95, 'cy')).toBeLessThan(num(p50, 'cy'));
  });
});

describe('breakdown', () => {
  const byReason: ChartData = {
    id: 'blocks-by-reason',
    kind: 'breakdown',
    title: 'Blocks by reason',
    description: 'Devices blocked in the period, per reason',
    categoryKey: 'reason',
    categoryLabel: 'Reason',
    categories: ['stolen', 'lost', 'duplicate <script>'],
    series: [{ key: 'blocks', name: 'Blocks', values: [30, 12, 3] }],
  };

  it('draws bar lengths proportional to the values and escapes labels', () => {
    const svg = renderChart(byReason, { dir: 'ltr' });
    const bars = marks(svg);
    const unit = num(bars[0]!, 'width') / 30;
    expect(num(bars[1]!, 'width')).toBeCloseTo(unit * 12, 1);
    expect(num(bars[2]!, 'width')).toBeCloseTo(unit * 3, 1);
    expect(new Set(bars.map((b) => num(b, 'x'))).size).toBe(1);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('duplicate &lt;script&gt;');
  });

  it('grows bars from the right in right to left', () => {
    const bars = marks(renderChart(byReason, { dir: 'rtl', width: 600 }));
    const ends = new Set(bars.map((b) => Math.round(num(b, 'x') + num(b, 'width'))));
    expect(ends.size).toBe(1);
    expect([...ends][0]).toBe(600 - 188);
    // Labels sit right of the bars, their left edge against them: the end of right-to-left text
    // (SVG reads text-anchor in the text's direction), as the end of left-to-right text is in LTR.
    const svg = renderChart(byReason, { dir: 'rtl', width: 600 });
    expect(svg).toContain('<text x="420" y="25" text-anchor="end" direction="rtl">stolen</text>');
    expect(renderChart(byReason, { dir: 'ltr', width: 600 })).toContain(
      '<text x="180" y="25" text-anchor="end" direction="ltr">stolen</text>',
    );
  });
});

describe('regions', () => {
  const regions: ChartData = {
    id: 'reports-by-region',
    kind: 'regions',
    title: 'Reports by region',
    description: 'Reports per police region',
    categoryKey: 'region',
    categoryLabel: 'Region',
    categories: ['capital', 'coast', 'north', 'south'],
    series: [{ key: 'reports', name: 'Reports', values: [50, 0, 10, null] }],
  };

  it('shades one tile per region by class, darkest for the most', () => {
    const tiles = marks(renderChart(regions, { dir: 'ltr' }));
    expect(tiles.map((t) => t.attributes['data-class'])).toEqual(['4', '0', '0', '-1']);
    expect(regionClass(25, 50)).toBe(2);
    expect(regionClass(50, 50)).toBe(4);
    expect(regionClass(0, 0)).toBe(0);
    const [capital, coast] = [tiles[0]!, tiles[1]!];
    expect(num(capital, 'x')).toBeLessThan(num(coast, 'x'));
    const rtl = marks(renderChart(regions, { dir: 'rtl' }));
    expect(num(rtl[0]!, 'x')).toBeGreaterThan(num(rtl[1]!, 'x'));
  });
});

describe('text alternative and CSV', () => {
  it('gives a table with a caption, a header per series and a row per category', () => {
    const table = chartTable(monthly);
    expect(table).toContain('<caption>Reports received</caption>');
    expect(table).toContain('<th scope="col">Month</th><th scope="col">Reports</th>');
    expect(table.match(/<th scope="row">/g)).toHaveLength(4);
    expect(table).toContain('<th scope="row">2026-02</th><td class="number">40</td>');
  });

  it('exports exactly the matrix as CSV, empty for a missing value, quoted where needed', () => {
    expect(
      chartCsv({
        ...monthly,
        categories: ['a,b', 'c'],
        series: [
          { key: 'x', name: 'X', values: [1.5, null] },
          { key: 'y', name: 'Y', values: [0, 7] },
        ],
      }),
    ).toBe('period,x,y\r\n"a,b",1.5,0\r\nc,,7\r\n');
  });

  it('refuses a matrix it cannot draw, naming the field and the rule', () => {
    const bad = (chart: Partial<ChartData>) => () => checkChartData({ ...monthly, ...chart });
    expect(bad({ series: [] })).toThrow('chart series: has at least one series');
    expect(bad({ series: [{ key: 'r', name: 'R', values: [1] }] })).toThrow(
      'chart series[0].values: has one value per category (4)',
    );
    expect(bad({ series: [{ key: 'r', name: 'R', values: [1, 2, -3, 4] }] })).toThrow(ChartDataError);
    expect(bad({ id: 'Bad Id' })).toThrow('chart id:');
  });

  it('picks round scale tops', () => {
    expect(niceScale(40)).toEqual({ top: 40, step: 10 });
    expect(niceScale(37)).toEqual({ top: 40, step: 10 });
    expect(niceScale(0.9)).toEqual({ top: 1, step: 0.25 });
    expect(niceScale(0)).toEqual({ top: 4, step: 1 });
  });
});
