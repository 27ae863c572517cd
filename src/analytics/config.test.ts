import { describe, expect, it } from 'vitest';
import { AnalyticsConfigError, operatorPrefixes, parseAnalyticsConfig } from './config.ts';

const GOOD = `
region:
  name: Demo country
  country_codes: ['254']
  exempted_device_types: [Vehicle]
  operators:
    - id: Alpha
      name: Alpha Mobile
      mcc_mnc_pairs: [{mcc: '639', mnc: '02'}, {mcc: '639', mnc: '03'}]
    - id: beta
      mcc_mnc_pairs: [{mcc: '639', mnc: '07'}]
operator_threshold:
  null_imei_threshold: 0.02
conditions:
  - label: duplicate_mk1
    dimensions:
      - module: duplicate_threshold
        parameters: {threshold: 10, period_days: 120}
    grace_period_days: 60
    blocking: true
    sticky: true
    reason: Duplicate IMEI detected
  - label: local_stolen
    dimensions: [{module: stolen_list}, {module: duplicate_threshold, invert: true, parameters: {threshold: 2, period_days: 30}}]
    reason: Stolen
amnesty:
  amnesty_enabled: true
  evaluation_period_end_date: 2026-03-01
  amnesty_period_end_date: 2026-06-01
listgen:
  lookback_days: 90
  generate_check_digit: true
`;

describe('analytics configuration', () => {
  it('reads DIRBS key names with DIRBS defaults', () => {
    const config = parseAnalyticsConfig(GOOD);
    expect(config.region.operators.map((o) => o.id)).toEqual(['alpha', 'beta']);
    expect(config.conditions[0]).toMatchObject({
      label: 'duplicate_mk1',
      gracePeriodDays: 60,
      blocking: true,
      sticky: true,
      maxAllowedMatchingRatio: 0.1,
    });
    expect(config.conditions[1]).toMatchObject({
      gracePeriodDays: 30,
      blocking: false,
      amnestyEligible: false,
    });
    expect(config.conditions[1]!.dimensions[1]).toEqual({
      module: 'duplicate_threshold',
      parameters: { threshold: 2, period_days: 30 },
      invert: true,
    });
    expect(config.amnesty).toEqual({
      enabled: true,
      evaluationPeriodEndDate: '2026-03-01',
      amnestyPeriodEndDate: '2026-06-01',
    });
    expect(config.listgen).toMatchObject({
      lookbackDays: 90,
      generateCheckDigit: true,
      outputInvalidImeis: true,
      notifyImsiChange: false,
    });
    expect(config.operatorThreshold).toEqual({ null_imei_threshold: 0.02 });
    expect(operatorPrefixes(config, 'alpha')).toMatchObject({
      homePrefixes: ['63902', '63903'],
      mccs: ['639'],
    });
  });

  it('names every problem with its path and rule, and asks the dimension registry about modules', () => {
    const bad = `
region:
  operators:
    - id: a-very-long-operator-name
      mcc_mnc_pairs: [{mcc: 639, mnc: 2}]
conditions:
  - label: has space
    reason: a|b
    amnesty_eligible: true
    dimensions: [{module: no_such_thing}]
  - label: has space
    reason: r
    dimensions: []
    max_allowed_matching_ratio: 2
amnesty:
  amnesty_enabled: true
  evaluation_period_end_date: 2026-06-01
  amnesty_period_end_date: 2026-03-01
surprise: 1
`;
    try {
      parseAnalyticsConfig(bad, (module) => (module === 'no_such_thing' ? [`unknown module ${module}`] : []));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AnalyticsConfigError);
      expect((error as AnalyticsConfigError).problems).toEqual([
        'surprise: unknown section (known: region, operator_threshold, conditions, amnesty, listgen)',
        'region.operators[0].id: 1 to 16 letters, digits, - or _',
        "region.operators[0].mcc_mnc_pairs[0].mnc: 2 or 3 digits (quote it: '02')",
        'conditions[0].label: letters, digits or _, at most 64 characters',
        'conditions[0].reason: required, without |',
        'conditions[0].amnesty_eligible: only a blocking condition can be',
        'conditions[0].dimensions[0]: unknown module no_such_thing',
        'conditions[1].label: letters, digits or _, at most 64 characters',
        'conditions[1].label: has space is used twice',
        'conditions[1].dimensions: at least one dimension',
        'conditions[1].max_allowed_matching_ratio: a ratio from 0 to 1',
        'amnesty.amnesty_period_end_date: must be later than evaluation_period_end_date',
      ]);
    }
  });
});
