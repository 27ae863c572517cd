/**
 * The analytics configuration: a YAML file (`openceir analytics … --config FILE`) with DIRBS's key
 * names where the concept is the same (dirbs-compat.md §2.2, §3.1, §3.4, §4.1), so a regulator's DIRBS
 * `config.yml` sections carry over:
 *
 *   region:            name, country_codes, exempted_device_types, operators: [{id, name, mcc_mnc_pairs: [{mcc, mnc}]}]
 *   operator_threshold: null_imei_threshold, unclean_imsi_threshold, … (import checks; DIRBS defaults)
 *   conditions:        [{label, dimensions: [{module, parameters, invert}], grace_period_days, blocking,
 *                        sticky, reason, max_allowed_matching_ratio, amnesty_eligible}]
 *   amnesty:           amnesty_enabled, evaluation_period_end_date, amnesty_period_end_date
 *   listgen:           lookback_days, restrict_exceptions_list_to_blacklisted_imeis,
 *                      include_barred_imeis_in_exceptions_list, notify_imsi_change, generate_check_digit,
 *                      output_invalid_imeis
 *
 * Parsing never throws on bad content: every problem is collected with its path (`conditions[1].label`)
 * and the rule, and reported together.
 */
import { parse as parseYaml } from 'yaml';

export interface OperatorConfig {
  /** Lower-case, at most 16 characters (DIRBS). */
  readonly id: string;
  readonly name: string;
  readonly mccMncPairs: readonly { readonly mcc: string; readonly mnc: string }[];
}

export interface DimensionConfig {
  readonly module: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly invert: boolean;
}

export interface ConditionConfig {
  readonly label: string;
  readonly dimensions: readonly DimensionConfig[];
  readonly gracePeriodDays: number;
  readonly blocking: boolean;
  readonly sticky: boolean;
  readonly reason: string;
  readonly maxAllowedMatchingRatio: number;
  readonly amnestyEligible: boolean;
}

export interface AnalyticsConfig {
  readonly region: {
    readonly name: string;
    readonly countryCodes: readonly string[];
    readonly exemptedDeviceTypes: readonly string[];
    readonly operators: readonly OperatorConfig[];
  };
  /** Import check thresholds by DIRBS key (`null_imei_threshold`, …); absent keys take DIRBS defaults. */
  readonly operatorThreshold: Readonly<Record<string, number>>;
  readonly conditions: readonly ConditionConfig[];
  readonly amnesty: {
    readonly enabled: boolean;
    readonly evaluationPeriodEndDate: string | null;
    readonly amnestyPeriodEndDate: string | null;
  };
  readonly listgen: {
    readonly lookbackDays: number;
    readonly restrictExceptionsListToBlacklistedImeis: boolean;
    readonly includeBarredImeisInExceptionsList: boolean;
    readonly notifyImsiChange: boolean;
    readonly generateCheckDigit: boolean;
    readonly outputInvalidImeis: boolean;
  };
}

