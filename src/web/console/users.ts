/**
 * `/console/users` (regulator): staff users, organisations and API keys; add and disable users,
 * create and revoke keys. Forms post back and redirect (POST/redirect/GET), except a new API key,
 * which is shown once in the answer and never put in a URL.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts } from '../../accounts/accounts.ts';
import { AccountError, ROLES } from '../../accounts/model.ts';
import { MIN_PASSWORD_LENGTH } from '../../accounts/passwords.ts';
import type { ConsoleKey } from '../../i18n/console/index.ts';
import { html, type SafeHtml } from '../portal/html.ts';
import { formText } from './form.ts';
import { type ConsoleLocalized, consoleLocalize } from './language.ts';
import { csrfInput, sendConsolePage, utc } from './layout.ts';

const FIELD_ERRORS: Readonly<Record<string, ConsoleKey>> = {
  username: 'error.username',
  displayName: 'error.displayName',
  role: 'error.role',
  organisation: 'error.organisation',
  password: 'error.password',
  label: 'error.label',
};

interface FormState {
  readonly form: 'user' | 'key';
  readonly values: Readonly<Record<string, string>>;
  readonly error: { field: string; message: string };
}

function select(id: string, label: string, options: readonly [string, string][], value: string): SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label>
<select id="${id}" name="${id}">${options.map(
    ([v, text]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${text}</option>`,
  )}</select></div>`;
}

function text(
  id: string,
  label: string,
  value: string,
  extra: { type?: string; hint?: string } = {},
): SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label>${
    extra.hint ? html`<span class="hint" id="${id}-hint">${extra.hint}</span>` : ''
  }<input id="${id}" name="${id}" type="${extra.type ?? 'text'}" value="${value}"${
    extra.hint ? html` aria-describedby="${id}-hint"` : ''
  } autocomplete="off" spellcheck="false"></div>`;
}

function errorBox(l: ConsoleLocalized, state: FormState | undefined, form: FormState['form']): SafeHtml {
  if (!state || state.form !== form) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="${form}-error-title" tabindex="-1">
<h3 id="${form}-error-title">${l.t('error.summary')}</h3>
<ul><li><a href="#${state.error.field}">${state.error.message}</a></li></ul></div>`;
}

async function render(
  accounts: Accounts,
  request: FastifyRequest,
  reply: FastifyReply,
  extra: { notice?: string; newKey?: string; state?: FormState; status?: number } = {},
): Promise<FastifyReply> {
  const l = consoleLocalize(request, reply);
  const [users, organisations, keys] = await Promise.all([
    accounts.users(),
    accounts.organisations(),
    accounts.apiKeys(),
  ]);
  const orgName = new Map(organisations.map((o) => [o.id, o.name]));
  const csrf = csrfInput(request);
  const values = extra.state?.values ?? {};
  const roleOptions = ROLES.map((r): [string, string] => [r, l.t(`role.${r}`)]);
  const orgOptions = organisations.map((o): [string, string] => [
    o.id,
    `${o.name} (${l.t(`kind.${o.kind}`)})`,
  ]);

  const userRows = users.map(
    (u) => html`<tr><td dir="ltr">${u.username}</td><td>${u.displayName}</td><td>${l.t(`role.${u.role}`)}</td>
<td>${u.organisationId ? (orgName.get(u.organisationId) ?? u.organisationId) : l.t('none')}</td>
<td>${l.t(u.disabled ? 'state.disabled' : 'state.active')}</td><td>${l.t(u.totp ? 'yes' : 'no')}</td>
<td>${utc(l, u.lastLoginAt)}</td>
<td>${
      u.disabled
        ? ''
        : html`<form method="post" action="/console/users/${encodeURIComponent(u.username)}/disable">${csrf}<button type="submit" class="button secondary">${l.t('users.disable', { username: u.username })}</button></form>`
    }</td></tr>`,
  );
  const orgRows = organisations.map(
    (o) => html`<tr><td dir="ltr">${o.id}</td><td>${l.t(`kind.${o.kind}`)}</td><td>${o.name}</td>
<td>${o.regions.join(', ') || l.t('none')}</td><td dir="ltr">${o.operatorId ?? l.t('none')}</td></tr>`,
  );
  const keyRows = keys.map(
    (k) => html`<tr><td dir="ltr">ok_${k.id}</td><td>${orgName.get(k.organisationId) ?? k.organisationId}</td>
<td>${l.t(`role.${k.role}`)}</td><td>${k.label}</td><td>${utc(l, k.createdAt)}</td><td>${utc(l, k.lastUsedAt)}</td>
<td>${
      k.revokedAt
        ? l.t('state.revoked', { at: utc(l, k.revokedAt) })
        : html`<form method="post" action="/console/api-keys/${k.id}/revoke">${csrf}<button type="submit" class="button secondary">${l.t('apiKeys.revoke', { id: `ok_${k.id}` })}</button></form>`
    }</td></tr>`,
  );

  const body = html`${extra.notice ? html`<div class="panel" role="status"><p>${extra.notice}</p></div>` : ''}
${extra.newKey ? html`<div class="panel" role="status"><p>${l.t('apiKeys.created')}</p><p><code dir="ltr" id="new-api-key">${extra.newKey}</code></p></div>` : ''}
<h2>${l.t('users.users')}</h2>
<div class="table"><table>
<thead><tr><th scope="col">${l.t('col.username')}</th><th scope="col">${l.t('col.displayName')}</th><th scope="col">${l.t('col.role')}</th><th scope="col">${l.t('col.organisation')}</th><th scope="col">${l.t('col.state')}</th><th scope="col">${l.t('col.totp')}</th><th scope="col">${l.t('col.lastLogin')}</th><th scope="col">${l.t('col.actions')}</th></tr></thead>
<tbody>${userRows}</tbody></table></div>
<h2 id="add-user">${l.t('users.add')}</h2>
${errorBox(l, extra.state, 'user')}
<form method="post" action="/console/users">${csrf}
${text('username', l.t('col.username'), values.username ?? '')}
${text('displayName', l.t('col.displayName'), values.displayName ?? '')}
${select('role', l.t('col.role'), roleOptions, values.role ?? 'police')}
${select('organisation', l.t('col.organisation'), [['', l.t('users.organisation.none')], ...orgOptions], values.organisation ?? '')}
${text('password', l.t('users.add.password'), '', { type: 'password', hint: l.t('users.add.password.hint', { min: MIN_PASSWORD_LENGTH }) })}
<button type="submit">${l.t('users.add.submit')}</button></form>
<h2>${l.t('users.organisations')}</h2>
<div class="table"><table>
<thead><tr><th scope="col">${l.t('col.id')}</th><th scope="col">${l.t('col.kind')}</th><th scope="col">${l.t('col.name')}</th><th scope="col">${l.t('col.regions')}</th><th scope="col">${l.t('col.operatorId')}</th></tr></thead>
<tbody>${orgRows}</tbody></table></div>
<h2>${l.t('users.apiKeys')}</h2>
<div class="table"><table>
<thead><tr><th scope="col">${l.t('col.id')}</th><th scope="col">${l.t('col.organisation')}</th><th scope="col">${l.t('col.role')}</th><th scope="col">${l.t('col.label')}</th><th scope="col">${l.t('col.created')}</th><th scope="col">${l.t('col.lastUsed')}</th><th scope="col">${l.t('col.state')}</th></tr></thead>
<tbody>${keyRows}</tbody></table></div>
<h2 id="create-key">${l.t('apiKeys.create')}</h2>
${errorBox(l, extra.state, 'key')}
<form method="post" action="/console/api-keys">${csrf}
${select('key-organisation', l.t('col.organisation'), orgOptions, values['key-organisation'] ?? '')}
${select('key-role', l.t('col.role'), roleOptions, values['key-role'] ?? 'operator')}
${text('label', l.t('col.label'), values.label ?? '', { hint: l.t('apiKeys.label.hint') })}
<button type="submit">${l.t('apiKeys.create.submit')}</button></form>`;
  return sendConsolePage(l, request, reply, { title: l.t('users.title'), body, status: extra.status });
}

/** An input refusal shown on the form it came from, in the page language. */
function refusal(
  l: ConsoleLocalized,
  error: AccountError,
  form: FormState['form'],
  values: Record<string, string>,
) {
  const key = FIELD_ERRORS[error.field];
  const field = form === 'key' && error.field !== 'label' ? `key-${error.field}` : error.field;
  return {
    form,
    values,
    error: { field, message: key ? l.t(key, { min: MIN_PASSWORD_LENGTH }) : error.message },
  };
}

