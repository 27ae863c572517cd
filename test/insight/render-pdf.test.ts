/**
 * Printable documents to PDF with real Chromium, checked by converting the first page to PNG with
 * pdftoppm (poppler-utils) and counting the pixels that are not white, with a small PNG reader on
 * node:zlib: the page has ink, and more of it where the charts are drawn; English and Arabic. Then the
 * monthly report of a known history (PGlite), laid out and printed in both languages.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoAccounts } from '../../src/accounts/demo.ts';
import type { CaseActor } from '../../src/cases/index.ts';
import { type DeviceKey, fullImei } from '../../src/identifiers/index.ts';
import type { ChartData } from '../../src/insight/render/chart-data.ts';
import { htmlToPdf, PdfError, renderReportPdf } from '../../src/insight/render/pdf.ts';
import { type PrintableDocument, printableHtml } from '../../src/insight/render/printable.ts';
import { reportHtml } from '../../src/insight/render/report-document.ts';
import { buildMonthlyReport } from '../../src/insight/report.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ARTIFACTS } from '../support/browser.ts';
import { runCli } from '../support/process.ts';

interface Raster {
  readonly width: number;
  readonly height: number;
  /** Pixels whose darkest channel is below 230 of 255. */
  readonly inked: number;
  /** Of those, pixels clearly coloured (channels differ by more than 60): chart marks, not text. */
  readonly coloured: number;
}

/** Reads an 8-bit grey, RGB or RGBA PNG (what pdftoppm writes), PNG spec §7–9 (filters 0–4). */
function readPng(data: Buffer): Raster {
  if (!data.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])))
    throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || interlace !== 0)
        throw new Error(`unsupported PNG depth ${depth} interlace ${interlace}`);
      channels = ({ 0: 1, 2: 3, 6: 4 } as Record<number, number>)[colour!] ?? 0;
      if (!channels) throw new Error(`unsupported PNG colour type ${colour}`);
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  let previous = Buffer.alloc(stride);
  let inked = 0;
  let coloured = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels]! : 0;
      const b = previous[i]!;
      const c = i >= channels ? previous[i - channels]! : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = b;
      else if (filter === 3) add = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = (line[i]! + add) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const px = [...line.subarray(x * channels, x * channels + Math.min(3, channels))];
      const min = Math.min(...px);
      if (min < 230) inked++;
      if (Math.max(...px) - min > 60) coloured++;
    }
    previous = line;
  }
  return { width, height, inked, coloured };
}

/** The first page of a PDF as PNG at 60 dpi, read back. */
function firstPage(pdf: string, name: string): Raster {
  mkdirSync(ARTIFACTS, { recursive: true });
  const prefix = path.join(ARTIFACTS, name);
  execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '60', '-png', '-singlefile', pdf, prefix], {
    timeout: 60_000,
  });
  return readPng(readFileSync(`${prefix}.png`));
}

const chart = (id: string, kind: ChartData['kind'], title: string): ChartData => ({
  id,
  kind,
  title,
  description: title,
  categoryKey: 'period',
  categoryLabel: title,
  categories: ['2026-04-06', '2026-04-13', '2026-04-20', '2026-04-27'],
  series: [
    { key: 'a', name: 'a', values: [12, 30, 7, 19] },
    { key: 'b', name: 'b', values: [3, 9, 4, 11] },
  ],
});

describe('PDF of a printable document', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-pdf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const doc = (language: 'en' | 'ar', withCharts: boolean): PrintableDocument => ({
    language,
    dir: language === 'ar' ? 'rtl' : 'ltr',
    title: language === 'ar' ? 'التقرير الشهري' : 'Monthly report',
    facts: [[language === 'ar' ? 'الشهر' : 'Month', '2026-04']],
    sections: [
      {
        heading: language === 'ar' ? 'الفعالية' : 'Effectiveness',
        charts: withCharts ? [chart('reports', 'bar', 'Reports'), chart('time', 'line', 'Time')] : [],
      },
    ],
  });

  for (const language of ['en', 'ar'] as const) {
    it(`prints the page with its charts drawn (${language})`, async () => {
      const file = path.join(dir, `document-${language}.pdf`);
      await htmlToPdf(printableHtml(doc(language, true)), file);
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      const page = firstPage(file, `document-${language}`);
      // A4 at 60 dpi.
      expect(page.width).toBeGreaterThan(480);
      expect(page.height).toBeGreaterThan(680);
      const bare = path.join(dir, `bare-${language}.pdf`);
      await htmlToPdf(printableHtml(doc(language, false)), bare);
      const text = firstPage(bare, `document-bare-${language}`);
      expect(text.inked).toBeGreaterThan(50);
      // The charts' bars and lines are coloured ink that the text-only page does not have.
      expect(page.coloured).toBeGreaterThan(text.coloured + 2000);
      expect(page.inked).toBeGreaterThan(text.inked + 2000);
    }, 120_000);
  }

  it('says which Chromium is missing, by path', async () => {
    const missing = path.join(dir, 'no-chromium');
    await expect(htmlToPdf('<p>x</p>', path.join(dir, 'x.pdf'), { chromium: missing })).rejects.toThrow(
      `Chromium, which was not found at ${missing}`,
    );
    await expect(
      htmlToPdf('<p>x</p>', path.join(dir, 'x.pdf'), { chromium: missing }),
    ).rejects.toBeInstanceOf(PdfError);
    expect(existsSync(path.join(dir, 'x.pdf'))).toBe(false);
  });
});

