/**
 * The page every portal answer is rendered in: skip link, header with the site name, the main menu,
 * the language switcher (plain links: no JavaScript), the main landmark and a footer. `<html lang dir>`
 * follow the request's language, so Arabic is laid out right to left.
 */
import type { FastifyRequest } from 'fastify';
import { LANGUAGE_NAMES, LANGUAGES } from '../../i18n/index.ts';
import type { PortalKey } from '../../i18n/portal/index.ts';
import { html, type SafeHtml } from './html.ts';
import type { Localized } from './language.ts';
import { PORTAL_CSS_URL } from './styles.ts';

export type Section = 'home' | 'check' | 'report' | 'case' | 'appeal' | 'verify';

const MENU: readonly [Section, string, PortalKey][] = [
  ['check', '/check', 'nav.check'],
  ['report', '/report', 'nav.report'],
  ['case', '/cases', 'nav.case'],
  ['appeal', '/appeal', 'nav.appeal'],
  ['verify', '/certificates/verify', 'nav.verify'],
];

export const LICENCE_URL = 'https://www.apache.org/licenses/LICENSE-2.0';

/** The same page in another language: GET pages keep their query, form answers go back to the form. */
function switchHref(request: FastifyRequest, language: string): string {
  const url = new URL(request.url, 'http://portal.invalid');
  if (request.method !== 'GET') url.search = '';
  url.searchParams.set('lang', language);
  return `${url.pathname}${url.search}`;
}

export interface PageOptions {
  readonly title: string;
  readonly section: Section;
  readonly body: SafeHtml;
  readonly version: string;
}

export function page(l: Localized, request: FastifyRequest, options: PageOptions): string {
  const { t } = l;
  const menu = MENU.map(
    ([section, href, key]) =>
      html`<li><a href="${href}"${section === options.section ? html` aria-current="page"` : ''}>${t(key)}</a></li>`,
  );
  const languages = LANGUAGES.map((language) =>
    language === l.language
      ? html`<li><span lang="${language}" aria-current="true"><strong>${LANGUAGE_NAMES[language]}</strong></span></li>`
      : html`<li><a href="${switchHref(request, language)}" lang="${language}" hreflang="${language}">${LANGUAGE_NAMES[language]}</a></li>`,
  );
  return `<!doctype html>\n${
    html`<html lang="${l.language}" dir="${l.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${t('site.name')}</title>
<link rel="stylesheet" href="${PORTAL_CSS_URL}">
</head>
<body>
<a class="skip" href="#main">${t('skip')}</a>
<header>
  <a class="site" href="/">${t('site.name')}</a>
  <p class="tagline">${t('site.tagline')}</p>
  <nav aria-label="${t('nav.label')}"><ul>${menu}</ul></nav>
  <section class="languages" aria-labelledby="languages-title">
    <h2 id="languages-title">${t('language.label')}:</h2>
    <ul>${languages}</ul>
  </section>
</header>
<main id="main" tabindex="-1">
${options.body}
</main>
<footer>
  <ul>
    <li><a href="/open-data">${t('footer.openData')}</a></li>
    <li><a href="/docs">${t('footer.docs')}</a></li>
    <li><a href="${LICENCE_URL}" rel="license">${t('footer.licence')}</a></li>
    <li>${t('footer.version', { version: options.version })}</li>
  </ul>
</footer>
</body>
</html>
`.html
  }`;
}
