/**
 * Fuzzes the CSV imports: list rows through each list format's parse (src/ledger/lists/formats.ts),
 * operator headers and rows through rowSchema / parseOperatorRow (src/analytics/import/row.ts),
 * mutated files (plain and zipped) through readRows (src/files/read.ts), and, one case in
 * `importEvery`, a whole mutated file through the real importList on a PGlite ledger. Nothing may
 * throw but the documented FileFormatError / ImportError; every bad row is reported with its line
 * and a field of the file; nothing is committed from a file with bad rows.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOperatorRow, rowSchema } from '../../../src/analytics/import/row.ts';
import { FileFormatError, readRows } from '../../../src/files/read.ts';
import { Ledger } from '../../../src/ledger/ledger.ts';
import { FORMATS, IMPORT_TYPES, type ImportType } from '../../../src/ledger/lists/formats.ts';
import { ImportError, importList } from '../../../src/ledger/lists/import.ts';
import { HeadSigner } from '../../../src/ledger/signing.ts';
import { verifyLedger } from '../../../src/ledger/verify.ts';
import { openPglite, type Store } from '../../../src/store/index.ts';
import { writeZip } from '../zip.ts';
import type { CaseResult, ParserFuzzer } from './parser-run.ts';
import type { Random } from './random.ts';
import { mutateText, randomText } from './texts.ts';

/** Valid (and a few near-valid) values of each column, for mutants to start from. */
const VALUES: Readonly<Record<string, readonly string[]>> = {
  imei: [
    '352099001761481',
    '35693803564380',
    '861234567890127',
    '35209900176148',
    '3520990017614*',
    'ABCDEF0123456789',
  ],
  approved_imei: ['352099001761481', '356938035643809'],
  golden_imei: ['352099001761481', '35693803564380'],
  reporting_date: ['20261101', '', '20260229'],
  status: ['', 'blacklist', 'pending', 'whitelist', 'blocked', 'tracked', 'allowed'],
  imsi: ['639021234567890', '63902123456', ''],
  msisdn: ['254712345678', '+254712345678', ''],
  device_id: ['dev1', 'A1b2C3'],
  make: ['Acme'],
  model: ['X1', ''],
  model_number: ['X1-2026'],
  brand_name: ['Acme'],
  device_type: ['Smartphone', 'Vehicle'],
  radio_interface: ['LTE,NR', ''],
  tac: ['35209900', '86123456'],
  reason: ['stolen', 'lost', 'counterfeit', 'barred', 'monitoring', 'duplicate'],
  note: ['seized at the border', ''],
  expires_at: ['2036-01-01T00:00:00Z', '2020-01-01T00:00:00Z'],
  change_type: ['add', 'update', 'remove', 'ADD'],
  // Operator network data.
  date: ['20261101', '20260229', '19991231'],
  rat: ['', '001', '006', '001|103', '104'],
  time: ['12:34:56', 'T12:34:56.123Z', '23:59+05:30'],
  cell: ['639-02-1234-56789', ''],
  lat: ['-1.2921', '90', ''],
  lon: ['36.8219', '-180', ''],
};
const OPERATOR_COLUMNS = ['date', 'imei', 'imsi', 'msisdn', 'rat', 'time', 'cell', 'lat', 'lon'];
const CSV_TOKENS = [',', '"', '""', '\r\n', '\n', '\r', '|', ';', '\ufeff', '\u0000', ' ', '#'];

/** A value of `column`: a seed, a mutant of one (one time in `mutate`), or random text. */
function value(r: Random, column: string, mutate = 0.3): string {
  const seeds = VALUES[column] ?? [''];
  if (r.chance(mutate / 6)) return randomText(r, 24);
  const seed = r.pick(seeds);
  return r.chance(mutate) ? mutateText(r, seed, { tokens: CSV_TOKENS, max: 40 }).text : seed;
}

function columnsOf(type: ImportType, delta: boolean): string[] {
  const format = FORMATS[type];
  return [...format.required, ...format.optional, ...(delta ? ['change_type'] : [])];
}

function listRowCase(r: Random): CaseResult {
  const type = r.pick(IMPORT_TYPES);
  const columns = columnsOf(type, r.chance(0.3));
  const fields: Record<string, string> = {};
  for (const column of columns) if (r.chance(0.92)) fields[column] = value(r, column);
  const input = JSON.stringify({ type, fields });
  const context = { actor: 'fuzz', source: 'fuzz', reference: 'import:fuzz', preHashed: r.chance(0.2) };
  let result: ReturnType<(typeof FORMATS)[ImportType]['parse']>;
  try {
    result = FORMATS[type].parse(fields, context);
  } catch (error) {
    return {
      outcome: 'list row threw',
      violations: [`${type} parse threw ${(error as Error).message}`],
      input,
    };
  }
  const violations: string[] = [];
  if ('problems' in result) {
    if (result.problems.length === 0) violations.push(`${type}: a refused row without a problem`);
    for (const p of result.problems) {
      if (!columns.includes(p.field)) violations.push(`${type}: a problem in "${p.field}", not a column`);
      if (typeof p.message !== 'string' || p.message === '')
        violations.push(`${type}: a problem without a message`);
    }
    return { outcome: 'list row refused', violations, input };
  }
  if ('item' in result) {
    if (typeof result.item.key !== 'string' || result.item.key === '')
      violations.push(`${type}: an item without a key`);
    for (const [k, v] of Object.entries(result.item.meta))
      if (v !== null && typeof v !== 'string') violations.push(`${type}: meta ${k} is ${typeof v}`);
    return { outcome: 'list row accepted', violations, input };
  }
  return 'ignored' in result && typeof result.ignored === 'string'
    ? { outcome: 'list row ignored', violations, input }
    : { outcome: 'list row malformed', violations: [`${type}: parse gave ${JSON.stringify(result)}`], input };
}

