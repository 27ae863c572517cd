/**
 * Personal data minimised in exports (docs/security.md, "What each export carries"), on PostgreSQL
 * with the registry app on real HTTP (loopback). Distinctive personal values are planted through the
 * real APIs: a staff-entered case with the reporter's name, phone, e-mail, last MSISDN and police
 * report number; an appeal with the appellant's contacts and statement; a case note; a sighting with
 * IMSI, MSISDN and place; a pairing whose IMSI has no home network, with an MSISDN. Then the exports
 * that carry no personal data are run (operator list files, the peer feed, the operator pull API,
 * the monthly report JSON and CSVs, the open-data answer, every console statistics CSV) and none may
 * hold any planted value, in any form (with or without '+', any letter case).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../src/accounts/demo.ts';
import { exportOperatorFiles, type OperatorPrefixes } from '../../src/exchange/files/export.ts';
import { DASHBOARD_CHARTS } from '../../src/insight/render/dashboard.ts';
import { buildMonthlyReport } from '../../src/insight/report.ts';
import { writeReport } from '../../src/insight/report-files.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const IMEI_CASE = '490154203237518';
const IMEI_NOTE = '356938035643809';
const IMEI_PAIRED = '353879234000016';
/** mno-a owns 63902, mno-b 63907; 310… has no home network here. */
const CONFIGURED: OperatorPrefixes[] = [
  { id: 'mno-a', prefixes: ['63902'] },
  { id: 'mno-b', prefixes: ['63907'] },
];

const PLANTED = {
  reporterName: 'Quillon Vasquez-Marlowe',
  reporterPhone: '+254799123457',
  reporterEmail: 'quillon.planted@example.org',
  lastMsisdn: '254733918273',
  policeReportNumber: 'PRN-QVM-918273',
  appellantName: 'Odalys Fenwick-Tarr',
  appellantPhone: '+254788445566',
  appellantEmail: 'odalys.planted@example.org',
  statement: 'Odalys bought it at the Tarrwick market stall',
  note: 'owner rang from the Fenwick Street pharmacy',
  sightingImsi: '639021122334455',
  sightingMsisdn: '254722667788',
  sightingPlace: 'Marlowe Avenue cell 4471',
  pairedMsisdn: '254711998877',
} as const;

/** Every form a planted value may take in an output: as given, without '+', lower case. */
const NEEDLES = Object.entries(PLANTED).flatMap(([field, value]) =>
  [...new Set([value, value.replace(/^\+/, ''), value.toLowerCase()])].map((form) => ({ field, form })),
);

/** The planted fields an output holds, by name (empty: none). */
function leaks(output: string): string[] {
  const text = output.toLowerCase();
  return [...new Set(NEEDLES.filter((n) => text.includes(n.form.toLowerCase())).map((n) => n.field))];
}

