/**
 * The page every console answer is rendered in: skip link, the signed-in user with a logout button,
 * the language switcher and the main landmark. Uses the portal's escaping templates and stylesheet;
 * staff pages are never cached (they show personal data).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LANGUAGE_NAMES, LANGUAGES } from '../../i18n/index.ts';
import { CSRF_FIELD, csrfToken } from '../access.ts';
import { html, type SafeHtml } from '../portal/html.ts';
import { PORTAL_CSS_URL } from '../portal/styles.ts';
import type { ConsoleLocalized } from './language.ts';

/** The hidden CSRF field every state-changing console form carries. */
export function csrfInput(request: FastifyRequest): SafeHtml {
  const token = csrfToken(request);
  return token ? html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">` : html``;
}

function switchHref(request: FastifyRequest, language: string): string {
  const url = new URL(request.url, 'http://console.invalid');
  if (request.method !== 'GET') url.search = '';
  url.searchParams.set('lang', language);
  return `${url.pathname}${url.search}`;
}

function who(l: ConsoleLocalized, request: FastifyRequest): SafeHtml {
  const staff = request.staff;
  if (staff?.via !== 'session') return html``;
  return html`<p class="who">${l.t('session.who', {
    name: staff.displayName,
    role: l.t(`role.${staff.role}`),
    organisation: staff.organisation?.name ?? l.t('none'),
  })}</p>
  <form method="post" action="/console/logout">${csrfInput(request)}<button type="submit" class="button secondary">${l.t('session.logout')}</button></form>`;
}

export interface ConsolePageOptions {
  readonly title: string;
  readonly body: SafeHtml;
  readonly status?: number;
}

export function sendConsolePage(
  l: ConsoleLocalized,
  request: FastifyRequest,
  reply: FastifyReply,
  options: ConsolePageOptions,
): FastifyReply {
  const languages = LANGUAGES.map((language) =>
    language === l.language
      ? html`<li><span lang="${language}" aria-current="true"><strong>${LANGUAGE_NAMES[language]}</strong></span></li>`
      : html`<li><a href="${switchHref(request, language)}" lang="${language}" hreflang="${language}">${LANGUAGE_NAMES[language]}</a></li>`,
  );
  const page = html`<!doctype html>
<html lang="${l.language}" dir="${l.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${options.title} · ${l.t('site.name')}</title>
<link rel="stylesheet" href="${PORTAL_CSS_URL}">
</head>
<body>
<a class="skip" href="#main">${l.t('skip')}</a>
<header>
  <a class="site" href="/console/">${l.t('site.name')}</a>
  ${who(l, request)}
  <section class="languages" aria-labelledby="languages-title">
    <h2 id="languages-title">${l.t('language.label')}:</h2>
    <ul>${languages}</ul>
  </section>
</header>
<main id="main" tabindex="-1">
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>
`;
  return reply
    .code(options.status ?? 200)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(page.html);
}

/** `2026-05-01 14:03` in UTC, or the catalogue's dash for nothing. */
export function utc(l: ConsoleLocalized, at: Date | null): string {
  return at ? at.toISOString().slice(0, 16).replace('T', ' ') : l.t('none');
}
