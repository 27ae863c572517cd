/**
 * The ledger read API that check nodes, operator EIRs and peer registries follow (docs/ledger.md):
 *   GET /ledger/v1/head?after&wait      the latest signed tree head (a long poll with after and wait)
 *   GET /ledger/v1/heads?after=ID       every signed head, in order
 *   GET /ledger/v1/entries?start&limit  entries from a position
 *   GET /ledger/v1/proofs/inclusion     RFC 9162 inclusion proof
 *   GET /ledger/v1/proofs/consistency   RFC 9162 consistency proof
 *   GET /ledger/v1/snapshot?position    the check index (current lists, or as at a position) with its frontier
 *   GET /ledger/v1/public-key           the signing key (PEM)
 * Heads, proofs and keys are public (hashes only): peer registries verify with them. Entries and snapshots
 * name subscribers, staff and cases, so they need a follower key; a peer reads only what we share with it,
 * through its feed (/exchange/v1/feed, exchange/peers/feed.ts), never these.
 */

import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { buildIndex, buildIndexAt } from '../../check/build.ts';
import { serializeIndex } from '../../check/snapshot.ts';
import { headToJson, type TreeHead } from '../../ledger/signing.ts';
import type { AppContext } from '../context.ts';
import { sendKnownError } from '../errors.ts';
import { Problem } from '../problem.ts';
import { Entry } from '../schemas.ts';

const Head = Type.Object(
  {
    treeSize: Type.Integer(),
    timestamp: Type.Integer({ description: 'Milliseconds since the Unix epoch' }),
    rootHash: Type.String({ description: 'SHA-256 Merkle tree hash, base64' }),
    rootHashHex: Type.String(),
    keyId: Type.String({ description: 'SHA-256 of the public key (DER SubjectPublicKeyInfo), hex' }),
    signature: Type.String({ description: 'Ed25519 signature over signedBytes, base64' }),
    signedBytes: Type.String({ description: 'The 50-byte RFC 6962 §3.5 TreeHeadSignature input, base64' }),
  },
  { $id: 'SignedTreeHead' },
);

const Proof = Type.Object({
  treeSize: Type.Integer(),
  rootHash: Type.String({ description: 'base64' }),
  proof: Type.Array(Type.String({ description: 'base64 SHA-256' })),
});

/** The longest a follower's long poll for a new head is held. */
const MAX_WAIT_MS = 30_000;

const b64 = (hashes: Buffer[]) => hashes.map((h) => h.toString('base64'));
const nat = (description: string) => Type.Integer({ minimum: 0, description });