describe('exports carry no personal data they do not need (PostgreSQL)', () => {
  let t: TestApp;
  let caseReference = '';
  let regulatorSession = '';
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'openceir-exports-'));
  const month = new Date().toISOString().slice(0, 7);
  const today = new Date().toISOString().slice(0, 10);

  const ok = async (response: Response) => {
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return response;
  };

  beforeAll(async () => {
    t = await createTestApp('postgres', { sightings: true });
    await seedDemoAccounts(t.context.store, t.accounts);

    // A case entered by staff: verified at once, its device blocked (shared with peers: reason stolen).
    const opened = await ok(
      await t.call('/api/v1/cases', {
        method: 'POST',
        json: {
          imeis: [IMEI_CASE],
          kind: 'stolen',
          region: 'capital',
          lastMsisdn: PLANTED.lastMsisdn,
          policeReportNumber: PLANTED.policeReportNumber,
          reporterName: PLANTED.reporterName,
          reporterPhone: PLANTED.reporterPhone,
          reporterEmail: PLANTED.reporterEmail,
        },
      }),
    );
    caseReference = ((await opened.json()) as { case: { reference: string } }).case.reference;

    // A second case, recovered with a free-text note.
    const second = await ok(
      await t.call('/api/v1/cases', {
        method: 'POST',
        json: { imeis: [IMEI_NOTE], kind: 'lost', region: 'north', reporterEmail: PLANTED.reporterEmail },
      }),
    );
    const secondReference = ((await second.json()) as { case: { reference: string } }).case.reference;
    await ok(
      await t.call(`/api/v1/cases/${secondReference}/actions`, {
        method: 'POST',
        json: { action: 'recover', note: PLANTED.note },
      }),
    );

    // A network saw the blocked device with a SIM, at a place.
    await ok(
      await t.call('/api/v1/sightings', {
        method: 'POST',
        json: {
          sightings: [
            {
              id: 'planted-sighting-1',
              time: new Date().toISOString(),
              deviceKey: IMEI_CASE.slice(0, 14),
              equipment: IMEI_CASE,
              svn: null,
              imsi: PLANTED.sightingImsi,
              msisdn: PLANTED.sightingMsisdn,
              status: 'blocked',
              matched: 'device',
              reasons: ['stolen'],
              protocol: 'rest',
              node: 'test-node',
              peer: null,
              network: 'mno-a',
              location: PLANTED.sightingPlace,
            },
          ],
        },
      }),
    );

    // An appeal against the block, with the appellant's contacts.
    await t.context.desk.appeals.file(
      {
        imei: IMEI_CASE,
        ground: 'other',
        statement: PLANTED.statement,
        appellantName: PLANTED.appellantName,
        appellantPhone: PLANTED.appellantPhone,
        appellantEmail: PLANTED.appellantEmail,
      },
      'portal',
    );

    // A pairing of a roaming IMSI (no home network): every operator's exception list carries it.
    await ok(
      await t.call(`/api/v1/devices/${IMEI_PAIRED}/pair`, {
        method: 'POST',
        json: { imsi: '310150000000003', msisdn: PLANTED.pairedMsisdn },
      }),
    );

    const login = await t.call('/console/login', {
      auth: false,
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'regulator', password: DEMO_PASSWORD }).toString(),
    });
    regulatorSession = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('openceir_session='))!
      .split(';')[0]!;
  }, 120_000);

  afterAll(async () => {
    await t?.dispose();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('the planted values are in the registry, where the people who need them read them', async () => {
    // Without this the scans below could pass on a registry that never held the values.
    const held = await ok(await t.call(`/api/v1/cases/${caseReference}`));
    expect(leaks(await held.text())).toEqual(
      expect.arrayContaining(['reporterName', 'reporterPhone', 'reporterEmail', 'policeReportNumber']),
    );
    const seen = await ok(await t.call(`/api/v1/devices/${IMEI_CASE}/sightings`));
    expect(leaks(await seen.text())).toEqual(
      expect.arrayContaining(['sightingImsi', 'sightingMsisdn', 'sightingPlace']),
    );
    expect(leaks(`x${PLANTED.appellantPhone.slice(1)}x ${PLANTED.note.toUpperCase()}`)).toEqual([
      'appellantPhone',
      'note',
    ]);
  });

  it('operator list files (exchange export): lists without contacts; a roaming pairing without its MSISDN', async () => {
    for (const operator of ['mno-a', 'mno-b']) {
      const dir = path.join(outDir, `lists-${operator}`);
      await exportOperatorFiles(t.context.ledger, { operator, dir, configured: CONFIGURED });
      const files = readdirSync(dir);
      expect(files).toContain('blocked.csv');
      const blocked = readFileSync(path.join(dir, 'blocked.csv'), 'utf8');
      expect(blocked).toContain(IMEI_CASE.slice(0, 14));
      expect(readFileSync(path.join(dir, 'exceptions.csv'), 'utf8')).toContain('310150000000003');
      for (const file of files) expect(leaks(readFileSync(path.join(dir, file), 'latin1')), file).toEqual([]);
    }
  });

  it('the peer feed (/exchange/v1/feed) shares the block and nothing personal', async () => {
    const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    await ok(
      await t.call('/api/v1/exchange/peers', {
        method: 'POST',
        json: { id: 'peer-x', url: 'http://127.0.0.1:9', publicKey, via: 'feed' },
      }),
    );
    const issued = await ok(await t.call('/api/v1/exchange/peers/peer-x/feed-key', { method: 'POST' }));
    const { feedKey } = (await issued.json()) as { feedKey: string };
    const feed = await ok(
      await fetch(`${t.base}/exchange/v1/feed?after=0`, { headers: { authorization: `Bearer ${feedKey}` } }),
    );
    const text = await feed.text();
    expect(text).toContain(IMEI_CASE.slice(0, 14));
    expect(leaks(text)).toEqual([]);
  });

  it('the operator pull API (/api/v1/exchange/changes) carries changes, no contacts', async () => {
    for (const operator of ['mno-a', 'mno-b']) {
      const page = await ok(await t.call(`/api/v1/exchange/changes?since=0&operator=${operator}`));
      const text = await page.text();
      expect(text).toContain(IMEI_CASE.slice(0, 14));
      expect(leaks(text), operator).toEqual([]);
    }
  });

  it('the monthly report (report.json and every CSV), for the country and for an operator', async () => {
    for (const operator of [null, 'mno-a']) {
      const dir = path.join(outDir, `report-${operator ?? 'country'}`);
      const report = await buildMonthlyReport(t.context.store.db, { month, operator });
      const files = await writeReport(dir, report);
      expect(files.length).toBeGreaterThan(1);
      if (operator === null) expect(report.summary.reports_received).toBe(2);
      for (const file of files) expect(leaks(readFileSync(file, 'utf8')), file).toEqual([]);
    }
  });

  it('the open-data answer, by every breakdown', async () => {
    for (const by of ['month', 'operator', 'region', 'reason']) {
      const answer = await ok(
        await fetch(`${t.base}/api/v1/open-data/statistics?from=${today}&to=${today}&by=${by}`),
      );
      expect(leaks(await answer.text()), by).toEqual([]);
    }
  });

  it('every console statistics CSV', async () => {
    for (const chart of DASHBOARD_CHARTS) {
      const csv = await ok(
        await t.call(`/console/statistics/${chart.id}.csv?from=${today}&to=${today}&grain=day`, {
          auth: false,
          headers: { cookie: regulatorSession },
        }),
      );
      expect(leaks(await csv.text()), chart.id).toEqual([]);
    }
  });
});
