/**
 * `openceir analytics import operator <operator-id> <file>`: one operator data file, validated with
 * the DIRBS battery (import/validate.ts) and stored by an engine (engines/). The file's SHA-256 is
 * its import id: the same file again changes nothing and says so. A file that fails a check stores
 * nothing; one that passes is stored in one transaction, so an import killed half way is simply run
 * again.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { sql } from 'drizzle-orm';
import { type Database, query } from '../store/index.ts';
import { type AnalyticsConfig, operatorPrefixes } from './config.ts';
import type { AnalyticsEngine, ImportRecord } from './engines/engine.ts';
import type { CheckSwitch } from './import/checks.ts';
import { checkOperatorFileName } from './import/filename.ts';
import { type OperatorFileReport, validateOperatorFile } from './import/validate.ts';

export interface OperatorImportOptions {
  readonly operatorId: string;
  readonly file: string;
  readonly config: AnalyticsConfig;
  readonly engine: AnalyticsEngine;
  /** The registry database, for the GSMA TACs of the leading-zero check. */
  readonly registry: Database | null;
  readonly disabled?: readonly CheckSwitch[];
  /** DIRBS `--disable-msisdn-import` / `--disable-rat-import` when false. */
  readonly msisdnImport?: boolean;
  readonly ratImport?: boolean;
  readonly today?: string;
}

export type OperatorImportResult =
  | {
      readonly outcome: 'imported' | 'already-imported';
      readonly record: ImportRecord;
      readonly report: OperatorFileReport | null;
    }
  | { readonly outcome: 'refused'; readonly report: OperatorFileReport };

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class UnknownOperatorError extends Error {
  constructor(operatorId: string, known: readonly string[]) {
    super(
      `operator "${operatorId}" is not configured (region.operators: ${known.length > 0 ? known.join(', ') : 'none'})`,
    );
    this.name = 'UnknownOperatorError';
  }
}

export async function importOperatorFile(options: OperatorImportOptions): Promise<OperatorImportResult> {
  const operatorId = options.operatorId.toLowerCase();
  const { operator } = operatorPrefixes(options.config, operatorId);
  if (!operator)
    throw new UnknownOperatorError(
      operatorId,
      options.config.region.operators.map((o) => o.id),
    );
  const importId = await fileSha256(options.file);
  const earlier = (await options.engine.imports()).find((r) => r.importId === importId);
  if (earlier) return { outcome: 'already-imported', record: earlier, report: null };

  const leadingZeroTacs = options.registry
    ? (
        await query<{ tac: string }>(options.registry, sql`select tac from tac_model where tac like '0%'`)
      ).map((r) => r.tac)
    : [];
  // The historic checks compare with this operator's last 30 days with data before the file's start.
  const named = checkOperatorFileName(options.file, options.today ?? new Date().toISOString().slice(0, 10));
  const history = named.ok ? await options.engine.historicAverages(operatorId, named.name.start) : null;
  const checked = await validateOperatorFile(options.file, {
    operatorId,
    mccMncPairs: operator.mccMncPairs,
    countryCodes: options.config.region.countryCodes,
    leadingZeroTacs,
    history,
    thresholds: options.config.operatorThreshold,
    disabled: options.disabled,
    msisdnImport: options.msisdnImport ?? true,
    ratImport: options.ratImport ?? true,
    ...(options.today ? { today: options.today } : {}),
  });
  if (!checked.report.passed) return { outcome: 'refused', report: checked.report };
  const name = checked.report.fileName!;
  async function* rows() {
    for await (const batch of checked.batches()) yield* batch;
  }
  const stored = await options.engine.importOperatorRows(
    {
      importId,
      operator: operatorId,
      fileName: options.file.split('/').at(-1)!,
      startDate: name.start,
      endDate: name.end,
    },
    rows(),
  );
  return { outcome: stored.outcome, record: stored.record, report: checked.report };
}
