/** Prometheus exposition of every metric registered by the parts, plus HTTP request metrics. */
import type { FastifyInstance } from 'fastify';
import { Histogram } from 'prom-client';
import type { BaseContext } from '../app.ts';

export function metricsRoutes(app: FastifyInstance, context: BaseContext): void {
  const duration = new Histogram({
    name: 'openceir_http_request_duration_seconds',
    help: 'Duration of HTTP requests to the portal and REST API, by route and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [context.metrics],
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: identifiers in paths or queries must not become labels.
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus metrics' }, config: { access: 'public' } },
    async (_request, reply) => {
      reply.type(context.metrics.contentType);
      return context.metrics.metrics();
    },
  );
}
