/**
 * Errors of the REST API are RFC 9457 problem details (`application/problem+json`), shaped like the
 * 3GPP ProblemDetails the N5g-eir interface uses, so one client can read both.
 */
import { Type } from 'typebox';

export const InvalidParam = Type.Object({
  param: Type.String({ description: 'Where the bad value was, e.g. "query value" or "body imei"' }),
  reason: Type.Optional(Type.String()),
});

export const Problem = Type.Object(
  {
    type: Type.Optional(Type.String()),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    cause: Type.Optional(Type.String({ description: 'Stable, machine-readable code' })),
    invalidParams: Type.Optional(Type.Array(InvalidParam)),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

export interface ProblemBody {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  cause?: string;
  invalidParams?: { param: string; reason?: string }[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
