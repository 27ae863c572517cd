/**
 * Operator EIR sync and the compliance audit over REST (docs/exchange-operators.md, docs/audit.md):
 *   GET  /api/v1/exchange/changes?since&limit[&operator]   an operator's feed from a position
 *   POST /api/v1/exchange/ack {position[, operator]}       what the operator has applied
 *   GET  /api/v1/exchange/operators                        delivery status per operator (regulator)
 *   PUT|DELETE /api/v1/exchange/operators/{operator}/webhook, …/eir   endpoints (regulator)
 *   POST /api/v1/exchange/audit {sample, maxLagMinutes}    the Q.5053 audit (regulator)
 * An operator system authenticates with its organisation's API key and sees only its own feed; the
 * regulator names the operator.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AGE_BUCKETS, type AuditReport, auditOperators, MAX_SAMPLE } from '../../exchange/operators/audit.ts';
import { changesSince, MAX_LIMIT } from '../../exchange/operators/changes.ts';
import {
  DeliveryInputError,
  OperatorDeliveries,
  parseOperatorId,
} from '../../exchange/operators/delivery.ts';
import {
  expectedVerdicts,
  openNetworkData,
  prefixesFromAnalyticsConfig,
} from '../../exchange/operators/sources.ts';
import { headToJson } from '../../ledger/signing.ts';
import type { AppContext } from '../context.ts';
import { problem, sendKnownError } from '../errors.ts';
import { Problem } from '../problem.ts';
import { Target } from '../schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const OperatorParam = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
  description: 'The operator id (as in ledger sources operator:<id>)',
});

const Change = Type.Object(
  {
    position: Type.Integer({
      description: 'The entry’s ledger position (seq); applied, the operator holds position + 1',
    }),
    time: Type.String({ format: 'date-time' }),
    list: Type.Union(['blocked', 'tracked', 'exceptions', 'rules'].map((v) => Type.Literal(v))),
    op: Type.Union([Type.Literal('add'), Type.Literal('remove')]),
    action: Type.String({
      description: 'The ledger action: block, unblock, track, untrack, pair, unpair, rule-add, rule-remove',
    }),
    target: Target,
    status: Nullable(Type.String()),
    reasons: Type.Array(Type.String()),
    source: Type.String(),
    expiresAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'OperatorChange' },
);

const HeadRef = Type.Object(
  {
    treeSize: Type.Integer(),
    timestamp: Type.Integer(),
    rootHash: Type.String(),
    rootHashHex: Type.String(),
    keyId: Type.String(),
    signature: Type.String(),
    signedBytes: Type.String(),
  },
  { description: 'A signed tree head (as GET /ledger/v1/head) whose size is at least next' },
);

const OperatorStatus = Type.Object({
  operator: Type.String(),
  webhookUrl: Nullable(Type.String()),
  eirUrl: Nullable(Type.String()),
  deliveredPosition: Type.Integer(),
  acknowledgedPosition: Type.Integer(),
  acknowledgedAt: Nullable(Type.String()),
  head: Type.Integer({ description: 'The ledger size now' }),
  entriesBehind: Type.Integer(),
  timeBehindMs: Type.Integer({
    description: 'Age of the first change of its feed not acknowledged; 0 when none',
  }),
  oldestPendingAt: Nullable(Type.String()),
  attempts: Type.Integer({ description: 'Failed webhook attempts since the last success' }),
  lastError: Nullable(Type.String()),
  lastAttemptAt: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String()),
});

const Buckets = Type.Object(Object.fromEntries(AGE_BUCKETS.map((b) => [b, Type.Integer()])));

const Audit = Type.Object({
  at: Type.String(),
  head: Type.Integer(),
  sample: Type.Integer(),
  violations: Type.Integer(),
  operators: Type.Array(
    Type.Object({
      operator: Type.String(),
      violations: Type.Integer(),
      freshness: Type.Object({
        acknowledgedPosition: Type.Integer(),
        head: Type.Integer(),
        entriesBehind: Type.Integer(),
        oldestUnacknowledgedAt: Nullable(Type.String()),
        ageMs: Type.Integer(),
        violation: Type.Boolean(),
      }),
      checks: Type.Object({
        endpoint: Nullable(Type.String()),
        skipped: Nullable(Type.String()),
        sampled: Type.Object({ blocked: Type.Integer(), tracked: Type.Integer(), other: Type.Integer() }),
        correct: Type.Integer(),
        wrong: Type.Array(
          Type.Object({
            deviceKey: Type.String(),
            list: Type.String(),
            expected: Type.String(),
            answered: Type.String(),
            error: Type.Optional(Type.String()),
          }),
        ),
        violation: Type.Boolean(),
      }),
      network: Type.Object({
        skipped: Nullable(Type.String()),
        seenAfterBlock: Type.Integer(),
        byAge: Buckets,
        examples: Type.Array(
          Type.Object({
            deviceKey: Type.String(),
            blockedOn: Type.String(),
            lastSeen: Type.String(),
            days: Type.Integer(),
          }),
        ),
        violation: Type.Boolean(),
      }),
    }),
  ),
});

/** The operator whose feed a request reads: an operator key's own; the regulator names one. */
function feedOperator(
  request: FastifyRequest,
  reply: FastifyReply,
  named: string | undefined,
): string | null {
  const staff = request.staff!;
  if (staff.role === 'regulator') {
    if (named) return named;
    problem(reply, {
      title: 'Bad request',
      status: 400,
      detail: 'operator: the regulator names the operator whose feed it reads',
      cause: 'INVALID_REQUEST',
      invalidParams: [{ param: 'query operator', reason: 'is required for the regulator' }],
    });
    return null;
  }
  const own = staff.organisation?.operatorId ?? null;
  if (!own) {
    problem(reply, {
      title: 'Forbidden',
      status: 403,
      detail: 'the API key belongs to no operator',
      cause: 'FORBIDDEN',
    });
    return null;
  }
  if (named && named !== own) {
    problem(reply, {
      title: 'Forbidden',
      status: 403,
      detail: `an operator reads only its own feed (${own}), not ${named}`,
      cause: 'FORBIDDEN',
    });
    return null;
  }
  return own;
}

