/**
 * The staff consoles for cases, alerts, customer care and appeals over real HTTP on PGlite, logged in
 * with session cookies and CSRF tokens as a browser is; then in real Chromium: a police officer sees
 * an alert raised from a stored sighting and marks the case recovered; axe-core on every page in
 * English and Arabic.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeSightings } from '../../src/check/store.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';

const PASSWORD = 'console test passphrase';
const IMEI_A = '490154203237518';
const IMEI_B = '356938035643809';
const IMEI_C = '353879234252633';
const IMEI_D = '352099001761481';
const PHONE = '+254722000111';
const NEW_SIM = '639020000000123';

let sightingNo = 0;
/** A check from the core network that met the device, stored as the sighting shipper stores it. */
async function sighting(t: TestApp, imei: string, imsi: string) {
  sightingNo += 1;
  await storeSightings(t.context.store.db, t.context.sealer, [
    {
      id: `console-test-${sightingNo}`,
      time: new Date().toISOString(),
      deviceKey: imei.slice(0, 14),
      equipment: `imei-${imei}`,
      svn: null,
      imsi,
      msisdn: '254700000111',
      status: 'blocked',
      matched: 'device',
      reasons: ['stolen'],
      protocol: 'n5g-eir',
      node: 'test',
      peer: null,
      network: '63902',
      location: 'cell-4711',
    },
  ]);
  await t.context.desk.raiser.catchUp();
}

