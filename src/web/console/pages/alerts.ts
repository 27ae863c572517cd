/**
 * `/console/alerts`: devices of open cases seen again on a network, new ones first, with the SIM,
 * network, place and times; per alert the forms to acknowledge, follow up (with a note) and close it,
 * and to mark its case recovered.
 */
import { ALERT_STATES, type Alert } from '../../../cases/alerts.ts';
import { type DeviceKey, fullImei } from '../../../identifiers/index.ts';
import { field, select } from '../../portal/forms.ts';
import { html, type SafeHtml } from '../../portal/html.ts';
import type { ConsoleLocalized } from '../language.ts';
import { caseStateWord, notice, utcText } from './common.ts';

export interface AlertsView {
  readonly alerts: readonly Alert[];
  readonly state: string;
  readonly notice?: string;
  readonly error?: string;
  readonly csrf: SafeHtml;
}

function alertForms(l: ConsoleLocalized, a: Alert, csrf: SafeHtml): SafeHtml {
  const action = `/console/alerts/${a.id}`;
  const stateForm = (state: 'acknowledged' | 'closed', label: 'alert.acknowledge' | 'alert.close') =>
    html`<form method="post" action="${action}" class="inline">${csrf}<input type="hidden" name="state" value="${state}"><button type="submit" class="button secondary">${l.t(label)}</button></form>`;
  const recoverable = a.caseState === 'blocked' || a.caseState === 'tracked';
  return html`${a.state === 'new' ? stateForm('acknowledged', 'alert.acknowledge') : ''}
<form method="post" action="${action}">${csrf}<input type="hidden" name="state" value="following-up">
${field({ name: `note-${a.id}`, label: l.t('alert.note'), multiline: true, maxlength: 2000 })}
<button type="submit" class="button secondary">${l.t('alert.followUp')}</button></form>
${a.state === 'closed' ? '' : stateForm('closed', 'alert.close')}
${
  recoverable
    ? html`<form method="post" action="/console/cases/${a.caseReference}/actions">${csrf}
<input type="hidden" name="action" value="recover"><input type="hidden" name="back" value="alerts">
<div class="field"><label for="recover-note-${a.id}">${l.t('alert.recover.note')}</label>
<textarea id="recover-note-${a.id}" name="note-recover" rows="3" maxlength="2000"></textarea></div>
<button type="submit">${l.t('alert.recover')}</button></form>`
    : ''
}`;
}

function alertSection(l: ConsoleLocalized, a: Alert, csrf: SafeHtml): SafeHtml {
  const none = l.t('none');
  const title = `alert-${a.id}`;
  return html`<section class="panel" aria-labelledby="${title}">
<h2 id="${title}">${l.t('alert.title', { reference: a.caseReference, state: l.t(`alertState.${a.state}`) })}</h2>
<dl class="facts">
<dt>${l.t('case.reference')}</dt><dd><a href="/console/cases/${a.caseReference}?purpose=alert%20follow-up" dir="ltr">${a.caseReference}</a> (${caseStateWord(l, a.caseState as never)})</dd>
<dt>${l.t('alert.device')}</dt><dd dir="ltr">${fullImei(a.deviceKey as DeviceKey)}</dd>
<dt>${l.t('case.device')}</dt><dd>${[a.brand, a.model].filter(Boolean).join(' ') || none}</dd>
<dt>${l.t('alert.imsi')}</dt><dd dir="ltr">${a.imsi ?? none}</dd>
<dt>${l.t('alert.msisdn')}</dt><dd dir="ltr">${a.msisdn ? `+${a.msisdn}` : none}</dd>
<dt>${l.t('alert.network')}</dt><dd dir="ltr">${a.network ?? none}</dd>
<dt>${l.t('alert.location')}</dt><dd>${a.location ?? none}</dd>
<dt>${l.t('alert.firstSeen')}</dt><dd dir="ltr">${utcText(l, a.firstSeenAt)}</dd>
<dt>${l.t('alert.lastSeen')}</dt><dd dir="ltr">${utcText(l, a.lastSeenAt)}</dd>
<dt>${l.t('alert.count')}</dt><dd>${a.sightings}</dd>
<dt>${l.t('alert.state')}</dt><dd>${l.t(`alertState.${a.state}`)}</dd>
<dt>${l.t('alert.handledBy')}</dt><dd dir="ltr">${a.handledBy ?? none}</dd>
<dt>${l.t('alert.lastNote')}</dt><dd>${a.note ?? none}</dd>
</dl>
${alertForms(l, a, csrf)}
</section>`;
}

export function alertsPage(l: ConsoleLocalized, view: AlertsView): SafeHtml {
  const states = [
    { value: 'open', label: l.t('alerts.filter.open') },
    { value: '', label: l.t('alerts.filter.all') },
    ...ALERT_STATES.map((s) => ({ value: s, label: l.t(`alertState.${s}`) })),
  ];
  return html`${notice(view.notice)}${notice(view.error, 'alert')}
<p>${l.t('alerts.lead')}</p>
<form method="get" action="/console/alerts" role="search" aria-label="${l.t('alerts.filter')}">
${select({ name: 'state', legend: l.t('alert.state'), choices: states, value: view.state })}
<button type="submit">${l.t('cases.filter.submit')}</button>
</form>
${
  view.alerts.length === 0
    ? html`<p>${l.t('alerts.empty')}</p>`
    : html`<p>${l.t('alerts.count', { count: view.alerts.length })}</p>${view.alerts.map((a) => alertSection(l, a, view.csrf))}`
}`;
}
