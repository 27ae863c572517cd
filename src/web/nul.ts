/**
 * Refuses text holding the NUL character (U+0000) in a query, path parameter or JSON body, naming
 * the field: no identifier, note or reference may hold it, and PostgreSQL text cannot store it, so
 * it would otherwise fail deep in a query as a 500.
 */
import { Stream } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, type ProblemBody } from './problem.ts';

/** The path of the first string (or key) with a NUL in `value`, or null; nesting is bounded. */
export function nulField(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at : null;
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  // A streamed body (an upload) or raw bytes are read by their route.
  if (value instanceof Stream || ArrayBuffer.isView(value)) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulField(value[i], `${at}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\u0000')) return at;
    const found = nulField(v, `${at}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export function installNulRefusal(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    const field =
      nulField(request.params, 'path') ?? nulField(request.query, 'query') ?? nulField(request.body, 'body');
    if (field === null) return;
    return reply
      .code(400)
      .type(PROBLEM_CONTENT_TYPE)
      .send({
        title: 'Bad request',
        status: 400,
        detail: `${field} holds the NUL character (U+0000), which no field may hold`,
        cause: 'INVALID_REQUEST',
        invalidParams: [{ param: field, reason: 'must not hold the NUL character (U+0000)' }],
      } satisfies ProblemBody);
  });
}
