import { describe, expect, it } from 'vitest';
import { normaliseImei } from '../normalise.ts';
import {
  type CheckName,
  type CheckSwitch,
  createOperatorChecks,
  DEFAULT_CHECK_SETTINGS,
  DEFAULT_THRESHOLDS,
  fixed2,
  type OperatorCheckContext,
  type OperatorCheckReport,
  type OperatorCheckSettings,
} from './checks.ts';
import type { OperatorRow } from './row.ts';

const CONTEXT: OperatorCheckContext = {
  fileName: 'acme_20250101_20250131.csv',
  start: '2025-01-01',
  end: '2025-01-31',
  today: '2025-02-15',
  mccMncPairs: [
    { mcc: '410', mnc: '01' },
    { mcc: '410', mnc: '001' },
  ],
  countryCodes: ['92'],
};

/** A clean row: 14-digit IMEI, home IMSI, national MSISDN, a RAT; `i` makes it distinct. */
function row(i: number, change: Partial<OperatorRow> = {}): OperatorRow {
  const imei = change.imei === undefined ? `35${String(100000000000 + i)}0` : change.imei;
  return {
    date: '2025-01-10',
    imsi: `41001${String(1000000000 + i)}`,
    msisdn: `923${String(100000000 + i)}`,
    ratMask: 1 << 12,
    time: null,
    cell: null,
    lat: null,
    lon: null,
    ...change,
    imei,
    imeiNorm: normaliseImei(imei),
  };
}

function run(
  rows: OperatorRow[],
  settings: Partial<OperatorCheckSettings> = {},
  context: Partial<OperatorCheckContext> = {},
): OperatorCheckReport {
  const checks = createOperatorChecks({ ...CONTEXT, ...context }, { ...DEFAULT_CHECK_SETTINGS, ...settings });
  for (const r of rows) checks.add(r);
  return checks.finish();
}

function result(report: OperatorCheckReport, check: CheckName) {
  const found = report.checks.find((c) => c.check === check);
  if (!found) throw new Error(`no ${check}`);
  return found;
}

/** 100 rows, the first `bad` of them spoiled. */
function hundred(bad: number, spoil: (i: number) => Partial<OperatorRow>): OperatorRow[] {
  return Array.from({ length: 100 }, (_, i) => row(i, i < bad ? spoil(i) : {}));
}

const THRESHOLD_CASES: readonly [CheckName, number, (i: number) => Partial<OperatorRow>][] = [
  ['null_imei', 0.05, () => ({ imei: null })],
  ['null_imsi', 0.05, () => ({ imsi: null })],
  ['null_msisdn', 0.05, () => ({ msisdn: null })],
  ['null_rat', 0.05, () => ({ ratMask: null })],
  ['null', 0.05, (i) => (i % 2 === 0 ? { imei: null } : { ratMask: null })],
  ['unclean_imei', 0.05, (i) => ({ imei: `ABC${i}` })],
  ['unclean_imsi', 0.05, (i) => ({ imsi: `41001${i}` })],
  ['unclean', 0.05, (i) => (i % 2 === 0 ? { imei: `3520990017614A` } : { imsi: '4100112' })],
  ['out_of_region_imsi', 0.1, (i) => ({ imsi: `31026${String(1000000000 + i)}` })],
  ['out_of_region_msisdn', 0.1, (i) => ({ msisdn: `4479${String(10000000 + i)}` })],
  ['out_of_region', 0.1, (i) => (i % 2 === 0 ? { imsi: '310260000000001' } : { msisdn: '447900000001' })],
  ['non_home_network', 0.2, (i) => ({ imsi: `41006${String(1000000000 + i)}` })],
];

