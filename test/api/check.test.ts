/** REST equipment checks and sightings over real HTTP, on PGlite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ENGINES } from '../support/stores.ts';

const STOLEN = '352099001761481';
const STOLEN_KEY = '35209900176148';
const LOST = '490154203237518';
const LOST_KEY = '49015420323751';
const IMSI = '001010123456789';

describe.each(ENGINES)('check API [%s]', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { sightings: true });
    const post = (p: string, json: unknown) => t.call(p, { method: 'POST', json });
    expect(
      (await post(`/api/v1/devices/${STOLEN}/block`, { reason: 'stolen', source: 'police' })).status,
    ).toBe(200);
    expect((await post(`/api/v1/devices/${LOST}/track`, { reason: 'lost', source: 'owner' })).status).toBe(
      200,
    );
    await t.caughtUp();
  });
  afterAll(async () => {
    await t.dispose();
  });

  const status = async (id: string, query = '') => {
    const response = await t.call(`/api/v1/devices/${encodeURIComponent(id)}/status${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, any>;
  };

  it('answers the status of a device with its reasons, in every identifier form', async () => {
    const answer = await status(STOLEN);
    expect(answer).toMatchObject({
      deviceKey: STOLEN_KEY,
      status: 'blocked',
      matched: 'device',
      reasons: [{ code: 'stolen', source: 'police' }],
    });
    expect(Date.parse(answer.reasons[0].since)).toBeGreaterThan(0);
    for (const form of [
      STOLEN_KEY,
      `imei-${STOLEN}`,
      `imeisv-${STOLEN_KEY}07`,
      `${STOLEN_KEY}07`,
      `${STOLEN_KEY}9`,
    ])
      expect(await status(form)).toEqual(answer);
    expect(await status(LOST)).toMatchObject({
      status: 'tracked',
      reasons: [{ code: 'lost', source: 'owner' }],
    });
  });

  it('answers the demo policy for a device in no list, and for identities that are not IMEIs', async () => {
    expect(await status('01234567890123')).toMatchObject({
      status: 'allowed',
      matched: 'policy',
      reasons: [],
    });
    expect(await status('mac-00-11-22-33-44-55')).toMatchObject({ deviceKey: null, matched: 'policy' });
    expect(await status('not-an-imei')).toMatchObject({ deviceKey: null, matched: 'malformed' });
  });

  it('refuses a status request without the admin key', async () => {
    expect((await t.call(`/api/v1/devices/${STOLEN}/status`, { auth: false })).status).toBe(401);
  });

  it('names the field and the rule for a bad IMSI', async () => {
    const response = await t.call(`/api/v1/devices/${STOLEN}/status?imsi=12x`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(await response.json())).toContain('imsi');
  });

  it('sees a change made through the admin API in the next check', async () => {
    const key = '35693803564380';
    expect((await status(key)).status).toBe('allowed');
    const blocked = await t.call(`/api/v1/devices/${key}/block`, {
      method: 'POST',
      json: { reason: 'stolen' },
    });
    expect(blocked.status).toBe(200);
    await t.caughtUp();
    expect((await status(key)).status).toBe('blocked');
    const unblocked = await t.call(`/api/v1/devices/${key}/unblock`, {
      method: 'POST',
      json: { reason: 'stolen' },
    });
    expect(unblocked.status).toBe(200);
    await t.caughtUp();
    expect((await status(key)).status).toBe('allowed');
  });

  it('checks CSV in bulk, one answer per line in input order, skipping a header', async () => {
    const lines = [
      'imei,imsi',
      STOLEN,
      `${LOST},${IMSI}`,
      'garbage',
      '',
      `imeisv-${STOLEN_KEY}12`,
      '01234567890123',
    ];
    const response = await t.call('/api/v1/check/bulk', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: `${lines.join('\r\n')}\n`,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect((await response.text()).trim().split('\n')).toEqual([
      'input,device_key,status,matched,reasons',
      `${STOLEN},${STOLEN_KEY},blocked,device,stolen`,
      `${LOST},${LOST_KEY},tracked,device,lost`,
      'garbage,,tracked,malformed,',
      `imeisv-${STOLEN_KEY}12,${STOLEN_KEY},blocked,device,stolen`,
      '01234567890123,01234567890123,allowed,policy,',
    ]);
  });

  it('checks NDJSON in bulk and reports unreadable lines in place', async () => {
    const body = [
      JSON.stringify(STOLEN),
      JSON.stringify({ imei: LOST, imsi: IMSI }),
      '{"nothing": 1}',
      'not json',
      JSON.stringify({ pei: 'imei-012345678901237' }),
    ].join('\n');
    const response = await t.call('/api/v1/check/bulk', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body,
    });
    expect(response.status).toBe(200);
    const answers = (await response.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers).toHaveLength(5);
    expect(answers[0]).toMatchObject({ input: STOLEN, status: 'blocked', deviceKey: STOLEN_KEY });
    expect(answers[1]).toMatchObject({ input: LOST, status: 'tracked' });
    expect(answers[2]).toMatchObject({ input: '{"nothing": 1}', error: expect.stringContaining('imei') });
    expect(answers[3]).toMatchObject({ input: 'not json', error: expect.any(String) });
    expect(answers[4]).toMatchObject({ status: 'allowed', deviceKey: '01234567890123' });
  });

  it('streams a large bulk check in order', async () => {
    const count = 100_000;
    const keys = Array.from({ length: count }, (_, i) =>
      String(35_000_000_000_000 + i * 13).padStart(14, '0'),
    );
    keys[count / 2] = STOLEN_KEY;
    const response = await t.call('/api/v1/check/bulk', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: keys.join('\n'),
    });
    expect(response.status).toBe(200);
    const rows = (await response.text()).trim().split('\n').slice(1);
    expect(rows).toHaveLength(count);
    rows.forEach((row, i) => {
      expect(row.startsWith(`${keys[i]},${keys[i]},`)).toBe(true);
    });
    expect(rows[count / 2]).toContain(',blocked,device,stolen');
  });

  it('records sightings of blocked and tracked devices, listed per device, newest first', async () => {
    await t.call(`/api/v1/devices/${LOST}/status?imsi=${IMSI}`, { headers: { 'user-agent': 'test' } });
    await t.shipSightings();
    const response = await t.call(`/api/v1/devices/${LOST}/sightings`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { deviceKey: string; sightings: Record<string, any>[] };
    expect(body.deviceKey).toBe(LOST_KEY);
    expect(body.sightings.length).toBeGreaterThanOrEqual(3);
    expect(body.sightings[0]).toMatchObject({
      deviceKey: LOST_KEY,
      imsi: IMSI,
      status: 'tracked',
      reasons: ['lost'],
      protocol: 'rest',
      node: 'test-node',
    });
    const times = body.sightings.map((s) => Date.parse(s.time));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(body.sightings.map((s) => s.protocol)).toContain('bulk');
    // Allowed devices are not recorded.
    const allowed = (await (await t.call('/api/v1/devices/01234567890123/sightings')).json()) as {
      sightings: unknown[];
    };
    expect(allowed.sightings).toEqual([]);
  });

  it('stores sightings sent by a check node once, however often they are sent', async () => {
    const sighting = {
      id: 'node-b-1-1',
      time: '2026-11-20T08:00:00.000Z',
      deviceKey: STOLEN_KEY,
      equipment: `imeisv-${STOLEN_KEY}01`,
      svn: '01',
      imsi: IMSI,
      msisdn: null,
      status: 'blocked',
      matched: 'device',
      reasons: ['stolen'],
      protocol: 's13',
      node: 'node-b',
      peer: '10.0.0.7',
      network: '00101',
      location: null,
    };
    for (let i = 0; i < 2; i++) {
      const response = await t.call('/api/v1/sightings', { method: 'POST', json: { sightings: [sighting] } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: 1 });
    }
    const listed = (await (await t.call(`/api/v1/devices/${STOLEN}/sightings?limit=1000`)).json()) as {
      sightings: { id: string }[];
    };
    expect(listed.sightings.filter((s) => s.id === sighting.id)).toEqual([sighting]);
  });

  it('lets an operator’s system check and send sightings with its own key, stored as its network', async () => {
    await t.accounts.addOrganisation({
      id: 'op-two',
      kind: 'operator',
      name: 'Operator Two',
      operatorId: 'op2',
    });
    const { key } = await t.accounts.createApiKey('op-two', 'operator', 'op-two EIR');
    const asOperator = (path: string, init: RequestInit & { json?: unknown } = {}) =>
      t.call(path, {
        ...init,
        auth: false,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${key}` },
      });
    const checked = await asOperator(`/api/v1/devices/${STOLEN}/status`);
    expect(checked.status).toBe(200);
    expect(await checked.json()).toMatchObject({ deviceKey: STOLEN_KEY, status: 'blocked' });
    const bulk = await asOperator('/api/v1/check/bulk', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: `${LOST}\n`,
    });
    expect(bulk.status).toBe(200);
    expect(await bulk.text()).toContain('tracked');

    // The body claims another network: the registry stores the caller's.
    const sighting = {
      id: 'op2-eir-1',
      time: '2026-11-21T08:00:00.000Z',
      deviceKey: LOST_KEY,
      equipment: LOST,
      svn: null,
      imsi: IMSI,
      msisdn: null,
      status: 'tracked',
      matched: 'device',
      reasons: ['lost'],
      protocol: 's13',
      node: 'op2-eir',
      peer: 'mme-1',
      network: 'someone-else',
      location: null,
    };
    const sent = await asOperator('/api/v1/sightings', { method: 'POST', json: { sightings: [sighting] } });
    expect(sent.status).toBe(200);
    const listed = (await (await t.call(`/api/v1/devices/${LOST}/sightings?limit=1000`)).json()) as {
      sightings: { id: string; network: string | null }[];
    };
    expect(listed.sightings.find((s) => s.id === sighting.id)).toEqual({ ...sighting, network: 'op2' });

    // Checking is all it may do on the lists: blocking stays the regulator's.
    const block = await asOperator(`/api/v1/devices/${LOST}/block`, {
      method: 'POST',
      json: { reason: 'stolen', source: 'police' },
    });
    expect(block.status).toBe(403);
  });

  it('refuses a sighting with a bad field, naming it', async () => {
    const response = await t.call('/api/v1/sightings', {
      method: 'POST',
      json: { sightings: [{ id: 'x', time: 'yesterday' }] },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/time|deviceKey/);
  });
});
