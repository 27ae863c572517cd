/**
 * Sightings: checks that met a blocked or tracked device.
 *   POST /api/v1/sightings                check nodes (follower key) and operators' EIRs send what they recorded
 *   GET  /api/v1/devices/{id}/sightings   the latest sightings of a device: when, which SIM, which network
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Sighting } from '../../check/sightings.ts';
import { sightingsOf, storeSightings } from '../../check/store.ts';
import type { AppContext } from '../context.ts';
import { sendKnownError } from '../errors.ts';
import { Problem } from '../problem.ts';

const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);

export const SightingSchema = Type.Object({
  id: Type.String({ maxLength: 200 }),
  time: Type.String({ format: 'date-time' }),
  deviceKey: Nullable(Type.String({ pattern: '^[0-9]{14}$' })),
  equipment: Type.String({ maxLength: 64 }),
  svn: Nullable(Type.String({ maxLength: 2 })),
  imsi: Nullable(Type.String({ maxLength: 15 })),
  msisdn: Nullable(Type.String({ maxLength: 15 })),
  status: Type.String(),
  matched: Type.String(),
  reasons: Type.Array(Type.String()),
  protocol: Type.Union(['n5g-eir', 's13', 'rest', 'bulk'].map((p) => Type.Literal(p))),
  node: Type.String({ maxLength: 200 }),
  peer: Nullable(Type.String({ maxLength: 255 })),
  network: Nullable(Type.String({ maxLength: 255 })),
  location: Nullable(Type.String({ maxLength: 255 })),
});

export function sightingRoutes(app: FastifyInstance, context: AppContext): void {
  app.post<{ Body: { sightings: Sighting[] } }>(
    '/api/v1/sightings',
    {
      config: { access: ['follower', 'operator', 'regulator'] },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags: ['devices'],
        summary: 'Store sightings recorded by a check node (a sighting already stored is kept as it is)',
        body: Type.Object({ sightings: Type.Array(SightingSchema, { maxItems: 10_000 }) }),
        response: { 200: Type.Object({ received: Type.Integer() }), 400: Problem, 401: Problem },
      },
    },
    async (request) => {
      // An operator's EIR reports what its own network saw: the network is the caller's, whatever the body says.
      const org = request.staff?.organisation;
      const sightings =
        org?.kind === 'operator'
          ? request.body.sightings.map((sighting) => ({ ...sighting, network: org.operatorId }))
          : request.body.sightings;
      await storeSightings(context.store.db, context.sealer, sightings);
      // Police alerts follow the stored sightings: read them now rather than at the next poll.
      context.desk.raiser.wake();
      return { received: request.body.sightings.length };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/api/v1/devices/:id/sightings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['devices'],
        summary: 'Where and with which SIM a device was seen by the real-time checks, newest first',
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }),
        response: {
          200: Type.Object({ deviceKey: Type.String(), sightings: Type.Array(SightingSchema) }),
          400: Problem,
          401: Problem,
        },
      },
    },
    async (request, reply) => {
      try {
        const deviceKey = context.registry.deviceKey(request.params.id);
        return {
          deviceKey,
          sightings: await sightingsOf(
            context.store.db,
            context.sealer,
            deviceKey,
            request.query.limit ?? 100,
          ),
        };
      } catch (error) {
        return sendKnownError(reply, error);
      }
    },
  );
}
