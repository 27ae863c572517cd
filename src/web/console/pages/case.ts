/**
 * `/console/cases/:reference`: everything about one case, the reporter's contact included (the read
 * is access-logged with the purpose chosen on the page), its history, its alerts, and one form per
 * action the user's role may take from the case's state.
 */
import type { Alert } from '../../../cases/alerts.ts';
import type { CaseEvent, CaseRecord } from '../../../cases/cases.ts';
import type { CaseAction } from '../../../cases/model.ts';
import type { ConsoleKey } from '../../../i18n/console/index.ts';
import { field, select } from '../../portal/forms.ts';
import { html, type SafeHtml } from '../../portal/html.ts';
import type { ConsoleLocalized } from '../language.ts';
import { caseStateWord, notice, utcText } from './common.ts';

/** Why staff open a case; the value is what the access log records. */
export const CASE_PURPOSES = ['case handling', 'owner contact', 'court request', 'alert follow-up'] as const;
export type CasePurpose = (typeof CASE_PURPOSES)[number];

const PURPOSE_LABELS: Readonly<Record<CasePurpose, ConsoleKey>> = {
  'case handling': 'purpose.caseHandling',
  'owner contact': 'purpose.ownerContact',
  'court request': 'purpose.courtRequest',
  'alert follow-up': 'purpose.alertFollowUp',
};

export function purposeLabel(l: ConsoleLocalized, purpose: CasePurpose): string {
  return l.t(PURPOSE_LABELS[purpose]);
}

/** The actions offered on the page, in this order, with their button labels. */
export const PAGE_ACTIONS: readonly { action: Exclude<CaseAction, 'verify'>; label: ConsoleKey }[] = [
  { action: 'recover', label: 'action.recover' },
  { action: 'unblock', label: 'action.unblock' },
  { action: 'block', label: 'action.block' },
  { action: 'track', label: 'action.track' },
  { action: 'withdraw', label: 'action.withdraw' },
  { action: 'reject', label: 'action.reject' },
];

export interface CaseView {
  readonly record: CaseRecord;
  readonly events: readonly CaseEvent[];
  /** The case's alerts, for police and the regulator (null: not shown to this role). */
  readonly alerts: readonly Alert[] | null;
  readonly purpose: CasePurpose;
  readonly allowed: readonly Exclude<CaseAction, 'verify'>[];
  readonly notice?: string;
  readonly error?: string;
  readonly csrf: SafeHtml;
}

function fact(label: string, value: string | SafeHtml, ltr = false): SafeHtml {
  return html`<dt>${label}</dt><dd${ltr ? html` dir="ltr"` : ''}>${value}</dd>`;
}

