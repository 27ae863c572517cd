/**
 * Languages and message catalogues. OpenCEIR speaks the six UN languages; every string a person
 * reads (portal, consoles, SMS) comes from a catalogue here, one folder per audience
 * (`portal/`, `console/`, `sms/`), one file per language. English is the reference: the other
 * languages are typed against its keys, so a missing key fails the type check, and
 * `catalogues.test.ts` fails when any language lacks a key or a placeholder.
 *
 * Messages are plain text with `{name}` placeholders; HTML escaping is the renderer's job.
 */

export const LANGUAGES = ['en', 'ar', 'zh', 'fr', 'ru', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name, for language switchers. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  ar: 'العربية',
  zh: '中文',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Text direction for `<html dir>`: Arabic is written right to left. */
export function direction(language: Language): 'ltr' | 'rtl' {
  return language === 'ar' ? 'rtl' : 'ltr';
}

/**
 * The best of our languages for an `Accept-Language` header (RFC 9110 §12.5.4): highest q first,
 * then header order; `zh-Hans-CN` matches `zh`. Falls back to English.
 */
export function negotiate(acceptLanguage: string | undefined | null, fallback: Language = 'en'): Language {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/i.exec(p)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, order };
    })
    .filter((item) => item.tag !== '' && item.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return fallback;
}

/** A catalogue: message key → text with `{name}` placeholders. */
export type Messages<K extends string = string> = Readonly<Record<K, string>>;

/** One audience's catalogue in every language; the English keys are the reference. */
export type Catalogue<K extends string> = Readonly<Record<Language, Messages<K>>>;

/** `{name}` placeholders filled from `params`; an unknown placeholder stays visible, never blank. */
export function fill(template: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The placeholders a message uses, for the catalogue tests. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** A translator for one language over one catalogue. */
export function translator<K extends string>(catalogue: Catalogue<K>, language: Language) {
  const messages = catalogue[language];
  return (key: K, params?: Readonly<Record<string, string | number>>): string =>
    fill(messages[key] ?? catalogue.en[key], params);
}

/** Every catalogue, by audience, for the completeness test. Audiences register here. */
export const CATALOGUES: Record<string, Catalogue<string>> = {};

export function registerCatalogue<K extends string>(audience: string, catalogue: Catalogue<K>): Catalogue<K> {
  CATALOGUES[audience] = catalogue as Catalogue<string>;
  return catalogue;
}
