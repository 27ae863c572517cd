/**
 * Peer registries we follow (docs/exchange-peers.md), for the regulator:
 *   GET    /api/v1/exchange/peers               every peer, its state, position and last verified head
 *   POST   /api/v1/exchange/peers               add one (id, URL, public key, optional API key and policy)
 *   GET    /api/v1/exchange/peers/{id}
 *   DELETE /api/v1/exchange/peers/{id}          stop following it (entries already applied stay)
 *   POST   /api/v1/exchange/peers/{id}/pause    stop following it for now
 *   POST   /api/v1/exchange/peers/{id}/resume   follow again (after a person looked at a stop)
 *   POST   /api/v1/exchange/peers/{id}/feed-key issue (or replace) the key it reads our feed with
 *   GET    /exchange/v1/feed?after=N            for a peer, with that key: what its policy shares
 * The CLI (`openceir peer …`) calls these when a server holds the database.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { PeerDirectory, PeerInputError, PeerNotFoundError, viewOf } from '../../exchange/peers/directory.ts';
import { feedFor, issueFeedKey, peerOfFeedKey } from '../../exchange/peers/feed.ts';
import type { AppContext } from '../context.ts';
import { problem } from '../errors.ts';
import { Problem } from '../problem.ts';

const Peer = Type.Object({
  id: Type.String(),
  url: Type.String(),
  keyId: Type.String({ description: 'SHA-256 of the peer’s signing key (DER SPKI), hex' }),
  via: Type.Union([Type.Literal('ledger'), Type.Literal('feed')]),
  feedKey: Type.Boolean({ description: 'Whether we issued it a key to read our feed' }),
  state: Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('stopped')]),
  problem: Type.Union([Type.String(), Type.Null()]),
  problemAt: Type.Union([Type.String(), Type.Null()]),
  position: Type.Integer({ description: 'How many of the peer’s ledger entries are processed' }),
  head: Type.Union([
    Type.Object({ size: Type.Integer(), rootHash: Type.String(), timestamp: Type.String() }),
    Type.Null(),
  ]),
  lastContact: Type.Union([Type.String(), Type.Null()]),
  policy: Type.Object({
    apply: Type.Record(Type.String(), Type.Object({ action: Type.String(), reason: Type.String() })),
    share: Type.Object({ reasons: Type.Array(Type.String()) }),
  }),
  createdAt: Type.String(),
});

const Id = Type.Object({ id: Type.String() });

function sendPeerError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof PeerInputError)
    return problem(reply, {
      title: 'Bad request',
      status: 400,
      detail: error.message,
      cause: 'INVALID_PEER',
      invalidParams: error.problems.map((p) => ({ param: p.field, reason: p.message })),
    });
  if (error instanceof PeerNotFoundError)
    return problem(reply, { title: 'Not found', status: 404, detail: error.message, cause: 'NO_SUCH_PEER' });
  throw error;
}

export function exchangePeerRoutes(app: FastifyInstance, context: AppContext): void {
  const directory = new PeerDirectory(context.store.db);
  const tags = ['exchange'];

  app.get('/api/v1/exchange/peers', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Peer registries we follow: state, problem, position, last verified signed head',
      response: { 200: Type.Object({ peers: Type.Array(Peer) }), 401: Problem },
    },
    handler: async () => ({ peers: (await directory.list()).map(viewOf) }),
  });

  app.post<{
    Body: {
      id: string;
      url: string;
      publicKey: string;
      apiKey?: string;
      policy?: unknown;
      via?: 'ledger' | 'feed';
    };
  }>('/api/v1/exchange/peers', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Add a peer registry to follow',
      body: Type.Object({
        id: Type.String({ description: 'Our name for it; its entries get source peer:<id>' }),
        url: Type.String({ description: 'Base URL of its ledger API' }),
        publicKey: Type.String({ description: 'Its ledger signing key, PEM (exchanged out of band)' }),
        apiKey: Type.Optional(
          Type.String({
            description: 'The key it issued us: its feed key for us, or a follower key (via ledger)',
          }),
        ),
        policy: Type.Optional(Type.Unknown({ description: 'Trust policy (docs/exchange-peers.md)' })),
        via: Type.Optional(
          Type.Union([Type.Literal('ledger'), Type.Literal('feed')], {
            description:
              'feed (default): read its feed for us, what it shares, with the feed key it issued us; ' +
              'ledger: read its whole ledger API, only with a follower key it deliberately issued us',
          }),
        ),
      }),
      response: { 201: Peer, 400: Problem, 401: Problem },
    },
    handler: async (request, reply) => {
      try {
        const { publicKey, ...rest } = request.body;
        const peer = await directory.add({ ...rest, publicKeyPem: publicKey });
        return reply.code(201).send(peer);
      } catch (error) {
        return sendPeerError(reply, error);
      }
    },
  });

  app.get<{ Params: { id: string } }>('/api/v1/exchange/peers/:id', {
    config: { access: 'admin' },
    schema: { tags, summary: 'One peer', params: Id, response: { 200: Peer, 401: Problem, 404: Problem } },
    handler: async (request, reply) => {
      try {
        return viewOf(await directory.get(request.params.id));
      } catch (error) {
        return sendPeerError(reply, error);
      }
    },
  });

  app.delete<{ Params: { id: string } }>('/api/v1/exchange/peers/:id', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Stop following a peer and forget it (entries already applied stay in the ledger)',
      params: Id,
      response: { 200: Type.Object({ removed: Type.Boolean() }), 401: Problem, 404: Problem },
    },
    handler: async (request, reply) => {
      try {
        await directory.remove(request.params.id);
        return { removed: true };
      } catch (error) {
        return sendPeerError(reply, error);
      }
    },
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { id: string } }>(`/api/v1/exchange/peers/:id/${action}`, {
      config: { access: 'admin' },
      schema: {
        tags,
        summary:
          action === 'pause'
            ? 'Stop following a peer for now'
            : 'Follow a paused or stopped peer again from its position (a person has decided)',
        params: Id,
        response: { 200: Peer, 401: Problem, 404: Problem },
      },
      handler: async (request, reply) => {
        try {
          return await directory[action](request.params.id);
        } catch (error) {
          return sendPeerError(reply, error);
        }
      },
    });
  }

  app.post<{ Params: { id: string } }>('/api/v1/exchange/peers/:id/feed-key', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Issue (or replace) the key the peer reads our feed with; shown only in this answer',
      params: Id,
      response: {
        200: Type.Object({ peer: Type.String(), feedKey: Type.String() }),
        401: Problem,
        404: Problem,
      },
    },
    handler: async (request, reply) => {
      try {
        return { peer: request.params.id, feedKey: await issueFeedKey(context.store.db, request.params.id) };
      } catch (error) {
        return sendPeerError(reply, error);
      }
    },
  });

  // Public by declaration: the peer proves itself with the feed key we issued it, checked here.
  app.get<{ Querystring: { after: number } }>('/exchange/v1/feed', {
    config: { access: 'public' },
    schema: {
      tags,
      summary:
        'For a peer registry: the entries its trust policy shares, from a position, with inclusion proofs',
      description:
        'Authorization: Bearer <the feed key we issued the peer>. Looks at up to 2,000 of our entries from `after`; ' +
        'returns the shared ones, each with an RFC 9162 inclusion proof against `head`, and `next`, the position to ask from next.',
      querystring: Type.Object({ after: Type.Integer({ minimum: 0 }) }),
      response: {
        200: Type.Object({
          head: Type.Record(Type.String(), Type.Unknown()),
          entries: Type.Array(
            Type.Object({
              entry: Type.Record(Type.String(), Type.Unknown()),
              proof: Type.Array(Type.String()),
            }),
          ),
          next: Type.Integer(),
        }),
        400: Problem,
        401: Problem,
      },
    },
    handler: async (request, reply) => {
      const key = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const peer = key ? await peerOfFeedKey(context.store.db, key) : null;
      if (!peer)
        return problem(reply.header('www-authenticate', 'Bearer realm="openceir"'), {
          title: 'Unauthorized',
          status: 401,
          detail: 'a peer reads its feed with the feed key this registry issued it',
          cause: 'NO_FEED_KEY',
        });
      try {
        return await feedFor(context.ledger, peer, request.query.after);
      } catch (error) {
        if (error instanceof RangeError)
          return problem(reply, {
            title: 'Bad request',
            status: 400,
            detail: error.message,
            cause: 'OUT_OF_RANGE',
            invalidParams: [{ param: 'query after', reason: error.message }],
          });
        throw error;
      }
    },
  });
}