function operatorCase(r: Random): CaseResult {
  // lat and lon come together (or the header is refused); each of the others now and then not at all.
  const coordinates = r.chance(0.5);
  let header = OPERATOR_COLUMNS.filter((c) =>
    c === 'lat' || c === 'lon'
      ? r.chance(0.95) === coordinates
      : r.chance(['date', 'imei', 'imsi', 'msisdn', 'rat'].includes(c) ? 0.97 : 0.7),
  );
  if (r.chance(0.1)) header.push(r.pick([...OPERATOR_COLUMNS, 'Extra', 'IMEI ', 'DATE']));
  if (r.chance(0.5))
    header = header.map((h) => (r.chance(0.2) ? h.toUpperCase() : h)).sort(() => r.int(3) - 1);
  const options = { ratImport: r.chance(0.5), msisdnImport: r.chance(0.8) };
  const schema = rowSchema(header, options);
  const violations: string[] = [];
  if (!schema.ok) {
    if (typeof schema.message !== 'string' || schema.message === '')
      violations.push('a header refused without a message');
    return { outcome: 'operator header refused', violations, input: JSON.stringify({ header, options }) };
  }
  const line = r.between(2, 10_000_000);
  const record = header.map((h) => value(r, h.trim().toLowerCase(), 0.08));
  if (r.chance(0.05)) record.push(value(r, 'imei'));
  if (r.chance(0.05)) record.pop();
  const input = JSON.stringify({ header, options, line, record });
  const result = parseOperatorRow(schema.schema, record, line);
  if (result.ok) {
    const { row } = result;
    if (!/^20[0-9]{2}-[0-9]{2}-[0-9]{2}$/.test(row.date)) violations.push(`accepted date ${row.date}`);
    if (row.lat !== null && !(Math.abs(row.lat) <= 90)) violations.push(`accepted latitude ${row.lat}`);
    if (row.lon !== null && !(Math.abs(row.lon) <= 180)) violations.push(`accepted longitude ${row.lon}`);
    if ((row.lat === null) !== (row.lon === null))
      violations.push('accepted one coordinate without the other');
    if (row.imsi !== null && !/^[0-9]{1,15}$/.test(row.imsi)) violations.push(`accepted IMSI ${row.imsi}`);
    return { outcome: 'operator row accepted', violations, input };
  }
  if (result.errors.length === 0) violations.push('a row refused without an error');
  for (const e of result.errors) {
    if (e.line !== line) violations.push(`an error on line ${e.line} for a row on line ${line}`);
    if (e.column === undefined ? e.rule !== 'column count' : schema.schema.index[e.column] === undefined)
      violations.push(`an error naming column ${String(e.column)} (rule ${e.rule}), not one of the file`);
    if (typeof e.message !== 'string' || e.message === '') violations.push('an error without a message');
  }
  return { outcome: 'operator row refused', violations, input };
}

