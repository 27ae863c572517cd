/**
 * The one interface every classification dimension has (DIRBS `dimensions/base.py` in spirit):
 * a name (the DIRBS module name), a one-line description, its parameters with a validator, and an
 * evaluation over a {@link Dataset} that returns the matching imei_norm values, each with evidence
 * a person can read. `invert` is applied here, once, for all dimensions.
 */
import type { ImeiNorm } from '../normalise.ts';
import { type Dataset, type IsoDate, isIsoDate, type RegionConfig, type WindowEnd } from './model.ts';
import type { ParameterError, ParameterField, Validated } from './parameters.ts';

/** Matching imei_norm → evidence, e.g. "seen with 9 IMSIs from 2026-01-01 to 2026-01-30 (threshold 5)". */
export type Matches = Map<ImeiNorm, string>;

/**
 * Where DIRBS semantics can be switched off. Every default is DIRBS-Core v16's behaviour; see
 * docs/analytics-dimensions.md, "Where we differ from DIRBS, and the switch".
 */
export interface Semantics {
  /** The analysis end date edge of every bitmask window (dirbs-compat.md §3.3). */
  readonly windowEnd: WindowEnd;
  /**
   * Exempted device types in `not_on_registration_list` / `not_on_association_list`: `dirbs`
   * inner-joins to the GSMA data, so IMEIs whose TAC is unknown (or has no device type) drop out;
   * `keep-unknown` drops only IMEIs whose GSMA device type is exempted.
   */
  readonly exemptionJoin: 'dirbs' | 'keep-unknown';
  /**
   * Averages in `duplicate_daily_avg` and `daily_avg_uid`: DIRBS divides two PostgreSQL bigints,
   * so the average is truncated to an integer before the threshold comparison (`integer`);
   * `exact` compares the true quotient.
   */
  readonly averageDivision: 'integer' | 'exact';
  /** `monitored_days` counted to the wall clock `now` (DIRBS) or to the analysis end date. */
  readonly monitoringClock: 'wall-clock' | 'analysis-end';
}

export const DIRBS_SEMANTICS: Semantics = {
  windowEnd: 'dirbs',
  exemptionJoin: 'dirbs',
  averageDivision: 'integer',
  monitoringClock: 'wall-clock',
};

export interface EvaluationContext extends Semantics {
  /** The analysis end date (`--curr-date`, or the latest data day: see `defaultAnalysisEnd`). */
  readonly analysisEnd: IsoDate;
  /** The wall clock, read only where DIRBS reads `now()` (`exists_in_monitoring_list`). */
  readonly now: Date;
}

/** A context with DIRBS defaults for every switch not given. */
export function evaluationContext(
  given: { analysisEnd: IsoDate; now: Date } & Partial<Semantics>,
): EvaluationContext {
  if (!isIsoDate(given.analysisEnd)) {
    throw new RangeError(
      `analysisEnd must be a calendar date YYYY-MM-DD, got ${JSON.stringify(given.analysisEnd)}`,
    );
  }
  return { ...DIRBS_SEMANTICS, ...given };
}

export interface Dimension<P> {
  /** The DIRBS module name, e.g. `duplicate_threshold`. */
  readonly name: string;
  /** One line: what an IMEI must show to match. */
  readonly describe: string;
  readonly parameters: {
    readonly fields: readonly ParameterField[];
    validate(raw: unknown): Validated<P>;
  };
  evaluate(dataset: Dataset, params: P, context: EvaluationContext): Matches;
  /**
   * The same dimension as one SQL query over the engines' tables (engines/engine.ts: monthly_triplet,
   * network_imei, bad_check_digit, timed_sighting, ref_*), in the SQL both DuckDB and PostgreSQL
   * accept: `select imei_norm, evidence from …`, one row per match. Tested against `evaluate` on
   * generated data (differential.test.ts).
   */
  sql(params: P, context: EvaluationContext, region: RegionConfig): string;
  /**
   * For a dimension whose rule needs MSISDNs in clear (arithmetic), on an engine that seals them at
   * rest: `candidates` is SQL over the same tables, its rows are given to `decide` with a way to open
   * the sealed MSISDNs, and the matches it returns take the place of `sql` (classify/query.ts).
   */
  readonly opened?: {
    candidates(params: P, context: EvaluationContext, region: RegionConfig): string;
    decide(
      rows: readonly Record<string, string | null>[],
      params: P,
      openMsisdn: (stored: string) => string,
    ): Matches;
  };
}

/** A dimension of unknown parameter type, as held by the registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds dimensions of every parameter type
export type AnyDimension = Dimension<any>;

/** A dimension as a condition names it (DIRBS conditions YAML: `module`, `parameters`, `invert`). */
export interface DimensionSpec {
  readonly module: string;
  readonly parameters?: unknown;
  readonly invert?: boolean;
}

/**
 * `invert`: every network IMEI (`network_imeis`) that the dimension did not match. An inverted
 * dimension therefore only ever returns IMEIs observed on the network (dirbs-compat.md §3.1).
 */
export function invertMatches(dataset: Dataset, dimension: AnyDimension, matches: Matches): Matches {
  const inverted: Matches = new Map();
  for (const imei of dataset.networkImeis.keys()) {
    if (!matches.has(imei))
      inverted.set(imei, `not ${dimension.name}: does not meet "${dimension.describe}"`);
  }
  return inverted;
}

/** Validates the raw parameters, evaluates, and applies `invert`. */
export function runDimension(
  dimension: AnyDimension,
  dataset: Dataset,
  rawParameters: unknown,
  context: EvaluationContext,
  invert = false,
): Validated<Matches> {
  const params = dimension.parameters.validate(rawParameters);
  if (!params.ok) return params;
  const matches = dimension.evaluate(dataset, params.value, context);
  return { ok: true, value: invert ? invertMatches(dataset, dimension, matches) : matches };
}

export type { ParameterError, ParameterField, Validated };

// ---------------------------------------------------------------------------------------------
// Evidence wording shared by the dimensions

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** A readable list of at most `max` values: "a, b, c and 4 more". */
export function listOf(values: readonly string[], max = 3): string {
  const shown = values.slice(0, max);
  const rest = values.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** Format a number for evidence without trailing noise: 1.5, 2, 0.33. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}
