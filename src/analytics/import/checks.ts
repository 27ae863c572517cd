/**
 * The DIRBS validation battery for operator network data (dirbs-compat.md §2.2), in DIRBS order:
 * date range, leading zero, NULL, clean, region, home network, historic. Pure: rows go in one at a
 * time (`add`), the verdicts come out at the end (`finish`), in constant memory apart from the
 * bounded daily distinct counts (distinct.ts). Unlike DIRBS, which stops at the first failure,
 * every check runs and reports, so one pass tells the operator everything that is wrong.
 */
import { DailyDistinctCounter, type DistinctSummary } from './distinct.ts';
import type { IsoDate } from './filename.ts';
import type { OperatorRow } from './row.ts';

/** Thresholds under DIRBS's configuration key names, with DIRBS's defaults. */
export interface OperatorThresholds {
  readonly null_imei_threshold: number;
  readonly null_imsi_threshold: number;
  readonly null_msisdn_threshold: number;
  readonly null_rat_threshold: number;
  readonly null_threshold: number;
  readonly unclean_imei_threshold: number;
  readonly unclean_imsi_threshold: number;
  readonly unclean_threshold: number;
  readonly out_of_region_imsi_threshold: number;
  readonly out_of_region_msisdn_threshold: number;
  readonly out_of_region_threshold: number;
  readonly non_home_network_threshold: number;
  readonly historic_imei_threshold: number;
  readonly historic_imsi_threshold: number;
  readonly historic_msisdn_threshold: number;
  readonly leading_zero_suspect_limit: number;
}

export const DEFAULT_THRESHOLDS: OperatorThresholds = {
  null_imei_threshold: 0.05,
  null_imsi_threshold: 0.05,
  null_msisdn_threshold: 0.05,
  null_rat_threshold: 0.05,
  null_threshold: 0.05,
  unclean_imei_threshold: 0.05,
  unclean_imsi_threshold: 0.05,
  unclean_threshold: 0.05,
  out_of_region_imsi_threshold: 0.1,
  out_of_region_msisdn_threshold: 0.1,
  out_of_region_threshold: 0.1,
  non_home_network_threshold: 0.2,
  historic_imei_threshold: 0.9,
  historic_imsi_threshold: 0.9,
  historic_msisdn_threshold: 0.9,
  leading_zero_suspect_limit: 0.5,
};

/**
 * The switches, one per group of checks as DIRBS has them (`--disable-<name>-check`), and the two
 * column imports (`--disable-msisdn-import`, `--disable-rat-import`).
 */
export const CHECK_SWITCHES = [
  'daterange',
  'leading-zero',
  'null',
  'clean',
  'region',
  'home',
  'historic',
] as const;
export type CheckSwitch = (typeof CHECK_SWITCHES)[number];

export interface OperatorCheckSettings {
  readonly thresholds: OperatorThresholds;
  readonly disabled: ReadonlySet<CheckSwitch>;
  readonly msisdnImport: boolean;
  readonly ratImport: boolean;
}

export const DEFAULT_CHECK_SETTINGS: OperatorCheckSettings = {
  thresholds: DEFAULT_THRESHOLDS,
  disabled: new Set(),
  msisdnImport: true,
  ratImport: true,
};

/** An operator's historic average daily distinct counts (its last 30 non-empty days); null = none. */
export interface HistoricAverages {
  readonly imei: number | null;
  readonly imsi: number | null;
  readonly msisdn: number | null;
}

export interface OperatorCheckContext {
  /** The file's name, quoted in the date-range message. */
  readonly fileName: string;
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly today: IsoDate;
  /** The importing operator's MCC-MNC pairs (region and home-network checks). */
  readonly mccMncPairs: readonly { readonly mcc: string; readonly mnc: string }[];
  /** `region.country_codes`: the MSISDN prefixes of the country. */
  readonly countryCodes: readonly string[];
  /** GSMA TACs that start with 0 (the leading-zero check); none given = no suspects can be found. */
  readonly leadingZeroTacs?: Iterable<string>;
  readonly history?: HistoricAverages | null;
}

