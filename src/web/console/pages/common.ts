/**
 * What the case, alert, care and appeal consoles share: the confirmation panel after a redirect, a
 * refused form as an error summary plus one message per field (the rule comes from the cases part in
 * English, so it is marked `lang="en"`), the words for states, and the new-case form that police,
 * care staff and the regulator all use.
 */
import type { CaseRecord } from '../../../cases/cases.ts';
import { CASE_KINDS, CASE_MODES } from '../../../cases/model.ts';
import type { ConsoleKey } from '../../../i18n/console/index.ts';
import { LANGUAGE_NAMES, LANGUAGES } from '../../../i18n/index.ts';
import { checkbox, errorSummary, type FieldError, field, radios, select } from '../../portal/forms.ts';
import { html, type SafeHtml } from '../../portal/html.ts';
import type { ConsoleLocalized } from '../language.ts';

export interface Problem {
  readonly param: string;
  readonly reason: string;
}

/** A refused form: each problem on its field, and the summary that links to them. */
export interface PageErrors {
  readonly summary: readonly FieldError[];
  readonly byField: Readonly<Record<string, SafeHtml>>;
}

export const NO_ERRORS: PageErrors = { summary: [], byField: {} };

/**
 * Problems named by the cases part (`imeis[1]`, `reporterPhone`) as messages on the form's fields:
 * the field's label, then the rule. `fields` renames params; `labels` gives each field's label key.
 */
export function pageErrors(
  l: ConsoleLocalized,
  problems: readonly Problem[],
  options: {
    readonly fields?: Readonly<Record<string, string>>;
    readonly labels: Readonly<Record<string, ConsoleKey>>;
    readonly fallback: string;
  },
): PageErrors {
  const summary: FieldError[] = [];
  const byField: Record<string, SafeHtml> = {};
  for (const problem of problems) {
    const named = options.fields?.[problem.param] ?? problem.param;
    const known = named in options.labels;
    const id = known ? named : options.fallback;
    const label = l.t(known ? options.labels[named]! : 'problem.other');
    const message = html`${label}: <span lang="en" dir="ltr">${problem.reason}</span>`;
    summary.push({ field: id, message });
    byField[id] = byField[id] ? html`${byField[id]} ${message}` : message;
  }
  return { summary, byField };
}

export function errorBox(l: ConsoleLocalized, errors: PageErrors): SafeHtml {
  return errorSummary(l.t('error.summary'), errors.summary);
}

/** A message in a live region: the confirmation after a redirect, or a refusal that names no field. */
export function notice(text: string | SafeHtml | undefined, kind: 'status' | 'alert' = 'status'): SafeHtml {
  if (!text) return html``;
  return kind === 'alert'
    ? html`<div class="error-summary" role="alert" tabindex="-1"><p>${text}</p></div>`
    : html`<div class="panel" role="status"><p>${text}</p></div>`;
}

export function caseStateWord(l: ConsoleLocalized, state: CaseRecord['state']): string {
  return l.t(`caseState.${state}`);
}

/** `2026-05-01 14:03` (UTC) from an ISO string, or the dash. */
export function utcText(l: ConsoleLocalized, iso: string | null): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : l.t('none');
}

/** The query parameter `name` of a request, as one trimmed string. */
export function queryText(query: unknown, name: string): string {
  if (typeof query !== 'object' || query === null) return '';
  const value = (query as Record<string, unknown>)[name];
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' ? text.trim() : '';
}

/** The new-case form's fields, as the form names them. */
export const CASE_FORM_FIELDS = [
  'imei',
  'imei2',
  'kind',
  'mode',
  'brand',
  'model',
  'incidentAt',
  'incidentPlace',
  'region',
  'policeReportNumber',
  'reporterName',
  'reporterPhone',
  'reporterEmail',
  'language',
] as const;
export type CaseFormField = (typeof CASE_FORM_FIELDS)[number];
export type CaseFormValues = Readonly<Record<CaseFormField, string>> & { readonly notifyOwner: boolean };

export const EMPTY_CASE_FORM: CaseFormValues = {
  ...(Object.fromEntries(CASE_FORM_FIELDS.map((name) => [name, ''])) as Record<CaseFormField, string>),
  kind: 'stolen',
  mode: 'block',
  notifyOwner: false,
};

