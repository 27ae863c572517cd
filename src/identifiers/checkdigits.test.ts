import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnDigit, luhnValid, mod97, mod97CheckDigits } from './checkdigits.ts';

describe('Luhn (TS 23.003 Annex B)', () => {
  // identifiers.md §2.4: the TS 23.003 example and computed vectors.
  it.each([
    ['26053179311383', '7'],
    ['49015420323751', '8'],
    ['35209900176148', '1'],
    ['35693803564380', '9'],
    ['86123456789012', '7'],
    ['99000000000000', '2'],
    ['01234567890123', '7'],
    ['00000000000000', '0'],
  ])('%s has check digit %s', (payload, digit) => {
    expect(luhnDigit(payload)).toBe(digit);
    expect(luhnValid(payload + digit)).toBe(true);
  });

  it('refuses characters outside the base', () => {
    expect(luhnDigit('1234A')).toBeNull();
    expect(luhnDigit('12G4', 16)).toBeNull();
    expect(luhnValid('7')).toBe(false);
  });

  it.each([10, 16] as const)('catches every single-digit substitution in base %i', (base) => {
    const digit = fc.integer({ min: 0, max: base - 1 }).map((d) => d.toString(base).toUpperCase());
    fc.assert(
      fc.property(
        fc.array(digit, { minLength: 14, maxLength: 14 }),
        fc.nat(14),
        fc.integer({ min: 1, max: base - 1 }),
        (digits, position, delta) => {
          const full = digits.join('') + luhnDigit(digits.join(''), base);
          const changed = (Number.parseInt(full.charAt(position), base) + delta) % base;
          const altered =
            full.slice(0, position) + changed.toString(base).toUpperCase() + full.slice(position + 1);
          expect(luhnValid(full, base)).toBe(true);
          expect(luhnValid(altered, base)).toBe(false);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('catches every single-digit substitution on every 14-digit key position, exhaustively for one key', () => {
    const full = '352099001761481';
    for (let position = 0; position < 15; position++) {
      for (let d = 0; d < 10; d++) {
        if (String(d) === full.charAt(position)) continue;
        expect(luhnValid(full.slice(0, position) + d + full.slice(position + 1))).toBe(false);
      }
    }
  });
});

describe('Base-16 Luhn for MEIDs (identifiers.md §4.3)', () => {
  it.each([
    ['AF0123450ABCDE', 'C'],
    ['A0000000002329', '9'],
    ['A10000009296F2', 'F'],
  ])('%s has check digit %s', (meid, digit) => {
    expect(luhnDigit(meid, 16)).toBe(digit);
  });
});

describe('ISO/IEC 7064 MOD 97-10 (EID)', () => {
  it('validates the worked EID and computes check digits', () => {
    expect(mod97('89049032123451234512345678901235')).toBe(1);
    expect(mod97CheckDigits('890440000000000000000000000001')).toBe('36');
  });

  it('agrees with BigInt arithmetic', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,40}$/), (digits) => {
        expect(mod97(digits)).toBe(Number(BigInt(digits) % 97n));
      }),
      { numRuns: 5_000 },
    );
  });

  it('check digits always make the number 1 mod 97', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{30}$/), (body) => {
        expect(mod97(body + mod97CheckDigits(body))).toBe(1);
      }),
      { numRuns: 5_000 },
    );
  });
});
