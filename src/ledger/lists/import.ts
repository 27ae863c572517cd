/**
 * Bulk list import (DIRBS list formats and OpenCEIR's own): full files replace the current list of
 * one source, delta files add, update and remove. Every row is validated first and every problem is
 * reported with its line, field and rule; nothing is committed unless the whole file is good (or
 * bad rows are explicitly skipped). The changes are appended as ledger entries in one transaction,
 * referenced `import:<id>`, where the id comes from the file's hash: importing a file twice changes
 * nothing the second time, and an interrupted import is simply run again.
 *
 * The validation flow (rows → items with the conflicting-rows and multiple-changes checks → a plan
 * against the current list with the delta checks → the historic size check) is pure and exported,
 * so the analytics-only lists (analytics/subscriber-lists.ts) run the very same checks.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FileFormatError, type Row, readRows } from '../../files/read.ts';
import type { EntryDraft } from '../entry.ts';
import type { Ledger } from '../ledger.ts';
import { type Context, FORMATS, type ImportType, type Item, type RowResult } from './formats.ts';

export interface ImportOptions {
  readonly mode?: 'full' | 'delta';
  readonly dryRun?: boolean;
  /** Commit the good rows and report the bad ones, instead of committing nothing. */
  readonly skipBadRows?: boolean;
  readonly source?: string;
  readonly actor?: string;
  /** golden list: the file holds MD5 hashes (DIRBS --pre-hashed). */
  readonly preHashed?: boolean;
  /** DIRBS historic size check for full lists (default on). */
  readonly sizeCheck?: boolean;
  /** Delta checks: adds not yet listed, removes and updates listed (default on); all or each. */
  readonly deltaChecks?: boolean | Partial<DeltaChecks>;
}

/** DIRBS delta checks (dirbs-compat.md §2.1); `--disable-delta-{adds,removes,updates}-check` each. */
export interface DeltaChecks {
  /** An add must not be on the list already. */
  readonly adds: boolean;
  /** A remove must be on the list. */
  readonly removes: boolean;
  /** An update must be on the list. */
  readonly updates: boolean;
}

export function deltaChecksOf(value: boolean | Partial<DeltaChecks> | undefined): DeltaChecks {
  if (value === undefined || typeof value === 'boolean') {
    const on = value ?? true;
    return { adds: on, removes: on, updates: on };
  }
  return { adds: value.adds ?? true, removes: value.removes ?? true, updates: value.updates ?? true };
}

