import { describe, expect, it } from 'vitest';
import { runDimension } from './dimension.ts';
import { context, datasetOf, imei, seen } from './fixtures.ts';
import { usedByDirbsSubscriber } from './used_by_dirbs_subscriber.ts';
import { usedByInternationalRoamer } from './used_by_international_roamer.ts';
import { usedByLocalNonDirbsRoamer } from './used_by_local_non_dirbs_roamer.ts';

// Region: MCC 410, operators 410-01 and 410-03. Window [2026-01-01, 2026-01-11).
const HOME = '35000000000001';
const LOCAL = '35000000000002';
const FOREIGN = '35000000000003';
const LATE = '35000000000004';
const NONE = '35000000000005';
const dataset = datasetOf([
  ...seen('op1', HOME, '410030000000001', null, ['2026-01-01']),
  ...seen('op1', LOCAL, '410060000000001', null, ['2026-01-10', '2026-01-11']),
  ...seen('op2', FOREIGN, '310260000000001', null, ['2026-01-05']),
  ...seen('op1', LATE, '310260000000002', null, ['2026-01-11']), // first seen on the end date: out
  ...seen('op1', NONE, null, null, ['2026-01-05']), // no IMSI: never matches
]);
const ctx = context('2026-01-11');

function keys(result: ReturnType<typeof runDimension>): string[] {
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return [...result.value.keys()].sort();
}

describe('subscriber-origin dimensions', () => {
  it('used_by_dirbs_subscriber: an IMSI of a configured MCC+MNC', () => {
    const r = runDimension(usedByDirbsSubscriber, dataset, { lookback_days: 10 }, ctx);
    expect(keys(r)).toEqual([HOME]);
    expect(r.ok && r.value.get(imei(HOME))).toBe(
      "seen with 1 IMSI of the region's operators (41001, 41003) from 2026-01-01 up to 2026-01-11",
    );
  });

  it('used_by_international_roamer: an IMSI whose MCC is not configured', () => {
    expect(keys(runDimension(usedByInternationalRoamer, dataset, { lookback_days: 10 }, ctx))).toEqual([
      FOREIGN,
    ]);
    expect(
      keys(runDimension(usedByInternationalRoamer, dataset, { lookback_days: 10 }, context('2026-01-12'))),
    ).toEqual([FOREIGN, LATE]);
  });

  it('used_by_local_non_dirbs_roamer: a configured MCC with an unconfigured MNC; the end date edge does not move it', () => {
    expect(keys(runDimension(usedByLocalNonDirbsRoamer, dataset, { lookback_days: 10 }, ctx))).toEqual([
      LOCAL,
    ]);
    const halfOpen = context('2026-01-11', { windowEnd: 'half-open' });
    expect(keys(runDimension(usedByLocalNonDirbsRoamer, dataset, { lookback_days: 10 }, halfOpen))).toEqual([
      LOCAL,
    ]);
    expect(keys(runDimension(usedByLocalNonDirbsRoamer, dataset, { lookback_days: 0 }, ctx))).toEqual([
      LOCAL,
    ]);
  });

  it('lookback_days is required', () => {
    expect(usedByDirbsSubscriber.parameters.validate({})).toMatchObject({
      ok: false,
      errors: [{ field: 'lookback_days', rule: 'required' }],
    });
  });
});
