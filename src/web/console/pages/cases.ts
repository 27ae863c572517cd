/**
 * `/console/cases`: the cases a user may see, filtered by state and searched by reference, IMEI or
 * police report number, newest change first, without personal data; the new-case form; and for
 * police and the regulator the bulk forms (reports, recoveries) with the result of each row.
 */
import type { BulkReport } from '../../../cases/bulk.ts';
import type { CaseRecord } from '../../../cases/cases.ts';
import { CASE_STATES } from '../../../cases/model.ts';
import { errorSummary, field, select } from '../../portal/forms.ts';
import { html, type SafeHtml } from '../../portal/html.ts';
import type { ConsoleLocalized } from '../language.ts';
import { type CaseFormValues, caseForm, caseStateWord, notice, type PageErrors, utcText } from './common.ts';

export type BulkKind = 'reports' | 'recoveries';

export interface CasesView {
  readonly cases: readonly CaseRecord[];
  readonly filter: { readonly state: string; readonly search: string };
  readonly notice?: string;
  readonly form: { readonly values: CaseFormValues; readonly errors: PageErrors };
  readonly regions: readonly string[];
  /** Whether the bulk forms are offered (police and regulator). */
  readonly bulk: boolean;
  readonly bulkResult?: { readonly kind: BulkKind; readonly report: BulkReport };
  readonly bulkError?: { readonly kind: BulkKind; readonly message: SafeHtml };
  readonly csrf: SafeHtml;
}

function list(l: ConsoleLocalized, cases: readonly CaseRecord[]): SafeHtml {
  if (cases.length === 0) return html`<p>${l.t('cases.empty')}</p>`;
  const rows = cases.map(
    (c) => html`<tr>
<td><a href="/console/cases/${c.reference}" dir="ltr">${c.reference}</a></td>
<td>${caseStateWord(l, c.state)}</td><td>${l.t(`caseKind.${c.kind}`)}</td><td>${l.t(`caseMode.${c.mode}`)}</td>
<td>${[c.brand, c.model].filter(Boolean).join(' ') || l.t('none')}</td>
<td dir="ltr">${c.devices.map((d) => d.imei).join(', ')}</td>
<td>${c.region ?? l.t('none')}</td><td dir="ltr">${c.policeReportNumber ?? l.t('none')}</td>
<td>${l.t(`channel.${c.channel}`)}</td><td dir="ltr">${utcText(l, c.updatedAt)}</td></tr>`,
  );
  return html`<p>${l.t('cases.count', { count: cases.length })}</p><div class="table"><table>
<caption>${l.t('cases.listCaption')}</caption>
<thead><tr><th scope="col">${l.t('case.reference')}</th><th scope="col">${l.t('case.state')}</th><th scope="col">${l.t('case.kind')}</th><th scope="col">${l.t('case.mode')}</th><th scope="col">${l.t('case.device')}</th><th scope="col">${l.t('case.imeis')}</th><th scope="col">${l.t('case.region')}</th><th scope="col">${l.t('case.policeReportNumber')}</th><th scope="col">${l.t('case.channel')}</th><th scope="col">${l.t('case.updated')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function bulkResult(l: ConsoleLocalized, result: NonNullable<CasesView['bulkResult']>): SafeHtml {
  const { report } = result;
  const rows = report.results.map(
    (r) => html`<tr><td>${r.line}</td><td>${l.t(`bulk.outcome.${r.outcome}`)}</td>
<td>${r.reference ? html`<a href="/console/cases/${r.reference}" dir="ltr">${r.reference}</a>` : l.t('none')}</td>
<td>${(r.problems ?? []).map((p) => html`<span lang="en" dir="ltr">${p.param}: ${p.reason}</span> `)}</td></tr>`,
  );
  return html`<section class="panel" role="status" aria-labelledby="bulk-result-title">
<h3 id="bulk-result-title">${l.t(`bulk.${result.kind}.result`)}</h3>
<p>${l.t('bulk.summary', { rows: report.rows, applied: report.applied, refused: report.refused })}</p>
<div class="table"><table><caption>${l.t('bulk.rowsCaption')}</caption>
<thead><tr><th scope="col">${l.t('bulk.line')}</th><th scope="col">${l.t('bulk.outcome')}</th><th scope="col">${l.t('case.reference')}</th><th scope="col">${l.t('bulk.problems')}</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

function bulkForm(l: ConsoleLocalized, view: CasesView, kind: BulkKind): SafeHtml {
  const error = view.bulkError?.kind === kind ? view.bulkError.message : null;
  const id = (name: string) => `${kind}-${name}`;
  return html`<section aria-labelledby="${id('title')}">
<h3 id="${id('title')}">${l.t(`bulk.${kind}`)}</h3>
<p>${l.t(`bulk.${kind}.lead`)}</p>
${error ? errorSummary(l.t('error.summary'), [{ field: id('file'), message: error }]) : ''}
${view.bulkResult?.kind === kind ? bulkResult(l, view.bulkResult) : ''}
<form method="post" action="/console/cases/${kind === 'reports' ? 'import' : 'recoveries'}" enctype="multipart/form-data">${view.csrf}
${field({ name: id('file'), label: l.t('bulk.file'), hint: l.t('bulk.file.hint'), type: 'file', accept: '.csv,text/csv,text/plain', error })}
${field({ name: id('csv'), label: l.t('bulk.text'), hint: l.t(`bulk.${kind}.columns`), multiline: true, dir: 'ltr' })}
<button type="submit">${l.t(`bulk.${kind}.submit`)}</button>
</form></section>`;
}

export function casesPage(l: ConsoleLocalized, view: CasesView): SafeHtml {
  const states = [
    { value: '', label: l.t('cases.filter.all') },
    { value: 'open', label: l.t('cases.filter.open') },
    ...CASE_STATES.filter((s) => s !== 'verified').map((s) => ({ value: s, label: caseStateWord(l, s) })),
  ];
  return html`${notice(view.notice)}
<form method="get" action="/console/cases" role="search" aria-label="${l.t('cases.filter')}">
${select({ name: 'state', legend: l.t('case.state'), choices: states, value: view.filter.state })}
${field({ name: 'search', label: l.t('cases.search'), hint: l.t('cases.search.hint'), type: 'search', value: view.filter.search, dir: 'ltr' })}
<button type="submit">${l.t('cases.filter.submit')}</button>
</form>
${list(l, view.cases)}
<h2 id="new-case">${l.t('cases.new')}</h2>
<p>${l.t('cases.new.lead')}</p>
${caseForm(l, { action: '/console/cases', csrf: view.csrf, values: view.form.values, errors: view.form.errors, regions: view.regions, submit: 'cases.new.submit' })}
${
  view.bulk
    ? html`<h2 id="bulk">${l.t('bulk.title')}</h2>${bulkForm(l, view, 'reports')}${bulkForm(l, view, 'recoveries')}`
    : ''
}`;
}
