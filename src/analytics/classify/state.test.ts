/** The state rules of one condition (dirbs-compat.md §3.1, §3.4) and the ledger reason mapping, pure. */
import { describe, expect, it } from 'vitest';
import type { AnalyticsConfig, ConditionConfig } from '../config.ts';
import { ledgerReasonOf } from './reasons.ts';
import { blockingOf, exceedsSafetyRatio, planState } from './state.ts';

const condition = (over: Partial<ConditionConfig> = {}): ConditionConfig => ({
  label: 'c',
  dimensions: [{ module: 'duplicate_threshold', parameters: {}, invert: false }],
  gracePeriodDays: 10,
  blocking: true,
  sticky: false,
  reason: 'Duplicate',
  maxAllowedMatchingRatio: 0.1,
  amnestyEligible: false,
  ...over,
});
const OFF: AnalyticsConfig['amnesty'] = {
  enabled: false,
  evaluationPeriodEndDate: null,
  amnestyPeriodEndDate: null,
};
const ON: AnalyticsConfig['amnesty'] = {
  enabled: true,
  evaluationPeriodEndDate: '2026-02-15',
  amnestyPeriodEndDate: '2026-04-30',
};

describe('classification state', () => {
  it('keeps an open row’s block date; flips set or clear it', () => {
    const row = { blockDate: '2026-01-05', amnestyGranted: false };
    expect(blockingOf(condition(), OFF, '2026-03-01', row).blockDate).toBe('2026-01-05');
    expect(blockingOf(condition({ blocking: false }), OFF, '2026-03-01', row).blockDate).toBeNull();
    expect(
      blockingOf(condition(), OFF, '2026-03-01', { blockDate: null, amnestyGranted: false }).blockDate,
    ).toBe('2026-03-11');
  });

  it('amnesty: granted without a block date while evaluating, then blocked on the amnesty end', () => {
    const eligible = condition({ amnestyEligible: true });
    expect(blockingOf(eligible, ON, '2026-02-15', null)).toEqual({ blockDate: null, amnestyGranted: true });
    const granted = { blockDate: null, amnestyGranted: true };
    expect(blockingOf(eligible, ON, '2026-02-16', granted)).toEqual({
      blockDate: '2026-04-30',
      amnestyGranted: true,
    });
    // New matches after the evaluation period are treated normally.
    expect(blockingOf(eligible, ON, '2026-02-16', null)).toEqual({
      blockDate: '2026-02-26',
      amnestyGranted: false,
    });
    // Eligibility re-evaluated: a granted row of a condition no longer eligible gets its grace period.
    expect(blockingOf(condition(), ON, '2026-02-01', granted)).toEqual({
      blockDate: '2026-02-11',
      amnestyGranted: false,
    });
  });

  it('opens, keeps, closes; sticky keeps what no longer matches', () => {
    const open = [
      { rowId: 1, imeiNorm: 'A', blockDate: '2026-01-05', amnestyGranted: false, evidence: 'old' },
      { rowId: 2, imeiNorm: 'B', blockDate: '2026-01-05', amnestyGranted: false, evidence: 'b' },
    ];
    const matches = new Map([
      ['B', 'b'],
      ['C', 'c'],
    ]);
    const plan = planState({ condition: condition(), amnesty: OFF, currDate: '2026-02-01', matches, open });
    expect(plan).toMatchObject({ matched: 2, ends: [1], changes: [] });
    expect(plan.inserts).toEqual([
      { imeiNorm: 'C', blockDate: '2026-02-11', amnestyGranted: false, evidence: 'c' },
    ]);
    const sticky = planState({
      condition: condition({ sticky: true }),
      amnesty: OFF,
      currDate: '2026-02-01',
      matches,
      open,
    });
    expect(sticky).toMatchObject({ matched: 3, ends: [] });
    expect(sticky.open.find((r) => r.imeiNorm === 'A')).toEqual({
      imeiNorm: 'A',
      blockDate: '2026-01-05',
      evidence: 'old',
    });
  });

  it('the safety check refuses more than the ratio, never on an empty network', () => {
    expect(exceedsSafetyRatio(11, 100, 0.1)).toBe(true);
    expect(exceedsSafetyRatio(10, 100, 0.1)).toBe(false);
    expect(exceedsSafetyRatio(5, 0, 0.1)).toBe(false);
  });

  it('maps a condition to a ledger reason', () => {
    const dims = (...modules: [string, boolean][]) =>
      modules.map(([module, invert]) => ({ module, parameters: {}, invert }));
    expect(
      ledgerReasonOf({
        reason: 'x',
        dimensions: dims(['stolen_list', false], ['duplicate_threshold', true]),
      }),
    ).toBe('stolen');
    expect(
      ledgerReasonOf({
        reason: 'x',
        dimensions: dims(['used_by_dirbs_subscriber', false], ['gsma_not_found', false]),
      }),
    ).toBe('invalid-identifier');
    expect(ledgerReasonOf({ reason: 'Fraud', dimensions: dims(['duplicate_threshold', false]) })).toBe(
      'fraud',
    );
    expect(ledgerReasonOf({ reason: 'x', dimensions: dims(['used_by_international_roamer', false]) })).toBe(
      'counterfeit',
    );
    // `monitoring` cannot justify a block: the dimensions decide.
    expect(ledgerReasonOf({ reason: 'monitoring', dimensions: dims(['inconsistent_rat', false]) })).toBe(
      'tampered',
    );
  });
});
