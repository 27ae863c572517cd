/**
 * Personal data never reaches the logs: the app runs on real HTTP (PGlite) with a logger made as
 * `openceir start` makes it, at trace level, writing every line into memory. A theft report through the
 * portal, the code flow, an appeal, REST checks carrying an IMSI and MSISDN (sightings recorded and shipped),
 * case lookups by staff and a failing query with a phone as parameter run with known values;
 * none of the values may appear in any line.
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMSI_FIELD } from '../../src/privacy/columns.ts';
import { loggerOptions } from '../../src/privacy/logging.ts';
import { query } from '../../src/store/index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const IMEI = '490154203237518';
const NAME = 'Privacy Probe-Owner';
const PHONE = '+254711000222';
const EMAIL = 'probe-owner@example.org';
const LAST_MSISDN = '+254733000444';
const IMSI = '639020000000555';
const MSISDN = '254700000666';
const APPELLANT = 'Appellant Probe-Person';
const APPELLANT_PHONE = '+254799000888';
const APPELLANT_EMAIL = 'probe-appellant@example.org';
/** Every value as it may be written: with and without the leading plus. */
const SECRETS = [
  NAME,
  PHONE,
  PHONE.slice(1),
  EMAIL,
  LAST_MSISDN.slice(1),
  IMSI,
  MSISDN,
  APPELLANT,
  APPELLANT_PHONE.slice(1),
  APPELLANT_EMAIL,
];

describe('no personal data in the logs', () => {
  const lines: string[] = [];
  let t: TestApp;
  let reference = '';
  const capture = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino(loggerOptions('trace', { service: 'openceir' }), capture);

  beforeAll(async () => {
    t = await createTestApp('pglite', { sightings: true, logger });
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  const leaks = () => lines.filter((line) => SECRETS.some((value) => line.includes(value)));

  it('a portal report and its code flow', async () => {
    const sent = await fetch(`${t.base}/report`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        imei: IMEI,
        kind: 'stolen',
        mode: 'block',
        reporterName: NAME,
        reporterPhone: PHONE,
        reporterEmail: EMAIL,
        lastMsisdn: LAST_MSISDN,
        notifyOwner: 'yes',
      }).toString(),
    });
    expect(sent.status).toBe(303);
    reference = /\/cases\/(C-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(sent.headers.get('location') ?? '')?.[1] ?? '';
    expect(reference).not.toBe('');
    const code = (await t.context.desk.outbox.to(PHONE.slice(1), 5))
      .map((m) => /\b(\d{6})\b/.exec(m.text)?.[1])
      .find(Boolean);
    const verified = await fetch(`${t.base}/cases/${reference}/verify`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: code ?? '' }).toString(),
    });
    expect(verified.status).toBe(303);
    expect((await fetch(`${t.base}/cases?reference=${reference}`, { redirect: 'manual' })).status).toBe(303);
    expect(leaks()).toEqual([]);
  });

  it('REST checks with an IMSI and an MSISDN, and the sightings they record', async () => {
    await t.caughtUp();
    const one = await t.call(`/api/v1/devices/${IMEI}/status?imsi=${IMSI}`);
    expect(one.status).toBe(200);
    const bulk = await t.call('/api/v1/check/bulk', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify({ imei: IMEI, imsi: IMSI, msisdn: MSISDN })}\n`,
    });
    expect(bulk.status).toBe(200);
    expect(await bulk.text()).toContain('blocked');
    await t.shipSightings();
    // Stored sealed in the deterministic form: found by sealing the IMSI looked for.
    const held = await query<{ n: number }>(
      t.context.store.db,
      sql`select count(*)::int as n from sighting where imsi = ${t.context.sealer.sealEqual(IMSI_FIELD, IMSI)}`,
    );
    expect(held[0]?.n).toBeGreaterThan(0);
    expect(leaks()).toEqual([]);
  });

  it('staff case lookups by reference and by IMEI', async () => {
    const read = await t.call(`/api/v1/cases/${reference}`, { headers: { 'x-purpose': 'privacy test' } });
    expect(read.status).toBe(200);
    expect(JSON.stringify(await read.json())).toContain(EMAIL);
    expect((await t.call(`/api/v1/cases?search=${IMEI}`)).status).toBe(200);
    expect(leaks()).toEqual([]);
  });

  it('an appeal through the portal with the appellant contacts', async () => {
    const filed = await fetch(`${t.base}/appeal`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        imei: IMEI,
        ground: 'other',
        statement: 'It is mine.',
        appellantName: APPELLANT,
        appellantPhone: APPELLANT_PHONE,
        appellantEmail: APPELLANT_EMAIL,
      }).toString(),
    });
    expect(filed.status).toBe(303);
    expect((await fetch(`${t.base}${filed.headers.get('location')}`)).status).toBe(200);
    expect(leaks()).toEqual([]);
  });

  it('a failed query logged as an error keeps its message but not its parameters', async () => {
    const failure = await t.context.store.db
      .execute(sql`select ${PHONE}::int as phone, ${EMAIL} as email`)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toContain(PHONE);
    logger.error({ err: failure, reporterPhone: PHONE, case: { reporterEmail: EMAIL } }, 'query failed');
    const line = lines.at(-1) ?? '';
    expect(line).toContain('Failed query');
    expect(line).toContain('query failed');
    expect(leaks()).toEqual([]);
  });
});
