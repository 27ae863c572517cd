/**
 * Owners' and appellants' contacts sealed at rest, on PostgreSQL with the real app (HTTP on loopback) and
 * the SMS channel bound over SMPP (loopback) to the SMSC simulator. People report on the portal and by
 * SMS, verify with the code the handset receives, and appeal; police enter a case in the console. The raw
 * rows of case_report, case_event, verification_code, appeal and outbox then hold none of the planted
 * names, numbers or e-mail addresses, and every contact column is `s1.` sealed; the REST API, the console,
 * SMS and the subject-access export still give the plain values; rows written in clear before sealing
 * still read, match and send.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPELLANT_PHONE,
  CODE_PHONE,
  LAST_MSISDN,
  OUTBOX_TO,
  REPORTER_NAME,
} from '../../src/cases/contacts.ts';
import { exportSubject } from '../../src/privacy/export.ts';
import { isSealed, Sealer } from '../../src/privacy/seal.ts';
import { SmsChannel } from '../../src/protocols/sms/channel.ts';
import { registryActions } from '../../src/protocols/sms/registry-actions.ts';
import { SmscSimulator } from '../../src/protocols/sms/simulator.ts';
import { query } from '../../src/store/index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const SHORT_CODE = '14422';
const PASSWORD = 'sealed contacts passphrase';
const IMEI_A = '490154203237518';
const IMEI_B = '356938035643809';
const IMEI_C = '353879234252633';

const NAME = 'Zawadi Plantedname';
const PHONE = '254711000555';
const EMAIL = 'zawadi.planted@example.org';
const LAST = '254722000666';
const APPELLANT = 'Baraka Plantedappellant';
const APPELLANT_PHONE_NUMBER = '254733000777';
const APPELLANT_EMAIL_ADDRESS = 'baraka.planted@example.org';
const SMS_OWNER = '254744000888';
const POLICE_NAME = 'Imani Plantedpolice';
const POLICE_PHONE = '254766000444';
/** Every planted value, with the national part of each number (what a leak of the digits would show). */
const PLANTED = [
  NAME,
  EMAIL,
  APPELLANT,
  APPELLANT_EMAIL_ADDRESS,
  POLICE_NAME,
  ...[PHONE, LAST, APPELLANT_PHONE_NUMBER, SMS_OWNER, POLICE_PHONE].flatMap((n) => [n, n.slice(3)]),
];

/** The contact columns of the cases part, as src/privacy/columns.ts lists them. */
const CONTACT_COLUMNS: Record<string, readonly string[]> = {
  case_report: ['reporter_name', 'reporter_phone', 'reporter_email', 'last_msisdn'],
  verification_code: ['phone'],
  appeal: ['appellant_name', 'appellant_phone', 'appellant_email'],
  outbox: ['to'],
};