export function consoleUserRoutes(app: FastifyInstance, accounts: Accounts): void {
  const options = { schema: { hide: true }, config: { access: ['regulator'] as const } };

  app.get('/console/users', options, async (request, reply) => {
    const l = consoleLocalize(request, reply);
    const query = request.query as Record<string, string | undefined>;
    const notice = query.added
      ? l.t('users.added', { username: query.added })
      : query.disabled
        ? l.t('users.disabled', { username: query.disabled })
        : query.revoked
          ? l.t('apiKeys.revoked', { id: `ok_${query.revoked}` })
          : undefined;
    return render(accounts, request, reply, { notice });
  });

  app.post('/console/users', options, async (request, reply) => {
    const values = {
      username: formText(request.body, 'username'),
      displayName: formText(request.body, 'displayName'),
      role: formText(request.body, 'role'),
      organisation: formText(request.body, 'organisation'),
    };
    try {
      const user = await accounts.addUser({
        ...values,
        organisationId: values.organisation || null,
        password: formText(request.body, 'password', true),
      });
      return reply
        .code(303)
        .header('location', `/console/users?added=${encodeURIComponent(user.username)}`)
        .send();
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      const state = refusal(consoleLocalize(request, reply), error, 'user', values);
      return render(accounts, request, reply, { state, status: 400 });
    }
  });

  app.post('/console/users/:username/disable', options, async (request, reply) => {
    const { username } = request.params as { username: string };
    try {
      await accounts.disableUser(username);
    } catch (error) {
      if (error instanceof AccountError) return reply.code(404).send({ title: 'Not found', status: 404 });
      throw error;
    }
    return reply
      .code(303)
      .header('location', `/console/users?disabled=${encodeURIComponent(username)}`)
      .send();
  });

  app.post('/console/api-keys', options, async (request, reply) => {
    const values = {
      'key-organisation': formText(request.body, 'key-organisation'),
      'key-role': formText(request.body, 'key-role'),
      label: formText(request.body, 'label'),
    };
    try {
      const created = await accounts.createApiKey(
        values['key-organisation'],
        values['key-role'],
        values.label,
      );
      return render(accounts, request, reply, { newKey: created.key });
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      const state = refusal(consoleLocalize(request, reply), error, 'key', values);
      return render(accounts, request, reply, { state, status: 400 });
    }
  });

  app.post('/console/api-keys/:id/revoke', options, async (request, reply) => {
    const { id } = request.params as { id: string };
    await accounts.revokeApiKey(id);
    return reply
      .code(303)
      .header('location', `/console/users?revoked=${encodeURIComponent(id)}`)
      .send();
  });
}