describe('threshold checks at, below and above their DIRBS defaults', () => {
  it.each(THRESHOLD_CASES)('%s (%s)', (check, limit, spoil) => {
    const at = Math.round(limit * 100);
    for (const [bad, passed] of [
      [at - 1, true],
      [at, true],
      [at + 1, false],
    ] as const) {
      const found = result(run(hundred(bad, spoil)), check);
      expect(found, `${bad} bad rows`).toMatchObject({ passed, ratio: bad / 100, limit, count: bad });
      expect(found.skipped).toBeUndefined();
    }
  });

  it('prints the DIRBS message', () => {
    const report = run(hundred(12, () => ({ imei: null })));
    expect(result(report, 'null_imei').message).toBe(
      'Failed NULL IMEI data threshold check, limit is: 0.05 and imported data has: 0.12',
    );
    expect(result(report, 'null_imsi').message).toBe(
      'Passed NULL IMSI data threshold check, limit is: 0.05 and imported data has: 0.00',
    );
    expect(report.passed).toBe(false);
  });

  it('takes configured thresholds', () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, null_imei_threshold: 0.2 };
    expect(
      result(
        run(
          hundred(12, () => ({ imei: null })),
          { thresholds },
        ),
        'null_imei',
      ).passed,
    ).toBe(true);
  });

  it('never fails a prefix check on NULL', () => {
    const report = run(hundred(100, () => ({ imsi: null, msisdn: null })));
    for (const check of [
      'out_of_region_imsi',
      'out_of_region_msisdn',
      'out_of_region',
      'non_home_network',
    ] as const) {
      expect(result(report, check)).toMatchObject({ passed: true, count: 0 });
    }
  });

  it('matches home networks with 2- and 3-digit MNCs', () => {
    const report = run([row(1, { imsi: '410001123456789' }), row(2, { imsi: '410011234567890' })], {
      thresholds: { ...DEFAULT_THRESHOLDS, non_home_network_threshold: 0 },
    });
    expect(result(report, 'non_home_network')).toMatchObject({ passed: true, count: 0 });
  });
});

describe('switches', () => {
  const spoiled = hundred(50, () => ({ imei: 'ABC', imsi: '3102', msisdn: null, ratMask: null }));

  it.each([
    ['null', ['null_imei', 'null_imsi', 'null_msisdn', 'null_rat', 'null']],
    ['clean', ['unclean_imei', 'unclean_imsi', 'unclean']],
    ['region', ['out_of_region_imsi', 'out_of_region_msisdn', 'out_of_region']],
    ['home', ['non_home_network']],
  ] as const)('--disable-%s-check skips its checks', (sw, names) => {
    const on = run(spoiled);
    const off = run(spoiled, { disabled: new Set<CheckSwitch>([sw]) });
    expect(names.some((n) => !result(on, n).passed)).toBe(true);
    for (const n of names) {
      expect(result(off, n)).toMatchObject({ passed: true, skipped: true });
      expect(result(off, n).message).toContain('due to command-line option');
    }
  });

  it('skips MSISDN checks when the MSISDN import is off, RAT checks when the RAT import is off', () => {
    const rows = hundred(50, () => ({ msisdn: null, ratMask: null }));
    const report = run(rows, { msisdnImport: false, ratImport: false });
    expect(result(report, 'null_msisdn')).toMatchObject({
      skipped: true,
      message: 'Skipped NULL MSISDN data threshold check due to disabled MSISDN import',
    });
    expect(result(report, 'null_rat')).toMatchObject({
      skipped: true,
      message: 'Skipped NULL RAT data threshold check due to disabled RAT import',
    });
    expect(result(report, 'out_of_region_msisdn').skipped).toBe(true);
    expect(result(report, 'out_of_region').skipped).toBe(true);
    expect(result(report, 'historic_msisdn').skipped).toBe(true);
    // The combined NULL check counts only the imported columns.
    expect(result(report, 'null')).toMatchObject({ passed: true, count: 0 });
    expect(report.passed).toBe(true);
  });

  it('skips the threshold checks on an empty file', () => {
    const report = run([]);
    expect(result(report, 'null_imei')).toMatchObject({
      skipped: true,
      message: 'Skipped threshold checks due to zero rows in input data',
    });
    expect(report.rows).toBe(0);
  });
});

