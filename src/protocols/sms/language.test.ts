import { describe, expect, it } from 'vitest';
import { internationalDigits, languageOf, parseLanguageRules } from './language.ts';

describe('SMS language by number prefix', () => {
  const rules = parseLanguageRules(['+213=ar', '7=ru', '86=zh', '1=en', '+1418=fr', '34=es']);

  it('takes the longest matching prefix', () => {
    expect(languageOf('+213550123456', rules)).toBe('ar');
    expect(languageOf('213550123456', rules)).toBe('ar');
    expect(languageOf('0079161234567', rules)).toBe('ru');
    expect(languageOf('+8613800138000', rules)).toBe('zh');
    expect(languageOf('+14185550100', rules)).toBe('fr');
    expect(languageOf('+12025550100', rules)).toBe('en');
    expect(languageOf('+34 600 000 000', rules)).toBe('es');
  });

  it('falls back to English, or to the given language', () => {
    expect(languageOf('+447700900000', rules)).toBe('en');
    expect(languageOf('+447700900000', [], 'fr')).toBe('fr');
    expect(languageOf('+213550123456', parseLanguageRules(null))).toBe('en');
  });

  it('compares numbers in international form without +', () => {
    expect(internationalDigits('+213 (55) 012-34.56')).toBe('213550123456');
    expect(internationalDigits('00213550123456')).toBe('213550123456');
    expect(internationalDigits('213550123456')).toBe('213550123456');
  });

  it('refuses a rule that is not prefix=language, naming it', () => {
    expect(() => parseLanguageRules(['213=ar', '7=de'])).toThrow(/"7=de"/);
    expect(() => parseLanguageRules(['ar=213'])).toThrow(/prefix=language/);
  });
});
