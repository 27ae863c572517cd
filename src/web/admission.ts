/**
 * Admission for the REST API: at most `maxInFlight` requests handled at once per process; one more is
 * refused at once with 429 Too Many Requests, Retry-After (RFC 6585 §4, RFC 9110 §10.2.3) and a
 * problem+json body, before its credentials or body are read. A bounded queue instead of an unbounded
 * one: under a flood, the requests admitted keep their latency and the others learn at once to come
 * back. Health, readiness and metrics are never refused: operators need them most when overloaded.
 */
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, type ProblemBody } from './problem.ts';

const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);
const RETRY_AFTER_SECONDS = 1;

export function installAdmission(app: FastifyInstance, maxInFlight: number): void {
  if (maxInFlight <= 0) return;
  let inFlight = 0;
  const refusal = JSON.stringify({
    title: 'Too Many Requests',
    status: 429,
    detail: `more than ${maxInFlight} requests in progress; retry later`,
    cause: 'TOO_MANY_REQUESTS',
  } satisfies ProblemBody);
  app.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?', 1)[0]!;
    if (EXEMPT.has(path)) return done();
    if (inFlight >= maxInFlight) {
      reply
        .code(429)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .type(PROBLEM_CONTENT_TYPE)
        .send(refusal);
      return;
    }
    inFlight += 1;
    // 'close' comes once per response, sent or abandoned by the client: the slot is always returned.
    reply.raw.once('close', () => {
      inFlight -= 1;
    });
    done();
  });
}
