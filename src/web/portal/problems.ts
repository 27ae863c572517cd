/**
 * A refused form (CasesInputError's problems) as the portal shows it: each problem on its field, with
 * a one-line lead in the reader's language and the rule that failed. Rules come from the cases part
 * in English, so they are marked `lang="en"`; an IMEI's rule is said in the reader's language instead
 * (the same words as the check form).
 */
import type { PortalKey } from '../../i18n/portal/index.ts';
import { portalCatalogue } from '../../i18n/portal/index.ts';
import { readIdentifier } from './device-check.ts';
import type { FieldError } from './forms.ts';
import { html, type SafeHtml } from './html.ts';
import type { Localized } from './language.ts';

export interface Problem {
  readonly param: string;
  readonly reason: string;
}

export interface FormErrors {
  /** In the order of the problems, for the error summary. */
  readonly summary: readonly FieldError[];
  /** The error shown on each field, by field name. */
  readonly byField: Readonly<Record<string, SafeHtml>>;
}

export const NO_ERRORS: FormErrors = { summary: [], byField: {} };

export interface ProblemMapping {
  /** The form field a problem's `param` is about, when its name differs (`imeis[1]` → `imei2`). */
  readonly fields?: Readonly<Record<string, string>>;
  /** The field a problem about no known field is shown on. */
  readonly fallback: string;
  /** What was typed, by field name (an IMEI's rule is said from it). */
  readonly values: Readonly<Record<string, string | boolean>>;
  /** Fields that hold an IMEI. */
  readonly imeiFields?: readonly string[];
  /** A problem said entirely in the reader's language, by its `param`, instead of lead and rule. */
  readonly messages?: Readonly<Record<string, string>>;
}

export function formErrors(l: Localized, problems: readonly Problem[], mapping: ProblemMapping): FormErrors {
  const summary: FieldError[] = [];
  const collected = new Map<string, SafeHtml[]>();
  for (const problem of problems) {
    const named = mapping.fields?.[problem.param] ?? problem.param;
    const known = named in mapping.values;
    const field = known ? named : mapping.fallback;
    const leadKey = `problem.${known ? named : 'other'}`;
    const lead = leadKey in portalCatalogue.en ? l.t(leadKey as PortalKey) : l.t('problem.other');
    const own = mapping.messages?.[problem.param];
    let message: SafeHtml;
    if (own !== undefined) message = html`${own}`;
    else {
      const imei = mapping.imeiFields?.includes(field)
        ? readIdentifier(String(mapping.values[field] ?? ''))
        : null;
      message =
        imei && !imei.ok
          ? html`${lead} ${l.t(imei.problem.key, imei.problem.params)}`
          : html`${lead} <span lang="en" dir="ltr">(${problem.reason})</span>`;
    }
    summary.push({ field, message });
    collected.set(field, [...(collected.get(field) ?? []), message]);
  }
  const byField: Record<string, SafeHtml> = {};
  for (const [field, messages] of collected)
    byField[field] = html`${messages.map((m, i) => (i === 0 ? m : html` ${m}`))}`;
  return { summary, byField };
}