export function ledgerRoutes(app: FastifyInstance, context: AppContext): void {
  const { ledger } = context;

  // Long polls waiting for a new head: answered at once when the server closes, so it need not wait.
  const waiting = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const release of [...waiting]) release();
  });
  app.get<{ Querystring: { after?: number; wait?: number } }>('/ledger/v1/head', {
    config: { access: 'public' },
    schema: {
      tags: ['ledger'],
      summary: 'Latest signed tree head',
      description:
        'With `after` and `wait`: a long poll for followers. The answer comes as soon as the tree has more ' +
        'than `after` entries, or after `wait` ms with the head as it is.',
      querystring: Type.Object({
        after: Type.Optional(nat('Wait for a tree larger than this size')),
        wait: Type.Optional(
          Type.Integer({ minimum: 0, maximum: MAX_WAIT_MS, description: 'At most this long (ms)' }),
        ),
      }),
      response: { 200: Head },
    },
    handler: async (request, reply) => {
      const { after, wait } = request.query;
      const head = await ledger.head();
      if (after === undefined || !wait || head.size > after) return headToJson(head);
      const later = await new Promise<TreeHead | null>((resolve) => {
        const done = (value: TreeHead | null) => {
          clearTimeout(timer);
          unsubscribe();
          reply.raw.off('close', gone);
          waiting.delete(gone);
          resolve(value);
        };
        const gone = () => done(null);
        waiting.add(gone);
        const timer = setTimeout(() => done(null), wait);
        const unsubscribe = ledger.subscribe((next) => {
          if (next.size > after) done(next);
        });
        // The follower went away: stop waiting for it.
        reply.raw.on('close', gone);
      });
      return headToJson(later ?? (await ledger.head()));
    },
  });

  app.get<{ Querystring: { after?: number; limit?: number } }>('/ledger/v1/heads', {
    config: { access: 'public' },
    schema: {
      tags: ['ledger'],
      summary: 'Signed tree heads in the order they were made',
      querystring: Type.Object({
        after: Type.Optional(nat('Return heads after this id')),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      }),
      response: { 200: Type.Object({ heads: Type.Array(Type.Object({ id: Type.Integer(), head: Head })) }) },
    },
    handler: async (request) => ({
      heads: (await ledger.heads(request.query.after ?? 0, request.query.limit ?? 1000)).map(
        ({ id, ...head }) => ({ id, head: headToJson(head) }),
      ),
    }),
  });

  app.get<{ Querystring: { start: number; limit?: number } }>('/ledger/v1/entries', {
    config: { access: ['follower', 'regulator', 'auditor'] },
    schema: {
      tags: ['ledger'],
      summary: 'Ledger entries from a position',
      description:
        'Each entry’s Merkle leaf is SHA-256(0x00 ‖ RFC 8785 canonical JSON of the entry with "v":1), see docs/ledger.md. ' +
        'Needs a follower key (or regulator, auditor); a peer registry reads GET /exchange/v1/feed instead.',
      querystring: Type.Object({
        start: nat('First position'),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
      }),
      response: {
        200: Type.Object({ start: Type.Integer(), entries: Type.Array(Entry), treeSize: Type.Integer() }),
        401: Problem,
      },
    },
    handler: async (request) => ({
      start: request.query.start,
      entries: await ledger.entries(request.query.start, request.query.limit ?? 1000),
      treeSize: await ledger.size(),
    }),
  });

  app.get<{ Querystring: { index: number; size: number } }>('/ledger/v1/proofs/inclusion', {
    config: { access: 'public' },
    schema: {
      tags: ['ledger'],
      summary: 'Inclusion proof of entry `index` in the tree of `size` (RFC 9162 §2.1.3)',
      querystring: Type.Object({ index: nat('Entry position'), size: nat('Tree size') }),
      response: { 200: Type.Intersect([Proof, Type.Object({ index: Type.Integer() })]), 400: Problem },
    },
    handler: async (request, reply) => {
      const { index, size } = request.query;
      try {
        const proof = await ledger.inclusionProof(index, size);
        return {
          index,
          treeSize: size,
          rootHash: (await ledger.rootAt(size)).toString('base64'),
          proof: b64(proof),
        };
      } catch (error) {
        return sendKnownError(reply, error);
      }
    },
  });

  app.get<{ Querystring: { first: number; second: number } }>('/ledger/v1/proofs/consistency', {
    config: { access: 'public' },
    schema: {
      tags: ['ledger'],
      summary: 'Consistency proof from tree size `first` to `second` (RFC 9162 §2.1.4)',
      querystring: Type.Object({ first: nat('Older tree size'), second: nat('Newer tree size') }),
      response: {
        200: Type.Object({
          first: Type.Integer(),
          second: Type.Integer(),
          firstRootHash: Type.String(),
          secondRootHash: Type.String(),
          proof: Type.Array(Type.String()),
        }),
        400: Problem,
      },
    },
    handler: async (request, reply) => {
      const { first, second } = request.query;
      try {
        const proof = await ledger.consistencyProof(first, second);
        const [a, b] = await ledger.rangeHashes([
          [0, first],
          [0, second],
        ]);
        return {
          first,
          second,
          firstRootHash: a!.toString('base64'),
          secondRootHash: b!.toString('base64'),
          proof: b64(proof),
        };
      } catch (error) {
        return sendKnownError(reply, error);
      }
    },
  });

  // Verifying reads and writes nothing: the auditor may run it too.
  app.post('/api/v1/ledger/verify', {
    config: { access: ['regulator', 'auditor'] },
    schema: {
      tags: ['ledger'],
      summary:
        'Recompute the tree from the rows and check every signed head, tree node and the current lists',
      response: {
        200: Type.Object({
          ok: Type.Boolean(),
          entries: Type.Integer(),
          heads: Type.Integer(),
          nodes: Type.Integer(),
          firstBadPosition: Type.Union([Type.Integer(), Type.Null()]),
          problems: Type.Array(
            Type.Object({
              position: Type.Union([Type.Integer(), Type.Null()]),
              kind: Type.String(),
              message: Type.String(),
            }),
          ),
        }),
        401: Problem,
      },
    },
    handler: async () => context.registry.verify(),
  });

  app.get<{ Querystring: { position?: number } }>('/ledger/v1/snapshot', {
    config: { access: ['follower', 'regulator', 'auditor'] },
    schema: {
      tags: ['ledger'],
      summary:
        'The check index at the current ledger position, or at `position`, for a follower to start from',
      description:
        'Binary (application/octet-stream, layout in docs/follower-protocol.md): the lists in the check index layout, with ' +
        'the ledger position and frontier they reflect. Without `position`: the current lists. With `position=N`: the ' +
        'lists after entries 0..N−1, folded from the ledger (reads every entry up to N). A follower checks the frontier ' +
        'against a signed head (a consistency proof from N to the head’s size) before it answers from it, then follows ' +
        'from entry N.',
      querystring: Type.Object({
        position: Type.Optional(
          nat('Ledger position (tree size) of the snapshot; at most the current tree size'),
        ),
      }),
      produces: ['application/octet-stream'],
      response: { 400: Problem, 401: Problem },
    },
    handler: async (request, reply) => {
      const { position } = request.query;
      try {
        const { index, frontier } =
          position === undefined ? await buildIndex(context.store.db) : await buildIndexAt(ledger, position);
        reply.type('application/octet-stream').header('x-ledger-position', String(index.position));
        return reply.send(Readable.from(serializeIndex(index, frontier)));
      } catch (error) {
        return sendKnownError(reply, error);
      }
    },
  });

  app.get('/ledger/v1/public-key', {
    config: { access: 'public' },
    schema: {
      tags: ['ledger'],
      summary: 'The Ed25519 key that signs tree heads (PEM, SubjectPublicKeyInfo)',
    },
    handler: async (_request, reply) => {
      reply.type('application/x-pem-file').header('x-key-id', ledger.signer.keyId);
      return ledger.signer.publicKeyPem;
    },
  });
}
