/**
 * Access decisions. Every route declares who may call it in `config.access`; a route registered
 * without one stops the app from starting, so no endpoint is ever open by omission. Until the full
 * role model arrives, `admin` means the configured admin API key as `Authorization: Bearer <key>`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';

export type Access = 'public' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

function keyMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function installAccessControl(app: FastifyInstance, adminApiKey: string): void {
  app.addHook('onRoute', (route) => {
    // The API documentation UI (a plugin's routes) is public by decision.
    if (route.url.startsWith('/docs')) route.config = { ...(route.config as object), access: 'public' };
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (access !== 'public' && access !== 'admin') {
      throw new Error(
        `route ${route.method} ${route.url} declares no access (config.access: 'public' | 'admin')`,
      );
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config.access !== 'admin') return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match && keyMatches(match[1]!, adminApiKey)) return;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="openceir"')
      .type(PROBLEM_CONTENT_TYPE)
      .send({
        title: 'Unauthorized',
        status: 401,
        detail: match
          ? 'the API key is not valid'
          : 'this endpoint needs Authorization: Bearer <admin API key>',
        cause: 'UNAUTHORIZED',
      });
  });
}
