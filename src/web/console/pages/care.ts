/**
 * `/console/care`: what operator care staff do for a customer. A device status lookup (status,
 * reasons in words, model; no personal data), the device's IMEI–IMSI pairings under the user's own
 * source with forms to add and remove them, and the new-case form on the operator's channel.
 */
import { type DeviceKey, fullImei } from '../../../identifiers/index.ts';
import type { Pairing } from '../../../ledger/fold.ts';
import type { DeviceReport } from '../../../registry/operations.ts';
import { errorSummary, field } from '../../portal/forms.ts';
import { html, type SafeHtml } from '../../portal/html.ts';
import { localizer } from '../../portal/language.ts';
import { reasonPhrase, statusWord } from '../../portal/words.ts';
import type { ConsoleLocalized } from '../language.ts';
import { type CaseFormValues, caseForm, notice, type PageErrors, utcText } from './common.ts';

export interface CareView {
  readonly lookup: string;
  readonly lookupError?: SafeHtml;
  readonly device?: DeviceReport;
  /** The pairings the user may see and remove (their own source; all for the regulator). */
  readonly pairings: readonly Pairing[];
  readonly source: string;
  readonly pairing: { readonly values: Readonly<Record<string, string>>; readonly errors: PageErrors };
  readonly report: { readonly values: CaseFormValues; readonly errors: PageErrors };
  readonly regions: readonly string[];
  readonly notice?: SafeHtml | string;
  readonly csrf: SafeHtml;
}

function status(l: ConsoleLocalized, device: DeviceReport): SafeHtml {
  // Status and reason words are the portal's: the same phrases a customer reads on the public check.
  const words = localizer(l.language);
  const answer = device.verdict.status;
  const reasons = device.reasons.map(
    (r) =>
      html`<li>${statusWord(words, r.status)}: ${reasonPhrase(words, r.reason)} <span dir="ltr">(${r.source})</span></li>`,
  );
  const model = device.model ? [device.model.brand, device.model.model].filter(Boolean).join(' ') : '';
  return html`<section class="status status-${answer}" role="status" aria-labelledby="device-status-title">
<h2 id="device-status-title">${l.t('care.status', { status: statusWord(words, answer) })}</h2>
<dl class="facts">
<dt>${l.t('case.imei')}</dt><dd dir="ltr">${fullImei(device.deviceKey as DeviceKey)}</dd>
<dt>${l.t('case.device')}</dt><dd>${model || l.t('care.model.unknown')}</dd>
<dt>${l.t('care.reasons')}</dt><dd>${reasons.length > 0 ? html`<ul>${reasons}</ul>` : l.t('care.reasons.none')}</dd>
</dl></section>`;
}

function pairingTable(l: ConsoleLocalized, view: CareView, device: DeviceReport): SafeHtml {
  if (view.pairings.length === 0) return html`<p>${l.t('care.pairings.none')}</p>`;
  const rows = view.pairings.map(
    (p) => html`<tr><td dir="ltr">${p.imsi}</td><td dir="ltr">${p.msisdn ? `+${p.msisdn}` : l.t('none')}</td>
<td dir="ltr">${p.source}</td><td dir="ltr">${utcText(l, p.since)}</td>
<td><form method="post" action="/console/care/pairings" class="inline">${view.csrf}
<input type="hidden" name="action" value="unpair"><input type="hidden" name="pair-imei" value="${fullImei(device.deviceKey as DeviceKey)}">
<input type="hidden" name="pair-imsi" value="${p.imsi}"><input type="hidden" name="pair-source" value="${p.source}">
<button type="submit" class="button secondary">${l.t('care.pairing.remove', { imsi: p.imsi })}</button></form></td></tr>`,
  );
  return html`<div class="table"><table><caption>${l.t('care.pairings')}</caption>
<thead><tr><th scope="col">${l.t('alert.imsi')}</th><th scope="col">${l.t('alert.msisdn')}</th><th scope="col">${l.t('care.source')}</th><th scope="col">${l.t('care.since')}</th><th scope="col">${l.t('col.actions')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

export function carePage(l: ConsoleLocalized, view: CareView): SafeHtml {
  const p = view.pairing;
  const e = (name: string) => p.errors.byField[name] ?? null;
  return html`${notice(view.notice)}
<h2 id="lookup">${l.t('care.lookup')}</h2>
<p>${l.t('care.lookup.lead')}</p>
${view.lookupError ? errorSummary(l.t('error.summary'), [{ field: 'device', message: view.lookupError }]) : ''}
<form method="get" action="/console/care" role="search" aria-label="${l.t('care.lookup')}">
${field({ name: 'device', label: l.t('case.imei'), hint: l.t('care.lookup.hint'), error: view.lookupError ?? null, value: view.lookup, inputmode: 'numeric', autocomplete: 'off', dir: 'ltr', maxlength: 40 })}
<button type="submit">${l.t('care.lookup.submit')}</button>
</form>
${view.device ? html`${status(l, view.device)}<h2 id="pairings">${l.t('care.pairings')}</h2><p>${l.t('care.pairings.lead', { source: view.source })}</p>${pairingTable(l, view, view.device)}` : ''}
<h2 id="add-pairing">${l.t('care.pairing.add')}</h2>
<p>${l.t('care.pairing.lead', { source: view.source })}</p>
${errorSummary(l.t('error.summary'), p.errors.summary)}
<form method="post" action="/console/care/pairings" novalidate>${view.csrf}
<input type="hidden" name="action" value="pair">
${field({ name: 'pair-imei', label: l.t('case.imei'), error: e('pair-imei'), value: p.values['pair-imei'] ?? '', inputmode: 'numeric', autocomplete: 'off', dir: 'ltr', maxlength: 40 })}
${field({ name: 'pair-imsi', label: l.t('alert.imsi'), hint: l.t('care.imsi.hint'), error: e('pair-imsi'), value: p.values['pair-imsi'] ?? '', inputmode: 'numeric', autocomplete: 'off', dir: 'ltr', maxlength: 15 })}
${field({ name: 'pair-msisdn', label: l.t('alert.msisdn'), hint: l.t('care.msisdn.hint'), error: e('pair-msisdn'), value: p.values['pair-msisdn'] ?? '', type: 'tel', autocomplete: 'off', dir: 'ltr', maxlength: 20 })}
<button type="submit">${l.t('care.pairing.add.submit')}</button>
</form>
<h2 id="report">${l.t('care.report')}</h2>
<p>${l.t('care.report.lead')}</p>
${caseForm(l, { action: '/console/care/report', csrf: view.csrf, values: view.report.values, errors: view.report.errors, regions: view.regions, submit: 'care.report.submit' })}`;
}
