/**
 * `/report`: an owner reports a lost or stolen phone (all its IMEIs), chooses to block it or to track
 * it (recovery mode), and gives the mobile number the one-time code is sent to. Plain HTML form: it
 * works without JavaScript; a refused report comes back with every value kept and each error on its field.
 */
import type { FastifyRequest } from 'fastify';
import { button, checkbox, errorSummary, field, radios, select } from '../forms.ts';
import { html } from '../html.ts';
import type { Localized } from '../language.ts';
import { page } from '../layout.ts';
import { type FormErrors, NO_ERRORS } from '../problems.ts';

/** The report form's fields, as typed (the form's field names). */
export const REPORT_FIELDS = [
  'imei',
  'imei2',
  'kind',
  'mode',
  'brand',
  'model',
  'lastMsisdn',
  'incidentAt',
  'incidentPlace',
  'region',
  'policeReportNumber',
  'reporterName',
  'reporterPhone',
  'reporterEmail',
] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];
export type ReportValues = Readonly<Record<ReportField, string>> & { readonly notifyOwner: boolean };

export const EMPTY_REPORT: ReportValues = {
  ...(Object.fromEntries(REPORT_FIELDS.map((name) => [name, ''])) as Record<ReportField, string>),
  mode: 'block',
  notifyOwner: false,
};

export interface ReportView {
  readonly values: ReportValues;
  readonly regions: readonly string[];
  readonly errors?: FormErrors;
}

export function reportPage(l: Localized, request: FastifyRequest, version: string, view: ReportView): string {
  const { t } = l;
  const v = view.values;
  const errors = view.errors ?? NO_ERRORS;
  const e = (name: ReportField) => errors.byField[name] ?? null;
  const regions = [
    { value: '', label: t('report.regionUnknown') },
    ...view.regions.map((region) => ({ value: region, label: region })),
  ];
  const body = html`<h1>${t('report.title')}</h1>
${errorSummary(t('error.summary'), errors.summary)}
<p>${t('report.intro')}</p>
<form method="post" action="/report?lang=${l.language}" novalidate>
  <h2>${t('report.phoneSection')}</h2>
  ${field({ name: 'imei', label: t('report.imei'), hint: t('report.imeiHint'), error: e('imei'), value: v.imei, inputmode: 'numeric', autocomplete: 'off', required: true, dir: 'ltr', maxlength: 40 })}
  ${field({ name: 'imei2', label: t('report.imei2'), hint: t('report.imei2Hint'), error: e('imei2'), value: v.imei2, inputmode: 'numeric', autocomplete: 'off', dir: 'ltr', maxlength: 40 })}
  ${field({ name: 'brand', label: t('report.brand'), error: e('brand'), value: v.brand, maxlength: 100 })}
  ${field({ name: 'model', label: t('report.model'), error: e('model'), value: v.model, maxlength: 100 })}
  ${field({ name: 'lastMsisdn', label: t('report.lastMsisdn'), hint: t('report.lastMsisdnHint'), error: e('lastMsisdn'), value: v.lastMsisdn, type: 'tel', inputmode: 'tel', autocomplete: 'off', dir: 'ltr', maxlength: 32 })}
  <h2>${t('report.eventSection')}</h2>
  ${radios({
    name: 'kind',
    legend: t('report.kind'),
    error: e('kind'),
    value: v.kind,
    choices: [
      { value: 'stolen', label: t('report.kind.stolen') },
      { value: 'lost', label: t('report.kind.lost') },
    ],
  })}
  ${radios({
    name: 'mode',
    legend: t('report.mode'),
    error: e('mode'),
    value: v.mode,
    choices: [
      { value: 'block', label: t('report.mode.block'), hint: t('report.mode.blockHint') },
      { value: 'track', label: t('report.mode.track'), hint: t('report.mode.trackHint') },
    ],
  })}
  ${field({ name: 'incidentAt', label: t('report.incidentAt'), error: e('incidentAt'), value: v.incidentAt, type: 'datetime-local', dir: 'ltr' })}
  ${field({ name: 'incidentPlace', label: t('report.incidentPlace'), hint: t('report.incidentPlaceHint'), error: e('incidentPlace'), value: v.incidentPlace, maxlength: 200 })}
  ${select({ name: 'region', legend: t('report.region'), hint: t('report.regionHint'), error: e('region'), value: v.region, choices: regions })}
  ${field({ name: 'policeReportNumber', label: t('report.police'), hint: t('report.policeHint'), error: e('policeReportNumber'), value: v.policeReportNumber, autocomplete: 'off', maxlength: 64 })}
  <h2>${t('report.youSection')}</h2>
  <p>${t('report.privacy')}</p>
  ${field({ name: 'reporterName', label: t('report.name'), error: e('reporterName'), value: v.reporterName, autocomplete: 'name', maxlength: 200 })}
  ${field({ name: 'reporterPhone', label: t('report.phone'), hint: t('report.phoneHint'), error: e('reporterPhone'), value: v.reporterPhone, type: 'tel', inputmode: 'tel', autocomplete: 'tel', required: true, dir: 'ltr', maxlength: 32 })}
  ${field({ name: 'reporterEmail', label: t('report.email'), error: e('reporterEmail'), value: v.reporterEmail, type: 'email', inputmode: 'email', autocomplete: 'email', dir: 'ltr', maxlength: 200 })}
  ${checkbox({ name: 'notifyOwner', label: t('report.notify'), checked: v.notifyOwner })}
  ${button(t('report.submit'))}
</form>`;
  const title = t('report.title');
  return page(l, request, {
    title: errors.summary.length > 0 ? `${t('error.summary')}: ${title}` : title,
    section: 'report',
    body,
    version,
  });
}
