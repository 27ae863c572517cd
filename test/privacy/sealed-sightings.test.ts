/**
 * IMSI and MSISDN of sightings and police alerts sealed at rest, on PostgreSQL with real HTTP on loopback.
 * Sightings stored by the registry's own recorder (REST checks with an IMSI) and sent by a check node
 * (POST /api/v1/sightings with a follower key) raise alerts for an open case: the raw rows hold no plain
 * IMSI or MSISDN, equal SIMs still make one alert, distinct counts are those of the plain values, and the
 * REST API, the console and a device's sightings show the plain values. Sightings and an open alert written
 * in clear before sealing was turned on still read, and join the sealed sightings of the same SIM.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoAccounts } from '../../src/accounts/demo.ts';
import { IMSI_FIELD } from '../../src/privacy/columns.ts';
import { isSealed, Sealer } from '../../src/privacy/seal.ts';
import { type Executor, query } from '../../src/store/index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const IMEI_1 = '490154203237518';
const IMEI_2 = '356938035643809';
const IMSI_A = '639027700000101';
const IMSI_B = '639027700000202';
const MSISDN_B = '254733900202';
const MSISDN_C = '254733900303';
const IMSI_OLD = '639027700000404';
const IMSI_LATE = '639027700000505';
const IMSI_LOST_KEY = '639027700000606';
const IMSI_AFTER = '639027700000707';
const PLAIN = [IMSI_A, IMSI_B, MSISDN_B, MSISDN_C];
const PASSWORD = 'sealed sightings test passphrase';

interface AlertView {
  id: string;
  imsi: string | null;
  msisdn: string | null;
  sightings: number;
  caseReference: string;
}

describe('sightings and alerts sealed at rest [postgres]', () => {
  let t: TestApp;
  let police: string;
  let follower: string;
  let session: string;
  let reference: string;

  const as = (key: string, path: string, init: RequestInit & { json?: unknown } = {}) =>
    t.call(path, { ...init, auth: false, headers: { authorization: `Bearer ${key}` } });
  const alerts = async () =>
    ((await (await as(police, '/api/v1/alerts?state=open')).json()) as { alerts: AlertView[] }).alerts;
  const bySim = (list: AlertView[]) =>
    list.map((a) => [a.imsi, a.msisdn, a.sightings]).sort((x, y) => String(x).localeCompare(String(y)));
  const sighting = (id: string, imei: string, imsi: string | null, msisdn: string | null) => ({
    id,
    time: new Date().toISOString(),
    deviceKey: imei.slice(0, 14),
    equipment: `imeisv-${imei.slice(0, 14)}01`,
    svn: '01',
    imsi,
    msisdn,
    status: 'blocked',
    matched: 'device',
    reasons: ['stolen'],
    protocol: 'n5g-eir',
    node: 'check-node-1',
    peer: 'amf.alpha',
    network: 'alpha',
    location: 'cell 639-02-1021-4411',
  });
  /** Inserts a sighting as a registry before sealing stored it: IMSI in clear. */
  const insertClear = (db: Executor, id: string, imei: string, imsi: string) =>
    db.execute(sql`
      insert into sighting (id, time, device_key, equipment, imsi, status, matched, reasons, protocol, node, network)
      values (${id}, now(), ${imei.slice(0, 14)}, 'legacy', ${imsi}, 'blocked', 'device', '{stolen}', 's13', 'old', 'alpha')`);

  beforeAll(async () => {
    t = await createTestApp('postgres', { sightings: true });
    await seedDemoAccounts(t.context.store, t.accounts);
    police = (await t.accounts.createApiKey('police-capital', 'police', 'capital records system')).key;
    follower = (await t.accounts.createApiKey('regulator', 'follower', 'check node 1')).key;
    await t.accounts.addUser({
      username: 'officer',
      displayName: 'Officer',
      role: 'police',
      organisationId: 'police-capital',
      password: PASSWORD,
    });
    const login = await t.call('/console/login', {
      auth: false,
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'officer', password: PASSWORD }).toString(),
    });
    expect(login.status).toBe(303);
    session = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('openceir_session='))!
      .split(';')[0]!;
    const opened = await as(police, '/api/v1/cases', {
      method: 'POST',
      json: {
        imeis: [IMEI_1, IMEI_2],
        kind: 'stolen',
        policeReportNumber: 'CP-77',
        reporterPhone: '+254712000777',
      },
    });
    expect(opened.status).toBe(201);
    reference = ((await opened.json()) as { case: { reference: string } }).case.reference;
    await t.caughtUp();
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('stores sightings from the recorder and from a check node sealed; one SIM still makes one alert', async () => {
    for (let i = 0; i < 2; i++)
      expect((await t.call(`/api/v1/devices/${IMEI_1}/status?imsi=${IMSI_A}`)).status).toBe(200);
    await t.shipSightings();
    const sent = await as(follower, '/api/v1/sightings', {
      method: 'POST',
      json: {
        sightings: [
          sighting('node1-1', IMEI_2, IMSI_B, MSISDN_B),
          sighting('node1-2', IMEI_2, IMSI_B, MSISDN_B),
          sighting('node1-3', IMEI_2, null, MSISDN_C),
        ],
      },
    });
    expect(sent.status).toBe(200);
    await t.context.desk.raiser.catchUp();

    const db = t.context.store.db;
    const sightings = await query<Record<string, unknown>>(db, sql`select * from sighting`);
    const raised = await query<Record<string, unknown>>(db, sql`select * from alert`);
    expect(sightings).toHaveLength(5);
    expect(raised).toHaveLength(3);
    for (const row of [...sightings, ...raised]) {
      const text = JSON.stringify(row);
      for (const plain of PLAIN) expect(text).not.toContain(plain);
      for (const column of ['imsi', 'msisdn'])
        expect(row[column] === null || isSealed(row[column] as string), `${column} ${row[column]}`).toBe(
          true,
        );
    }
    // The deterministic form keeps SQL's counts: as many distinct sealed values as plain ones.
    const [counts] = await query<{ imsis: number; msisdns: number }>(
      db,
      sql`select count(distinct imsi)::int as imsis, count(distinct msisdn)::int as msisdns from sighting`,
    );
    expect(counts).toEqual({ imsis: 2, msisdns: 2 });

    const open = await alerts();
    expect(open.every((a) => a.caseReference === reference)).toBe(true);
    expect(bySim(open)).toEqual(
      bySim([
        { imsi: IMSI_A, msisdn: null, sightings: 2 },
        { imsi: IMSI_B, msisdn: MSISDN_B, sightings: 2 },
        { imsi: null, msisdn: MSISDN_C, sightings: 1 },
      ] as AlertView[]),
    );
  });

  it('shows the plain values in the console, an alert, and a device’s sightings', async () => {
    const page = async (path: string) => {
      const response = await t.call(path, { auth: false, headers: { cookie: session } });
      expect(response.status).toBe(200);
      return response.text();
    };
    const list = await page('/console/alerts');
    for (const plain of [IMSI_A, IMSI_B, `+${MSISDN_B}`, `+${MSISDN_C}`]) expect(list).toContain(plain);
    expect(list).not.toMatch(/d1\.[0-9a-f]{8}\./);
    const casePage = await page(`/console/cases/${reference}`);
    for (const plain of [IMSI_A, IMSI_B, MSISDN_B]) expect(casePage).toContain(plain);
    expect(casePage).not.toMatch(/d1\.[0-9a-f]{8}\./);

    const [one] = (await alerts()).filter((a) => a.imsi === IMSI_B);
    expect((await t.context.desk.alerts.get(one!.id))!).toMatchObject({ imsi: IMSI_B, msisdn: MSISDN_B });
    const seen = (await (await t.call(`/api/v1/devices/${IMEI_2}/sightings`)).json()) as {
      sightings: { imsi: string | null; msisdn: string | null }[];
    };
    expect(seen.sightings.map((s) => [s.imsi, s.msisdn]).sort()).toEqual(
      [
        [IMSI_B, MSISDN_B],
        [IMSI_B, MSISDN_B],
        [null, MSISDN_C],
      ].sort(),
    );
  });

  it('reads sightings and an open alert written in clear, and joins them to sealed sightings of the SIM', async () => {
    const db = t.context.store.db;
    // Before sealing: a sighting in clear already turned into an open alert in clear (cursor past it) …
    await db.transaction(async (tx) => {
      await insertClear(tx, 'legacy-1', IMEI_1, IMSI_OLD);
      await tx.execute(sql`
        insert into alert (case_id, device_key, police_unit, sim_key, imsi, network, protocol, first_seen_at,
                           last_seen_at, sightings, last_sighting_id)
        select c.id, ${IMEI_1.slice(0, 14)}, c.police_unit, ${IMSI_OLD}, ${IMSI_OLD}, 'alpha', 's13', now(), now(), 1,
               'legacy-1'
        from case_report c where c.reference = ${reference}`);
      await tx.execute(
        sql`update cases_cursor set position = (select max(seq) from sighting) where name = 'alerts'`,
      );
    });
    // … and one stored in clear by the old version but not yet read by the raiser.
    await insertClear(db, 'legacy-2', IMEI_1, IMSI_LATE);

    // After: sealed sightings of both SIMs arrive.
    const sent = await as(follower, '/api/v1/sightings', {
      method: 'POST',
      json: {
        sightings: [
          sighting('node1-4', IMEI_1, IMSI_OLD, null),
          sighting('node1-5', IMEI_1, IMSI_LATE, null),
        ],
      },
    });
    expect(sent.status).toBe(200);
    await t.context.desk.raiser.catchUp();

    const open = await alerts();
    expect(open.filter((a) => a.imsi === IMSI_OLD).map((a) => a.sightings)).toEqual([2]);
    expect(open.filter((a) => a.imsi === IMSI_LATE).map((a) => a.sightings)).toEqual([2]);
    // The alerts now hold only sealed SIMs; the old sightings stay as written until resealed.
    const raised = await query<Record<string, unknown>>(db, sql`select * from alert`);
    for (const row of raised) {
      const text = JSON.stringify(row);
      for (const plain of [...PLAIN, IMSI_OLD, IMSI_LATE]) expect(text).not.toContain(plain);
    }
    const seen = (await (await t.call(`/api/v1/devices/${IMEI_1}/sightings`)).json()) as {
      sightings: { id: string; imsi: string | null }[];
    };
    expect(seen.sightings.filter((s) => s.id.startsWith('legacy-')).map((s) => [s.id, s.imsi])).toEqual(
      expect.arrayContaining([
        ['legacy-1', IMSI_OLD],
        ['legacy-2', IMSI_LATE],
      ]),
    );
  });

  it('keeps raising alerts past a sighting sealed under a key the registry does not hold', async () => {
    const foreign = new Sealer(randomBytes(32)).sealEqual(IMSI_FIELD, IMSI_LOST_KEY);
    await insertClear(t.context.store.db, 'foreign-1', IMEI_2, foreign);
    const sent = await as(follower, '/api/v1/sightings', {
      method: 'POST',
      json: { sightings: [sighting('node1-6', IMEI_2, IMSI_AFTER, null)] },
    });
    expect(sent.status).toBe(200);
    await t.context.desk.raiser.catchUp();
    const open = await alerts();
    expect(open.filter((a) => a.imsi === IMSI_AFTER).map((a) => a.sightings)).toEqual([1]);
    // The foreign sighting raised its alert too; its SIM reads as unknown, its count as any other.
    const [raised] = await query<{ n: number }>(
      t.context.store.db,
      sql`select count(*)::int as n from alert where sim_key = ${foreign}`,
    );
    expect(raised!.n).toBe(1);
    expect(open.filter((a) => a.imsi === null && a.msisdn === null)).toHaveLength(1);
  });
});
