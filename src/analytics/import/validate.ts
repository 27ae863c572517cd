/**
 * `validateOperatorFile`: the front of `openceir analytics import operator` (dirbs-compat.md §2.2).
 * It opens the file (zip rules), checks its name, pre-validates every row, runs the validation
 * battery and returns the report. The rows reach a storage engine only through `batches()`, which
 * re-reads the file and refuses to start unless every check passed: the engine never sees a row of
 * a file that fails, and memory stays bounded whatever the file's size (two streaming passes).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  CHECK_SWITCHES,
  type CheckResult,
  type CheckSwitch,
  createOperatorChecks,
  DEFAULT_THRESHOLDS,
  type HistoricAverages,
  type OperatorCheckReport,
  type OperatorThresholds,
} from './checks.ts';
import { checkOperatorFileName, type IsoDate, type OperatorFileName } from './filename.ts';
import { type OperatorRow, parseOperatorRow, type RowError, type RowSchema, rowSchema } from './row.ts';
import { csvBatches, OperatorFileError, type OperatorSource, openOperatorSource } from './source.ts';

export interface ValidateOptions {
  /** The importing operator, as configured (≤ 16 characters; lower-cased as DIRBS does). */
  readonly operatorId: string;
  readonly mccMncPairs: readonly { readonly mcc: string; readonly mnc: string }[];
  /** `region.country_codes`. */
  readonly countryCodes: readonly string[];
  /** GSMA TACs starting with 0, for the leading-zero check. */
  readonly leadingZeroTacs?: Iterable<string>;
  /** The operator's historic daily averages; absent = no history, historic checks skipped. */
  readonly history?: HistoricAverages | null;
  readonly thresholds?: Partial<OperatorThresholds>;
  readonly disabled?: Iterable<CheckSwitch>;
  readonly msisdnImport?: boolean;
  readonly ratImport?: boolean;
  /** Today's local date (`YYYY-MM-DD`); defaults to the clock's. */
  readonly today?: IsoDate;
  /** Pre-validation stops reading after this many bad rows (default 100). */
  readonly maxRowErrors?: number;
  /** Distinct values counted exactly before HyperLogLog takes over (default 100 000). */
  readonly exactDistinctLimit?: number;
}

/** The file-level steps before the battery, reported like its checks. */
export type FileStepName = 'file' | 'filename' | 'prevalidation';

export interface FileStepResult {
  readonly check: FileStepName;
  readonly passed: boolean;
  readonly skipped?: true;
  readonly message: string;
}

export interface OperatorFileReport {
  readonly file: string;
  readonly operatorId: string;
  readonly passed: boolean;
  readonly fileName: OperatorFileName | null;
  /** The header's columns, lower-cased, as found. */
  readonly columns: readonly string[];
  /** Every step in order: file, filename, prevalidation, then the battery. */
  readonly checks: readonly (FileStepResult | CheckResult)[];
  /** Data rows read (all of them when the file passed pre-validation). */
  readonly rows: number;
  readonly rowErrors: readonly RowError[];
  /** Bad rows found; reading stops at `maxRowErrors`, so this may undercount. */
  readonly rowErrorCount: number;
  readonly distinct: OperatorCheckReport['distinct'] | null;
}

export interface OperatorFileValidation {
  readonly report: OperatorFileReport;
  /**
   * The validated rows, in file order, in batches (default 10 000). Throws before the first batch
   * if the report failed, and at the end if the file changed since validation (size, time or row
   * count): store them in one transaction and commit only when the iteration completes.
   */
  batches(size?: number): AsyncIterable<OperatorRow[]>;
}

/** One `--disable-…` switch of the CLI. */
export interface ImportSwitch {
  readonly flag: string;
  readonly description: string;
}

