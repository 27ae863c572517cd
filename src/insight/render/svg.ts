/**
 * What every chart shares: escaping, number formatting, the value scale, the palette, and the
 * mirroring that draws right-to-left languages from the right (the value axis on the right, the
 * first period at the right edge, labels anchored at their right end). Numbers stay Western digits
 * written left to right in every language, as the statistics tables and CSV show them.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for SVG/HTML element content and quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Integers as they are, other numbers to two decimals at most; null as an en dash. */
export function formatNumber(value: number | null): string {
  if (value === null) return '–';
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
}

/** A top value and tick step of 1, 2, 2.5 or 5 × 10^k, so that `ticks` steps cover `max`. */
export function niceScale(max: number, ticks = 4): { readonly top: number; readonly step: number } {
  if (!(max > 0)) return { top: ticks, step: 1 };
  const rough = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  return { top: step * Math.ceil(max / step - 1e-9), step };
}

/** Okabe–Ito colours: told apart by people with the common colour vision deficiencies. */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'] as const;

export function colour(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

export const FONT = `font-family="system-ui, 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', sans-serif"`;

export type Direction = 'ltr' | 'rtl';

/**
 * Geometry drawn in left-to-right coordinates and mirrored for right-to-left: `x` of a point,
 * `left` of a box of some width, and the anchor of a text that reads from the axis outwards.
 */
export class Mirror {
  constructor(
    readonly width: number,
    readonly dir: Direction,
  ) {}

  x(x: number): number {
    return round(this.dir === 'rtl' ? this.width - x : x);
  }

  left(x: number, width: number): number {
    return round(this.dir === 'rtl' ? this.width - x - width : x);
  }

  anchor(anchor: 'start' | 'middle' | 'end'): string {
    if (this.dir === 'ltr' || anchor === 'middle') return anchor;
    return anchor === 'start' ? 'end' : 'start';
  }
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A label cut to `max` characters with an ellipsis; the whole label stays in the table and titles. */
export function shorten(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`;
}

/** The root element: an image with its title and description (WAI-ARIA graphics, SVG 2 §5.9). */
export function svgRoot(
  options: { id: string; title: string; description: string; width: number; height: number; dir: Direction },
  body: string,
): string {
  const { id, width, height } = options;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${escapeXml(id)}-chart" role="img" aria-labelledby="${escapeXml(id)}-title ${escapeXml(id)}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ${FONT} font-size="12" direction="${options.dir}">
<title id="${escapeXml(id)}-title">${escapeXml(options.title)}</title>
<desc id="${escapeXml(id)}-desc">${escapeXml(options.description)}</desc>
${body}</svg>`;
}

/**
 * Text that reads in the page's direction. `anchor` is physical, as `Mirror.anchor` gives it (start:
 * the left edge at x); SVG reads text-anchor in the text's own direction, so right-to-left text swaps.
 */
export function label(
  x: number,
  y: number,
  anchor: string,
  text: string,
  dir: Direction,
  extra = '',
): string {
  const logical = dir === 'rtl' && anchor !== 'middle' ? (anchor === 'start' ? 'end' : 'start') : anchor;
  return `<text x="${x}" y="${y}" text-anchor="${logical}" direction="${dir}"${extra}>${escapeXml(text)}</text>`;
}

/** A number: always left to right, whatever the page's direction. */
export function numberLabel(x: number, y: number, anchor: string, value: number | null, extra = ''): string {
  return `<text class="number" x="${x}" y="${y}" text-anchor="${anchor}" direction="ltr" unicode-bidi="embed"${extra}>${formatNumber(value)}</text>`;
}

/** Legend swatches in a row from the reading side. */
export function legend(
  names: readonly string[],
  mirror: Mirror,
  start: number,
  y: number,
  dir: Direction,
): string {
  if (names.length < 2) return '';
  let x = start;
  const parts: string[] = [];
  names.forEach((name, i) => {
    const text = shorten(name, 28);
    parts.push(
      `<rect class="swatch" x="${mirror.left(x, 12)}" y="${y - 10}" width="12" height="12" fill="${colour(i)}"/>`,
      label(mirror.x(x + 16), y, mirror.anchor('start'), text, dir),
    );
    x += 16 + Math.min(28, [...text].length) * 7 + 16;
  });
  return `<g class="legend">${parts.join('')}</g>\n`;
}
