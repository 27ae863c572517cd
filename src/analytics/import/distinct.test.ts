/**
 * The daily distinct counter: exact under its budget; past it, the same counts as HyperLogLog
 * sketches fed with every row from the first, though its sketches are filled only at the switch.
 */
import { describe, expect, it } from 'vitest';
import { DailyDistinctCounter } from './distinct.ts';
import { HyperLogLog } from './hll.ts';

function rows(count: number): { date: string; imei: string; imsi: string | null; msisdn: string | null }[] {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push({
      date: `2026-01-${String(1 + (i % 3)).padStart(2, '0')}`,
      imei: `35${String((i * 7919) % 40_000).padStart(12, '0')}`,
      imsi: i % 11 === 0 ? null : `63902${String((i * 104_729) % 30_000).padStart(10, '0')}`,
      msisdn: i % 13 === 0 ? null : `2547${String(i % 25_000).padStart(8, '0')}`,
    });
  }
  return out;
}

describe('daily distinct counts', () => {
  it('counts exactly under the budget', () => {
    const counter = new DailyDistinctCounter(1_000_000);
    const sets = new Map<string, Set<string>>();
    for (const row of rows(30_000)) {
      counter.add(row.date, row);
      const set = sets.get(row.date) ?? new Set();
      set.add(row.imei);
      sets.set(row.date, set);
    }
    const summary = counter.summary();
    expect(summary.method).toBe('exact');
    expect(summary.days.map((d) => d.imei)).toEqual([...sets.keys()].sort().map((k) => sets.get(k)!.size));
  });

  it('past the budget, gives the counts of sketches fed with every row from the first', () => {
    const counter = new DailyDistinctCounter(5_000);
    const reference = new Map<string, Record<'imei' | 'imsi' | 'msisdn', HyperLogLog>>();
    for (const row of rows(60_000)) {
      counter.add(row.date, row);
      const sketches = reference.get(row.date) ?? {
        imei: new HyperLogLog(),
        imsi: new HyperLogLog(),
        msisdn: new HyperLogLog(),
      };
      for (const kind of ['imei', 'imsi', 'msisdn'] as const) {
        const value = row[kind];
        if (value !== null) sketches[kind].add(value);
      }
      reference.set(row.date, sketches);
    }
    const summary = counter.summary();
    expect(summary.method).toBe('hyperloglog');
    expect(summary.days).toEqual(
      [...reference.keys()].sort().map((date) => ({
        date,
        imei: reference.get(date)!.imei.count(),
        imsi: reference.get(date)!.imsi.count(),
        msisdn: reference.get(date)!.msisdn.count(),
      })),
    );
  });
});