export const OPERATOR_IMPORT_SWITCHES: readonly ImportSwitch[] = [
  {
    flag: '--disable-daterange-check',
    description: 'skip the date-range check (end date, rows inside the file dates)',
  },
  { flag: '--disable-leading-zero-check', description: 'skip the leading-zero check' },
  { flag: '--disable-null-check', description: 'skip the NULL IMEI/IMSI/MSISDN/RAT and combined checks' },
  { flag: '--disable-clean-check', description: 'skip the unclean IMEI/IMSI and combined checks' },
  { flag: '--disable-region-check', description: 'skip the out-of-region IMSI/MSISDN and combined checks' },
  { flag: '--disable-home-check', description: 'skip the non-home-network check' },
  { flag: '--disable-historic-check', description: 'skip the historic IMEI/IMSI/MSISDN per-day checks' },
  { flag: '--disable-msisdn-import', description: 'do not import MSISDNs (and skip the checks on them)' },
  { flag: '--disable-rat-import', description: 'do not import RATs (4-column files; RAT checks skipped)' },
];

/** `--disable-<switch>-check` → the switch; also accepts the bare name. */
export function checkSwitchOf(flag: string): CheckSwitch | null {
  const name = flag.replace(/^--disable-/, '').replace(/-check$/, '');
  return (CHECK_SWITCHES as readonly string[]).includes(name) ? (name as CheckSwitch) : null;
}

export class OperatorImportError extends Error {
  constructor(
    readonly code: 'bad-operator' | 'not-validated' | 'file-changed',
    message: string,
  ) {
    super(message);
    this.name = 'OperatorImportError';
  }
}

