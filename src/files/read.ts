/**
 * Reads the rows of a list file: a CSV (or pipe-separated text) file, or a zip holding exactly one
 * (DIRBS delivers lists as `.zip` with one `.csv`, the GSMA TAC database as `.zip` with one `.txt`).
 * Header names are case-insensitive and may come in any order. Each row carries its line number, so
 * errors can name it.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import yauzl from 'yauzl';

export interface Row {
  /** Line number in the file (the header is line 1). */
  readonly line: number;
  readonly fields: Readonly<Record<string, string>>;
}

export class FileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileFormatError';
  }
}

async function isZip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

function zipEntryStream(file: string): Promise<{ stream: Readable; name: string }> {
  return new Promise((resolve, reject) => {
    // autoClose would close the file once the directory is read, before the entry can be streamed.
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip)
        return reject(new FileFormatError(`${file} is not a readable zip: ${error?.message}`));
      const entries: yauzl.Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => {
        const data = entries.filter((e) => /\.(csv|txt)$/i.test(e.fileName));
        if (data.length !== 1) {
          return reject(
            new FileFormatError(
              `a list zip holds exactly one .csv or .txt file; ${file} holds ${data.length}`,
            ),
          );
        }
        zip.openReadStream(data[0]!, (streamError, stream) => {
          if (streamError || !stream)
            return reject(new FileFormatError(`cannot read ${data[0]!.fileName}: ${streamError?.message}`));
          stream.on('close', () => zip.close());
          resolve({ stream, name: data[0]!.fileName });
        });
      });
      zip.on('error', (e: Error) => reject(new FileFormatError(`${file}: ${e.message}`)));
      zip.readEntry();
    });
  });
}

export interface ReadOptions {
  readonly delimiter?: string;
  /** Lines to skip before the header (the Osmocom TAC export starts with a licence line). */
  readonly skipLines?: number;
}

/** The header (lower-cased, trimmed) and an iterator over the data rows. */
export async function readRows(
  file: string,
  options: ReadOptions = {},
): Promise<{ header: string[]; rows: AsyncIterable<Row> }> {
  const source = (await isZip(file)) ? (await zipEntryStream(file)).stream : createReadStream(file);
  const parser = source.pipe(
    parse({
      delimiter: options.delimiter ?? ',',
      bom: true,
      // Files mix endings (the Osmocom export: a LF licence line, then CRLF rows); never guess from line 1.
      record_delimiter: ['\r\n', '\n'],
      relax_column_count: true,
      skip_empty_lines: true,
      from_line: (options.skipLines ?? 0) + 1,
      info: true,
      trim: false,
    }),
  );
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  const first = await iterator.next().catch((error: Error) => {
    throw new FileFormatError(`cannot read ${file}: ${error.message}`);
  });
  if (first.done) throw new FileFormatError(`${file} is empty: a list file starts with a header line`);
  // Lower-cased; a repeated name gets a suffix (the Osmocom TAC export has two "name" columns: name, name_2).
  const seen = new Map<string, number>();
  const header = first.value.record.map((raw) => {
    const name = raw.trim().toLowerCase();
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
  const skip = options.skipLines ?? 0;
  async function* rows(): AsyncIterable<Row> {
    while (true) {
      let next: IteratorResult<{ record: string[]; info: { lines: number } }>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new FileFormatError(`${file}: ${(error as Error).message}`);
      }
      if (next.done) return;
      const fields: Record<string, string> = {};
      header.forEach((name, i) => {
        if (name !== '' && !(name in fields)) fields[name] = (next.value.record[i] ?? '').trim();
      });
      yield { line: next.value.info.lines + skip, fields };
    }
  }
  return { header, rows: rows() };
}
