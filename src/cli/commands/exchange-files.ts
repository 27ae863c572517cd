/**
 * `openceir exchange export <operator> <dir>` and `openceir exchange verify <dir>`: the list files an
 * operator's own (non-OpenCEIR) EIR loads, with a signed manifest (docs/exchange-operators.md).
 * Export signs with the registry's key, so it opens the registry database itself (no --server);
 * verify needs nothing but the directory and, to mean anything, the registry's public key.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AnalyticsConfigError } from '../../analytics/config.ts';
import { loadConfig } from '../../config/load.ts';
import { ledgerConfirmer, serverConfirmer } from '../../exchange/files/confirm.ts';
import { ExportInputError, exportOperatorFiles, type OperatorPrefixes } from '../../exchange/files/export.ts';
import { type VerifyReport, verifyDirectory } from '../../exchange/files/verify.ts';
import type { Ledger } from '../../ledger/ledger.ts';
import { openRegistry } from '../../server.ts';
import { openStore } from '../../store/index.ts';
import { DirectoryLockedError } from '../../store/lock.ts';
import { readAnalyticsConfig } from './analytics.ts';
import { print } from './common.ts';

interface ExportOptions {
  readonly config?: string;
  readonly analyticsConfig?: string;
  readonly deltaFrom?: string;
  readonly position?: string;
  readonly json?: boolean;
}

interface VerifyOptions {
  readonly config?: string;
  readonly publicKey?: string;
  readonly server?: string;
  readonly local?: boolean;
  readonly json?: boolean;
}

function refuse(field: string, rule: string): void {
  process.stderr.write(`openceir: refused:\n  ${field}: ${rule}\n`);
  process.exitCode = 1;
}

/** A whole number ≥ 0 from an option, or a refusal naming the option. */
function position(value: string | undefined, field: string): number | undefined | null {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    refuse(field, `a ledger position (tree size), a whole number ≥ 0 (got ${value})`);
    return null;
  }
  return Number(value);
}

/** Opens the registry database with its signing key; the running server holding PGlite is an error. */
async function withLedger(configFile: string | undefined, work: (ledger: Ledger) => Promise<void>) {
  const config = loadConfig({ file: configFile });
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof DirectoryLockedError)) throw error;
    refuse(
      'database',
      `a running OpenCEIR holds the embedded database in ${config.dataDir}: stop it, or run the registry on PostgreSQL (database_url), then export`,
    );
    return;
  }
  try {
    await store.migrate();
    const { ledger } = await openRegistry(store, config);
    await work(ledger);
  } finally {
    await store.close();
  }
}

function configuredOperators(options: ExportOptions): OperatorPrefixes[] | null {
  const config = loadConfig({ file: options.config });
  try {
    const analytics = readAnalyticsConfig(
      options.analyticsConfig ? path.resolve(options.analyticsConfig) : config.analytics.configFile,
    );
    return analytics.region.operators.map((o) => ({
      id: o.id,
      prefixes: o.mccMncPairs.map((p) => p.mcc + p.mnc),
    }));
  } catch (error) {
    if (
      !(error instanceof AnalyticsConfigError) &&
      !(error instanceof Error && /does not exist/.test(error.message))
    )
      throw error;
    refuse('analytics-config', error.message);
    return null;
  }
}