describe('contacts sealed at rest (PostgreSQL, HTTP and SMPP on loopback)', () => {
  let t: TestApp;
  let simulator: SmscSimulator;
  let channel: SmsChannel;
  let caseA = '';
  let appealA = '';
  let appealB = '';
  let codeRows: Record<string, unknown>[] = [];
  const sessions: Record<string, string> = {};

  const form = (path: string, values: Record<string, string>, cookie?: string) =>
    t.call(path, {
      auth: false,
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie ? { cookie } : {}),
      },
      body: new URLSearchParams(values).toString(),
    });
  const consoleGet = (username: string, path: string) =>
    t.call(path, { auth: false, redirect: 'manual', headers: { cookie: sessions[username]! } });
  const csrfOf = async (username: string) =>
    /name="_csrf" value="([^"]+)"/.exec(await (await consoleGet(username, '/console/')).text())![1]!;

  /** The handset writes to the short code and waits for the next message it receives. */
  async function write(from: string, text: string, expected: RegExp): Promise<string> {
    const earlier = new Set(simulator.messagesTo(from));
    await simulator.send(from, SHORT_CODE, text);
    const message = await simulator.waitForMessage(
      from,
      (m) => !earlier.has(m) && expected.test(m.text),
      10_000,
    );
    return message.text;
  }

  const rawRows = async (table: string) =>
    query<Record<string, unknown>>(t.context.store.db, sql.raw(`select * from ${table}`));

  beforeAll(async () => {
    t = await createTestApp('postgres');
    simulator = await SmscSimulator.start({ systemId: 'openceir', password: 'secret1' });
    channel = new SmsChannel({
      smscUrl: simulator.url,
      systemId: 'openceir',
      password: 'secret1',
      shortCode: SHORT_CODE,
      actions: registryActions({ checks: t.context.checks, db: t.context.store.db, desk: t.context.desk }),
      outbox: t.context.desk.outbox,
      drainIntervalMs: 200,
    }).start();
    t.context.desk.outbox.onQueued(() => channel.wake());
    await channel.esme.whenBound(5000);

    await t.accounts.addOrganisation({ id: 'regulator', kind: 'regulator', name: 'Regulator' });
    await t.accounts.addOrganisation({
      id: 'police-capital',
      kind: 'police',
      name: 'Capital Police',
      regions: ['capital'],
    });
    for (const [username, role, organisationId] of [
      ['police.capital', 'police', 'police-capital'],
      ['regulator', 'regulator', 'regulator'],
    ] as const) {
      await t.accounts.addUser({ username, displayName: username, role, organisationId, password: PASSWORD });
      const login = await form('/console/login', { username, password: PASSWORD });
      expect(login.status).toBe(303);
      sessions[username] = login.headers
        .getSetCookie()
        .find((c) => c.startsWith('openceir_session='))!
        .split(';')[0]!;
    }

    // An owner reports on the portal with every contact field; the code reaches the handset by SMS.
    const reported = await form('/report', {
      imei: IMEI_A,
      kind: 'stolen',
      mode: 'block',
      region: 'capital',
      lastMsisdn: `+${LAST}`,
      reporterName: NAME,
      reporterPhone: `+${PHONE}`,
      reporterEmail: EMAIL,
    });
    expect(reported.status).toBe(303);
    caseA = /\/cases\/(C-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(reported.headers.get('location') ?? '')![1]!;
    const codeMessage = await simulator.waitForMessage(PHONE, (m) => /\b\d{6}\b/.test(m.text), 10_000);
    const code = /\b(\d{6})\b/.exec(codeMessage.text)![1]!;
    codeRows = await rawRows('verification_code');
    expect((await form(`/cases/${caseA}/verify`, { code })).headers.get('location') ?? '').not.toContain(
      'error',
    );
    await simulator.waitForMessage(PHONE, (m) => /blocked/.test(m.text), 10_000);

    // Another owner reports by SMS (left waiting for the code); police enter a case in the console.
    await write(SMS_OWNER, `LOST ${IMEI_C}`, /report C-/);
    const entered = await form(
      '/console/cases',
      {
        imei: IMEI_B,
        kind: 'stolen',
        mode: 'block',
        region: 'capital',
        reporterName: POLICE_NAME,
        reporterPhone: `+${POLICE_PHONE}`,
        language: 'en',
        _csrf: await csrfOf('police.capital'),
      },
      sessions['police.capital'],
    );
    expect(entered.status).toBe(303);

    // An appeal against case A's block from someone else, and one against B's from case A's reporter.
    const appeal = async (imei: string, name: string, phone: string, email: string) => {
      const filed = await form('/appeal', {
        imei,
        ground: 'good-faith-buyer',
        statement: 'Bought in a shop, with an invoice.',
        appellantName: name,
        appellantPhone: `+${phone}`,
        appellantEmail: email,
      });
      expect(filed.status).toBe(303);
      return /reference=(A-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(filed.headers.get('location') ?? '')![1]!;
    };
    appealA = await appeal(IMEI_A, APPELLANT, APPELLANT_PHONE_NUMBER, APPELLANT_EMAIL_ADDRESS);
    appealB = await appeal(IMEI_B, NAME, PHONE, EMAIL);
    await simulator.waitForMessage(APPELLANT_PHONE_NUMBER, (m) => m.text.includes(appealA), 10_000);
  }, 90_000);

  afterAll(async () => {
    await channel?.close();
    await simulator?.close();
    await t?.dispose();
  });

  it('stores no planted name, number or e-mail in clear, and seals every contact column', async () => {
    const tables = {
      case_report: await rawRows('case_report'),
      case_event: await rawRows('case_event'),
      verification_code: [...codeRows, ...(await rawRows('verification_code'))],
      appeal: await rawRows('appeal'),
      outbox: await rawRows('outbox'),
    };
    expect(tables.case_report).toHaveLength(3);
    expect(codeRows).toHaveLength(1);
    expect(tables.appeal).toHaveLength(2);
    // Codes, "blocked", the SMS owner's code, appeal received (twice), at least.
    expect(tables.outbox.length).toBeGreaterThanOrEqual(5);
    for (const [table, rows] of Object.entries(tables)) {
      const text = JSON.stringify(rows);
      for (const planted of PLANTED) expect(text, `${table} holds ${planted}`).not.toContain(planted);
      for (const column of CONTACT_COLUMNS[table] ?? []) {
        for (const row of rows) {
          const value = row[column];
          if (value === null) continue;
          expect(String(value), `${table}.${column}`).toMatch(/^s1\.[0-9a-f]{8}\./);
        }
      }
    }
    const sealer = t.context.sealer;
    expect(sealer.open(CODE_PHONE, codeRows[0]!.phone as string)).toBe(PHONE);
    const [a] = tables.case_report.filter((r) => r.reference === caseA);
    expect(sealer.open(REPORTER_NAME, a!.reporter_name as string)).toBe(NAME);
    expect(sealer.open(LAST_MSISDN, a!.last_msisdn as string)).toBe(LAST);
    // Randomised: the same number sealed twice (two messages to the owner) reads differently.
    const toOwner = tables.outbox.filter((r) => sealer.matches(OUTBOX_TO, r.to as string, PHONE));
    expect(toOwner.length).toBeGreaterThanOrEqual(2);
    expect(new Set(toOwner.map((r) => r.to)).size).toBe(toOwner.length);
    // A value does not open under another column's name.
    expect(() => sealer.open(APPELLANT_PHONE, a!.reporter_phone as string)).toThrow(/does not authenticate/);
  });

  it('gives the plain values to the REST API, the console, SMS and the outbox', async () => {
    const api = (await (await t.call(`/api/v1/cases/${caseA}`)).json()) as { case: Record<string, unknown> };
    expect(api.case).toMatchObject({
      reporterName: NAME,
      reporterPhone: PHONE,
      reporterEmail: EMAIL,
      lastMsisdn: LAST,
    });
    const appeals = (await (await t.call('/api/v1/appeals')).json()) as {
      appeals: Record<string, unknown>[];
    };
    expect(appeals.appeals.find((x) => x.reference === appealA)).toMatchObject({
      appellantName: APPELLANT,
      appellantPhone: APPELLANT_PHONE_NUMBER,
      appellantEmail: APPELLANT_EMAIL_ADDRESS,
    });

    const casePage = await (await consoleGet('police.capital', `/console/cases/${caseA}`)).text();
    expect(casePage).toContain(NAME);
    expect(casePage).toContain(`+${PHONE}`);
    expect(casePage).toContain(EMAIL);
    const appealPage = await (await consoleGet('regulator', `/console/appeals/${appealA}`)).text();
    expect(appealPage).toContain(APPELLANT);
    expect(appealPage).toContain(APPELLANT_EMAIL_ADDRESS);

    // SMS: the reporter's number is recognised (opened and compared), another number learns nothing.
    expect(await write(PHONE, `STATUS ${caseA}`, new RegExp(caseA))).toMatch(/blocked/);
    expect(await write(APPELLANT_PHONE_NUMBER, `STATUS ${appealA}`, new RegExp(appealA))).not.toMatch(
      /no report or appeal/,
    );
    expect(await write('254799000001', `STATUS ${caseA}`, /no report or appeal/)).toContain(caseA);
    const kinds = (await t.context.desk.outbox.to(PHONE)).map((m) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(['verification', 'blocked']));
  });

  it('gives the subject-access export opened, with appeals found by the reporter’s contact', async () => {
    const exported = await exportSubject(t.context.store.db, t.context.sealer, caseA, {
      actor: 'test',
      role: 'admin',
      organisation: null,
      why: 'subject-access request',
    });
    expect(exported.case).toMatchObject({
      reporterName: NAME,
      reporterPhone: PHONE,
      reporterEmail: EMAIL,
      lastMsisdn: LAST,
    });
    // Appeal A is on the case; appeal B (another case's device) is found by the reporter's phone.
    expect(exported.appeals.map((x) => x.reference).sort()).toEqual([appealA, appealB].sort());
    expect(exported.appeals.find((x) => x.reference === appealB)).toMatchObject({
      appellantName: NAME,
      appellantPhone: PHONE,
      appellantEmail: EMAIL,
    });
    expect(JSON.stringify(exported)).not.toMatch(/"s1\./);
    expect(JSON.stringify(exported)).not.toContain(POLICE_NAME);
  });

  it('reads, matches and sends rows written in clear before sealing', async () => {
    const db = t.context.store.db;
    const reference = 'C-2222-3333';
    const legacyPhone = '254755000999';
    await db.execute(sql`
      insert into case_report (reference, kind, state, mode, channel, source, entered_by, police_unit,
        reporter_name, reporter_phone, reporter_email, last_msisdn)
      values (${reference}, 'lost', 'blocked', 'block', 'portal', 'owner', 'owner', 'police-capital',
        'Legacy Owner', ${legacyPhone}, 'legacy@example.org', '254755000111')`);
    await db.execute(sql`
      insert into appeal (reference, device_key, imei, ground, statement, appellant_name, appellant_phone,
        appellant_email, channel, state, deadline)
      values ('A-2222-3333', '35693803564380', ${IMEI_B}, 'other', 'written in clear', 'Legacy Appellant',
        '254755000222', 'legacy.appellant@example.org', 'portal', 'upheld', now())`);
    await db.execute(sql`
      insert into outbox ("to", text, kind) values (${legacyPhone}, 'OpenCEIR: written before sealing', 'closed')`);

    expect(await t.context.desk.cases.get(reference)).toMatchObject({
      reporterName: 'Legacy Owner',
      reporterPhone: legacyPhone,
      reporterEmail: 'legacy@example.org',
      lastMsisdn: '254755000111',
    });
    expect(await t.context.desk.appeals.get('A-2222-3333')).toMatchObject({
      appellantName: 'Legacy Appellant',
      appellantPhone: '254755000222',
    });
    const page = await (await consoleGet('police.capital', `/console/cases/${reference}`)).text();
    expect(page).toContain('Legacy Owner');
    t.context.desk.outbox.notify();
    await simulator.waitForMessage(legacyPhone, (m) => /written before sealing/.test(m.text), 10_000);
    expect(await write(legacyPhone, `STATUS ${reference}`, new RegExp(reference))).not.toMatch(
      /no report or appeal/,
    );
    const [legacy] = await query<{ to: string }>(
      db,
      sql`select "to" from outbox where text like '%before sealing'`,
    );
    expect(isSealed(legacy!.to)).toBe(false);
  });

  it('gives up a message whose number was sealed under a key not in the keyring, and sends the rest', async () => {
    const db = t.context.store.db;
    const foreign = new Sealer(randomBytes(32)).seal(OUTBOX_TO, '254755000333');
    await db.execute(sql`
      insert into outbox ("to", text, kind) values (${foreign}, 'OpenCEIR: under another key', 'closed'),
        (${t.context.sealer.seal(OUTBOX_TO, '254755000444')}, 'OpenCEIR: under our key', 'closed')`);
    t.context.desk.outbox.notify();
    await simulator.waitForMessage('254755000444', (m) => /under our key/.test(m.text), 10_000);
    let row: { state: string; lastError: string | null } | undefined;
    for (let i = 0; i < 50 && row?.state !== 'failed'; i++) {
      [row] = await query<{ state: string; lastError: string | null }>(
        db,
        sql`select state, last_error as "lastError" from outbox where text like '%another key'`,
      );
      if (row?.state !== 'failed') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(row).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/not in the keyring/) });
    expect(simulator.messagesTo('254755000333')).toEqual([]);
    expect(await t.context.desk.outbox.to('254755000333')).toEqual([]);
  });
});
