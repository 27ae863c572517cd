/** Liveness and readiness for orchestrators and load balancers. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';

const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeSeconds: Type.Number(),
});

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
  checks: Type.Record(Type.String(), Type.String(), { description: 'Each dependency: "ok" or the error' }),
});

export function healthRoutes(app: FastifyInstance, context: AppContext): void {
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
        summary: 'Readiness: the database answers',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      try {
        await context.store.ping();
        return { status: 'ready' as const, checks: { database: 'ok' } };
      } catch (error) {
        return reply
          .code(503)
          .send({ status: 'not-ready' as const, checks: { database: (error as Error).message } });
      }
    },
  );
}
