/**
 * Imports and queries the TAC database. Two formats:
 * - GSMA TAC database (pipe-separated `.txt`, usually zipped; the DIRBS `gsma_tac` schema): mandatory
 *   columns tac, manufacturer, model_name, bands, allocation_date (DD-Mon-YYYY), device_type; every
 *   other column is kept as an attribute. A duplicate TAC fails the import.
 * - Osmocom tacdb CSV (CC-BY-SA): a licence line, then `tac,name,name,contributor,comment,gsmarena,gsmarena,aka`.
 * An import replaces what that source said before and records every change in the history.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { sql } from 'drizzle-orm';
import { FileFormatError, readRows } from '../files/read.ts';
import { type Database, query } from '../store/index.ts';
import { generationsOf } from './radio.ts';

export type TacSource = 'gsma' | 'osmocom';

export interface TacModel {
  readonly tac: string;
  readonly brand: string | null;
  readonly model: string | null;
  readonly marketingName: string | null;
  readonly manufacturer: string | null;
  readonly deviceType: string | null;
  readonly bands: string | null;
  readonly allocationDate: string | null;
  readonly radio: readonly string[];
  readonly operatingSystem: string | null;
  readonly source: TacSource;
  readonly attributes: Readonly<Record<string, string>> | null;
}

export interface TacImportReport {
  readonly importId: string;
  readonly source: TacSource;
  readonly rows: number;
  readonly errorCount: number;
  readonly errors: readonly { line: number; field: string; message: string }[];
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
  readonly unchanged: number;
  /** Rows a GSMA row already covers (Osmocom import). */
  readonly shadowed: number;
  readonly committed: boolean;
}

export class TacImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TacImportError';
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `26-Apr-2016` → `2016-04-26`, or null when it is not such a date. */
export function parseAllocationDate(text: string): string | null {
  const match = /^(\d{1,2})-([A-Za-z]{3})-((?:19|20)\d{2})$/.exec(text.trim());
  if (!match) return null;
  const month = MONTHS.indexOf(match[2]!.toLowerCase());
  const day = Number(match[1]);
  if (month < 0) return null;
  const date = new Date(Date.UTC(Number(match[3]), month, day));
  if (date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

const GSMA_REQUIRED = ['tac', 'manufacturer', 'model_name', 'bands', 'allocation_date', 'device_type'];
const GSMA_KNOWN = new Set([...GSMA_REQUIRED, 'marketing_name', 'brand_name', 'operating_system']);
const nullIfEmpty = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());
/** GSMA headers have spaces ("Model Name"); DIRBS matches them case-insensitively as model_name. */
const columnName = (header: string) => header.replace(/[\s-]+/g, '_');

async function sniffSource(file: string): Promise<TacSource> {
  const stream = createReadStream(file, { start: 0, end: 4095 });
  let head = '';
  for await (const chunk of stream) head += (chunk as Buffer).toString('latin1');
  if (head.startsWith('PK')) return 'gsma';
  return /^Osmocom TAC database/i.test(head) || /^tac,name,name/im.test(head) ? 'osmocom' : 'gsma';
}

async function fileId(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 24);
}

function modelJson(m: TacModel): string {
  return JSON.stringify([
    m.brand,
    m.model,
    m.marketingName,
    m.manufacturer,
    m.deviceType,
    m.bands,
    m.allocationDate,
    m.radio,
    m.operatingSystem,
    m.source,
    m.attributes,
  ]);
}

export interface TacImportOptions {
  readonly source?: TacSource;
  readonly dryRun?: boolean;
  readonly skipBadRows?: boolean;
}

