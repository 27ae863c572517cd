/** The audit's pure parts: DIRBS age buckets of blacklist violations (dirbs-compat.md), the text report. */
import { describe, expect, it } from 'vitest';
import { AGE_BUCKETS, type AuditReport, ageBucket, auditText } from './audit.ts';

describe('audit', () => {
  it('buckets days between block date and last seen as DIRBS does', () => {
    const cases: [number, string | null][] = [
      [0, null],
      [-3, null],
      [1, '1-2'],
      [2, '1-2'],
      [3, '3-5'],
      [5, '3-5'],
      [6, '6-10'],
      [10, '6-10'],
      [11, '11-20'],
      [20, '11-20'],
      [21, '21-30'],
      [30, '21-30'],
      [31, '31-90'],
      [90, '31-90'],
      [91, '90+'],
      [4000, '90+'],
    ];
    for (const [days, bucket] of cases) expect([days, ageBucket(days)]).toEqual([days, bucket]);
  });

  it('prints one line per operator and the details of each violation', () => {
    const byAge = Object.fromEntries(AGE_BUCKETS.map((b) => [b, b === '1-2' ? 1 : 0])) as Record<
      (typeof AGE_BUCKETS)[number],
      number
    >;
    const report: AuditReport = {
      at: '2026-01-01T00:00:00.000Z',
      head: 10,
      sample: 5,
      violations: 3,
      operators: [
        {
          operator: 'alpha',
          violations: 3,
          freshness: {
            acknowledgedPosition: 4,
            head: 10,
            entriesBehind: 6,
            oldestUnacknowledgedAt: '2025-12-31T00:00:00.000Z',
            ageMs: 86_400_000,
            violation: true,
          },
          checks: {
            endpoint: 'http://127.0.0.1:1',
            skipped: null,
            sampled: { blocked: 1, tracked: 0, other: 0 },
            correct: 0,
            wrong: [
              {
                deviceKey: '35209900000001',
                list: 'blocked',
                expected: 'blocked',
                answered: 'error',
                error: 'no answer within 5000 ms',
              },
            ],
            violation: true,
          },
          network: {
            skipped: null,
            seenAfterBlock: 1,
            byAge,
            examples: [
              { deviceKey: '35209900000002', blockedOn: '2025-12-01', lastSeen: '2025-12-03', days: 2 },
            ],
            violation: true,
          },
        },
      ],
    };
    const text = auditText(report);
    expect(text).toMatch(/^alpha\s+4\s+6\s+24\.0\s+1\s+1\s+1\s+VIOLATIONS 3$/m);
    expect(text).toContain('list not fresh: first unacknowledged change of 2025-12-31T00:00:00.000Z');
    expect(text).toContain(
      '35209900000001 (blocked): expected blocked, EIR answered error (no answer within 5000 ms)',
    );
    expect(text).toContain('35209900000002 blocked 2025-12-01, last seen 2025-12-03 (2 days)');
    expect(text.endsWith('3 violations found\n')).toBe(true);
  });
});
