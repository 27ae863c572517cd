/**
 * Re-sealing on both engines (PGlite, PostgreSQL): rows written in clear before sealing (as an older
 * version wrote them) are sealed under the current key, alerts' SIM keys follow their IMSI/MSISDN, a
 * second run finds nothing, a key rotation moves every value, a value under an unknown key is counted and
 * left, and a bounded run says it is incomplete.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { SEALED_TABLES } from '../../src/privacy/columns.ts';
import { reseal } from '../../src/privacy/reseal.ts';
import { isSealed, Sealer } from '../../src/privacy/seal.ts';
import { query, type Store } from '../../src/store/index.ts';
import { describeStores } from '../support/stores.ts';

const FIRST = Buffer.alloc(32, 1);
const SECOND = Buffer.alloc(32, 2);
const STRANGER = Buffer.alloc(32, 3);
const PLANTED = ['Planted Owner', '+254711000001', 'planted@example.org', '+254711000002', '639021234500001'];

async function seed(store: Store, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const [row] = await query<{ id: string }>(
      store.db,
      sql`insert into case_report (reference, kind, state, mode, channel, source, entered_by,
            reporter_name, reporter_phone, reporter_email, last_msisdn)
          values (${`C-RSL-${i}`}, 'stolen', 'blocked', 'block', 'portal', 'owner', 'public',
            'Planted Owner', '+254711000001', 'planted@example.org', '+254711000002')
          returning id`,
    );
    const id = row!.id;
    ids.push(id);
    await store.db.execute(sql`
      insert into alert (case_id, device_key, state, sim_key, imsi, msisdn, first_seen_at, last_seen_at, last_sighting_id)
      values (${id}::uuid, 'k', 'new', '639021234500001', '639021234500001', '254711000003', now(), now(), ${`s-${i}`}),
             (${id}::uuid, 'k', 'new', 'msisdn:254711000004', null, '254711000004', now(), now(), ${`t-${i}`})`);
    await store.db.execute(sql`
      insert into appeal (reference, device_key, imei, case_id, ground, statement, appellant_name,
        appellant_phone, appellant_email, channel, state, deadline)
      values (${`A-RSL-${i}`}, 'k', '356938035643809', ${id}::uuid, 'other', 'mine', 'Planted Owner',
        '+254711000001', 'planted@example.org', 'portal', 'open', now())`);
    await store.db.execute(sql`
      insert into outbox ("to", text, kind, case_id) values ('+254711000001', 'blocked', 'blocked', ${id}::uuid)`);
    await store.db.execute(sql`
      insert into verification_code (case_id, code_hash, phone, expires_at)
      values (${id}::uuid, 'h', '+254711000001', now())`);
    await store.db.execute(sql`
      insert into sighting (id, time, device_key, equipment, imsi, msisdn, status, matched, reasons, protocol, node)
      values (${`sig-${i}`}, now(), 'k', '356938035643809', '639021234500001', '254711000003',
        'blocked', 'device', '{stolen}', 'rest', 'n1')`);
  }
  return ids;
}

/** Every stored value of every sealed column, with its table and field. */
async function values(store: Store) {
  const out: { table: string; column: string; field: string; value: string }[] = [];
  for (const table of SEALED_TABLES) {
    for (const column of table.columns) {
      const rows = await query<{ v: string | null }>(
        store.db,
        sql`select ${sql.identifier(column.column)} as v from ${sql.identifier(table.table)}`,
      );
      for (const row of rows)
        if (row.v !== null)
          out.push({ table: table.table, column: column.column, field: column.field, value: row.v });
    }
  }
  return out;
}

