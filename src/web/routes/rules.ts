/**
 * Rules: TAC rules, IMEI ranges, IMSI prefixes and ranges (IMSI screening) and the golden list.
 *   GET    /api/v1/rules            every rule in force
 *   POST   /api/v1/rules            add or replace the rule on a target
 *   DELETE /api/v1/rules/{ruleKey}  remove it
 *   GET    /api/v1/reasons          the reason codes
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { DEVICE_STATUSES } from '../../ledger/entry.ts';
import { REASONS } from '../../ledger/reasons.ts';
import type { RuleInput } from '../../registry/operations.ts';
import type { AppContext } from '../context.ts';
import { problem, sendKnownError } from '../errors.ts';
import { Problem } from '../problem.ts';
import { Entry, HeadSummary, Rule } from '../schemas.ts';

const RuleBody = Type.Object(
  {
    kind: Type.Union(
      ['tac', 'imei-range', 'imsi-prefix', 'imsi-range', 'golden'].map((k) => Type.Literal(k)),
    ),
    tac: Type.Optional(Type.String({ description: 'kind tac: 8 digits' })),
    from: Type.Optional(
      Type.String({ description: 'kind imei-range: first IMEI (any form); imsi-range: first IMSI' }),
    ),
    to: Type.Optional(Type.String({ description: 'last IMEI or IMSI, included' })),
    prefix: Type.Optional(Type.String({ description: 'kind imsi-prefix: MCC, MCC+MNC or longer' })),
    imei: Type.Optional(
      Type.String({ description: 'kind golden: the IMEI, stored as MD5 of its device key' }),
    ),
    hash: Type.Optional(
      Type.String({ description: 'kind golden: MD5 of the device key, when the IMEI is not to be sent' }),
    ),
    status: Type.Optional(Type.Union(DEVICE_STATUSES.map((s) => Type.Literal(s)))),
    reasons: Type.Optional(Type.Array(Type.String())),
    source: Type.Optional(Type.String()),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    reference: Type.Optional(Type.String()),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const ChangeResult = Type.Object({ entry: Entry, replayed: Type.Boolean(), head: HeadSummary });

export function ruleRoutes(app: FastifyInstance, context: AppContext): void {
  const { registry } = context;

  app.get('/api/v1/reasons', {
    config: { access: 'public' },
    schema: {
      tags: ['rules'],
      summary: 'Reason codes and the statuses each may justify',
      response: {
        200: Type.Object({
          reasons: Type.Array(
            Type.Object({
              code: Type.String(),
              statuses: Type.Array(Type.String()),
              description: Type.String(),
            }),
          ),
        }),
      },
    },
    handler: async () => ({ reasons: REASONS }),
  });

  app.get<{ Querystring: { kind?: string } }>(
    '/api/v1/rules',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['rules'],
        summary: 'Rules in force',
        querystring: Type.Object({ kind: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ rules: Type.Array(Rule) }), 401: Problem },
      },
    },
    async (request) => ({ rules: await registry.rules(request.query.kind) }),
  );

  app.post<{ Body: RuleInput }>(
    '/api/v1/rules',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['rules'],
        summary: 'Add or replace a rule',
        description:
          'One rule per target: a TAC, an IMEI range, an IMSI prefix or range, or a golden-list device (never blocked). ' +
          'A new rule on the same target replaces the old one.',
        body: RuleBody,
        response: { 200: ChangeResult, 400: Problem, 401: Problem },
      },
    },
    // addRule refuses a bad target before its promise exists (a synchronous throw): await it inside try.
    async (request, reply) => {
      try {
        return await registry.addRule(request.body);
      } catch (error) {
        return sendKnownError(reply, error);
      }
    },
  );

  app.delete<{
    Params: { ruleKey: string };
    Querystring: { source?: string; note?: string; reference?: string };
  }>(
    '/api/v1/rules/:ruleKey',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['rules'],
        summary: 'Remove a rule',
        params: Type.Object({
          ruleKey: Type.String({ description: 'The rule key, e.g. tac:35209900 (URL-encoded)' }),
        }),
        querystring: Type.Object({
          source: Type.Optional(Type.String()),
          note: Type.Optional(Type.String()),
          reference: Type.Optional(Type.String()),
        }),
        response: { 200: ChangeResult, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      try {
        const result = await registry.removeRule(request.params.ruleKey, request.query);
        return (
          result ??
          problem(reply, {
            title: 'Not found',
            status: 404,
            detail: `no rule ${request.params.ruleKey}`,
            cause: 'RULE_NOT_FOUND',
          })
        );
      } catch (error) {
        return sendKnownError(reply, error);
      }
    },
  );
}
