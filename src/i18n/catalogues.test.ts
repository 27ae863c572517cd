import { describe, expect, it } from 'vitest';
import { CATALOGUES, direction, fill, LANGUAGES, negotiate, placeholders } from './index.ts';
import './all.ts';

describe('catalogues', () => {
  it('has at least one audience registered', () => {
    expect(Object.keys(CATALOGUES).length).toBeGreaterThan(0);
  });

  for (const [audience, catalogue] of Object.entries(CATALOGUES)) {
    const reference = catalogue.en;
    for (const language of LANGUAGES) {
      it(`${audience}/${language} has every key of English with the same placeholders, and no other key`, () => {
        const messages = catalogue[language];
        const missing = Object.keys(reference).filter((key) => !(key in messages) || messages[key] === '');
        const extra = Object.keys(messages).filter((key) => !(key in reference));
        expect({ missing, extra }).toEqual({ missing: [], extra: [] });
        const mismatched = Object.keys(reference).filter(
          (key) => placeholders(reference[key]!).join() !== placeholders(messages[key]!).join(),
        );
        expect(mismatched).toEqual([]);
      });
    }
  }
});

describe('negotiation', () => {
  it('takes the highest q among our languages, primary subtag only', () => {
    expect(negotiate('de-DE,de;q=0.9,ar;q=0.8,en;q=0.7')).toBe('ar');
    expect(negotiate('zh-Hans-CN,zh;q=0.9')).toBe('zh');
    expect(negotiate('fr;q=0.5, ru;q=0.9')).toBe('ru');
    expect(negotiate('en;q=0, es')).toBe('es');
    expect(negotiate('xx, yy')).toBe('en');
    expect(negotiate(undefined)).toBe('en');
    expect(negotiate('garbage;;;q=abc')).toBe('en');
  });

  it('knows the direction of each language', () => {
    expect(LANGUAGES.map(direction)).toEqual(['ltr', 'rtl', 'ltr', 'ltr', 'ltr', 'ltr']);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
