/**
 * Peer registries we follow (docs/exchange-peers.md), for the regulator:
 *   GET    /api/v1/exchange/peers               every peer, its state, position and last verified head
 *   POST   /api/v1/exchange/peers               add one (id, URL, public key, optional API key and policy)
 *   GET    /api/v1/exchange/peers/{id}
 *   DELETE /api/v1/exchange/peers/{id}          stop following it (entries already applied stay)
 *   POST   /api/v1/exchange/peers/{id}/pause    stop following it for now
 *   POST   /api/v1/exchange/peers/{id}/resume   follow again (after a person looked at a stop)
 * The CLI (`openceir peer …`) calls these when a server holds the database.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { PeerDirectory, PeerInputError, PeerNotFoundError, viewOf } from '../../exchange/peers/directory.ts';
import type { AppContext } from '../context.ts';
import { problem } from '../errors.ts';
import { Problem } from '../problem.ts';

const Peer = Type.Object({
  id: Type.String(),
  url: Type.String(),
  keyId: Type.String({ description: 'SHA-256 of the peer’s signing key (DER SPKI), hex' }),
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
    Body: { id: string; url: string; publicKey: string; apiKey?: string; policy?: unknown };
  }>('/api/v1/exchange/peers', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Add a peer registry to follow',
      body: Type.Object({
        id: Type.String({ description: 'Our name for it; its entries get source peer:<id>' }),
        url: Type.String({ description: 'Base URL of its ledger API' }),
        publicKey: Type.String({ description: 'Its ledger signing key, PEM (exchanged out of band)' }),
        apiKey: Type.Optional(Type.String({ description: 'The key it issued us to read its ledger' })),
        policy: Type.Optional(Type.Unknown({ description: 'Trust policy (docs/exchange-peers.md)' })),
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
}
