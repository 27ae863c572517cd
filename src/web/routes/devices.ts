/**
 * Device status changes and the device view:
 *   POST /api/v1/devices/{id}/block | unblock | track | untrack | allow | disallow | pair | unpair
 *   GET  /api/v1/devices/{id}
 * `{id}` is any IMEI form (14, 15 or 16 digits, imei-…, imeisv-…); every change is a ledger entry.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { decide } from '../../check/decide.ts';
import { parseEquipment, parseImsi, parseMsisdn } from '../../identifiers/index.ts';
import { deviceView } from '../../ledger/devices.ts';
import type { Action, EntryDraft } from '../../ledger/entry.ts';
import { headToJson } from '../../ledger/signing.ts';
import type { AppContext } from '../context.ts';
import { invalidParam, sendKnownError } from '../errors.ts';
import { Problem } from '../problem.ts';
import { ActiveReason, Entry, HeadSummary, Pairing, Rule, Verdict } from '../schemas.ts';

const IdParam = Type.Object({
  id: Type.String({ description: 'IMEI in any form: 14, 15 or 16 digits, imei-…, imeisv-…' }),
});

const ChangeBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ description: 'One reason code (see GET /api/v1/reasons)' })),
    reasons: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Several reason codes; for unblock etc. none means all of the source’s',
      }),
    ),
    source: Type.Optional(Type.String({ description: 'Default: regulator' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    reference: Type.Optional(Type.String({ description: 'kind:id, e.g. case:2026-000123' })),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
    idempotencyKey: Type.Optional(
      Type.String({ maxLength: 200, description: 'Also accepted as the Idempotency-Key header' }),
    ),
  },
  { additionalProperties: false },
);

const PairBody = Type.Object(
  {
    imsi: Type.String(),
    msisdn: Type.Optional(Type.String()),
    source: Type.Optional(Type.String()),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    reference: Type.Optional(Type.String()),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
    idempotencyKey: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const ChangeResult = Type.Object({
  entry: Entry,
  replayed: Type.Boolean({
    description: 'True when the idempotency key was used before: the first entry is returned',
  }),
  head: HeadSummary,
});

const DeviceView = Type.Object({
  deviceKey: Type.String(),
  tac: Type.String(),
  at: Type.String({ format: 'date-time' }),
  verdict: Verdict,
  reasons: Type.Array(ActiveReason),
  pairings: Type.Array(Pairing),
  rules: Type.Array(Rule),
  history: Type.Array(Entry),
});

type ChangeBodyT = {
  reason?: string;
  reasons?: string[];
  source?: string;
  note?: string;
  reference?: string;
  expiresAt?: string;
  idempotencyKey?: string;
};

const STATUS_ACTIONS = ['block', 'unblock', 'track', 'untrack', 'allow', 'disallow'] as const;

/** The device key of `{id}`, or a 400 naming the rule the identifier broke. */
function deviceKeyOf(id: string, reply: FastifyReply): string | null {
  const parsed = parseEquipment(id, { source: 'person' });
  if (parsed.ok) return parsed.value.deviceKey;
  invalidParam(reply, 'path id', parsed.error.message, parsed.error.code);
  return null;
}

