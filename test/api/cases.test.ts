/**
 * Cases, alerts and appeals over the REST API, on PGlite and PostgreSQL: police and operator systems
 * with API keys, scoping, the access log, bulk CSV, sightings raising alerts, the regulator's decision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAccessLog } from '../../src/accounts/access-log.ts';
import { seedDemoAccounts } from '../../src/accounts/demo.ts';
import { storeSightings } from '../../src/check/store.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ENGINES } from '../support/stores.ts';

const IMEI_1 = '490154203237518';
const IMEI_2 = '356938035643809';
const IMEI_3 = '353879234252633';

describe.each(ENGINES)('cases API [%s]', (engine) => {
  let t: TestApp;
  let police: string;
  let policeNorth: string;
  let operator: string;
  let reference: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemoAccounts(t.context.store, t.accounts);
    police = (await t.accounts.createApiKey('police-capital', 'police', 'capital records system')).key;
    policeNorth = (await t.accounts.createApiKey('police-north', 'police', 'north records system')).key;
    operator = (await t.accounts.createApiKey('operator-alpha', 'operator', 'alpha care system')).key;
  });
  afterAll(async () => {
    await t.dispose();
  });

  const as = (key: string, path: string, init: RequestInit & { json?: unknown } = {}) =>
    t.call(path, {
      ...init,
      auth: false,
      headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) },
    });
  const status = async (imei: string) =>
    ((await (await t.call(`/api/v1/devices/${imei}/status`)).json()) as { status: string }).status;

  it('a police system opens a case that blocks both IMEIs at once; a second report returns it', async () => {
    const response = await as(police, '/api/v1/cases', {
      method: 'POST',
      json: {
        imeis: [IMEI_1, IMEI_2],
        kind: 'stolen',
        brand: 'Acme',
        policeReportNumber: 'CP-1',
        reporterName: 'A reporter',
        reporterPhone: '+254712345678',
      },
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { case: Record<string, unknown> };
    reference = String(body.case.reference);
    expect(body.case).toMatchObject({ state: 'blocked', source: 'police', policeUnit: 'police-capital' });
    expect(body.case).not.toHaveProperty('reporterPhone');
    await t.caughtUp();
    expect(await status(IMEI_1)).toBe('blocked');
    expect(await status(IMEI_2)).toBe('blocked');

    const again = await as(operator, '/api/v1/cases', {
      method: 'POST',
      json: { imeis: [IMEI_2], kind: 'lost' },
    });
    expect(again.status).toBe(200);
    // Another organisation's case is named, never shown.
    expect(await again.json()).toEqual({ existing: true, case: { reference, state: 'blocked' } });
  });

  it('names every bad field', async () => {
    const response = await as(police, '/api/v1/cases', {
      method: 'POST',
      json: { imeis: ['490154203237519'], kind: 'borrowed', reporterEmail: 'not-an-address' },
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { invalidParams: { param: string }[] };
    expect(problem.invalidParams.map((p) => p.param)).toEqual(['imeis[0]', 'kind', 'reporterEmail']);
  });

  it('scopes cases: the unit sees its case, another unit and an operator do not; the read is access-logged', async () => {
    const list = (await (await as(police, '/api/v1/cases?state=open')).json()) as {
      cases: { reference: string }[];
    };
    expect(list.cases.map((c) => c.reference)).toContain(reference);
    expect(JSON.stringify(list)).not.toContain('254712345678');
    const other = (await (await as(policeNorth, '/api/v1/cases')).json()) as { cases: unknown[] };
    expect(other.cases).toEqual([]);
    expect((await as(operator, `/api/v1/cases/${reference}`)).status).toBe(404);

    const one = await as(police, `/api/v1/cases/${reference}`, {
      headers: { 'x-purpose': 'court request 77/2026' },
    });
    expect(one.status).toBe(200);
    const detail = (await one.json()) as { case: { reporterPhone: string }; events: { toState: string }[] };
    expect(detail.case.reporterPhone).toBe('254712345678');
    expect(detail.events.map((e) => e.toState)).toEqual(['submitted', 'blocked']);
    const [logged] = await queryAccessLog(t.context.store.db, { subjectKind: 'case', subjectId: reference });
    expect(logged).toMatchObject({
      role: 'police',
      organisation: 'police-capital',
      why: 'court request 77/2026',
      fields: ['reporterName', 'reporterPhone'],
    });
  });

  it('a sighting with a new SIM raises an alert for the owning unit only; police acknowledge it', async () => {
    await storeSightings(t.context.store.db, t.context.sealer, [
      {
        id: 'api-test-1',
        time: new Date().toISOString(),
        deviceKey: IMEI_2.slice(0, 14),
        equipment: `imei-${IMEI_2}`,
        svn: null,
        imsi: '001019999999999',
        msisdn: '254700000001',
        status: 'blocked',
        matched: 'device',
        reasons: ['stolen'],
        protocol: 's13',
        node: 'test',
        peer: 'mme.alpha',
        network: 'alpha',
        location: null,
      },
    ]);
    await t.context.desk.raiser.catchUp();
    const alerts = (await (await as(police, '/api/v1/alerts?state=open')).json()) as {
      alerts: { id: string; imsi: string; caseReference: string }[];
    };
    expect(alerts.alerts).toMatchObject([{ imsi: '001019999999999', caseReference: reference }]);
    expect(
      ((await (await as(policeNorth, '/api/v1/alerts')).json()) as { alerts: unknown[] }).alerts,
    ).toEqual([]);
    expect((await as(operator, '/api/v1/alerts')).status).toBe(403);
    const id = alerts.alerts[0]!.id;
    expect(
      (await as(policeNorth, `/api/v1/alerts/${id}`, { method: 'POST', json: { state: 'acknowledged' } }))
        .status,
    ).toBe(404);
    const acknowledged = await as(police, `/api/v1/alerts/${id}`, {
      method: 'POST',
      json: { state: 'acknowledged', note: 'patrol sent' },
    });
    expect(await acknowledged.json()).toMatchObject({
      alert: { state: 'acknowledged', handledBy: expect.any(String) },
    });
    expect(await queryAccessLog(t.context.store.db, { subjectKind: 'alert', subjectId: id })).not.toEqual([]);
  });

  it('police mark it recovered and unblock; a wrong transition is a conflict naming the state', async () => {
    const recovered = await as(police, `/api/v1/cases/${reference}/actions`, {
      method: 'POST',
      json: { action: 'recover', note: 'found' },
    });
    expect(await recovered.json()).toMatchObject({ case: { state: 'recovered' } });
    const wrong = await as(police, `/api/v1/cases/${reference}/actions`, {
      method: 'POST',
      json: { action: 'track' },
    });
    expect(wrong.status).toBe(409);
    expect(await wrong.json()).toMatchObject({
      cause: 'WRONG_CASE_STATE',
      detail: 'a case that is recovered cannot be switched to tracking',
    });
    await as(police, `/api/v1/cases/${reference}/actions`, { method: 'POST', json: { action: 'unblock' } });
    await t.caughtUp();
    expect(await status(IMEI_1)).toBe('allowed');
  });

  it('bulk CSV reports apply row by row and repeat without change; operators may not upload', async () => {
    const csv = `imei,kind,region\n${IMEI_3},stolen,capital\n12345,lost,capital\n`;
    const upload = () =>
      as(police, '/api/v1/cases/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: csv,
      });
    const first = (await (await upload()).json()) as {
      applied: number;
      refused: number;
      results: { outcome: string }[];
    };
    expect(first).toMatchObject({ applied: 1, refused: 1 });
    const second = (await (await upload()).json()) as { results: { outcome: string }[] };
    expect(second.results.map((r) => r.outcome)).toEqual(['existing', 'refused']);
    const refused = await as(operator, '/api/v1/cases/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    expect(refused.status).toBe(403);
  });

  it('the regulator decides an appeal; police cannot', async () => {
    await t.call(`/api/v1/devices/${IMEI_1}/block`, {
      method: 'POST',
      json: { reason: 'duplicate', source: 'rule:duplicate-threshold' },
    });
    const { record } = await t.context.desk.appeals.file(
      {
        imei: IMEI_1,
        ground: 'false-duplicate',
        statement: 'bought new in a shop',
        appellantEmail: 'owner@example.org',
      },
      'portal',
    );
    const pending = (await (await t.call('/api/v1/appeals?state=pending')).json()) as {
      appeals: { reference: string }[];
    };
    expect(pending.appeals.map((a) => a.reference)).toEqual([record.reference]);
    expect((await as(police, '/api/v1/appeals')).status).toBe(403);
    const decided = await t.call(`/api/v1/appeals/${record.reference}/decision`, {
      method: 'POST',
      json: { outcomes: { duplicate: 'overturned' }, note: 'receipt checked' },
    });
    expect(await decided.json()).toMatchObject({ appeal: { state: 'overturned' } });
    await t.caughtUp();
    expect(await status(IMEI_1)).toBe('allowed');
  });

  it('needs credentials', async () => {
    expect((await t.call('/api/v1/cases', { auth: false })).status).toBe(401);
  });
});
