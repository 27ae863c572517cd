/**
 * The operator data file name, `<operator_id>_<YYYYMMDD start>_<YYYYMMDD end>.zip|.csv`
 * (dirbs-compat.md §2.2). The dates are the last two `_` parts, so the prefix may itself hold spaces
 * and underscores. Dates are inclusive and local. Messages are DIRBS's where DIRBS has one.
 */
import { basename, extname } from 'node:path';

/** A calendar date as `YYYY-MM-DD`. */
export type IsoDate = string;

export interface OperatorFileName {
  /** Everything before the two date tokens (not checked against the operator id: DIRBS does not). */
  readonly prefix: string;
  readonly start: IsoDate;
  readonly end: IsoDate;
}

export type FileNameCheck =
  | { readonly ok: true; readonly name: OperatorFileName }
  | { readonly ok: false; readonly message: string };

/** `YYYYMMDD` (exactly eight digits, a real calendar day) → `YYYY-MM-DD`, else null. */
export function parseCompactDate(token: string): IsoDate | null {
  if (!/^[0-9]{8}$/.test(token)) return null;
  const year = Number(token.slice(0, 4));
  const month = Number(token.slice(4, 6));
  const day = Number(token.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${token.slice(0, 4)}-${token.slice(4, 6)}-${token.slice(6, 8)}`;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The base name without its extension: `dir/a_b.zip` → `a_b`. */
export function stem(file: string): string {
  const base = basename(file);
  return base.slice(0, base.length - extname(base).length);
}

/**
 * The filename check: two parseable dates at the end of the name, end ≥ start, start not after
 * `today`. The end date in the future is the date-range check's business (DIRBS order), so that
 * switching that check off also allows it.
 */
export function checkOperatorFileName(file: string, today: IsoDate): FileNameCheck {
  const name = basename(file);
  const parts = stem(name).split('_');
  const start = parts.length >= 3 ? parseCompactDate(parts[parts.length - 2]!) : null;
  const end = parts.length >= 3 ? parseCompactDate(parts[parts.length - 1]!) : null;
  const prefix = parts.slice(0, -2).join('_');
  if (start === null || end === null || prefix === '') {
    return {
      ok: false,
      message: `Invalid filename - must be in format <operator_id>_<YYYYMMDD>_<YYYYMMDD>.zip instead received ${name}`,
    };
  }
  if (end < start) {
    return { ok: false, message: `Invalid filename - start date later than end date in filename ${name}` };
  }
  if (start > today) {
    return { ok: false, message: `Invalid filename - start date in the future in filename ${name}` };
  }
  return { ok: true, name: { prefix, start, end } };
}
