/**
 * `/appeal`: anyone whose phone is blocked or tracked asks for the block to be lifted (ground,
 * statement, how to tell them the decision), and follows an appeal by its reference.
 * `/appeal?reference=` shows the public state of an appeal only: its state, deadline and the reasons it
 * is about with their outcomes; never the appellant's details or statement.
 */
import type { FastifyRequest } from 'fastify';
import { APPEAL_GROUNDS, type AppealRecord, type AppealState } from '../../../cases/appeals.ts';
import type { PortalKey } from '../../../i18n/portal/index.ts';
import { button, errorSummary, type FieldError, field, radios } from '../forms.ts';
import { html } from '../html.ts';
import type { Localized } from '../language.ts';
import { page } from '../layout.ts';
import { type FormErrors, NO_ERRORS } from '../problems.ts';
import { reasonPhrase, utcTime } from '../words.ts';

export const APPEAL_FIELDS = [
  'imei',
  'ground',
  'statement',
  'appellantName',
  'appellantPhone',
  'appellantEmail',
] as const;
export type AppealField = (typeof APPEAL_FIELDS)[number];
export type AppealValues = Readonly<Record<AppealField, string>>;

export const EMPTY_APPEAL: AppealValues = Object.fromEntries(
  APPEAL_FIELDS.map((name) => [name, '']),
) as Record<AppealField, string>;

export interface AppealFormView {
  readonly values: AppealValues;
  readonly days: number;
  readonly errors?: FormErrors;
  /** The "follow an appeal" form: what was typed, and why it found nothing. */
  readonly follow?: { readonly value: string; readonly error: string | null };
}

export function appealPage(
  l: Localized,
  request: FastifyRequest,
  version: string,
  view: AppealFormView,
): string {
  const { t } = l;
  const v = view.values;
  const errors = view.errors ?? NO_ERRORS;
  const e = (name: AppealField) => errors.byField[name] ?? null;
  const followError = view.follow?.error ?? null;
  const summary: FieldError[] = [
    ...errors.summary,
    ...(followError ? [{ field: 'reference', message: followError }] : []),
  ];
  const body = html`<h1>${t('appeal.title')}</h1>
${errorSummary(t('error.summary'), summary)}
<p>${t('appeal.intro', { days: view.days })}</p>
<form method="post" action="/appeal?lang=${l.language}" novalidate>
  ${field({ name: 'imei', label: t('appeal.imei'), hint: t('check.hint'), error: e('imei'), value: v.imei, inputmode: 'numeric', autocomplete: 'off', required: true, dir: 'ltr', maxlength: 40 })}
  ${radios({
    name: 'ground',
    legend: t('appeal.ground'),
    error: e('ground'),
    value: v.ground,
    choices: APPEAL_GROUNDS.map((ground) => ({
      value: ground,
      label: t(`appeal.ground.${ground}` as PortalKey),
      hint: t(`appeal.ground.${ground}.detail` as PortalKey),
    })),
  })}
  ${field({ name: 'statement', label: t('appeal.statement'), hint: t('appeal.statementHint'), error: e('statement'), value: v.statement, multiline: true, required: true, maxlength: 2000 })}
  <h2>${t('appeal.contactSection')}</h2>
  <p>${t('appeal.contactHint')} ${t('appeal.privacy')}</p>
  ${field({ name: 'appellantName', label: t('appeal.name'), error: e('appellantName'), value: v.appellantName, autocomplete: 'name', maxlength: 200 })}
  ${field({ name: 'appellantPhone', label: t('appeal.phone'), hint: t('appeal.phoneHint'), error: e('appellantPhone'), value: v.appellantPhone, type: 'tel', inputmode: 'tel', autocomplete: 'tel', dir: 'ltr', maxlength: 32 })}
  ${field({ name: 'appellantEmail', label: t('appeal.email'), error: e('appellantEmail'), value: v.appellantEmail, type: 'email', inputmode: 'email', autocomplete: 'email', dir: 'ltr', maxlength: 200 })}
  ${button(t('appeal.submit'))}
</form>
<h2>${t('appeal.follow')}</h2>
<form method="get" action="/appeal" novalidate>
  ${field({ name: 'reference', label: t('appeal.follow.label'), hint: t('appeal.follow.hint'), error: followError, value: view.follow?.value ?? '', autocomplete: 'off', dir: 'ltr', maxlength: 40 })}
  <input type="hidden" name="lang" value="${l.language}">
  ${button(t('appeal.follow.submit'))}
</form>`;
  const title = t('appeal.title');
  return page(l, request, {
    title: summary.length > 0 ? `${t('error.summary')}: ${title}` : title,
    section: 'appeal',
    body,
    version,
  });
}

const STATUS_CLASS: Readonly<Record<AppealState, string>> = {
  open: 'status',
  escalated: 'status status-tracked',
  upheld: 'status status-blocked',
  overturned: 'status status-allowed',
  'partly-overturned': 'status status-tracked',
  withdrawn: 'status',
};

/** The public state of an appeal. Reads only the fields listed here: never the appellant's. */
export function appealStatusPage(
  l: Localized,
  request: FastifyRequest,
  version: string,
  view: { appeal: AppealRecord; notice: 'filed' | 'existing' | null },
): string {
  const { t } = l;
  const { reference, state, deadline, createdAt, reasons } = view.appeal;
  // One line per reason and status: the sources behind a reason are not public.
  const seen = new Set<string>();
  const lines = reasons.filter((r) => {
    const key = `${r.status}:${r.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const notice =
    view.notice === 'filed'
      ? t('appeal.filed', { reference })
      : view.notice === 'existing'
        ? t('appeal.existing')
        : null;
  const body = html`<h1>${t('appeal.status.title', { reference })}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<section class="${STATUS_CLASS[state]}" aria-labelledby="appeal-state">
  <h2 id="appeal-state">${t(`appeal.state.${state}` as PortalKey)}</h2>
  <p>${t(`appeal.state.${state}.detail` as PortalKey)}</p>
</section>
<dl class="facts">
  <dt>${t('appeal.filedAt')}</dt><dd>${utcTime(l, createdAt)}</dd>
  <dt>${t('appeal.deadline')}</dt><dd>${utcTime(l, deadline)}</dd>
  <dt>${t('appeal.reasons')}</dt>
  <dd><ul>${lines.map(
    (r) =>
      html`<li>${t(`appeal.reason.${r.status}`, { reason: reasonPhrase(l, r.reason) })}: <strong>${t(
        r.outcome ? `appeal.outcome.${r.outcome}` : 'appeal.outcome.pending',
      )}</strong></li>`,
  )}</ul></dd>
</dl>
<p>${t('appeal.publicOnly')}</p>`;
  return page(l, request, {
    title: t('appeal.status.title', { reference }),
    section: 'appeal',
    body,
    version,
  });
}