describe('date-range check', () => {
  it('passes rows inside the file dates, edges included', () => {
    const report = run([row(1, { date: '2025-01-01' }), row(2, { date: '2025-01-31' })]);
    expect(result(report, 'daterange')).toEqual({
      check: 'daterange',
      passed: true,
      count: 0,
      message: 'Data date range check passed',
    });
  });

  it('counts rows outside them', () => {
    const report = run([row(1, { date: '2024-12-31' }), row(2, { date: '2025-02-01' }), row(3)]);
    expect(result(report, 'daterange')).toMatchObject({
      passed: false,
      count: 2,
      message: '2 records are outside the date range supplied by the filename acme_20250101_20250131.csv',
    });
  });

  it('fails an end date after today, unless switched off', () => {
    const context = { today: '2025-01-30' };
    expect(result(run([row(1)], {}, context), 'daterange')).toMatchObject({
      passed: false,
      message: 'End date on operator data dump file is in the future (later than current system date)',
    });
    const off = run([row(1)], { disabled: new Set<CheckSwitch>(['daterange']) }, context);
    expect(result(off, 'daterange')).toMatchObject({ passed: true, skipped: true });
  });
});

describe('leading-zero check', () => {
  const tacs = ['01234567', '01111111', '35209900'];
  const lead0 = (i: number) => row(i, { imei: `0123456${String(7000000 + i)}` });
  const suspect = (i: number) => row(i, { imei: `1234567${String(1000000 + i)}` });
  const innocent = (i: number) => row(i, { imei: `1999999${String(1000000 + i)}` });

  it('fails when more IMEIs start with 1 than with 0', () => {
    const report = run([lead0(1), innocent(2), innocent(3)], {}, { leadingZeroTacs: tacs });
    expect(result(report, 'leading_zero')).toMatchObject({
      passed: false,
      message:
        'Failed leading zero check - suspect leading 0s have been removed from IMEIs. Import aborted - no rows have been imported.',
    });
  });

  it('passes an equal number of leading 0s and 1s', () => {
    const report = run([lead0(1), innocent(2)], {}, { leadingZeroTacs: tacs });
    expect(result(report, 'leading_zero').passed).toBe(true);
  });

  it('fails when more than half of the leading-1 IMEIs are a 0-TAC without its 0', () => {
    const zeros = Array.from({ length: 10 }, (_, i) => lead0(i));
    const at = run(
      [...zeros, suspect(1), suspect(2), innocent(3), innocent(4)],
      {},
      { leadingZeroTacs: tacs },
    );
    expect(result(at, 'leading_zero')).toMatchObject({ passed: true, ratio: 0.5 });
    const above = run(
      [...zeros, suspect(1), suspect(2), suspect(5), innocent(3), innocent(4)],
      {},
      {
        leadingZeroTacs: tacs,
      },
    );
    expect(result(above, 'leading_zero')).toMatchObject({
      passed: false,
      ratio: 0.6,
      count: 3,
      message: 'Too many IMEIs that start with 1 match the TAC DB when prepended with 0',
    });
    const below = run([...zeros, suspect(1), innocent(3), innocent(4)], {}, { leadingZeroTacs: tacs });
    expect(result(below, 'leading_zero').passed).toBe(true);
  });

  it('needs more than one leading-1 IMEI to suspect anything', () => {
    const report = run([lead0(1), suspect(1)], {}, { leadingZeroTacs: tacs });
    expect(result(report, 'leading_zero')).toMatchObject({ passed: true, ratio: 1 });
  });

  it('takes leading_zero_suspect_limit from the settings', () => {
    const zeros = Array.from({ length: 10 }, (_, i) => lead0(i));
    const rows = [...zeros, suspect(1), innocent(3), innocent(4)];
    const thresholds = { ...DEFAULT_THRESHOLDS, leading_zero_suspect_limit: 0.3 };
    expect(result(run(rows, { thresholds }, { leadingZeroTacs: tacs }), 'leading_zero').passed).toBe(false);
  });
});

