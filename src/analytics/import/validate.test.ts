import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../../test/support/zip.ts';
import type { OperatorRow } from './row.ts';
import { csvBatches } from './source.ts';
import {
  checkSwitchOf,
  OPERATOR_IMPORT_SWITCHES,
  type OperatorFileValidation,
  type ValidateOptions,
  validateOperatorFile,
} from './validate.ts';

const dir = mkdtempSync(join(tmpdir(), 'openceir-operator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: ValidateOptions = {
  operatorId: 'Acme',
  mccMncPairs: [{ mcc: '410', mnc: '01' }],
  countryCodes: ['92'],
  today: '2025-03-01',
};

const HEADER = 'date,imei,imsi,msisdn,rat';
function line(i: number, day = 10): string {
  return `202501${String(day).padStart(2, '0')},35${String(100000000000 + i)}0,41001${String(1000000000 + i)},923${String(100000000 + i)},006|002`;
}
function csv(count: number, header = HEADER): string {
  return `${[header, ...Array.from({ length: count }, (_, i) => line(i))].join('\r\n')}\r\n`;
}

async function collect(validation: OperatorFileValidation, size?: number): Promise<OperatorRow[][]> {
  const out: OperatorRow[][] = [];
  for await (const batch of validation.batches(size)) out.push(batch);
  return out;
}

function step(validation: OperatorFileValidation, check: string) {
  return validation.report.checks.find((c) => c.check === check);
}

describe('validateOperatorFile', () => {
  it('validates a plain CSV and hands its rows over in batches', async () => {
    const file = join(dir, 'Acme Mobile_North_20250101_20250131.csv');
    writeFileSync(file, csv(25));
    const validation = await validateOperatorFile(file, OPTIONS);
    expect(validation.report).toMatchObject({
      passed: true,
      operatorId: 'acme',
      rows: 25,
      fileName: { prefix: 'Acme Mobile_North', start: '2025-01-01', end: '2025-01-31' },
      columns: ['date', 'imei', 'imsi', 'msisdn', 'rat'],
    });
    expect(validation.report.checks.slice(0, 3).map((c) => c.check)).toEqual([
      'file',
      'filename',
      'prevalidation',
    ]);
    const batches = await collect(validation, 10);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches[0]![0]).toMatchObject({
      date: '2025-01-10',
      imeiNorm: '35100000000000',
      ratMask: (1 << 12) | (1 << 5),
    });
  });

  it('reads a zip whose one CSV has the same base name', async () => {
    const file = join(dir, 'acme_20250101_20250131.zip');
    writeZip(file, { 'acme_20250101_20250131.csv': csv(3) });
    const validation = await validateOperatorFile(file, OPTIONS);
    expect(validation.report.passed).toBe(true);
    expect((await collect(validation)).flat()).toHaveLength(3);
  });

  it('refuses a zip whose CSV has another name', async () => {
    const file = join(dir, 'acme_20250101_20250131.zip');
    writeZip(file, { 'acme_20250101_20250130.csv': csv(3) });
    const validation = await validateOperatorFile(file, OPTIONS);
    expect(validation.report.passed).toBe(false);
    expect(step(validation, 'file')).toEqual({
      check: 'file',
      passed: false,
      message:
        'Input file is not a valid .zip file: Wrong file name in archive acme_20250101_20250131.zip - the filename should match the .zip filename with a different file extension.',
    });
    await expect(collect(validation)).rejects.toThrow(/did not pass validation/);
  });

  it.each([
    [
      { 'acme_20250101_20250131.csv': 'x', 'readme.txt': 'y' },
      'There is more than 1 file in the .zip archive.',
    ],
    [{}, 'The .zip archive is empty.'],
    [{ 'acme_20250101_20250131.txt': csv(1) }, 'Expected suffix .csv'],
  ])('refuses zip contents %j', async (entries, words) => {
    const file = join(dir, 'acme_20250101_20250131.zip');
    writeZip(file, entries);
    const validation = await validateOperatorFile(file, OPTIONS);
    expect(step(validation, 'file')!.message).toContain(words);
  });

  it('refuses a file that is no zip, and other suffixes', async () => {
    const file = join(dir, 'acme_20250101_20250131.zip');
    writeFileSync(file, 'not a zip');
    expect(step(await validateOperatorFile(file, OPTIONS), 'file')!.message).toMatch(
      /^Input file is not a valid \.zip file/,
    );
    const txt = join(dir, 'acme_20250101_20250131.txt');
    writeFileSync(txt, csv(1));
    expect(step(await validateOperatorFile(txt, OPTIONS), 'file')!.passed).toBe(false);
  });

  it('refuses bad file names before reading rows', async () => {
    const file = join(dir, 'acme_20250131_20250101.csv');
    writeFileSync(file, csv(1));
    const validation = await validateOperatorFile(file, OPTIONS);
    expect(step(validation, 'filename')).toMatchObject({
      passed: false,
      message: 'Invalid filename - start date later than end date in filename acme_20250131_20250101.csv',
    });
    expect(validation.report.rows).toBe(0);
  });

  it('fails pre-validation on bad rows, naming them, and stops at maxRowErrors', async () => {
    const file = join(dir, 'acme_20250102_20250131.csv');
    const rows = [
      HEADER,
      line(1),
      '20250110,12345678901234567,1,1,006',
      line(2),
      '20250110,1,1,1',
      '2025011,1,x,1,009',
    ];
    writeFileSync(file, `${rows.join('\n')}\n`);
    const validation = await validateOperatorFile(file, OPTIONS);
    const { report } = validation;
    expect(report.passed).toBe(false);
    expect(report.rowErrorCount).toBe(3);
    expect(report.rowErrors.map((e) => [e.line, e.column])).toEqual([
      [3, 'imei'],
      [5, undefined],
      [6, 'date'],
      [6, 'imsi'],
      [6, 'rat'],
    ]);
    expect(step(validation, 'prevalidation')!.message).toContain(
      'Pre-validation failed: 3 bad rows; first: line 3, column imei',
    );
    // The battery does not run on a file that failed pre-validation.
    expect(report.checks.map((c) => c.check)).toEqual(['file', 'filename', 'prevalidation']);
    await expect(collect(validation)).rejects.toThrow(/no row is handed over/);

    const capped = await validateOperatorFile(file, { ...OPTIONS, maxRowErrors: 1 });
    expect(capped.report.rowErrorCount).toBe(1);
    expect(step(capped, 'prevalidation')!.message).toContain('reading stopped there');
  });

  it('fails pre-validation on a bad header or an empty file', async () => {
    const file = join(dir, 'acme_20250103_20250131.csv');
    writeFileSync(file, csv(2, 'date,imei,imsi,msisdn').replaceAll(',006|002', ''));
    const four = await validateOperatorFile(file, OPTIONS);
    expect(four.report.rowErrors[0]!.message).toContain('the header lacks rat');
    expect((await validateOperatorFile(file, { ...OPTIONS, ratImport: false })).report.passed).toBe(true);
    writeFileSync(file, '');
    expect((await validateOperatorFile(file, OPTIONS)).report.rowErrors[0]!.message).toContain('empty');
  });

  it('refuses a file that fails a check, and hands no row over', async () => {
    const file = join(dir, 'acme_20250104_20250131.csv');
    writeFileSync(file, csv(10)); // rows dated the 10th, inside; IMSIs are home; now make MSISDNs foreign
    const foreign = csv(10).replaceAll(',923', ',447');
    writeFileSync(file, foreign);
    const validation = await validateOperatorFile(file, OPTIONS);
    expect(validation.report.passed).toBe(false);
    expect(step(validation, 'out_of_region_msisdn')).toMatchObject({ passed: false, ratio: 1 });
    await expect(collect(validation)).rejects.toThrow(/out-of-region MSISDN/);
    const off = await validateOperatorFile(file, { ...OPTIONS, disabled: ['region'] });
    expect(off.report.passed).toBe(true);
  });

  it('notices a file changed between validation and reading', async () => {
    const file = join(dir, 'acme_20250105_20250131.csv');
    writeFileSync(file, csv(5));
    const validation = await validateOperatorFile(file, OPTIONS);
    writeFileSync(file, csv(6));
    await expect(collect(validation)).rejects.toThrow(/changed after validation/);
  });

  it('refuses an operator id DIRBS would refuse', async () => {
    await expect(
      validateOperatorFile(join(dir, 'x.csv'), { ...OPTIONS, operatorId: 'a'.repeat(17) }),
    ).rejects.toThrow(/1–16 characters/);
  });

  it('lists the CLI switches', () => {
    expect(OPERATOR_IMPORT_SWITCHES.map((s) => s.flag)).toContain('--disable-leading-zero-check');
    expect(checkSwitchOf('--disable-leading-zero-check')).toBe('leading-zero');
    expect(checkSwitchOf('--disable-home-check')).toBe('home');
    expect(checkSwitchOf('--disable-msisdn-import')).toBeNull();
    for (const s of OPERATOR_IMPORT_SWITCHES) {
      expect(s.flag.endsWith('-import') || checkSwitchOf(s.flag) !== null, s.flag).toBe(true);
    }
  });

  it('validates 1 M generated rows in bounded memory', async () => {
    const file = join(dir, 'acme_20250106_20250131.csv');
    const fd = openSync(file, 'w');
    writeSync(fd, `${HEADER}\r\n`);
    for (let chunk = 0; chunk < 100; chunk++) {
      const lines: string[] = [];
      for (let i = chunk * 10_000; i < (chunk + 1) * 10_000; i++) lines.push(line(i, 6 + (i % 26)));
      writeSync(fd, `${lines.join('\r\n')}\r\n`);
    }
    closeSync(fd);
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    const validation = await validateOperatorFile(file, {
      ...OPTIONS,
      history: { imei: 30_000, imsi: 30_000, msisdn: 30_000 },
    });
    let handed = 0;
    for await (const batch of validation.batches()) handed += batch.length;
    clearInterval(sampler);
    const after = process.memoryUsage().heapUsed;
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    console.log(
      `1 M rows: heap before ${mb(before)}, peak ${mb(peak)}, after ${mb(after)}; distinct counting ${validation.report.distinct?.method}`,
    );
    expect(validation.report).toMatchObject({ passed: true, rows: 1_000_000 });
    expect(handed).toBe(1_000_000);
    expect(validation.report.distinct!.method).toBe('hyperloglog');
    // ~38 460 IMEIs a day; the sketch's error is 0.81 %.
    const average = validation.report.distinct!.average!.imei;
    expect(Math.abs(average - 1_000_000 / 26) / (1_000_000 / 26)).toBeLessThan(0.03);
    // The file is 59 MB and a row object ~200 B: holding the rows would take ~200 MiB of heap.
    expect(peak - before).toBeLessThan(120 * 2 ** 20);
  });
});

describe('csvBatches', () => {
  async function records(text: string) {
    const { Readable } = await import('node:stream');
    const out: { record: string[]; line: number }[] = [];
    for await (const batch of csvBatches(Readable.from([Buffer.from(text)]))) out.push(...batch);
    return out;
  }

  it('reads CRLF and LF, a BOM, blank lines and RFC 4180 quotes', async () => {
    expect(await records('\uFEFFa,b\r\n1,"x,""y"""\n\n"multi\nline",2')).toEqual([
      { record: ['a', 'b'], line: 1 },
      { record: ['1', 'x,"y"'], line: 2 },
      { record: ['multi\nline', '2'], line: 5 },
    ]);
  });

  it('refuses an unclosed quote', async () => {
    await expect(records('a,b\n"x,1\n')).rejects.toThrow(/not closed/);
  });
});
