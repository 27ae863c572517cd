/**
 * Rate limits on the public endpoints that do work for anonymous callers (checks, certificates,
 * verification; later reports and appeals): `portal.rate_limit_per_minute` per client address per
 * minute. @fastify/rate-limit counts; a refused request answers 429 with Retry-After.
 */
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { AppContext } from '../context.ts';

/** What a route's `config.rateLimit` holds for the public limit. */
export function publicRateLimit(context: Pick<AppContext, 'config'>): RateLimitOptions {
  return { max: context.config.portal.rateLimitPerMinute, timeWindow: 60_000 };
}

/** The error a refused request throws: the portal renders it as a page, the API as problem+json. */
export class RateLimited extends Error {
  readonly statusCode = 429;
  readonly code = 'TOO_MANY_REQUESTS';
  constructor(readonly retryAfterSeconds: number) {
    super('Too Many Requests');
  }
}
