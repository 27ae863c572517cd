import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryPairs } from './server.ts';

describe('N5g-eir query', () => {
  it('property: reads every query as URLSearchParams does', () => {
    const text = fc.stringMatching(/^[a-z0-9=&%+?._~-]{0,40}$/);
    fc.assert(
      fc.property(text, (query) => {
        expect([...queryPairs(query)]).toEqual([...new URLSearchParams(query)]);
      }),
      { numRuns: 5000 },
    );
    expect([...queryPairs('pei=imei-1&&supi=&x')]).toEqual([
      ['pei', 'imei-1'],
      ['supi', ''],
      ['x', ''],
    ]);
  });
});
