import { describe, expect, it } from 'vitest';
import { type OperatorRow, parseOperatorRow, type RowSchema, rowSchema } from './row.ts';

function schema(header: string, options = { ratImport: true, msisdnImport: true }): RowSchema {
  const result = rowSchema(header.split(','), options);
  if (!result.ok) throw new Error(result.message);
  return result.schema;
}

function ok(s: RowSchema, line: string): OperatorRow {
  const result = parseOperatorRow(s, line.split(','), 2);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.row;
}

const V2 = schema('date,imei,imsi,msisdn,rat');

describe('operator row schema', () => {
  it('reads header names case-insensitively in any order', () => {
    const s = schema('IMSI,Rat,msisdn,DATE,imei');
    expect(ok(s, '410011234567890,006,923001234567,20250102,352099001761481')).toMatchObject({
      date: '2025-01-02',
      imsi: '410011234567890',
      ratMask: 1 << 12,
    });
  });

  it('requires rat with the RAT import on, and ignores it with the import off', () => {
    const missing = rowSchema(['date', 'imei', 'imsi', 'msisdn'], { ratImport: true, msisdnImport: true });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.message).toContain('rat');
    const v1 = schema('date,imei,imsi,msisdn', { ratImport: false, msisdnImport: true });
    expect(ok(v1, '20250102,352099001761481,410011234567890,923001234567').ratMask).toBeNull();
    const v2off = schema('date,imei,imsi,msisdn,rat', { ratImport: false, msisdnImport: true });
    expect(ok(v2off, '20250102,352099001761481,410011234567890,923001234567,999').ratMask).toBeNull();
  });

  it.each([
    ['date,imei,imsi,msisdn,rat,colour', 'unknown column'],
    ['date,imei,imsi,imsi,rat', 'twice'],
    ['date,imei,msisdn,rat', 'lacks imsi'],
    ['date,imei,imsi,msisdn,rat,lat', 'lat and lon'],
  ])('refuses header %s', (header, words) => {
    const result = rowSchema(header.split(','), { ratImport: true, msisdnImport: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(words);
  });
});

describe('parseOperatorRow', () => {
  it('parses a DIRBS v2 row and makes blanks NULL', () => {
    expect(ok(V2, '20250102,352099001761481,,  ,001|002')).toEqual({
      date: '2025-01-02',
      imei: '352099001761481',
      imeiNorm: '35209900176148',
      imsi: null,
      msisdn: null,
      ratMask: (1 << 7) | (1 << 5),
      time: null,
      cell: null,
      lat: null,
      lon: null,
    });
    expect(ok(V2, '20250102,,,,')).toMatchObject({ imei: null, imeiNorm: null, ratMask: null });
  });

  it.each([
    ['35209900176148', '35209900176148'],
    ['352099001761481', '35209900176148'],
    ['3520990017614823', '35209900176148'],
    ['35209900176148ff', '35209900176148'],
    ['3520990017614a', '3520990017614A'],
    ['0123456789abcd', '0123456789ABCD'],
    ['12*#', '12*#'],
  ])('normalises IMEI %s → %s', (imei, norm) => {
    const row = ok(V2, `20250102,${imei},410011234567890,923001234567,006`);
    expect(row.imei).toBe(imei);
    expect(row.imeiNorm).toBe(norm);
  });

  it('drops MSISDNs when the MSISDN import is off, after checking them', () => {
    const s = schema('date,imei,imsi,msisdn,rat', { ratImport: true, msisdnImport: false });
    expect(ok(s, '20250102,352099001761481,410011234567890,923001234567,006').msisdn).toBeNull();
    expect(parseOperatorRow(s, '20250102,1,1,92x,006'.split(','), 2).ok).toBe(false);
  });

  it.each([
    ['2025010', 'date'],
    ['19991231', 'date'],
    ['20250230', 'date'],
    ['', 'date'],
  ])('names the date error for %j', (date, column) => {
    const result = parseOperatorRow(V2, [date, '1', '1', '1', '006'], 7);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line: 7, column });
    expect(result.errors[0]!.message).toContain('line 7, column date');
  });

  it('names every column at fault in one row', () => {
    const s = schema('date,imei,imsi,msisdn,rat,time,cell,lat,lon');
    const bad = [
      '20251301',
      '35209900176148123',
      '4100112345678901',
      '+923001234567',
      '006|008',
      '25:00',
      'a\u0001b',
      '91',
      'x',
    ];
    const result = parseOperatorRow(s, bad, 12);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.column)).toEqual([
      'date',
      'imei',
      'imsi',
      'msisdn',
      'rat',
      'time',
      'cell',
      'lat',
      'lon',
    ]);
    for (const e of result.errors) expect(e.message).toMatch(new RegExp(`^line 12, column ${e.column}: `));
    expect(result.errors.find((e) => e.column === 'rat')!.message).toContain('"008"');
  });

  it('reports a wrong number of fields as a row error', () => {
    const result = parseOperatorRow(V2, ['20250102', '1', '1', '1'], 3);
    expect(result).toEqual({
      ok: false,
      errors: [{ line: 3, rule: 'column count', message: 'line 3: 4 fields where the header has 5' }],
    });
  });

  it('reads the extended columns', () => {
    const s = schema('date,imei,imsi,msisdn,rat,time,cell,lat,lon');
    const row = ok(
      s,
      '20250102,352099001761481,410011234567890,923001234567,006,08:05,410-01-1234-56789,33.6844,-73.0479',
    );
    expect(row).toMatchObject({ time: '08:05:00', cell: '410-01-1234-56789', lat: 33.6844, lon: -73.0479 });
    expect(ok(s, '20250102,,,,,T08:05:09.250+0500,,,').time).toBe('08:05:09.250+05:00');
    expect(ok(s, '20250102,,,,,23:59:59Z,,,').time).toBe('23:59:59Z');
    expect(ok(s, '20250102,,,,,,,-90,180')).toMatchObject({ lat: -90, lon: 180 });
  });

  it.each([['24:00'], ['8:05'], ['08:60'], ['08:05:61'], ['08:05+25:00']])('refuses time %s', (time) => {
    const s = schema('date,imei,imsi,msisdn,rat,time');
    const result = parseOperatorRow(s, ['20250102', '', '', '', '', time], 2);
    expect(result.ok).toBe(false);
  });

  it('wants both coordinates or neither', () => {
    const s = schema('date,imei,imsi,msisdn,rat,lat,lon');
    const result = parseOperatorRow(s, ['20250102', '', '', '', '', '33.1', ''], 4);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ column: 'lon' });
    expect(parseOperatorRow(s, ['20250102', '', '', '', '', '90.0001', '0'], 4).ok).toBe(false);
    expect(parseOperatorRow(s, ['20250102', '', '', '', '', '1e1', '0'], 4).ok).toBe(false);
  });
});
