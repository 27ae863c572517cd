/**
 * `/cases`: follow a case by its reference; `/cases/{reference}`: what anyone holding the reference may
 * see (state in plain language, what happens next, brand and model, the last four digits of each IMEI,
 * dates; never personal data), the code form while the report waits for confirmation, and the owner's
 * actions, each confirmed with a fresh one-time code sent to the number in the report.
 */
import type { FastifyRequest } from 'fastify';
import type { PublicCaseView } from '../../../cases/cases.ts';
import type { CaseState } from '../../../cases/model.ts';
import type { PortalKey } from '../../../i18n/portal/index.ts';
import { button, errorSummary, field } from '../forms.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Localized } from '../language.ts';
import { page } from '../layout.ts';
import { utcTime } from '../words.ts';

/** What an owner may do on the portal, by the state of the case (model.ts has the rules). */
export const OWNER_ACTIONS = ['unblock', 'track', 'block', 'withdraw'] as const;
export type OwnerAction = (typeof OWNER_ACTIONS)[number];
export const ACTIONS_BY_STATE: Partial<Record<CaseState, readonly OwnerAction[]>> = {
  blocked: ['unblock', 'track', 'withdraw'],
  tracked: ['unblock', 'block', 'withdraw'],
  recovered: ['unblock', 'withdraw'],
};

export type CodeSent = 'sent' | 'wait' | 'no-phone';
export type Done = 'verified' | OwnerAction;

/** The state a confirmation is true in: a `?done=` that the case does not bear out is not shown. */
const DONE_STATES: Readonly<Record<Done, readonly CaseState[]>> = {
  verified: ['verified', 'blocked', 'tracked'],
  unblock: ['closed'],
  track: ['tracked'],
  block: ['blocked'],
  withdraw: ['withdrawn'],
};

const STATUS_CLASS: Readonly<Record<CaseState, string>> = {
  submitted: 'status',
  verified: 'status',
  blocked: 'status status-blocked',
  tracked: 'status status-tracked',
  recovered: 'status status-blocked',
  closed: 'status status-allowed',
  withdrawn: 'status status-allowed',
  rejected: 'status',
};

export function caseFindPage(
  l: Localized,
  request: FastifyRequest,
  version: string,
  state: { value: string; error: string | null },
): string {
  const { t } = l;
  const body = html`<h1>${t('case.find.title')}</h1>
${state.error ? errorSummary(t('error.summary'), [{ field: 'reference', message: state.error }]) : ''}
<p>${t('case.find.intro')}</p>
<form method="get" action="/cases" novalidate>
  ${field({ name: 'reference', label: t('case.find.label'), hint: t('case.find.hint'), error: state.error, value: state.value, autocomplete: 'off', required: true, dir: 'ltr', maxlength: 40 })}
  <input type="hidden" name="lang" value="${l.language}">
  ${button(t('case.find.submit'))}
</form>`;
  const title = t('case.find.title');
  return page(l, request, {
    title: state.error ? `${t('error.summary')}: ${title}` : title,
    section: 'case',
    body,
    version,
  });
}

export interface CasePageView {
  readonly view: PublicCaseView;
  /** How long a code lives, for the hint. */
  readonly minutes: number;
  /** Just reported: a new case, or the open case that already covered the phone. */
  readonly reported?: 'new' | 'existing' | null;
  readonly done?: Done | null;
  readonly codeSent?: CodeSent | null;
  /** The action the owner is confirming with a code. */
  readonly pending?: OwnerAction | null;
  /** What went wrong with the last code or action. */
  readonly error?: string | null;
}

function notice(text: string): SafeHtml {
  return html`<p class="notice" role="status">${text}</p>`;
}

function codeField(l: Localized, minutes: number, error: string | null): SafeHtml {
  return field({
    name: 'code',
    label: l.t('case.code.label'),
    hint: l.t('case.code.hint', { minutes }),
    error,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    required: true,
    dir: 'ltr',
    maxlength: 12,
  });
}

function resendForm(l: Localized, base: string, action: OwnerAction | null): SafeHtml {
  return html`<form method="post" action="${base}/code?lang=${l.language}" class="inline">
  ${action ? html`<input type="hidden" name="action" value="${action}">` : ''}
  <button type="submit" class="button secondary">${l.t('case.code.resend')}</button>
</form>`;
}

