/**
 * The printable status certificate: what the register signed, in the reader's language, with a QR
 * code of the verification address (which carries the whole certificate, so verifying needs no
 * lookup). The signed statement itself is language-neutral: codes, digits and times.
 */
import type { FastifyRequest } from 'fastify';
import type { StatusCertificate } from '../../../check/certificate.ts';
import type { DeviceAnswer } from '../device-check.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import type { Localized } from '../language.ts';
import { page } from '../layout.ts';
import { reasonPhrase, statusDetail, statusWord, utcTime } from '../words.ts';
import { modelText } from './check.ts';

/** The facts a certificate states, as a definition list (the certificate page and the verify page). */
export function statementFacts(
  l: Localized,
  certificate: StatusCertificate,
  model?: DeviceAnswer['model'],
): SafeHtml {
  const { t } = l;
  const s = certificate.statement;
  return html`<section class="status status-${s.status}" aria-labelledby="certificate-status">
  <h2 id="certificate-status">${t('certificate.status')}: ${statusWord(l, s.status)}</h2>
  <p>${statusDetail(l, s.status)}</p>
</section>
<dl class="facts">
  <dt>${t('certificate.identifier')}</dt><dd dir="ltr">${s.identifier}</dd>
  <dt>${t('certificate.reasons')}</dt>
  <dd>${s.reasons.length === 0 ? t('reason.none') : s.reasons.map((code) => reasonPhrase(l, code)).join(', ')}</dd>
  ${model !== undefined ? html`<dt>${t('certificate.model')}</dt><dd>${modelText(l, model)}</dd>` : ''}
  <dt>${t('certificate.checkedAt')}</dt><dd>${utcTime(l, s.checkedAt)}</dd>
  <dt>${t('certificate.ledger')}</dt>
  <dd class="mono" dir="ltr">${t('certificate.ledgerValue', { size: s.ledger.treeSize, root: s.ledger.rootHash })}</dd>
  <dt>${t('certificate.serial')}</dt><dd class="mono" dir="ltr">${s.serial}</dd>
  <dt>${t('certificate.key')}</dt><dd class="mono" dir="ltr">${s.issuer.keyId}</dd>
</dl>`;
}

export function certificatePage(
  l: Localized,
  request: FastifyRequest,
  version: string,
  view: { certificate: StatusCertificate; model: DeviceAnswer['model']; verifyUrl: string; qrSvg: string },
): string {
  const { t } = l;
  const body = html`<h1>${t('certificate.title')}</h1>
<p>${t('certificate.intro')}</p>
${statementFacts(l, view.certificate, view.model)}
<h2>${t('certificate.verifyAt')}</h2>
<figure class="qr">
  <div role="img" aria-label="${t('certificate.qr')}">${raw(view.qrSvg)}</div>
  <figcaption class="mono" dir="ltr"><a href="${view.verifyUrl}">${view.verifyUrl}</a></figcaption>
</figure>
<p class="no-print">${t('certificate.print')}</p>`;
  return page(l, request, { title: t('certificate.title'), section: 'check', body, version });
}
