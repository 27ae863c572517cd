/**
 * Rules: TAC rules, IMEI ranges, IMSI prefixes and ranges (IMSI screening) and the golden list.
 *   GET    /api/v1/rules            every rule in force
 *   POST   /api/v1/rules            add or replace the rule on a target
 *   DELETE /api/v1/rules/{ruleKey}  remove it
 *   GET    /api/v1/reasons          the reason codes
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { parseEquipment } from '../../identifiers/index.ts';
import { RULE_COLUMNS, rowToRule } from '../../ledger/devices.ts';
import { DEVICE_STATUSES, goldenHash, type RuleTarget } from '../../ledger/entry.ts';
import { REASONS } from '../../ledger/reasons.ts';
import { headToJson } from '../../ledger/signing.ts';
import { query } from '../../store/index.ts';
import type { AppContext } from '../context.ts';
import { invalidParam, problem, sendKnownError } from '../errors.ts';
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

type RuleBodyT = {
  kind: RuleTarget['kind'];
  tac?: string;
  from?: string;
  to?: string;
  prefix?: string;
  imei?: string;
  hash?: string;
  status?: (typeof DEVICE_STATUSES)[number];
  reasons?: string[];
  source?: string;
  note?: string;
  reference?: string;
  expiresAt?: string;
};

/** The rule target a request describes, or the name of the field that is wrong and why. */
function targetOf(body: RuleBodyT): RuleTarget | { field: string; reason: string } {
  const key = (field: 'from' | 'to' | 'imei') => {
    const parsed = parseEquipment(body[field] ?? '', { source: 'person' });
    return parsed.ok ? parsed.value.deviceKey : { field, reason: parsed.error.message };
  };
  switch (body.kind) {
    case 'tac':
      return { kind: 'tac', tac: body.tac ?? '' };
    case 'imsi-prefix':
      return { kind: 'imsi-prefix', prefix: body.prefix ?? '' };
    case 'imsi-range':
      return { kind: 'imsi-range', from: body.from ?? '', to: body.to ?? '' };
    case 'imei-range': {
      const from = key('from');
      const to = key('to');
      if (typeof from !== 'string') return from;
      if (typeof to !== 'string') return to;
      return { kind: 'imei-range', from, to };
    }
    case 'golden': {
      if (body.hash) return { kind: 'golden', hash: body.hash.toLowerCase() };
      const imei = key('imei');
      return typeof imei === 'string' ? { kind: 'golden', hash: goldenHash(imei) } : imei;
    }
  }
}

const ChangeResult = Type.Object({ entry: Entry, head: HeadSummary });

export function ruleRoutes(app: FastifyInstance, context: AppContext): void {
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
    async (request) => {
      const rows = await query(
        context.store.db,
        sql`select ${RULE_COLUMNS} from rule where (${request.query.kind ?? null}::text is null or kind = ${request.query.kind ?? null})
            and (expires_at is null or expires_at > now()) order by rule_key`,
      );
      return { rules: rows.map(rowToRule) };
    },
  );

  app.post<{ Body: RuleBodyT }>(
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
    async (request, reply) => {
      const body = request.body;
      const target = targetOf(body);
      if ('field' in target) return invalidParam(reply, `body ${target.field}`, target.reason);
      try {
        const result = await context.ledger.append([
          {
            actor: 'admin-api',
            source: body.source ?? 'regulator',
            action: 'rule-add',
            target,
            status: body.kind === 'golden' ? 'allowed' : body.status,
            reasons: body.reasons ?? (body.kind === 'golden' ? ['golden'] : []),
            note: body.note ?? null,
            reference: body.reference ?? null,
            expiresAt: body.expiresAt ?? null,
          },
        ]);
        const head = headToJson(result.head);
        return { entry: result.entries[0]!, head: { treeSize: head.treeSize, rootHash: head.rootHash } };
      } catch (error) {
        return sendKnownError(reply, error, (field) => `body ${field.replace(/^target\./, '')}`);
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
      const [row] = await query(
        context.store.db,
        sql`select target from rule where rule_key = ${request.params.ruleKey}`,
      );
      if (!row) {
        return problem(reply, {
          title: 'Not found',
          status: 404,
          detail: `no rule ${request.params.ruleKey}`,
          cause: 'RULE_NOT_FOUND',
        });
      }
      try {
        const result = await context.ledger.append([
          {
            actor: 'admin-api',
            source: request.query.source ?? 'regulator',
            action: 'rule-remove',
            target: row.target as RuleTarget,
            note: request.query.note ?? null,
            reference: request.query.reference ?? null,
          },
        ]);
        const head = headToJson(result.head);
        return { entry: result.entries[0]!, head: { treeSize: head.treeSize, rootHash: head.rootHash } };
      } catch (error) {
        return sendKnownError(reply, error, (field) => `query ${field}`);
      }
    },
  );
}