export type CheckName =
  | 'daterange'
  | 'leading_zero'
  | 'null_imei'
  | 'null_imsi'
  | 'null_msisdn'
  | 'null_rat'
  | 'null'
  | 'unclean_imei'
  | 'unclean_imsi'
  | 'unclean'
  | 'out_of_region_imsi'
  | 'out_of_region_msisdn'
  | 'out_of_region'
  | 'non_home_network'
  | 'historic_imei'
  | 'historic_imsi'
  | 'historic_msisdn';

export interface CheckResult {
  readonly check: CheckName;
  /** True also when skipped: a skipped check does not stop an import. */
  readonly passed: boolean;
  readonly skipped?: true;
  /** Threshold checks: the failing share of rows. Historic checks: the file's daily average. */
  readonly ratio?: number;
  /** Threshold checks: the largest share allowed. Historic checks: the minimum daily average. */
  readonly limit?: number;
  /** Historic checks: the operator's historic daily average. */
  readonly historic?: number;
  /** Rows that failed (threshold and date-range checks). */
  readonly count?: number;
  readonly message: string;
}

export interface OperatorCheckReport {
  readonly passed: boolean;
  readonly rows: number;
  readonly checks: readonly CheckResult[];
  readonly distinct: DistinctSummary;
}

export interface OperatorChecks {
  add(row: OperatorRow): void;
  finish(): OperatorCheckReport;
}

/** Python's `{:.2f}` (round half to even), so messages read exactly as DIRBS prints them. */
export function fixed2(x: number): string {
  // A double is a tie at two decimals only when it is an odd multiple of 1/8 (…125, …375, …).
  if (Number.isInteger(x * 8) && !Number.isInteger(x * 4)) {
    let n = Math.floor(x * 100);
    if (n % 2 !== 0) n += 1;
    return (n / 100).toFixed(2);
  }
  return x.toFixed(2);
}

/** Prefixes of mixed lengths, tested with one Set lookup per length. */
class PrefixSet {
  private readonly set: Set<string>;
  private readonly lengths: number[];
  constructor(prefixes: Iterable<string>) {
    this.set = new Set(prefixes);
    this.lengths = [...new Set([...this.set].map((p) => p.length))];
  }
  /** DIRBS `fails_prefix_check`: NULL never fails. */
  fails(value: string | null): boolean {
    if (value === null) return false;
    for (const n of this.lengths) if (this.set.has(value.slice(0, n))) return false;
    return true;
  }
}

function isUncleanImei(row: OperatorRow): boolean {
  return row.imeiNorm !== null && !/^[0-9]{14}/.test(row.imeiNorm);
}

function isUncleanImsi(imsi: string | null): boolean {
  return imsi !== null && (imsi.length < 14 || imsi.length > 15);
}

const THRESHOLD_LABEL: Partial<Record<CheckName, string>> = {
  null_imei: 'NULL IMEI data',
  null_imsi: 'NULL IMSI data',
  null_msisdn: 'NULL MSISDN data',
  null_rat: 'NULL RAT data',
  null: 'NULL data (combined)',
  unclean_imei: 'unclean IMEI data',
  unclean_imsi: 'unclean IMSI data',
  unclean: 'unclean data (combined)',
  out_of_region_imsi: 'out-of-region IMSI data',
  out_of_region_msisdn: 'out-of-region MSISDN data',
  out_of_region: 'out-of-region data (combined)',
  non_home_network: 'non-home network IMSI data',
};

