/**
 * The portal's report, case and appeal pages against the app on real HTTP (PGlite): field errors
 * that keep what was typed, one case per device, the one-time code flow, owner actions, appeals whose
 * public page shows nothing personal, and rate limits. Then in real Chromium (playwright-core): the
 * report form filled and sent with JavaScript off and on, the code entered, the case blocked; axe-core
 * and the 360 px overflow check on every page in English and Arabic; screenshots in test-artifacts/.
 */
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeviceKey, fullImei } from '../../src/identifiers/index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import {
  horizontalOverflow,
  launchBrowser,
  MOBILE,
  screenshot,
  seriousViolations,
} from '../support/browser.ts';

/** A valid IMEI (Luhn check digit, TS 23.003 Annex B) from 14 digits. */
const imei = (key: string) => fullImei(key as DeviceKey);

const IMEI_A = '490154203237518';
const IMEI_B = '356938035643809';
const IMEI_C = '353879234252633';
const PHONE_A = '+254712345678';
const PHONE_B = '+254722345678';
const NAME_A = 'Owner Of-Phone-A';
const EMAIL_A = 'owner-a@example.org';

type Form = Record<string, string>;

async function post(t: TestApp, path: string, form: Form, language = 'en'): Promise<Response> {
  return fetch(`${t.base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': language },
    body: new URLSearchParams(form).toString(),
  });
}

async function get(t: TestApp, path: string, language = 'en'): Promise<Response> {
  return fetch(`${t.base}${path}`, { redirect: 'manual', headers: { 'accept-language': language } });
}

/** The newest one-time code sent to a number (the outbox holds the SMS texts). */
async function codeSentTo(t: TestApp, phone: string): Promise<string> {
  const messages = await t.context.desk.outbox.to(phone.replace('+', ''), 20);
  const code = messages
    .filter((m) => m.kind === 'verification')
    .map((m) => /\b(\d{6})\b/.exec(m.text)?.[1])[0];
  if (!code) throw new Error(`no code sent to ${phone}`);
  return code;
}

const status = async (t: TestApp, id: string) => (await t.context.registry.device(id)).verdict.status;
const referenceIn = (location: string | null) =>
  /\/cases\/(C-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(location ?? '')?.[1];
/** The value attribute of the input with this id. */
const inputValue = (page: string, id: string) =>
  new RegExp(`<input id="${id}"[^>]* value="([^"]*)"`).exec(page)?.[1];

async function seedRegions(t: TestApp): Promise<void> {
  await t.context.store.db.execute(sql`
    insert into organisation (id, kind, name, regions) values
      ('police-capital', 'police', 'Capital police', '{capital}'),
      ('police-north', 'police', 'North police', '{north,coast}')`);
}

const validReport = (over: Form = {}): Form => ({
  imei: IMEI_A,
  imei2: IMEI_B,
  kind: 'stolen',
  mode: 'block',
  brand: 'Acme',
  model: 'A1',
  region: 'coast',
  reporterName: NAME_A,
  reporterPhone: PHONE_A,
  reporterEmail: EMAIL_A,
  lastMsisdn: '+254733345678',
  notifyOwner: 'yes',
  ...over,
});