/** A list file of `type`: a header and rows of seed values, then text mutations over the whole. */
function listFile(r: Random, type: ImportType, delta: boolean): { text: string; recipe: string } {
  const columns = columnsOf(type, delta);
  const quote = (v: string) => (r.chance(0.1) || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [columns.map((c) => (r.chance(0.2) ? c.toUpperCase() : c)).join(',')];
  const rows = r.between(0, 12);
  for (let i = 0; i < rows; i++) lines.push(columns.map((c) => quote(r.pick(VALUES[c] ?? ['']))).join(','));
  const clean = lines.join(r.chance(0.5) ? '\r\n' : '\n') + (r.chance(0.8) ? '\n' : '');
  if (r.chance(0.35)) return { text: clean, recipe: `${type} ${delta ? 'delta' : 'full'}, clean` };
  const m = mutateText(r, clean, { tokens: CSV_TOKENS, max: 4_000 });
  return { text: m.text, recipe: `${type} ${delta ? 'delta' : 'full'}: ${m.recipe}` };
}

export interface CsvFuzzerOptions {
  /** One case in this many imports a whole file into the PGlite ledger (0: never). */
  readonly importEvery?: number;
}

export function csvFuzzer(options: CsvFuzzerOptions = {}): ParserFuzzer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-fuzz-csv-'));
  const importEvery = options.importEvery ?? 20;
  let opened: Promise<{ store: Store; ledger: Ledger }> | undefined;
  const ledger = () => {
    opened ??= (async () => {
      const store = await openPglite();
      await store.migrate();
      const ledger = new Ledger(store, new HeadSigner(generateKeyPairSync('ed25519').privateKey));
      await ledger.init();
      return { store, ledger };
    })();
    return opened.then((o) => o.ledger);
  };

  /** Writes the text as a file, now and then inside a zip (one entry, two, or a broken one). */
  function write(r: Random, text: string): { file: string; how: string } {
    const how = r.weighted<string>([
      [8, 'csv'],
      [1, 'zip'],
      [1, 'zip, two entries'],
      [1, 'zip, cut short'],
    ]);
    const file = path.join(dir, how === 'csv' ? 'list.csv' : 'list.zip');
    if (how === 'csv') writeFileSync(file, text);
    else {
      writeZip(file, how === 'zip, two entries' ? { 'a.csv': text, 'b.txt': text } : { 'list.csv': text });
      if (how === 'zip, cut short') {
        const bytes = readFileSync(file);
        writeFileSync(file, bytes.subarray(0, r.int(bytes.length)));
      }
    }
    return { file, how };
  }

  async function fileCase(r: Random): Promise<CaseResult> {
    const type = r.pick(IMPORT_TYPES);
    const { text, recipe } = listFile(r, type, r.chance(0.3));
    const { file, how } = write(r, text);
    const input = text;
    const violations: string[] = [];
    try {
      const { header, rows } = await readRows(file);
      let last = 1;
      let count = 0;
      for await (const row of rows) {
        if (!(row.line > last)) violations.push(`row on line ${row.line} after line ${last}`);
        last = row.line;
        for (const key of Object.keys(row.fields))
          if (!header.includes(key)) violations.push(`field "${key}" is not in the header`);
        if (++count > 10_000) {
          violations.push('more than 10 000 rows from a 4 000-character file');
          break;
        }
      }
      return { outcome: 'file read', violations, input, recipe: `${recipe}; ${how}` };
    } catch (error) {
      if (error instanceof FileFormatError) return { outcome: 'file refused', violations, input, recipe };
      return {
        outcome: 'file threw',
        violations: [`readRows threw ${(error as Error)?.name}: ${(error as Error)?.message}`],
        input,
        recipe: `${recipe}; ${how}`,
      };
    }
  }

  async function importCase(r: Random): Promise<CaseResult> {
    const type = r.pick(IMPORT_TYPES);
    const delta = r.chance(0.4);
    const { text, recipe } = listFile(r, type, delta);
    const { file, how } = write(r, text);
    const columns = columnsOf(type, true);
    const l = await ledger();
    const before = await l.size();
    const violations: string[] = [];
    const full = `${recipe}; ${how}`;
    try {
      const report = await importList(l, type, file, {
        mode: delta ? 'delta' : 'full',
        source: r.pick(['regulator', 'police']),
        sizeCheck: r.chance(0.5),
      });
      const after = await l.size();
      if (report.errorCount > 0) {
        if (report.committed || after !== before)
          violations.push(`${report.errorCount} bad rows, yet ${after - before} entries committed`);
        if (report.errors.length === 0) violations.push('bad rows counted, none reported');
        for (const e of report.errors) {
          if (!Number.isInteger(e.line) || e.line < 2) violations.push(`a bad row on line ${e.line}`);
          if (!columns.includes(e.field)) violations.push(`a bad row in field "${e.field}", not a column`);
          if (typeof e.message !== 'string' || e.message === '')
            violations.push('a bad row without a message');
        }
      } else if (after !== before + (report.committed ? report.entries : 0))
        violations.push(`the ledger grew by ${after - before}; the report says ${report.entries} entries`);
      const outcome =
        report.errorCount > 0
          ? 'import refused rows'
          : report.committed
            ? 'import committed'
            : 'import unchanged';
      return { outcome, violations, input: text, recipe: full };
    } catch (error) {
      const after = await l.size();
      if (after !== before) violations.push(`a refused import committed ${after - before} entries`);
      if (!(error instanceof ImportError))
        violations.push(`importList threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
      return { outcome: 'import refused file', violations, input: text, recipe: full };
    }
  }

  return {
    area: 'csv',
    stream: 12,
    run: (r, index) => {
      if (importEvery > 0 && index % importEvery === 0) return importCase(r);
      return r.weighted<() => CaseResult | Promise<CaseResult>>([
        [5, () => listRowCase(r)],
        [5, () => operatorCase(r)],
        [2, () => fileCase(r)],
      ])();
    },
    async close(report) {
      rmSync(dir, { recursive: true, force: true });
      if (!opened) return;
      const { store } = await opened;
      try {
        // Whatever the files did, the ledger still verifies and its lists are the fold of its entries.
        const verified = await verifyLedger(store.db);
        report.count('csv ledger entries', verified.entries);
        for (const problem of verified.problems)
          report.violation({
            area: 'csv',
            what: `ledger verify: ${problem.kind}: ${problem.message}`,
            index: null,
          });
      } finally {
        await store.close();
      }
    },
  };
}