describe('staff consoles for cases, alerts, care and appeals [pglite]', () => {
  let t: TestApp;
  const sessions: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp('pglite');
    for (const org of [
      { id: 'regulator', kind: 'regulator', name: 'Regulator' },
      { id: 'police-capital', kind: 'police', name: 'Capital Police', regions: ['capital'] },
      { id: 'police-north', kind: 'police', name: 'Northern Police', regions: ['north'] },
      { id: 'operator-alpha', kind: 'operator', name: 'Alpha Mobile', operatorId: 'alpha' },
    ])
      await t.accounts.addOrganisation(org);
    for (const [username, role, organisationId] of [
      ['police.capital', 'police', 'police-capital'],
      ['police.north', 'police', 'police-north'],
      ['care.alpha', 'operator', 'operator-alpha'],
      ['regulator', 'regulator', 'regulator'],
    ] as const)
      await t.accounts.addUser({ username, displayName: username, role, organisationId, password: PASSWORD });
    for (const username of ['police.capital', 'police.north', 'care.alpha', 'regulator'])
      sessions[username] = await login(username);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  async function login(username: string) {
    const response = await t.call('/console/login', {
      auth: false,
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password: PASSWORD }).toString(),
    });
    expect(response.status).toBe(303);
    return response.headers
      .getSetCookie()
      .find((c) => c.startsWith('openceir_session='))!
      .split(';')[0]!;
  }
  const get = (username: string, path: string, language = 'en') =>
    t.call(path, {
      auth: false,
      redirect: 'manual',
      headers: { cookie: sessions[username]!, 'accept-language': language },
    });
  const csrfOf = async (username: string) =>
    /name="_csrf" value="([^"]+)"/.exec(await (await get(username, '/console/')).text())![1]!;
  async function post(username: string, path: string, form: Record<string, string>, csrf = true) {
    const body = new URLSearchParams(form);
    if (csrf) body.set('_csrf', await csrfOf(username));
    return t.call(path, {
      auth: false,
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: sessions[username]!, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
  const status = async (imei: string) => (await t.context.registry.device(imei)).verdict.status;
  const referenceOf = (response: Response) =>
    /\/console\/cases\/(C-[0-9A-Z-]+)\?done=opened/.exec(response.headers.get('location') ?? '')?.[1];

  let capitalCase = '';
  let trackedCase = '';

  it('police enter a case that blocks its devices at once, and are sent to it with a confirmation', async () => {
    const response = await post('police.capital', '/console/cases', {
      imei: IMEI_A,
      imei2: IMEI_B,
      kind: 'stolen',
      mode: 'block',
      brand: 'Acme',
      model: 'Phone 5',
      region: 'capital',
      policeReportNumber: 'CAP/2026/0042',
      reporterName: 'Reporter One',
      reporterPhone: PHONE,
      reporterEmail: 'reporter@example.org',
      language: 'en',
    });
    expect(response.status).toBe(303);
    capitalCase = referenceOf(response)!;
    expect(capitalCase).toMatch(/^C-/);
    expect(await status(IMEI_A)).toBe('blocked');
    expect(await status(IMEI_B)).toBe('blocked');
    const page = await (await get('police.capital', response.headers.get('location')!)).text();
    expect(page).toContain(`Case ${capitalCase} is open and in effect on every network.`);
    expect(page).toContain(PHONE);
    expect(page).toContain(IMEI_B);
  });

  it('refuses a bad report on the page, naming the field and the rule, with the values kept', async () => {
    const response = await post('police.capital', '/console/cases', {
      imei: '490154203237519',
      kind: 'stolen',
      reporterName: 'Kept Name',
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toMatch(/<div class="error-summary"[\s\S]*href="#imei">IMEI: <span lang="en"/);
    expect(page).toContain('aria-invalid="true"');
    expect(page).toContain('value="Kept Name"');
  });

  it('lists only the cases of the unit, without personal data; others get 404 on the case', async () => {
    const list = await (await get('police.capital', '/console/cases?state=open')).text();
    expect(list).toContain(capitalCase);
    expect(list).not.toContain('Reporter One');
    expect(list).not.toContain(PHONE.slice(1));
    expect(list).not.toContain('reporter@example.org');
    const search = await (await get('police.capital', `/console/cases?search=${IMEI_B}`)).text();
    expect(search).toContain(capitalCase);
    expect(await (await get('police.north', '/console/cases')).text()).not.toContain(capitalCase);
    expect((await get('police.north', `/console/cases/${capitalCase}`)).status).toBe(404);
    expect((await get('care.alpha', `/console/cases/${capitalCase}`)).status).toBe(404);
    expect((await get('regulator', `/console/cases/${capitalCase}`)).status).toBe(200);
  });

  it('writes every read of a case to the access log with the purpose chosen on the page', async () => {
    const response = await get('police.capital', `/console/cases/${capitalCase}?purpose=court%20request`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Purpose: court request.');
    const rows = await t.accounts.queryAccessLog({ subjectKind: 'case', subjectId: capitalCase });
    const row = rows.find((r) => r.why === 'court request');
    expect(row).toMatchObject({ actor: 'police.capital', role: 'police', organisation: 'police-capital' });
    expect(row!.fields).toEqual(['reporterName', 'reporterPhone', 'reporterEmail']);
    // An unknown purpose falls back to case handling.
    await get('police.capital', `/console/cases/${capitalCase}?purpose=curiosity`);
    const after = await t.accounts.queryAccessLog({ subjectKind: 'case', subjectId: capitalCase });
    expect(after[0]!.why).toBe('case handling');
  });

  it('refuses a form without the session’s CSRF token', async () => {
    const response = await post(
      'police.capital',
      `/console/cases/${capitalCase}/actions`,
      { action: 'recover', 'note-recover': 'no token' },
      false,
    );
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('The form has expired');
    expect((await t.context.desk.cases.get(capitalCase))!.state).toBe('blocked');
  });

  it('raises an alert for the unit only, logs each alert read, and is acknowledged', async () => {
    const opened = await post('police.capital', '/console/cases', {
      imei: IMEI_C,
      kind: 'stolen',
      mode: 'track',
      region: 'capital',
    });
    trackedCase = referenceOf(opened)!;
    expect(await status(IMEI_C)).toBe('tracked');
    await sighting(t, IMEI_C, NEW_SIM);
    const page = await (await get('police.capital', '/console/alerts')).text();
    expect(page).toContain(NEW_SIM);
    expect(page).toContain(trackedCase);
    expect(await (await get('police.north', '/console/alerts')).text()).not.toContain(NEW_SIM);
    const [alert] = await t.context.desk.alerts.list({ caseReference: trackedCase });
    const logged = await t.accounts.queryAccessLog({ subjectKind: 'alert', subjectId: alert!.id });
    expect(logged[0]).toMatchObject({ actor: 'police.capital', why: 'alert follow-up' });
    expect(logged[0]!.fields).toEqual(['imsi', 'msisdn', 'location']);
    expect(
      (await post('police.north', `/console/alerts/${alert!.id}`, { state: 'acknowledged' })).status,
    ).toBe(404);
    const ack = await post('police.capital', `/console/alerts/${alert!.id}`, { state: 'acknowledged' });
    expect(ack.status).toBe(303);
    expect((await t.context.desk.alerts.get(alert!.id))!.state).toBe('acknowledged');
    const after = await (await get('police.capital', ack.headers.get('location')!)).text();
    expect(after).toContain(`The alert of case ${trackedCase} is acknowledged.`);
  });

  it('marks a case recovered with a note, and shows a refused transition as a message', async () => {
    const done = await post('police.capital', `/console/cases/${capitalCase}/actions`, {
      action: 'recover',
      'note-recover': 'handed back at the station',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/console/cases/${capitalCase}?done=recover`);
    const page = await (await get('police.capital', done.headers.get('location')!)).text();
    expect(page).toContain(`Case ${capitalCase} is marked recovered.`);
    expect(page).toContain('handed back at the station');
    expect(page).toContain('value="unblock"');
    expect(page).not.toContain('value="recover"');
    const again = await post('police.capital', `/console/cases/${capitalCase}/actions`, {
      action: 'recover',
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('The case is not in a state that allows this.');
  });

  it('imports a reports file with a bad row, and shows the result of each row', async () => {
    const form = new FormData();
    form.set('_csrf', await csrfOf('police.capital'));
    form.set(
      'reports-file',
      new Blob([`imei,kind,region\n${IMEI_D},lost,capital\n123,stolen,capital\n`], { type: 'text/csv' }),
      'reports.csv',
    );
    const response = await t.call('/console/cases/import', {
      auth: false,
      method: 'POST',
      headers: { cookie: sessions['police.capital']! },
      body: form,
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('2 rows: 1 applied, 1 refused.');
    expect(page).toMatch(/<td>3<\/td><td>refused<\/td>/);
    expect(page).toMatch(/<td>2<\/td><td>case opened<\/td>/);
    expect(await status(IMEI_D)).toBe('blocked');
    // Operators have no bulk forms.
    expect(await (await get('care.alpha', '/console/cases')).text()).not.toContain('/console/cases/import');
  });

  it('lets care staff look a device up without personal data, and add and remove a pairing', async () => {
    const lookup = await (await get('care.alpha', `/console/care?device=${IMEI_D}`)).text();
    expect(lookup).toContain('Status: Blocked');
    expect(lookup).toContain('reported lost');
    expect(lookup).not.toContain(PHONE.slice(1));
    const stolen = await (await get('care.alpha', `/console/care?device=${IMEI_A}`)).text();
    expect(stolen).toContain('reported stolen');
    expect(stolen).not.toContain('Reporter One');
    expect(stolen).not.toContain(PHONE.slice(1));
    const added = await post('care.alpha', '/console/care/pairings', {
      action: 'pair',
      'pair-imei': IMEI_D,
      'pair-imsi': '639020000000777',
      'pair-msisdn': '+254700000777',
    });
    expect(added.status).toBe(303);
    const shown = await (await get('care.alpha', added.headers.get('location')!)).text();
    expect(shown).toContain('The pairing is added for');
    expect(shown).toContain('639020000000777');
    expect(shown).toContain('operator:alpha');
    const logged = await t.accounts.queryAccessLog({ subjectKind: 'pairing' });
    expect(logged[0]).toMatchObject({ actor: 'care.alpha', why: 'customer care' });
    const bad = await post('care.alpha', '/console/care/pairings', {
      action: 'pair',
      'pair-imei': IMEI_D,
      'pair-imsi': '12',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/href="#pair-imsi">IMSI: /);
    const removed = await post('care.alpha', '/console/care/pairings', {
      action: 'unpair',
      'pair-imei': IMEI_D,
      'pair-imsi': '639020000000777',
    });
    expect(removed.status).toBe(303);
    expect((await t.context.registry.device(IMEI_D)).pairings).toEqual([]);
    // Police have no care console.
    expect((await get('police.capital', '/console/care')).status).toBe(403);
  });

  it('lets the regulator decide an appeal: an overturned reason lifts the block', async () => {
    const { record } = await t.context.desk.appeals.file(
      {
        imei: IMEI_D,
        ground: 'good-faith-buyer',
        statement: 'I bought it in a shop with a receipt.',
        appellantPhone: '+254711111111',
      },
      'portal',
    );
    const list = await (await get('regulator', '/console/appeals')).text();
    expect(list).toContain(record.reference);
    expect(list).not.toContain('with a receipt');
    const page = await (await get('regulator', `/console/appeals/${record.reference}`)).text();
    expect(page).toContain('I bought it in a shop with a receipt.');
    expect(
      (await t.accounts.queryAccessLog({ subjectKind: 'appeal', subjectId: record.reference }))[0],
    ).toMatchObject({ actor: 'regulator', why: 'appeal review' });
    const missing = await post('regulator', `/console/appeals/${record.reference}/decision`, { note: 'x' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('href="#outcome-lost"');
    const decided = await post('regulator', `/console/appeals/${record.reference}/decision`, {
      'outcome-lost': 'overturned',
      note: 'receipt checked',
    });
    expect(decided.status).toBe(303);
    expect(await status(IMEI_D)).toBe('allowed');
    const after = await (await get('regulator', decided.headers.get('location')!)).text();
    expect(after).toContain('The decision is recorded: overturned.');
    expect(after).toContain('receipt checked');
    expect((await get('police.capital', '/console/appeals')).status).toBe(403);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    async function loggedIn(username: string): Promise<Page> {
      const page = await browser.newPage({ locale: 'en-GB' });
      await page.goto(`${t.base}/console/login`);
      await page.fill('#username', username);
      await page.fill('#password', PASSWORD);
      await Promise.all([
        page.waitForURL(/\/console\/$/),
        page.click('form[action^="/console/login"] button'),
      ]);
      return page;
    }
    async function accessible(page: Page, path: string, name: string) {
      for (const language of ['en', 'ar']) {
        const separator = path.includes('?') ? '&' : '?';
        const response = await page.goto(`${t.base}${path}${separator}lang=${language}`);
        expect(response!.status(), `${path} ${language}`).toBeLessThan(400);
        expect(await seriousViolations(page), `${path} ${language}`).toEqual([]);
        await screenshot(page, `console-${name}-${language}`);
      }
      await page.goto(`${t.base}/console/?lang=en`);
    }

    it('police see an alert raised from a stored sighting and mark the case recovered', async () => {
      await sighting(t, IMEI_C, '639020000000456');
      const page = await loggedIn('police.capital');
      await page.goto(`${t.base}/console/alerts`);
      expect(await page.textContent('main')).toContain('639020000000456');
      const form = page
        .locator(`form[action*="${trackedCase}"]:has(input[name="action"][value="recover"])`)
        .first();
      await form.locator('textarea').fill('found with the new SIM');
      await Promise.all([page.waitForURL(/done=recovered/), form.locator('button[type=submit]').click()]);
      expect(await page.textContent('[role=status]')).toContain(`Case ${trackedCase} is marked recovered.`);
      expect((await t.context.desk.cases.get(trackedCase))!.state).toBe('recovered');
      await page.close();
    });

    it('has no serious or critical axe violation on any console page, in English and Arabic', async () => {
      const police = await loggedIn('police.capital');
      await accessible(police, '/console/cases', 'cases');
      await accessible(police, `/console/cases/${capitalCase}`, 'case');
      await accessible(police, '/console/alerts?state=', 'alerts');
      await police.close();
      const care = await loggedIn('care.alpha');
      await accessible(care, `/console/care?device=${IMEI_A}`, 'care');
      await care.close();
      const regulator = await loggedIn('regulator');
      await accessible(regulator, '/console/appeals?state=', 'appeals');
      const [decided] = await t.context.desk.appeals.list({});
      await accessible(regulator, `/console/appeals/${decided!.reference}`, 'appeal-decided');
      const { record } = await t.context.desk.appeals.file(
        { imei: IMEI_A, ground: 'other', statement: 'The phone is mine and was never stolen.' },
        'staff',
      );
      await accessible(regulator, `/console/appeals/${record.reference}`, 'appeal');
      await regulator.close();
    });
  });
});