describe('historic checks', () => {
  /** `days` days of `perDay` distinct IMEIs, IMSIs and MSISDNs (each seen twice a day). */
  function days(count: number, perDay: number): OperatorRow[] {
    const rows: OperatorRow[] = [];
    for (let d = 1; d <= count; d++) {
      for (let i = 0; i < perDay; i++) {
        const r = row(i, { date: `2025-01-${String(d).padStart(2, '0')}` });
        rows.push(r, r);
      }
    }
    return rows;
  }
  const history = { imei: 100, imsi: 100, msisdn: 100 };

  it('compares the daily average with 0.9 × the historic one, at, below and above', () => {
    for (const [perDay, passed] of [
      [89, false],
      [90, true],
      [91, true],
    ] as const) {
      const report = run(days(3, perDay), {}, { history });
      for (const check of ['historic_imei', 'historic_imsi', 'historic_msisdn'] as const) {
        expect(result(report, check), `${perDay} a day`).toMatchObject({
          passed,
          ratio: perDay,
          limit: 90,
          historic: 100,
        });
      }
    }
    expect(result(run(days(2, 89), {}, { history }), 'historic_imei').message).toBe(
      'Failed IMEI per day historic check, historic value is: 100.00, imported data has: 89.00 and minimum required is 90.00',
    );
  });

  it('averages over the days present in the file', () => {
    const rows = [...days(1, 100), row(5000, { date: '2025-01-20' })];
    const report = run(rows, {}, { history });
    expect(report.distinct.days.map((d) => d.imei)).toEqual([100, 1]);
    expect(result(report, 'historic_imei')).toMatchObject({ passed: false, ratio: 50.5 });
  });

  it('ignores NULLs in the distinct counts', () => {
    const report = run([row(1), row(2, { imei: null, imsi: null, msisdn: null })]);
    expect(report.distinct.days).toEqual([{ date: '2025-01-10', imei: 1, imsi: 1, msisdn: 1 }]);
  });

  it('is skipped without history, per identifier', () => {
    const report = run(days(1, 10), {}, { history: { imei: 5, imsi: null, msisdn: null } });
    expect(result(report, 'historic_imei').passed).toBe(true);
    expect(result(report, 'historic_imsi')).toMatchObject({
      skipped: true,
      message: 'Skipped historic IMSI per day check due to lack of historic data',
    });
  });

  it('falls back to HyperLogLog past the exact budget, within its error', () => {
    const checks = createOperatorChecks({ ...CONTEXT, history }, DEFAULT_CHECK_SETTINGS, {
      exactDistinctLimit: 1000,
    });
    for (const r of days(2, 20_000)) checks.add(r);
    const report = checks.finish();
    expect(report.distinct.method).toBe('hyperloglog');
    for (const d of report.distinct.days) expect(Math.abs(d.imei - 20_000) / 20_000).toBeLessThan(0.03);
  });
});

describe('the battery', () => {
  it('runs every check in DIRBS order and passes clean data', () => {
    const report = run(
      Array.from({ length: 20 }, (_, i) => row(i)),
      {},
      { history: { imei: 20, imsi: 20, msisdn: 20 } },
    );
    expect(report.checks.map((c) => c.check)).toEqual([
      'daterange',
      'leading_zero',
      'null_imei',
      'null_imsi',
      'null_msisdn',
      'null_rat',
      'null',
      'unclean_imei',
      'unclean_imsi',
      'unclean',
      'out_of_region_imsi',
      'out_of_region_msisdn',
      'out_of_region',
      'non_home_network',
      'historic_imei',
      'historic_imsi',
      'historic_msisdn',
    ]);
    expect(report.checks.every((c) => c.passed && !c.skipped)).toBe(true);
    expect(report).toMatchObject({ passed: true, rows: 20 });
  });

  it('formats like Python: half to even at two decimals', () => {
    expect(fixed2(0.125)).toBe('0.12');
    expect(fixed2(0.375)).toBe('0.38');
    expect(fixed2(0.625)).toBe('0.62');
    expect(fixed2(0.12)).toBe('0.12');
    expect(fixed2(0.056)).toBe('0.06');
    expect(fixed2(90)).toBe('90.00');
  });
});
