/**
 * Pseudonymised matching with peer registries (docs/exchange-matching.md):
 *   POST   /exchange/v1/match                       a peer asks which of its tokens are on our lists
 *   GET    /api/v1/exchange/match-keys               peers we have a match key with (never the secrets)
 *   PUT    /api/v1/exchange/match-keys/{peerId}      create, set, rotate a peer's key; set its reveal policy
 *   DELETE /api/v1/exchange/match-keys/{peerId}
 *   POST   /api/v1/exchange/matches                  run a match against a peer (what the CLI calls remotely)
 * A peer authenticates with an API key our registry issued to its organisation (role peer: it can
 * match, nothing else: its shared entries come through its feed, by feed key; regulator keys still work).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import {
  answerMatch,
  MATCH_LISTS,
  MatchAccessError,
  type MatchList,
  matchKeys,
  removeMatchKey,
  runMatch,
  setMatchKey,
} from '../../exchange/matching/matching.ts';
import { MAX_TOKENS, MatchInputError } from '../../exchange/matching/tokens.ts';
import type { AppContext } from '../context.ts';
import { problem } from '../errors.ts';
import { Problem } from '../problem.ts';

const Lists = Type.Array(Type.Union(MATCH_LISTS.map((l) => Type.Literal(l))), { minItems: 1 });

const MatchKey = Type.Object({
  peerId: Type.String(),
  revealReasons: Type.Array(Type.String()),
  organisationId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

function sendMatchError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof MatchInputError)
    return problem(reply, {
      title: error.status === 413 ? 'Payload too large' : 'Bad request',
      status: error.status,
      detail: error.message,
      cause: error.status === 413 ? 'TOO_MANY_TOKENS' : 'INVALID_MATCH_REQUEST',
      invalidParams: [{ param: error.field, reason: error.rule }],
    });
  if (error instanceof MatchAccessError)
    return problem(reply, {
      title: 'Forbidden',
      status: 403,
      detail: error.message,
      cause: 'NO_MATCH_AGREEMENT',
    });
  throw error;
}

export function exchangeMatchingRoutes(app: FastifyInstance, context: AppContext): void {
  const db = context.store.db;

  app.post<{ Body: { peer: string; tokens: string[]; lists?: MatchList[] } }>('/exchange/v1/match', {
    config: { access: ['peer', 'regulator'] },
    // 10,000 tokens of 34 JSON bytes each, with room to answer 413 naming the limit for a bit more.
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      tags: ['exchange'],
      summary: 'Which of a peer’s keyed device tokens are on our blocked or tracked lists',
      description:
        `Tokens are HMAC-SHA256(secret agreed with the peer, 14-digit device key) truncated to 16 bytes, hex; at most ${MAX_TOKENS} ` +
        'per request (413 above). A match shows the clear IMEI, status and reasons only when our reveal policy for the ' +
        'peer allows one of its reasons; otherwise only the token and "matched".',
      body: Type.Object({
        peer: Type.String({ description: 'Our id for the calling peer (the match key to use)' }),
        tokens: Type.Array(Type.String()),
        lists: Type.Optional(Lists),
      }),
      response: {
        200: Type.Object({
          peer: Type.String(),
          lists: Type.Array(Type.String()),
          checked: Type.Integer(),
          matches: Type.Array(
            Type.Object({
              token: Type.String(),
              matched: Type.Literal(true),
              imei: Type.Optional(Type.String()),
              status: Type.Optional(Type.String()),
              reasons: Type.Optional(Type.Array(Type.String())),
            }),
          ),
        }),
        400: Problem,
        401: Problem,
        403: Problem,
        413: Problem,
      },
    },
    handler: async (request, reply) => {
      try {
        return await answerMatch(db, request.body, {
          organisationId: request.staff?.organisation?.id ?? null,
        });
      } catch (error) {
        return sendMatchError(reply, error);
      }
    },
  });

  app.get('/api/v1/exchange/match-keys', {
    config: { access: 'admin' },
    schema: {
      tags: ['exchange'],
      summary: 'Peers with a match key, their reveal policy and organisation (secrets are never listed)',
      response: { 200: Type.Object({ matchKeys: Type.Array(MatchKey) }), 401: Problem },
    },
    handler: async () => ({ matchKeys: await matchKeys(db) }),
  });

  app.put<{
    Params: { peerId: string };
    Body: { secret?: string; rotate?: boolean; revealReasons?: string[]; organisationId?: string };
  }>('/api/v1/exchange/match-keys/:peerId', {
    config: { access: 'admin' },
    schema: {
      tags: ['exchange'],
      summary: 'Create or change a peer’s match key; the answer carries the secret to share with the peer',
      params: Type.Object({ peerId: Type.String() }),
      body: Type.Object({
        secret: Type.Optional(Type.String({ description: '64 hex digits agreed with the peer' })),
        rotate: Type.Optional(Type.Boolean({ description: 'Replace the secret with a new random one' })),
        revealReasons: Type.Optional(Type.Array(Type.String())),
        organisationId: Type.Optional(Type.String({ description: 'Empty: any regulator API key' })),
      }),
      response: {
        200: Type.Intersect([MatchKey, Type.Object({ secret: Type.String(), created: Type.Boolean() })]),
        400: Problem,
        401: Problem,
      },
    },
    handler: async (request, reply) => {
      try {
        return await setMatchKey(db, { ...request.body, peerId: request.params.peerId });
      } catch (error) {
        return sendMatchError(reply, error);
      }
    },
  });

  app.delete<{ Params: { peerId: string } }>('/api/v1/exchange/match-keys/:peerId', {
    config: { access: 'admin' },
    schema: {
      tags: ['exchange'],
      summary: 'Forget a peer’s match key',
      params: Type.Object({ peerId: Type.String() }),
      response: { 200: Type.Object({ removed: Type.Boolean() }), 400: Problem, 401: Problem },
    },
    handler: async (request, reply) => {
      try {
        return { removed: await removeMatchKey(db, request.params.peerId) };
      } catch (error) {
        return sendMatchError(reply, error);
      }
    },
  });

  app.post<{
    Body: { peerUrl: string; peerId: string; as?: string; lists?: MatchList[]; peerApiKey?: string };
  }>('/api/v1/exchange/matches', {
    config: { access: 'admin' },
    schema: {
      tags: ['exchange'],
      summary:
        'Compute the tokens of our lists for a peer, ask the peer, and return the matches with our IMEIs',
      body: Type.Object({
        peerUrl: Type.String(),
        peerId: Type.String(),
        as: Type.Optional(Type.String({ description: 'The peer’s id for us; default peerId' })),
        lists: Type.Optional(Lists),
        peerApiKey: Type.Optional(Type.String({ description: 'The API key the peer issued to us' })),
      }),
      response: {
        200: Type.Object({
          peer: Type.String(),
          sent: Type.Integer(),
          matches: Type.Array(
            Type.Object({
              imei: Type.String(),
              token: Type.String(),
              theirStatus: Type.Union([Type.String(), Type.Null()]),
              theirReasons: Type.Array(Type.String()),
            }),
          ),
        }),
        400: Problem,
        401: Problem,
      },
    },
    handler: async (request, reply) => {
      try {
        const { peerApiKey, ...rest } = request.body;
        return await runMatch(db, { ...rest, apiKey: peerApiKey ?? null });
      } catch (error) {
        return sendMatchError(reply, error);
      }
    },
  });
}
