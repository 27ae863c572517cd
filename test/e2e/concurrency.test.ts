/**
 * Acceptance: 8 concurrent clients × 1,000 mixed operations over the API on PostgreSQL. The ledger
 * stays gapless, the projection equals the fold of the ledger, and no request fails.
 */
import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { createTestApp } from '../support/app.ts';

const CLIENTS = 8;
const OPERATIONS = 1_000;
const DEVICES = Array.from({ length: 150 }, (_, i) => `3520990${String(1000000 + i).slice(1)}0`);

/** A small deterministic generator per client, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed * 2654435761 + 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe('8 concurrent clients on PostgreSQL', () => {
  it(`${CLIENTS} × ${OPERATIONS} mixed operations: gapless, consistent, no errors`, async () => {
    const t = await createTestApp('postgres');
    try {
      const statuses = new Map<number, number>();
      const client = async (id: number) => {
        const next = random(id + 1);
        const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
        for (let i = 0; i < OPERATIONS; i++) {
          const device = pick(DEVICES);
          const source = pick(['police', 'owner', 'regulator', `operator:mno-${id}`]);
          const roll = next();
          const [path, body]: [string, unknown] =
            roll < 0.3
              ? [`/api/v1/devices/${device}/block`, { reason: pick(['stolen', 'lost', 'duplicate']), source }]
              : roll < 0.5
                ? [`/api/v1/devices/${device}/unblock`, { source }]
                : roll < 0.65
                  ? [`/api/v1/devices/${device}/track`, { reason: 'monitoring', source }]
                  : roll < 0.75
                    ? [`/api/v1/devices/${device}/untrack`, { source }]
                    : roll < 0.85
                      ? [`/api/v1/devices/${device}/allow`, { reason: 'registered', source }]
                      : roll < 0.93
                        ? [
                            `/api/v1/devices/${device}/pair`,
                            { imsi: `00101000000${String(id).padStart(4, '0')}`, source },
                          ]
                        : [
                            `/api/v1/devices/${device}/unpair`,
                            { imsi: `00101000000${String(id).padStart(4, '0')}`, source },
                          ];
          const response = await t.call(path, { method: 'POST', json: body });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          await response.arrayBuffer();
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${CLIENTS * OPERATIONS} operations in ${seconds.toFixed(1)} s (${Math.round((CLIENTS * OPERATIONS) / seconds)}/s)`,
      );

      expect(Object.fromEntries(statuses)).toEqual({ 200: CLIENTS * OPERATIONS });
      const report = await verifyLedger(t.context.store.db);
      expect(report.problems).toEqual([]);
      expect(report.entries).toBe(CLIENTS * OPERATIONS);
      expect(report.heads).toBe(CLIENTS * OPERATIONS + 1);
    } finally {
      await t.dispose();
    }
  }, 300_000);
});
