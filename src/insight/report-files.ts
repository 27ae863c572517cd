/**
 * The monthly report on disk: `report.json` (the whole object) and one CSV per table (RFC 4180:
 * comma-separated, fields with a comma, quote or line break quoted, CRLF line ends, a header row),
 * so spreadsheets and the DIRBS tooling that reads CSV can take them as they are.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Cell, MonthlyReport, ReportTable } from './report.ts';

function field(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One table as CSV text. */
export function tableCsv(table: ReportTable): string {
  return [table.columns, ...table.rows].map((row) => `${row.map(field).join(',')}\r\n`).join('');
}

/** Writes the report into `dir` (created if missing); returns the files written, report.json first. */
export async function writeReport(dir: string, report: MonthlyReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = [path.join(dir, 'report.json')];
  await writeFile(files[0]!, `${JSON.stringify(report, null, 2)}\n`);
  for (const table of report.tables) {
    const file = path.join(dir, `${table.name}.csv`);
    await writeFile(file, tableCsv(table));
    files.push(file);
  }
  return files;
}
