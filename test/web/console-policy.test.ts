/**
 * The regulator's policy page over real HTTP (PGlite) and in real Chromium: the policy and settings
 * in force, appeal outcomes per detection rule, who may open it, Arabic right to left, axe-core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../src/accounts/demo.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';

describe('console policy page', () => {
  let t: TestApp;
  const sessions: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp('pglite', {
      env: { OPENCEIR_CASES_APPEAL_DAYS: '21', OPENCEIR_SMS_LANGUAGES: '213=ar' },
    });
    await seedDemoAccounts(t.context.store, t.accounts);
    for (const username of ['regulator', 'auditor', 'police.capital']) {
      const response = await t.call('/console/login', {
        auth: false,
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password: DEMO_PASSWORD }).toString(),
      });
      sessions[username] = response.headers
        .getSetCookie()
        .find((c) => c.startsWith('openceir_session='))!
        .split(';')[0]!;
    }
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const page = (username: string, language = 'en') =>
    t.call('/console/policy', {
      auth: false,
      redirect: 'manual',
      headers: { cookie: sessions[username]!, 'accept-language': language },
    });

  it('shows the policy and settings in force, and appeal outcomes per detection rule', async () => {
    await t.call('/api/v1/devices/353879234252633/block', {
      method: 'POST',
      json: { reason: 'duplicate', source: 'rule:duplicate-threshold' },
    });
    const { record } = await t.context.desk.appeals.file(
      {
        imei: '353879234252633',
        ground: 'false-duplicate',
        statement: 'bought new in a shop',
        appellantEmail: 'a@example.org',
      },
      'portal',
    );
    await t.context.desk.appeals.decide(
      record.reference,
      { duplicate: 'overturned' },
      { kind: 'regulator', name: 'regulator' },
      'receipt checked',
    );
    const response = await page('regulator');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('Permissive: devices in no list may attach');
    expect(text).toContain('21 days');
    expect(text).toContain('213=ar');
    expect(text).toMatch(/rule:duplicate-threshold<\/td><td>0<\/td><td>1<\/td>\s*<td>100 %/);
    expect((await page('auditor')).status).toBe(200);
    expect((await page('police.capital')).status).toBe(403);
    expect(await (await page('regulator', 'ar')).text()).toContain('dir="rtl"');
  });

  it('has no serious accessibility violations, in English and Arabic', async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const [name, value] = sessions.regulator!.split('=');
      await context.addCookies([{ name: name!, value: value!, url: t.base }]);
      const tab = await context.newPage();
      for (const language of ['en', 'ar']) {
        await tab.goto(`${t.base}/console/policy?lang=${language}`);
        expect(await seriousViolations(tab)).toEqual([]);
        await screenshot(tab, `console-policy-${language}`);
      }
    } finally {
      await browser.close();
    }
  });
});
