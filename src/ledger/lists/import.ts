/**
 * Bulk list import (DIRBS list formats and OpenCEIR's own): full files replace the current list of
 * one source, delta files add, update and remove. Every row is validated first and every problem is
 * reported with its line, field and rule; nothing is committed unless the whole file is good (or
 * bad rows are explicitly skipped). The changes are appended as ledger entries in one transaction,
 * referenced `import:<id>`, where the id comes from the file's hash: importing a file twice changes
 * nothing the second time, and an interrupted import is simply run again.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FileFormatError, readRows } from '../../files/read.ts';
import type { EntryDraft } from '../entry.ts';
import type { Ledger } from '../ledger.ts';
import { type Context, FORMATS, type ImportType, type Item } from './formats.ts';

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
  /** Delta checks: adds not yet listed, removes and updates listed (default on). */
  readonly deltaChecks?: boolean;
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

  /** key → the item, its line and its change type (delta). */
  const items = new Map<string, { item: Item; line: number; change: 'add' | 'update' | 'remove' }>();
  let count = 0;
  let ignored = 0;
  try {
    for await (const row of rows) {
      count += 1;
      let change: 'add' | 'update' | 'remove' = 'add';
      if (mode === 'delta') {
        const value = (row.fields.change_type ?? '').toLowerCase();
        if (value !== 'add' && value !== 'remove' && value !== 'update') {
          fail(row.line, 'change_type', 'must be add, update or remove');
          continue;
        }
        change = value;
      }
      const parsed = format.parse(row.fields, context);
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
            format.required[0]!,
            `conflicts with line ${earlier.line}: same entry, different ${Object.keys(parsed.item.meta).join('/')}`,
          );
        }
        continue;
      }
      items.set(parsed.item.key, { item: parsed.item, line: row.line, change });
    }
  } catch (error) {
    throw error instanceof FileFormatError ? new ImportError(error.message) : error;
  }

  const current = await format.current(ledger.db, source);
  const adds: Item[] = [];
  const updates: Item[] = [];
  const removes: Item[] = [];
  let unchanged = 0;
  const deltaChecks = options.deltaChecks ?? true;
  for (const { item, line, change } of items.values()) {
    const present = current.get(item.key);
    if (mode === 'full' || change === 'add') {
      if (!present) adds.push(item);
      else if (metaText(present) !== metaText(item)) updates.push(item);
      else {
        unchanged += 1;
        if (mode === 'delta' && deltaChecks)
          fail(line, format.required[0]!, `${item.key} is already on the ${type} list (add)`);
      }
    } else if (change === 'update') {
      if (present) updates.push(item);
      else if (deltaChecks)
        fail(line, format.required[0]!, `${item.key} is not on the ${type} list (update)`);
    } else if (present) removes.push(present);
    else if (deltaChecks) fail(line, format.required[0]!, `${item.key} is not on the ${type} list (remove)`);
  }
  if (mode === 'full') {
    for (const [key, item] of current) if (!items.has(key)) removes.push(item);
    const { absolute, percent } = format.sizeCheck;
    const floor = Math.max(
      1,
      absolute === -1 ? 0 : current.size - absolute,
      Math.ceil(percent * current.size),
    );
    if ((options.sizeCheck ?? true) && current.size > 0 && items.size < floor) {
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
