/**
 * `openceir privacy …`: retention and subject access on the database this machine's configuration
 * names (docs/security.md, Privacy). A running registry prunes daily by itself; these commands serve
 * an operator who wants to see or run it now, and a request from a case's owner.
 */
import os from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import { type Config, loadConfig } from '../../config/load.ts';
import { exportSubject, parseCaseReference, SubjectNotFoundError } from '../../privacy/export.ts';
import { openSealer } from '../../privacy/keyring.ts';
import { type ResealReport, reseal } from '../../privacy/reseal.ts';
import { type PruneReport, prune } from '../../privacy/retention.ts';
import { openStore, type Store } from '../../store/index.ts';
import { DirectoryLockedError } from '../../store/lock.ts';

async function withStore(
  file: string | undefined,
  work: (store: Store, config: Config) => Promise<void>,
): Promise<void> {
  const config = loadConfig({ file });
  let store: Store;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof DirectoryLockedError)) throw error;
    throw new Error(
      `a running OpenCEIR holds the embedded database in ${config.dataDir}: stop it first (a running registry prunes once a day by itself)`,
    );
  }
  try {
    await store.migrate();
    await work(store, config);
  } finally {
    await store.close();
  }
}

function pruneText(report: PruneReport): string {
  const verb = report.dryRun ? 'would delete' : 'deleted';
  return (
    `${report.dryRun ? 'Dry run: nothing changed.\n' : ''}` +
    `sightings before ${report.before.sightings}: ${verb} ${report.sightingsDeleted}\n` +
    `cases ended before ${report.before.closedCases}: ${report.dryRun ? 'would blank' : 'blanked'} ` +
    `the personal fields of ${report.casesBlanked}\n` +
    `access-log rows before ${report.before.accessLog}: ${verb} ${report.accessLogDeleted}\n` +
    (report.incomplete ? 'More remains: run it again.\n' : '')
  );
}

function positiveInteger(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100_000)
    throw new InvalidArgumentError(`${option}: a whole number from 1 to 100000; got ${value}`);
  return n;
}

function resealText(report: ResealReport): string {
  const lines = report.tables
    .filter((t) => t.rows > 0 || t.unreadable > 0)
    .map(
      (t) =>
        `${t.table}: ${report.dryRun ? 'would seal' : 'sealed'} ${t.rows} rows` +
        (t.unreadable > 0
          ? `, ${t.unreadable} under a key not in the keyring (privacy.retired_key_files)`
          : ''),
    );
  return (
    `${report.dryRun ? 'Dry run: nothing changed.\n' : ''}` +
    `current key ${report.keyId}\n` +
    (lines.length > 0 ? `${lines.join('\n')}\n` : 'every personal value is sealed under the current key\n') +
    (report.incomplete ? 'More remains: run it again.\n' : '')
  );
}

export function privacyCommands(program: Command): void {
  const privacy = program
    .command('privacy')
    .description('personal data: retention prune, re-sealing under the privacy key, subject-access export');

  privacy
    .command('prune')
    .description(
      'delete sightings and access-log rows past their retention period and blank the personal fields of cases ended ' +
        'longer ago than retention.closed_cases_days (settings retention.*)',
    )
    .option('-c, --config <file>', 'YAML configuration file')
    .option('--dry-run', 'count what would be pruned, change nothing')
    .option('--json', 'print JSON')
    .action(async (options: { config?: string; dryRun?: boolean; json?: boolean }) => {
      await withStore(options.config, async (store, config) => {
        const report = await prune(store.db, config.retention, { dryRun: options.dryRun ?? false });
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : pruneText(report));
      });
    });

  privacy
    .command('reseal')
    .description(
      'seal under the current privacy key (privacy.key_file) every contact, IMSI and MSISDN stored in clear or under a ' +
        'retired key (privacy.retired_key_files); a running registry does this once after each start',
    )
    .option('-c, --config <file>', 'YAML configuration file')
    .option('--dry-run', 'count what would be sealed, change nothing')
    .option('--batch-size <rows>', 'rows per transaction', (v) => positiveInteger('--batch-size', v), 500)
    .option('--json', 'print JSON')
    .action(async (options: { config?: string; dryRun?: boolean; batchSize: number; json?: boolean }) => {
      await withStore(options.config, async (store, config) => {
        const sealer = await openSealer(store.db, config.privacy);
        const report = await reseal(store.db, sealer, {
          dryRun: options.dryRun ?? false,
          batchSize: options.batchSize,
        });
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : resealText(report));
      });
    });

  privacy
    .command('export')
    .description(
      'print as JSON everything held about a case: the case and its events, its devices, alerts on them, appeals by ' +
        'the same reporter contact and sightings of its devices; the read is written to the access log',
    )
    .argument('<case-reference>', 'the case reference, e.g. C-7KQ4-9XZ2')
    .option('-c, --config <file>', 'YAML configuration file')
    .option('--why <purpose>', 'the purpose recorded in the access log', 'subject-access request')
    .action(async (text: string, options: { config?: string; why: string }) => {
      const reference = parseCaseReference(text);
      if (!options.why.trim()) throw new RangeError('--why: give the purpose of the export');
      await withStore(options.config, async (store, config) => {
        try {
          // Sealed values are given opened, with the registry's key (privacy.key_file).
          const sealer = await openSealer(store.db, config.privacy);
          const exported = await exportSubject(store.db, sealer, reference, {
            actor: `cli:${os.userInfo().username}`,
            role: 'admin',
            organisation: null,
            why: options.why,
          });
          process.stdout.write(`${JSON.stringify(exported, null, 2)}\n`);
        } catch (error) {
          if (!(error instanceof SubjectNotFoundError)) throw error;
          process.stderr.write(`openceir: ${error.message}\n`);
          process.exitCode = 1;
        }
      });
    });
}
