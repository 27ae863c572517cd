/**
 * `/console/access-log` (auditor, regulator): the access log filtered by reader, record and dates,
 * newest first. A plain GET form, so a filtered view can be bookmarked and shared with an auditor.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts } from '../../accounts/accounts.ts';
import type { ConsoleKey } from '../../i18n/console/index.ts';
import { html } from '../portal/html.ts';
import { formText } from './form.ts';
import { type ConsoleLocalized, consoleLocalize } from './language.ts';
import { sendConsolePage, utc } from './layout.ts';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` → midnight UTC, '' → undefined, anything else → null (refused). */
function day(text: string): Date | undefined | null {
  if (!text) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const at = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text ? null : at;
}

function field(l: ConsoleLocalized, name: string, label: ConsoleKey, value: string, invalid = false) {
  return html`<div class="field"><label for="${name}">${l.t(label)}</label>${
    invalid ? html`<span class="error-message" id="${name}-error">${l.t('log.badDate')}</span>` : ''
  }<input id="${name}" name="${name}" value="${value}" dir="ltr" spellcheck="false"${
    invalid ? html` aria-invalid="true" aria-describedby="${name}-error"` : ''
  }${name === 'from' || name === 'to' ? html` placeholder="YYYY-MM-DD" inputmode="numeric"` : ''}></div>`;
}

export async function accessLogPage(accounts: Accounts, request: FastifyRequest, reply: FastifyReply) {
  const l = consoleLocalize(request, reply);
  const q = request.query;
  const filter = {
    actor: formText(q, 'actor'),
    subjectKind: formText(q, 'subjectKind'),
    subjectId: formText(q, 'subjectId'),
    from: formText(q, 'from'),
    to: formText(q, 'to'),
  };
  const from = day(filter.from);
  const to = day(filter.to);
  const rows =
    from === null || to === null
      ? []
      : await accounts.queryAccessLog({
          actor: filter.actor || undefined,
          subjectKind: filter.subjectKind || undefined,
          subjectId: filter.subjectId || undefined,
          from,
          // The form's "until" day is included: the query's bound is the next midnight.
          to: to ? new Date(to.getTime() + DAY_MS) : undefined,
          limit: 500,
        });
  const table = rows.length
    ? html`<p>${l.t('log.count', { count: rows.length })}</p><div class="table"><table>
<thead><tr><th scope="col">${l.t('log.at')}</th><th scope="col">${l.t('col.username')}</th><th scope="col">${l.t('col.role')}</th><th scope="col">${l.t('col.organisation')}</th><th scope="col">${l.t('log.subject')}</th><th scope="col">${l.t('log.fields')}</th><th scope="col">${l.t('log.why')}</th><th scope="col">${l.t('log.route')}</th></tr></thead>
<tbody>${rows.map(
        (r) => html`<tr><td dir="ltr">${utc(l, r.at)}</td><td dir="ltr">${r.actor}</td><td>${r.role}</td>
<td dir="ltr">${r.organisation ?? l.t('none')}</td><td dir="ltr">${r.subjectKind} ${r.subjectId}</td>
<td dir="ltr">${r.fields.join(', ')}</td><td>${r.why}</td><td dir="ltr">${r.route ?? l.t('none')}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${l.t('log.empty')}</p>`;
  return sendConsolePage(l, request, reply, {
    title: l.t('log.title'),
    status: from === null || to === null ? 400 : 200,
    body: html`<p>${l.t('log.lead')}</p>
<form method="get" action="/console/access-log" role="search" aria-label="${l.t('log.filter')}">
${field(l, 'actor', 'log.actor', filter.actor)}
${field(l, 'subjectKind', 'log.subjectKind', filter.subjectKind)}
${field(l, 'subjectId', 'log.subjectId', filter.subjectId)}
${field(l, 'from', 'log.from', filter.from, from === null)}
${field(l, 'to', 'log.to', filter.to, to === null)}
<button type="submit">${l.t('log.submit')}</button></form>
${table}`,
  });
}
