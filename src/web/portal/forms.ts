/**
 * Form pieces every portal form shares (check, verify, and later report, case and appeal): a label,
 * a hint and an error tied to the control by aria-describedby, and an error summary at the top that
 * links to each wrong field (WCAG 2.2 §3.3.1).
 */
import { type HtmlValue, html, type SafeHtml } from './html.ts';

export interface FieldError {
  /** The id of the control the error is about. */
  readonly field: string;
  readonly message: string;
}

export interface FieldOptions {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly error?: string | null;
  readonly value?: string;
  readonly type?: 'text' | 'search' | 'tel' | 'email' | 'file';
  /** A multi-line text area instead of an input. */
  readonly multiline?: boolean;
  readonly inputmode?: 'numeric' | 'text' | 'tel' | 'email';
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
        options.type === 'file' ? '' : html` spellcheck="false"`
      }>`;
  return html`<div class="field">
  <label for="${id}">${options.label}</label>
  ${hintId ? html`<span class="hint" id="${hintId}">${options.hint}</span>` : ''}
  ${errorId ? html`<span class="error-message" id="${errorId}">${options.error}</span>` : ''}
  ${control}
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
