/** The page a logged-in user meets when their role may not open a console page, or a form's CSRF token is wrong. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RefusalPage } from '../access.ts';
import { html } from '../portal/html.ts';
import { consoleLocalize } from './language.ts';
import { sendConsolePage } from './layout.ts';

export const consoleRefusal: RefusalPage = (request: FastifyRequest, reply: FastifyReply, why) => {
  const l = consoleLocalize(request, reply);
  const role = request.staff ? l.t(`role.${request.staff.role}`) : l.t('none');
  const [title, body] =
    why === 'role'
      ? [l.t('forbidden.title'), l.t('forbidden.body', { role })]
      : [l.t('csrf.title'), l.t('csrf.body')];
  return sendConsolePage(l, request, reply, {
    title,
    status: 403,
    body: html`<p>${body}</p><p><a href="/console/">${l.t('forbidden.home')}</a></p>`,
  });
};