export class AnalyticsConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the analytics configuration is not valid:\n  ${problems.join('\n  ')}`);
    this.name = 'AnalyticsConfigError';
  }
}

/** Checks a dimension's module name and parameters; returns the problems (the dimension registry). */
export type DimensionValidator = (module: string, parameters: Readonly<Record<string, unknown>>) => string[];

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses the YAML text of an analytics configuration. */
export function parseAnalyticsConfig(text: string, validateDimension?: DimensionValidator): AnalyticsConfig {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new AnalyticsConfigError([(error as Error).message.split('\n')[0]!]);
  }
  return analyticsConfigFrom(document ?? {}, validateDimension);
}

export function analyticsConfigFrom(
  document: unknown,
  validateDimension?: DimensionValidator,
): AnalyticsConfig {
  const problems: string[] = [];
  if (!isObject(document)) problems.push('the file must be a mapping of sections');
  const root: Raw = isObject(document) ? document : {};
  const known = ['region', 'operator_threshold', 'conditions', 'amnesty', 'listgen'];
  for (const key of Object.keys(root)) {
    if (!known.includes(key)) problems.push(`${key}: unknown section (known: ${known.join(', ')})`);
  }

  const section = (name: string): Raw => {
    const value = root[name];
    if (value === undefined || value === null) return {};
    if (!isObject(value)) {
      problems.push(`${name}: must be a mapping`);
      return {};
    }
    return value;
  };
  const bool = (where: string, value: unknown, fallback: boolean) => {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') problems.push(`${where}: must be true or false`);
    return value === true;
  };
  const number = (where: string, value: unknown, fallback: number, rule: (n: number) => string | null) => {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${where}: must be a number`);
      return fallback;
    }
    const broken = rule(value);
    if (broken) problems.push(`${where}: ${broken}`);
    return value;
  };
  const strings = (where: string, value: unknown, pattern: RegExp, rule: string): string[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      problems.push(`${where}: must be a list`);
      return [];
    }
    return value.map((item, i) => {
      const text = String(item);
      if (!pattern.test(text)) problems.push(`${where}[${i}]: ${rule}`);
      return text;
    });
  };

  // region
  const region = section('region');
  const operators: OperatorConfig[] = [];
  const rawOperators = region.operators ?? [];
  if (!Array.isArray(rawOperators)) problems.push('region.operators: must be a list');
  for (const [i, raw] of (Array.isArray(rawOperators) ? rawOperators : []).entries()) {
    const where = `region.operators[${i}]`;
    if (!isObject(raw)) {
      problems.push(`${where}: must be a mapping with id, name and mcc_mnc_pairs`);
      continue;
    }
    const id = String(raw.id ?? '').toLowerCase();
    if (!/^[a-z0-9_-]{1,16}$/.test(id)) problems.push(`${where}.id: 1 to 16 letters, digits, - or _`);
    if (operators.some((o) => o.id === id)) problems.push(`${where}.id: ${id} is configured twice`);
    const pairs = Array.isArray(raw.mcc_mnc_pairs) ? raw.mcc_mnc_pairs : [];
    if (pairs.length === 0) problems.push(`${where}.mcc_mnc_pairs: at least one {mcc, mnc}`);
    const mccMncPairs = pairs.map((pair, j) => {
      const mcc = isObject(pair) ? String(pair.mcc ?? '') : '';
      const mnc = isObject(pair) ? String(pair.mnc ?? '') : '';
      if (!/^\d{3}$/.test(mcc)) problems.push(`${where}.mcc_mnc_pairs[${j}].mcc: 3 digits (quote it: '639')`);
      if (!/^\d{2,3}$/.test(mnc))
        problems.push(`${where}.mcc_mnc_pairs[${j}].mnc: 2 or 3 digits (quote it: '02')`);
      return { mcc, mnc };
    });
    operators.push({ id, name: String(raw.name ?? id), mccMncPairs });
  }

  // operator_threshold
  const thresholds: Record<string, number> = {};
  for (const [key, value] of Object.entries(section('operator_threshold'))) {
    thresholds[key] = number(`operator_threshold.${key}`, value, 0, (n) =>
      n < 0 ? 'must not be negative' : null,
    );
  }

  // conditions
  const conditions: ConditionConfig[] = [];
  const rawConditions = root.conditions ?? [];
  if (!Array.isArray(rawConditions)) problems.push('conditions: must be a list');
  for (const [i, raw] of (Array.isArray(rawConditions) ? rawConditions : []).entries()) {
    const where = `conditions[${i}]`;
    if (!isObject(raw)) {
      problems.push(`${where}: must be a mapping`);
      continue;
    }
    const label = String(raw.label ?? '');
    if (!/^\w{1,64}$/.test(label))
      problems.push(`${where}.label: letters, digits or _, at most 64 characters`);
    if (conditions.some((c) => c.label === label)) problems.push(`${where}.label: ${label} is used twice`);
    const reason = String(raw.reason ?? '');
    if (reason === '' || reason.includes('|')) problems.push(`${where}.reason: required, without |`);
    const blocking = bool(`${where}.blocking`, raw.blocking, false);
    const amnestyEligible = bool(`${where}.amnesty_eligible`, raw.amnesty_eligible, false);
    if (amnestyEligible && !blocking)
      problems.push(`${where}.amnesty_eligible: only a blocking condition can be`);
    const rawDimensions = Array.isArray(raw.dimensions) ? raw.dimensions : [];
    if (rawDimensions.length === 0) problems.push(`${where}.dimensions: at least one dimension`);
    const dimensions = rawDimensions.map((d, j): DimensionConfig => {
      const at = `${where}.dimensions[${j}]`;
      if (!isObject(d)) {
        problems.push(`${at}: must be a mapping with module, parameters and invert`);
        return { module: '', parameters: {}, invert: false };
      }
      const module = String(d.module ?? '');
      const parameters = isObject(d.parameters) ? d.parameters : {};
      if (d.parameters !== undefined && d.parameters !== null && !isObject(d.parameters))
        problems.push(`${at}.parameters: must be a mapping`);
      for (const problem of validateDimension?.(module, parameters) ?? []) problems.push(`${at}: ${problem}`);
      return { module, parameters, invert: bool(`${at}.invert`, d.invert, false) };
    });
    conditions.push({
      label,
      dimensions,
      gracePeriodDays: number(`${where}.grace_period_days`, raw.grace_period_days, 30, (n) =>
        Number.isInteger(n) && n >= 0 ? null : 'a whole number of days, 0 or more',
      ),
      blocking,
      sticky: bool(`${where}.sticky`, raw.sticky, false),
      reason,
      maxAllowedMatchingRatio: number(
        `${where}.max_allowed_matching_ratio`,
        raw.max_allowed_matching_ratio,
        0.1,
        (n) => (n >= 0 && n <= 1 ? null : 'a ratio from 0 to 1'),
      ),
      amnestyEligible,
    });
  }

  // amnesty
  const amnesty = section('amnesty');
  const date = (key: string) => {
    const value = amnesty[key];
    if (value === undefined || value === null) return null;
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    if (!DATE.test(text)) problems.push(`amnesty.${key}: a date YYYY-MM-DD`);
    return text;
  };
  const enabled = bool('amnesty.amnesty_enabled', amnesty.amnesty_enabled, false);
  const evaluationPeriodEndDate = date('evaluation_period_end_date');
  const amnestyPeriodEndDate = date('amnesty_period_end_date');
  if (enabled && (!evaluationPeriodEndDate || !amnestyPeriodEndDate))
    problems.push(
      'amnesty: evaluation_period_end_date and amnesty_period_end_date are required when enabled',
    );
  if (evaluationPeriodEndDate && amnestyPeriodEndDate && amnestyPeriodEndDate <= evaluationPeriodEndDate)
    problems.push('amnesty.amnesty_period_end_date: must be later than evaluation_period_end_date');

  // listgen
  const listgen = section('listgen');
  const result: AnalyticsConfig = {
    region: {
      name: String(region.name ?? ''),
      countryCodes: strings(
        'region.country_codes',
        region.country_codes,
        /^\d{1,3}$/,
        '1 to 3 digits (quote it)',
      ),
      exemptedDeviceTypes: strings(
        'region.exempted_device_types',
        region.exempted_device_types,
        /./,
        'not empty',
      ),
      operators,
    },
    operatorThreshold: thresholds,
    conditions,
    amnesty: { enabled, evaluationPeriodEndDate, amnestyPeriodEndDate },
    listgen: {
      lookbackDays: number('listgen.lookback_days', listgen.lookback_days, 180, (n) =>
        Number.isInteger(n) && n > 0 ? null : 'a whole number of days, more than 0',
      ),
      restrictExceptionsListToBlacklistedImeis: bool(
        'listgen.restrict_exceptions_list_to_blacklisted_imeis',
        listgen.restrict_exceptions_list_to_blacklisted_imeis,
        false,
      ),
      includeBarredImeisInExceptionsList: bool(
        'listgen.include_barred_imeis_in_exceptions_list',
        listgen.include_barred_imeis_in_exceptions_list,
        false,
      ),
      notifyImsiChange: bool('listgen.notify_imsi_change', listgen.notify_imsi_change, false),
      generateCheckDigit: bool('listgen.generate_check_digit', listgen.generate_check_digit, false),
      outputInvalidImeis: bool('listgen.output_invalid_imeis', listgen.output_invalid_imeis, true),
    },
  };
  if (problems.length > 0) throw new AnalyticsConfigError(problems);
  return result;
}

/** The importing operator's home prefixes (MCC+MNC), and every configured MCC. */
export function operatorPrefixes(config: AnalyticsConfig, operatorId: string) {
  const operator = config.region.operators.find((o) => o.id === operatorId);
  return {
    operator,
    homePrefixes: operator?.mccMncPairs.map((p) => p.mcc + p.mnc) ?? [],
    mccs: [...new Set(config.region.operators.flatMap((o) => o.mccMncPairs.map((p) => p.mcc)))],
  };
}
