/**
 * `/check`: the form, and `/check?id=` the answer in plain language — status, reasons, model, what to
 * do next and the signed certificate. Never personal data: no owner, contact, SIM, number or case.
 */
import type { FastifyRequest } from 'fastify';
import type { DeviceAnswer, InputProblem } from '../device-check.ts';
import { button, errorSummary, field } from '../forms.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Localized } from '../language.ts';
import { page } from '../layout.ts';
import { reasonPhrase, statusDetail, statusWord, utcTime } from '../words.ts';

export function checkForm(l: Localized, state: { value: string; problem: InputProblem | null }): SafeHtml {
  const { t } = l;
  const error = state.problem ? t(state.problem.key, state.problem.params) : null;
  return html`${error ? errorSummary(t('error.summary'), [{ field: 'id', message: error }]) : ''}
<form method="get" action="/check" novalidate>
  ${field({
    name: 'id',
    label: t('check.label'),
    hint: t('check.hint'),
    error,
    value: state.value,
    inputmode: 'numeric',
    autocomplete: 'off',
    dir: 'ltr',
  })}
  <input type="hidden" name="lang" value="${l.language}">
  ${button(t('check.submit'))}
</form>`;
}

export function checkFormPage(
  l: Localized,
  request: FastifyRequest,
  version: string,
  state: { value: string; problem: InputProblem | null },
): string {
  const title = l.t('check.title');
  const body = html`<h1>${title}</h1>${checkForm(l, state)}`;
  return page(l, request, {
    title: state.problem ? `${l.t('error.summary')}: ${title}` : title,
    section: 'check',
    body,
    version,
  });
}

function nextSteps(l: Localized, answer: DeviceAnswer): SafeHtml {
  const { t } = l;
  const buyer = t(`next.buyer.${answer.status}`);
  const reported = answer.status === 'blocked' || answer.status === 'tracked';
  return html`<h2>${t('next.title')}</h2>
<ul>
  <li>${buyer}</li>
  ${reported ? html`<li><a href="/cases">${t('next.owner')}</a></li>` : ''}
  ${answer.status === 'blocked' ? html`<li><a href="/appeal?id=${answer.identifier}">${t('next.wrong')}</a></li>` : ''}
</ul>`;
}

export function modelText(l: Localized, model: DeviceAnswer['model']): string {
  return model ? [model.brand, model.model].filter(Boolean).join(' ') : l.t('answer.modelUnknown');
}

export function checkAnswerPage(
  l: Localized,
  request: FastifyRequest,
  version: string,
  answer: DeviceAnswer,
): string {
  const { t } = l;
  const certificate = `/check/certificate?id=${encodeURIComponent(answer.identifier)}`;
  const body = html`<h1>${t('answer.title', { identifier: answer.identifier })}</h1>
<section class="status status-${answer.status}" aria-labelledby="status-title">
  <h2 id="status-title">${statusWord(l, answer.status)}</h2>
  <p>${statusDetail(l, answer.status)}</p>
</section>
<dl class="facts">
  <dt>${t('answer.reasons')}</dt>
  <dd>${answer.reasons.length === 0 ? t('reason.none') : html`<ul>${answer.reasons.map((code) => html`<li>${reasonPhrase(l, code)}</li>`)}</ul>`}</dd>
  <dt>${t('answer.model')}</dt>
  <dd>${modelText(l, answer.model)}</dd>
</dl>
<p>${t('answer.checkedAt', { time: utcTime(l, answer.checkedAt) })}</p>
${nextSteps(l, answer)}
<section class="panel" aria-labelledby="certificate-title">
  <h2 id="certificate-title">${t('certificate.offer')}</h2>
  <p>${t('certificate.offerText')}</p>
  <p><a class="button" href="${certificate}&amp;format=json" download>${t('certificate.json')}</a>
  <a class="button secondary" href="${certificate}&amp;format=html&amp;lang=${l.language}">${t('certificate.html')}</a></p>
</section>
<p><a href="/check">${t('check.another')}</a></p>`;
  return page(l, request, {
    title: `${statusWord(l, answer.status)}: ${answer.identifier}`,
    section: 'check',
    body,
    version,
  });
}