export const CASE_FIELD_LABELS: Readonly<Record<string, ConsoleKey>> = {
  imei: 'case.imei',
  imei2: 'case.imei2',
  kind: 'case.kind',
  mode: 'case.mode',
  brand: 'case.brand',
  model: 'case.model',
  incidentAt: 'case.incidentAt',
  incidentPlace: 'case.incidentPlace',
  region: 'case.region',
  policeReportNumber: 'case.policeReportNumber',
  reporterName: 'case.reporterName',
  reporterPhone: 'case.reporterPhone',
  reporterEmail: 'case.reporterEmail',
  language: 'case.language',
};

/** Where the cases part's params land on the new-case form. */
export const CASE_FIELD_PARAMS: Readonly<Record<string, string>> = {
  imeis: 'imei',
  'imeis[0]': 'imei',
  'imeis[1]': 'imei2',
};

/** The form body of a new case as typed. */
export function caseFormValues(body: unknown, text: (body: unknown, name: string) => string): CaseFormValues {
  const values = Object.fromEntries(CASE_FORM_FIELDS.map((name) => [name, text(body, name)])) as Record<
    CaseFormField,
    string
  >;
  return { ...values, notifyOwner: text(body, 'notifyOwner') === 'yes' };
}

/** What the cases part takes from the form. */
export function reportInput(v: CaseFormValues) {
  return {
    imeis: [v.imei, v.imei2].filter((imei) => imei !== ''),
    kind: v.kind,
    mode: v.mode,
    brand: v.brand || undefined,
    model: v.model || undefined,
    incidentAt: v.incidentAt || undefined,
    incidentPlace: v.incidentPlace || undefined,
    region: v.region || undefined,
    policeReportNumber: v.policeReportNumber || undefined,
    reporterName: v.reporterName || undefined,
    reporterPhone: v.reporterPhone || undefined,
    reporterEmail: v.reporterEmail || undefined,
    language: v.language || undefined,
    notifyOwner: v.notifyOwner,
  };
}

/** The new-case form (staff-entered: the case takes effect as soon as it is sent). */
export function caseForm(
  l: ConsoleLocalized,
  options: {
    readonly action: string;
    readonly csrf: SafeHtml;
    readonly values: CaseFormValues;
    readonly errors: PageErrors;
    readonly regions: readonly string[];
    readonly submit: ConsoleKey;
  },
): SafeHtml {
  const v = options.values;
  const e = (name: CaseFormField) => options.errors.byField[name] ?? null;
  const text = (
    name: CaseFormField,
    extra: { hint?: ConsoleKey; type?: 'text' | 'tel' | 'email' | 'datetime-local'; ltr?: boolean } = {},
  ) =>
    field({
      name,
      label: l.t(CASE_FIELD_LABELS[name]!),
      hint: extra.hint ? l.t(extra.hint) : undefined,
      error: e(name),
      value: v[name],
      type: extra.type,
      autocomplete: 'off',
      dir: extra.ltr ? 'ltr' : undefined,
      maxlength: 200,
    });
  const regions = [
    { value: '', label: l.t('case.region.none') },
    ...options.regions.map((region) => ({ value: region, label: region })),
  ];
  return html`${errorBox(l, options.errors)}
<form method="post" action="${options.action}" novalidate>${options.csrf}
${text('imei', { hint: 'case.imei.hint', ltr: true })}
${text('imei2', { hint: 'case.imei2.hint', ltr: true })}
${radios({ name: 'kind', legend: l.t('case.kind'), error: e('kind'), value: v.kind, choices: CASE_KINDS.map((k) => ({ value: k, label: l.t(`caseKind.${k}`) })) })}
${radios({ name: 'mode', legend: l.t('case.mode'), error: e('mode'), value: v.mode, choices: CASE_MODES.map((m) => ({ value: m, label: l.t(`caseMode.${m}`), hint: l.t(`caseMode.${m}.hint`) })) })}
${text('brand')}
${text('model')}
${text('incidentAt', { type: 'datetime-local', hint: 'case.incidentAt.hint', ltr: true })}
${text('incidentPlace')}
${select({ name: 'region', legend: l.t('case.region'), error: e('region'), value: v.region, choices: regions })}
${text('policeReportNumber', { ltr: true })}
${text('reporterName')}
${text('reporterPhone', { type: 'tel', hint: 'case.reporterPhone.hint', ltr: true })}
${text('reporterEmail', { type: 'email', ltr: true })}
${select({ name: 'language', legend: l.t('case.language'), hint: l.t('case.language.hint'), value: v.language || l.language, choices: LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language] })) })}
${checkbox({ name: 'notifyOwner', label: l.t('case.notifyOwner'), checked: v.notifyOwner })}
<button type="submit">${l.t(options.submit)}</button>
</form>`;
}
