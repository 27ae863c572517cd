/**
 * The public portal in real Chromium (playwright-core) against the app on real HTTP (PGlite):
 * checks in English and Arabic, the language switcher, axe-core on every page, 360 px without
 * horizontal overflow, a certificate downloaded and verified, and one altered byte refused.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/i18n/index.ts';
import { ar } from '../../src/i18n/portal/ar.ts';
import { en } from '../../src/i18n/portal/en.ts';
import { es } from '../../src/i18n/portal/es.ts';
import { fr } from '../../src/i18n/portal/fr.ts';
import { ru } from '../../src/i18n/portal/ru.ts';
import { zh } from '../../src/i18n/portal/zh.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import {
  horizontalOverflow,
  launchBrowser,
  MOBILE,
  screenshot,
  seriousViolations,
} from '../support/browser.ts';

const BLOCKED = '352099001761481';
const ALLOWED = '490154203237518';
const NOTE = 'owner reachable at +15551234567';
const CASE_REFERENCE = 'case:2026-000123';

describe('public portal in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /** A fresh browser profile (no language cookie) speaking `locale`, at phone width. */
  async function open(locale: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: MOBILE, acceptDownloads: true });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    t = await createTestApp('pglite', { sightings: true });
    const registry = t.context.registry;
    await registry.changeStatus(BLOCKED, 'block', {
      reason: 'stolen',
      source: 'police',
      note: NOTE,
      reference: CASE_REFERENCE,
    });
    await registry.changeStatus(ALLOWED, 'allow', { reason: 'registered', source: 'regulator' });
    const tacs = path.join(os.tmpdir(), `openceir-portal-tacs-${process.pid}.csv`);
    writeFileSync(tacs, 'tac,name,name\n35209900,Acme,Phone X\n');
    await registry.importTacs(tacs);
    rmSync(tacs, { force: true });
    await t.caughtUp();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.dispose();
  });

  async function checkOnHomePage(page: Page, imei: string): Promise<void> {
    await page.goto(`${t.base}/`);
    await page.fill('#id', imei);
    await page.click('button[type=submit]');
    await page.waitForSelector('#status-title');
  }

  it('checks a blocked and an allowed device in English, with reasons, model and no personal data', async () => {
    const page = await open('en-GB');
    await checkOnHomePage(page, BLOCKED);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    expect(await page.textContent('#status-title')).toBe('Blocked');
    const blocked = (await page.textContent('main')) ?? '';
    expect(blocked).toContain('will not work on mobile networks');
    expect(blocked).toContain('reported stolen');
    expect(blocked).toContain('Acme Phone X');
    expect(blocked).toContain('do not buy this phone');
    for (const personal of ['+15551234567', NOTE, CASE_REFERENCE, 'police'])
      expect(blocked).not.toContain(personal);
    await screenshot(page, 'portal-check-blocked-en');

    await checkOnHomePage(page, ALLOWED);
    expect(await page.textContent('#status-title')).toBe('Allowed');
    expect(await page.textContent('main')).toContain('registered');
    expect(await page.textContent('main')).toContain('Not found in the database of models');
  });

  it('names the rule an input breaks: check digit, length, characters', async () => {
    const page = await open('en');
    const expectations: [string, string][] = [
      ['352099001761482', 'should be 1, not 2'],
      ['35209900176', 'You entered 11'],
      ['35209900176148X', 'only digits'],
    ];
    for (const [input, message] of expectations) {
      await page.goto(`${t.base}/check?id=${encodeURIComponent(input)}`);
      expect(await page.textContent('.error-summary')).toContain(message);
      expect(await page.getAttribute('#id', 'aria-invalid')).toBe('true');
      expect(await page.getAttribute('#id', 'aria-describedby')).toBe('id-hint id-error');
      expect(await page.inputValue('#id')).toBe(input);
    }
  });

  it('speaks Arabic right to left from Accept-Language, and switches language by plain links that are remembered', async () => {
    const page = await open('ar-DZ');
    await checkOnHomePage(page, BLOCKED);
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('#status-title')).toBe('محظور');
    expect(await page.textContent('main')).toContain('مُبلَّغ عن سرقته');
    await screenshot(page, 'portal-check-blocked-ar');
    await checkOnHomePage(page, ALLOWED);
    expect(await page.textContent('#status-title')).toBe('مسموح');

    // The switcher keeps the page (and its query) and is remembered for the next page.
    await page.click('.languages a[hreflang=en]');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    expect(await page.textContent('#status-title')).toBe('Allowed');
    await page.goto(`${t.base}/check`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.click('.languages a[hreflang=zh]');
    expect(await page.textContent('h1')).toBe('查询设备');
    await page.goto(`${t.base}/?lang=ru`);
    expect(await page.textContent('h1')).toBe('Проверьте телефон перед покупкой');
  });

  it('the footer links the open-data page in all six languages, and the link leads there', async () => {
    const words = { en, ar, zh, fr, ru, es };
    for (const language of LANGUAGES) {
      const home = await (await fetch(`${t.base}/?lang=${language}`)).text();
      const footer = /<footer>[\s\S]*<\/footer>/.exec(home)?.[0] ?? '';
      expect(footer, language).toContain(`<a href="/open-data">${words[language]['footer.openData']}</a>`);
    }
    const page = await open('ar-DZ');
    await page.goto(`${t.base}/check`);
    await page.click('footer a[href="/open-data"]');
    expect(new URL(page.url()).pathname).toBe('/open-data');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.textContent('h1')).toBe('إحصاءات مفتوحة');
  });

  it('a portal check records no sighting (a buyer looking is not a network use)', async () => {
    const page = await open('en');
    for (let i = 0; i < 3; i++) {
      await page.goto(`${t.base}/check?id=${BLOCKED}`);
      await page.goto(`${t.base}/check/certificate?id=${BLOCKED}&format=html`);
    }
    await t.shipSightings();
    const response = await t.call(`/api/v1/devices/${BLOCKED}/sightings`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { sightings: unknown[] }).sightings).toEqual([]);
  });

  it('downloads a signed certificate, verifies it by upload and by its QR link, and refuses it with one byte altered', async () => {
    const page = await open('en');
    await page.goto(`${t.base}/check?id=${BLOCKED}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href*="format=json"]'),
    ]);
    expect(download.suggestedFilename()).toBe(`openceir-certificate-${BLOCKED}.json`);
    const file = await download.path();
    const json = readFileSync(file, 'utf8');
    const certificate = JSON.parse(json) as { statement: Record<string, unknown> };
    expect(certificate.statement).toMatchObject({
      deviceKey: BLOCKED.slice(0, 14),
      identifier: BLOCKED,
      status: 'blocked',
      reasons: ['stolen'],
      issuer: { keyId: t.context.ledger.signer.keyId },
    });
    const head = await t.context.ledger.head();
    expect(certificate.statement.ledger).toEqual({
      treeSize: head.size,
      rootHash: head.rootHash.toString('hex'),
    });
    for (const personal of ['+15551234567', CASE_REFERENCE, 'police', 'owner'])
      expect(json).not.toContain(personal);

    await page.goto(`${t.base}/certificates/verify`);
    await page.setInputFiles('#file', file);
    await page.click('button[type=submit]');
    expect(await page.textContent('#verdict')).toBe('Valid: signed by this register');
    expect(await page.textContent('main')).toContain(BLOCKED);

    // One byte of the file altered: the check digit of the identifier (still a well-formed field).
    const at = json.indexOf(`"identifier":"${BLOCKED}"`) + '"identifier":"'.length + 14;
    const altered = `${json.slice(0, at)}${json[at] === '9' ? '8' : '9'}${json.slice(at + 1)}`;
    expect(Buffer.byteLength(altered)).toBe(Buffer.byteLength(json));
    await page.goto(`${t.base}/certificates/verify`);
    await page.fill('#certificate', altered);
    await page.click('button[type=submit]');
    expect(await page.textContent('#verdict')).toBe('Not valid');
    expect(await page.textContent('main')).toContain('The signature does not match');
    await screenshot(page, 'portal-verify-altered-en');

    // The printable certificate's QR link carries the certificate and verifies.
    await page.goto(`${t.base}/check/certificate?id=${BLOCKED}&format=html`);
    expect(await page.locator('.qr svg').count()).toBe(1);
    const link = await page.getAttribute('figcaption a', 'href');
    expect(link).toMatch(/\/certificates\/verify\?c=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    await page.goto(link!);
    expect(await page.textContent('#verdict')).toBe('Valid: signed by this register');

    const key = await t.call('/certificates/key', { auth: false });
    expect(await key.text()).toBe(t.context.ledger.signer.publicKeyPem);
  });

  it('every public page has no serious or critical axe violation and fits 360 px, in English and Arabic', async () => {
    const page = await open('en');
    await page.goto(`${t.base}/check/certificate?id=${BLOCKED}&format=html`);
    const qrLink = (await page.getAttribute('figcaption a', 'href'))!;
    const pages: [string, string][] = [
      ['home', '/'],
      ['check-form', '/check'],
      ['check-blocked', `/check?id=${BLOCKED}`],
      ['check-allowed', `/check?id=${ALLOWED}`],
      ['check-error', '/check?id=12345'],
      ['certificate', `/check/certificate?id=${BLOCKED}&format=html`],
      ['verify-form', '/certificates/verify'],
      ['verify-valid', qrLink.replace(/^https?:\/\/[^/]+/, '')],
      ['verify-invalid', `${qrLink.replace(/^https?:\/\/[^/]+/, '').slice(0, -3)}AAA`],
    ];
    const failures: string[] = [];
    for (const language of ['en', 'ar']) {
      for (const [name, url] of pages) {
        await page.goto(`${t.base}${url}${url.includes('?') ? '&' : '?'}lang=${language}`);
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        const violations = await seriousViolations(page);
        if (violations.length > 0) failures.push(`${name}/${language}: ${JSON.stringify(violations)}`);
        const overflow = await horizontalOverflow(page);
        if (overflow > 0) failures.push(`${name}/${language}: ${overflow}px wider than 360`);
        await screenshot(page, `portal-${name}-${language}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('public rate limits', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await createTestApp('pglite', { env: { OPENCEIR_PORTAL_RATE_LIMIT_PER_MINUTE: '3' } });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('answers 429 with Retry-After and a localized page after the limit, per endpoint', async () => {
    const get = (url: string, language = 'fr') =>
      fetch(`${t.base}${url}`, { headers: { 'accept-language': language } });
    for (let i = 0; i < 3; i++) expect((await get(`/check?id=${ALLOWED}`)).status).toBe(200);
    const refused = await get(`/check?id=${ALLOWED}`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('content-type')).toContain('text/html');
    const body = await refused.text();
    expect(body).toContain('<html lang="fr" dir="ltr">');
    expect(body).toContain('Trop de requêtes');
    // The empty form costs nothing and stays available.
    expect((await get('/check')).status).toBe(200);

    for (let i = 0; i < 3; i++)
      expect((await get(`/check/certificate?id=${ALLOWED}&format=json`)).status).toBe(200);
    expect((await get(`/check/certificate?id=${ALLOWED}&format=json`)).status).toBe(429);

    const post = () =>
      fetch(`${t.base}/certificates/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'ar' },
        body: 'certificate=%7B%7D',
      });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(200);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('<html lang="ar" dir="rtl">');

    // The page of a 429 is accessible too.
    const page = await (await browser.newContext({ locale: 'ar', viewport: MOBILE })).newPage();
    const response = await page.goto(`${t.base}/check?id=${ALLOWED}`);
    expect(response?.status()).toBe(429);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'portal-429-ar');
  });
});
