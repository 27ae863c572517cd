/** The registry's own prune timer on PGlite: it runs, runs again, and stops after the run in flight. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PruneReport } from '../../src/privacy/retention.ts';
import { startDailyPrune } from '../../src/privacy/schedule.ts';
import { query } from '../../src/store/index.ts';
import { createTestStore, type TestStore } from '../support/stores.ts';

const PERIODS = { sightingsDays: 30, closedCasesDays: 730, accessLogDays: 730 };

async function seedSighting(t: TestStore, id: string, daysOld: number): Promise<void> {
  await t.store.db.execute(sql`
    insert into sighting (id, time, equipment, status, matched, reasons, protocol, node)
    values (${id}, now() - make_interval(days => ${daysOld}), '356938035643809', 'blocked', 'device', '{}', 'rest', 'n1')`);
}

describe('daily prune', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore('pglite');
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('prunes on its first run and on the next, and stops', async () => {
    await seedSighting(t, 'old-1', 40);
    await seedSighting(t, 'new-1', 1);
    const reports: PruneReport[] = [];
    const errors: unknown[] = [];
    const daily = startDailyPrune(t.store.db, PERIODS, {
      firstDelayMs: 0,
      intervalMs: 100,
      onDone: (report) => reports.push(report),
      onError: (error) => errors.push(error),
    });
    for (let i = 0; i < 100 && reports.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(reports[0]?.sightingsDeleted).toBe(1);
    await seedSighting(t, 'old-2', 90);
    for (let i = 0; i < 100 && !reports.some((r) => r.sightingsDeleted === 1 && r !== reports[0]); i++)
      await new Promise((r) => setTimeout(r, 50));
    await daily.stop();
    const runs = reports.length;
    expect(errors).toEqual([]);
    expect(reports.filter((r) => r.sightingsDeleted === 1)).toHaveLength(2);
    const left = await query<{ id: string }>(t.store.db, sql`select id from sighting`);
    expect(left.map((r) => r.id)).toEqual(['new-1']);
    await new Promise((r) => setTimeout(r, 300));
    expect(reports).toHaveLength(runs);
  });
});