function verifyText(dir: string, report: VerifyReport): string {
  const lines: string[] = [];
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  for (const c of report.checks) lines.push(`${c.ok ? 'ok  ' : 'FAIL'} ${c.file}: ${c.check}: ${c.message}`);
  const m = report.manifest;
  lines.push(
    report.ok
      ? `verified: ${dir}: ${m?.kind} lists for operator ${m?.operator}, ${m?.kind === 'delta' ? `positions ${m.fromPosition} to ${m.toPosition}` : `position ${m?.toPosition}`}, key ${report.keyId}${report.pinnedKey ? ' (pinned)' : ' (NOT pinned: the key came with the files)'}`
      : `VERIFICATION FAILED: ${dir}: ${report.checks
          .filter((c) => !c.ok)
          .map((c) => `${c.file} (${c.check})`)
          .join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

export function exchangeFilesCommands(exchange: Command): void {
  exchange
    .command('export')
    .description(
      "write one operator's list files (blocked, tracked, exceptions; CSV) at a ledger position, with a signed manifest",
    )
    .argument('<operator>', 'operator id (organisation operator_id, or region.operators[].id)')
    .argument('<dir>', 'new or empty directory to write')
    .option('--position <n>', 'ledger position (tree size with a signed head); default: the current head')
    .option(
      '--delta-from <n>',
      'write the changes since this position (add/remove/update) instead of full lists',
    )
    .option('-c, --config <file>', 'YAML configuration file (settings)')
    .option(
      '--analytics-config <file>',
      'analytics YAML with region.operators MCC-MNC pairs (default: analytics.config_file, else ./openceir-analytics.yaml)',
    )
    .option('--json', 'print the manifest as JSON')
    .action(async (operator: string, dir: string, options: ExportOptions) => {
      const to = position(options.position, 'position');
      const from = position(options.deltaFrom, 'delta-from');
      if (to === null || from === null) return;
      const configured = configuredOperators(options);
      if (configured === null) return;
      await withLedger(options.config, async (ledger) => {
        try {
          const result = await exportOperatorFiles(ledger, {
            operator,
            dir,
            position: to,
            deltaFrom: from,
            configured,
          });
          const m = result.manifest;
          print(
            options,
            m,
            () =>
              `${m.kind} lists for operator ${operator} at position ${m.toPosition}${m.fromPosition === null ? '' : ` (changes since ${m.fromPosition})`} in ${result.dir}\n` +
              m.files
                .map((f) => `  ${f.name.padEnd(22)} ${String(f.rows).padStart(9)} rows  sha256 ${f.sha256}\n`)
                .join('') +
              `  exceptions by ${m.exceptions.by === 'mcc-mnc' ? `MCC-MNC ${m.exceptions.prefixes.join(', ')}` : `source ${m.exceptions.source}`}; manifest signed by key ${m.registry.keyId}\n`,
          );
        } catch (error) {
          if (!(error instanceof ExportInputError)) throw error;
          refuse(error.field, error.rule);
        }
      });
    });

  exchange
    .command('verify')
    .description(
      'verify a list-file directory: manifest signature, tree-head signature, every file hash and row count; exit 1 on any failure',
    )
    .argument('<dir>', 'the directory written by exchange export')
    .option(
      '--public-key <file>',
      "the registry's public key (PEM) you trust; without it the check proves nothing",
    )
    .option('--server <url>', "also check that the head is in this registry's log (consistency proof)")
    .option('--local', "also check that the head is one of the registry database's signed heads")
    .option('-c, --config <file>', 'YAML configuration file (settings), for --local')
    .option('--json', 'print JSON')
    .action(async (dir: string, options: VerifyOptions) => {
      let pem: string | undefined;
      if (options.publicKey) {
        try {
          pem = readFileSync(options.publicKey, 'utf8');
        } catch (error) {
          refuse('public-key', `cannot read ${options.publicKey}: ${(error as Error).message}`);
          return;
        }
      }
      const run = async (ledger: Ledger | null) => {
        const confirm = options.server
          ? { by: options.server, confirmer: serverConfirmer(options.server) }
          : ledger
            ? { by: 'registry database', confirmer: ledgerConfirmer(ledger) }
            : undefined;
        const report = await verifyDirectory(dir, { publicKeyPem: pem, confirm });
        print(options, report, () => verifyText(dir, report));
        if (!report.ok) process.exitCode = 1;
      };
      if (options.local && !options.server) await withLedger(options.config, run);
      else await run(null);
    });
}
