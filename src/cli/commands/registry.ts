/** `openceir rules …`, `openceir ledger …`, `openceir lists …`, `openceir tac …`. */
import { createWriteStream } from 'node:fs';
import { type Command, Option } from 'commander';
import { RULE_KINDS } from '../../ledger/entry.ts';
import { EXPORT_LISTS, type ExportList } from '../../ledger/lists/export.ts';
import { IMPORT_TYPES, type ImportType } from '../../ledger/lists/formats.ts';
import type { ImportReport } from '../../ledger/lists/import.ts';
import type { RuleInput } from '../../registry/operations.ts';
import type { TacImportReport } from '../../tacdb/tacdb.ts';
import { type CommonOptions, collect, print, withConnectionOptions, withRegistry } from './common.ts';

/** The text report of a list import (also `openceir analytics import <list>`). */
export function importText(report: ImportReport): string {
  const lines = [
    `${report.type} list (${report.mode}, source ${report.source}): ${report.rows} rows, ${report.errorCount} bad, ${report.ignored} provisional`,
    `  ${report.adds} to add, ${report.updates} to update, ${report.removes} to remove, ${report.unchanged} unchanged`,
  ];
  for (const kind of ['adds', 'updates', 'removes'] as const) {
    if (report.samples[kind].length > 0) lines.push(`  e.g. ${kind}: ${report.samples[kind].join(', ')}`);
  }
  for (const e of report.errors.slice(0, 50)) lines.push(`  line ${e.line}, ${e.field}: ${e.message}`);
  if (report.errorCount > 50)
    lines.push(`  … and ${report.errorCount - 50} more bad rows (--json lists 1,000)`);
  lines.push(
    report.committed
      ? `committed ${report.entries} ledger entries (import:${report.importId}); tree size ${report.head?.treeSize}`
      : report.dryRun
        ? 'dry run: nothing committed'
        : report.errorCount > 0
          ? 'nothing committed: fix the rows above, or pass --skip-bad-rows'
          : 'nothing to change',
  );
  return `${lines.join('\n')}\n`;
}

/** The text report of a TAC import (also `openceir analytics import gsma-tac`). */
export function tacImportText(report: TacImportReport): string {
  return (
    `${report.source} TAC file: ${report.rows} rows, ${report.errorCount} bad; ${report.added} added, ${report.updated} updated, ` +
    `${report.removed} removed, ${report.unchanged} unchanged, ${report.shadowed} already from GSMA; ${report.committed ? 'committed' : 'nothing committed'}\n` +
    report.errors
      .slice(0, 50)
      .map((e) => `  line ${e.line}, ${e.field}: ${e.message}\n`)
      .join('')
  );
}