export interface RowError {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

export interface ImportReport {
  readonly importId: string;
  readonly type: ImportType;
  readonly mode: 'full' | 'delta';
  readonly source: string;
  readonly rows: number;
  /** Rows whose status DIRBS treats as provisional (e.g. stolen `pending`): read, not applied. */
  readonly ignored: number;
  readonly errorCount: number;
  /** The first 1,000 row errors. */
  readonly errors: readonly RowError[];
  readonly adds: number;
  readonly updates: number;
  readonly removes: number;
  readonly unchanged: number;
  /** A few keys of each kind of change, for the dry-run report. */
  readonly samples: {
    readonly adds: readonly string[];
    readonly updates: readonly string[];
    readonly removes: readonly string[];
  };
  readonly dryRun: boolean;
  readonly committed: boolean;
  readonly entries: number;
  readonly head: { readonly treeSize: number; readonly rootHash: string } | null;
}

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

const MAX_ERRORS = 1_000;
const SAMPLES = 10;
const CHUNK = 5_000;

async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const metaText = (item: Item) => JSON.stringify(Object.entries(item.meta).sort());

export type Change = 'add' | 'update' | 'remove';

/** One item of a file: the line it came from and, in a delta file, its change type. */
export interface FileItem {
  readonly item: Item;
  readonly line: number;
  readonly change: Change;
}

/** Records one bad row: its line, the field and the rule it breaks. */
export type Fail = (line: number, field: string, message: string) => void;

export interface CollectOptions {
  readonly mode: 'full' | 'delta';
  /** The change types a delta file may hold (DIRBS: update for the stolen list only). */
  readonly changes: readonly Change[];
  /** The column named by conflict errors (the first key column). */
  readonly keyField: string;
  parse(fields: Readonly<Record<string, string>>): RowResult;
}

/**
 * The file's rows as items, one per key: change types read, rows parsed, exact duplicates
 * collapsed, the conflicting-rows check (same key, other metadata) and the delta multiple-changes
 * check (same key, another change type) applied. Bad rows go to `fail` and are left out.
 */
export async function collectItems(
  rows: AsyncIterable<Row>,
  options: CollectOptions,
  fail: Fail,
): Promise<{ items: Map<string, FileItem>; rows: number; ignored: number }> {
  const items = new Map<string, FileItem>();
  let count = 0;
  let ignored = 0;
  for await (const row of rows) {
    count += 1;
    let change: Change = 'add';
    if (options.mode === 'delta') {
      const value = (row.fields.change_type ?? '').toLowerCase() as Change;
      if (!options.changes.includes(value)) {
        fail(row.line, 'change_type', `must be ${options.changes.join(', ').replace(/, (\w+)$/, ' or $1')}`);
        continue;
      }
      change = value;
    }
    const parsed = options.parse(row.fields);
    if ('problems' in parsed) {
      for (const p of parsed.problems) fail(row.line, p.field, p.message);
      continue;
    }
    if ('ignored' in parsed) {
      ignored += 1;
      continue;
    }
    const earlier = items.get(parsed.item.key);
    if (earlier) {
      if (earlier.change !== change) {
        fail(
          row.line,
          'change_type',
          `the same entry has change ${earlier.change} on line ${earlier.line}: one change per entry`,
        );
      } else if (metaText(earlier.item) !== metaText(parsed.item)) {
        fail(
          row.line,
          options.keyField,
          `conflicts with line ${earlier.line}: same entry, different ${Object.keys(parsed.item.meta).join('/')}`,
        );
      }
      continue;
    }
    items.set(parsed.item.key, { item: parsed.item, line: row.line, change });
  }
  return { items, rows: count, ignored };
}

export interface Plan {
  readonly adds: Item[];
  readonly updates: Item[];
  readonly removes: Item[];
  readonly unchanged: number;
}

/**
 * What the file changes in the current list: a full file replaces it (adds, metadata updates, and
 * removes of what the file no longer holds); a delta file applies its changes, with the delta checks
 * (adds not listed yet, removes and updates listed) reporting the rows that break them.
 */
export function planChanges(
  items: ReadonlyMap<string, FileItem>,
  current: ReadonlyMap<string, Item>,
  options: {
    readonly mode: 'full' | 'delta';
    readonly list: string;
    readonly keyField: string;
    readonly deltaChecks: DeltaChecks;
  },
  fail: Fail,
): Plan {
  const { mode, list, keyField, deltaChecks } = options;
  const adds: Item[] = [];
  const updates: Item[] = [];
  const removes: Item[] = [];
  let unchanged = 0;
  for (const { item, line, change } of items.values()) {
    const present = current.get(item.key);
    if (mode === 'full' || change === 'add') {
      if (!present) adds.push(item);
      else if (metaText(present) !== metaText(item)) updates.push(item);
      else {
        unchanged += 1;
        if (mode === 'delta' && deltaChecks.adds)
          fail(line, keyField, `${item.key} is already on the ${list} list (add)`);
      }
    } else if (change === 'update') {
      if (present) updates.push(item);
      else if (deltaChecks.updates) fail(line, keyField, `${item.key} is not on the ${list} list (update)`);
    } else if (present) removes.push(present);
    else if (deltaChecks.removes) fail(line, keyField, `${item.key} is not on the ${list} list (remove)`);
  }
  if (mode === 'full') for (const [key, item] of current) if (!items.has(key)) removes.push(item);
  return { adds, updates, removes, unchanged };
}

/**
 * DIRBS historic size check for a full list: with a non-empty current list, the file must hold at
 * least max(1, current − absolute (absolute −1: no such rule), percent × current) entries. The
 * smallest size allowed, or null when any size passes.
 */
export function sizeCheckFloor(
  currentSize: number,
  sizeCheck: { readonly absolute: number; readonly percent: number },
): number | null {
  if (currentSize === 0) return null;
  const { absolute, percent } = sizeCheck;
  return Math.max(1, absolute === -1 ? 0 : currentSize - absolute, Math.ceil(percent * currentSize));
}

export async function importList(
  ledger: Ledger,
  type: ImportType,
  file: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const format = FORMATS[type];
  const mode = options.mode ?? 'full';
  const source = options.source ?? 'regulator';
  const digest = await fileHash(file);
  const importId = digest.slice(0, 24);
  const context: Context = {
    actor: options.actor ?? 'import',
    source,
    reference: `import:${importId}`,
    preHashed: options.preHashed ?? false,
  };

  let header: string[];
  let rows: AsyncIterable<{ line: number; fields: Readonly<Record<string, string>> }>;
  try {
    ({ header, rows } = await readRows(file));
  } catch (error) {
    throw error instanceof FileFormatError ? new ImportError(error.message) : error;
  }
  const needed = [...format.required, ...(mode === 'delta' ? ['change_type'] : [])];
  const missing = needed.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new ImportError(
      `the ${type} list needs column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(columns: ${[...needed, ...format.optional].join(', ')}); the header has ${header.join(', ') || 'nothing'}`,
    );
  }

