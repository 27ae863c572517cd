/**
 * Open data: public, unauthenticated effectiveness statistics with small cells suppressed.
 *   GET /api/v1/open-data/statistics?from=YYYY-MM-DD&to=YYYY-MM-DD&by=month|operator|region|reason
 *   GET /api/v1/open-data/statistics.schema.json   the versioned JSON Schema of the answer
 *   GET /open-data[?from&to&by]                   the same figures as a portal page
 * Rate-limited per client address like the portal's other public work, and each answer is kept for
 * five minutes (at most 200 of them), so that a popular link does not recompute the figures on every
 * request (docs/statistics.md).
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  OPEN_DATA_BY,
  OPEN_DATA_SCHEMA_PATH,
  type OpenDataQuery,
  type OpenDataStatistics,
  openDataStatistics,
  parseOpenDataQuery,
} from '../../insight/open-data.ts';
import { InsightInputError } from '../../insight/period.ts';
import type { AppContext } from '../context.ts';
import { problem } from '../errors.ts';
import { localize } from '../portal/language.ts';
import { publicRateLimit } from '../portal/limits.ts';
import { openDataPage } from '../portal/pages/open-data.ts';
import { Problem } from '../problem.ts';

const SCHEMA_TEXT = readFileSync(
  new URL('../../../docs/open-data-statistics.schema.json', import.meta.url),
  'utf8',
);

const Figure = {
  value: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  suppressed: Type.Boolean(),
};
const Statistics = Type.Object(
  {
    schema_version: Type.String(),
    schema: Type.String(),
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    by: Type.Union(OPEN_DATA_BY.map((b) => Type.Literal(b))),
    min_cell: Type.Integer(),
    measures: Type.Array(
      Type.Object({
        name: Type.String(),
        description: Type.String(),
        total: Type.Object(Figure),
        cells: Type.Array(Type.Object({ group: Type.Union([Type.String(), Type.Null()]), ...Figure })),
      }),
    ),
  },
  { description: `Aggregated figures; JSON Schema at ${OPEN_DATA_SCHEMA_PATH}` },
);

type Query = { from?: string; to?: string; by?: string };

const CACHE_MS = 5 * 60_000;
const CACHE_ENTRIES = 200;

/** Answers by query for a few minutes; the oldest goes first when full (a Map keeps insertion order). */
class AnswerCache {
  private readonly answers = new Map<string, { at: number; value: Promise<OpenDataStatistics> }>();

  get(key: string, compute: () => Promise<OpenDataStatistics>): Promise<OpenDataStatistics> {
    const now = Date.now();
    const hit = this.answers.get(key);
    if (hit && now - hit.at < CACHE_MS) return hit.value;
    this.answers.delete(key);
    while (this.answers.size >= CACHE_ENTRIES) this.answers.delete(this.answers.keys().next().value!);
    const value = compute();
    this.answers.set(key, { at: now, value });
    // A failed computation is not kept.
    value.catch(() => this.answers.delete(key));
    return value;
  }
}
const QueryString = Type.Object({
  from: Type.Optional(Type.String({ description: 'First day, YYYY-MM-DD (UTC)' })),
  to: Type.Optional(
    Type.String({ description: 'Last day included, YYYY-MM-DD (UTC); at most 731 days after from' }),
  ),
  by: Type.Optional(Type.String({ description: 'month (default), operator, region or reason' })),
});

/** The page's default: the twelve whole months before this one. */
function lastTwelveMonths(now: Date): { from: string; to: string } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return {
    from: new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10),
    to: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10),
  };
}

export function openDataRoutes(app: FastifyInstance, context: AppContext): void {
  const minCell = context.config.openData.minCell;
  const rateLimit = publicRateLimit(context);
  const cache = new AnswerCache();
  const statistics = (query: OpenDataQuery) =>
    cache.get(`${query.from}|${query.to}|${query.by}`, () =>
      openDataStatistics(context.store.db, query, minCell),
    );

  app.get<{ Querystring: Query }>(
    '/api/v1/open-data/statistics',
    {
      config: { access: 'public', rateLimit },
      schema: {
        tags: ['open data'],
        summary: 'Effectiveness statistics, aggregated, small cells suppressed (versioned schema)',
        querystring: QueryString,
        response: { 200: Statistics, 400: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      try {
        const query = parseOpenDataQuery(request.query);
        return await statistics(query);
      } catch (error) {
        if (!(error instanceof InsightInputError)) throw error;
        return problem(reply, {
          title: 'Bad request',
          status: 400,
          detail: error.message,
          cause: 'INVALID_QUERY',
          invalidParams: [{ param: error.field, reason: error.rule }],
        });
      }
    },
  );

  app.get(
    OPEN_DATA_SCHEMA_PATH,
    {
      config: { access: 'public' },
      schema: { tags: ['open data'], summary: 'The JSON Schema of the open statistics' },
    },
    async (_request, reply) => reply.type('application/schema+json').send(SCHEMA_TEXT),
  );

  app.get<{ Querystring: Query & { lang?: string } }>(
    '/open-data',
    { config: { access: 'public', rateLimit }, schema: { hide: true } },
    async (request, reply) => {
      const l = localize(request, reply);
      const asked = { ...lastTwelveMonths(new Date()), ...request.query };
      let query: OpenDataQuery;
      let message: string | null = null;
      try {
        query = parseOpenDataQuery(asked);
      } catch (error) {
        if (!(error instanceof InsightInputError)) throw error;
        query = parseOpenDataQuery({ ...lastTwelveMonths(new Date()), by: 'month' });
        message = error.message;
        reply.code(400);
      }
      const stats = await statistics(query);
      const api = `/api/v1/open-data/statistics?from=${query.from}&to=${query.to}&by=${query.by}`;
      return reply
        .type('text/html; charset=utf-8')
        .send(openDataPage(l, request, context.version, stats, api, message));
    },
  );
}
