/**
 * Console login, logout and the landing page that lists what the user's role may open. Also
 * registers the pages of this folder (users, access log); other consoles (cases, alerts, care,
 * appeals) register their own routes.
 */
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Accounts, LoginError } from '../../accounts/accounts.ts';
import { ROLES, type Role } from '../../accounts/model.ts';
import type { ConsoleKey } from '../../i18n/console/index.ts';
import { attachSession, clearedSessionCookie, sessionCookie, sessionTokenOf } from '../access.ts';
import { html, type SafeHtml } from '../portal/html.ts';
import { staffOf } from '../staff.ts';
import { accessLogPage } from './access-log.ts';
import { consoleNext, formText } from './form.ts';
import { type ConsoleLocalized, consoleLocalize } from './language.ts';
import { sendConsolePage } from './layout.ts';
import { consoleUserRoutes } from './users.ts';

export interface ConsoleContext {
  readonly accounts: Accounts;
  readonly version: string;
}

/** The console pages, who may open each, and the line that describes it on the landing page. */
export const CONSOLE_LINKS: readonly { href: string; roles: readonly Role[]; label: ConsoleKey }[] = [
  { href: '/console/cases', roles: ['police', 'operator', 'regulator'], label: 'link.cases' },
  { href: '/console/alerts', roles: ['police', 'regulator'], label: 'link.alerts' },
  { href: '/console/care', roles: ['operator', 'regulator'], label: 'link.care' },
  { href: '/console/appeals', roles: ['regulator'], label: 'link.appeals' },
  { href: '/console/users', roles: ['regulator'], label: 'link.users' },
  { href: '/console/access-log', roles: ['auditor', 'regulator'], label: 'link.accessLog' },
  { href: '/console/policy', roles: ['regulator', 'auditor'], label: 'link.policy' },
  { href: '/console/statistics', roles: ['regulator', 'auditor'], label: 'link.statistics' },
];

const LOGIN_ERRORS: Readonly<Record<LoginError['reason'], ConsoleKey>> = {
  credentials: 'login.credentials',
  'totp-required': 'login.totpRequired',
  'totp-invalid': 'login.totpInvalid',
  locked: 'login.locked',
};

function input(
  l: ConsoleLocalized,
  name: string,
  label: ConsoleKey,
  options: { type?: string; autocomplete: string; value?: string; hint?: ConsoleKey; error?: boolean },
): SafeHtml {
  const hint = options.hint ? html`<span class="hint" id="${name}-hint">${l.t(options.hint)}</span>` : '';
  return html`<div class="field">
  <label for="${name}">${l.t(label)}</label>
  ${hint}
  <input id="${name}" name="${name}" type="${options.type ?? 'text'}" autocomplete="${options.autocomplete}"${
    options.value !== undefined ? html` value="${options.value}"` : ''
  }${options.hint ? html` aria-describedby="${name}-hint"` : ''}${options.error ? html` aria-invalid="true"` : ''} dir="ltr" spellcheck="false" autocapitalize="none">
</div>`;
}

function loginPage(
  l: ConsoleLocalized,
  request: FastifyRequest,
  reply: FastifyReply,
  state: { next: string; username?: string; error?: string; status?: number },
): FastifyReply {
  const summary = state.error
    ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
  <h2 id="error-summary-title">${l.t('error.summary')}</h2>
  <p>${state.error}</p>
</div>`
    : '';
  return sendConsolePage(l, request, reply, {
    title: l.t('login.title'),
    status: state.status,
    body: html`${summary}<p>${l.t('login.lead')}</p>
<form method="post" action="/console/login">
  <input type="hidden" name="next" value="${state.next}">
  ${input(l, 'username', 'login.username', { autocomplete: 'username', value: state.username ?? '', error: Boolean(state.error) })}
  ${input(l, 'password', 'login.password', { type: 'password', autocomplete: 'current-password', error: Boolean(state.error) })}
  ${input(l, 'totp', 'login.totp', { autocomplete: 'one-time-code', hint: 'login.totp.hint' })}
  <button type="submit">${l.t('login.submit')}</button>
</form>`,
  });
}

const ANY_STAFF = [...ROLES];

export async function consoleAuthRoutes(app: FastifyInstance, context: ConsoleContext): Promise<void> {
  const { accounts } = context;
  // The portal registers the form parser too; whichever comes first does it, once.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  const hidden = { schema: { hide: true } } as const;

  app.get('/console', { ...hidden, config: { access: 'public' } }, async (_request, reply) =>
    reply.code(308).header('location', '/console/').send(),
  );

  app.get('/console/login', { ...hidden, config: { access: 'public' } }, async (request, reply) => {
    const next = consoleNext(String((request.query as { next?: unknown }).next ?? ''));
    if (request.staff?.via === 'session') return reply.code(303).header('location', next).send();
    return loginPage(consoleLocalize(request, reply), request, reply, { next });
  });

  app.post('/console/login', { ...hidden, config: { access: 'public' } }, async (request, reply) => {
    const l = consoleLocalize(request, reply);
    const next = consoleNext(formText(request.body, 'next'));
    const username = formText(request.body, 'username');
    const password = formText(request.body, 'password', true);
    if (!username || !password)
      return loginPage(l, request, reply, { next, username, error: l.t('login.missing'), status: 400 });
    try {
      const session = await accounts.login(username, password, formText(request.body, 'totp'));
      attachSession(request, session.token, session.staff);
      return reply
        .header('set-cookie', sessionCookie(request, session.token, session.expiresAt))
        .code(303)
        .header('location', next)
        .send();
    } catch (error) {
      if (!(error instanceof LoginError)) throw error;
      const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
      if (error.reason === 'locked') reply.header('retry-after', String(error.retryAfterSeconds));
      return loginPage(l, request, reply, {
        next,
        username,
        error: l.t(LOGIN_ERRORS[error.reason], { minutes }),
        status: error.reason === 'locked' ? 429 : 401,
      });
    }
  });

  app.post('/console/logout', { ...hidden, config: { access: ANY_STAFF } }, async (request, reply) => {
    const token = sessionTokenOf(request);
    if (token) await accounts.logout(token);
    return reply
      .header('set-cookie', clearedSessionCookie(request))
      .code(303)
      .header('location', '/console/login')
      .send();
  });

  app.get('/console/', { ...hidden, config: { access: ANY_STAFF } }, async (request, reply) => {
    const l = consoleLocalize(request, reply);
    const staff = staffOf(request);
    const links = CONSOLE_LINKS.filter((link) => link.roles.includes(staff.role)).map(
      (link) => html`<li><a href="${link.href}">${l.t(link.label)}</a></li>`,
    );
    return sendConsolePage(l, request, reply, {
      title: l.t('home.title'),
      body: html`<p>${l.t('home.lead')}</p><ul class="console-links">${links}</ul>`,
    });
  });

  consoleUserRoutes(app, accounts);
  app.get(
    '/console/access-log',
    { ...hidden, config: { access: ['auditor', 'regulator'] } },
    (request, reply) => accessLogPage(accounts, request, reply),
  );
}
