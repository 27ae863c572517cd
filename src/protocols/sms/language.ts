/**
 * The language of a reply from the sender's number: configured prefix rules such as `+213=ar`,
 * `7=ru`, `86=zh`; the longest matching prefix wins (so `+1=en` and `+1418=fr` can live together).
 * Pure. Numbers are compared in international form without '+' (E.164 digits).
 */
import { isLanguage, type Language } from '../../i18n/index.ts';

export interface LanguageRule {
  readonly prefix: string;
  readonly language: Language;
}

/** International form without '+': drops '+', a leading '00' international prefix and separators. */
export function internationalDigits(number: string): string {
  const digits = number.replace(/[\s\-().]/g, '');
  if (digits.startsWith('+')) return digits.slice(1);
  if (digits.startsWith('00')) return digits.slice(2);
  return digits;
}

/** Parses `prefix=lang` items; throws naming the item and the rule (configuration is checked at start). */
export function parseLanguageRules(items: readonly string[] | null | undefined): LanguageRule[] {
  const rules = (items ?? []).map((item) => {
    const match = /^\s*\+?([0-9]{1,6})\s*=\s*([a-z]{2})\s*$/.exec(item);
    if (!match || !isLanguage(match[2])) {
      throw new Error(`sms.languages: "${item}" is not prefix=language (e.g. 213=ar; en ar zh fr ru es)`);
    }
    return { prefix: match[1]!, language: match[2] };
  });
  // Longest first, so the first match is the most specific.
  return rules.sort((a, b) => b.prefix.length - a.prefix.length);
}

export function languageOf(
  number: string,
  rules: readonly LanguageRule[],
  fallback: Language = 'en',
): Language {
  const digits = internationalDigits(number);
  let best: LanguageRule | undefined;
  for (const rule of rules) {
    if (digits.startsWith(rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
  }
  return best?.language ?? fallback;
}
