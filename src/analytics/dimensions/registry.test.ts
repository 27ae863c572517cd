import { describe, expect, it } from 'vitest';
import { context, datasetOf, seen } from './fixtures.ts';
import { DIMENSIONS, dimensionByName, evaluationContext, runDimension } from './index.ts';

describe('the dimension registry', () => {
  it('holds every DIRBS module by its name, plus impossible_travel and bad_check_digit', () => {
    expect([...DIMENSIONS.keys()].sort()).toEqual([
      'bad_check_digit',
      'daily_avg_uid',
      'duplicate_daily_avg',
      'duplicate_threshold',
      'exists_in_barred_list',
      'exists_in_monitoring_list',
      'gsma_not_found',
      'impossible_travel',
      'inconsistent_rat',
      'is_barred_tac',
      'is_test_tac',
      'malformed_imei',
      'not_on_association_list',
      'not_on_registration_list',
      'stolen_list',
      'transient_imei',
      'used_by_dirbs_subscriber',
      'used_by_international_roamer',
      'used_by_local_non_dirbs_roamer',
    ]);
    expect(dimensionByName('nope')).toBeUndefined();
  });

  it('every dimension describes itself in one line and documents its parameters', () => {
    for (const dimension of DIMENSIONS.values()) {
      expect(dimension.describe).not.toMatch(/\n/);
      expect(dimension.describe.length).toBeGreaterThan(10);
      for (const field of dimension.parameters.fields) expect(field.rule.length).toBeGreaterThan(0);
    }
  });

  it('every dimension refuses an unknown parameter, naming it', () => {
    for (const dimension of DIMENSIONS.values()) {
      const result = dimension.parameters.validate({ no_such_parameter: 1 });
      expect(result.ok).toBe(false);
      expect(
        !result.ok && result.errors.some((e) => e.field === 'no_such_parameter' && e.rule === 'unknown'),
      ).toBe(true);
    }
  });

  it('invert is the network IMEIs minus the matches, the same for every dimension', () => {
    const dataset = datasetOf([
      ...seen('op1', '352099001761481', null, null, ['2026-01-01']),
      ...seen('op1', '3520990017614a', null, null, ['2026-01-01']),
    ]);
    const malformed = dimensionByName('malformed_imei')!;
    const straight = runDimension(malformed, dataset, {}, context('2026-02-01'));
    const inverted = runDimension(malformed, dataset, {}, context('2026-02-01'), true);
    expect(straight.ok && [...straight.value.keys()]).toEqual(['3520990017614A']);
    expect(inverted.ok && [...inverted.value.entries()]).toEqual([
      [
        '35209900176148',
        'not malformed_imei: does not meet "seen on the network with an IMEI that is not 14 decimal digits after normalisation"',
      ],
    ]);
  });

  it('returns parameter errors instead of evaluating', () => {
    const result = runDimension(
      dimensionByName('duplicate_threshold')!,
      datasetOf([]),
      { period_days: 3 },
      context('2026-02-01'),
    );
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'threshold', rule: 'required' }] });
  });

  it('a context defaults to DIRBS semantics and refuses a date that is not a day', () => {
    expect(evaluationContext({ analysisEnd: '2026-02-01', now: new Date(0) })).toMatchObject({
      windowEnd: 'dirbs',
      exemptionJoin: 'dirbs',
      averageDivision: 'integer',
      monitoringClock: 'wall-clock',
    });
    expect(() => evaluationContext({ analysisEnd: '2026-02-30', now: new Date(0) })).toThrow(/YYYY-MM-DD/);
  });
});