describeStores('privacy reseal', (getStore) => {
  let store: Store;

  beforeAll(async () => {
    store = getStore();
    await seed(store, 7);
  });

  it('counts what it would seal in a dry run, and changes nothing', async () => {
    const before = await values(store);
    const report = await reseal(store.db, new Sealer(FIRST), { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(Object.fromEntries(report.tables.map((t) => [t.table, t.rows]))).toEqual({
      case_report: 7,
      verification_code: 7,
      appeal: 7,
      outbox: 7,
      sighting: 7,
      alert: 14,
    });
    expect(await values(store)).toEqual(before);
  });

  it('stops after maxBatches and says so; the next run goes on', async () => {
    const report = await reseal(store.db, new Sealer(FIRST), { batchSize: 2, maxBatches: 1 });
    expect(report.incomplete).toBe(true);
    expect(report.tables.find((t) => t.table === 'case_report')!.rows).toBe(2);
  });

  it('seals every value written in clear; nothing planted is left readable; alerts keep their SIM keys in step', async () => {
    const sealer = new Sealer(FIRST);
    const report = await reseal(store.db, sealer, { batchSize: 3 });
    expect(report.incomplete).toBe(false);
    const stored = await values(store);
    expect(stored.length).toBe(7 * 4 + 7 + 7 * 3 + 7 + 7 * 2 + 7 * 3);
    for (const { table, column, field, value } of stored) {
      expect(isSealed(value), `${table}.${column}`).toBe(true);
      for (const planted of PLANTED) expect(value).not.toContain(planted.replace(/^\+/, ''));
      expect([...PLANTED, '254711000003', '254711000004', '+254711000001']).toContain(
        sealer.open(field, value),
      );
    }
    // The sighting's sealed IMSI equals the alert's, and the alert's SIM key is that sealed IMSI.
    const [joined] = await query<{ n: number | string }>(
      store.db,
      sql`select count(*) as n from alert a join sighting s on s.imsi = a.imsi where a.sim_key = a.imsi`,
    );
    expect(Number(joined!.n)).toBe(7 * 7);
    const msisdnKeys = await query<{ sim_key: string; msisdn: string }>(
      store.db,
      sql`select sim_key, msisdn from alert where imsi is null`,
    );
    for (const row of msisdnKeys) expect(row.sim_key).toBe(`msisdn:${row.msisdn}`);
    expect(sealer.open('msisdn', msisdnKeys[0]!.msisdn)).toBe('254711000004');
    const again = await reseal(store.db, sealer);
    expect(again.tables.every((t) => t.rows === 0 && t.unreadable === 0)).toBe(true);
  });

  it('moves every value to a new key after a rotation, and counts values under a key it does not hold', async () => {
    const unknown = new Sealer(STRANGER);
    const [sighting] = await query<{ id: string }>(
      store.db,
      sql`select id from sighting order by id limit 1`,
    );
    await store.db.execute(
      sql`update sighting set msisdn = ${unknown.sealEqual('msisdn', '254799999999')} where id = ${sighting!.id}`,
    );
    const rotated = new Sealer(SECOND, [FIRST]);
    const report = await reseal(store.db, rotated);
    expect(report.keyId).toBe(rotated.keyId);
    expect(report.tables.find((t) => t.table === 'case_report')!.rows).toBe(7);
    expect(report.tables.find((t) => t.table === 'sighting')).toEqual({
      table: 'sighting',
      rows: 7,
      unreadable: 1,
    });
    for (const { value, field } of await values(store)) {
      if (value.startsWith(`d1.${unknown.keyId}.`)) continue;
      expect(rotated.isStale(value)).toBe(false);
      expect(() => new Sealer(SECOND).open(field, value)).not.toThrow();
    }
    const [joined] = await query<{ n: number | string }>(
      store.db,
      sql`select count(*) as n from alert a join sighting s on s.imsi = a.imsi where a.sim_key = a.imsi`,
    );
    expect(Number(joined!.n)).toBe(7 * 7);
  });

  it('keeps two open alerts of one SIM apart when one was raised after sealing began', async () => {
    const sealer = new Sealer(SECOND);
    const [first] = await query<{ id: string }>(
      store.db,
      sql`select case_id::text as id from alert where imsi is not null order by id limit 1`,
    );
    await store.db.execute(sql`
      insert into alert (case_id, device_key, state, sim_key, imsi, msisdn, first_seen_at, last_seen_at, last_sighting_id)
      values (${first!.id}::uuid, 'k', 'new', '639021234599999', '639021234599999', null, now(), now(), 'u-1'),
             (${first!.id}::uuid, 'k', 'new', ${sealer.sealEqual('imsi', '639021234599999')},
              ${sealer.sealEqual('imsi', '639021234599999')}, null, now(), now(), 'u-2')`);
    await reseal(store.db, sealer);
    const rows = await query<{ sim_key: string; imsi: string }>(
      store.db,
      sql`select sim_key, imsi from alert where last_sighting_id in ('u-1', 'u-2') order by last_sighting_id`,
    );
    expect(rows[0]!.imsi).toBe(rows[1]!.imsi);
    expect(rows[1]!.sim_key).toBe(rows[1]!.imsi);
    expect(rows[0]!.sim_key).toMatch(new RegExp(`^${rows[1]!.imsi.replace(/[.]/g, '\\.')}#`));
  });
});
