/**
 * One row of operator network data, parsed and pre-validated (dirbs-compat.md §2.2): the DIRBS
 * operator schema `date,imei,imsi,msisdn[,rat]` (the v2 schema with `rat`, the older one without),
 * plus OpenCEIR's optional `time`, `cell`, `lat`, `lon` columns for the impossible-travel rule.
 * Header names are case-insensitive and may come in any order; blank fields are NULL. The rules are
 * those of DIRBS's `OperatorImportSchema_v2.csvs`, so a file DIRBS accepts is accepted here.
 */
import { type ImeiNorm, normaliseImei } from '../normalise.ts';
import { parseRatField } from '../rat.ts';
import { type IsoDate, parseCompactDate } from './filename.ts';

export interface OperatorRow {
  readonly date: IsoDate;
  /** The IMEI as delivered (trimmed), kept for the leading-zero and clean checks. */
  readonly imei: string | null;
  readonly imeiNorm: ImeiNorm | null;
  readonly imsi: string | null;
  readonly msisdn: string | null;
  /** Operator RAT bitmask (`1 << operatorRank` per code, see rat.ts); null when blank or not imported. */
  readonly ratMask: number | null;
  /** `HH:MM:SS[.fff]` local time, or with `Z` / `±HH:MM` when the file gives an offset. */
  readonly time: string | null;
  readonly cell: string | null;
  readonly lat: number | null;
  readonly lon: number | null;
}

export const DIRBS_COLUMNS = ['date', 'imei', 'imsi', 'msisdn', 'rat'] as const;
export const EXTENDED_COLUMNS = ['time', 'cell', 'lat', 'lon'] as const;
export type OperatorColumn = (typeof DIRBS_COLUMNS)[number] | (typeof EXTENDED_COLUMNS)[number];

export interface RowError {
  readonly line: number;
  /** The column at fault; absent for a row-level fault (wrong number of fields). */
  readonly column?: OperatorColumn;
  readonly rule: string;
  readonly message: string;
}

/** Where each column sits in a record, decided once from the header. */
export interface RowSchema {
  readonly width: number;
  readonly index: Readonly<Partial<Record<OperatorColumn, number>>>;
  /** RAT values are parsed only when the RAT import is on (DIRBS `--disable-rat-import`). */
  readonly ratImport: boolean;
  readonly msisdnImport: boolean;
}

export type SchemaResult =
  | { readonly ok: true; readonly schema: RowSchema }
  | { readonly ok: false; readonly message: string };

const KNOWN = new Set<string>([...DIRBS_COLUMNS, ...EXTENDED_COLUMNS]);

/**
 * Reads the header. With the RAT import on, the v2 (5-column) schema is required, as DIRBS picks
 * its schema from that switch; with it off, a `rat` column may be present and is ignored.
 */
export function rowSchema(
  header: readonly string[],
  options: { ratImport: boolean; msisdnImport: boolean },
): SchemaResult {
  const index: Partial<Record<OperatorColumn, number>> = {};
  for (let i = 0; i < header.length; i++) {
    const name = header[i]!.trim().toLowerCase();
    if (!KNOWN.has(name)) {
      return {
        ok: false,
        message: `unknown column "${header[i]}" in the header; the columns are ${[...KNOWN].join(', ')}`,
      };
    }
    if (index[name as OperatorColumn] !== undefined) {
      return { ok: false, message: `column "${name}" appears twice in the header` };
    }
    index[name as OperatorColumn] = i;
  }
  const required: OperatorColumn[] = ['date', 'imei', 'imsi', 'msisdn'];
  if (options.ratImport) required.push('rat');
  const missing = required.filter((c) => index[c] === undefined);
  if (missing.length > 0) {
    const hint = missing.includes('rat') ? ' (a 4-column file needs the RAT import disabled)' : '';
    return { ok: false, message: `the header lacks ${missing.join(', ')}${hint}` };
  }
  if ((index.lat === undefined) !== (index.lon === undefined)) {
    return { ok: false, message: 'the header has one of lat and lon: give both or neither' };
  }
  return {
    ok: true,
    schema: { width: header.length, index, ratImport: options.ratImport, msisdnImport: options.msisdnImport },
  };
}

