/**
 * The prune job on both engines (PGlite, PostgreSQL): sightings, ended cases and access-log rows of known
 * ages, exact counts before and after, a dry run that changes nothing, small batches, a bounded run that
 * says it is incomplete, and a second run with nothing left to do.
 */
import { type SQL, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { PRUNE_ACTOR, prune } from '../../src/privacy/retention.ts';
import { query, type Store } from '../../src/store/index.ts';
import { describeStores } from '../support/stores.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const PERIODS = { sightingsDays: 365, closedCasesDays: 730, accessLogDays: 730 };

async function n(store: Store, statement: SQL): Promise<number> {
  const [row] = await query<{ n: number }>(store.db, statement);
  return row?.n ?? -1;
}

async function seedCase(
  store: Store,
  reference: string,
  state: string,
  endedDaysAgo: number,
): Promise<string> {
  const [row] = await query<{ id: string }>(
    store.db,
    sql`insert into case_report (reference, kind, state, mode, channel, source, entered_by,
          reporter_name, reporter_phone, reporter_email, last_msisdn, updated_at)
        values (${reference}, 'stolen', ${state}, 'block', 'portal', 'owner', 'public',
          ${`Name ${reference}`}, '+254700000001', 'someone@example.org', '+254700000002',
          ${daysAgo(endedDaysAgo)}::timestamptz)
        returning id`,
  );
  const id = row!.id;
  await store.db.execute(sql`
    insert into case_device (case_id, device_key, imei, open)
    values (${id}::uuid, ${`3569380356438${reference.slice(-1)}`}, '356938035643809', ${state === 'blocked'})`);
  await store.db.execute(sql`
    insert into alert (case_id, device_key, state, sim_key, imsi, msisdn, location, first_seen_at,
      last_seen_at, last_sighting_id)
    values (${id}::uuid, 'k', 'closed', '639020000000001', '639020000000001', '254700000003', 'cell 1',
      now(), now(), ${`s-${reference}`})`);
  await store.db.execute(sql`
    insert into appeal (reference, device_key, imei, case_id, ground, statement, appellant_name,
      appellant_phone, appellant_email, channel, state, deadline)
    values (${`A-${reference}`}, 'k', '356938035643809', ${id}::uuid, 'other', 'mine', 'Appellant',
      '+254700000004', 'appellant@example.org', 'portal', 'upheld', now())`);
  await store.db.execute(sql`
    insert into outbox ("to", text, kind, case_id, state) values ('254700000001', 'blocked', 'blocked', ${id}::uuid, 'sent')`);
  await store.db.execute(sql`
    insert into verification_code (case_id, code_hash, phone, expires_at)
    values (${id}::uuid, 'h', '254700000001', now())`);
  await store.db.execute(sql`
    insert into case_event (case_id, actor, from_state, to_state) values (${id}::uuid, 'public', null, 'submitted')`);
  return id;
}

async function seedSighting(store: Store, id: string, age: number): Promise<void> {
  await store.db.execute(sql`
    insert into sighting (id, time, device_key, equipment, imsi, msisdn, status, matched, reasons, protocol, node)
    values (${id}, ${daysAgo(age)}::timestamptz, 'k', '356938035643809', '639020000000001', '254700000003',
      'blocked', 'device', '{stolen}', 'rest', 'n1')`);
}

async function seedRead(store: Store, age: number): Promise<void> {
  await store.db.execute(sql`
    insert into access_log (at, actor, role, organisation, subject_kind, subject_id, fields, why)
    values (${daysAgo(age)}::timestamptz, 'officer', 'police', null, 'case', 'C-1', '{reporter-phone}', 'test')`);
}

describeStores('privacy prune', (getStore) => {
  let store: Store;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    store = getStore();
    // Sightings: 5 older than a year (one an open alert refers to), 3 recent.
    for (const [id, age] of [
      ['old-1', 400],
      ['old-2', 500],
      ['old-3', 366],
      ['old-4', 900],
      ['old-kept', 800],
      ['new-1', 10],
      ['new-2', 364],
      ['new-3', 0],
    ] as const)
      await seedSighting(store, id, age);
    // Cases: two ended long ago, one ended recently, one still open though old.
    ids.closed = await seedCase(store, 'C-OLD1-0001', 'closed', 800);
    ids.withdrawn = await seedCase(store, 'C-OLD2-0002', 'withdrawn', 731);
    ids.recent = await seedCase(store, 'C-NEW1-0003', 'rejected', 100);
    ids.open = await seedCase(store, 'C-OPEN-0004', 'blocked', 900);
    await store.db.execute(sql`
      insert into alert (case_id, device_key, state, sim_key, imsi, first_seen_at, last_seen_at, last_sighting_id)
      values (${ids.open}::uuid, 'k', 'new', 'sim-open', '639020000000009', now(), now(), 'old-kept')`);
    // Access log: 3 rows older than two years, 2 recent.
    for (const age of [731, 800, 1500, 729, 1]) await seedRead(store, age);
  }, 60_000);

  it('a dry run counts what would go and changes nothing', async () => {
    const report = await prune(store.db, PERIODS, { now: NOW, dryRun: true });
    expect(report).toMatchObject({ dryRun: true, sightingsDeleted: 4, casesBlanked: 2, accessLogDeleted: 3 });
    expect(await n(store, sql`select count(*)::int as n from sighting`)).toBe(8);
    expect(await n(store, sql`select count(*)::int as n from access_log`)).toBe(5);
    expect(
      await n(store, sql`select count(*)::int as n from case_report where reporter_phone is not null`),
    ).toBe(4);
  });

  it('a bounded run stops after its batches and says so', async () => {
    const report = await prune(store.db, PERIODS, { now: NOW, batchSize: 1, maxBatches: 1 });
    expect(report).toMatchObject({
      sightingsDeleted: 1,
      casesBlanked: 1,
      accessLogDeleted: 1,
      incomplete: true,
    });
  });

  it('prunes the rest in small batches, with exact counts before and after', async () => {
    const eventsBefore = await n(store, sql`select count(*)::int as n from case_event`);
    const report = await prune(store.db, PERIODS, { now: NOW, batchSize: 2 });
    expect(report).toMatchObject({
      sightingsDeleted: 3,
      casesBlanked: 1,
      accessLogDeleted: 2,
      incomplete: false,
    });

    // Sightings: the 3 recent and the one an open alert refers to.
    const left = await query<{ id: string }>(store.db, sql`select id from sighting order by id`);
    expect(left.map((r) => r.id)).toEqual(['new-1', 'new-2', 'new-3', 'old-kept']);

    // Cases: all four stay, with devices; the two ended long ago lost every personal field.
    expect(await n(store, sql`select count(*)::int as n from case_report`)).toBe(4);
    expect(await n(store, sql`select count(*)::int as n from case_device`)).toBe(4);
    const blanked = await query<Record<string, unknown>>(
      store.db,
      sql`select reference, reporter_name, reporter_phone, reporter_email, last_msisdn from case_report
          where id in (${ids.closed}::uuid, ${ids.withdrawn}::uuid)`,
    );
    for (const row of blanked)
      expect(row).toEqual({
        ...row,
        reporter_name: null,
        reporter_phone: null,
        reporter_email: null,
        last_msisdn: null,
      });
    const kept = sql`(${ids.recent}::uuid, ${ids.open}::uuid)`;
    expect(
      await n(
        store,
        sql`select count(*)::int as n from case_report where id in ${kept} and reporter_phone is not null`,
      ),
    ).toBe(2);
    expect(await n(store, sql`select count(*)::int as n from alert where imsi is not null`)).toBe(3);
    expect(await n(store, sql`select count(*)::int as n from alert where sim_key like 'pruned:%'`)).toBe(2);
    expect(await n(store, sql`select count(*)::int as n from appeal where appellant_phone is null`)).toBe(2);
    expect(await n(store, sql`select count(*)::int as n from verification_code`)).toBe(2);
    expect(await n(store, sql`select count(*)::int as n from outbox`)).toBe(2);
    // One prune event per blanked case (one written by the bounded run), nothing else removed.
    expect(await n(store, sql`select count(*)::int as n from case_event`)).toBe(eventsBefore + 1);
    expect(await n(store, sql`select count(*)::int as n from case_event where actor = ${PRUNE_ACTOR}`)).toBe(
      2,
    );

    // Access log: the 2 recent rows; deleting them by hand is still refused.
    expect(await n(store, sql`select count(*)::int as n from access_log`)).toBe(2);
    await expect(store.db.execute(sql`delete from access_log`)).rejects.toThrow();
    await expect(store.db.execute(sql`update access_log set why = 'x'`)).rejects.toThrow();
  });

  it('a second run has nothing left to do', async () => {
    const report = await prune(store.db, PERIODS, { now: NOW });
    expect(report).toMatchObject({
      sightingsDeleted: 0,
      casesBlanked: 0,
      accessLogDeleted: 0,
      incomplete: false,
    });
  });

  it('refuses a period under one day, naming the setting', async () => {
    await expect(prune(store.db, { ...PERIODS, sightingsDays: 0 }, { now: NOW })).rejects.toThrow(
      /retention.sightings_days must be a whole number of days, 1 or more/,
    );
  });
});
