/**
 * `/console/appeals` (regulator): pending appeals, escalated first, with their deadline; and
 * `/console/appeals/:reference`: the appellant's data and statement (access-logged), the reasons the
 * appeal is about, and the decision form (upheld or overturned per reason, and a note). A decided
 * appeal shows its outcomes instead.
 */
import type { AppealRecord } from '../../../cases/appeals.ts';
import { APPEAL_STATES } from '../../../cases/appeals.ts';
import { field, radios, select } from '../../portal/forms.ts';
import { html, type SafeHtml } from '../../portal/html.ts';
import { localizer } from '../../portal/language.ts';
import { reasonPhrase, statusWord } from '../../portal/words.ts';
import type { ConsoleLocalized } from '../language.ts';
import { errorBox, notice, type PageErrors, utcText } from './common.ts';

export interface AppealsView {
  readonly appeals: readonly AppealRecord[];
  readonly state: string;
}

export function appealsPage(l: ConsoleLocalized, view: AppealsView): SafeHtml {
  const none = l.t('none');
  const states = [
    { value: 'pending', label: l.t('appeals.filter.pending') },
    { value: '', label: l.t('appeals.filter.all') },
    ...APPEAL_STATES.map((s) => ({ value: s, label: l.t(`appealState.${s}`) })),
  ];
  const rows = view.appeals.map(
    (a) => html`<tr><td><a href="/console/appeals/${a.reference}" dir="ltr">${a.reference}</a></td>
<td>${l.t(`appealState.${a.state}`)}${a.suspended ? html` (${l.t('appeal.suspended')})` : ''}</td>
<td dir="ltr">${utcText(l, a.deadline)}</td><td>${l.t(`ground.${a.ground}`)}</td><td dir="ltr">${a.imei}</td>
<td dir="ltr">${a.reasons.map((r) => r.reason).join(', ') || none}</td>
<td dir="ltr">${a.caseReference ?? none}</td><td dir="ltr">${utcText(l, a.createdAt)}</td></tr>`,
  );
  return html`<p>${l.t('appeals.lead')}</p>
<form method="get" action="/console/appeals" role="search" aria-label="${l.t('appeals.filter')}">
${select({ name: 'state', legend: l.t('appeal.state'), choices: states, value: view.state })}
<button type="submit">${l.t('cases.filter.submit')}</button>
</form>
${
  view.appeals.length === 0
    ? html`<p>${l.t('appeals.empty')}</p>`
    : html`<div class="table"><table><caption>${l.t('appeals.caption')}</caption>
<thead><tr><th scope="col">${l.t('appeal.reference')}</th><th scope="col">${l.t('appeal.state')}</th><th scope="col">${l.t('appeal.deadline')}</th><th scope="col">${l.t('appeal.ground')}</th><th scope="col">${l.t('case.imei')}</th><th scope="col">${l.t('appeal.reasons')}</th><th scope="col">${l.t('case.reference')}</th><th scope="col">${l.t('appeal.filed')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
}`;
}

export interface AppealView {
  readonly appeal: AppealRecord;
  readonly outcomes: Readonly<Record<string, string>>;
  readonly note: string;
  readonly errors: PageErrors;
  readonly notice?: string;
  readonly csrf: SafeHtml;
}

export function appealPage(l: ConsoleLocalized, view: AppealView): SafeHtml {
  const a = view.appeal;
  const none = l.t('none');
  const words = localizer(l.language);
  const pending = a.state === 'open' || a.state === 'escalated';
  const reasonRows = a.reasons.map(
    (
      r,
    ) => html`<tr><td>${statusWord(words, r.status)}</td><td>${reasonPhrase(words, r.reason)} <span dir="ltr">(${r.reason})</span></td>
<td dir="ltr">${r.source}</td><td>${r.outcome ? l.t(`outcome.${r.outcome}`) : l.t('outcome.pending')}</td></tr>`,
  );
  // Outcomes are given per reason code: the same code under two sources is decided once.
  const codes = [...new Set(a.reasons.map((r) => r.reason))];
  const decision = pending
    ? html`<h2 id="decide">${l.t('appeal.decide')}</h2>
${errorBox(l, view.errors)}
<form method="post" action="/console/appeals/${a.reference}/decision" novalidate>${view.csrf}
${codes.map((code) =>
  radios({
    name: `outcome-${code}`,
    legend: l.t('appeal.outcomeFor', { reason: reasonPhrase(words, code) }),
    error: view.errors.byField[`outcome-${code}`] ?? null,
    value: view.outcomes[code],
    choices: [
      { value: 'upheld', label: l.t('outcome.upheld'), hint: l.t('outcome.upheld.hint') },
      { value: 'overturned', label: l.t('outcome.overturned'), hint: l.t('outcome.overturned.hint') },
    ],
  }),
)}
${field({ name: 'note', label: l.t('appeal.note'), hint: l.t('appeal.note.hint'), error: view.errors.byField.note ?? null, value: view.note, multiline: true, maxlength: 2000 })}
<button type="submit">${l.t('appeal.decide.submit')}</button>
</form>`
    : html`<h2>${l.t('appeal.decision')}</h2>
<dl class="facts">
<dt>${l.t('appeal.state')}</dt><dd>${l.t(`appealState.${a.state}`)}</dd>
<dt>${l.t('appeal.decidedBy')}</dt><dd dir="ltr">${a.decidedBy ?? none}</dd>
<dt>${l.t('appeal.decidedAt')}</dt><dd dir="ltr">${utcText(l, a.decidedAt)}</dd>
<dt>${l.t('appeal.note')}</dt><dd>${a.decisionNote ?? none}</dd>
</dl>`;
  return html`${notice(view.notice)}
<p>${l.t('appeal.logged')}</p>
<dl class="facts">
<dt>${l.t('appeal.reference')}</dt><dd dir="ltr">${a.reference}</dd>
<dt>${l.t('appeal.state')}</dt><dd>${l.t(`appealState.${a.state}`)}${a.suspended ? html` (${l.t('appeal.suspended')})` : ''}</dd>
<dt>${l.t('appeal.deadline')}</dt><dd dir="ltr">${utcText(l, a.deadline)}</dd>
<dt>${l.t('appeal.filed')}</dt><dd dir="ltr">${utcText(l, a.createdAt)}</dd>
<dt>${l.t('case.imei')}</dt><dd dir="ltr">${a.imei}</dd>
<dt>${l.t('case.reference')}</dt><dd dir="ltr">${a.caseReference ? html`<a href="/console/cases/${a.caseReference}">${a.caseReference}</a>` : none}</dd>
<dt>${l.t('appeal.ground')}</dt><dd>${l.t(`ground.${a.ground}`)}</dd>
<dt>${l.t('case.channel')}</dt><dd dir="ltr">${a.channel}</dd>
</dl>
<h2>${l.t('appeal.appellant')}</h2>
<dl class="facts">
<dt>${l.t('case.reporterName')}</dt><dd>${a.appellantName ?? none}</dd>
<dt>${l.t('case.reporterPhone')}</dt><dd dir="ltr">${a.appellantPhone ? `+${a.appellantPhone}` : none}</dd>
<dt>${l.t('case.reporterEmail')}</dt><dd dir="ltr">${a.appellantEmail ?? none}</dd>
<dt>${l.t('appeal.statement')}</dt><dd>${a.statement}</dd>
</dl>
<h2>${l.t('appeal.reasons')}</h2>
<div class="table"><table><caption>${l.t('appeal.reasons')}</caption>
<thead><tr><th scope="col">${l.t('appeal.status')}</th><th scope="col">${l.t('appeal.reason')}</th><th scope="col">${l.t('care.source')}</th><th scope="col">${l.t('appeal.outcome')}</th></tr></thead>
<tbody>${reasonRows}</tbody></table></div>
${decision}
<p><a href="/console/appeals">${l.t('appeal.back')}</a></p>`;
}