export function createOperatorChecks(
  context: OperatorCheckContext,
  settings: OperatorCheckSettings = DEFAULT_CHECK_SETTINGS,
  options: { exactDistinctLimit?: number } = {},
): OperatorChecks {
  const t = settings.thresholds;
  const on = (s: CheckSwitch) => !settings.disabled.has(s);
  const mcc = new PrefixSet(context.mccMncPairs.map((p) => p.mcc));
  const home = new PrefixSet(context.mccMncPairs.map((p) => p.mcc + p.mnc));
  const country = new PrefixSet(context.countryCodes);
  // IMEIs that lost a leading 0 start with characters 2–8 of a GSMA TAC beginning with 0.
  const strippedTacs = new Set<string>();
  for (const tac of context.leadingZeroTacs ?? []) if (tac.startsWith('0')) strippedTacs.add(tac.slice(1, 8));
  const distinct = new DailyDistinctCounter(options.exactDistinctLimit);

  const n = {
    rows: 0,
    outside: 0,
    lead0: 0,
    lead1: 0,
    suspects: 0,
    nullImei: 0,
    nullImsi: 0,
    nullMsisdn: 0,
    nullRat: 0,
    nullAny: 0,
    uncleanImei: 0,
    uncleanImsi: 0,
    uncleanAny: 0,
    oorImsi: 0,
    oorMsisdn: 0,
    oorAny: 0,
    nonHome: 0,
  };

  function add(row: OperatorRow): void {
    n.rows++;
    if (row.date < context.start || row.date > context.end) n.outside++;
    const first = row.imei?.[0];
    if (first === '0') n.lead0++;
    else if (first === '1') {
      n.lead1++;
      if (strippedTacs.has(row.imei!.slice(0, 7))) n.suspects++;
    }
    const msisdn = settings.msisdnImport ? row.msisdn : null;
    const nullImei = row.imeiNorm === null;
    const nullImsi = row.imsi === null;
    const nullMsisdn = msisdn === null;
    const nullRat = row.ratMask === null;
    if (nullImei) n.nullImei++;
    if (nullImsi) n.nullImsi++;
    if (nullMsisdn) n.nullMsisdn++;
    if (nullRat) n.nullRat++;
    if (nullImei || nullImsi || (settings.msisdnImport && nullMsisdn) || (settings.ratImport && nullRat)) {
      n.nullAny++;
    }
    const uncleanImei = isUncleanImei(row);
    const uncleanImsi = isUncleanImsi(row.imsi);
    if (uncleanImei) n.uncleanImei++;
    if (uncleanImsi) n.uncleanImsi++;
    if (uncleanImei || uncleanImsi) n.uncleanAny++;
    const oorImsi = mcc.fails(row.imsi);
    const oorMsisdn = country.fails(msisdn);
    if (oorImsi) n.oorImsi++;
    if (oorMsisdn) n.oorMsisdn++;
    if (oorImsi || oorMsisdn) n.oorAny++;
    if (home.fails(row.imsi)) n.nonHome++;
    if (on('historic')) distinct.add(row.date, { imei: row.imeiNorm, imsi: row.imsi, msisdn });
  }

  function threshold(check: CheckName, failing: number, limit: number): CheckResult {
    const ratio = failing / n.rows;
    const passed = ratio <= limit;
    const message = `${passed ? 'Passed' : 'Failed'} ${THRESHOLD_LABEL[check]} threshold check, limit is: ${fixed2(limit)} and imported data has: ${fixed2(ratio)}`;
    return { check, passed, ratio, limit, count: failing, message };
  }

  const skip = (check: CheckName, message: string): CheckResult => ({
    check,
    passed: true,
    skipped: true,
    message,
  });
  const BY_OPTION = 'due to command-line option';

  function dateRange(): CheckResult {
    if (!on('daterange')) return skip('daterange', `Skipped file date range check ${BY_OPTION}`);
    if (context.end > context.today) {
      return {
        check: 'daterange',
        passed: false,
        message: 'End date on operator data dump file is in the future (later than current system date)',
      };
    }
    if (n.outside > 0) {
      return {
        check: 'daterange',
        passed: false,
        count: n.outside,
        message: `${n.outside} records are outside the date range supplied by the filename ${context.fileName}`,
      };
    }
    return { check: 'daterange', passed: true, count: 0, message: 'Data date range check passed' };
  }

  function leadingZero(): CheckResult {
    if (!on('leading-zero')) return skip('leading_zero', `Skipped leading zero check ${BY_OPTION}`);
    if (n.lead1 > n.lead0) {
      return {
        check: 'leading_zero',
        passed: false,
        count: n.lead1,
        message:
          'Failed leading zero check - suspect leading 0s have been removed from IMEIs. Import aborted - no rows have been imported.',
      };
    }
    const ratio = n.lead1 === 0 ? 0 : n.suspects / n.lead1;
    if (n.lead1 > 1 && ratio > t.leading_zero_suspect_limit) {
      return {
        check: 'leading_zero',
        passed: false,
        ratio,
        limit: t.leading_zero_suspect_limit,
        count: n.suspects,
        message: 'Too many IMEIs that start with 1 match the TAC DB when prepended with 0',
      };
    }
    return {
      check: 'leading_zero',
      passed: true,
      ratio,
      limit: t.leading_zero_suspect_limit,
      message: 'Leading zero check passed',
    };
  }

  function thresholdChecks(): CheckResult[] {
    const out: CheckResult[] = [];
    const empty = n.rows === 0;
    const group = (
      sw: CheckSwitch,
      label: string,
      checks: readonly (readonly [CheckName, number, number, string | null])[],
    ) => {
      for (const [check, failing, limit, skippedBecause] of checks) {
        if (!on(sw)) out.push(skip(check, `Skipped ${label} ${BY_OPTION}`));
        else if (empty) out.push(skip(check, 'Skipped threshold checks due to zero rows in input data'));
        else if (skippedBecause !== null) out.push(skip(check, skippedBecause));
        else out.push(threshold(check, failing, limit));
      }
    };
    const noMsisdn = (what: string) =>
      settings.msisdnImport ? null : `Skipped ${what} due to disabled MSISDN import`;
    group('null', 'NULL data threshold checks', [
      ['null_imei', n.nullImei, t.null_imei_threshold, null],
      ['null_imsi', n.nullImsi, t.null_imsi_threshold, null],
      ['null_msisdn', n.nullMsisdn, t.null_msisdn_threshold, noMsisdn('NULL MSISDN data threshold check')],
      [
        'null_rat',
        n.nullRat,
        t.null_rat_threshold,
        settings.ratImport ? null : 'Skipped NULL RAT data threshold check due to disabled RAT import',
      ],
      ['null', n.nullAny, t.null_threshold, null],
    ]);
    group('clean', 'unclean data threshold checks', [
      ['unclean_imei', n.uncleanImei, t.unclean_imei_threshold, null],
      ['unclean_imsi', n.uncleanImsi, t.unclean_imsi_threshold, null],
      ['unclean', n.uncleanAny, t.unclean_threshold, null],
    ]);
    group('region', 'out-of-region data threshold checks', [
      ['out_of_region_imsi', n.oorImsi, t.out_of_region_imsi_threshold, null],
      [
        'out_of_region_msisdn',
        n.oorMsisdn,
        t.out_of_region_msisdn_threshold,
        noMsisdn('out-of-region MSISDN data threshold check'),
      ],
      [
        'out_of_region',
        n.oorAny,
        t.out_of_region_threshold,
        noMsisdn('out-of-region (combined) data threshold check'),
      ],
    ]);
    group('home', 'home network data threshold check', [
      ['non_home_network', n.nonHome, t.non_home_network_threshold, null],
    ]);
    return out;
  }

  function historicChecks(summary: DistinctSummary): CheckResult[] {
    const kinds = [
      ['historic_imei', 'imei', 'IMEI', t.historic_imei_threshold],
      ['historic_imsi', 'imsi', 'IMSI', t.historic_imsi_threshold],
      ['historic_msisdn', 'msisdn', 'MSISDN', t.historic_msisdn_threshold],
    ] as const;
    return kinds.map(([check, kind, label, factor]): CheckResult => {
      if (!on('historic')) return skip(check, `Skipped historic IMEI/IMSI/MSISDN checks ${BY_OPTION}`);
      if (kind === 'msisdn' && !settings.msisdnImport) {
        return skip(check, 'Skipped historic MSISDN per day check due to disabled MSISDN import');
      }
      const past = context.history?.[kind] ?? null;
      if (past === null)
        return skip(check, `Skipped historic ${label} per day check due to lack of historic data`);
      if (summary.average === null) {
        const why = summary.complete ? 'zero rows in input data' : 'more days in the file than are counted';
        return skip(check, `Skipped historic ${label} per day check due to ${why}`);
      }
      const value = summary.average[kind];
      const minimum = factor * past;
      const passed = value >= minimum;
      return {
        check,
        passed,
        ratio: value,
        limit: minimum,
        historic: past,
        message: `${passed ? 'Passed' : 'Failed'} ${label} per day historic check, historic value is: ${fixed2(past)}, imported data has: ${fixed2(value)} and minimum required is ${fixed2(minimum)}`,
      };
    });
  }

  function finish(): OperatorCheckReport {
    const summary = distinct.summary();
    const checks = [dateRange(), leadingZero(), ...thresholdChecks(), ...historicChecks(summary)];
    return { passed: checks.every((c) => c.passed), rows: n.rows, checks, distinct: summary };
  }

  return { add, finish };
}