function deliveryError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof DeliveryInputError)
    return problem(reply, {
      title: 'Bad request',
      status: 400,
      detail: error.message,
      cause: 'INVALID_REQUEST',
      invalidParams: [{ param: `body ${error.field}`, reason: error.rule }],
    });
  return sendKnownError(reply, error);
}

export function exchangeOperatorRoutes(app: FastifyInstance, context: AppContext): void {
  const deliveries = new OperatorDeliveries(
    context.ledger,
    prefixesFromAnalyticsConfig(context.config.analytics.configFile, (message) =>
      context.logger.warn({ message }, 'analytics configuration unreadable: operator pairs go by source'),
    ),
  );
  const operatorParams = Type.Object({ operator: OperatorParam });

  app.get<{ Querystring: { since: number; limit?: number; operator?: string } }>('/api/v1/exchange/changes', {
    config: { access: ['operator', 'regulator'] },
    schema: {
      tags: ['exchange'],
      summary: 'An operator’s list changes after a ledger position (pull API)',
      description:
        'Blocked and tracked adds and removes, blocking and tracking rules, and the IMEI–IMSI exceptions whose IMSI is the ' +
        'operator’s (by its MCC-MNC prefixes, else pairs with source operator:<id>). Position N means the first N ledger entries. ' +
        'Call again with since = next until changes is empty and next equals head.treeSize; then POST /api/v1/exchange/ack.',
      querystring: Type.Object({
        since: Type.Integer({ minimum: 0, description: 'The position the operator holds (0 at first)' }),
        limit: Type.Optional(
          Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: 'Changes per page (default 1000)' }),
        ),
        operator: Type.Optional(OperatorParam),
      }),
      response: {
        200: Type.Object({
          operator: Type.String(),
          since: Type.Integer(),
          next: Type.Integer({ description: 'The since of the next call, the position of an ack' }),
          changes: Type.Array(Change),
          head: HeadRef,
        }),
        400: Problem,
        401: Problem,
        403: Problem,
      },
    },
    handler: async (request, reply) => {
      const operator = feedOperator(request, reply, request.query.operator);
      if (!operator) return reply;
      try {
        const page = await changesSince(
          context.ledger,
          deliveries.scope(operator),
          request.query.since,
          request.query.limit ?? 1000,
        );
        return { ...page, head: headToJson(page.head) };
      } catch (error) {
        return sendKnownError(reply, error);
      }
    },
  });

  app.post<{ Body: { position: number; operator?: string } }>('/api/v1/exchange/ack', {
    config: { access: ['operator', 'regulator'] },
    schema: {
      tags: ['exchange'],
      summary: 'Record the ledger position up to which the operator has applied its changes',
      body: Type.Object({
        position: Type.Integer({ minimum: 0, description: 'A next value the operator has applied' }),
        operator: Type.Optional(OperatorParam),
      }),
      response: {
        200: Type.Object({ operator: Type.String(), acknowledgedPosition: Type.Integer() }),
        400: Problem,
        401: Problem,
        403: Problem,
      },
    },
    handler: async (request, reply) => {
      const operator = feedOperator(request, reply, request.body.operator);
      if (!operator) return reply;
      try {
        return await deliveries.acknowledge(operator, request.body.position);
      } catch (error) {
        return deliveryError(reply, error);
      }
    },
  });

  app.get('/api/v1/exchange/operators', {
    config: { access: 'admin' },
    schema: {
      tags: ['exchange'],
      summary: 'Delivery status per operator: acknowledged position, entries and time behind, last error',
      response: { 200: Type.Object({ operators: Type.Array(OperatorStatus) }), 401: Problem },
    },
    handler: async () => ({ operators: await deliveries.status() }),
  });

  app.put<{ Params: { operator: string }; Body: { url: string } }>(
    '/api/v1/exchange/operators/:operator/webhook',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['exchange'],
        summary: 'Set the operator’s webhook; answers the new signing secret (shown once)',
        params: operatorParams,
        body: Type.Object({ url: Type.String({ description: 'http(s) URL the batches are POSTed to' }) }),
        response: {
          200: Type.Object({ operator: Type.String(), url: Type.String(), secret: Type.String() }),
          400: Problem,
          401: Problem,
        },
      },
      handler: async (request, reply) => {
        try {
          return await deliveries.setWebhook(request.params.operator, request.body.url);
        } catch (error) {
          return deliveryError(reply, error);
        }
      },
    },
  );

  app.delete<{ Params: { operator: string } }>('/api/v1/exchange/operators/:operator/webhook', {
    config: { access: 'admin' },
    schema: {
      tags: ['exchange'],
      summary: 'Remove the operator’s webhook (it pulls instead)',
      params: operatorParams,
      response: { 200: Type.Object({ operator: Type.String(), removed: Type.Boolean() }), 401: Problem },
    },
    handler: async (request) => ({
      operator: request.params.operator,
      removed: await deliveries.removeWebhook(request.params.operator),
    }),
  });

  app.put<{ Params: { operator: string }; Body: { url: string } }>(
    '/api/v1/exchange/operators/:operator/eir',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['exchange'],
        summary: 'Set the operator EIR’s N5g-eir API root, which the audit samples',
        params: operatorParams,
        body: Type.Object({ url: Type.String({ description: 'http: (h2c) or https: API root' }) }),
        response: {
          200: Type.Object({ operator: Type.String(), url: Nullable(Type.String()) }),
          400: Problem,
          401: Problem,
        },
      },
      handler: async (request, reply) => {
        try {
          return await deliveries.setEir(parseOperatorId(request.params.operator), request.body.url);
        } catch (error) {
          return deliveryError(reply, error);
        }
      },
    },
  );

  app.delete<{ Params: { operator: string } }>('/api/v1/exchange/operators/:operator/eir', {
    config: { access: 'admin' },
    schema: {
      tags: ['exchange'],
      summary: 'Forget the operator EIR’s endpoint',
      params: operatorParams,
      response: { 200: Type.Object({ operator: Type.String(), url: Nullable(Type.String()) }), 401: Problem },
    },
    handler: async (request) => deliveries.setEir(request.params.operator, null),
  });

  app.post<{ Body: { sample?: number; maxLagMinutes?: number } }>('/api/v1/exchange/audit', {
    config: { access: 'admin' },
    schema: {
      tags: ['exchange'],
      summary:
        'Compliance audit of operator EIRs (ITU-T Q.5053): freshness, sampled checks, network violations',
      body: Type.Object({
        sample: Type.Optional(
          Type.Integer({ minimum: 0, maximum: MAX_SAMPLE, description: 'Devices per list (default 20)' }),
        ),
        maxLagMinutes: Type.Optional(
          Type.Integer({
            minimum: 0,
            description: 'Unacknowledged changes older than this are a violation (default 60)',
          }),
        ),
      }),
      response: { 200: Audit, 400: Problem, 401: Problem },
    },
    handler: async (request): Promise<AuditReport> => {
      const network = await openNetworkData(context.config, context.store);
      try {
        return await auditOperators(context.ledger, deliveries, {
          sample: request.body?.sample ?? 20,
          maxLagMs: (request.body?.maxLagMinutes ?? 60) * 60_000,
          expected: expectedVerdicts(context.checks.index, context.policy),
          networkData: network.data,
        });
      } finally {
        await network.close();
      }
    },
  });
}
