/**
 * `openceir analytics …`: network-data analytics on this machine's engine (`analytics.engine`:
 * DuckDB in <data_dir>/analytics, or the registry's PostgreSQL). DIRBS users should feel at home:
 *   openceir analytics import operator <operator-id> <file> [--disable-<check>-check …]
 *   openceir analytics import gsma-tac|stolen|pairing|registration|golden|barred|barred-tac|
 *                             monitoring|subscribers|association <file> [--delta] [--disable-<check>-check …]
 *     (the reference lists: analytics-lists.ts)
 *   openceir analytics imports
 * The analytics YAML (operators, thresholds, conditions; DIRBS key names) comes from
 * `--analytics-config FILE`, else `analytics.config_file`, else ./openceir-analytics.yaml.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ClassifyInputError, classify, openMatches } from '../../analytics/classify/classify.ts';
import { type AnalyticsConfig, AnalyticsConfigError, parseAnalyticsConfig } from '../../analytics/config.ts';
import { DIMENSIONS } from '../../analytics/dimensions/index.ts';
import { DuckDbEngine } from '../../analytics/engines/duckdb.ts';
import type { AnalyticsEngine } from '../../analytics/engines/engine.ts';
import { PostgresEngine } from '../../analytics/engines/postgres.ts';
import { AnalyticsSealingError } from '../../analytics/engines/sealing.ts';
import type { CheckSwitch } from '../../analytics/import/checks.ts';
import { checkSwitchOf, OPERATOR_IMPORT_SWITCHES } from '../../analytics/import/validate.ts';
import { importOperatorFile, UnknownOperatorError } from '../../analytics/operator-import.ts';
import { ImsiSealer } from '../../analytics/subscriber-seal.ts';
import { type Config, loadConfig } from '../../config/load.ts';
import { loadOrCreatePrivacyKey } from '../../privacy/seal.ts';
import { openRegistry } from '../../server.ts';
import { openStore, type Store } from '../../store/index.ts';
import { DirectoryLockedError } from '../../store/lock.ts';
import { analyticsListImports } from './analytics-lists.ts';

interface Options {
  readonly config?: string;
  readonly analyticsConfig?: string;
  readonly json?: boolean;
}

/** A dimension module name and its parameters, checked by the dimension itself. */
function validateDimension(module: string, parameters: Readonly<Record<string, unknown>>): string[] {
  const dimension = DIMENSIONS.get(module);
  if (!dimension)
    return [`module: unknown dimension ${module} (known: ${[...DIMENSIONS.keys()].join(', ')})`];
  const checked = dimension.parameters.validate(parameters);
  return checked.ok
    ? []
    : checked.errors.map((e: { field: string; message: string }) => `parameters.${e.field}: ${e.message}`);
}

export function readAnalyticsConfig(file: string | null): AnalyticsConfig {
  if (file && !existsSync(file)) throw new Error(`analytics configuration ${file} does not exist`);
  return parseAnalyticsConfig(file ? readFileSync(file, 'utf8') : '{}', validateDimension);
}

/**
 * The engine and, when it can be opened, the registry database (the GSMA TACs, reference lists). A
 * running server holding the embedded database leaves DuckDB usable without it.
 */
async function openEngine(config: Config): Promise<{ engine: AnalyticsEngine; store: Store | null }> {
  let store: Store | null = null;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await store.migrate();
  } catch (error) {
    if (!(error instanceof DirectoryLockedError) || config.analytics.engine === 'postgres') throw error;
    process.stderr.write(
      'openceir: the running server holds the embedded database: the GSMA TACs are not read (leading-zero suspects cannot be found)\n',
    );
  }
  // IMSIs are sealed at rest under the privacy key on either engine (analytics/subscriber-seal.ts).
  const imsiSealer = ImsiSealer.fromPrivacyKey(loadOrCreatePrivacyKey(config.privacy.keyFile));
  const engine =
    config.analytics.engine === 'duckdb'
      ? await DuckDbEngine.open(path.join(config.dataDir, 'analytics'), { imsiSealer })
      : new PostgresEngine(store!, { imsiSealer });
  return { engine, store };
}

