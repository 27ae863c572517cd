/**
 * `openceir analytics import <list> <file>`: the DIRBS reference-list imports under their analytics
 * names, with DIRBS's switches (dirbs-compat.md §1.4, §2), so that a DIRBS `dirbs-import <type>`
 * line has one OpenCEIR twin:
 *   stolen | pairing | registration | golden | barred | barred-tac | monitoring
 *       the ledger's lists: the same operation as `openceir lists import <type>` (local database, or
 *       the server that holds it), since in OpenCEIR these lists are device statuses;
 *   gsma-tac      the TAC database: the same operation as `openceir tac import --source gsma`;
 *   subscribers | association
 *       analytics' own lists (analytics/subscriber-lists.ts), written to the registry database.
 */
import path from 'node:path';
import type { Command } from 'commander';
import {
  importSubscriberList,
  ListImportError,
  type ListImportReport,
  listColumns,
  SUBSCRIBER_LISTS,
  type SubscriberList,
} from '../../analytics/subscriber-lists.ts';
import { ImsiSealer } from '../../analytics/subscriber-seal.ts';
import { loadConfig } from '../../config/load.ts';
import type { ImportType } from '../../ledger/lists/formats.ts';
import { loadOrCreatePrivacyKey } from '../../privacy/seal.ts';
import { RegistryInputError } from '../../registry/operations.ts';
import { openStore } from '../../store/index.ts';
import { DirectoryLockedError } from '../../store/lock.ts';
import { RemoteRegistry } from '../remote.ts';
import { type CommonOptions, print, withConnectionOptions, withRegistry } from './common.ts';
import { importText, tacImportText } from './registry.ts';

/** The ledger lists analytics reads, with their DIRBS `dirbs-import` names and columns. */
const LEDGER_LISTS: readonly { type: ImportType; dirbs: string; columns: string }[] = [
  { type: 'stolen', dirbs: 'stolen_list', columns: 'imei,reporting_date,status' },
  { type: 'pairing', dirbs: 'pairing_list', columns: 'imei,imsi,msisdn' },
  {
    type: 'registration',
    dirbs: 'registration_list',
    columns: 'approved_imei,make,model,status,model_number,brand_name,device_type,radio_interface,device_id',
  },
  { type: 'golden', dirbs: 'golden_list', columns: 'golden_imei' },
  { type: 'barred', dirbs: 'barred_list', columns: 'imei' },
  { type: 'barred-tac', dirbs: 'barred_tac_list', columns: 'tac' },
  { type: 'monitoring', dirbs: 'monitoring_list', columns: 'imei' },
];

const DIRBS_NAMES: Readonly<Record<SubscriberList, string>> = {
  subscribers: 'subscribers_registration_list',
  association: 'device_association_list',
};

interface ListOptions extends CommonOptions {
  readonly delta?: boolean;
  readonly dryRun?: boolean;
  readonly sizeCheck?: boolean;
  readonly disableHistoricCheck?: boolean;
  readonly disableDeltaAddsCheck?: boolean;
  readonly disableDeltaRemovesCheck?: boolean;
  readonly disableDeltaUpdatesCheck?: boolean;
}

export function analyticsListImports(importCommand: Command): void {
  for (const list of LEDGER_LISTS) ledgerListCommand(importCommand, list);
  gsmaTacCommand(importCommand);
  for (const list of SUBSCRIBER_LISTS) subscriberListCommand(importCommand, list);
}

/** The switches every DIRBS list import has; updates only where a delta may update. */
function deltaAndHistoricOptions(command: Command, updates: boolean): Command {
  command
    .option('--delta', 'the file holds changes (change_type column), not the whole list')
    .option('--dry-run', 'report what would change, commit nothing')
    .option('--no-size-check', 'allow a full list to shrink below the DIRBS historic size check')
    .option('--disable-historic-check', 'DIRBS name of --no-size-check')
    .option('--disable-delta-adds-check', 'delta: accept adds of entries already listed')
    .option('--disable-delta-removes-check', 'delta: accept removes of entries not listed');
  if (updates) command.option('--disable-delta-updates-check', 'delta: accept updates of entries not listed');
  return command;
}

function ledgerListCommand(importCommand: Command, list: (typeof LEDGER_LISTS)[number]): void {
  const command = withConnectionOptions(
    importCommand
      .command(list.type)
      .description(
        `the ${list.type} list (DIRBS ${list.dirbs}: ${list.columns}), into the ledger as \`openceir lists import ${list.type}\`; exit status 1 when rows are bad`,
      )
      .argument('<file>', 'the list file (CSV, or zip holding one CSV)'),
  );
  deltaAndHistoricOptions(command, true)
    .option('--skip-bad-rows', 'commit the good rows, report the bad ones')
    .option('--source <source>', 'whose list this is (default regulator)');
  if (list.type === 'golden') command.option('--pre-hashed', 'values are MD5 of the 14-digit IMEI');
  command.action(
    (file: string, options: ListOptions & { skipBadRows?: boolean; source?: string; preHashed?: boolean }) =>
      withRegistry(options, async (api) => {
        const deltaChecks = {
          adds: options.disableDeltaAddsCheck !== true,
          removes: options.disableDeltaRemovesCheck !== true,
          updates: options.disableDeltaUpdatesCheck !== true,
        };
        if (api instanceof RemoteRegistry && Object.values(deltaChecks).includes(false))
          // The server's import route takes no delta-check switches: refuse rather than ignore them.
          throw new RegistryInputError(
            [
              {
                param: '--disable-delta-*-check',
                reason:
                  'needs the database itself, and a running server holds it: stop the server, or import without the switch',
              },
            ],
            'unsupported',
          );
        const report = await api.importList(list.type, file, {
          mode: options.delta ? 'delta' : 'full',
          dryRun: options.dryRun,
          skipBadRows: options.skipBadRows,
          source: options.source,
          preHashed: options.preHashed,
          sizeCheck: options.sizeCheck !== false && options.disableHistoricCheck !== true,
          ...(api instanceof RemoteRegistry ? {} : { deltaChecks }),
        });
        print(options, report, () => importText(report));
        if (report.errorCount > 0) process.exitCode = 1;
      }),
  );
}

