/**
 * /console/policy (regulator, auditor): the national policy and the settings the registry runs with,
 * read from the loaded configuration (set in openceir.yaml or the environment, applied at restart, so
 * every change has a trace in the configuration's history), and the appeal outcomes per reason and
 * detection rule: a rule whose blocks are often overturned deserves a look (ITU-T Q.5051 §8.5).
 */
import type { FastifyInstance } from 'fastify';
import type { ConsoleKey } from '../../i18n/console/index.ts';
import { consoleLocalize } from '../console/language.ts';
import { sendConsolePage } from '../console/layout.ts';
import type { AppContext } from '../context.ts';
import { html, type SafeHtml } from '../portal/html.ts';

type Answer = 'allowed' | 'tracked' | 'blocked' | 'unknown';

export function consolePolicyRoutes(app: FastifyInstance, context: AppContext): void {
  app.get(
    '/console/policy',
    { schema: { hide: true }, config: { access: ['regulator', 'auditor'] } },
    async (request, reply) => {
      const l = consoleLocalize(request, reply);
      const t = (key: ConsoleKey, params?: Record<string, string | number>) => l.t(key, params);
      const { config } = context;
      const answer = (value: Answer) => t(`policy.answer.${value}` as ConsoleKey);
      const row = (label: ConsoleKey, value: SafeHtml | string) =>
        html`<tr><th scope="row">${t(label)}</th><td>${value}</td></tr>`;
      const table = (caption: ConsoleKey, rows: SafeHtml[]) =>
        html`<table><caption>${t(caption)}</caption><tbody>${rows}</tbody></table>`;
      const policy = context.checks.policy;
      const sms = config.sms.smscUrl
        ? config.sms.smscUrl
        : context.smsSimulator
          ? t('policy.smsSimulator')
          : t('policy.smsNone');
      const outcomes = await context.desk.appeals.outcomes();
      const outcomeTable =
        outcomes.length === 0
          ? html`<p>${t('policy.outcomes.none')}</p>`
          : html`<table><caption>${t('policy.section.outcomes')}</caption>
<thead><tr><th scope="col">${t('policy.outcomes.reason')}</th><th scope="col">${t('policy.outcomes.source')}</th>
<th scope="col">${t('policy.outcomes.upheld')}</th><th scope="col">${t('policy.outcomes.overturned')}</th>
<th scope="col">${t('policy.outcomes.rate')}</th></tr></thead>
<tbody>${outcomes.map(
              (
                o,
              ) => html`<tr><td>${o.reason}</td><td dir="ltr">${o.source}</td><td>${o.upheld}</td><td>${o.overturned}</td>
<td>${Math.round((100 * o.overturned) / Math.max(1, o.upheld + o.overturned))} %</td></tr>`,
            )}</tbody></table>`;
      return sendConsolePage(l, request, reply, {
        title: t('policy.title'),
        body: html`<p>${t('policy.lead')}</p>
${table('policy.section.check', [
  row('policy.mode', t(policy.mode === 'permissive' ? 'policy.mode.permissive' : 'policy.mode.restrictive')),
  row('policy.unlisted', answer(policy.unlisted as Answer)),
  row('policy.malformed', answer(policy.malformed as Answer)),
  row('policy.pairingExempts', html`<span dir="ltr">${[...policy.pairingExemptsNot].join(', ')}</span>`),
])}
${table('policy.section.cases', [
  row('policy.verificationMinutes', t('policy.minutes', { count: config.cases.verificationMinutes })),
  row('policy.appealDays', t('policy.days', { count: config.cases.appealDays })),
  row('policy.suspendOverdue', t(config.cases.suspendOverdueAppeals ? 'yes' : 'no')),
])}
${table('policy.section.public', [
  row('policy.rateLimit', t('policy.perMinute', { count: config.portal.rateLimitPerMinute })),
  row('policy.smsShortCode', html`<span dir="ltr">${config.sms.shortCode}</span>`),
  row('policy.smsConnection', html`<span dir="ltr">${sms}</span>`),
  row(
    'policy.smsLanguages',
    config.sms.languages.length > 0
      ? html`<span dir="ltr">${config.sms.languages.join(', ')}</span>`
      : t('policy.smsLanguagesNone'),
  ),
])}
${table('policy.section.staff', [row('policy.sessionHours', t('policy.hours', { count: config.staff.sessionHours }))])}
<h2>${t('policy.section.outcomes')}</h2>
<p>${t('policy.outcomes.lead')}</p>
${outcomeTable}`,
      });
    },
  );
}