export function deviceRoutes(app: FastifyInstance, context: AppContext): void {
  const actor = 'admin-api';
  const append = async (reply: FastifyReply, draft: EntryDraft) => {
    try {
      const result = await context.ledger.append([draft]);
      const head = headToJson(result.head);
      return {
        entry: result.entries[0]!,
        replayed: result.replayed[0]!,
        head: { treeSize: head.treeSize, rootHash: head.rootHash },
      };
    } catch (error) {
      return sendKnownError(reply, error);
    }
  };

  for (const action of STATUS_ACTIONS) {
    app.post<{ Params: { id: string }; Body: ChangeBodyT }>(
      `/api/v1/devices/:id/${action}`,
      {
        config: { access: 'admin' },
        schema: {
          tags: ['devices'],
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a device`,
          description:
            action.startsWith('un') || action === 'disallow'
              ? 'Lifts the listed reasons (all of the source’s when none is given); the regulator may lift any source’s.'
              : 'Adds the reasons to the device; it keeps every other active reason.',
          params: IdParam,
          body: ChangeBody,
          response: { 200: ChangeResult, 400: Problem, 401: Problem },
        },
      },
      async (request, reply) => {
        const deviceKey = deviceKeyOf(request.params.id, reply);
        if (deviceKey === null) return reply;
        const body = request.body ?? {};
        const header = request.headers['idempotency-key'];
        return append(reply, {
          actor,
          source: body.source ?? 'regulator',
          action: action as Action,
          target: { kind: 'device', deviceKey },
          reasons: [...(body.reason ? [body.reason] : []), ...(body.reasons ?? [])],
          note: body.note ?? null,
          reference: body.reference ?? null,
          expiresAt: body.expiresAt ?? null,
          idempotencyKey: body.idempotencyKey ?? (typeof header === 'string' ? header : null),
        });
      },
    );
  }

  for (const action of ['pair', 'unpair'] as const) {
    app.post<{
      Params: { id: string };
      Body: {
        imsi: string;
        msisdn?: string;
        source?: string;
        note?: string;
        reference?: string;
        expiresAt?: string;
        idempotencyKey?: string;
      };
    }>(
      `/api/v1/devices/:id/${action}`,
      {
        config: { access: 'admin' },
        schema: {
          tags: ['devices'],
          summary: action === 'pair' ? 'Pair a device with a subscriber (IMSI, MSISDN)' : 'Remove a pairing',
          description:
            'A pairing exempts the subscriber’s own device from blocks (DIRBS exception list), except barring.',
          params: IdParam,
          body: PairBody,
          response: { 200: ChangeResult, 400: Problem, 401: Problem },
        },
      },
      async (request, reply) => {
        const deviceKey = deviceKeyOf(request.params.id, reply);
        if (deviceKey === null) return reply;
        const body = request.body;
        const imsi = parseImsi(body.imsi, { source: 'network' });
        if (!imsi.ok) return invalidParam(reply, 'body imsi', imsi.error.message, imsi.error.code);
        let msisdn: string | null = null;
        if (body.msisdn !== undefined) {
          const parsed = parseMsisdn(body.msisdn, { source: 'network' });
          if (!parsed.ok) return invalidParam(reply, 'body msisdn', parsed.error.message, parsed.error.code);
          msisdn = parsed.value.digits;
        }
        return append(reply, {
          actor,
          source: body.source ?? 'regulator',
          action,
          target: { kind: 'pair', deviceKey, imsi: imsi.value.digits, msisdn },
          note: body.note ?? null,
          reference: body.reference ?? null,
          expiresAt: body.expiresAt ?? null,
          idempotencyKey: body.idempotencyKey ?? null,
        });
      },
    );
  }

  app.get<{ Params: { id: string }; Querystring: { at?: string; imsi?: string } }>(
    '/api/v1/devices/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['devices'],
        summary: 'Device status, active reasons, pairings, matching rules and full history',
        description:
          'With `at`, the status the device had at that time (folded from the ledger). With `imsi`, the verdict for that SIM.',
        params: IdParam,
        querystring: Type.Object({
          at: Type.Optional(Type.String({ format: 'date-time' })),
          imsi: Type.Optional(Type.String({ pattern: '^[0-9]{5,15}$' })),
        }),
        response: { 200: DeviceView, 400: Problem, 401: Problem },
      },
    },
    async (request, reply) => {
      const deviceKey = deviceKeyOf(request.params.id, reply);
      if (deviceKey === null) return reply;
      const at = request.query.at === undefined ? undefined : new Date(request.query.at).toISOString();
      const view = await deviceView(context.store.db, deviceKey, request.query.imsi ?? null, at);
      const { facts } = view;
      return {
        deviceKey,
        tac: deviceKey.slice(0, 8),
        at: facts.at,
        verdict: decide(facts, context.policy),
        reasons: facts.reasons,
        pairings: view.pairings,
        rules: [
          ...(facts.golden ? [facts.golden] : []),
          ...facts.imeiRanges,
          ...(facts.tacRule ? [facts.tacRule] : []),
          ...facts.imsiRules,
        ],
        history: view.history,
      };
    },
  );
}
