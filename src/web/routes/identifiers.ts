/** The identifier catalogue and the identify service: the same answers as `openceir identifiers` / `identify --json`. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { CATALOGUE, IDENTIFIER_TYPES, identify, SUSPICION_FLAGS } from '../../identifiers/index.ts';
import { Problem } from '../problem.ts';

const ErrorItem = Type.Object({ code: Type.String(), message: Type.String() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const ReportingBody = Type.Object({
  code: Type.String(),
  name: Type.String(),
  status: Type.Union(['active', 'test', 'retired', 'reserved', 'unassigned'].map((s) => Type.Literal(s))),
});

export const Identification = Type.Object(
  {
    input: Type.String(),
    type: Type.Union([...IDENTIFIER_TYPES, 'unknown'].map((t) => Type.Literal(t))),
    valid: Type.Boolean(),
    normalized: Nullable(Type.String()),
    errors: Type.Array(ErrorItem),
    flags: Type.Array(Type.Union(SUSPICION_FLAGS.map((f) => Type.Literal(f)))),
    candidates: Type.Array(Type.String()),
    wrapper: Type.Optional(Type.Object({ form: Type.String(), text: Type.String() })),
    deviceKey: Type.Optional(Type.String({ description: '14-digit TAC + SNR: the key every list uses' })),
    tac: Type.Optional(Type.String()),
    snr: Type.Optional(Type.String()),
    rbi: Type.Optional(Type.String()),
    reportingBody: Type.Optional(ReportingBody),
    svn: Type.Optional(Nullable(Type.String())),
    checkDigit: Type.Optional(Nullable(Type.String())),
    expectedCheckDigit: Type.Optional(Type.String()),
    checkDigitState: Type.Optional(Type.String()),
    fullImei: Type.Optional(Type.String()),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'Identification' },
);

const CatalogueEntry = Type.Object(
  {
    type: Type.String(),
    name: Type.String(),
    standards: Type.Array(Type.String()),
    structure: Type.Array(
      Type.Object({ name: Type.String(), length: Type.String(), meaning: Type.String() }),
    ),
    length: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
    alphabet: Type.String(),
    check: Type.Object({ algorithm: Type.String(), note: Type.String() }),
    examples: Type.Object({
      valid: Type.Array(Type.String()),
      invalid: Type.Array(Type.Object({ value: Type.String(), code: Type.String() })),
    }),
    travels: Type.Array(Type.String()),
    listKey: Type.Boolean(),
    notes: Type.String(),
  },
  { $id: 'CatalogueEntry' },
);

const IdentifyQuery = Type.Object({
  value: Type.String({
    description: 'The identifier as written: IMEI, PEI, IMSI, MEID, EID, …',
    minLength: 1,
    maxLength: 256,
  }),
  type: Type.Optional(
    Type.Union(
      IDENTIFIER_TYPES.map((t) => Type.Literal(t)),
      { description: 'Parse as this type instead of detecting it' },
    ),
  ),
  source: Type.Optional(
    Type.Union([Type.Literal('person'), Type.Literal('network')], {
      description: 'person (default): a wrong IMEI check digit is an error; network: it is only flagged',
    }),
  ),
});

export function identifierRoutes(app: FastifyInstance): void {
  app.get(
    '/api/v1/identifiers',
    {
      config: { access: 'public' },
      schema: {
        tags: ['identifiers'],
        summary: 'The identifier catalogue',
        description:
          'One description per identifier type that mobile and ICT devices and their subscriptions carry.',
        response: { 200: Type.Object({ identifiers: Type.Array(CatalogueEntry) }) },
      },
    },
    async () => ({ identifiers: CATALOGUE }),
  );

  app.get<{
    Querystring: { value: string; type?: (typeof IDENTIFIER_TYPES)[number]; source?: 'person' | 'network' };
  }>(
    '/api/v1/identify',
    {
      config: { access: 'public' },
      schema: {
        tags: ['identifiers'],
        summary: 'Detect and validate an identifier',
        description:
          'The same answer as `openceir identify <value> --json`. An invalid identifier is a 200 with valid=false.',
        querystring: IdentifyQuery,
        response: { 200: Identification, 400: Problem },
      },
    },
    async (request) =>
      identify(request.query.value, { type: request.query.type, source: request.query.source }),
  );
}
