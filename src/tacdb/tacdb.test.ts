import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { describeStores } from '../../test/support/stores.ts';
import { writeZip } from '../../test/support/zip.ts';
import { generationsOf } from './radio.ts';
import {
  findTac,
  importTacFile,
  parseAllocationDate,
  TacImportError,
  tacCount,
  tacHistory,
} from './tacdb.ts';

const SAMPLE = fileURLToPath(new URL('../../demo/osmocom-tacdb-sample.csv', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-tac-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GSMA_HEADER =
  'TAC|Marketing Name|Internal Model Name|Manufacturer|Bands|Allocation Date|Country Code|Fixed Code|Manufacturer Code|Radio Interface|Brand Name|Model Name|Operating System|NFC|Bluetooth|WLAN|Device Type';
const gsmaRow = (tac: string, model: string, bands: string, date = '26-Apr-2016') =>
  `${tac}|${model} Max|${model}-INT|Acme Devices Ltd|${bands}|${date}|44|AC|A01|LTE|Acme|${model}|Android|Y|Y|Y|Smartphone`;

it('reads radio generations from bands with the DIRBS rules, plus 5G', () => {
  expect(generationsOf('GSM 900,GSM 1800,WCDMA FDD Band I,LTE FDD BAND 3')).toEqual(['2G', '3G', '4G']);
  expect(generationsOf('LTE FDD BAND 1,NR NSA n78')).toEqual(['4G', '5G']);
  expect(generationsOf('Bluetooth')).toEqual([]);
  expect(parseAllocationDate('26-Apr-2016')).toBe('2016-04-26');
  expect(parseAllocationDate('31-Feb-2016')).toBeNull();
});

describeStores('TAC database', (store) => {
  it('imports the Osmocom sample (licence line, two name columns)', async () => {
    const report = await importTacFile(store().db, SAMPLE);
    expect(report).toMatchObject({ source: 'osmocom', errorCount: 0, committed: true });
    expect(report.added).toBeGreaterThan(1900);
    expect(await tacCount(store().db)).toBe(report.added);
    // The export lost the leading zero of RBI 01 TACs: 1161400 is Apple's 01161400.
    expect(await findTac(store().db, '01161400')).toMatchObject({
      brand: 'Apple',
      model: 'iPhone 4',
      source: 'osmocom',
    });
    const again = await importTacFile(store().db, SAMPLE);
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, committed: false });
  });

  it('imports a zipped GSMA file; GSMA rows take precedence and keep a history', async () => {
    const zip = path.join(dir, 'gsma.zip');
    writeZip(zip, {
      'gsma.txt': [
        GSMA_HEADER,
        gsmaRow('35209900', 'Rocket', 'GSM 900,WCDMA,LTE FDD BAND 3,NR SA n78'),
        gsmaRow('86123456', 'Pebble', 'GSM 1800'),
      ].join('\r\n'),
    });
    const report = await importTacFile(store().db, zip);
    expect(report).toMatchObject({ source: 'gsma', added: 2, committed: true });
    expect(await findTac(store().db, '35209900')).toMatchObject({
      brand: 'Acme',
      model: 'Rocket',
      manufacturer: 'Acme Devices Ltd',
      deviceType: 'Smartphone',
      allocationDate: '2016-04-26',
      radio: ['2G', '3G', '4G', '5G'],
      source: 'gsma',
      attributes: expect.objectContaining({ nfc: 'Y', country_code: '44' }),
    });
    const changed = path.join(dir, 'gsma2.txt');
    writeFileSync(changed, [GSMA_HEADER, gsmaRow('35209900', 'Rocket', 'GSM 900,LTE FDD BAND 3')].join('\n'));
    expect(await importTacFile(store().db, changed)).toMatchObject({ updated: 1, removed: 1 });
    const history = await tacHistory(store().db, '35209900');
    expect(history.map((h) => h.change)).toEqual(['added', 'updated']);
    expect(history[1]?.before?.radio).toEqual(['2G', '3G', '4G', '5G']);
    expect(history[1]?.after?.radio).toEqual(['2G', '4G']);
  });

  it('names the line and field of bad rows, and fails on duplicate TACs', async () => {
    const bad = path.join(dir, 'bad.txt');
    writeFileSync(
      bad,
      [
        GSMA_HEADER,
        gsmaRow('3520990', 'Short', 'GSM'),
        gsmaRow('35209901', 'When', 'GSM', '2016-04-26'),
        gsmaRow('35209902', 'A', 'GSM'),
        gsmaRow('35209902', 'B', 'GSM'),
      ].join('\n'),
    );
    const report = await importTacFile(store().db, bad);
    expect(report.committed).toBe(false);
    expect(report.errors).toEqual([
      { line: 2, field: 'tac', message: 'must be 8 digits' },
      { line: 3, field: 'allocation_date', message: 'must be a date DD-Mon-YYYY, e.g. 26-Apr-2016' },
      { line: 5, field: 'tac', message: 'TAC 35209902 is already on line 4' },
    ]);
    const headerless = path.join(dir, 'headerless.txt');
    writeFileSync(headerless, 'TAC|Name\n12345678|x\n');
    await expect(importTacFile(store().db, headerless, { source: 'gsma' })).rejects.toBeInstanceOf(
      TacImportError,
    );
  });
});
