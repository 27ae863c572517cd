/**
 * Property tests over every parser in the uniform table: no input makes one throw, and for every
 * value a parser accepts, format then parse gives the same value back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnDigit } from './checkdigits.ts';
import { identify } from './identify.ts';
import { codecs, IDENTIFIER_TYPES, type IdentifierType } from './types.ts';

const RANDOM_RUNS = Number(process.env.OPENCEIR_FUZZ_RUNS ?? 100_000);

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9A-F]{${n}}$`));
const octets = (n: number) => fc.array(hex(2), { minLength: n, maxLength: n }).map((a) => a.join('-'));
const withLuhn = (n: number) => digits(n).map((d) => d + luhnDigit(d));

/** Strings near the shapes identifiers take, so random input reaches deep into each parser. */
const nearIdentifiers = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789 -./:+@abcdefABCDEFimesvx'), maxLength: 40 }),
  fc
    .tuple(
      fc.constantFrom(
        'imei-',
        'imeisv-',
        'mac-',
        'eui-',
        'imsi-',
        'nai-',
        'msisdn-',
        'extid-',
        'gci-',
        '+',
        '',
      ),
      fc.stringMatching(/^[0-9a-f@.-]{0,36}$/),
    )
    .map(([prefix, rest]) => prefix + rest),
);

const canonical: { [K in IdentifierType]: fc.Arbitrary<string> } = {
  imei: fc.oneof(
    digits(14),
    withLuhn(14),
    digits(14).map((d) => `${d}0`),
  ),
  imeisv: digits(16),
  'device-key': digits(14),
  tac: digits(8),
  snr: digits(6),
  svn: digits(2),
  rbi: digits(2),
  pei: fc.oneof(
    withLuhn(14).map((d) => `imei-${d}`),
    digits(16).map((d) => `imeisv-${d}`),
    fc.tuple(octets(6), fc.boolean()).map(([m, u]) => `mac-${m}${u ? '-untrusted' : ''}`),
    octets(8).map((e) => `eui-${e}`),
  ),
  supi: fc.oneof(
    fc.stringMatching(/^[0-9]{5,15}$/).map((d) => `imsi-${d}`),
    fc.stringMatching(/^[a-z0-9]{1,10}@[a-z]{1,8}\.[a-z]{2,3}$/).map((n) => `nai-${n}`),
  ),
  gpsi: fc.oneof(
    fc.constantFrom('4915112345678', '919876543210', '255712345678', '12025550123').map((d) => `msisdn-${d}`),
    fc.stringMatching(/^[a-z0-9]{1,10}@[a-z]{1,8}\.[a-z]{2,3}$/).map((n) => `extid-${n}`),
  ),
  imsi: fc
    .tuple(
      fc.constantFrom('001', '310', '262', '404', '405', '234', '460', '724'),
      fc.stringMatching(/^[0-9]{2,12}$/),
    )
    .map(([mcc, rest]) => mcc + rest),
  msisdn: fc
    .tuple(fc.constantFrom('4915', '91987', '2557', '1202', '3361', '4477009'), digits(7))
    .map(([cc, rest]) => cc + rest),
  nai: fc.stringMatching(/^[a-z0-9.]{1,10}@[a-z]{1,8}\.[a-z]{2,3}$/),
  meid: fc.oneof(
    fc.tuple(fc.constantFrom(...'ABCDEF'), hex(13)).map(([r, rest]) => r + rest),
    fc.tuple(fc.constantFrom(...'ABCDEF'), hex(13)).map(([r, rest]) => r + rest + luhnDigit(r + rest, 16)),
    fc.stringMatching(/^(26[89]|2[7-9][0-9]|3[0-9]{2}|4[01][0-9]|42[0-8])[0-9]{7}[0-1][0-6][0-9]{6}$/),
  ),
  esn: fc.oneof(
    hex(8),
    fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffffff }))
      .map(([m, s]) => String(m).padStart(3, '0') + String(s).padStart(8, '0')),
  ),
  pesn: hex(6).map((h) => `80${h}`),
  eid: digits(30).map((body) => {
    const n = BigInt(`${body}00`) % 97n;
    return body + String(98n - n).padStart(2, '0');
  }),
  iccid: fc.stringMatching(/^89[0-9]{16,17}$/).map((d) => d + luhnDigit(d)),
  'mac-48': octets(6),
  'eui-64': octets(8),
};

describe('every parser returns a result and never throws', () => {
  it(`all ${IDENTIFIER_TYPES.length} parsers and identify, on ${RANDOM_RUNS} random strings each`, () => {
    // One generated string goes through every parser (generation is the costly part); plain checks
    // instead of expect() keep 4 M parses within seconds. A throw fails the property with its input.
    fc.assert(
      fc.property(nearIdentifiers, (text) => {
        for (const type of IDENTIFIER_TYPES) {
          for (const source of ['person', 'network'] as const) {
            const result = codecs[type].parse(text, source);
            if (result.ok !== true && !(result.ok === false && result.error.message.length > 0)) return false;
          }
        }
        const answer = identify(text);
        return answer.valid === (answer.errors.length === 0);
      }),
      { numRuns: RANDOM_RUNS },
    );
  });

  it('and on values that are not strings', () => {
    for (const type of IDENTIFIER_TYPES) {
      for (const value of [undefined, null, 42, 1e20, {}, [], true, Symbol('x')]) {
        expect(codecs[type].parse(value)).toMatchObject({ ok: false, error: { code: 'NOT_TEXT' } });
      }
    }
  });
});

describe('format ∘ parse is the identity', () => {
  it.each(IDENTIFIER_TYPES)('%s', (type) => {
    const codec = codecs[type] as (typeof codecs)[IdentifierType];
    fc.assert(
      fc.property(canonical[type], (text) => {
        const parsed = codec.parse(text, 'network');
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const formatted = codec.format(parsed.value as never);
        const again = codec.parse(formatted, 'network');
        expect(again).toEqual(parsed);
        expect(codec.format((again as typeof parsed).value as never)).toBe(formatted);
      }),
      { numRuns: 2_000 },
    );
  });

  it('canonical text is returned unchanged', () => {
    for (const type of [
      'imei',
      'imeisv',
      'device-key',
      'pei',
      'supi',
      'imsi',
      'eid',
      'iccid',
      'mac-48',
      'eui-64',
    ] as const) {
      const codec = codecs[type] as (typeof codecs)[IdentifierType];
      fc.assert(
        fc.property(canonical[type], (text) => {
          const parsed = codec.parse(text, 'network');
          if (parsed.ok) expect(codec.format(parsed.value as never)).toBe(text);
        }),
        { numRuns: 1_000 },
      );
    }
  });
});
