/**
 * The whole journey of a stolen phone, end to end, on the real system: the all-in-one server
 * (PGlite, N5g-eir on HTTP/2, the SMS channel bound over SMPP to an SMSC simulator the test runs),
 * driven in real Chromium (playwright-core) and by an HTTP/2 client playing the AMF.
 *
 * An owner reports a dual-SIM phone on the portal, confirms with the code the SMSC delivered, and
 * sees it blocked; N5g-eir answers BLACKLISTED for either IMEI; the phone attaches with a new SIM,
 * which is a sighting and raises a police alert visible in the police console; the police mark it
 * recovered; the owner unblocks it with a fresh code; N5g-eir answers WHITELISTED again.
 * Screenshots in English and Arabic go to test-artifacts/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../src/accounts/demo.ts';
import { loadConfig } from '../../src/config/load.ts';
import { SmscSimulator } from '../../src/protocols/sms/simulator.ts';
import { type RunningSystem, startSystem } from '../../src/server.ts';
import { launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';

const IMEI_1 = '353879234252633';
const IMEI_2 = '352099001761481';
const OWNER_PHONE = '+254712345678';
const OWNER_DIGITS = '254712345678';
const NEW_SIM = '001019876543210';

/** The AMF's question (TS 29.511 §5.2.2.2), over HTTP/2 without TLS (prior knowledge). */
async function equipmentStatus(sbiUrl: string, pei: string, supi?: string): Promise<string> {
  const client = http2.connect(sbiUrl);
  try {
    const query = new URLSearchParams({ pei, ...(supi ? { supi } : {}) });
    const request = client.request({ ':path': `/n5g-eir-eic/v1/equipment-status?${query}` });
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      request.on('end', () => resolve());
      request.on('error', reject);
    });
    return (JSON.parse(body) as { status: string }).status;
  } finally {
    client.close();
  }
}

/** Polls until `probe` gives `expected` (bounded: 100 tries, 10 s). */
async function eventually<T>(probe: () => Promise<T>, expected: T): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 100; i++) {
    last = await probe();
    if (last === expected) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return last as T;
}

