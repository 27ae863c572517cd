import { describe, expect, it } from 'vitest';
import { badCheckDigit, wrongCheckDigit } from './bad_check_digit.ts';
import { runDimension } from './dimension.ts';
import { context, datasetOf, imei, seen } from './fixtures.ts';
import { gsmaNotFound } from './gsma_not_found.ts';
import { inconsistentRat } from './inconsistent_rat.ts';
import { isTestTac } from './is_test_tac.ts';
import { malformedImei } from './malformed_imei.ts';
import type { GsmaTac } from './model.ts';

const known: GsmaTac = { manufacturer: 'Acme', modelName: 'P1', deviceType: 'Smartphone', ratMask: 1 << 12 };

describe('gsma_not_found', () => {
  // RBI 35: 20-day default delay. First seen 2026-01-01 → due 2026-01-21, matched when due < end.
  const dataset = datasetOf(
    [
      ...seen('op1', '352099001761481', null, null, ['2026-01-01']),
      ...seen('op1', '490154203237518', null, null, ['2026-01-01']),
      ...seen('op1', '35111111000000', null, null, ['2026-01-01']),
      ...seen('op1', 'ab12', null, null, ['2026-01-01']),
    ],
    { gsma: new Map([['35111111', known]]) },
  );

  it('applies the default RBI delay per IMEI from its first sighting (strictly before the end)', () => {
    const onDue = runDimension(gsmaNotFound, dataset, {}, context('2026-01-21'));
    expect(onDue.ok && [...onDue.value.keys()].sort()).toEqual(['49015420323751', 'AB12']);
    const after = runDimension(gsmaNotFound, dataset, {}, context('2026-01-22'));
    expect(after.ok && [...after.value.keys()].sort()).toEqual(['35209900176148', '49015420323751', 'AB12']);
    expect(after.ok && after.value.get(imei('35209900176148'))).toBe(
      'TAC 35209900 is not in the GSMA TAC database; first seen 2026-01-01 + 20-day delay for RBI 35 = 2026-01-21, before 2026-01-22',
    );
  });

  it('merges per_rbi_delays over the defaults; ignore_rbi_delays drops them all', () => {
    const merged = runDimension(
      gsmaNotFound,
      dataset,
      { per_rbi_delays: { '49': 5, '35': 0 } },
      context('2026-01-06'),
    );
    expect(merged.ok && [...merged.value.keys()].sort()).toEqual(['35209900176148', 'AB12']);
    const none = runDimension(gsmaNotFound, dataset, { ignore_rbi_delays: true }, context('2026-01-02'));
    expect(none.ok && none.value.size).toBe(3);
  });

  it('refuses both switches together, bad RBIs and bad delays, naming the field', () => {
    expect(gsmaNotFound.parameters.validate({ ignore_rbi_delays: true, per_rbi_delays: {} })).toMatchObject({
      ok: false,
      errors: [{ field: 'ignore_rbi_delays', rule: 'exclusive' }],
    });
    const bad = gsmaNotFound.parameters.validate({ per_rbi_delays: { '3': 1, '35': -1, '86': 1.5 } });
    expect(!bad.ok && bad.errors.map((e) => e.rule)).toEqual(['rbi', 'delay', 'delay']);
    expect(gsmaNotFound.parameters.validate({ ignore_rbi_delays: 'yes' })).toMatchObject({
      ok: false,
      errors: [{ field: 'ignore_rbi_delays', rule: 'boolean' }],
    });
  });
});

describe('malformed_imei', () => {
  it('matches imei_norm values that are not 14 decimal digits, whatever the raw form', () => {
    const dataset = datasetOf([
      ...seen('op1', '352099001761481', null, null, ['2026-01-01']),
      ...seen('op1', '3520990017614823', null, null, ['2026-01-01']),
      ...seen('op1', '35209900176148ff', null, null, ['2026-01-01']),
      ...seen('op1', '3520990017614a', null, null, ['2026-01-01']),
      ...seen('op1', '12345', null, null, ['2026-01-01']),
      ...seen('op1', '1234*#', null, null, ['2026-01-01']),
    ]);
    const matches = malformedImei.evaluate(dataset, {}, context('2026-02-01'));
    expect([...matches.keys()].sort()).toEqual(['1234*#', '12345', '3520990017614A']);
    expect(matches.get(imei('12345'))).toBe(
      'IMEI "12345" has 5 digits; a well-formed IMEI starts with 14 decimal digits',
    );
  });
});

