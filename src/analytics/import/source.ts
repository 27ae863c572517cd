/**
 * Opens an operator data file for reading: a `.zip` holding exactly one entry, a `.csv` with the
 * zip's base name (DIRBS `extract_csv_from_zip`), or a plain `.csv`. Records come out as arrays of
 * fields with their line numbers. src/files/read.ts does not tell the entry's name, which DIRBS
 * checks, hence this small reader of our own over yauzl and csv-parse.
 */
import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import yauzl from 'yauzl';
import { stem } from './filename.ts';

export class OperatorFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorFileError';
  }
}

export interface OperatorSource {
  /** The name the filename check reads: the CSV's own (inside the zip, or the file itself). */
  readonly csvName: string;
  open(): Promise<Readable>;
}

function zipEntries(file: string): Promise<{ zip: yauzl.ZipFile; entries: yauzl.Entry[] }> {
  return new Promise((resolve, reject) => {
    // autoClose would close the file once the directory is read, before the entry can be streamed.
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip) {
        return reject(new OperatorFileError(`Input file is not a valid .zip file: ${error?.message}`));
      }
      const entries: yauzl.Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve({ zip, entries }));
      zip.on('error', (e: Error) => {
        zip.close();
        reject(new OperatorFileError(`Input file is not a valid .zip file: ${e.message}`));
      });
      zip.readEntry();
    });
  });
}

async function openZip(file: string): Promise<{ csvName: string; entry: string }> {
  const { zip, entries } = await zipEntries(file);
  zip.close();
  if (entries.length !== 1) {
    const why =
      entries.length === 0 ? 'The .zip archive is empty.' : 'There is more than 1 file in the .zip archive.';
    throw new OperatorFileError(`Input file is not a valid .zip file: ${why}`);
  }
  const inner = basename(entries[0]!.fileName);
  if (stem(inner) !== stem(file)) {
    throw new OperatorFileError(
      `Input file is not a valid .zip file: Wrong file name in archive ${basename(file)} - the filename should match the .zip filename with a different file extension.`,
    );
  }
  return { csvName: inner, entry: entries[0]!.fileName };
}

function zipEntryStream(file: string, entryName: string): Promise<Readable> {
  return zipEntries(file).then(
    ({ zip, entries }) =>
      new Promise((resolve, reject) => {
        const entry = entries.find((e) => e.fileName === entryName);
        if (!entry) {
          zip.close();
          return reject(new OperatorFileError(`${basename(file)} no longer holds ${entryName}`));
        }
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) {
            zip.close();
            return reject(new OperatorFileError(`cannot read ${entryName}: ${error?.message}`));
          }
          stream.on('close', () => zip.close());
          resolve(stream);
        });
      }),
  );
}

/** Checks the container (DIRBS's zip rules, the `.csv` suffix) and returns how to read it. */
export async function openOperatorSource(file: string): Promise<OperatorSource> {
  const extension = extname(file).toLowerCase();
  if (extension === '.zip') {
    const { csvName, entry } = await openZip(file);
    if (extname(csvName).toLowerCase() !== '.csv') {
      throw new OperatorFileError(
        `Wrong suffix for passed file. Expected suffix .csv and got filename: ${csvName}`,
      );
    }
    return { csvName, open: () => zipEntryStream(file, entry) };
  }
  if (extension === '.csv') {
    return { csvName: basename(file), open: async () => createReadStream(file) };
  }
  throw new OperatorFileError(
    `Wrong suffix for passed file. Expected suffix .zip or .csv and got filename: ${basename(file)}`,
  );
}

export interface CsvRecord {
  readonly record: string[];
  /** Line number of the record's last line in the file (the header is line 1). */
  readonly line: number;
}

/** One quoted logical record (RFC 4180: `""` is a quote inside a quoted field). */
function splitQuoted(text: string, line: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (let guard = 0; guard <= text.length; guard++) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) throw new OperatorFileError(`line ${line}: a quoted field is not closed`);
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      fields.push(value);
      if (i === text.length) return fields;
      if (text[i] !== ',') throw new OperatorFileError(`line ${line}: text after a closing quote`);
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma === -1 ? text.length : comma;
      const value = text.slice(i, end);
      if (value.includes('"')) throw new OperatorFileError(`line ${line}: a quote inside an unquoted field`);
      fields.push(value);
      if (comma === -1) return fields;
      i = comma + 1;
    }
  }
  return fields;
}

function countQuotes(text: string): number {
  let n = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) n++;
  return n;
}

/**
 * Parses a CSV stream (comma, CRLF or LF, optional BOM, RFC 4180 quotes) into batches of records,
 * one batch per chunk read. Hand-written because operator files run to 10^8 rows: a line without
 * a quote is one `split`, several times faster than a general CSV parser.
 */
export async function* csvBatches(stream: Readable): AsyncGenerator<CsvRecord[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let line = 0;
  let open: string | null = null; // a quoted record spanning lines, so far
  let first = true;
  const take = (raw: string, batch: CsvRecord[]) => {
    line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (open !== null) {
      open += `\n${text}`;
      if (countQuotes(text) % 2 === 0) return;
      const record = splitQuoted(open, line);
      open = null;
      batch.push({ record, line });
      return;
    }
    if (text === '') return;
    if (!text.includes('"')) {
      batch.push({ record: text.split(','), line });
      return;
    }
    if (countQuotes(text) % 2 === 1) {
      open = text;
      return;
    }
    batch.push({ record: splitQuoted(text, line), line });
  };
  try {
    for await (const chunk of stream) {
      let text = carry + decoder.write(chunk as Buffer);
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      const batch: CsvRecord[] = [];
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        take(text.slice(start, nl), batch);
        start = nl + 1;
      }
      carry = text.slice(start);
      if (batch.length > 0) yield batch;
    }
    const rest = carry + decoder.end();
    const batch: CsvRecord[] = [];
    if (rest !== '') take(rest, batch);
    if (open !== null) throw new OperatorFileError(`line ${line}: a quoted field is not closed`);
    if (batch.length > 0) yield batch;
  } catch (error) {
    if (error instanceof OperatorFileError) throw error;
    throw new OperatorFileError(`cannot read the CSV: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
}
