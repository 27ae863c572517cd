/**
 * Parsing a dimension's raw parameters (from the conditions YAML) into typed values, once, at the
 * boundary. Every error names the field and the rule. Numbers may come as YAML numbers or as
 * decimal strings, because DIRBS passes them through Python's `int()` / `float()`.
 */
import { type IsoDate, type Window, windowOfDays, windowOfMonths } from './model.ts';

export interface ParameterError {
  /** The parameter's DIRBS name, e.g. `period_days`. */
  readonly field: string;
  /** A short rule code: `required`, `integer`, `number`, `boolean`, `minimum`, `exclusive`, … */
  readonly rule: string;
  readonly message: string;
}

export type Validated<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly ParameterError[] };

/** Documentation of one parameter, for the docs table and the SQL engines. */
export interface ParameterField {
  readonly name: string;
  readonly type: 'integer' | 'number' | 'boolean' | 'map';
  readonly required: boolean;
  readonly default?: string;
  readonly rule: string;
}

const INTEGER_TEXT = /^[+-]?[0-9]+$/;
const NUMBER_TEXT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** Reads the fields of one raw parameter object, collecting errors instead of throwing. */
export class ParameterReader {
  readonly errors: ParameterError[] = [];
  private readonly raw: Record<string, unknown>;

  constructor(raw: unknown, known: readonly string[]) {
    if (raw === undefined || raw === null) {
      this.raw = {};
    } else if (typeof raw !== 'object' || Array.isArray(raw)) {
      this.raw = {};
      this.fail('parameters', 'object', 'parameters must be a mapping of names to values');
    } else {
      this.raw = raw as Record<string, unknown>;
      for (const name of Object.keys(this.raw)) {
        if (!known.includes(name)) {
          const expected = known.length > 0 ? known.join(', ') : 'none';
          this.fail(name, 'unknown', `${name} is not a parameter of this dimension (expected: ${expected})`);
        }
      }
    }
  }

  fail(field: string, rule: string, message: string): void {
    this.errors.push({ field, rule, message });
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  get(name: string): unknown {
    return this.raw[name];
  }

  /** A number or numeric text as a number (NaN when neither); undefined when absent. */
  private numeric(name: string, text: RegExp, required: boolean | undefined): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) {
      if (required) this.fail(name, 'required', `${name} is required`);
      return undefined;
    }
    if (typeof value === 'number') return value;
    return typeof value === 'string' && text.test(value.trim()) ? Number(value) : Number.NaN;
  }

  /** An integer, or undefined when absent and not required. */
  integer(name: string, options: { required?: boolean; min?: number } = {}): number | undefined {
    const parsed = this.numeric(name, INTEGER_TEXT, options.required);
    if (parsed === undefined) return undefined;
    const value = this.raw[name];
    if (!Number.isSafeInteger(parsed)) {
      this.fail(name, 'integer', `${name} must be an integer, got ${JSON.stringify(value)}`);
      return undefined;
    }
    if (options.min !== undefined && parsed < options.min) {
      this.fail(name, 'minimum', `${name} must be at least ${options.min}, got ${parsed}`);
      return undefined;
    }
    return parsed;
  }

  /** A finite number, or undefined when absent and not required. */
  number(name: string, options: { required?: boolean } = {}): number | undefined {
    const parsed = this.numeric(name, NUMBER_TEXT, options.required);
    if (parsed === undefined) return undefined;
    const value = this.raw[name];
    if (!Number.isFinite(parsed)) {
      this.fail(name, 'number', `${name} must be a number, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return parsed;
  }

  /** A true boolean (DIRBS refuses `"yes"` or `1` here too). */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') {
      this.fail(name, 'boolean', `${name} must be true or false, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return value;
  }

  result<T>(value: T): Validated<T> {
    return this.errors.length > 0 ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}

/** Exactly one of `period_days` / `period_months`, a non-negative integer (DIRBS duplicate base). */
export type Period = { readonly days: number } | { readonly months: number };

export const PERIOD_FIELDS: readonly ParameterField[] = [
  {
    name: 'period_days',
    type: 'integer',
    required: false,
    rule: 'integer ≥ 0; exactly one of period_days, period_months',
  },
  { name: 'period_months', type: 'integer', required: false, rule: 'integer ≥ 0, calendar months' },
];

export function readPeriod(reader: ParameterReader): Period | undefined {
  const days = reader.integer('period_days', { min: 0 });
  const months = reader.integer('period_months', { min: 0 });
  if (reader.has('period_days') && reader.has('period_months')) {
    reader.fail('period_days', 'exclusive', 'give period_days or period_months, not both');
    return undefined;
  }
  if (!reader.has('period_days') && !reader.has('period_months')) {
    reader.fail('period_days', 'required', 'one of period_days or period_months is required');
    return undefined;
  }
  if (days !== undefined) return { days };
  if (months !== undefined) return { months };
  return undefined;
}

export function describePeriod(period: Period): string {
  return 'days' in period
    ? `${period.days} day${period.days === 1 ? '' : 's'}`
    : `${period.months} month${period.months === 1 ? '' : 's'}`;
}

/** The analysis window of a period ending at `end`, months by calendar arithmetic. */
export function windowOfPeriod(end: IsoDate, period: Period): Window {
  return 'days' in period ? windowOfDays(end, period.days) : windowOfMonths(end, period.months);
}
