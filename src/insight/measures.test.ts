/** Measures: query parsing (pure) and every measure's SQL running on an empty database of each engine. */
import { describe, expect, it } from 'vitest';
import { describeStores } from '../../test/support/stores.ts';
import { computeMeasure, InsightInputError, MEASURE_NAMES, MEASURES, parseMeasureQuery } from './measures.ts';
import { bucketEnds, bucketOf, parseMonth } from './period.ts';

describe('measure queries (pure)', () => {
  it('errors name the field and the rule', () => {
    const bad = (input: Record<string, unknown>, field: string, rule: RegExp) => {
      try {
        parseMeasureQuery(input);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InsightInputError);
        expect((error as InsightInputError).field).toBe(field);
        expect((error as InsightInputError).message).toMatch(rule);
      }
    };
    bad({ from: '2026-1-01', to: '2026-01-31' }, 'from', /YYYY-MM-DD/);
    bad({ from: '2026-02-30', to: '2026-03-01' }, 'from', /not a calendar date/);
    bad({ from: '2026-03-01', to: '2026-02-01' }, 'to', /not be before from/);
    bad({ from: '2000-01-01', to: '2026-02-01' }, 'to', /at most 3660 days/);
    bad({ from: '2026-01-01', to: '2026-02-01', by: 'colour' }, 'by', /one of operator/);
    bad({ from: '2026-01-01', to: '2026-02-01', granularity: 'year' }, 'granularity', /one of day/);
    expect(parseMeasureQuery({ from: '2026-01-01', to: '2026-01-31', by: 'reason' })).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      granularity: 'period',
      by: 'reason',
      operator: null,
    });
  });

  it('buckets: ISO weeks start on Monday, months on the 1st, ends clip to the range', () => {
    expect(bucketOf(new Date('2026-03-01T12:00:00Z'), 'week', '2026-01-01')).toBe('2026-02-23');
    expect(bucketOf(new Date('2026-03-31T23:59:59Z'), 'month', '2026-01-01')).toBe('2026-03-01');
    expect(parseMonth('month', '2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(bucketEnds('2026-01-15', '2026-02-10', 'month')).toEqual([
      { bucket: '2026-01-01', end: new Date('2026-02-01T00:00:00Z') },
      { bucket: '2026-02-01', end: new Date('2026-02-11T00:00:00Z') },
    ]);
  });

  it('every measure is described', () => {
    expect(MEASURES.map((m) => m.name)).toEqual([...MEASURE_NAMES]);
  });
});

describeStores('measures on an empty registry', (store) => {
  it('every measure runs with every granularity and breakdown and finds nothing', async () => {
    for (const m of MEASURES) {
      for (const granularity of ['day', 'week', 'month', 'period'] as const) {
        for (const by of [null, ...m.dimensions]) {
          const q = { from: '2026-01-01', to: '2026-01-10', granularity, by };
          const result = await computeMeasure(store().db, m.name, q);
          expect(result.rows, `${m.name} ${granularity} ${by}`).toEqual([]);
        }
      }
    }
  }, 120_000);
});