function localToday(): IsoDate {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

interface PassResult {
  readonly rows: number;
  readonly errors: RowError[];
  readonly errorCount: number;
}

/** One streaming pass: header, then every record parsed; `onRow` sees the good ones. */
async function readPass(
  source: OperatorSource,
  options: { ratImport: boolean; msisdnImport: boolean; maxRowErrors: number },
  onHeader: (header: string[]) => void,
  onRow: (row: OperatorRow) => void,
): Promise<PassResult> {
  let schema: RowSchema | null = null;
  let rows = 0;
  let errorCount = 0;
  const errors: RowError[] = [];
  for await (const batch of csvBatches(await source.open())) {
    for (const { record, line } of batch) {
      if (schema === null) {
        const header = record.map((h) => h.trim().toLowerCase());
        onHeader(header);
        const parsed = rowSchema(header, options);
        if (!parsed.ok) {
          errors.push({ line, rule: 'header', message: `line ${line}: ${parsed.message}` });
          return { rows, errors, errorCount: 1 };
        }
        schema = parsed.schema;
        continue;
      }
      rows++;
      const result = parseOperatorRow(schema, record, line);
      if (result.ok) onRow(result.row);
      else {
        errorCount++;
        errors.push(...result.errors);
        if (errorCount >= options.maxRowErrors) return { rows, errors, errorCount };
      }
    }
  }
  if (schema === null) {
    errors.push({ line: 1, rule: 'header', message: 'the file is empty: it starts with a header line' });
    return { rows, errors, errorCount: 1 };
  }
  return { rows, errors, errorCount };
}

export async function validateOperatorFile(
  file: string,
  options: ValidateOptions,
): Promise<OperatorFileValidation> {
  const operatorId = options.operatorId.toLowerCase();
  if (operatorId === '' || operatorId.length > 16) {
    throw new OperatorImportError(
      'bad-operator',
      `operator id "${options.operatorId}" must be 1–16 characters`,
    );
  }
  const today = options.today ?? localToday();
  const ratImport = options.ratImport ?? true;
  const msisdnImport = options.msisdnImport ?? true;
  const maxRowErrors = options.maxRowErrors ?? 100;
  const steps: (FileStepResult | CheckResult)[] = [];
  const base = {
    file: basename(file),
    operatorId,
    fileName: null as OperatorFileName | null,
    columns: [] as string[],
    rows: 0,
    rowErrors: [] as RowError[],
    rowErrorCount: 0,
    distinct: null,
  };
  const refused = (): OperatorFileValidation => {
    const report: OperatorFileReport = { ...base, passed: false, checks: steps };
    return { report, batches: () => refuse(report) };
  };

  let source: OperatorSource;
  try {
    source = await openOperatorSource(file);
  } catch (error) {
    if (!(error instanceof OperatorFileError)) throw error;
    steps.push({ check: 'file', passed: false, message: error.message });
    return refused();
  }
  steps.push({ check: 'file', passed: true, message: `Reading ${source.csvName}` });

  const named = checkOperatorFileName(source.csvName, today);
  if (!named.ok) {
    steps.push({ check: 'filename', passed: false, message: named.message });
    return refused();
  }
  base.fileName = named.name;
  steps.push({ check: 'filename', passed: true, message: 'Filename check passed' });

  const checks = createOperatorChecks(
    {
      fileName: source.csvName,
      start: named.name.start,
      end: named.name.end,
      today,
      mccMncPairs: options.mccMncPairs,
      countryCodes: options.countryCodes,
      leadingZeroTacs: options.leadingZeroTacs,
      history: options.history ?? null,
    },
    {
      thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds },
      disabled: new Set(options.disabled ?? []),
      msisdnImport,
      ratImport,
    },
    { exactDistinctLimit: options.exactDistinctLimit },
  );
  const before = await stat(file);
  let pass: PassResult;
  try {
    pass = await readPass(
      source,
      { ratImport, msisdnImport, maxRowErrors },
      (header) => {
        base.columns = header;
      },
      (row) => checks.add(row),
    );
  } catch (error) {
    if (!(error instanceof OperatorFileError)) throw error;
    steps.push({ check: 'prevalidation', passed: false, message: `Pre-validation failed: ${error.message}` });
    return refused();
  }
  base.rows = pass.rows;
  base.rowErrors = pass.errors;
  base.rowErrorCount = pass.errorCount;
  if (pass.errorCount > 0) {
    const more = pass.errorCount >= maxRowErrors ? ' (reading stopped there)' : '';
    steps.push({
      check: 'prevalidation',
      passed: false,
      message: `Pre-validation failed: ${pass.errorCount} bad rows${more}; first: ${pass.errors[0]!.message}`,
    });
    return refused();
  }
  steps.push({ check: 'prevalidation', passed: true, message: `Pre-validation passed: ${pass.rows} rows` });

  const battery = checks.finish();
  steps.push(...battery.checks);
  const report: OperatorFileReport = {
    ...base,
    distinct: battery.distinct,
    passed: battery.passed,
    checks: steps,
  };
  if (!report.passed) return { report, batches: () => refuse(report) };

  async function* secondPass(size: number): AsyncGenerator<OperatorRow[]> {
    let schema: RowSchema | null = null;
    let rows = 0;
    let out: OperatorRow[] = [];
    for await (const chunk of csvBatches(await source.open())) {
      for (const { record, line } of chunk) {
        if (schema === null) {
          const parsed = rowSchema(
            record.map((h) => h.trim().toLowerCase()),
            { ratImport, msisdnImport },
          );
          if (!parsed.ok) throw changed(`its header no longer reads: ${parsed.message}`);
          schema = parsed.schema;
          continue;
        }
        const result = parseOperatorRow(schema, record, line);
        if (!result.ok) throw changed(result.errors[0]!.message);
        rows++;
        out.push(result.row);
        if (out.length >= size) {
          yield out;
          out = [];
        }
      }
    }
    if (out.length > 0) yield out;
    const after = await stat(file);
    if (rows !== report.rows || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw changed(`${rows} rows now, ${report.rows} when validated`);
    }
  }

  const changed = (why: string) =>
    new OperatorImportError('file-changed', `${report.file} changed after validation: ${why}`);

  return { report, batches: (size) => secondPass(size ?? 10_000) };
}

async function* refuse(report: OperatorFileReport): AsyncGenerator<OperatorRow[]> {
  const failed = report.checks.find((c) => !c.passed);
  throw new OperatorImportError(
    'not-validated',
    `${report.file} did not pass validation${failed ? `: ${failed.message}` : ''}; no row is handed over`,
  );
}
