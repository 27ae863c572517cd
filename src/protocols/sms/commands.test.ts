import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseText, parseCommand } from './commands.ts';

const RUNS = Math.min(Number(process.env.OPENCEIR_FUZZ_RUNS ?? 2000), 20_000);

/** An IMEI written as people write it: groups joined by a separator. */
const writtenImei = fc
  .tuple(
    fc.stringMatching(/^[0-9]{15}$/),
    fc.constantFrom('', '-', '.', '/'),
    fc.constantFrom([15], [2, 6, 6, 1], [8, 6, 1], [2, 13], [14, 1]),
  )
  .map(([digits, sep, groups]) => {
    const parts: string[] = [];
    let at = 0;
    for (const n of groups) {
      parts.push(digits.slice(at, at + n));
      at += n;
    }
    return { digits, written: parts.join(sep) };
  });

const randomCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

const space = fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0', ' \u3000 ');

describe('SMS commands', () => {
  it('reads KYM in any case, with any whitespace and separators', () => {
    fc.assert(
      fc.property(randomCase('kym'), space, space, writtenImei, (kym, before, between, imei) => {
        expect(parseCommand(`${before}${kym}${between}${imei.written}${before}`)).toEqual({
          kind: 'kym',
          imei: imei.digits,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('reads IMEIs grouped by spaces, and the keyword touching the number', () => {
    expect(parseCommand('KYM 35 209900 176148 1')).toEqual({ kind: 'kym', imei: '352099001761481' });
    expect(parseCommand('kym:352099001761481')).toEqual({ kind: 'kym', imei: '352099001761481' });
    expect(parseCommand('KYM352099001761481')).toEqual({ kind: 'kym', imei: '352099001761481' });
    expect(parseCommand('KYM 3520990017614812')).toEqual({ kind: 'kym', imei: '3520990017614812' });
  });

  it('folds full-width and Arabic-Indic digits', () => {
    expect(parseCommand('ＫＹＭ　３５２０９９００１７６１４８１')).toEqual({
      kind: 'kym',
      imei: '352099001761481',
    });
    expect(parseCommand('kym ٣٥٢٠٩٩٠٠١٧٦١٤٨١')).toEqual({ kind: 'kym', imei: '352099001761481' });
    expect(parseCommand('kym ۳۵۲۰۹۹۰۰۱۷۶۱۴۸۱')).toEqual({ kind: 'kym', imei: '352099001761481' });
    expect(normaliseText('  a \n b\u00a0c ')).toBe('a b c');
  });

  it('answers a KYM without a well-shaped IMEI with the reason', () => {
    expect(parseCommand('KYM')).toEqual({ kind: 'help', topic: 'kym' });
    expect(parseCommand('KYM 12345')).toEqual({ kind: 'invalid-imei', input: '12345' });
    expect(parseCommand('KYM 35209900176148A')).toEqual({ kind: 'invalid-imei', input: '35209900176148A' });
    expect(parseCommand('KYM 35209900176148123')).toEqual({
      kind: 'invalid-imei',
      input: '35209900176148123',
    });
  });

  it('reads one or more IMEIs of a lost or stolen report', () => {
    expect(parseCommand('stolen 352099001761481')).toEqual({
      kind: 'report',
      report: 'stolen',
      imeis: ['352099001761481'],
    });
    expect(parseCommand('LOST 35 209900 176148 1 35-209900-176149-9')).toEqual({
      kind: 'report',
      report: 'lost',
      imeis: ['352099001761481', '352099001761499'],
    });
    // A 14-digit token stands alone even when a short group follows.
    expect(parseCommand('LOST 35209900176148 35 209900 176149 9')).toEqual({
      kind: 'report',
      report: 'lost',
      imeis: ['35209900176148', '352099001761499'],
    });
    // 14 digits and a lone digit: the check digit.
    expect(parseCommand('LOST 35209900176148 1')).toEqual({
      kind: 'report',
      report: 'lost',
      imeis: ['352099001761481'],
    });
    expect(parseCommand('LOST')).toEqual({ kind: 'help', topic: 'report' });
    expect(parseCommand('LOST my phone')).toEqual({ kind: 'help', topic: 'report' });
    expect(parseCommand('STOLEN 352099001761481 yesterday')).toEqual({ kind: 'help', topic: 'report' });
    expect(parseCommand('STOLEN 1234')).toEqual({ kind: 'invalid-imei', input: '1234' });
  });

  it('property: any two written IMEIs come back as their digits', () => {
    fc.assert(
      fc.property(randomCase('stolen'), writtenImei, writtenImei, space, (word, a, b, sep) => {
        expect(parseCommand(`${word} ${a.written}${sep}${b.written}`)).toEqual({
          kind: 'report',
          report: 'stolen',
          imeis: [a.digits, b.digits],
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('reads VERIFY with a reference typed loosely, and STATUS', () => {
    expect(parseCommand('verify c-7kq4-9xz2 123456')).toEqual({
      kind: 'verify',
      reference: 'C-7KQ4-9XZ2',
      code: '123456',
    });
    expect(parseCommand('VERIFY C 7KQ4 9XZ2 123456')).toEqual({
      kind: 'verify',
      reference: 'C7KQ49XZ2',
      code: '123456',
    });
    expect(parseCommand('VERIFY 123456')).toEqual({ kind: 'help', topic: 'verify' });
    expect(parseCommand('VERIFY C-7KQ4-9XZ2 12')).toEqual({ kind: 'help', topic: 'verify' });
    expect(parseCommand('status a-0000-0001')).toEqual({ kind: 'status', reference: 'A-0000-0001' });
    expect(parseCommand('STATUS')).toEqual({ kind: 'help', topic: 'status' });
  });

  it('reads APPEAL with an IMEI and the grounds in any script', () => {
    expect(parseCommand('appeal 35 209900 176148 1 bought it new, receipt №42')).toEqual({
      kind: 'appeal',
      imei: '352099001761481',
      grounds: 'bought it new, receipt №42',
    });
    expect(parseCommand('APPEAL 352099001761481   اشتريته جديداً')).toEqual({
      kind: 'appeal',
      imei: '352099001761481',
      grounds: 'اشتريته جديداً',
    });
    expect(parseCommand('APPEAL 352099001761481')).toEqual({ kind: 'help', topic: 'appeal' });
    expect(parseCommand('APPEAL because')).toEqual({ kind: 'help', topic: 'appeal' });
    expect(parseCommand('APPEAL 1234 because')).toEqual({ kind: 'invalid-imei', input: '1234' });
  });

  it('answers anything else with help, and never throws', () => {
    for (const text of ['', 'HELP', '?', 'hello', 'кым 352099001761481', '12345', '帮助']) {
      expect(parseCommand(text)).toEqual({ kind: 'help', topic: 'general' });
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(() => parseCommand(text)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
