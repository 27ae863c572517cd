/**
 * The list files as DIRBS writes them (dirbs-compat.md §4.2, DIRBS `listgen.py` `_write_*_csv_*`):
 * Python's csv.DictWriter, so minimal quoting and `\r\n` line ends; block dates YYYYMMDD; the IMEI
 * with a Luhn digit when `generate_check_digit`, and 14-digit IMEIs only unless `output_invalid_imeis`.
 * Delta files carry the same columns as the full file: DIRBS pops the change type off each row and
 * writes one file per change type (the change type is in the name, not in a column). Every delta file
 * is written, empty or not, as DIRBS does. Zipping (`<date>_blacklist.zip` …) is left out.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DeviceKey } from '../../identifiers/index.ts';
import { checkDigitOf } from '../../identifiers/index.ts';
import {
  BLACKLIST_CHANGES,
  type Delta,
  EXCEPTION_CHANGES,
  NOTIFICATION_CHANGES,
  type NotificationChange,
} from './delta.ts';
import type { BlacklistEntry, ExceptionEntry, Lists, NotificationEntry } from './lists.ts';

export interface OutputOptions {
  readonly generateCheckDigit: boolean;
  readonly outputInvalidImeis: boolean;
  readonly amnestyEnabled: boolean;
  readonly fullLists: boolean;
  /** The IMSI as the operator must read it, from the value the engine stores (sealed at rest). */
  readonly openImsi?: (stored: string) => string;
  /** The MSISDN likewise. */
  readonly openMsisdn?: (stored: string) => string;
}

export interface ListFiles {
  readonly directory: string;
  /** File name → bytes, in the order written. */
  readonly files: ReadonlyMap<string, string>;
}

const field = (value: string | boolean | null) => {
  const text = value === null ? '' : typeof value === 'boolean' ? (value ? 'True' : 'False') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const csv = (header: readonly string[], rows: readonly (string | boolean | null)[][]) =>
  [header, ...rows].map((row) => `${row.map(field).join(',')}\r\n`).join('');

/** The IMEI as listed, or null when it is left out (not 14 digits and output_invalid_imeis false). */
export function outputImei(imeiNorm: string, options: OutputOptions): string | null {
  const valid = /^[0-9]{14}$/.test(imeiNorm);
  if (!valid) return options.outputInvalidImeis ? imeiNorm : null;
  return options.generateCheckDigit ? imeiNorm + checkDigitOf(imeiNorm as DeviceKey) : imeiNorm;
}

const yyyymmdd = (date: string | null) => (date === null ? null : date.replace(/-/g, ''));

/** `listgen__<YYYYmmdd_HHMMSS>__classid_<run>` from the job's start time (UTC). */
export function directoryName(startedAt: Date, runId: number): string {
  const stamp = startedAt.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '_');
  return `listgen__${stamp}__classid_${runId}`;
}

export interface FileInputs {
  readonly listgenDate: string;
  readonly runId: number;
  readonly baseRunId: number;
  readonly operators: readonly string[];
  readonly lists: Lists;
  readonly blacklistDelta: readonly Delta<BlacklistEntry, string>[];
  readonly notificationDelta: readonly Delta<NotificationEntry, NotificationChange>[];
  readonly exceptionDelta: readonly Delta<ExceptionEntry, string>[];
}

/** Every list file's name and bytes. */
export function listFiles(inputs: FileInputs, options: OutputOptions): Map<string, string> {
  const date = yyyymmdd(inputs.listgenDate)!;
  const suffix = `delta_${inputs.baseRunId}_${inputs.runId}`;
  const files = new Map<string, string>();
  const rowsOf = <T extends { imeiNorm: string }>(
    entries: readonly T[],
    cells: (t: T) => (string | boolean | null)[],
  ) =>
    entries.flatMap((e) => {
      const imei = outputImei(e.imeiNorm, options);
      return imei === null ? [] : [[imei, ...cells(e)]];
    });

  const blacklistHeader = ['imei', 'block_date', 'reasons'];
  const blacklistCells = (b: BlacklistEntry) => [yyyymmdd(b.blockDate), b.reasons];
  if (options.fullLists)
    files.set(`${date}_blacklist.csv`, csv(blacklistHeader, rowsOf(inputs.lists.blacklist, blacklistCells)));
  for (const change of BLACKLIST_CHANGES) {
    const entries = inputs.blacklistDelta.filter((d) => d.change === change).map((d) => d.entry);
    files.set(
      `${date}_blacklist_${suffix}_${change}.csv`,
      csv(blacklistHeader, rowsOf(entries, blacklistCells)),
    );
  }

  const openImsi = options.openImsi ?? ((stored: string) => stored);
  const openMsisdn = options.openMsisdn ?? ((stored: string) => stored);
  const notificationHeader = ['imei', 'imsi', 'msisdn', 'block_date', 'reasons'];
  if (options.amnestyEnabled) notificationHeader.push('amnesty_granted');
  const notificationCells = (n: NotificationEntry) => {
    const cells: (string | boolean | null)[] = [
      openImsi(n.imsi),
      openMsisdn(n.msisdn),
      yyyymmdd(n.blockDate),
      n.reasons,
    ];
    if (options.amnestyEnabled) cells.push(n.amnestyGranted);
    return cells;
  };
  const exceptionHeader = ['imei', 'imsi', 'msisdn'];
  const exceptionCells = (e: ExceptionEntry) => [
    openImsi(e.imsi),
    e.msisdn === null ? null : openMsisdn(e.msisdn),
  ];

  for (const operator of inputs.operators) {
    const mine = <T extends { operator: string }>(entries: readonly T[]) =>
      entries.filter((e) => e.operator === operator);
    if (options.fullLists)
      files.set(
        `${date}_notifications_${operator}.csv`,
        csv(notificationHeader, rowsOf(mine(inputs.lists.notifications), notificationCells)),
      );
    for (const change of NOTIFICATION_CHANGES) {
      const entries = inputs.notificationDelta.filter((d) => d.change === change).map((d) => d.entry);
      files.set(
        `${date}_notifications_${operator}_${suffix}_${change}.csv`,
        csv(notificationHeader, rowsOf(mine(entries), notificationCells)),
      );
    }
    if (options.fullLists)
      files.set(
        `${date}_exceptions_${operator}.csv`,
        csv(exceptionHeader, rowsOf(mine(inputs.lists.exceptions), exceptionCells)),
      );
    for (const change of EXCEPTION_CHANGES) {
      const entries = inputs.exceptionDelta.filter((d) => d.change === change).map((d) => d.entry);
      files.set(
        `${date}_exceptions_${operator}_${suffix}_${change}.csv`,
        csv(exceptionHeader, rowsOf(mine(entries), exceptionCells)),
      );
    }
  }
  return files;
}

/**
 * Writes the files into `<directory>.partial` and renames it into place, so that a job killed half
 * way never leaves a directory under a listgen name with some of its files missing.
 */
export function writeListFiles(directory: string, files: ReadonlyMap<string, string>): void {
  const partial = `${directory}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(path.join(partial, name), bytes);
  renameSync(partial, directory);
}
