/**
 * The byte form of the list files, fixed so that the files of one position are the same bytes on
 * every run and every machine: UTF-8 without BOM, one header line, fields separated by `,`, every
 * line ended by LF (0x0A, also the last one; no CR), rows sorted by key, a field quoted (RFC 4180)
 * only if it holds `,`, `"`, CR or LF (list values never do: digits and reason codes).
 * Delta files add a last column `change_type` (add, remove, update).
 */
import {
  CHANGE_TYPES,
  type ChangeType,
  COLUMNS,
  type DeltaRow,
  type ListName,
  type ListRow,
} from './lists.ts';

export const LINE_END = '\n';

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function headerOf(list: ListName, delta: boolean): string {
  return [...COLUMNS[list], ...(delta ? ['change_type'] : [])].join(',');
}

export function fullCsv(list: ListName, rows: readonly ListRow[]): string {
  const lines = [headerOf(list, false)];
  for (const row of rows) lines.push(row.values.map(field).join(','));
  return lines.join(LINE_END) + LINE_END;
}

export function deltaCsv(list: ListName, rows: readonly DeltaRow[]): string {
  const lines = [headerOf(list, true)];
  for (const row of rows) lines.push([...row.values.map(field), row.change].join(','));
  return lines.join(LINE_END) + LINE_END;
}

export class CsvFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvFormatError';
  }
}

/** Splits one line into fields (RFC 4180 quoting); the files never hold a quoted line end. */
function splitLine(text: string, line: number): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      let value = '';
      i++;
      while (true) {
        if (i >= text.length) throw new CsvFormatError(line, 'a quoted field is not closed');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      fields.push(value);
      if (i < text.length && text[i] !== ',') throw new CsvFormatError(line, 'text after a quoted field');
      i++;
    } else {
      const end = text.indexOf(',', i);
      const stop = end === -1 ? text.length : end;
      fields.push(text.slice(i, stop));
      i = stop + 1;
    }
  }
  return fields;
}

/**
 * Reads a list file written by fullCsv / deltaCsv back into rows, checking the header, the line
 * ends and the number of fields of every line.
 */
export function parseListCsv(
  list: ListName,
  delta: boolean,
  text: string,
): { rows: (ListRow & { change?: ChangeType })[] } {
  if (!text.endsWith(LINE_END)) throw new CsvFormatError(1, 'the file must end with a line feed');
  if (text.includes('\r')) throw new CsvFormatError(1, 'line ends are LF only, without CR');
  const lines = text.slice(0, -1).split(LINE_END);
  const header = headerOf(list, delta);
  if (lines[0] !== header) throw new CsvFormatError(1, `the header must be exactly ${header}`);
  const width = COLUMNS[list].length + (delta ? 1 : 0);
  const rows: (ListRow & { change?: ChangeType })[] = [];
  for (let n = 1; n < lines.length; n++) {
    const fields = splitLine(lines[n]!, n + 1);
    if (fields.length !== width)
      throw new CsvFormatError(n + 1, `${fields.length} fields where the header has ${width}`);
    const values = fields.slice(0, COLUMNS[list].length);
    const key = list === 'exceptions' ? `${values[0]}|${values[1]}` : values[0]!;
    if (delta) {
      const change = fields[width - 1] as ChangeType;
      if (!CHANGE_TYPES.includes(change))
        throw new CsvFormatError(n + 1, `change_type must be one of ${CHANGE_TYPES.join(', ')}`);
      rows.push({ key, values, change });
    } else {
      rows.push({ key, values });
    }
  }
  return { rows };
}