export async function importTacFile(
  db: Database,
  file: string,
  options: TacImportOptions = {},
): Promise<TacImportReport> {
  const source = options.source ?? (await sniffSource(file));
  const importId = await fileId(file);
  let header: string[];
  let rows: AsyncIterable<{ line: number; fields: Readonly<Record<string, string>> }>;
  try {
    ({ header, rows } =
      source === 'gsma'
        ? await readRows(file, { delimiter: '|' })
        : await readRows(file, { skipLines: await banner(file) }));
  } catch (error) {
    throw error instanceof FileFormatError ? new TacImportError(error.message) : error;
  }
  const columns = header.map(columnName);
  if (source === 'gsma') {
    const missing = GSMA_REQUIRED.filter((c) => !columns.includes(c));
    if (missing.length > 0)
      throw new TacImportError(
        `the GSMA TAC file needs columns ${missing.join(', ')}; its header has ${header.join('|')}`,
      );
  } else if (!columns.includes('tac') || !columns.includes('name') || !columns.includes('name_2')) {
    throw new TacImportError(
      `the Osmocom TAC file has the header tac,name,name,…; this one has ${header.join(',')}`,
    );
  }

  const errors: { line: number; field: string; message: string }[] = [];
  let errorCount = 0;
  const fail = (line: number, field: string, message: string) => {
    errorCount += 1;
    if (errors.length < 1000) errors.push({ line, field, message });
  };
  const models = new Map<string, { model: TacModel; line: number }>();
  let count = 0;
  for await (const row of rows) {
    count += 1;
    const f: Record<string, string> = {};
    header.forEach((h, i) => {
      f[columns[i]!] = row.fields[h] ?? '';
    });
    let tac = (f.tac ?? '').trim();
    // The Osmocom export lost the leading zero of RBI 01 TACs (Apple's 0116…): 7 digits are restored.
    if (source === 'osmocom' && /^[0-9]{7}$/.test(tac)) tac = `0${tac}`;
    if (!/^[0-9]{8}$/.test(tac)) {
      fail(row.line, 'tac', 'must be 8 digits');
      continue;
    }
    let model: TacModel;
    if (source === 'gsma') {
      const allocation = parseAllocationDate(f.allocation_date ?? '');
      if (allocation === null) {
        fail(row.line, 'allocation_date', 'must be a date DD-Mon-YYYY, e.g. 26-Apr-2016');
        continue;
      }
      const missing = ['manufacturer', 'model_name', 'device_type'].filter((c) => nullIfEmpty(f[c]) === null);
      if (missing.length > 0) {
        fail(row.line, missing[0]!, 'is empty');
        continue;
      }
      const extra = Object.fromEntries(
        Object.entries(f).filter(([k, v]) => !GSMA_KNOWN.has(k) && v.trim() !== ''),
      );
      const bands = nullIfEmpty(f.bands);
      model = {
        tac,
        brand: nullIfEmpty(f.brand_name) ?? nullIfEmpty(f.manufacturer),
        model: nullIfEmpty(f.model_name),
        marketingName: nullIfEmpty(f.marketing_name),
        manufacturer: nullIfEmpty(f.manufacturer),
        deviceType: nullIfEmpty(f.device_type),
        bands,
        allocationDate: allocation,
        radio: generationsOf(bands),
        operatingSystem: nullIfEmpty(f.operating_system),
        source,
        attributes: Object.keys(extra).length > 0 ? extra : null,
      };
    } else {
      const aka = nullIfEmpty(f.aka);
      model = {
        tac,
        brand: nullIfEmpty(f.name),
        model: nullIfEmpty(f.name_2),
        marketingName: null,
        manufacturer: nullIfEmpty(f.name),
        deviceType: null,
        bands: null,
        allocationDate: null,
        radio: [],
        operatingSystem: null,
        source,
        attributes: aka ? { aka } : null,
      };
    }
    const earlier = models.get(tac);
    if (earlier) {
      // GSMA: a duplicate TAC fails the import (DIRBS). Osmocom has a few repeats: the first row wins.
      if (source === 'gsma') fail(row.line, 'tac', `TAC ${tac} is already on line ${earlier.line}`);
      continue;
    }
    models.set(tac, { model, line: row.line });
  }

  const current = new Map<string, TacModel>();
  for (const r of await query(db, sql`select * from tac_model`)) current.set(String(r.tac), rowToModel(r));
  const adds: TacModel[] = [];
  const updates: [TacModel, TacModel][] = [];
  let unchanged = 0;
  let shadowed = 0;
  for (const { model } of models.values()) {
    const old = current.get(model.tac);
    if (old && old.source === 'gsma' && source === 'osmocom') shadowed += 1;
    else if (!old) adds.push(model);
    else if (modelJson(old) !== modelJson(model)) updates.push([old, model]);
    else unchanged += 1;
  }
  const removes = [...current.values()].filter((m) => m.source === source && !models.has(m.tac));
  const commit =
    (errorCount === 0 || (options.skipBadRows ?? false)) &&
    !(options.dryRun ?? false) &&
    adds.length + updates.length + removes.length > 0;
  if (commit) await write(db, importId, adds, updates, removes);
  return {
    importId,
    source,
    rows: count,
    errorCount,
    errors,
    added: adds.length,
    updated: updates.length,
    removed: removes.length,
    unchanged,
    shadowed,
    committed: commit,
  };
}

/** How many lines precede the header (the Osmocom export starts with a licence line). */
async function banner(file: string): Promise<number> {
  let head = '';
  for await (const chunk of createReadStream(file, { start: 0, end: 1023 }))
    head += (chunk as Buffer).toString('utf8');
  return /^tac,/i.test(head) ? 0 : 1;
}

const param = (v: unknown) => sql.param(v);