  const errors: RowError[] = [];
  let errorCount = 0;
  const fail = (line: number, field: string, message: string) => {
    errorCount += 1;
    if (errors.length < MAX_ERRORS) errors.push({ line, field, message });
  };

  let collected: Awaited<ReturnType<typeof collectItems>>;
  try {
    collected = await collectItems(
      rows,
      {
        mode,
        changes: ['add', 'update', 'remove'],
        keyField: format.required[0]!,
        parse: (fields) => format.parse(fields, context),
      },
      fail,
    );
  } catch (error) {
    throw error instanceof FileFormatError ? new ImportError(error.message) : error;
  }
  const { items, rows: count, ignored } = collected;

  const current = await format.current(ledger.db, source);
  const { adds, updates, removes, unchanged } = planChanges(
    items,
    current,
    { mode, list: type, keyField: format.required[0]!, deltaChecks: deltaChecksOf(options.deltaChecks) },
    fail,
  );
  if (mode === 'full') {
    const floor = sizeCheckFloor(current.size, format.sizeCheck);
    if ((options.sizeCheck ?? true) && floor !== null && items.size < floor) {
      throw new ImportError(
        `the ${type} list would shrink from ${current.size} to ${items.size} entries, below the ${floor} the size check allows ` +
          '(a truncated file?); pass --no-size-check if this is intended',
      );
    }
  }

  const good = errorCount === 0 || (options.skipBadRows ?? false);
  const commit = good && !(options.dryRun ?? false) && adds.length + updates.length + removes.length > 0;
  let head: ImportReport['head'] = null;
  let entries = 0;
  if (commit) {
    function* drafts(): Generator<EntryDraft> {
      for (const item of adds) yield format.add(item, context);
      for (const item of updates) yield format.add(item, context);
      for (const item of removes) yield format.remove(item, context);
    }
    const { head: signed } = await ledger.transaction(async (session) => {
      let batch: EntryDraft[] = [];
      const flush = async () => {
        ledger.validate(batch);
        entries += (await session.add(batch)).entries.length;
        batch = [];
      };
      for (const draft of drafts()) {
        batch.push(draft);
        if (batch.length === CHUNK) await flush();
      }
      if (batch.length > 0) await flush();
    });
    head = { treeSize: signed.size, rootHash: signed.rootHash.toString('base64') };
  }

  const sample = (list: Item[]) => list.slice(0, SAMPLES).map((i) => i.key);
  return {
    importId,
    type,
    mode,
    source,
    rows: count,
    ignored,
    errorCount,
    errors,
    adds: adds.length,
    updates: updates.length,
    removes: removes.length,
    unchanged,
    samples: { adds: sample(adds), updates: sample(updates), removes: sample(removes) },
    dryRun: options.dryRun ?? false,
    committed: commit,
    entries,
    head,
  };
}
