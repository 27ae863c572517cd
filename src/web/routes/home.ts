/** A plain landing page that says what runs here and where to look; works without JavaScript. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

const LINKS: readonly [string, string][] = [
  ['/docs', 'API documentation (OpenAPI, browsable)'],
  ['/openapi.json', 'OpenAPI document'],
  ['/api/v1/identifiers', 'Identifier catalogue (JSON)'],
  ['/api/v1/identify?value=imeisv-4370816125816151', 'Identify an identifier (JSON)'],
  ['/healthz', 'Liveness'],
  ['/readyz', 'Readiness'],
  ['/metrics', 'Prometheus metrics'],
];

export function homeRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
    const items = LINKS.map(([href, label]) => `<li><a href="${href}">${label}</a></li>`).join('\n      ');
    reply.type('text/html; charset=utf-8');
    return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>OpenCEIR</title>
  </head>
  <body>
    <h1>OpenCEIR ${context.version}</h1>
    <p>Central Equipment Identity Register. Storage: ${context.store.kind}.</p>
    <ul>
      ${items}
    </ul>
  </body>
</html>
`;
  });
}
