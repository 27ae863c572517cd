/** `/certificates/verify`: paste or upload a certificate (or follow a QR link) and read the verdict. */
import type { FastifyRequest } from 'fastify';
import type { Verification } from '../../../check/certificate.ts';
import { button, errorSummary, field } from '../forms.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Localized } from '../language.ts';
import { page } from '../layout.ts';
import { utcTime } from '../words.ts';
import { statementFacts } from './certificate.ts';

export interface VerifyState {
  readonly value: string;
  readonly empty: boolean;
  readonly result: Verification | null;
}

function verdict(l: Localized, result: Verification): SafeHtml {
  const { t } = l;
  if (result.valid) {
    const s = result.certificate.statement;
    return html`<section class="panel" aria-labelledby="verdict" role="status">
  <h2 id="verdict">${t('verify.valid')}</h2>
  <p>${t('verify.validText', { time: utcTime(l, s.checkedAt) })}</p>
</section>
${statementFacts(l, result.certificate)}
<p><a href="/check?id=${s.identifier}">${t('verify.checkNow')}</a></p>`;
  }
  const why =
    result.reason === 'malformed'
      ? t('verify.malformed', { field: result.field })
      : result.reason === 'unknown-key'
        ? t('verify.unknownKey', { keyId: result.keyId })
        : t('verify.badSignature');
  return html`<section class="status status-blocked" aria-labelledby="verdict" role="status">
  <h2 id="verdict">${t('verify.invalid')}</h2>
  <p>${why}</p>
</section>`;
}

export function verifyPage(
  l: Localized,
  request: FastifyRequest,
  version: string,
  state: VerifyState,
): string {
  const { t } = l;
  const error = state.empty ? t('verify.empty') : null;
  const body = html`<h1>${t('verify.title')}</h1>
${error ? errorSummary(t('error.summary'), [{ field: 'certificate', message: error }]) : ''}
${state.result ? verdict(l, state.result) : ''}
<p>${t('verify.intro')}</p>
<form method="post" action="/certificates/verify?lang=${l.language}" enctype="multipart/form-data" novalidate>
  ${field({
    name: 'certificate',
    label: t('verify.paste'),
    hint: t('verify.pasteHint'),
    error,
    value: state.value,
    multiline: true,
    dir: 'ltr',
  })}
  ${field({ name: 'file', label: t('verify.file'), hint: t('verify.fileHint'), type: 'file', accept: '.json,application/json' })}
  ${button(t('verify.submit'))}
</form>
<h2>${t('verify.offline')}</h2>
<p>${t('verify.offlineText')}</p>
<ul>
  <li><a href="/certificates/key" download>${t('verify.key')}</a></li>
</ul>`;
  const title = state.result
    ? `${state.result.valid ? t('verify.valid') : t('verify.invalid')}: ${t('verify.title')}`
    : t('verify.title');
  return page(l, request, { title, section: 'verify', body, version });
}