describe('report, case and appeal pages over HTTP', () => {
  let t: TestApp;
  let reference = '';

  beforeAll(async () => {
    t = await createTestApp('pglite');
    await seedRegions(t);
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('offers the report form with the regions, and names each wrong field while keeping every value', async () => {
    const form = await get(t, '/report');
    expect(form.status).toBe(200);
    const empty = await form.text();
    expect(empty).toContain('<option value="coast">coast</option>');
    expect(empty).toContain('I do not know');
    expect(empty).toContain('*#06#');
    expect(empty).toContain('the one-time code');

    const refused = await post(t, '/report', {
      imei: '490154203237519',
      imei2: IMEI_B,
      brand: 'Acme <b>',
      reporterEmail: 'not-an-address',
      reporterPhone: '',
      region: 'coast',
    });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(page)?.[0] ?? '';
    for (const id of ['imei', 'kind', 'reporterPhone', 'reporterEmail'])
      expect(summary).toContain(`href="#${id}"`);
    expect(summary).not.toContain('href="#imei2"');
    expect(summary).toContain('Check the IMEI. The last digit of this IMEI should be 8, not 9');
    expect(summary).toContain(
      'Check your mobile number. <span lang="en" dir="ltr">(is required: the one-time code is sent to it)',
    );
    expect(page).toMatch(
      /<input id="imei" name="imei" aria-describedby="imei-hint imei-error" aria-invalid="true"/,
    );
    expect(inputValue(page, 'imei')).toBe('490154203237519');
    expect(inputValue(page, 'imei2')).toBe(IMEI_B);
    expect(inputValue(page, 'brand')).toBe('Acme &lt;b&gt;');
    expect(inputValue(page, 'reporterEmail')).toBe('not-an-address');
    expect(page).toContain('<option value="coast" selected>');
    expect(page).toContain('<title>There is a problem: Report a lost or stolen phone');

    // The second IMEI's own error lands on its own field; the lead is in the reader's language.
    const arabic = await (await post(t, '/report', validReport({ imei2: '35693803564380X' }), 'ar')).text();
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toMatch(/href="#imei2">تحقّق من رقم IMEI الثاني\./);
    expect(arabic).toContain('id="imei2-error"');
    expect(arabic).not.toContain('id="imei-error"');
    expect(inputValue(arabic, 'reporterPhone')).toBe(PHONE_A);
    expect(arabic).toMatch(/<input type="checkbox" id="notifyOwner" name="notifyOwner" value="yes" checked/);
    expect(arabic).toMatch(/id="kind" name="kind" value="stolen" checked/);
  });

  it('a report opens a case waiting for its code; a second report of one of its IMEIs lands on the same case', async () => {
    const sent = await post(t, '/report', validReport(), 'fr');
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/^\/cases\/C-[0-9A-Z]{4}-[0-9A-Z]{4}\?report=new$/);
    reference = referenceIn(sent.headers.get('location'))!;
    // The code went out in the reporter's page language.
    const sms = (await t.context.desk.outbox.to(PHONE_A.slice(1), 1))[0]!;
    expect(sms.text).toContain(reference);
    expect(sms.text).toContain('Valable');

    const page = await (await get(t, `/cases/${reference}?report=new`)).text();
    expect(page).toContain('Waiting for your code');
    expect(page).toContain(`Keep its reference: ${reference}`);
    expect(page).toContain('…7518');
    expect(page).toContain('…3809');
    expect(page).toContain('Acme A1');
    expect(page).toContain(`action="/cases/${reference}/verify?lang=en"`);
    for (const personal of [NAME_A, EMAIL_A, '254712345678', '254733345678', IMEI_A, IMEI_B, 'coast'])
      expect(page).not.toContain(personal);

    const again = await post(t, '/report', {
      imei: IMEI_B,
      kind: 'lost',
      reporterPhone: PHONE_B,
      reporterName: 'Someone Else',
    });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`/cases/${reference}?report=existing`);
    const existing = await (await get(t, again.headers.get('location')!)).text();
    expect(existing).toContain('already in an open report');
    expect(existing).toContain('Stolen');
    for (const personal of [NAME_A, '254712345678', 'Someone Else', '254722345678'])
      expect(existing).not.toContain(personal);
    // No code went to the second reporter.
    expect(await t.context.desk.outbox.to(PHONE_B.slice(1))).toEqual([]);
  });

  it('follows a case by its reference as typed, and says when there is none', async () => {
    const loose = reference.toLowerCase().replace('-', ' ');
    const found = await get(t, `/cases?reference=${encodeURIComponent(loose)}`);
    expect(found.status).toBe(303);
    expect(found.headers.get('location')).toBe(`/cases/${reference}`);
    const unknown = await get(t, '/cases?reference=C-0000-0000');
    expect(unknown.status).toBe(404);
    const text = await unknown.text();
    expect(text).toContain('There is no case with this reference');
    expect(inputValue(text, 'reference')).toBe('C-0000-0000');
    const invalid = await get(t, '/cases?reference=hello');
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('looks like C-7KQ4-9XZ2');
    expect((await get(t, '/cases/C-0000-0000')).status).toBe(404);
    expect((await get(t, '/cases')).status).toBe(200);
  });

  it('refuses a malformed and a wrong code, then the right code blocks both IMEIs', async () => {
    const short = await post(t, `/cases/${reference}/verify`, { code: '12' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('Enter the 6 digits of the code.');
    const code = await codeSentTo(t, PHONE_A);
    const wrong = await post(t, `/cases/${reference}/verify`, {
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    const wrongPage = await wrong.text();
    expect(wrongPage).toContain('This code is not right');
    expect(wrongPage).toContain('href="#code"');
    expect(await status(t, IMEI_A)).toBe('allowed');

    // A new code within the minute: the earlier one still stands.
    const resend = await post(t, `/cases/${reference}/code`, {});
    expect(resend.headers.get('location')).toBe(`/cases/${reference}?code=wait`);
    expect(await (await get(t, resend.headers.get('location')!)).text()).toContain('less than a minute ago');

    const right = await post(t, `/cases/${reference}/verify`, {
      code: ` ${code.slice(0, 3)} ${code.slice(3)} `,
    });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe(`/cases/${reference}?done=verified`);
    const page = await (await get(t, right.headers.get('location')!)).text();
    expect(page).toContain('Thank you: your report is confirmed.');
    expect(page).toMatch(/<h2 id="case-state"[^>]*>Blocked<\/h2>/);
    expect(page).toContain('I have my phone back: unblock it');
    expect(page).toContain('Switch to recovery mode');
    expect(page).toContain('Withdraw the report');
    expect(await status(t, IMEI_A)).toBe('blocked');
    expect(await status(t, IMEI_B)).toBe('blocked');
  });

  it('the owner switches to recovery mode with a fresh code; a confirmation the state does not bear out is not shown', async () => {
    const fake = await (await get(t, `/cases/${reference}?done=unblock`)).text();
    expect(fake).not.toContain('Done:');
    const asked = await post(t, `/cases/${reference}/code`, { action: 'track' });
    expect(asked.headers.get('location')).toBe(`/cases/${reference}?code=sent&action=track`);
    const confirm = await (await get(t, asked.headers.get('location')!)).text();
    expect(confirm).toContain('Confirm: Switch to recovery mode');
    expect(confirm).toContain('We sent a new code by SMS');
    expect(confirm).toContain('<input type="hidden" name="action" value="track">');
    const done = await post(t, `/cases/${reference}/act`, {
      action: 'track',
      code: await codeSentTo(t, PHONE_A),
    });
    expect(done.headers.get('location')).toBe(`/cases/${reference}?done=track`);
    const page = await (await get(t, done.headers.get('location')!)).text();
    expect(page).toContain('Done: the phone is now in recovery mode.');
    expect(page).toContain('Tracked (recovery mode)');
    expect(await status(t, IMEI_A)).toBe('tracked');
  });

  it('after the police mark it recovered, the owner unblocks it with a code, and the case closes', async () => {
    await t.context.desk.cases.act(reference, 'recover', { kind: 'police', name: 'p' }, null);
    const recovered = await (await get(t, `/cases/${reference}`)).text();
    expect(recovered).toMatch(/<h2 id="case-state"[^>]*>Recovered<\/h2>/);
    expect(recovered).not.toContain('Switch to recovery mode');

    // Not possible from this state: refused before any code is spent.
    const impossible = await post(t, `/cases/${reference}/act`, { action: 'block', code: '123456' });
    expect(impossible.status).toBe(409);
    expect(await impossible.text()).toContain('This is not possible while the case is in this state.');

    // The last code was used up by the switch, so a new one goes out at once.
    const asked = await post(t, `/cases/${reference}/code`, { action: 'unblock' });
    expect(asked.headers.get('location')).toBe(`/cases/${reference}?code=sent&action=unblock`);
    const code = await codeSentTo(t, PHONE_A);
    const wrong = await post(t, `/cases/${reference}/act`, {
      action: 'unblock',
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    const wrongPage = await wrong.text();
    expect(wrongPage).toContain('This code is not right');
    expect(wrongPage).toContain('Confirm: I have my phone back: unblock it');
    const done = await post(t, `/cases/${reference}/act`, { action: 'unblock', code });
    expect(done.headers.get('location')).toBe(`/cases/${reference}?done=unblock`);
    const page = await (await get(t, done.headers.get('location')!)).text();
    expect(page).toContain('Done: the phone is unblocked and the case is closed.');
    expect(page).toMatch(/<h2 id="case-state"[^>]*>Closed<\/h2>/);
    expect(page).not.toContain(`/cases/${reference}/code`);
    expect(await status(t, IMEI_A)).toBe('allowed');
    expect(await status(t, IMEI_B)).toBe('allowed');
  });

  it('files an appeal: errors on their fields, nothing to appeal said plainly, a public page with no personal data', async () => {
    const duplicate = imei('35209900176149');
    await t.context.registry.changeStatus(duplicate, 'block', { reason: 'duplicate', source: 'regulator' });
    const form = await (await get(t, `/appeal?id=${duplicate}`)).text();
    expect(inputValue(form, 'imei')).toBe(duplicate);
    expect(form).toContain('My phone is genuine: its IMEI is copied');

    const refused = await post(t, '/appeal', {
      imei: duplicate,
      ground: 'false-duplicate',
      statement: 'short',
    });
    expect(refused.status).toBe(400);
    const errors = await refused.text();
    expect(errors).toContain('href="#statement"');
    expect(errors).toContain('href="#appellantPhone"');
    expect(errors).toContain('a phone number or an e-mail address is needed');
    expect(inputValue(errors, 'imei')).toBe(duplicate);
    expect(errors).toMatch(/id="ground-false-duplicate" name="ground" value="false-duplicate" checked/);

    const nothing = await post(t, '/appeal', {
      imei: IMEI_C,
      ground: 'other',
      statement: 'My phone is not blocked at all.',
      appellantEmail: 'someone@example.org',
    });
    expect(nothing.status).toBe(400);
    expect(await nothing.text()).toContain(
      'This phone is neither blocked nor tracked: there is nothing to appeal.',
    );

    const statement = 'I bought this phone new in a shop; the receipt is number 4711.';
    const filed = await post(
      t,
      '/appeal',
      {
        imei: duplicate,
        ground: 'false-duplicate',
        statement,
        appellantName: 'Appellant Person',
        appellantPhone: PHONE_B,
        appellantEmail: 'appellant@example.org',
      },
      'es',
    );
    expect(filed.status).toBe(303);
    const location = filed.headers.get('location')!;
    expect(location).toMatch(/^\/appeal\?reference=A-[0-9A-Z]{4}-[0-9A-Z]{4}&filed=new$/);
    const appealReference = /A-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(location)![0];
    expect((await t.context.desk.outbox.to(PHONE_B.slice(1), 1))[0]!.text).toContain(appealReference);

    const page = await (await get(t, location)).text();
    expect(page).toContain(`Appeal ${appealReference}`);
    expect(page).toContain('Waiting for a decision');
    expect(page).toContain('blocked: the same IMEI is used by more than one device (clone)');
    expect(page).toContain('not decided yet');
    for (const personal of [
      'Appellant Person',
      '254722345678',
      'appellant@example.org',
      statement,
      'receipt',
      duplicate,
      'regulator',
    ])
      expect(page).not.toContain(personal);

    const again = await post(t, '/appeal', {
      imei: duplicate,
      ground: 'other',
      statement: 'Once more, with feeling.',
      appellantEmail: 'appellant@example.org',
    });
    expect(again.headers.get('location')).toBe(`/appeal?reference=${appealReference}&filed=existing`);

    await t.context.desk.appeals.decide(
      appealReference,
      { duplicate: 'overturned' },
      { kind: 'regulator', name: 'regulator.one' },
      'the receipt shows a genuine device',
    );
    const decided = await (await get(t, `/appeal?reference=${appealReference.toLowerCase()}`, 'ar')).text();
    expect(decided).toContain('<html lang="ar" dir="rtl">');
    expect(decided).toContain('صدر القرار: رُفع الحظر');
    expect(decided).toContain('مرفوع');
    expect(decided).not.toContain('the receipt shows');
    expect(decided).not.toContain('regulator.one');

    const unknown = await get(t, '/appeal?reference=A-0000-0000');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('There is no appeal with this reference.');
  });
});

describe('report and appeal rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { env: { OPENCEIR_PORTAL_RATE_LIMIT_PER_MINUTE: '2' } });
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('answers 429 with Retry-After and a localized page past the limit, per endpoint; the forms stay open', async () => {
    for (let i = 0; i < 2; i++) expect((await post(t, '/report', { imei: '1' }, 'ru')).status).toBe(400);
    const refused = await post(t, '/report', { imei: '1' }, 'ru');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toContain('text/html');
    const body = await refused.text();
    expect(body).toContain('<html lang="ru" dir="ltr">');
    expect(body).toContain('Слишком много запросов');
    for (let i = 0; i < 3; i++) expect((await get(t, '/report')).status).toBe(200);

    for (let i = 0; i < 2; i++) expect((await post(t, '/appeal', { imei: '1' }, 'ar')).status).toBe(400);
    const appeal = await post(t, '/appeal', { imei: '1' }, 'ar');
    expect(appeal.status).toBe(429);
    expect(await appeal.text()).toContain('<html lang="ar" dir="rtl">');

    for (let i = 0; i < 2; i++) expect((await get(t, '/cases?reference=C-0000-0000')).status).toBe(404);
    expect((await get(t, '/cases?reference=C-0000-0000')).status).toBe(429);
    expect((await get(t, '/cases')).status).toBe(200);
    for (let i = 0; i < 2; i++)
      expect((await post(t, '/cases/C-0000-0000/verify', { code: '123456' })).status).toBe(404);
    expect((await post(t, '/cases/C-0000-0000/verify', { code: '123456' })).status).toBe(429);
  });
});

describe('report, case and appeal pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function open(locale: string, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: MOBILE, javaScriptEnabled });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    t = await createTestApp('pglite');
    await seedRegions(t);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.dispose();
  });

  /** Fills the report form as a person would and sends it; returns the case reference. */
  async function report(
    page: Page,
    imeis: [string, string],
    phone: string,
    mode: 'block' | 'track',
  ): Promise<string> {
    await page.goto(`${t.base}/report`);
    await page.fill('#imei', imeis[0]);
    await page.fill('#imei2', imeis[1]);
    await page.check('#kind');
    await page.check(mode === 'block' ? '#mode' : '#mode-track');
    await page.fill('#brand', 'Acme');
    await page.fill('#model', 'A1');
    await page.fill('#incidentAt', '2026-01-15T21:30');
    await page.fill('#incidentPlace', 'Market street');
    await page.selectOption('#region', 'north');
    await page.fill('#reporterName', 'Browser Owner');
    await page.fill('#reporterPhone', phone);
    await page.check('#notifyOwner');
    await Promise.all([
      page.waitForURL(/\/cases\/C-/),
      page.click('form[action^="/report"] button[type=submit]'),
    ]);
    return referenceIn(page.url())!;
  }

  async function enterCode(page: Page, phone: string): Promise<void> {
    await page.fill('#code', await codeSentTo(t, phone));
    await Promise.all([
      page.waitForURL(/done=verified/),
      page.click('form[action*="/verify"] button[type=submit]'),
    ]);
  }

  it('reports a dual-SIM phone with JavaScript off, enters the code and sees it blocked', async () => {
    const page = await open('en', false);
    const reference = await report(page, [imei('35332510000001'), imei('35332510000002')], PHONE_A, 'block');
    expect(await page.textContent('#case-state')).toBe('Waiting for your code');
    expect(await page.textContent('main')).toContain(`Keep its reference: ${reference}`);
    await screenshot(page, 'portal-case-submitted-nojs-en');
    await enterCode(page, PHONE_A);
    expect(await page.textContent('#case-state')).toBe('Blocked');
    expect(await page.textContent('main')).toContain('Thank you: your report is confirmed.');
    expect(await status(t, imei('35332510000001'))).toBe('blocked');
    expect(await status(t, imei('35332510000002'))).toBe('blocked');
    const record = await t.context.desk.cases.get(reference);
    expect(record).toMatchObject({
      mode: 'block',
      region: 'north',
      brand: 'Acme',
      notifyOwner: true,
      language: 'en',
    });
    expect(record!.incidentAt).toMatch(/^2026-01-15T/);
  });

  it('reports with JavaScript on, in Arabic, in recovery mode: the phone is tracked', async () => {
    const page = await open('ar');
    const reference = await report(page, [imei('35332510000003'), imei('35332510000004')], PHONE_B, 'track');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('#case-state')).toBe('بانتظار الرمز');
    await enterCode(page, PHONE_B);
    expect(await page.textContent('#case-state')).toBe('قيد المتابعة (وضع الاسترداد)');
    expect(await status(t, imei('35332510000003'))).toBe('tracked');
    expect((await t.context.desk.cases.get(reference))!.language).toBe('ar');
  });

  it('every report, case and appeal page has no serious or critical axe violation and fits 360 px, in English and Arabic', async () => {
    // A submitted case, a blocked case, and an appeal against the blocked phone.
    const phone = '+254711000111';
    const submitted = await t.context.desk.cases.report(
      { imeis: [imei('35332510000005')], kind: 'lost', reporterPhone: phone, brand: 'Acme', model: 'A2' },
      { kind: 'owner', name: 'owner' },
      'portal',
    );
    const blocked = await t.context.desk.cases.report(
      {
        imeis: [imei('35332510000006'), imei('35332510000007')],
        kind: 'stolen',
        reporterPhone: '+254711000222',
      },
      { kind: 'owner', name: 'owner' },
      'portal',
    );
    expect(
      await t.context.desk.cases.verify(blocked.record.reference, await codeSentTo(t, '+254711000222')),
    ).toBe('verified');
    const appeal = await t.context.desk.appeals.file(
      {
        imei: imei('35332510000006'),
        ground: 'good-faith-buyer',
        statement: 'Bought it from a shop with a receipt.',
        appellantPhone: '+254711000333',
      },
      'portal',
    );
    const pages: [string, string][] = [
      ['report', '/report'],
      ['cases', '/cases'],
      ['case-submitted', `/cases/${submitted.record.reference}`],
      ['case-blocked', `/cases/${blocked.record.reference}`],
      ['case-confirm', `/cases/${blocked.record.reference}?action=unblock&code=sent`],
      ['appeal', `/appeal?id=${imei('35332510000006')}`],
      ['appeal-status', `/appeal?reference=${appeal.record.reference}&filed=new`],
    ];
    const page = await open('en');
    const failures: string[] = [];
    const inspect = async (name: string, language: string) => {
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      const violations = await seriousViolations(page);
      if (violations.length > 0) failures.push(`${name}/${language}: ${JSON.stringify(violations)}`);
      const overflow = await horizontalOverflow(page);
      if (overflow > 0) failures.push(`${name}/${language}: ${overflow}px wider than 360`);
      await screenshot(page, `portal-${name}-${language}`);
    };
    for (const language of ['en', 'ar']) {
      for (const [name, url] of pages) {
        await page.goto(`${t.base}${url}${url.includes('?') ? '&' : '?'}lang=${language}`);
        await inspect(name, language);
      }
      // Pages that answer a form: the report and the appeal with errors, a wrong code.
      await page.goto(`${t.base}/report?lang=${language}`);
      await page.fill('#imei', '12345');
      await page.click('form[action^="/report"] button[type=submit]');
      await page.waitForSelector('.error-summary');
      await inspect('report-errors', language);
      await page.goto(`${t.base}/appeal?lang=${language}`);
      await page.click('form[action^="/appeal"] button[type=submit]');
      await page.waitForSelector('.error-summary');
      await inspect('appeal-errors', language);
      await page.goto(`${t.base}/cases/${submitted.record.reference}?lang=${language}`);
      await page.fill('#code', '12');
      await page.click('form[action*="/verify"] button[type=submit]');
      await page.waitForSelector('.error-summary');
      await inspect('case-code-error', language);
    }
    expect(failures).toEqual([]);
  }, 180_000);
});
