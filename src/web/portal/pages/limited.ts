/** The page of a 429: how long to wait, in the reader's language. */
import type { FastifyRequest } from 'fastify';
import { html } from '../html.ts';
import type { Localized } from '../language.ts';
import { page } from '../layout.ts';

export function limitedPage(l: Localized, request: FastifyRequest, version: string, seconds: number): string {
  const { t } = l;
  const body = html`<h1>${t('limit.title')}</h1>
<p>${t('limit.text', { seconds })}</p>
<p><a href="/">${t('home.back')}</a></p>`;
  return page(l, request, { title: t('limit.title'), section: 'home', body, version });
}

/** A simple message page (e.g. the register busy for a moment). */
export function messagePage(
  l: Localized,
  request: FastifyRequest,
  version: string,
  title: string,
  text: string,
): string {
  const body = html`<h1>${title}</h1><p>${text}</p><p><a href="/">${l.t('home.back')}</a></p>`;
  return page(l, request, { title, section: 'home', body, version });
}
