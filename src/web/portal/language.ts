/**
 * The language of a portal request: `?lang=` (a switch, remembered in a cookie), else the `lang`
 * cookie, else `Accept-Language` (RFC 9110 §12.5.4), else English.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { direction, isLanguage, type Language, negotiate, translator } from '../../i18n/index.ts';
import { type PortalKey, portalCatalogue } from '../../i18n/portal/index.ts';

export const LANGUAGE_COOKIE = 'lang';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export interface Localized {
  readonly language: Language;
  readonly dir: 'ltr' | 'rtl';
  readonly t: (key: PortalKey, params?: Readonly<Record<string, string | number>>) => string;
}

/** One cookie's value from a Cookie header (RFC 6265 §5.4), without a cookie library. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function resolveLanguage(request: FastifyRequest): { language: Language; switched: boolean } {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLanguage(asked)) return { language: asked, switched: true };
  const remembered = cookieValue(request.headers.cookie, LANGUAGE_COOKIE);
  if (isLanguage(remembered)) return { language: remembered, switched: false };
  return { language: negotiate(request.headers['accept-language']), switched: false };
}

export function localizer(language: Language): Localized {
  return { language, dir: direction(language), t: translator(portalCatalogue, language) };
}

/** The request's language; a switch by `?lang=` is remembered for the next pages. */
export function localize(request: FastifyRequest, reply: FastifyReply): Localized {
  const { language, switched } = resolveLanguage(request);
  if (switched)
    reply.header(
      'set-cookie',
      `${LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax`,
    );
  // Caches must keep one copy per language choice.
  reply.header('vary', 'Accept-Language, Cookie');
  return localizer(language);
}
