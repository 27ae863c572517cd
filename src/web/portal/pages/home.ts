/** `/`: what the service is, the check form, the other things people come for, and the operators' links. */
import type { FastifyRequest } from 'fastify';
import { html } from '../html.ts';
import type { Localized } from '../language.ts';
import { page } from '../layout.ts';
import { checkForm } from './check.ts';

export function homePage(l: Localized, request: FastifyRequest, version: string): string {
  const { t } = l;
  const body = html`<h1>${t('home.title')}</h1>
<p>${t('home.lead')}</p>
${checkForm(l, { value: '', problem: null })}
<h2>${t('home.more')}</h2>
<ul>
  <li><a href="/report">${t('home.report')}</a></li>
  <li><a href="/cases">${t('home.case')}</a></li>
  <li><a href="/appeal">${t('home.appeal')}</a></li>
  <li><a href="/certificates/verify">${t('home.verify')}</a></li>
</ul>
<h2>${t('home.developers')}</h2>
<ul>
  <li><a href="/docs">${t('home.docs')}</a></li>
  <li><a href="/openapi.json">${t('home.openapi')}</a></li>
  <li><a href="/healthz">${t('home.healthz')}</a></li>
  <li><a href="/metrics">${t('home.metrics')}</a></li>
</ul>`;
  return page(l, request, { title: t('home.title'), section: 'home', body, version });
}
