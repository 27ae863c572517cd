/**
 * Subject access and prune through the real `openceir` command, on a PostgreSQL database a running app
 * (real HTTP on loopback) fills: a portal report blocked by its code, checks with an IMSI that record
 * sightings and raise an alert, an appeal from the reporter's number, and another person's case that
 * must not appear. `openceir privacy export` prints the case's data and writes the read to the access
 * log; `openceir privacy prune` deletes a sighting past its retention period.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAccessLog } from '../../src/accounts/access-log.ts';
import { openPostgres, query } from '../../src/store/index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { runCli } from '../support/process.ts';
import { createTestDatabase, type TestDatabase } from '../support/stores.ts';

const IMEI_A = '490154203237518';
const IMEI_B = '356938035643809';
const PHONE = '+254711000333';
const EMAIL = 'subject@example.org';
const IMSI = '639020000000777';

async function report(t: TestApp, form: Record<string, string>): Promise<string> {
  const sent = await fetch(`${t.base}/report`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ kind: 'stolen', mode: 'block', ...form }).toString(),
  });
  expect(sent.status).toBe(303);
  return /\/cases\/(C-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(sent.headers.get('location') ?? '')![1]!;
}

describe('openceir privacy export and prune', () => {
  let database: TestDatabase;
  let t: TestApp;
  let reference = '';
  let env: Record<string, string>;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openceir-privacy-'));

  beforeAll(async () => {
    database = await createTestDatabase();
    const store = await openPostgres({ url: database.url, maxConnections: 4 });
    await store.migrate();
    // The app and the command share the privacy key: the command opens what the app sealed.
    const keyFile = { OPENCEIR_PRIVACY_KEY_FILE: path.join(dataDir, 'privacy-key') };
    t = await createTestApp('postgres', {
      store: { store, dispose: () => store.close() },
      sightings: true,
      env: keyFile,
    });
    env = { DATABASE_URL: database.url, OPENCEIR_DATA_DIR: dataDir, OPENCEIR_DEMO: '0', ...keyFile };

    reference = await report(t, {
      imei: IMEI_A,
      reporterName: 'Subject',
      reporterPhone: PHONE,
      reporterEmail: EMAIL,
    });
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
    await report(t, { imei: IMEI_B, reporterName: 'Someone Else', reporterPhone: '+254722000444' });

    await t.caughtUp();
    for (const id of [IMEI_A, IMEI_A, IMEI_B])
      expect((await t.call(`/api/v1/devices/${id}/status?imsi=${IMSI}`)).status).toBe(200);
    await t.shipSightings();
    await t.context.desk.appeals.file(
      { imei: IMEI_A, ground: 'other', statement: 'it is mine', appellantPhone: PHONE },
      'portal',
    );
    for (let i = 0; i < 50 && (await t.context.desk.alerts.list()).length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
  }, 90_000);

  afterAll(async () => {
    await t?.dispose();
    await t?.context.store.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints everything held about the case, and nothing about another', async () => {
    const run = await runCli(['privacy', 'export', reference.toLowerCase().replace(/-/g, ' ')], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const exported = JSON.parse(run.stdout);
    expect(exported.case).toMatchObject({
      reference,
      reporterPhone: PHONE.slice(1),
      reporterEmail: EMAIL,
      state: 'blocked',
    });
    expect(exported.events.map((e: { toState: string }) => e.toState)).toEqual(['submitted', 'blocked']);
    expect(exported.devices).toHaveLength(1);
    const key = exported.devices[0].deviceKey;
    expect(exported.sightings).toHaveLength(2);
    expect(
      exported.sightings.every(
        (s: { deviceKey: string; imsi: string }) => s.deviceKey === key && s.imsi === IMSI,
      ),
    ).toBe(true);
    expect(exported.sightingsTruncated).toBe(false);
    expect(exported.alerts).toHaveLength(1);
    expect(exported.alerts[0]).toMatchObject({ deviceKey: key, imsi: IMSI });
    expect(exported.appeals).toHaveLength(1);
    expect(exported.appeals[0]).toMatchObject({ appellantPhone: PHONE.slice(1), imei: IMEI_A });
    expect(run.stdout).not.toContain('Someone Else');
    expect(run.stdout).not.toContain('254722000444');
  });

  it('writes the export to the access log as a staff read', async () => {
    const rows = await queryAccessLog(t.context.store.db, { subjectKind: 'subject-export' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subjectId: reference, role: 'admin', why: 'subject-access request' });
    expect(rows[0]!.actor).toMatch(/^cli:/);
    expect(rows[0]!.fields).toContain('reporter-phone');
  });

  it('names the field and the rule for a malformed reference, and says when there is no such case', async () => {
    const malformed = await runCli(['privacy', 'export', 'hello'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('reference: "hello" is not a case reference');
    const unknown = await runCli(['privacy', 'export', 'C-0000-0000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('reference: there is no case C-0000-0000');
    expect(await queryAccessLog(t.context.store.db, { subjectKind: 'subject-export' })).toHaveLength(1);
  });

  it('prune --dry-run counts, prune deletes the sighting past its period', async () => {
    // The first sighting is made 400 days old: past the default 365 days, and the open alert refers
    // only to the latest one.
    await t.context.store.db.execute(
      sql`update sighting set time = now() - interval '400 days' where seq = (select min(seq) from sighting)`,
    );
    const dry = await runCli(['privacy', 'prune', '--dry-run', '--json'], env);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      sightingsDeleted: 1,
      casesBlanked: 0,
      accessLogDeleted: 0,
    });
    const count = async () =>
      (await query<{ n: number }>(t.context.store.db, sql`select count(*)::int as n from sighting`))[0]?.n;
    expect(await count()).toBe(2);
    const done = await runCli(['privacy', 'prune'], env);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/sightings before .*: deleted 1\n/);
    expect(await count()).toBe(1);
  });
});
