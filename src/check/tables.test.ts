import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceTableBuilder } from './tables.ts';

const SET = [{ status: 'blocked', reason: 'stolen', source: 'police', list: null }] as const;

describe('device table', () => {
  it('property: finds exactly the keys it holds, however the serials of a TAC are spread', () => {
    // Serials drawn evenly, in tight clusters, or at the ends of the range: the interpolation steps
    // must never skip a key nor find one that is not there.
    const serial = fc.oneof(
      fc.integer({ min: 0, max: 999_999 }),
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 999_950, max: 999_999 }),
      fc.integer({ min: 500_000, max: 500_200 }),
    );
    const tac = fc.constantFrom(35209900, 1234567, 86123456, 99999999);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(tac, serial), { maxLength: 400 }),
        fc.array(fc.tuple(tac, serial)),
        (rows, probes) => {
          const keys = [...new Set(rows.map(([t, s]) => t * 1e6 + s))].sort((a, b) => a - b);
          const builder = new DeviceTableBuilder();
          const id = builder.setId(SET);
          for (const [i, key] of keys.entries()) builder.add(key, id, i % 1000);
          const table = builder.build();
          const held = new Set(keys);
          for (const key of keys) {
            const i = table.find(key);
            expect(i).toBeGreaterThanOrEqual(0);
            expect(table.snrs[i]).toBe(key % 1e6);
          }
          for (const [t, s] of probes) {
            const key = t * 1e6 + s;
            expect(table.find(key) >= 0).toBe(held.has(key));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('holds a device in 8 bytes', () => {
    const builder = new DeviceTableBuilder();
    const id = builder.setId(SET);
    for (let i = 0; i < 100_000; i++) builder.add(35209900_000000 + i * 7, id, 20000);
    expect(builder.build().bytesPerDevice()).toBeLessThan(8.01);
  });
});
