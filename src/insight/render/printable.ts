/**
 * A printable document: a self-contained HTML page (inline styles, SVG charts, tables; no script, no
 * link to anything) laid out for A4, in the document's language and direction. A section's figures
 * are in its tables; its charts draw them. The PDF is this page
 * printed by Chromium (pdf.ts); the same page opened in a browser prints the same.
 */
import type { ChartData } from './chart-data.ts';
import { renderChart } from './charts.ts';
import { type Direction, escapeXml, formatNumber } from './svg.ts';

export interface PrintableTable {
  readonly caption: string;
  readonly head: readonly string[];
  /** Cells: text, or numbers (aligned to the end, Western digits). */
  readonly rows: readonly (readonly (string | number | null)[])[];
}

export interface PrintableSection {
  readonly heading: string;
  readonly lead?: string;
  readonly charts?: readonly ChartData[];
  readonly tables?: readonly PrintableTable[];
}

export interface PrintableDocument {
  readonly language: string;
  readonly dir: Direction;
  readonly title: string;
  readonly subtitle?: string;
  /** Label and value pairs under the title (period, generated at, scope). */
  readonly facts?: readonly (readonly [string, string])[];
  readonly sections: readonly PrintableSection[];
}

const STYLE = `
@page { size: A4; }
* { box-sizing: border-box; }
body { font-family: system-ui, 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', sans-serif; font-size: 10.5pt; color: #111; margin: 0; }
h1 { font-size: 20pt; margin: 0 0 4pt; }
h2 { font-size: 14pt; margin: 18pt 0 6pt; border-block-end: 1.5pt solid #0072b2; padding-block-end: 2pt; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; }
.subtitle { font-size: 12pt; color: #333; margin: 0 0 8pt; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt; margin: 0 0 8pt; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
figure { margin: 6pt 0; break-inside: avoid; }
figure svg { inline-size: 100%; max-inline-size: 170mm; block-size: auto; display: block; }
table { border-collapse: collapse; margin: 4pt 0 8pt; break-inside: auto; inline-size: 100%; }
caption { text-align: start; font-weight: 600; padding-block-end: 2pt; }
th, td { border: 0.5pt solid #999; padding: 2pt 5pt; text-align: start; vertical-align: top; }
td.number { text-align: end; font-variant-numeric: tabular-nums; }
thead th { background: #eef3f8; }
tr { break-inside: avoid; }
section { break-inside: auto; }
`;

function cell(value: string | number | null): string {
  if (typeof value === 'number' || value === null)
    return `<td class="number" dir="ltr">${formatNumber(value)}</td>`;
  return `<td>${escapeXml(value)}</td>`;
}

function table(t: PrintableTable): string {
  return `<table><caption>${escapeXml(t.caption)}</caption>
<thead><tr>${t.head.map((h) => `<th scope="col">${escapeXml(h)}</th>`).join('')}</tr></thead>
<tbody>${t.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n')}</tbody></table>`;
}

function section(s: PrintableSection, dir: Direction): string {
  const charts = (s.charts ?? [])
    .filter((c) => c.categories.length > 0)
    .map((c) => `<figure>${renderChart(c, { dir })}</figure>`);
  return `<section><h2>${escapeXml(s.heading)}</h2>
${s.lead ? `<p>${escapeXml(s.lead)}</p>` : ''}
${charts.join('\n')}
${(s.tables ?? []).map(table).join('\n')}
</section>`;
}

/** The whole page, ready to print or to save as HTML. */
export function printableHtml(doc: PrintableDocument): string {
  const facts = doc.facts?.length
    ? `<dl class="facts">${doc.facts.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`).join('')}</dl>`
    : '';
  return `<!doctype html>
<html lang="${escapeXml(doc.language)}" dir="${doc.dir}">
<head>
<meta charset="utf-8">
<title>${escapeXml(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeXml(doc.title)}</h1>
${doc.subtitle ? `<p class="subtitle">${escapeXml(doc.subtitle)}</p>` : ''}
${facts}
</header>
<main>
${doc.sections.map((s) => section(s, doc.dir)).join('\n')}
</main>
</body>
</html>
`;
}
