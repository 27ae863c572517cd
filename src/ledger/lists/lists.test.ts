import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStores } from '../../../test/support/stores.ts';
import { writeZip } from '../../../test/support/zip.ts';
import { goldenHash } from '../entry.ts';
import { Ledger } from '../ledger.ts';
import { HeadSigner } from '../signing.ts';
import { verifyLedger } from '../verify.ts';
import { exportList } from './export.ts';
import { ImportError, importList } from './import.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-lists-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function file(text: string, name = `list-${++counter}.csv`): string {
  const target = path.join(dir, name);
  writeFileSync(target, text);
  return target;
}

async function text(generator: AsyncGenerator<string>): Promise<string> {
  let out = '';
  for await (const chunk of generator) out += chunk;
  return out;
}

describeStores('list import and export', (store) => {
  let ledger: Ledger;
  beforeAll(async () => {
    ledger = new Ledger(store(), new HeadSigner(generateKeyPairSync('ed25519').privateKey));
    await ledger.init();
  });

  const stolenV1 =
    'IMEI,Reporting_Date,Status\r\n352099001761481,20261101,\r\n35693803564380,20261102,blacklist\r\n861234567890127,,pending\r\n';

  it('a dry run reports the diff and commits nothing', async () => {
    const report = await importList(ledger, 'stolen', file(stolenV1), { dryRun: true, source: 'police' });
    expect(report).toMatchObject({
      rows: 3,
      ignored: 1,
      errorCount: 0,
      adds: 2,
      removes: 0,
      committed: false,
      dryRun: true,
      entries: 0,
    });
    expect(report.samples.adds).toEqual(['35209900176148', '35693803564380']);
    expect(await ledger.size()).toBe(0);
  });

  it('imports a DIRBS stolen list; the same file again changes nothing', async () => {
    const first = await importList(ledger, 'stolen', file(stolenV1), { source: 'police' });
    expect(first).toMatchObject({ adds: 2, committed: true, entries: 2 });
    expect(first.head?.treeSize).toBe(2);
    const again = await importList(ledger, 'stolen', file(stolenV1), { source: 'police' });
    expect(again).toMatchObject({
      adds: 0,
      updates: 0,
      removes: 0,
      unchanged: 2,
      committed: false,
      entries: 0,
    });
    expect(await ledger.size()).toBe(2);
    const exported = await text(exportList(store().db, 'stolen'));
    expect(exported).toBe(
      'imei,reporting_date,status\n35209900176148,20261101,blacklist\n35693803564380,20261102,blacklist\n',
    );
  });

  it('a full list replaces the source’s list: adds, updates (metadata) and removes', async () => {
    const v2 = 'imei,reporting_date\n352099001761481,20261105\n01234567890123,20261106\n';
    const report = await importList(ledger, 'stolen', file(v2), { source: 'police', sizeCheck: false });
    expect(report).toMatchObject({ adds: 1, updates: 1, removes: 1, committed: true, entries: 3 });
    expect(report.samples).toEqual({
      adds: ['01234567890123'],
      updates: ['35209900176148'],
      removes: ['35693803564380'],
    });
    const blocked = await text(exportList(store().db, 'blocked', { format: 'jsonl' }));
    expect(
      blocked
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).imei),
    ).toEqual(['01234567890123', '35209900176148']);
  });

  it('a list import never lifts what another source set', async () => {
    await ledger.append([
      {
        actor: 't',
        source: 'owner',
        action: 'block',
        target: { kind: 'device', deviceKey: '86123456789012' },
        reasons: ['stolen'],
        reference: 'case:9',
      },
    ]);
    await importList(ledger, 'stolen', file('imei\n86123456789012\n'), {
      source: 'police',
      sizeCheck: false,
    });
    await importList(ledger, 'stolen', file('imei\n35209900176148\n'), {
      source: 'police',
      sizeCheck: false,
    });
    const blocked = await text(exportList(store().db, 'blocked'));
    expect(blocked).toContain('86123456789012');
  });

  it('reports every bad row with line, field and rule, and commits nothing', async () => {
    const size = await ledger.size();
    const bad =
      'imei,reporting_date\n3520990017614,20261101\n352099001761481,2026-11-01\n35693803564380,20261101\n35693803564380,20261102\nZZ,\n';
    const report = await importList(ledger, 'stolen', file(bad), { source: 'police', sizeCheck: false });
    expect(report.committed).toBe(false);
    expect(report.errors).toEqual([
      {
        line: 2,
        field: 'imei',
        message: '"3520990017614" does not start with 14 decimal digits, so no list can hold it',
      },
      { line: 3, field: 'reporting_date', message: 'must be a date YYYYMMDD' },
      { line: 5, field: 'imei', message: 'conflicts with line 4: same entry, different reportingDate' },
      {
        line: 6,
        field: 'imei',
        message: 'must be 1 to 16 characters of 0-9, A-F, * or # (DIRBS IMEI format)',
      },
    ]);
    expect(await ledger.size()).toBe(size);
    const skipped = await importList(ledger, 'stolen', file(bad), {
      source: 'police',
      sizeCheck: false,
      skipBadRows: true,
    });
    expect(skipped).toMatchObject({ committed: true, errorCount: 4, adds: 1 });
  });

  it('refuses a file without the list’s columns, and a full list that shrank too much', async () => {
    await expect(importList(ledger, 'stolen', file('serial,date\n1,2\n'), {})).rejects.toThrow(
      /the stolen list needs column imei/,
    );
    await importList(
      ledger,
      'barred',
      file(`imei\n${Array.from({ length: 8 }, (_, i) => `3520990000000${i}`).join('\n')}\n`),
      {},
    );
    await expect(importList(ledger, 'barred', file('imei\n35209900000000\n'), {})).rejects.toBeInstanceOf(
      ImportError,
    );
  });

  it('delta files: add, update and remove, with the DIRBS delta checks', async () => {
    const delta = 'imei,reporting_date,change_type\n35209900000091,20261110,add\n35693803564380,,remove\n';
    expect(
      await importList(ledger, 'stolen', file(delta), { mode: 'delta', source: 'police' }),
    ).toMatchObject({ adds: 1, removes: 1, committed: true });
    const again = await importList(ledger, 'stolen', file(delta), { mode: 'delta', source: 'police' });
    expect(again.committed).toBe(false);
    expect(again.errors.map((e) => e.message)).toEqual([
      '35209900000091 is already on the stolen list (add)',
      '35693803564380 is not on the stolen list (remove)',
    ]);
    const twice = await importList(
      ledger,
      'stolen',
      file('imei,change_type\n35209900000092,add\n35209900000092,remove\n'),
      { mode: 'delta', source: 'police' },
    );
    expect(twice.errors).toEqual([
      {
        line: 3,
        field: 'change_type',
        message: 'the same entry has change add on line 2: one change per entry',
      },
    ]);
  });

  it('reads zipped lists; pairing, registration, golden (plain and pre-hashed), barred TAC and monitoring round-trip', async () => {
    const zip = path.join(dir, 'pairing.zip');
    writeZip(zip, {
      'pairing.csv':
        'imei,imsi,msisdn\n35209900176148,001010000000001,4915112345678\n86123456789012,001010000000002,919876543210\n',
    });
    expect(await importList(ledger, 'pairing', zip, { source: 'operator:mno-a' })).toMatchObject({
      adds: 2,
      committed: true,
    });
    expect(await text(exportList(store().db, 'pairing'))).toContain(
      '86123456789012,001010000000002,919876543210',
    );

    const registration =
      'approved_imei,make,model,status,model_number,brand_name,device_type,radio_interface,device_id\n' +
      '352099001761481,"Acme, Inc.",A1,whitelist,A1-X,Acme,Smartphone,LTE,dev1\n35209900176149,Acme,A1,,A1-X,Acme,Smartphone,LTE,dev1\n35209900176150,Acme,A1,pending,,,,,dev2\n';
    expect(await importList(ledger, 'registration', file(registration))).toMatchObject({
      adds: 2,
      ignored: 1,
    });
    expect(await text(exportList(store().db, 'registration'))).toContain(
      '35209900176148,"Acme, Inc.",A1,whitelist,A1-X,Acme,Smartphone,LTE,dev1',
    );

    expect(await importList(ledger, 'golden', file('golden_imei\n35209900176148\n'))).toMatchObject({
      adds: 1,
    });
    const hashed = await importList(
      ledger,
      'golden',
      file(`golden_imei\n${goldenHash('35209900176148')}\n`),
      { preHashed: true },
    );
    expect(hashed).toMatchObject({ unchanged: 1, adds: 0 });
    // The golden device never shows on the blocked list, although it is on the stolen list.
    expect(await text(exportList(store().db, 'blocked'))).not.toContain('35209900176148');

    expect(await importList(ledger, 'barred-tac', file('tac\n35209900\n'))).toMatchObject({ adds: 1 });
    expect(await text(exportList(store().db, 'barred-tac'))).toBe('tac\n35209900\n');
    // Barring overrides pairing: the 3520 9900 pairing leaves the exception list.
    expect(await text(exportList(store().db, 'pairing'))).not.toContain('35209900176148');
    expect(await importList(ledger, 'monitoring', file('imei\n35693803564380\n'))).toMatchObject({ adds: 1 });
    expect(await text(exportList(store().db, 'tracked', { checkDigit: true }))).toContain('356938035643809,');
  });

  it('OpenCEIR’s own devices list refuses unknown reasons and exports what it imported', async () => {
    const bad = await importList(
      ledger,
      'devices',
      file('imei,status,reason\n35209900000001,blocked,sold-on-ebay\n35209900000002,allowed,stolen\n'),
    );
    expect(bad.errors).toEqual([
      { line: 2, field: 'reason', message: 'unknown reason "sold-on-ebay"; see GET /api/v1/reasons' },
      { line: 3, field: 'reason', message: 'reason stolen cannot justify status allowed' },
    ]);
    const good =
      'imei,status,reason,expires_at\n35209900000001,blocked,court-order,2031-01-01T00:00:00.000Z\n35209900000001,tracked,investigation,\n';
    expect(await importList(ledger, 'devices', file(good))).toMatchObject({ adds: 2, committed: true });
    const exported = await text(exportList(store().db, 'devices'));
    expect(exported).toBe(
      'imei,status,reason,expires_at\n35209900000001,blocked,court-order,2031-01-01T00:00:00.000Z\n35209900000001,tracked,investigation,\n',
    );
    expect(await importList(ledger, 'devices', file(exported))).toMatchObject({
      unchanged: 2,
      committed: false,
    });
  });

  it('the ledger verifies after all of it', async () => {
    const report = await verifyLedger(store().db);
    expect(report.problems).toEqual([]);
  });
});
