/**
 * The shape every identifier parser returns. Parsers never throw: bad input is a value,
 * so the edges (HTTP, Diameter, CSV) decide what a failure means for them.
 */

/** A nominal type: a string that has been checked to be a particular identifier. */
export type Brand<T, B extends string> = T & { readonly __brand: B };

export interface ParseError {
  /** Stable, upper-case code (e.g. `IMEI_CHECK_DIGIT`), for programs. */
  readonly code: string;
  /** One sentence a person understands, naming the rule that failed. */
  readonly message: string;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ParseError };

export function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: string, message: string): ParseResult<T> {
  return { ok: false, error: { code, message } };
}

/** Shortens a value for an error message so that a huge input never floods a log or a response. */
export function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}

/** Parsers accept `unknown` at the boundary; anything that is not a string is refused here. */
export function asText(input: unknown, what: string): ParseResult<string> {
  if (typeof input !== 'string') return fail('NOT_TEXT', `${what} must be text, got ${typeof input}`);
  return ok(input);
}