function ownerPart(l: Localized, view: CasePageView): SafeHtml {
  const { t } = l;
  const c = view.view;
  const base = `/cases/${c.reference}`;
  const error = view.error ?? null;
  if (c.state === 'submitted') {
    if (!c.ownerReachable) return html`<p>${t('case.code.noPhone')}</p>`;
    return html`<form method="post" action="${base}/verify?lang=${l.language}" novalidate>
  ${codeField(l, view.minutes, error)}
  ${button(t('case.code.verify'))}
</form>
${resendForm(l, base, null)}`;
  }
  const actions = ACTIONS_BY_STATE[c.state];
  if (!actions) return html``;
  if (!c.ownerReachable) return html`<h2>${t('case.actions')}</h2><p>${t('case.code.noPhone')}</p>`;
  const pending = view.pending && actions.includes(view.pending) ? view.pending : null;
  if (pending) {
    const label = t(`case.action.${pending}` as PortalKey);
    return html`<h2 id="actions">${t('case.action.confirmTitle', { action: label })}</h2>
<p>${t(`case.action.${pending}.detail` as PortalKey)}</p>
<form method="post" action="${base}/act?lang=${l.language}" novalidate>
  <input type="hidden" name="action" value="${pending}">
  ${codeField(l, view.minutes, error)}
  ${button(t('case.action.confirm'))}
</form>
${resendForm(l, base, pending)}
<p><a href="${base}">${t('case.action.cancel')}</a></p>`;
  }
  return html`<h2 id="actions">${t('case.actions')}</h2>
<p>${t('case.actions.intro')}</p>
${actions.map(
  (action) => html`<form method="post" action="${base}/code?lang=${l.language}" class="field">
  <input type="hidden" name="action" value="${action}">
  <button type="submit" class="button${action === 'unblock' ? '' : ' secondary'}" aria-describedby="action-${action}-detail">${t(`case.action.${action}` as PortalKey)}</button>
  <span class="hint" id="action-${action}-detail">${t(`case.action.${action}.detail` as PortalKey)}</span>
</form>`,
)}`;
}

export function casePage(l: Localized, request: FastifyRequest, version: string, view: CasePageView): string {
  const { t } = l;
  const c = view.view;
  const notices: SafeHtml[] = [];
  if (view.reported === 'new') notices.push(notice(t('case.new', { reference: c.reference })));
  if (view.reported === 'existing') notices.push(notice(t('case.existing')));
  if (view.done && DONE_STATES[view.done].includes(c.state))
    notices.push(notice(t(`case.done.${view.done}` as PortalKey)));
  if (view.codeSent === 'sent') notices.push(notice(t('case.code.sent')));
  if (view.codeSent === 'wait') notices.push(notice(t('case.code.wait')));
  if (view.codeSent === 'no-phone') notices.push(notice(t('case.code.noPhone')));
  const codeOnPage =
    c.state === 'submitted' || (view.pending && ACTIONS_BY_STATE[c.state]?.includes(view.pending));
  const error = view.error ?? null;
  const phone = [c.brand, c.model].filter(Boolean).join(' ');
  const body = html`<h1>${t('case.title', { reference: c.reference })}</h1>
${error ? errorSummary(t('error.summary'), [{ field: codeOnPage && c.ownerReachable ? 'code' : 'case-state', message: error }]) : ''}
${notices}
<section class="${STATUS_CLASS[c.state]}" aria-labelledby="case-state">
  <h2 id="case-state" tabindex="-1">${t(`case.state.${c.state}` as PortalKey)}</h2>
  <p>${t(`case.state.${c.state}.detail` as PortalKey)}</p>
</section>
<dl class="facts">
  <dt>${t('case.kind')}</dt><dd>${t(`case.kind.${c.kind}` as PortalKey)}</dd>
  <dt>${t('case.phone')}</dt><dd>${phone || t('case.phoneUnknown')}</dd>
  <dt>${t('case.imeis')}</dt><dd dir="ltr">${c.devices.map((last4) => `…${last4}`).join(', ')}</dd>
  <dt>${t('case.created')}</dt><dd>${utcTime(l, c.createdAt)}</dd>
  <dt>${t('case.updated')}</dt><dd>${utcTime(l, c.updatedAt)}</dd>
</dl>
<h2>${t('case.next')}</h2>
<p>${t(`case.next.${c.state}` as PortalKey)}</p>
${ownerPart(l, view)}
<p>${t('case.privacy')}</p>`;
  const title = t('case.title', { reference: c.reference });
  return page(l, request, {
    title: error ? `${t('error.summary')}: ${title}` : title,
    section: 'case',
    body,
    version,
  });
}