export function registryCommands(program: Command): void {
  const rules = program
    .command('rules')
    .description('TAC rules, IMEI ranges, IMSI prefixes and ranges, golden list');
  withConnectionOptions(
    rules.command('list').description('rules in force').option('--kind <kind>', RULE_KINDS.join(', ')),
  ).action((options: CommonOptions & { kind?: string }) =>
    withRegistry(options, async (api) => {
      const list = await api.rules(options.kind);
      print(options, list, () =>
        list
          .map((r) => `${r.key.padEnd(40)} ${r.status.padEnd(8)} ${r.reasons.join(',')} (${r.source})\n`)
          .join(''),
      );
    }),
  );
  withConnectionOptions(
    rules
      .command('add')
      .description('add or replace the rule on a target')
      .addOption(new Option('--kind <kind>', 'rule kind').choices([...RULE_KINDS]).makeOptionMandatory())
      .option('--tac <tac>', 'tac: the 8-digit TAC')
      .option('--from <value>', 'imei-range / imsi-range: first IMEI or IMSI')
      .option('--to <value>', 'imei-range / imsi-range: last IMEI or IMSI (included)')
      .option('--prefix <digits>', 'imsi-prefix: MCC, MCC+MNC or longer')
      .option('--imei <imei>', 'golden: the device')
      .option('--status <status>', 'allowed, tracked or blocked')
      .option('--reason <code>', 'reason code; repeatable', collect)
      .option('--source <source>', 'default regulator')
      .option('--note <text>', 'free-text note'),
  ).action((options: CommonOptions & Omit<RuleInput, 'reasons'> & { reason?: string[] }) =>
    withRegistry(options, async (api) => {
      const { reason, ...input } = options;
      const result = await api.addRule({ ...input, reasons: reason });
      print(options, result, () => `rule added: ledger entry ${result.entry.seq}\n`);
    }),
  );
  withConnectionOptions(
    rules.command('remove').description('remove a rule').argument('<ruleKey>', 'e.g. tac:35209900'),
  ).action((ruleKey: string, options: CommonOptions) =>
    withRegistry(options, async (api) => {
      const result = await api.removeRule(ruleKey);
      if (!result) {
        process.stderr.write(`openceir: no rule ${ruleKey}\n`);
        process.exitCode = 1;
        return;
      }
      print(options, result, () => `rule removed: ledger entry ${result.entry.seq}\n`);
    }),
  );

  const ledger = program.command('ledger').description('the signed, append-only ledger');
  withConnectionOptions(
    ledger
      .command('verify')
      .description('recompute the Merkle tree from the rows; check signed heads, nodes and lists'),
  ).action((options: CommonOptions) =>
    withRegistry(options, async (api) => {
      const report = await api.verify();
      print(options, report, () =>
        report.ok
          ? `ledger verified: ${report.entries} entries, ${report.heads} signed heads, ${report.nodes} tree nodes, lists match\n`
          : `LEDGER VERIFICATION FAILED at position ${report.firstBadPosition ?? '(not one entry)'}\n${report.problems.map((p) => `  ${p.kind}: ${p.message}\n`).join('')}`,
      );
      if (!report.ok) process.exitCode = 1;
    }),
  );

  const lists = program.command('lists').description('bulk list import (DIRBS formats) and export');
  withConnectionOptions(
    lists
      .command('import')
      .description('import a list file (CSV, or zip holding one CSV); exit status 1 when rows are bad')
      .addArgument(program.createArgument('<type>', IMPORT_TYPES.join(', ')).choices([...IMPORT_TYPES]))
      .argument('<file>', 'the list file')
      .option('--delta', 'the file holds changes (change_type add/update/remove), not the whole list')
      .option('--dry-run', 'report what would change, commit nothing')
      .option('--skip-bad-rows', 'commit the good rows, report the bad ones')
      .option('--source <source>', 'whose list this is (default regulator)')
      .option('--pre-hashed', 'golden list: values are MD5 of the 14-digit IMEI')
      .option('--no-size-check', 'allow a full list to shrink below the DIRBS size check'),
  ).action(
    (
      type: ImportType,
      file: string,
      options: CommonOptions & {
        delta?: boolean;
        dryRun?: boolean;
        skipBadRows?: boolean;
        source?: string;
        preHashed?: boolean;
        sizeCheck: boolean;
      },
    ) =>
      withRegistry(options, async (api) => {
        const report = await api.importList(type, file, {
          mode: options.delta ? 'delta' : 'full',
          dryRun: options.dryRun,
          skipBadRows: options.skipBadRows,
          source: options.source,
          preHashed: options.preHashed,
          sizeCheck: options.sizeCheck,
        });
        print(options, report, () => importText(report));
        if (report.errorCount > 0) process.exitCode = 1;
      }),
  );
  withConnectionOptions(
    lists
      .command('export')
      .description('export a list as CSV (DIRBS layouts) or JSON lines')
      .addArgument(program.createArgument('<list>', EXPORT_LISTS.join(', ')).choices([...EXPORT_LISTS]))
      .addOption(new Option('--format <format>', 'csv or jsonl').choices(['csv', 'jsonl']).default('csv'))
      .option('--check-digit', 'write 15-digit IMEIs with their Luhn digit')
      .option('-o, --output <file>', 'write to this file instead of standard output'),
  ).action(
    (
      list: ExportList,
      options: CommonOptions & { format: 'csv' | 'jsonl'; checkDigit?: boolean; output?: string },
    ) =>
      withRegistry(options, async (api) => {
        const out: NodeJS.WritableStream = options.output
          ? createWriteStream(options.output)
          : process.stdout;
        for await (const chunk of api.exportList(list, {
          format: options.format,
          checkDigit: options.checkDigit,
        })) {
          if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
        if (options.output) await new Promise<void>((resolve) => out.end(() => resolve()));
      }),
  );

  const tac = program.command('tac').description('the TAC database');
  withConnectionOptions(
    tac
      .command('import')
      .description('import a GSMA TAC file (pipe-separated, or zipped) or the Osmocom tacdb CSV')
      .argument('<file>', 'the TAC file')
      .addOption(
        new Option('--source <source>', 'gsma or osmocom (detected when absent)').choices([
          'gsma',
          'osmocom',
        ]),
      )
      .option('--dry-run', 'report what would change, commit nothing')
      .option('--skip-bad-rows', 'commit the good rows, report the bad ones'),
  ).action(
    (
      file: string,
      options: CommonOptions & { source?: 'gsma' | 'osmocom'; dryRun?: boolean; skipBadRows?: boolean },
    ) =>
      withRegistry(options, async (api) => {
        const report = await api.importTacs(file, {
          source: options.source,
          dryRun: options.dryRun,
          skipBadRows: options.skipBadRows,
        });
        print(options, report, () => tacImportText(report));
        if (report.errorCount > 0) process.exitCode = 1;
      }),
  );
  withConnectionOptions(
    tac.command('show').description('a TAC: model, radio generations, history').argument('<tac>', '8 digits'),
  ).action((code: string, options: CommonOptions) =>
    withRegistry(options, async (api) => {
      const result = await api.tac(code);
      print(options, result, () =>
        result.model
          ? `${code}: ${result.model.brand ?? '?'} ${result.model.model ?? '?'} (${result.model.radio.join('/') || 'radio unknown'}; ${result.model.source}); ${result.history.length} changes\n`
          : `${code}: not in the TAC database\n`,
      );
    }),
  );
}
