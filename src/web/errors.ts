/** Turns the errors parts raise into problem details that name the field and the rule. */
import type { FastifyReply } from 'fastify';
import { ImportError } from '../ledger/lists/import.ts';
import { RegistryInputError } from '../registry/operations.ts';
import { TacImportError } from '../tacdb/tacdb.ts';
import { PROBLEM_CONTENT_TYPE, type ProblemBody } from './problem.ts';

export function problem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Known errors become 400s; anything else is rethrown to the generic handler (500, logged). */
export function sendKnownError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof RegistryInputError) {
    return problem(reply, {
      title: 'Bad request',
      status: 400,
      detail: error.message,
      cause: error.code,
      invalidParams: error.problems.map((p) => ({ param: p.param, reason: p.reason })),
    });
  }
  if (error instanceof ImportError || error instanceof TacImportError) {
    return problem(reply, {
      title: 'Bad request',
      status: 400,
      detail: error.message,
      cause: 'INVALID_FILE',
      invalidParams: [{ param: 'body', reason: error.message }],
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