describe('is_test_tac', () => {
  it.each([
    ['00100100000000', true],
    ['00101700000000', true],
    ['00101800000000', false],
    ['00100000000000', false],
    ['00440000000000', true],
    ['00860000000000', true],
    ['00910000000000', true],
    ['00990000000000', false],
    ['0044000A000000', false],
    ['35440000000000', false],
  ])('%s → %s', (value, expected) => {
    const dataset = datasetOf(seen('op1', value, null, null, ['2026-01-01']));
    expect(isTestTac.evaluate(dataset, {}, context('2026-02-01')).has(imei(value))).toBe(expected);
  });
});

describe('inconsistent_rat', () => {
  const G2 = 1 << 5; // GERAN, operator rank 5
  const G3 = 1 << 7; // UTRAN, operator rank 7
  const G4 = 1 << 12; // E-UTRAN, operator rank 12
  const gsma = new Map<string, GsmaTac>([
    ['35000001', { manufacturer: 'Acme', modelName: 'X1', deviceType: 'Smartphone', ratMask: 1 << 6 }],
    ['35000002', { manufacturer: 'Acme', modelName: 'X1', deviceType: 'Smartphone', ratMask: 1 << 9 }],
    ['35000003', { manufacturer: null, modelName: 'X2', deviceType: 'Smartphone', ratMask: 1 << 6 }],
    ['35000004', { manufacturer: 'Acme', modelName: 'X4', deviceType: 'Smartphone', ratMask: null }],
  ]);

  it('uses the capability of the whole model, not the TAC', () => {
    const dataset = datasetOf(
      [
        ...seen('op1', '35000001000001', null, null, ['2026-01-01'], G3), // X1 has 3G through its other TAC
        ...seen('op1', '35000001000002', null, null, ['2026-01-01'], G4 | G2),
        ...seen('op1', '35000003000003', null, null, ['2026-01-01'], G4), // no manufacturer: skipped
        ...seen('op1', '35000004000004', null, null, ['2026-01-01'], G4), // null capability: skipped
        ...seen('op1', '35999999000005', null, null, ['2026-01-01'], G4), // unknown TAC: skipped
        ...seen('op1', '35000002000006', null, null, ['2026-01-01']), // no RAT seen: skipped
      ],
      { gsma },
    );
    const matches = inconsistentRat.evaluate(dataset, {}, context('2026-02-01'));
    expect([...matches.keys()]).toEqual(['35000001000002']);
    expect(matches.get(imei('35000001000002'))).toBe('seen on 4G, but model X1 by Acme supports 2G/3G only');
  });
});

describe('bad_check_digit', () => {
  it('knows the Luhn digit and lets a spare 0 pass', () => {
    expect(wrongCheckDigit('490154203237518')).toBeNull();
    expect(wrongCheckDigit('490154203237517')).toBe('8');
    expect(wrongCheckDigit('490154203237510')).toBeNull();
    expect(wrongCheckDigit('4901542032375')).toBeNull();
  });

  it('matches network IMEIs seen as 15 digits with a wrong check digit; 14 and 16 digits are not judged', () => {
    const dataset = datasetOf([
      ...seen('op1', '490154203237517', null, null, ['2026-01-01']),
      ...seen('op1', '490154203237518', null, null, ['2026-01-02']),
      ...seen('op1', '352099001761480', null, null, ['2026-01-01']),
      ...seen('op1', '3520990017614823', null, null, ['2026-01-01']),
      ...seen('op1', '86000000000001', null, null, ['2026-01-01']),
    ]);
    const matches = badCheckDigit.evaluate(dataset, {}, context('2026-02-01'));
    expect([...matches.keys()]).toEqual(['49015420323751']);
    expect(matches.get(imei('490154203237518'))).toBe('seen as 490154203237517 (check digit 7, expected 8)');
  });

  it('inverted: network IMEIs without a wrong check digit', () => {
    const dataset = datasetOf([
      ...seen('op1', '490154203237517', null, null, ['2026-01-01']),
      ...seen('op1', '86000000000001', null, null, ['2026-01-01']),
    ]);
    const result = runDimension(badCheckDigit, dataset, {}, context('2026-02-01'), true);
    expect(result.ok && [...result.value.keys()]).toEqual(['86000000000001']);
  });
});