function gsmaTacCommand(importCommand: Command): void {
  withConnectionOptions(
    importCommand
      .command('gsma-tac')
      .description(
        'the GSMA TAC database (DIRBS gsma_tac: pipe-separated, or a zip holding one), as `openceir tac import --source gsma`; exit status 1 when rows are bad',
      )
      .argument('<file>', 'the GSMA TAC file')
      .option('--dry-run', 'report what would change, commit nothing')
      .option('--skip-bad-rows', 'commit the good rows, report the bad ones'),
  ).action((file: string, options: CommonOptions & { dryRun?: boolean; skipBadRows?: boolean }) =>
    withRegistry(options, async (api) => {
      const report = await api.importTacs(file, {
        source: 'gsma',
        dryRun: options.dryRun,
        skipBadRows: options.skipBadRows,
      });
      print(options, report, () => tacImportText(report));
      if (report.errorCount > 0) process.exitCode = 1;
    }),
  );
}

function subscriberListCommand(importCommand: Command, list: SubscriberList): void {
  const command = importCommand
    .command(list)
    .description(
      `the ${list} list (DIRBS ${DIRBS_NAMES[list]}: ${listColumns(list).join(',')}), analytics' own, in the registry database; exit status 1 when refused`,
    )
    .argument('<file>', 'the list file (CSV, or zip holding one CSV)')
    .option('-c, --config <file>', 'YAML configuration file (settings)')
    .option('--json', 'print JSON');
  deltaAndHistoricOptions(command, false).action(async (file: string, options: ListOptions) => {
    const config = loadConfig({ file: options.config });
    let store: Awaited<ReturnType<typeof openStore>>;
    try {
      store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    } catch (error) {
      if (!(error instanceof DirectoryLockedError)) throw error;
      process.stderr.write(
        `openceir: refused:\n  database: the running server holds the embedded database: stop it, or use PostgreSQL (database_url)\n`,
      );
      process.exitCode = 1;
      return;
    }
    try {
      await store.migrate();
      const report = await importSubscriberList(store.db, list, path.resolve(file), {
        // The subscribers' IMSIs are sealed at rest under the privacy key, as the engines seal them.
        imsiSealer: ImsiSealer.fromPrivacyKey(loadOrCreatePrivacyKey(config.privacy.keyFile)),
        mode: options.delta ? 'delta' : 'full',
        dryRun: options.dryRun === true,
        historicCheck: options.sizeCheck !== false && options.disableHistoricCheck !== true,
        deltaChecks: {
          adds: options.disableDeltaAddsCheck !== true,
          removes: options.disableDeltaRemovesCheck !== true,
        },
      });
      print(options, report, () => subscriberListText(report));
      if (report.outcome === 'refused') process.exitCode = 1;
    } catch (error) {
      if (!(error instanceof ListImportError)) throw error;
      process.stderr.write(`openceir: refused:\n  file: ${error.message}\n`);
      process.exitCode = 1;
    } finally {
      await store.close();
    }
  });
}

function subscriberListText(report: ListImportReport): string {
  const lines = [`${report.list} list (${report.mode}): ${report.rows} rows, ${report.errorCount} bad`];
  if (report.outcome !== 'already-imported')
    lines.push(`  ${report.adds} to add, ${report.removes} to remove, ${report.unchanged} unchanged`);
  for (const kind of ['adds', 'removes'] as const) {
    if (report.samples[kind].length > 0) lines.push(`  e.g. ${kind}: ${report.samples[kind].join(' ')}`);
  }
  for (const e of report.errors.slice(0, 50)) lines.push(`  line ${e.line}, ${e.field}: ${e.message}`);
  if (report.errorCount > 50)
    lines.push(`  … and ${report.errorCount - 50} more bad rows (--json lists 1,000)`);
  lines.push(
    report.outcome === 'imported'
      ? `imported (import ${report.importId})`
      : report.outcome === 'already-imported'
        ? `already imported (import ${report.importId}, ${report.importedAt}): nothing changed`
        : report.outcome === 'dry-run'
          ? 'dry run: nothing imported'
          : report.refusal
            ? `nothing imported: ${report.refusal}`
            : 'nothing imported: fix the rows above',
  );
  return `${lines.join('\n')}\n`;
}