describe('PDF of the monthly report', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-report-pdf-'));
  let t: TestApp;
  const month = new Date().toISOString().slice(0, 7);

  beforeAll(async () => {
    t = await createTestApp('pglite');
    await seedDemoAccounts(t.context.store, t.accounts);
    // Police reports in three regions, one recovered; two rule blocks.
    for (const [i, region] of ['capital', 'capital', 'north', 'coast'].entries()) {
      const unit = region === 'capital' ? 'police-capital' : 'police-north';
      const actor: CaseActor = {
        kind: 'police',
        name: unit,
        organisation: { id: unit, kind: 'police', operatorId: null },
      };
      const { record } = await t.context.desk.cases.report(
        {
          imeis: [fullImei(`35387923${500_000 + i}` as DeviceKey)],
          kind: 'stolen',
          region,
          policeReportNumber: `R-${i}`,
        },
        actor,
        'police',
      );
      if (i === 0) await t.context.desk.cases.act(record.reference, 'recover', actor, 'found');
    }
    for (const n of [7, 8])
      await t.call(`/api/v1/devices/${fullImei(`35387923${600_000 + n}` as DeviceKey)}/block`, {
        method: 'POST',
        json: { reason: 'duplicate', source: 'rule:duplicate-threshold' },
      });
  });
  afterAll(async () => {
    await t?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lays out the report with its charts, translated headings and readable units', async () => {
    const report = await buildMonthlyReport(t.context.store.db, { month });
    const en = reportHtml(report, 'en');
    expect(en).toContain(`<h1>Monthly report \u2066${month}\u2069</h1>`);
    expect(en).toContain('<td>recovery rate (%)</td><td class="number" dir="ltr">25</td>');
    expect(en).toContain('<td>reports received</td><td class="number" dir="ltr">4</td>');
    expect(en).toMatch(/id="by-region-1-chart"/);
    const ar = reportHtml(report, 'ar');
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    expect(ar).toContain(`التقرير الشهري \u2066${month}\u2069`);
    expect(ar).toContain('<td>البلاغات الواردة</td>');
  });

  for (const language of ['en', 'ar'] as const) {
    it(`renders to PDF with charts on the first page (${language})`, async () => {
      const report = await buildMonthlyReport(t.context.store.db, { month });
      const file = path.join(dir, `report-${language}.pdf`);
      await renderReportPdf(report, file, { language });
      const page = firstPage(file, `report-${language}`);
      // The same layout for a month with nothing in it: headings, axes and zeros, no bars.
      const empty = path.join(dir, `empty-${language}.pdf`);
      await renderReportPdf(await buildMonthlyReport(t.context.store.db, { month: '2020-01' }), empty, {
        language,
      });
      const blank = firstPage(empty, `report-empty-${language}`);
      expect(blank.inked).toBeGreaterThan(10_000);
      expect(page.inked).toBeGreaterThan(10_000);
      // The day-by-day bars on the first page are coloured ink the empty month does not have.
      expect(page.coloured).toBeGreaterThan(blank.coloured + 400);
    }, 120_000);
  }
});

describe('openceir report monthly --pdf', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-report-cli-'));
  const env = { OPENCEIR_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', OPENCEIR_DEMO: '0' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes report.pdf in the language asked, refuses another, and names a missing Chromium', async () => {
    const out = path.join(dir, 'out');
    const run = await runCli(
      ['report', 'monthly', '--month', '2026-01', '--out', out, '--pdf', 'ar'],
      env,
      120_000,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(firstPage(path.join(out, 'report.pdf'), 'report-cli-ar').inked).toBeGreaterThan(10_000);
    const refused = await runCli(
      ['report', 'monthly', '--month', '2026-01', '--out', out, '--pdf', 'xx'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--pdf: must be one of en, ar, zh, fr, ru, es');
    const missing = await runCli(['report', 'monthly', '--month', '2026-01', '--out', out, '--pdf'], {
      ...env,
      OPENCEIR_CHROMIUM: path.join(dir, 'no-chromium'),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`Chromium, which was not found at ${path.join(dir, 'no-chromium')}`);
  }, 240_000);
});
