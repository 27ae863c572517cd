/** Liveness and readiness for orchestrators and load balancers. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { BaseContext } from '../app.ts';

const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeSeconds: Type.Number(),
});

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
  checks: Type.Record(Type.String(), Type.String(), {
    description: 'Each dependency: "ok" or what is wrong',
  }),
});

export function healthRoutes(app: FastifyInstance, context: BaseContext): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process serves requests',
        response: { 200: Health },
      },
    },
    async () => ({
      status: 'ok' as const,
      version: context.version,
      uptimeSeconds: Math.round(process.uptime()),
    }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary:
          'Readiness: the database (registry) or the check index (check node) can serve; what is degraded',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const { ready, checks } = await context.readiness();
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? ('ready' as const) : ('not-ready' as const), checks });
    },
  );
}
