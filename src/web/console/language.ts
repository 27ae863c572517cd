/**
 * The language of a console page, chosen as on the portal (`?lang=`, then the `lang` cookie, then
 * Accept-Language per RFC 9110 §12.5.4), with the console's own catalogue.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ConsoleKey, consoleCatalogue } from '../../i18n/console/index.ts';
import { direction, type Language, translator } from '../../i18n/index.ts';
import { LANGUAGE_COOKIE, resolveLanguage } from '../portal/language.ts';

export interface ConsoleLocalized {
  readonly language: Language;
  readonly dir: 'ltr' | 'rtl';
  readonly t: (key: ConsoleKey, params?: Readonly<Record<string, string | number>>) => string;
}

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export function consoleLocalize(request: FastifyRequest, reply: FastifyReply): ConsoleLocalized {
  const { language, switched } = resolveLanguage(request);
  if (switched)
    reply.header(
      'set-cookie',
      `${LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax`,
    );
  reply.header('vary', 'Accept-Language, Cookie');
  return { language, dir: direction(language), t: translator(consoleCatalogue, language) };
}