describe('the journey of a stolen phone (Chromium, N5g-eir, SMPP)', () => {
  let dir: string;
  let simulator: SmscSimulator;
  let system: RunningSystem;
  let browser: Browser;
  let reference: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-journey-'));
    simulator = await SmscSimulator.start({ systemId: 'openceir', password: 'journey-secret' });
    const config = loadConfig({
      cwd: dir,
      env: {
        OPENCEIR_DATA_DIR: dir,
        OPENCEIR_HTTP_PORT: '0',
        OPENCEIR_SBI_PORT: '0',
        OPENCEIR_DIAMETER_PORT: '0',
        OPENCEIR_DEMO: '0',
        OPENCEIR_SMS_SMSC_URL: simulator.url,
        OPENCEIR_SMS_PASSWORD: 'journey-secret',
        OPENCEIR_LOG_LEVEL: 'silent',
      },
    });
    system = await startSystem(config, pino({ level: 'silent' }));
    // Police units and staff (the demo accounts: regions capital, north, coast).
    await seedDemoAccounts(system.store!);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await system?.close();
    await simulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The newest code the SMSC delivered to the owner's phone after `since` messages. */
  async function codeFromSms(since: number): Promise<string> {
    const message = await simulator.waitForMessage(
      OWNER_DIGITS,
      (m) => simulator.messagesTo(OWNER_DIGITS).indexOf(m) >= since && /\b\d{6}\b/.test(m.text),
      15_000,
    );
    return /\b(\d{6})\b/.exec(message.text)![1]!;
  }

  async function both(page: Page, name: string): Promise<void> {
    await screenshot(page, `journey-${name}-en`);
    const url = new URL(page.url());
    url.searchParams.set('lang', 'ar');
    await page.goto(url.toString());
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `journey-${name}-ar`);
    url.searchParams.set('lang', 'en');
    await page.goto(url.toString());
  }

  it('owner reports and confirms by SMS code; the network refuses both IMEIs', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${system.httpUrl}/report`);
    await page.fill('#imei', IMEI_1);
    await page.fill('#imei2', IMEI_2);
    await page.check('#kind');
    await page.check('#mode');
    await page.selectOption('#region', 'capital');
    await page.fill('#reporterPhone', OWNER_PHONE);
    const before = simulator.messagesTo(OWNER_DIGITS).length;
    await Promise.all([
      page.waitForURL(/\/cases\/C-/),
      page.click('form[action^="/report"] button[type=submit]'),
    ]);
    reference = /\/cases\/(C-[0-9A-Z-]+)/.exec(page.url())![1]!;
    expect(await page.textContent('#case-state')).toBe('Waiting for your code');

    await page.fill('#code', await codeFromSms(before));
    await Promise.all([
      page.waitForURL(/done=verified/),
      page.click('form[action*="/verify"] button[type=submit]'),
    ]);
    expect(await page.textContent('#case-state')).toBe('Blocked');
    await both(page, 'case-blocked');

    expect(await eventually(() => equipmentStatus(system.sbiUrl!, `imei-${IMEI_1}`), 'BLACKLISTED')).toBe(
      'BLACKLISTED',
    );
    expect(await equipmentStatus(system.sbiUrl!, `imeisv-${IMEI_2.slice(0, 14)}07`)).toBe('BLACKLISTED');
    await page.close();
  });

  it('the phone attaches with a new SIM: a sighting and a police alert in the police console; police mark it recovered', async () => {
    expect(await equipmentStatus(system.sbiUrl!, `imeisv-${IMEI_1.slice(0, 14)}12`, `imsi-${NEW_SIM}`)).toBe(
      'BLACKLISTED',
    );
    const police = await browser.newPage({ locale: 'en-GB' });
    await police.goto(`${system.httpUrl}/console/login`);
    await police.fill('#username', 'police.capital');
    await police.fill('#password', DEMO_PASSWORD);
    await Promise.all([
      police.waitForURL(/\/console\/$/),
      police.click('form[action^="/console/login"] button[type=submit]'),
    ]);

    // The sighting travels: written ahead, shipped to the database, read by the alert raiser.
    let seen = false;
    for (let i = 0; i < 40 && !seen; i++) {
      await police.goto(`${system.httpUrl}/console/alerts`);
      seen = ((await police.textContent('main')) ?? '').includes(NEW_SIM);
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(seen).toBe(true);
    expect(await police.textContent('main')).toContain(reference);
    await both(police, 'police-alerts');

    await markRecovered(police, reference);
    await police.goto(`${system.httpUrl}/console/cases/${reference}`);
    expect(await police.textContent('main')).toMatch(/recovered/i);
    await both(police, 'police-case-recovered');
    await police.close();
  });

  it('the owner unblocks with a fresh code, and the network accepts the phone again', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${system.httpUrl}/cases/${reference}`);
    expect(await page.textContent('#case-state')).toBe('Recovered');
    const before = simulator.messagesTo(OWNER_DIGITS).length;
    await page.click('form:has(input[name="action"][value="unblock"]) button[type=submit]');
    await page.fill('#code', await codeFromSms(before));
    await Promise.all([page.waitForURL(/done=/), page.click('form[action*="/act"] button[type=submit]')]);
    expect(await page.textContent('#case-state')).toBe('Closed');
    await both(page, 'case-closed');
    expect(await eventually(() => equipmentStatus(system.sbiUrl!, `imei-${IMEI_1}`), 'WHITELISTED')).toBe(
      'WHITELISTED',
    );
    expect(await equipmentStatus(system.sbiUrl!, `imei-${IMEI_2}`)).toBe('WHITELISTED');
    // What the owner's phone received, in order: the code, blocked, seen (not asked for), recovered, code, closed.
    const texts = simulator.messagesTo(OWNER_DIGITS).map((m) => m.text);
    expect(texts.some((t) => t.includes('is now blocked on all networks'))).toBe(true);
    expect(texts.some((t) => t.includes('is closed'))).toBe(true);
    await page.close();
  });
});

/** The police console's "mark the case recovered" on the alert of that case. */
async function markRecovered(police: Page, reference: string): Promise<void> {
  const form = police
    .locator(`form[action*="${reference}"]:has(input[name="action"][value="recover"])`)
    .first();
  await Promise.all([police.waitForURL(/\/console\//), form.locator('button[type=submit]').click()]);
}
