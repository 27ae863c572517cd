/**
 * Device status changes and the device view:
 *   POST /api/v1/devices/{id}/block | unblock | track | untrack | allow | disallow | pair | unpair
 *   GET  /api/v1/devices/{id}
 * `{id}` is any IMEI form (14, 15 or 16 digits, imei-…, imeisv-…); every change is a ledger entry.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { type ChangeInput, isLifting, type PairInput, STATUS_ACTIONS } from '../../registry/operations.ts';
import type { AppContext } from '../context.ts';
import { sendKnownError } from '../errors.ts';
import { Problem } from '../problem.ts';
import { ActiveReason, Entry, HeadSummary, Pairing, Rule, Verdict } from '../schemas.ts';

/** A note stays in the append-only ledger, which followers read and peers get for shared reasons. */
const NOTE =
  'Kept in the ledger for ever, read by check nodes and by peers for shared reasons: no personal data';

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
    source: Type.Optional(
      Type.String({
        description: 'owner, police, regulator (default), operator:<id>, rule:<name>, peer:<id>',
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: 2000, description: NOTE })),
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
    note: Type.Optional(Type.String({ maxLength: 2000, description: NOTE })),
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
  model: Type.Union([
    Type.Object({
      brand: Type.Union([Type.String(), Type.Null()]),
      model: Type.Union([Type.String(), Type.Null()]),
      radio: Type.Array(Type.String()),
    }),
    Type.Null(),
  ]),
  at: Type.String({ format: 'date-time' }),
  verdict: Verdict,
  reasons: Type.Array(ActiveReason),
  pairings: Type.Array(Pairing),
  rules: Type.Array(Rule),
  history: Type.Array(Entry),
});

export function deviceRoutes(app: FastifyInstance, context: AppContext): void {
  const { registry } = context;

  for (const action of STATUS_ACTIONS) {
    app.post<{ Params: { id: string }; Body: ChangeInput }>(
      `/api/v1/devices/:id/${action}`,
      {
        config: { access: 'admin' },
        schema: {
          tags: ['devices'],
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a device`,
          description: isLifting(action)
            ? 'Lifts the listed reasons (all of the source’s when none is given); the regulator may lift any source’s.'
            : 'Adds the reasons to the device; it keeps every other active reason.',
          params: IdParam,
          body: ChangeBody,
          response: { 200: ChangeResult, 400: Problem, 401: Problem },
        },
      },
      async (request, reply) => {
        const header = request.headers['idempotency-key'];
        const input = { ...(request.body ?? {}) };
        if (input.idempotencyKey === undefined && typeof header === 'string') input.idempotencyKey = header;
        return registry
          .changeStatus(request.params.id, action, input)
          .catch((error) => sendKnownError(reply, error));
      },
    );
  }

  for (const action of ['pair', 'unpair'] as const) {
    app.post<{ Params: { id: string }; Body: PairInput }>(
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
      async (request, reply) =>
        registry.pair(request.params.id, action, request.body).catch((error) => sendKnownError(reply, error)),
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
    async (request, reply) =>
      registry.device(request.params.id, request.query).catch((error) => sendKnownError(reply, error)),
  );
}
