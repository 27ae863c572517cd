/** Turns the errors parts raise into problem details that name the field and the rule. */
import type { FastifyReply } from 'fastify';
import { LedgerValidationError } from '../ledger/ledger.ts';
import { PROBLEM_CONTENT_TYPE, type ProblemBody } from './problem.ts';

export function problem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

export function invalidParam(
  reply: FastifyReply,
  param: string,
  reason: string,
  cause = 'INVALID_REQUEST',
): FastifyReply {
  return problem(reply, {
    title: 'Bad request',
    status: 400,
    detail: `${param}: ${reason}`,
    cause,
    invalidParams: [{ param, reason }],
  });
}

/** Known errors become 400s; anything else is rethrown to the generic handler (500, logged). */
export function sendKnownError(
  reply: FastifyReply,
  error: unknown,
  where: (field: string) => string = (f) => `body ${f}`,
): FastifyReply {
  if (error instanceof LedgerValidationError) {
    return problem(reply, {
      title: 'Bad request',
      status: 400,
      detail: error.message,
      cause: 'INVALID_ENTRY',
      invalidParams: error.problems.map((p) => ({ param: where(p.field), reason: p.message })),
    });
  }
  if (error instanceof RangeError)
    return problem(reply, {
      title: 'Bad request',
      status: 400,
      detail: error.message,
      cause: 'OUT_OF_RANGE',
    });
  throw error;
}
