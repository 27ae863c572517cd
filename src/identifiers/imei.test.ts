import { describe, expect, it } from 'vitest';
import {
  deviceKeyFromNumber,
  deviceKeyToNumber,
  fullImei,
  normalizeImei,
  parseDeviceKey,
  parseEquipment,
  parseImei,
  parseImeisv,
  parseTac,
} from './imei.ts';

describe('IMEI forms reduce to one device key (identifiers.md §10.2)', () => {
  it.each([
    ['35209900176148', '35209900176148'],
    ['352099001761481', '35209900176148'],
    ['352099001761480', '35209900176148'],
    ['3520990017614823', '35209900176148'],
    ['imei-352099001761481', '35209900176148'],
    ['imeisv-3520990017614823', '35209900176148'],
    ['  35209900176148  ', '35209900176148'],
    ['35-209900-176148-1', '35209900176148'],
    ['35 209900 176148 1', '35209900176148'],
  ])('%s → %s', (input, key) => {
    const parsed = parseEquipment(input);
    expect(parsed.ok && parsed.value.deviceKey).toBe(key);
  });

  it('keeps the SVN of an IMEISV', () => {
    const parsed = parseEquipment('imeisv-4370816125816151');
    expect(parsed.ok && parsed.value.kind === 'imeisv' && parsed.value.svn).toBe('51');
  });

  it.each([
    ['3520990017614A', 'IMEI_CHARACTERS'],
    ['12345', 'IMEI_LENGTH'],
    ['', 'IMEI_EMPTY'],
    ['35--209900176148', 'IMEI_CHARACTERS'],
    ['352099001761481234', 'IMEI_LENGTH'],
  ])('refuses %j with %s', (input, code) => {
    const parsed = parseEquipment(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.code).toBe(code);
  });
});

describe('check digit: strict for people, lenient for networks', () => {
  it('a typed wrong check digit is an error naming the expected digit', () => {
    const parsed = parseImei('490154203237517');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('IMEI_CHECK_DIGIT');
      expect(parsed.error.message).toContain('8');
    }
  });

  it('network input with a wrong digit is accepted and marked', () => {
    const parsed = parseImei('490154203237517', { source: 'network' });
    expect(parsed.ok && parsed.value.checkDigitState).toBe('mismatch');
    expect(parsed.ok && parsed.value.expectedCheckDigit).toBe('8');
  });

  it('a spare 0 is accepted from people too, and marked spare', () => {
    const parsed = parseImei('352099001761480');
    expect(parsed.ok && parsed.value.checkDigitState).toBe('spare');
  });

  it('14 digits have no check digit, and the expected one is computed', () => {
    const parsed = parseImei('26053179311383');
    expect(parsed.ok && parsed.value.checkDigitState).toBe('absent');
    expect(parsed.ok && parsed.value.expectedCheckDigit).toBe('7');
  });

  it('16 digits are pointed to the IMEISV', () => {
    const parsed = parseImei('3520990017614823');
    expect(!parsed.ok && parsed.error.message).toContain('IMEISV');
    expect(parseImeisv('352099001761481').ok).toBe(false);
  });
});

describe('device key representation (identifiers.md §10.3)', () => {
  it('round-trips through a number and keeps leading zeros', () => {
    const key = parseDeviceKey('01234567890123');
    expect(key.ok).toBe(true);
    if (!key.ok) return;
    const n = deviceKeyToNumber(key.value);
    expect(n).toBe(1234567890123);
    expect(deviceKeyFromNumber(n)).toBe('01234567890123');
    expect(deviceKeyFromNumber(99999999999999)).toBe('99999999999999');
    expect(deviceKeyFromNumber(1e14)).toBeNull();
    expect(deviceKeyFromNumber(1.5)).toBeNull();
    expect(fullImei(key.value)).toBe('012345678901237');
  });

  it('parses TACs', () => {
    expect(parseTac('35209900').ok).toBe(true);
    expect(parseTac('3520990').ok).toBe(false);
  });
});

describe('DIRBS-compatible normalisation (normalize_imei)', () => {
  it.each([
    ['35209900176148', { kind: 'key', deviceKey: '35209900176148' }],
    ['35209900176148ff', { kind: 'key', deviceKey: '35209900176148' }],
    [' 3520990017614823 ', { kind: 'key', deviceKey: '35209900176148' }],
    ['3520990017614A', { kind: 'malformed', text: '3520990017614A' }],
    ['12345', { kind: 'malformed', text: '12345' }],
    ['a1b2c3', { kind: 'malformed', text: 'A1B2C3' }],
    ['*#06#', { kind: 'malformed', text: '*#06#' }],
    ['   ', { kind: 'empty' }],
  ])('%j', (raw, expected) => {
    expect(normalizeImei(raw)).toEqual(expected);
  });
});
