/** The `notify` audience: messages the cases part sends to reporters and appellants. */
import { type Catalogue, isLanguage, registerCatalogue, translator } from '../index.ts';
import { ar } from './ar.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { ru } from './ru.ts';
import { zh } from './zh.ts';

export type NotifyKey = keyof typeof en;

export const NOTIFY: Catalogue<NotifyKey> = registerCatalogue('notify', { en, ar, zh, fr, ru, es });

/** A message in the person's language (English when the language is not one of ours). */
export function notification(
  key: NotifyKey,
  language: string,
  params: Readonly<Record<string, string | number>>,
): string {
  const t = translator(NOTIFY, isLanguage(language) ? language : 'en');
  // An appeal outcome is a code; the person reads it in their language.
  const outcome = params.outcome === undefined ? undefined : (`outcome.${params.outcome}` as NotifyKey);
  return t(key, outcome && outcome in NOTIFY.en ? { ...params, outcome: t(outcome) } : params);
}