export function casePage(l: ConsoleLocalized, view: CaseView): SafeHtml {
  const c = view.record;
  const none = l.t('none');
  const purposes = CASE_PURPOSES.map((p) => ({ value: p, label: purposeLabel(l, p) }));
  const history = view.events.map(
    (e) => html`<tr><td dir="ltr">${utcText(l, e.at)}</td><td dir="ltr">${e.actor}</td>
<td>${e.fromState ? caseStateWord(l, e.fromState) : none}</td><td>${caseStateWord(l, e.toState)}</td><td>${e.note ?? none}</td></tr>`,
  );
  const alerts =
    view.alerts === null
      ? ''
      : html`<h2>${l.t('case.alerts')}</h2>${
          view.alerts.length === 0
            ? html`<p>${l.t('alerts.empty')}</p>`
            : html`<div class="table"><table><caption>${l.t('case.alerts')}</caption>
<thead><tr><th scope="col">${l.t('alert.state')}</th><th scope="col">${l.t('alert.imsi')}</th><th scope="col">${l.t('alert.msisdn')}</th><th scope="col">${l.t('alert.network')}</th><th scope="col">${l.t('alert.location')}</th><th scope="col">${l.t('alert.firstSeen')}</th><th scope="col">${l.t('alert.lastSeen')}</th><th scope="col">${l.t('alert.count')}</th></tr></thead>
<tbody>${view.alerts.map(
                (
                  a,
                ) => html`<tr><td>${l.t(`alertState.${a.state}`)}</td><td dir="ltr">${a.imsi ?? none}</td><td dir="ltr">${a.msisdn ?? none}</td>
<td dir="ltr">${a.network ?? none}</td><td>${a.location ?? none}</td><td dir="ltr">${utcText(l, a.firstSeenAt)}</td><td dir="ltr">${utcText(l, a.lastSeenAt)}</td><td>${a.sightings}</td></tr>`,
              )}</tbody></table></div><p><a href="/console/alerts">${l.t('case.alerts.all')}</a></p>`
        }`;
  const actions = PAGE_ACTIONS.filter((a) => view.allowed.includes(a.action)).map(
    ({
      action,
      label,
    }) => html`<form method="post" action="/console/cases/${c.reference}/actions" class="panel">${view.csrf}
<input type="hidden" name="action" value="${action}">
${field({ name: `note-${action}`, label: l.t('action.note', { action: l.t(label) }), multiline: true, maxlength: 2000 })}
<button type="submit">${l.t(label)}</button></form>`,
  );
  return html`${notice(view.notice)}${notice(view.error, 'alert')}
<form method="get" action="/console/cases/${c.reference}" class="panel">
${select({ name: 'purpose', legend: l.t('case.purpose'), hint: l.t('case.purpose.hint'), choices: purposes, value: view.purpose })}
<button type="submit" class="button secondary">${l.t('case.purpose.submit')}</button>
</form>
<p>${l.t('case.logged', { purpose: purposeLabel(l, view.purpose) })}</p>
<h2>${l.t('case.facts')}</h2>
<dl class="facts">
${fact(l.t('case.reference'), c.reference, true)}
${fact(l.t('case.state'), caseStateWord(l, c.state))}
${fact(l.t('case.kind'), l.t(`caseKind.${c.kind}`))}
${fact(l.t('case.mode'), l.t(`caseMode.${c.mode}`))}
${fact(l.t('case.brand'), c.brand ?? none)}
${fact(l.t('case.model'), c.model ?? none)}
${fact(l.t('case.imeis'), c.devices.map((d) => d.imei).join(', '), true)}
${fact(l.t('case.incidentAt'), utcText(l, c.incidentAt), true)}
${fact(l.t('case.incidentPlace'), c.incidentPlace ?? none)}
${fact(l.t('case.region'), c.region ?? none)}
${fact(l.t('case.policeReportNumber'), c.policeReportNumber ?? none, true)}
${fact(l.t('case.policeUnit'), c.policeUnit ?? none, true)}
${fact(l.t('case.channel'), l.t(`channel.${c.channel}`))}
${fact(l.t('case.source'), c.source, true)}
${fact(l.t('case.enteredBy'), c.enteredBy, true)}
${fact(l.t('case.created'), utcText(l, c.createdAt), true)}
${fact(l.t('case.updated'), utcText(l, c.updatedAt), true)}
</dl>
<h2>${l.t('case.reporter')}</h2>
<dl class="facts">
${fact(l.t('case.reporterName'), c.reporterName ?? none)}
${fact(l.t('case.reporterPhone'), c.reporterPhone ? `+${c.reporterPhone}` : none, true)}
${fact(l.t('case.reporterEmail'), c.reporterEmail ?? none, true)}
${fact(l.t('case.lastMsisdn'), c.lastMsisdn ? `+${c.lastMsisdn}` : none, true)}
${fact(l.t('case.language'), c.language, true)}
${fact(l.t('case.notifyOwner'), l.t(c.notifyOwner ? 'yes' : 'no'))}
</dl>
<h2>${l.t('case.history')}</h2>
<div class="table"><table><caption>${l.t('case.history')}</caption>
<thead><tr><th scope="col">${l.t('case.history.at')}</th><th scope="col">${l.t('case.history.who')}</th><th scope="col">${l.t('case.history.from')}</th><th scope="col">${l.t('case.history.to')}</th><th scope="col">${l.t('case.history.note')}</th></tr></thead>
<tbody>${history}</tbody></table></div>
${alerts}
<h2>${l.t('case.actions')}</h2>
${actions.length > 0 ? actions : html`<p>${l.t('case.actions.none')}</p>`}
<p><a href="/console/cases">${l.t('case.back')}</a></p>`;
}
