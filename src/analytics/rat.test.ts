import { describe, expect, it } from 'vitest';
import {
  GSMA_RAT_BIT,
  gsmaBandsToMask,
  operatorMaskToGsma,
  parseRatField,
  RAT_CODES,
  ratCode,
  ratCodesOf,
} from './rat.ts';

describe('RAT code table (dirbs-compat.md §1.3)', () => {
  it('holds the twelve codes with their generation and a distinct operator rank 1..12', () => {
    expect(RAT_CODES.map((r) => r.code)).toEqual([
      '001',
      '002',
      '003',
      '004',
      '005',
      '006',
      '007',
      '101',
      '102',
      '103',
      '104',
      '105',
    ]);
    expect(new Set(RAT_CODES.map((r) => r.operatorRank))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    );
    expect(ratCode('006')).toMatchObject({ technology: 'E-UTRAN', generation: '4G', gsmaRank: 12 });
    expect(ratCode('002')).toMatchObject({ technology: 'GERAN', generation: '2G', gsmaRank: 6 });
    expect(ratCode('104')).toMatchObject({ generation: '2G', operatorRank: 4 });
    expect(ratCode('003')).toMatchObject({ generation: 'non-cellular', gsmaRank: 3 });
    expect(ratCode('008')).toBeUndefined();
  });

  it('orders operator ranks by generation', () => {
    const byRank = [...RAT_CODES].sort((a, b) => a.operatorRank - b.operatorRank);
    const gsmaRanks = byRank.map((r) => r.gsmaRank);
    expect(gsmaRanks).toEqual([...gsmaRanks].sort((a, b) => a - b));
    for (const r of RAT_CODES) expect(r.operatorRank).toBeLessThanOrEqual(r.gsmaRank);
  });
});

describe('parseRatField', () => {
  it('ORs the operator bits of pipe-separated codes', () => {
    const parsed = parseRatField('001|002|006');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.mask).toBe((1 << 7) | (1 << 5) | (1 << 12));
    expect(ratCodesOf(parsed.mask)).toEqual(['001', '002', '006']);
  });

  it('accepts a single code and a repeated one', () => {
    expect(parseRatField('105')).toEqual({ ok: true, mask: 1 << 10 });
    expect(parseRatField('006|006')).toEqual({ ok: true, mask: 1 << 12 });
  });

  it.each([['008'], ['100'], ['1'], ['001|'], ['001,002'], ['abc'], ['001||002']])('refuses %j', (field) => {
    expect(parseRatField(field).ok).toBe(false);
  });

  it('names the bad part', () => {
    expect(parseRatField('001|009')).toEqual({ ok: false, bad: '009' });
  });

  it('maps operator masks to GSMA generation bits', () => {
    const parsed = parseRatField('001|104|101');
    if (!parsed.ok) throw new Error('parse');
    expect(operatorMaskToGsma(parsed.mask)).toBe(
      GSMA_RAT_BIT['3G'] | GSMA_RAT_BIT['2G'] | GSMA_RAT_BIT['4G'],
    );
    expect(operatorMaskToGsma(0)).toBe(0);
  });
});

describe('gsmaBandsToMask', () => {
  const { '2G': g2, '3G': g3, '4G': g4, 'non-cellular': nc } = GSMA_RAT_BIT;

  it.each([
    ['GSM850,GSM900,GSM1800,GSM1900', g2],
    ['GSM 900,WCDMA FDD Band I,LTE FDD BAND 3', g2 | g3 | g4],
    ['HSDPA,HSUPA', g3],
    ['CDMA2000', g3],
    ['Some CDMA device', g2],
    ['TD-SCDMA', g3],
    ['WiMAX', g4],
    ['Bluetooth, WLAN', nc],
    ['', nc],
    ['gsm lte', nc], // LIKE is case-sensitive
  ])('%j', (bands, mask) => {
    expect(gsmaBandsToMask(bands)).toBe(mask);
  });

  it('treats NULL bands as non-cellular', () => {
    expect(gsmaBandsToMask(null)).toBe(nc);
  });

  it('keeps the LIKE wildcard of CA_ and DC_ as DIRBS does, unless asked not to', () => {
    expect(gsmaBandsToMask('DCS1800')).toBe(g4);
    expect(gsmaBandsToMask('DCS1800', { literalUnderscore: true })).toBe(nc);
    expect(gsmaBandsToMask('LTE CA_1A-3A', { literalUnderscore: true })).toBe(g4);
    expect(gsmaBandsToMask('DC', {})).toBe(nc); // the wildcard needs one character
  });
});
