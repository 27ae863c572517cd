/**
 * The regulator's statistics dashboard over real HTTP (PGlite) and in real Chromium: a known history
 * (police cases in three regions, one recovered, rule blocks, an overturned appeal), who may open it,
 * filters refused with the field and the rule, every chart's CSV equal to the marks drawn, and the
 * page drawn in English and Arabic (right to left) with visible marks, screenshots in test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../src/accounts/demo.ts';
import type { CaseActor } from '../../src/cases/index.ts';
import { type DeviceKey, fullImei } from '../../src/identifiers/index.ts';
import { DASHBOARD_CHARTS } from '../../src/insight/render/dashboard.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';

/** The page's document as the function evaluated in the browser sees it (the project has no DOM types). */
declare const document: {
  querySelectorAll(
    selector: string,
  ): ArrayLike<{ getBoundingClientRect(): { width: number; height: number } }>;
};

const police = (unit: string): CaseActor => ({
  kind: 'police',
  name: unit,
  organisation: { id: unit, kind: 'police', operatorId: null },
});

const imei = (n: number) => fullImei(`35387923${String(400_000 + n)}` as DeviceKey);

/** Marks drawn for one chart, as `category → series → value`, read from the SVG markup. */
function drawn(page: string, id: string): Map<string, Map<string, string>> {
  const svg = new RegExp(`<svg[^>]*id="${id}-chart"[\\s\\S]*?</svg>`).exec(page)?.[0] ?? '';
  const out = new Map<string, Map<string, string>>();
  for (const m of svg.matchAll(/data-series="([^"]*)" data-category="([^"]*)" data-value="([^"]*)"/g)) {
    const row = out.get(m[2]!) ?? new Map<string, string>();
    row.set(m[1]!, m[3]!);
    out.set(m[2]!, row);
  }
  return out;
}

describe('console statistics dashboard', () => {
  let t: TestApp;
  const sessions: Record<string, string> = {};
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await createTestApp('pglite');
    await seedDemoAccounts(t.context.store, t.accounts);
    for (const username of ['regulator', 'police.capital']) {
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
    // Police reports: three in the capital, two in the north, one on the coast; one recovered.
    const regions = ['capital', 'capital', 'capital', 'north', 'north', 'coast'];
    const references: string[] = [];
    for (const [i, region] of regions.entries()) {
      const unit = region === 'capital' ? 'police-capital' : 'police-north';
      const { record } = await t.context.desk.cases.report(
        { imeis: [imei(i)], kind: 'stolen', region, policeReportNumber: `PR-${i}` },
        police(unit),
        'police',
      );
      references.push(record.reference);
    }
    await t.context.desk.cases.act(references[0]!, 'recover', police('police-capital'), 'found');
    // Two devices blocked by a detection rule; the block of one is overturned on appeal.
    for (const n of [50, 51]) {
      const response = await t.call(`/api/v1/devices/${imei(n)}/block`, {
        method: 'POST',
        json: { reason: 'duplicate', source: 'rule:duplicate-threshold' },
      });
      expect(response.status).toBeLessThan(300);
    }
    const { record } = await t.context.desk.appeals.file(
      { imei: imei(50), ground: 'false-duplicate', statement: 'bought new', appellantEmail: 'a@example.org' },
      'portal',
    );
    await t.context.desk.appeals.decide(
      record.reference,
      { duplicate: 'overturned' },
      { kind: 'regulator', name: 'regulator' },
      'receipt checked',
    );
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const get = (path: string, username = 'regulator', language = 'en') =>
    t.call(path, {
      auth: false,
      redirect: 'manual',
      headers: { cookie: sessions[username]!, 'accept-language': language },
    });

  it('is the regulator’s, linked from the console home', async () => {
    expect((await get('/console/statistics', 'police.capital')).status).toBe(403);
    expect((await get('/console/statistics/reports.csv', 'police.capital')).status).toBe(403);
    const home = await (await get('/console/')).text();
    expect(home).toContain('href="/console/statistics"');
  });

  it('refuses filters it cannot use, naming the field and the rule', async () => {
    const response = await get('/console/statistics?from=2026-02-30&grain=month');
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('2026-02-30 is not a calendar date');
    expect(page).toMatch(/href="#from"/);
    const both = await get('/console/statistics?region=capital&reason=stolen');
    expect(await both.text()).toContain('choose a region or a reason, not both');
    const csv = await get('/console/statistics/reports.csv?grain=hour');
    expect(csv.status).toBe(400);
    expect(await csv.json()).toMatchObject({ invalidParams: [{ param: 'query grain' }] });
    expect((await get('/console/statistics/nothing.csv')).status).toBe(404);
  });

  it('draws the known history, and every chart’s CSV is exactly the marks drawn', async () => {
    const query = `from=${today}&to=${today}&grain=day`;
    const page = await (await get(`/console/statistics?${query}`)).text();
    expect(page).toContain(`value="${today}"`);
    const region = await get(`/console/statistics/reports-by-region.csv?${query}`);
    expect(region.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await region.text()).toBe('region,reports\r\ncapital,3\r\ncoast,1\r\nnorth,2\r\n');
    const reports = await (await get(`/console/statistics/reports.csv?${query}`)).text();
    expect(reports).toBe(`period,reports\r\n${today},6\r\n`);
    const rules = await (await get(`/console/statistics/overturn-rate-by-rule.csv?${query}`)).text();
    expect(rules).toContain('duplicate-threshold,100\r\n');
    for (const spec of DASHBOARD_CHARTS) {
      const response = await get(`/console/statistics/${spec.id}.csv?${query}`);
      expect(response.status, spec.id).toBe(200);
      const [header, ...rows] = (await response.text()).trimEnd().split('\r\n');
      const keys = header!.split(',').slice(1);
      const marks = drawn(page, spec.id);
      const fromCsv = new Map<string, Map<string, string>>();
      for (const row of rows) {
        const [category, ...values] = row.split(',');
        const cells = new Map<string, string>();
        values.forEach((v, i) => {
          if (v !== '') cells.set(keys[i]!, v);
        });
        fromCsv.set(category!, cells);
      }
      expect(marks, spec.id).toEqual(fromCsv);
    }
    // A region filter narrows the time series to that region.
    const capital = await (await get(`/console/statistics/reports.csv?${query}&region=capital`)).text();
    expect(capital).toBe(`period,reports\r\n${today},3\r\n`);
  });

  it('renders in Chromium with charts drawn, in English and Arabic', async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
      const [name, value] = sessions.regulator!.split('=');
      await context.addCookies([{ name: name!, value: value!, url: t.base }]);
      const tab = await context.newPage();
      for (const language of ['en', 'ar']) {
        await tab.goto(`${t.base}/console/statistics?lang=${language}&from=${today}&to=${today}&grain=day`);
        expect(await tab.getAttribute('html', 'dir')).toBe(language === 'ar' ? 'rtl' : 'ltr');
        const sizes = await tab.evaluate(() =>
          Array.from(document.querySelectorAll('svg.chart .mark')).map((mark) => {
            const box = mark.getBoundingClientRect();
            return box.width * box.height;
          }),
        );
        const charts = await tab.locator('svg.chart').count();
        expect(charts).toBeGreaterThanOrEqual(10);
        expect(sizes.filter((area) => area > 0).length).toBeGreaterThanOrEqual(12);
        expect(await seriousViolations(tab)).toEqual([]);
        await screenshot(tab, `console-statistics-${language}`);
      }
    } finally {
      await browser.close();
    }
  });
});
