import { describe, expect, it } from 'vitest';
import { esnDecimal, formatMeid, meidDecimal, parseEsn, parseMeid, pseudoEsn } from './meid.ts';

describe('MEID (identifiers.md §4.3 vectors)', () => {
  it.each([
    ['AF0123450ABCDE', 'C', '8016B128', '293608736500703710'],
    ['A0000000002329', '9', '8051F1AB', '268435456000009001'],
    ['A10000009296F2', 'F', '8075B7ED', '270113177609606898'],
  ])('%s: check digit %s, pESN %s, decimal %s', (hex, check, pesn, decimal) => {
    const meid = parseMeid(hex);
    expect(meid.ok).toBe(true);
    if (!meid.ok) return;
    expect(meid.value.expectedCheckDigit).toBe(check);
    expect(pseudoEsn(meid.value).hex).toBe(pesn);
    expect(meidDecimal(meid.value.hex)).toBe(decimal);
    const fromDecimal = parseMeid(decimal);
    expect(fromDecimal.ok && fromDecimal.value.hex).toBe(hex);
    expect(parseMeid(hex + check).ok).toBe(true);
  });

  it('lower-case hex is accepted and upper-cased', () => {
    const meid = parseMeid('af0123450abcde');
    expect(meid.ok && formatMeid(meid.value)).toBe('AF0123450ABCDE');
  });

  it('a wrong optional check digit is refused with the right one', () => {
    const meid = parseMeid('AF0123450ABCDE1');
    expect(!meid.ok && meid.error).toMatchObject({ code: 'MEID_CHECK_DIGIT' });
    expect(!meid.ok && meid.error.message).toContain('C');
  });

  it('decimal MEIDs carry a decimal Luhn digit', () => {
    const meid = parseMeid('293608736500703710');
    expect(meid.ok).toBe(true);
    if (!meid.ok) return;
    const withCheck = parseMeid(`293608736500703710${meid.value.expectedDecimalCheckDigit}`);
    expect(withCheck.ok).toBe(true);
  });

  it('region codes: A0–FF hex, 99 decimal, others reserved', () => {
    expect(parseMeid('99000000000000').ok && true).toBe(true);
    expect(parseMeid('99ABCDEF123456')).toMatchObject({ ok: false, error: { code: 'MEID_REGION' } });
    expect(parseMeid('12ABCDEF123456')).toMatchObject({ ok: false, error: { code: 'MEID_REGION' } });
    expect(parseMeid('999999999999999999')).toMatchObject({
      ok: false,
      error: { code: 'MEID_DECIMAL_RANGE' },
    });
  });
});

describe('ESN and pESN', () => {
  it('reads both forms and knows the pESN manufacturer code', () => {
    const hex = parseEsn('8016B128');
    expect(hex.ok && hex.value.pseudo).toBe(true);
    const decimal = parseEsn('02512345678');
    expect(decimal.ok && decimal.value.hex).toBe('19BC614E');
    expect(decimal.ok && esnDecimal(decimal.value)).toBe('02512345678');
    expect(parseEsn('25612345678')).toMatchObject({ ok: false, error: { code: 'ESN_DECIMAL_RANGE' } });
  });
});
