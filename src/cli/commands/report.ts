/**
 * `openceir report`: reports from the registry's records.
 *   openceir report monthly --month YYYY-MM --out DIR [--operator ID] [--pdf [LANGUAGE]]
 * writes report.json and one CSV per table (docs/statistics.md). It reads the database itself: with
 * the embedded database, stop the running server first (PGlite serves one process); with PostgreSQL
 * it runs beside the server.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { LANGUAGES, type Language } from '../../i18n/index.ts';
import { InsightInputError } from '../../insight/period.ts';
import { PdfError, renderReportPdf } from '../../insight/render/pdf.ts';
import { buildMonthlyReport } from '../../insight/report.ts';
import { writeReport } from '../../insight/report-files.ts';
import { openStore } from '../../store/index.ts';
import { DirectoryLockedError } from '../../store/lock.ts';

interface MonthlyOptions {
  readonly month: string;
  readonly out: string;
  readonly operator?: string;
  readonly config?: string;
  readonly json?: boolean;
  /** true (English) or a language. */
  readonly pdf?: string | boolean;
}

export function reportCommands(program: Command): void {
  const report = program
    .command('report')
    .description('statistics reports: monthly, for the country or one operator');
  report
    .command('monthly')
    .description(
      'write the monthly report (effectiveness measures and the DIRBS standard report sections) as report.json and one CSV per table',
    )
    .requiredOption('--month <YYYY-MM>', 'the month, UTC')
    .requiredOption('--out <dir>', 'directory to write into (created if missing)')
    .option('--operator <id>', "one operator's report (its id in operator:<id> sources and network data)")
    .option('-c, --config <file>', 'YAML configuration file')
    .option('--json', 'print the list of files written as JSON')
    .option(
      '--pdf [language]',
      'also print report.pdf with its charts, with Chromium (en, fr, es, ar, ru, zh; default en)',
    )
    .action(async (options: MonthlyOptions) => {
      const config = loadConfig({ file: options.config });
      const language = options.pdf === true ? 'en' : options.pdf || null;
      if (language !== null && !LANGUAGES.includes(language as Language)) {
        process.stderr.write(`openceir: refused:\n  --pdf: must be one of ${LANGUAGES.join(', ')}\n`);
        process.exitCode = 1;
        return;
      }
      let store: Awaited<ReturnType<typeof openStore>>;
      try {
        store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      } catch (error) {
        if (!(error instanceof DirectoryLockedError)) throw error;
        throw new Error(
          `a running OpenCEIR (process ${error.pid}) holds the embedded database in ${config.dataDir}; stop it, or use PostgreSQL (database_url)`,
        );
      }
      try {
        await store.migrate();
        const built = await buildMonthlyReport(store.db, {
          month: options.month,
          operator: options.operator ?? null,
        });
        const files = await writeReport(options.out, built);
        if (language) {
          files.push(path.join(options.out, 'report.pdf'));
          await renderReportPdf(built, files.at(-1)!, { language: language as Language });
        }
        process.stdout.write(
          options.json
            ? `${JSON.stringify({ month: built.month, operator: built.operator, files }, null, 2)}\n`
            : `monthly report ${built.month}${built.operator ? ` for ${built.operator}` : ''}: ${files.length} files in ${options.out}\n`,
        );
      } catch (error) {
        if (error instanceof PdfError) {
          process.stderr.write(`openceir: --pdf: ${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        if (!(error instanceof InsightInputError)) throw error;
        process.stderr.write(`openceir: refused:\n  --${error.field}: ${error.rule}\n`);
        process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
