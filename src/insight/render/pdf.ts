/**
 * Printable pages to PDF with Chromium (the system's, driven by playwright-core): the page is
 * self-contained HTML (inline styles, SVG charts, no script, no network), printed on A4 with its
 * backgrounds so the charts keep their colours. One browser per document, closed whatever happens;
 * every step is bounded in time.
 */
import { existsSync } from 'node:fs';
import type { Language } from '../../i18n/index.ts';
import type { MonthlyReport } from '../report.ts';
import { reportHtml } from './report-document.ts';

/** Where Chromium is looked for unless told: the Debian package's path, or OPENCEIR_CHROMIUM. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface PdfOptions {
  /** Chromium's executable (default: OPENCEIR_CHROMIUM, else /usr/bin/chromium). */
  readonly chromium?: string;
  /** Bound of each step (launch, load, print), in milliseconds (default 60 s). */
  readonly timeoutMs?: number;
}

export class PdfError extends Error {
  constructor(
    readonly code: 'CHROMIUM_MISSING' | 'PLAYWRIGHT_MISSING' | 'RENDER_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'PdfError';
  }
}

/** The flags of a headless Chromium with no sandbox, GPU, sync or background traffic. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

type Playwright = typeof import('playwright-core');

async function playwright(): Promise<Playwright> {
  try {
    return await import('playwright-core');
  } catch {
    throw new PdfError(
      'PLAYWRIGHT_MISSING',
      'PDF reports need the npm package playwright-core, which is not installed (npm install playwright-core)',
    );
  }
}

/** Prints a self-contained HTML page to `file` as PDF (A4, backgrounds on). */
export async function htmlToPdf(html: string, file: string, options: PdfOptions = {}): Promise<void> {
  const executablePath = options.chromium ?? process.env.OPENCEIR_CHROMIUM ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath))
    throw new PdfError(
      'CHROMIUM_MISSING',
      `PDF reports are printed with Chromium, which was not found at ${executablePath} (install the Debian package chromium, or set OPENCEIR_CHROMIUM to its path)`,
    );
  const timeout = options.timeoutMs ?? 60_000;
  const { chromium } = await playwright();
  const browser = await chromium.launch({ executablePath, args: FLAGS, timeout });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.setContent(html, { waitUntil: 'load', timeout });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({
      path: file,
      format: 'A4',
      printBackground: true,
      margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' },
    });
  } catch (error) {
    if (error instanceof PdfError) throw error;
    throw new PdfError('RENDER_FAILED', `Chromium could not print the report: ${(error as Error).message}`);
  } finally {
    await browser.close();
  }
}

/** The monthly report as a PDF with its charts, in one of the six languages (`openceir report monthly --pdf`). */
export async function renderReportPdf(
  report: MonthlyReport,
  file: string,
  options: PdfOptions & { readonly language: Language },
): Promise<void> {
  await htmlToPdf(reportHtml(report, options.language), file, options);
}
