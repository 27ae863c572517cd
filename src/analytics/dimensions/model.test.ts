import { describe, expect, it } from 'vitest';
import type { ImeiNorm } from '../normalise.ts';
import {
  aggregateDailyRows,
  bitCount,
  countryTriplets,
  defaultAnalysisEnd,
  subtractMonths,
  type Triplet,
  windowedBitmask,
  windowOfDays,
  windowOfMonths,
} from './model.ts';

const IMEI = '35209900176148' as ImeiNorm;

function row(firstSeen: string, lastSeen: string, days: number[], operator = 'op1'): Triplet {
  return {
    operator,
    imeiNorm: IMEI,
    imsi: '410010000000001',
    msisdn: '923000000001',
    firstSeen,
    lastSeen,
    dateBitmask: days.reduce((mask, d) => mask | (1 << (d - 1)), 0),
  };
}

describe('calendar-month arithmetic (relativedelta)', () => {
  it.each([
    ['2026-03-31', 1, '2026-02-28'],
    ['2024-03-31', 1, '2024-02-29'],
    ['2026-01-15', 1, '2025-12-15'],
    ['2026-01-31', 13, '2024-12-31'],
    ['2026-05-31', 3, '2026-02-28'],
    ['2026-02-10', 0, '2026-02-10'],
  ])('%s − %i months = %s', (date, months, expected) => {
    expect(subtractMonths(date, months)).toBe(expected);
    expect(windowOfMonths(date, months)).toEqual({ start: expected, end: date });
  });
});

describe('bitmask windows (dirbs-compat.md §3.3)', () => {
  const window = windowOfDays('2026-01-20', 10); // [2026-01-10, 2026-01-20)

  it('keeps every bit of a row inside the window', () => {
    expect(windowedBitmask(row('2026-01-11', '2026-01-15', [11, 15]), window, 'dirbs')).toBe(
      (1 << 10) | (1 << 14),
    );
  });

  it('clears days before the start only for a row first seen before it; the start day stays', () => {
    const mask = windowedBitmask(row('2026-01-02', '2026-01-12', [2, 9, 10, 12]), window, 'dirbs');
    expect(mask).toBe((1 << 9) | (1 << 11));
  });

  it('a row last seen on the end date keeps its end day with dirbs, not with half-open', () => {
    const r = row('2026-01-12', '2026-01-20', [12, 20]);
    expect(windowedBitmask(r, window, 'dirbs')).toBe((1 << 11) | (1 << 19));
    expect(windowedBitmask(r, window, 'half-open')).toBe(1 << 11);
  });

  it('a row last seen after the end loses the end day and later under both settings', () => {
    const r = row('2026-01-12', '2026-01-25', [12, 20, 25]);
    expect(windowedBitmask(r, window, 'dirbs')).toBe(1 << 11);
    expect(windowedBitmask(r, window, 'half-open')).toBe(1 << 11);
  });

  it('a row first seen on the end date is outside under both settings', () => {
    const r = row('2026-01-20', '2026-01-22', [20, 22]);
    expect(windowedBitmask(r, window, 'dirbs')).toBeNull();
    expect(windowedBitmask(r, window, 'half-open')).toBeNull();
  });

  it('a row last seen the day before the start is outside', () => {
    expect(windowedBitmask(row('2026-01-01', '2026-01-09', [1, 9]), window, 'dirbs')).toBeNull();
  });

  it('a row seen before and after a window that holds none of its days keeps an empty mask', () => {
    const r = row('2026-01-02', '2026-01-28', [2, 28]);
    expect(windowedBitmask(r, window, 'dirbs')).toBe(0);
  });

  it('a window across months trims each month by its own edge', () => {
    const across = windowOfDays('2026-02-05', 10); // [2026-01-26, 2026-02-05)
    expect(windowedBitmask(row('2026-01-20', '2026-01-30', [20, 26, 30]), across, 'dirbs')).toBe(
      (1 << 25) | (1 << 29),
    );
    expect(windowedBitmask(row('2026-02-01', '2026-02-09', [1, 5, 9]), across, 'dirbs')).toBe(1 << 0);
  });
});

describe('country triplets', () => {
  it('merges operators before windowing, so the end trim follows the merged last seen', () => {
    const onEnd = row('2026-01-12', '2026-01-20', [12, 20], 'op1');
    const after = row('2026-01-15', '2026-01-25', [15, 25], 'op2');
    const [merged] = countryTriplets([onEnd, after]);
    expect(merged).toMatchObject({ firstSeen: '2026-01-12', lastSeen: '2026-01-25' });
    const window = windowOfDays('2026-01-20', 10);
    // Per operator the end day would survive on op1's row; merged, it does not.
    expect(bitCount(windowedBitmask(onEnd, window, 'dirbs')!)).toBe(2);
    expect(bitCount(windowedBitmask(merged!, window, 'dirbs')!)).toBe(2); // days 12 and 15
    expect(windowedBitmask(merged!, window, 'dirbs')! & (1 << 19)).toBe(0);
  });
});

describe('analysis end date', () => {
  it('is the latest last_seen in the latest month of data, or today', () => {
    expect(defaultAnalysisEnd([], '2026-03-01')).toBe('2026-03-01');
    expect(
      defaultAnalysisEnd(
        [
          row('2026-01-02', '2026-01-31', [2, 31]),
          row('2026-02-01', '2026-02-03', [1, 3]),
          row('2026-02-02', '2026-02-09', [2, 9]),
        ],
        '2026-03-01',
      ),
    ).toBe('2026-02-09');
  });
});

describe('aggregating daily rows', () => {
  it('normalises 14/15/16-digit IMEIs into one key and keeps raw 15-digit texts', () => {
    const { triplets, networkImeis, rawImeis } = aggregateDailyRows([
      {
        operator: 'op1',
        date: '2026-01-03',
        imei: '35209900176148',
        imsi: '410010000000001',
        msisdn: null,
        ratMask: 1 << 12,
      },
      {
        operator: 'op1',
        date: '2026-01-05',
        imei: '352099001761481',
        imsi: '410010000000001',
        msisdn: null,
        ratMask: 1 << 5,
      },
      {
        operator: 'op1',
        date: '2026-01-07',
        imei: '3520990017614823',
        imsi: '410010000000001',
        msisdn: null,
      },
      { operator: 'op1', date: '2026-01-07', imei: '3520990017614a', imsi: null, msisdn: null },
    ]);
    expect(triplets).toHaveLength(2);
    expect(triplets[0]).toMatchObject({
      imeiNorm: '35209900176148',
      firstSeen: '2026-01-03',
      lastSeen: '2026-01-07',
      dateBitmask: (1 << 2) | (1 << 4) | (1 << 6),
    });
    expect(networkImeis.get(IMEI)).toEqual({
      firstSeen: '2026-01-03',
      lastSeen: '2026-01-07',
      seenRatMask: (1 << 12) | (1 << 5),
    });
    expect(networkImeis.has('3520990017614A' as ImeiNorm)).toBe(true);
    expect([...(rawImeis.get(IMEI) ?? [])]).toEqual(['352099001761481']);
  });
});