const IMEI = /^[0-9A-Fa-f*#]{1,16}$/;
const DIGITS_15 = /^[0-9]{1,15}$/;
const TIME =
  /^T?([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(\.[0-9]{1,9})?)?(Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?$/;
const DECIMAL = /^[+-]?[0-9]{1,3}(?:\.[0-9]+)?$/;
const CELL_MAX = 64;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
const CONTROL = /[\u0000-\u001f\u007f]/;

export type RowResult =
  | { readonly ok: true; readonly row: OperatorRow }
  | { readonly ok: false; readonly errors: readonly RowError[] };

function field(record: readonly string[], at: number | undefined): string | null {
  if (at === undefined) return null;
  const value = (record[at] ?? '').trim();
  return value === '' ? null : value;
}

/** Normalises an accepted time to `HH:MM:SS[.fff][Z|±HH:MM]`. */
function normaliseTime(match: RegExpExecArray): string {
  const [, hh, mm, ss, fraction, zone] = match;
  let offset = zone ?? '';
  if (offset.length === 5) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  return `${hh}:${mm}:${ss ?? '00'}${fraction ?? ''}${offset}`;
}

function coordinate(text: string | null, limit: number): number | null | undefined {
  if (text === null) return null;
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Math.abs(value) <= limit ? value : undefined;
}

function fail(
  errors: RowError[],
  line: number,
  column: OperatorColumn,
  rule: string,
  value: string | null,
): void {
  errors.push({
    line,
    column,
    rule,
    message: `line ${line}, column ${column}: ${JSON.stringify(value)} ${rule}`,
  });
}

// A file holds a few dozen distinct dates and RAT fields among millions of rows: parse each once.
const CACHE_LIMIT = 4096;
const dateCache = new Map<string, IsoDate | null>();
const ratCache = new Map<string, ReturnType<typeof parseRatField>>();

function cached<T>(cache: Map<string, T>, key: string, compute: (key: string) => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    value = compute(key);
    cache.set(key, value);
  }
  return value;
}

function parseRowDate(text: string): IsoDate | null {
  return text.startsWith('20') ? parseCompactDate(text) : null;
}

/** Parses one data record; `line` is its line number in the file (the header is line 1). */
export function parseOperatorRow(schema: RowSchema, record: readonly string[], line: number): RowResult {
  if (record.length !== schema.width) {
    return {
      ok: false,
      errors: [
        {
          line,
          rule: 'column count',
          message: `line ${line}: ${record.length} fields where the header has ${schema.width}`,
        },
      ],
    };
  }
  const errors: RowError[] = [];
  const { index } = schema;

  const dateText = field(record, index.date);
  const date = dateText === null ? null : cached(dateCache, dateText, parseRowDate);
  if (date === null) {
    fail(errors, line, 'date', 'is not a date YYYYMMDD in 2000–2099 that exists on the calendar', dateText);
  }

  const imei = field(record, index.imei);
  if (imei !== null && !IMEI.test(imei))
    fail(errors, line, 'imei', 'is not 1–16 characters of 0-9, A-F, * or #', imei);
  const imsi = field(record, index.imsi);
  if (imsi !== null && !DIGITS_15.test(imsi)) fail(errors, line, 'imsi', 'is not 1–15 digits', imsi);
  const msisdnText = field(record, index.msisdn);
  if (msisdnText !== null && !DIGITS_15.test(msisdnText))
    fail(errors, line, 'msisdn', 'is not 1–15 digits', msisdnText);

  let ratMask: number | null = null;
  const ratText = schema.ratImport ? field(record, index.rat) : null;
  if (ratText !== null) {
    const parsed = cached(ratCache, ratText, parseRatField);
    if (parsed.ok) ratMask = parsed.mask;
    else
      fail(
        errors,
        line,
        'rat',
        `has "${parsed.bad}", not a RAT code 001–007 or 101–105 (pipe-separated)`,
        ratText,
      );
  }

  let time: string | null = null;
  const timeText = field(record, index.time);
  if (timeText !== null) {
    const match = TIME.exec(timeText);
    if (match) time = normaliseTime(match);
    else fail(errors, line, 'time', 'is not a time HH:MM[:SS] or an ISO 8601 time with an offset', timeText);
  }

  const cell = field(record, index.cell);
  if (cell !== null && (cell.length > CELL_MAX || CONTROL.test(cell))) {
    fail(errors, line, 'cell', `is not a cell id of at most ${CELL_MAX} printable characters`, cell);
  }

  const latText = field(record, index.lat);
  const lonText = field(record, index.lon);
  const lat = coordinate(latText, 90);
  const lon = coordinate(lonText, 180);
  if (lat === undefined)
    fail(errors, line, 'lat', 'is not a latitude in decimal degrees within ±90', latText);
  if (lon === undefined)
    fail(errors, line, 'lon', 'is not a longitude in decimal degrees within ±180', lonText);
  if (lat !== undefined && lon !== undefined && (lat === null) !== (lon === null)) {
    fail(errors, line, lat === null ? 'lat' : 'lon', 'is blank while the other coordinate is given', null);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    row: {
      date: date!,
      imei,
      imeiNorm: normaliseImei(imei),
      imsi,
      msisdn: schema.msisdnImport ? msisdnText : null,
      ratMask,
      time,
      cell,
      lat: lat ?? null,
      lon: lon ?? null,
    },
  };
}
