/**
 * Form pieces every portal form shares (check, verify, and later report, case and appeal): a label,
 * a hint and an error tied to the control by aria-describedby, and an error summary at the top that
 * links to each wrong field (WCAG 2.2 §3.3.1).
 */
import { type HtmlValue, html, type SafeHtml } from './html.ts';

export interface FieldError {
  /** The id of the control the error is about. */
  readonly field: string;
  /** Text, or markup built by our code (e.g. an English rule marked `lang="en"` on a localized page). */
  readonly message: string | SafeHtml;
}

export interface FieldOptions {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly error?: string | SafeHtml | null;
  readonly value?: string;
  readonly type?: 'text' | 'search' | 'tel' | 'email' | 'file' | 'datetime-local';
  /** A multi-line text area instead of an input. */
  readonly multiline?: boolean;
  readonly inputmode?: 'numeric' | 'text' | 'tel' | 'email';
  readonly maxlength?: number;
  readonly autocomplete?: string;
  readonly required?: boolean;
  readonly accept?: string;
  /** Text direction of the value: identifiers and JSON read left to right even in Arabic. */
  readonly dir?: 'ltr' | 'rtl' | 'auto';
}

export function field(options: FieldOptions): SafeHtml {
  const id = options.name;
  const hintId = options.hint ? `${id}-hint` : null;
  const errorId = options.error ? `${id}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || null;
  const common: HtmlValue = html` id="${id}" name="${options.name}"${
    describedBy ? html` aria-describedby="${describedBy}"` : ''
  }${options.error ? html` aria-invalid="true"` : ''}${options.required ? html` required` : ''}${
    options.dir ? html` dir="${options.dir}"` : ''
  }`;
  const control = options.multiline
    ? html`<textarea${common} rows="8" spellcheck="false">${options.value ?? ''}</textarea>`
    : html`<input${common} type="${options.type ?? 'text'}"${
        options.type === 'file' ? '' : html` value="${options.value ?? ''}"`
      }${options.inputmode ? html` inputmode="${options.inputmode}"` : ''}${
        options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''
      }${options.accept ? html` accept="${options.accept}"` : ''}${
        options.maxlength ? html` maxlength="${options.maxlength}"` : ''
      }${options.type === 'file' ? '' : html` spellcheck="false"`}>`;
  return html`<div class="field">
  <label for="${id}">${options.label}</label>
  ${hintId ? html`<span class="hint" id="${hintId}">${options.hint}</span>` : ''}
  ${errorId ? html`<span class="error-message" id="${errorId}">${options.error}</span>` : ''}
  ${control}
</div>`;
}

export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly hint?: string;
}

export interface ChoiceOptions {
  readonly name: string;
  readonly legend: string;
  readonly hint?: string;
  readonly error?: string | SafeHtml | null;
  readonly choices: readonly Choice[];
  readonly value?: string;
}

/**
 * Radio buttons in a fieldset whose legend asks the question. The first button's id is the group's
 * name, so an error summary links to `#name` as it does for any other field.
 */
export function radios(options: ChoiceOptions): SafeHtml {
  const { name } = options;
  const hintId = options.hint ? `${name}-hint` : null;
  const errorId = options.error ? `${name}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || null;
  const items = options.choices.map((choice, i) => {
    const id = i === 0 ? name : `${name}-${choice.value}`;
    const itemHint = choice.hint ? `${id}-item-hint` : null;
    return html`<div class="choice">
    <input type="radio" id="${id}" name="${name}" value="${choice.value}"${
      options.value === choice.value ? html` checked` : ''
    }${itemHint ? html` aria-describedby="${itemHint}"` : ''}>
    <label for="${id}">${choice.label}</label>
    ${itemHint ? html`<span class="hint" id="${itemHint}">${choice.hint}</span>` : ''}
  </div>`;
  });
  return html`<fieldset class="field choices"${describedBy ? html` aria-describedby="${describedBy}"` : ''}>
  <legend>${options.legend}</legend>
  ${hintId ? html`<span class="hint" id="${hintId}">${options.hint}</span>` : ''}
  ${errorId ? html`<span class="error-message" id="${errorId}">${options.error}</span>` : ''}
  ${items}
</fieldset>`;
}

/** A drop-down list; the empty value is the first choice when the question may go unanswered. */
export function select(options: ChoiceOptions & { readonly label?: string }): SafeHtml {
  const { name } = options;
  const hintId = options.hint ? `${name}-hint` : null;
  const errorId = options.error ? `${name}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || null;
  return html`<div class="field">
  <label for="${name}">${options.legend}</label>
  ${hintId ? html`<span class="hint" id="${hintId}">${options.hint}</span>` : ''}
  ${errorId ? html`<span class="error-message" id="${errorId}">${options.error}</span>` : ''}
  <select id="${name}" name="${name}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${
    options.error ? html` aria-invalid="true"` : ''
  }>${options.choices.map(
    (choice) =>
      html`<option value="${choice.value}"${options.value === choice.value ? html` selected` : ''}>${choice.label}</option>`,
  )}</select>
</div>`;
}

/** One checkbox that says yes to one thing. */
export function checkbox(options: {
  name: string;
  label: string;
  hint?: string;
  checked: boolean;
}): SafeHtml {
  const hintId = options.hint ? `${options.name}-hint` : null;
  return html`<div class="field choice">
  <input type="checkbox" id="${options.name}" name="${options.name}" value="yes"${
    options.checked ? html` checked` : ''
  }${hintId ? html` aria-describedby="${hintId}"` : ''}>
  <label for="${options.name}">${options.label}</label>
  ${hintId ? html`<span class="hint" id="${hintId}">${options.hint}</span>` : ''}
</div>`;
}

/** The summary that opens a form with errors; focusable so that it can be announced first. */
export function errorSummary(title: string, errors: readonly FieldError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
  <h2 id="error-summary-title">${title}</h2>
  <ul>${errors.map((e) => html`<li><a href="#${e.field}">${e.message}</a></li>`)}</ul>
</div>`;
}

export function button(label: string): SafeHtml {
  return html`<button type="submit">${label}</button>`;
}
