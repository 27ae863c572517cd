/**
 * Cases, alerts and appeals over REST, for police and operator systems and the regulator:
 *   POST /api/v1/cases                        open a case (verified by the caller: it takes effect at once)
 *   GET  /api/v1/cases                        cases the caller may see (no personal data in the list)
 *   GET  /api/v1/cases/{reference}            one case with its history (the read is access-logged)
 *   POST /api/v1/cases/{reference}/actions    block, track, recover, unblock, withdraw, reject
 *   POST /api/v1/cases/import                 bulk reports (CSV), row by row
 *   POST /api/v1/cases/recoveries             bulk recoveries (CSV)
 *   GET  /api/v1/alerts                       police alerts of the caller's unit (access-logged)
 *   POST /api/v1/alerts/{id}                  acknowledge, follow up, close
 *   GET  /api/v1/appeals, /api/v1/appeals/{reference}, POST …/decision   the regulator decides appeals
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ALERT_PERSONAL_FIELDS, ALERT_STATES, type AlertState } from '../../cases/alerts.ts';
import { APPEAL_PERSONAL_FIELDS, type ReasonOutcome } from '../../cases/appeals.ts';
import { importRecoveries, importReports } from '../../cases/bulk.ts';
import {
  CASE_PERSONAL_FIELDS,
  CaseNotFoundError,
  type CaseRecord,
  CasesInputError,
  type ReportInput,
} from '../../cases/cases.ts';
import {
  CASE_ACTIONS,
  CASE_STATES,
  type CaseAction,
  type CaseState,
  CaseTransitionError,
} from '../../cases/model.ts';
import type { AppContext } from '../context.ts';
import { problem } from '../errors.ts';
import { Problem } from '../problem.ts';
import { alertScope, caseActor, caseScope, logRead, maySeeCase, staffChannel, staffOf } from '../staff.ts';

const STAFF = ['police', 'operator', 'regulator'] as const;

const ReportBody = Type.Object(
  {
    imeis: Type.Array(Type.String(), { minItems: 1, maxItems: 4 }),
    kind: Type.String({ description: 'lost or stolen' }),
    mode: Type.Optional(Type.String({ description: 'block (default) or track (recovery mode)' })),
    brand: Type.Optional(Type.String()),
    model: Type.Optional(Type.String()),
    lastMsisdn: Type.Optional(Type.String()),
    incidentAt: Type.Optional(Type.String()),
    incidentPlace: Type.Optional(Type.String()),
    region: Type.Optional(Type.String()),
    policeReportNumber: Type.Optional(Type.String()),
    reporterName: Type.Optional(Type.String()),
    reporterPhone: Type.Optional(Type.String()),
    reporterEmail: Type.Optional(Type.String()),
    language: Type.Optional(Type.String()),
    notifyOwner: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** Known case errors as problem details that name the field and the rule. */
export function sendCaseError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof CasesInputError) {
    return problem(reply, {
      title: 'Bad request',
      status: error.code === 'CASE_CHANGED' ? 409 : 400,
      detail: error.message,
      cause: error.code,
      invalidParams: error.problems.map((p) => ({ param: p.param, reason: p.reason })),
    });
  }
  if (error instanceof CaseNotFoundError)
    return problem(reply, {
      title: 'Not found',
      status: 404,
      detail: error.message,
      cause: 'CASE_NOT_FOUND',
    });
  if (error instanceof CaseTransitionError) {
    return problem(reply, {
      title: error.code === 'NOT_ALLOWED' ? 'Forbidden' : 'Conflict',
      status: error.code === 'NOT_ALLOWED' ? 403 : 409,
      detail: error.message,
      cause: error.code === 'NOT_ALLOWED' ? 'NOT_ALLOWED' : 'WRONG_CASE_STATE',
    });
  }
  throw error;
}

/** A case without its personal fields, for lists. */
function summary(record: CaseRecord) {
  const { reporterName, reporterPhone, reporterEmail, lastMsisdn, ...rest } = record;
  return rest;
}

const personalFieldsOf = (record: CaseRecord) => CASE_PERSONAL_FIELDS.filter((f) => record[f] !== null);