async function write(
  db: Database,
  importId: string,
  adds: TacModel[],
  updates: [TacModel, TacModel][],
  removes: TacModel[],
): Promise<void> {
  await db.transaction(async (tx) => {
    const upserts = [...adds, ...updates.map(([, m]) => m)];
    for (let i = 0; i < upserts.length; i += 5000) {
      const batch = upserts.slice(i, i + 5000);
      const col = <T>(f: (m: TacModel) => T) => param(batch.map(f));
      await tx.execute(sql`
        insert into tac_model (tac, brand, model, marketing_name, manufacturer, device_type, bands, allocation_date, radio,
                               operating_system, source, attributes, updated_at, import_id)
        select tac, brand, model, marketing_name, manufacturer, device_type, bands, allocation_date, string_to_array(radio, ','),
               operating_system, source, attributes::jsonb, now(), ${importId}
        from unnest(${col((m) => m.tac)}::text[], ${col((m) => m.brand)}::text[], ${col((m) => m.model)}::text[],
                    ${col((m) => m.marketingName)}::text[], ${col((m) => m.manufacturer)}::text[], ${col((m) => m.deviceType)}::text[],
                    ${col((m) => m.bands)}::text[], ${col((m) => m.allocationDate)}::text[], ${col((m) => m.radio.join(','))}::text[],
                    ${col((m) => m.operatingSystem)}::text[], ${col((m) => m.source)}::text[],
                    ${col((m) => (m.attributes ? JSON.stringify(m.attributes) : null))}::text[])
          as r(tac, brand, model, marketing_name, manufacturer, device_type, bands, allocation_date, radio, operating_system, source, attributes)
        on conflict (tac) do update set brand = excluded.brand, model = excluded.model, marketing_name = excluded.marketing_name,
          manufacturer = excluded.manufacturer, device_type = excluded.device_type, bands = excluded.bands,
          allocation_date = excluded.allocation_date, radio = excluded.radio, operating_system = excluded.operating_system,
          source = excluded.source, attributes = excluded.attributes, updated_at = now(), import_id = excluded.import_id`);
    }
    if (removes.length > 0) {
      await tx.execute(
        sql`delete from tac_model where tac = any(${param(removes.map((m) => m.tac))}::text[])`,
      );
    }
    const history = [
      ...adds.map((m) => ({ tac: m.tac, change: 'added', before: null, after: m })),
      ...updates.map(([old, m]) => ({ tac: m.tac, change: 'updated', before: old, after: m })),
      ...removes.map((m) => ({ tac: m.tac, change: 'removed', before: m, after: null })),
    ];
    for (let i = 0; i < history.length; i += 5000) {
      const batch = history.slice(i, i + 5000);
      await tx.execute(sql`
        insert into tac_history (tac, import_id, change, before, after)
        select tac, ${importId}, change, before::jsonb, after::jsonb
        from unnest(${param(batch.map((h) => h.tac))}::text[], ${param(batch.map((h) => h.change))}::text[],
                    ${param(batch.map((h) => (h.before ? JSON.stringify(h.before) : null)))}::text[],
                    ${param(batch.map((h) => (h.after ? JSON.stringify(h.after) : null)))}::text[]) as r(tac, change, before, after)`);
    }
  });
}

function rowToModel(r: Record<string, unknown>): TacModel {
  return {
    tac: String(r.tac),
    brand: (r.brand as string | null) ?? null,
    model: (r.model as string | null) ?? null,
    marketingName: (r.marketing_name as string | null) ?? null,
    manufacturer: (r.manufacturer as string | null) ?? null,
    deviceType: (r.device_type as string | null) ?? null,
    bands: (r.bands as string | null) ?? null,
    allocationDate: (r.allocation_date as string | null) ?? null,
    radio: (r.radio as string[]) ?? [],
    operatingSystem: (r.operating_system as string | null) ?? null,
    source: r.source as TacSource,
    attributes: (r.attributes as Record<string, string> | null) ?? null,
  };
}

export async function findTac(db: Database, tac: string): Promise<TacModel | null> {
  const [row] = await query(db, sql`select * from tac_model where tac = ${tac}`);
  return row ? rowToModel(row) : null;
}

export interface TacChange {
  readonly changedAt: string;
  readonly importId: string;
  readonly change: 'added' | 'updated' | 'removed';
  readonly before: TacModel | null;
  readonly after: TacModel | null;
}

export async function tacHistory(db: Database, tac: string): Promise<TacChange[]> {
  const rows = await query(
    db,
    sql`select floor(extract(epoch from changed_at) * 1000)::bigint as at_ms, import_id, change, before, after
        from tac_history where tac = ${tac} order by id`,
  );
  return rows.map((r) => ({
    changedAt: new Date(Number(r.at_ms)).toISOString(),
    importId: String(r.import_id),
    change: r.change as TacChange['change'],
    before: (r.before as TacModel | null) ?? null,
    after: (r.after as TacModel | null) ?? null,
  }));
}

export async function tacCount(db: Database): Promise<number> {
  const [row] = await query(db, sql`select count(*)::bigint as n from tac_model`);
  return Number(row?.n ?? 0);
}