async function withEngine(
  options: Options,
  work: (engine: AnalyticsEngine, store: Store | null, analytics: AnalyticsConfig) => Promise<void>,
): Promise<void> {
  const config = loadConfig({ file: options.config });
  let analytics: AnalyticsConfig;
  try {
    analytics = readAnalyticsConfig(
      options.analyticsConfig ? path.resolve(options.analyticsConfig) : config.analytics.configFile,
    );
  } catch (error) {
    if (!(error instanceof AnalyticsConfigError)) throw error;
    process.stderr.write(`openceir: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const { engine, store } = await openEngine(config);
  try {
    await work(engine, store, analytics);
  } catch (error) {
    if (!(error instanceof AnalyticsSealingError)) throw error;
    process.stderr.write(`openceir: ${error.message}\n`);
    process.exitCode = 2;
  } finally {
    await engine.close();
    await store?.close();
  }
}

const common = (command: Command) =>
  command
    .option('-c, --config <file>', 'YAML configuration file (settings)')
    .option(
      '--analytics-config <file>',
      'analytics YAML (default: analytics.config_file, else ./openceir-analytics.yaml)',
    )
    .option('--json', 'print JSON');

export function analyticsCommands(program: Command): void {
  const analytics = program
    .command('analytics')
    .description('network-data analytics: operator data, clones, lists (DIRBS-compatible)');
  const importCommand = analytics.command('import').description('import data for analytics');
  const operator = common(
    importCommand
      .command('operator')
      .description(
        'import one operator data file (DIRBS format date,imei,imsi,msisdn[,rat]; zip or CSV named <operator>_<start>_<end>)',
      )
      .argument('<operator-id>', 'a configured operator (region.operators[].id)')
      .argument('<file>', 'the .zip or .csv file'),
  );
  for (const item of OPERATOR_IMPORT_SWITCHES) operator.option(item.flag, item.description);
  operator.action((operatorId: string, file: string, options: Options & Record<string, unknown>) =>
    withEngine(options, async (engine, store, config) => {
      const disabled = OPERATOR_IMPORT_SWITCHES.filter((s) => options[camel(s.flag)] === true)
        .map((s) => checkSwitchOf(s.flag))
        .filter((s): s is CheckSwitch => s !== null);
      try {
        const result = await importOperatorFile({
          operatorId,
          file: path.resolve(file),
          config,
          engine,
          registry: store?.db ?? null,
          disabled,
          msisdnImport: options.disableMsisdnImport !== true,
          ratImport: options.disableRatImport !== true,
        });
        if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else if (result.outcome === 'refused') {
          const failed = result.report.checks.filter((c) => !c.passed && !c.skipped);
          process.stdout.write(
            `${file}: refused, nothing imported\n${failed.map((c) => `  ${c.check}: ${c.message}`).join('\n')}\n`,
          );
        } else if (result.outcome === 'already-imported') {
          process.stdout.write(`${file}: already imported (${result.record.rows} rows), nothing changed\n`);
        } else {
          process.stdout.write(
            `${file}: imported ${result.record.rows} rows for ${result.record.operator}, ${result.record.startDate} to ${result.record.endDate}\n`,
          );
        }
        if (result.outcome === 'refused') process.exitCode = 1;
      } catch (error) {
        if (!(error instanceof UnknownOperatorError)) throw error;
        process.stderr.write(`openceir: refused:\n  operator-id: ${error.message}\n`);
        process.exitCode = 1;
      }
    }),
  );

  analyticsListImports(importCommand);

  common(analytics.command('imports').description('the operator files imported so far')).action(
    (options: Options) =>
      withEngine(options, async (engine) => {
        const records = await engine.imports();
        if (options.json) process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
        else
          process.stdout.write(
            records
              .map((r) => `${r.operator}\t${r.startDate}..${r.endDate}\t${r.rows} rows\t${r.fileName}`)
              .join('\n') + (records.length > 0 ? '\n' : 'no operator data imported yet\n'),
          );
      }),
  );
  classifyCommands(analytics);
  listgenCommand(analytics);
}

/**
 * `openceir analytics classify [--conditions a,b] [--curr-date YYYYMMDD] [--no-safety-check]` and
 * `openceir analytics matches --condition NAME`: classification (analytics/classify/) needs the
 * registry's database, where its state and the ledger live.
 */
function classifyCommands(analytics: Command): void {
  common(
    analytics
      .command('classify')
      .description('run the conditions over the operator data; blocking results enter the ledger')
      .option('--conditions <labels>', 'only these conditions, comma-separated')
      .option(
        '--curr-date <YYYYMMDD>',
        'the classification date and analysis end date (default: today / latest data)',
      )
      .option(
        '--no-safety-check',
        'classify even when a condition matches more than max_allowed_matching_ratio',
      ),
  ).action((options: Options & { conditions?: string; currDate?: string; safetyCheck?: boolean }) =>
    withEngine(options, async (engine, store, analytics) => {
      const config = loadConfig({ file: options.config });
      if (!store)
        throw new Error(
          'classify needs the registry database: stop the server or use analytics.engine postgres',
        );
      const currDate = options.currDate?.replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
      try {
        const { ledger } = await openRegistry(store, config);
        const result = await classify({
          config: analytics,
          engine,
          ledger,
          ...(options.conditions ? { conditions: options.conditions.split(',').map((c) => c.trim()) } : {}),
          ...(currDate ? { currDate } : {}),
          safetyCheck: options.safetyCheck !== false,
        });
        if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else
          process.stdout.write(
            `run ${result.runId}: curr date ${result.currDate}, analysis end ${result.analysisEnd}, ${result.networkImeis} network IMEIs\n` +
              result.conditions
                .map((c) =>
                  c.refused || c.error
                    ? `  ${c.condition}: ${c.refused ?? c.error}`
                    : `  ${c.condition}: ${c.matched} matched, ${c.new} new, ${c.ended} ended, ${c.blocked} blocked, ${c.unblocked} unblocked${c.skipped ? `, ${c.skipped} not device keys` : ''}`,
                )
                .join('\n') +
              (result.conditions.length > 0 ? '\n' : ''),
          );
        if (result.status !== 'success') process.exitCode = 1;
      } catch (error) {
        if (!(error instanceof ClassifyInputError)) throw error;
        process.stderr.write(`openceir: refused:\n  ${error.message}\n`);
        process.exitCode = 1;
      }
    }),
  );

  common(
    analytics
      .command('matches')
      .description('the open classifications of a condition, with their evidence')
      .requiredOption('--condition <label>', 'the condition label'),
  ).action((options: Options & { condition: string }) =>
    withEngine(options, async (_engine, store) => {
      if (!store) throw new Error('matches needs the registry database: stop the server');
      const rows = await openMatches(store.db, options.condition);
      if (options.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else
        process.stdout.write(
          rows
            .map(
              (r) =>
                `${r.imeiNorm}\t${r.startDate}\t${r.blockDate ?? '-'}${r.amnestyGranted ? '\tamnesty' : ''}\t${r.evidence ?? ''}`,
            )
            .join('\n') + (rows.length > 0 ? '\n' : `no open classification for ${options.condition}\n`),
        );
    }),
  );
}

/**
 * `openceir analytics listgen OUTPUT_DIR [--curr-date YYYYMMDD] [--base RUN] [--no-full-lists]`:
 * DIRBS-compatible blacklist, notification and exception lists (analytics/listgen/), full and delta.
 */
function listgenCommand(analytics: Command): void {
  common(
    analytics
      .command('listgen')
      .description('write the blacklist, notification and exception lists (DIRBS format), full and delta')
      .argument('<output-dir>', 'where the listgen__<time>__classid_<run> directory is written')
      .option(
        '--curr-date <YYYYMMDD>',
        'the listgen date and analysis end date (default: today / latest data)',
      )
      .option('--base <run>', 'diff against this successful listgen run (default: the previous one)')
      .option('--no-full-lists', 'write the delta lists only')
      .option(
        '--dirbs-pairing-quirk',
        "suppress a notification when any pairing has its MSISDN, whatever the IMEI (DIRBS's unparenthesised OR)",
      ),
  ).action(
    (
      outputDir: string,
      options: Options & {
        currDate?: string;
        base?: string;
        fullLists?: boolean;
        dirbsPairingQuirk?: boolean;
      },
    ) =>
      withEngine(options, async (engine, store, analytics) => {
        const { listgen, ListgenError } = await import('../../analytics/listgen/listgen.ts');
        if (!store)
          throw new Error(
            'listgen needs the registry database: stop the server or use analytics.engine postgres',
          );
        const currDate = options.currDate?.replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
        const problems = [
          currDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(currDate)
            ? '--curr-date: a date YYYYMMDD'
            : null,
          options.base !== undefined && !/^-?\d+$/.test(options.base) ? '--base: a run number' : null,
        ].filter((p) => p !== null);
        if (problems.length > 0) {
          process.stderr.write(`openceir: refused:\n  ${problems.join('\n  ')}\n`);
          process.exitCode = 2;
          return;
        }
        try {
          const result = await listgen({
            store,
            engine,
            config: analytics,
            outputDir: path.resolve(outputDir),
            ...(currDate ? { currDate } : {}),
            ...(options.base !== undefined ? { baseRunId: Number(options.base) } : {}),
            fullLists: options.fullLists !== false,
            dirbsUnboundMsisdnQuirk: options.dirbsPairingQuirk === true,
          });
          if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          else
            process.stdout.write(
              `run ${result.runId} (base ${result.baseRunId}): ${result.counts.blacklist} blacklisted, ${result.counts.notifications} notifications, ${result.counts.exceptions} exceptions\n${result.directory}\n`,
            );
        } catch (error) {
          if (!(error instanceof ListgenError)) throw error;
          process.stderr.write(`openceir: refused:\n  ${error.message}\n`);
          process.exitCode = 1;
        }
      }),
  );
}

/** `--disable-null-check` → `disableNullCheck`, as commander names options. */
function camel(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