export function caseRoutes(app: FastifyInstance, context: AppContext): void {
  const { desk } = context;
  const notFound = (reply: FastifyReply, reference: string) =>
    problem(reply, {
      title: 'Not found',
      status: 404,
      detail: `no case ${reference} that you may see`,
      cause: 'CASE_NOT_FOUND',
    });

  app.post<{ Body: ReportInput }>(
    '/api/v1/cases',
    {
      config: { access: [...STAFF] },
      schema: {
        tags: ['cases'],
        summary: 'Open a case (entered by staff: verified at once, the devices are blocked or tracked)',
        description:
          'A second report of an IMEI that is in an open case returns that case (200) instead of a new one (201).',
        body: ReportBody,
        response: { 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      try {
        const { record, existing } = await desk.cases.report(
          request.body,
          caseActor(staff),
          staffChannel(staff),
        );
        // An existing case of another organisation is named, not shown.
        if (existing && !maySeeCase(staff, record))
          return reply
            .code(200)
            .send({ existing, case: { reference: record.reference, state: record.state } });
        return reply.code(existing ? 200 : 201).send({ existing, case: summary(record) });
      } catch (error) {
        return sendCaseError(reply, error);
      }
    },
  );

  app.get<{ Querystring: { state?: string; search?: string; limit?: number; offset?: number } }>(
    '/api/v1/cases',
    {
      config: { access: [...STAFF] },
      schema: {
        tags: ['cases'],
        summary: 'Cases the caller may see, newest change first (personal data left out)',
        querystring: Type.Object({
          state: Type.Optional(Type.Union([...CASE_STATES, 'open'].map((s) => Type.Literal(s)))),
          search: Type.Optional(
            Type.String({ description: 'a case reference, an IMEI or a police report number' }),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
      },
    },
    async (request) => {
      const staff = staffOf(request);
      const cases = await desk.cases.list({
        ...request.query,
        state: request.query.state as CaseState | 'open' | undefined,
        ...caseScope(staff),
      });
      return { cases: cases.map(summary) };
    },
  );

  app.get<{ Params: { reference: string } }>(
    '/api/v1/cases/:reference',
    {
      config: { access: [...STAFF] },
      schema: {
        tags: ['cases'],
        summary:
          'One case with the reporter’s contact and its history; the read is written to the access log',
        description: 'Send the purpose of the read in the X-Purpose header; it is recorded with the read.',
        response: { 404: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const record = await desk.cases.get(request.params.reference);
      if (!record || !maySeeCase(staff, record)) return notFound(reply, request.params.reference);
      await logRead(context, request, {
        kind: 'case',
        id: record.reference,
        fields: personalFieldsOf(record),
        why: 'case handling',
      });
      return { case: record, events: await desk.cases.events(record.reference) };
    },
  );

  app.post<{ Params: { reference: string }; Body: { action: string; note?: string } }>(
    '/api/v1/cases/:reference/actions',
    {
      config: { access: [...STAFF] },
      schema: {
        tags: ['cases'],
        summary: 'Act on a case: block, track (recovery mode), recover, unblock, withdraw or reject',
        body: Type.Object(
          {
            action: Type.Union(CASE_ACTIONS.filter((a) => a !== 'verify').map((a) => Type.Literal(a))),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const record = await desk.cases.get(request.params.reference);
      if (!record || !maySeeCase(staff, record)) return notFound(reply, request.params.reference);
      try {
        const after = await desk.cases.act(
          record.reference,
          request.body.action as CaseAction,
          caseActor(staff),
          request.body.note ?? null,
        );
        return { case: summary(after) };
      } catch (error) {
        return sendCaseError(reply, error);
      }
    },
  );

  for (const [url, run, summaryText] of [
    [
      '/api/v1/cases/import',
      importReports,
      'Bulk reports: a CSV with imei[,imei2..imei4],kind[,mode,brand,model,…]',
    ],
    [
      '/api/v1/cases/recoveries',
      importRecoveries,
      'Bulk recoveries: a CSV with reference or imei[,unblock,note]',
    ],
  ] as const) {
    app.post(
      url,
      {
        config: { access: ['police', 'regulator'] },
        bodyLimit: 8 * 1024 * 1024,
        schema: {
          tags: ['cases'],
          summary: summaryText,
          description:
            'Rows apply one by one; a bad row is named by line and field and never stops the others. Sending the same file again changes nothing.',
          response: { 400: Problem },
        },
      },
      async (request, reply) => {
        try {
          const text = await readText(request.body);
          return await run(desk.cases, text, caseActor(staffOf(request)));
        } catch (error) {
          return sendCaseError(reply, error);
        }
      },
    );
  }

  app.get<{ Querystring: { state?: string; limit?: number } }>(
    '/api/v1/alerts',
    {
      config: { access: ['police', 'regulator'] },
      schema: {
        tags: ['cases'],
        summary:
          'Police alerts: devices of open cases seen on a network (the SIM, network, time, place); access-logged',
        querystring: Type.Object({
          state: Type.Optional(Type.Union([...ALERT_STATES, 'open'].map((s) => Type.Literal(s)))),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }),
      },
    },
    async (request) => {
      const alerts = await desk.alerts.list({
        policeUnit: alertScope(staffOf(request)),
        state: request.query.state as AlertState | 'open' | undefined,
        limit: request.query.limit,
      });
      for (const alert of alerts) {
        await logRead(context, request, {
          kind: 'alert',
          id: alert.id,
          fields: [...ALERT_PERSONAL_FIELDS],
          why: 'alert follow-up',
        });
      }
      return { alerts };
    },
  );

  app.post<{ Params: { id: string }; Body: { state: string; note?: string } }>(
    '/api/v1/alerts/:id',
    {
      config: { access: ['police', 'regulator'] },
      schema: {
        tags: ['cases'],
        summary: 'Acknowledge, follow up or close an alert',
        body: Type.Object(
          {
            state: Type.Union(ALERT_STATES.filter((s) => s !== 'new').map((s) => Type.Literal(s))),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 404: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const alert = await desk.alerts.get(request.params.id);
      const scope = alertScope(staff);
      if (!alert || (scope !== null && alert.policeUnit !== scope))
        return problem(reply, {
          title: 'Not found',
          status: 404,
          detail: 'no such alert for your unit',
          cause: 'ALERT_NOT_FOUND',
        });
      const after = await desk.alerts.setState(
        alert.id,
        request.body.state as AlertState,
        staff.username,
        request.body.note ?? null,
      );
      return { alert: after };
    },
  );

  app.get<{ Querystring: { state?: string } }>(
    '/api/v1/appeals',
    {
      config: { access: ['regulator'] },
      schema: {
        tags: ['cases'],
        summary: 'Appeals; `pending` lists open and escalated ones, escalated first (access-logged)',
        querystring: Type.Object({ state: Type.Optional(Type.String()) }),
      },
    },
    async (request) => {
      const appeals = await desk.appeals.list({ state: request.query.state as never });
      for (const appeal of appeals) {
        await logRead(context, request, {
          kind: 'appeal',
          id: appeal.reference,
          fields: [...APPEAL_PERSONAL_FIELDS],
          why: 'appeal review',
        });
      }
      return { appeals };
    },
  );

  app.post<{ Params: { reference: string }; Body: { outcomes: Record<string, string>; note: string } }>(
    '/api/v1/appeals/:reference/decision',
    {
      config: { access: ['regulator'] },
      schema: {
        tags: ['cases'],
        summary: 'Decide an appeal: upheld or overturned for each reason it is about',
        body: Type.Object(
          {
            outcomes: Type.Record(
              Type.String(),
              Type.Union([Type.Literal('upheld'), Type.Literal('overturned')]),
            ),
            note: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: { 400: Problem },
      },
    },
    async (request, reply) => {
      try {
        const appeal = await desk.appeals.decide(
          request.params.reference,
          request.body.outcomes as Record<string, ReasonOutcome>,
          caseActor(staffOf(request)),
          request.body.note,
        );
        return { appeal };
      } catch (error) {
        return sendCaseError(reply, error);
      }
    },
  );
}

/** A CSV body: text/csv arrives as a stream (see app.ts), JSON clients may send a string. */
async function readText(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (body && typeof (body as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 8 * 1024 * 1024)
        throw new CasesInputError([{ param: 'body', reason: 'at most 8 MB' }], 'TOO_LARGE');
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  return '';
}
