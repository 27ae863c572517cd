/**
 * The portal's report, case and appeal pages (server-rendered, no JavaScript needed):
 *   GET  /report                      the report form
 *   POST /report                      a report → 303 /cases/{reference}?report=new|existing
 *   GET  /cases[?reference=]          the "follow your case" form → 303 /cases/{reference}
 *   GET  /cases/{reference}           the case's public view; the code form; the owner's actions
 *   POST /cases/{reference}/verify    the one-time code that confirms a report
 *   POST /cases/{reference}/code      a new code (before an owner action, or again for the report)
 *   POST /cases/{reference}/act       an owner action (unblock, track, block, withdraw) with its code
 *   GET  /appeal[?id=|?reference=]    the appeal form; an appeal's public state
 *   POST /appeal                      an appeal → 303 /appeal?reference=A-…
 * Every POST, and every look-up by reference, is rate-limited per client address (docs/portal.md).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CaseNotFoundError, CasesInputError } from '../../cases/cases.ts';
import { CaseTransitionError, transition } from '../../cases/model.ts';
import { normaliseReference } from '../../cases/reference.ts';
import type { AppContext } from '../context.ts';
import { type Localized, localize } from '../portal/language.ts';
import { publicRateLimit, RateLimited } from '../portal/limits.ts';
import {
  APPEAL_FIELDS,
  type AppealValues,
  appealPage,
  appealStatusPage,
  EMPTY_APPEAL,
} from '../portal/pages/appeal.ts';
import {
  type CasePageView,
  type CodeSent,
  caseFindPage,
  casePage,
  type Done,
  OWNER_ACTIONS,
  type OwnerAction,
} from '../portal/pages/case.ts';
import { limitedPage } from '../portal/pages/limited.ts';
import { EMPTY_REPORT, REPORT_FIELDS, type ReportValues, reportPage } from '../portal/pages/report.ts';
import { formErrors } from '../portal/problems.ts';

const HTML = 'text/html; charset=utf-8';
/** A report or an appeal is a few kilobytes at most (a statement is at most 2000 characters). */
const FORM_BODY_LIMIT = 32 * 1024;
const CODE = /^\d{6}$/;

type Fields = Record<string, string | undefined>;

/** A form body or query as strings: a repeated field counts once (its first value). */
function fieldsOf(value: unknown): Fields {
  const out: Fields = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const first = Array.isArray(item) ? item[0] : item;
    if (typeof first === 'string') out[key] = first;
  }
  return out;
}

const isOwnerAction = (value: unknown): value is OwnerAction =>
  (OWNER_ACTIONS as readonly unknown[]).includes(value);

export async function casePortalRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  await app.register(async (scope) => casePages(scope, context));
}

function casePages(app: FastifyInstance, context: AppContext): void {
  const { desk, version } = context;
  const limited = publicRateLimit(context);
  const route = { schema: { hide: true }, config: { access: 'public' as const } };
  const posted = { ...route, bodyLimit: FORM_BODY_LIMIT, config: { ...route.config, rateLimit: limited } };
  /** A GET whose bare form costs nothing; with `name` in the query it looks something up. */
  const lookup = (name: string) => ({
    ...route,
    config: {
      ...route.config,
      rateLimit: { ...limited, allowList: (r: FastifyRequest) => fieldsOf(r.query)[name] === undefined },
    },
  });
  const minutes = context.config.cases.verificationMinutes;
  const days = context.config.cases.appealDays;

  app.setErrorHandler((error, request, reply) => {
    if (!(error instanceof RateLimited)) throw error;
    const l = localize(request, reply);
    return reply
      .code(429)
      .type(HTML)
      .send(limitedPage(l, request, version, error.retryAfterSeconds));
  });

  const html = (reply: FastifyReply, status: number, body: string) => {
    reply.header('cache-control', 'no-store');
    return reply.code(status).type(HTML).send(body);
  };

  // ---- report ----

  const reportForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    l: Localized,
    values: ReportValues,
    error: CasesInputError | null,
  ) => {
    const errors = error
      ? formErrors(l, error.problems, {
          fields: { imeis: 'imei', 'imeis[0]': 'imei', 'imeis[1]': 'imei2' },
          fallback: 'imei',
          values,
          imeiFields: ['imei', 'imei2'],
        })
      : undefined;
    const regions = await desk.cases.regions();
    return html(
      reply,
      error ? 400 : 200,
      reportPage(l, request, version, { values, regions, ...(errors ? { errors } : {}) }),
    );
  };

  app.get('/report', route, async (request, reply) =>
    reportForm(request, reply, localize(request, reply), EMPTY_REPORT, null),
  );

  app.post('/report', posted, async (request, reply) => {
    const l = localize(request, reply);
    const body = fieldsOf(request.body);
    const values: ReportValues = {
      ...(Object.fromEntries(REPORT_FIELDS.map((name) => [name, body[name] ?? ''])) as Record<
        (typeof REPORT_FIELDS)[number],
        string
      >),
      notifyOwner: body.notifyOwner === 'yes',
    };
    const imeis = [values.imei, values.imei2].filter((imei, i) => i === 0 || imei.trim() !== '');
    const optional = (value: string) => (value.trim() === '' ? undefined : value);
    try {
      const { record, existing } = await desk.cases.report(
        {
          imeis,
          kind: values.kind,
          mode: values.mode || 'block',
          brand: optional(values.brand),
          model: optional(values.model),
          lastMsisdn: optional(values.lastMsisdn),
          incidentAt: optional(values.incidentAt),
          incidentPlace: optional(values.incidentPlace),
          region: optional(values.region),
          policeReportNumber: optional(values.policeReportNumber),
          reporterName: optional(values.reporterName),
          reporterPhone: optional(values.reporterPhone),
          reporterEmail: optional(values.reporterEmail),
          language: l.language,
          notifyOwner: values.notifyOwner,
        },
        { kind: 'owner', name: 'owner' },
        'portal',
      );
      return reply.redirect(`/cases/${record.reference}?report=${existing ? 'existing' : 'new'}`, 303);
    } catch (error) {
      if (error instanceof CasesInputError) return reportForm(request, reply, l, values, error);
      throw error;
    }
  });

  // ---- cases ----

  app.get('/cases', lookup('reference'), async (request, reply) => {
    const l = localize(request, reply);
    const typed = fieldsOf(request.query).reference;
    if (typed === undefined)
      return html(reply, 200, caseFindPage(l, request, version, { value: '', error: null }));
    const reference = normaliseReference(typed);
    if (!reference?.startsWith('C-'))
      return html(
        reply,
        400,
        caseFindPage(l, request, version, { value: typed, error: l.t('case.find.invalid') }),
      );
    if (!(await desk.cases.publicView(reference)))
      return html(
        reply,
        404,
        caseFindPage(l, request, version, { value: typed, error: l.t('case.find.unknown') }),
      );
    return reply.redirect(`/cases/${reference}`, 303);
  });

  /** The case page; a reference nobody has is the find form again, with the error. */
  const showCase = async (
    request: FastifyRequest,
    reply: FastifyReply,
    l: Localized,
    typed: string,
    status: number,
    view: Omit<CasePageView, 'view' | 'minutes'>,
  ) => {
    const reference = normaliseReference(typed);
    const found = reference?.startsWith('C-') ? await desk.cases.publicView(reference) : null;
    if (!found)
      return html(
        reply,
        404,
        caseFindPage(l, request, version, { value: typed, error: l.t('case.find.unknown') }),
      );
    // A tidier address for a reference typed loosely.
    if (request.method === 'GET' && found.reference !== typed) {
      const query = new URL(request.url, 'http://portal.invalid').search;
      return reply.redirect(`/cases/${found.reference}${query}`, 301);
    }
    return html(reply, status, casePage(l, request, version, { ...view, view: found, minutes }));
  };

  const referenceOf = (request: FastifyRequest) => (request.params as { reference: string }).reference;

  app.get(
    '/cases/:reference',
    { ...route, config: { ...route.config, rateLimit: limited } },
    async (request, reply) => {
      const l = localize(request, reply);
      const query = fieldsOf(request.query);
      const reported = query.report === 'new' || query.report === 'existing' ? query.report : null;
      const done = (
        query.done === 'verified' || isOwnerAction(query.done) ? query.done : null
      ) as Done | null;
      const codeSent = (
        ['sent', 'wait', 'no-phone'].includes(query.code ?? '') ? query.code : null
      ) as CodeSent | null;
      const pending = isOwnerAction(query.action) ? query.action : null;
      return showCase(request, reply, l, referenceOf(request), 200, { reported, done, codeSent, pending });
    },
  );

  app.post('/cases/:reference/verify', posted, async (request, reply) => {
    const l = localize(request, reply);
    const reference = referenceOf(request);
    const code = (fieldsOf(request.body).code ?? '').replace(/\s/g, '');
    if (!CODE.test(code))
      return showCase(request, reply, l, reference, 400, { error: l.t('case.code.format') });
    const outcome = await desk.cases.verify(reference, code);
    if (outcome === 'verified')
      return reply.redirect(`/cases/${normaliseReference(reference)}?done=verified`, 303);
    return showCase(request, reply, l, reference, 400, { error: l.t(`case.outcome.${outcome}`) });
  });

  app.post('/cases/:reference/code', posted, async (request, reply) => {
    const l = localize(request, reply);
    const reference = referenceOf(request);
    const action = fieldsOf(request.body).action;
    try {
      const sent = await desk.cases.sendCode(reference);
      const next = isOwnerAction(action) ? `&action=${action}` : '';
      return reply.redirect(`/cases/${normaliseReference(reference)}?code=${sent}${next}`, 303);
    } catch (error) {
      if (error instanceof CaseNotFoundError) return showCase(request, reply, l, reference, 404, {});
      throw error;
    }
  });

  app.post('/cases/:reference/act', posted, async (request, reply) => {
    const l = localize(request, reply);
    const reference = referenceOf(request);
    const body = fieldsOf(request.body);
    const action = body.action;
    const impossible = { error: l.t('case.action.impossible') };
    if (!isOwnerAction(action)) return showCase(request, reply, l, reference, 400, impossible);
    const code = (body.code ?? '').replace(/\s/g, '');
    if (!CODE.test(code))
      return showCase(request, reply, l, reference, 400, { pending: action, error: l.t('case.code.format') });
    const view = await desk.cases.publicView(normaliseReference(reference) ?? '');
    if (!view) return showCase(request, reply, l, reference, 404, {});
    try {
      // Refuse an action the state does not allow before the code is spent on it (mode only matters to verify).
      transition(view.state, action, 'owner', 'block');
      const outcome = await desk.cases.ownerAct(view.reference, code, action, 'owner action on the portal');
      if (outcome === 'verified') return reply.redirect(`/cases/${view.reference}?done=${action}`, 303);
      return showCase(request, reply, l, reference, 400, {
        pending: action,
        error: l.t(`case.outcome.${outcome}`),
      });
    } catch (error) {
      const changed = error instanceof CasesInputError && error.code === 'CASE_CHANGED';
      if (error instanceof CaseTransitionError || changed)
        return showCase(request, reply, l, reference, 409, impossible);
      throw error;
    }
  });

  // ---- appeals ----

  app.get('/appeal', lookup('reference'), async (request, reply) => {
    const l = localize(request, reply);
    const query = fieldsOf(request.query);
    if (query.reference === undefined) {
      const values: AppealValues = { ...EMPTY_APPEAL, imei: query.id ?? '' };
      return html(reply, 200, appealPage(l, request, version, { values, days }));
    }
    const reference = normaliseReference(query.reference);
    const appeal = reference?.startsWith('A-') ? await desk.appeals.get(reference) : null;
    if (!appeal) {
      const error = reference?.startsWith('A-') ? l.t('appeal.follow.unknown') : l.t('appeal.follow.invalid');
      return html(
        reply,
        reference ? 404 : 400,
        appealPage(l, request, version, {
          values: EMPTY_APPEAL,
          days,
          follow: { value: query.reference, error },
        }),
      );
    }
    const notice = query.filed === 'new' ? 'filed' : query.filed === 'existing' ? 'existing' : null;
    return html(reply, 200, appealStatusPage(l, request, version, { appeal, notice }));
  });

  app.post('/appeal', posted, async (request, reply) => {
    const l = localize(request, reply);
    const body = fieldsOf(request.body);
    const values = Object.fromEntries(APPEAL_FIELDS.map((name) => [name, body[name] ?? ''])) as AppealValues;
    try {
      const { record, existing } = await desk.appeals.file(
        {
          imei: values.imei,
          ground: values.ground,
          statement: values.statement,
          appellantName: values.appellantName,
          appellantPhone: values.appellantPhone,
          appellantEmail: values.appellantEmail,
          language: l.language,
        },
        'portal',
      );
      return reply.redirect(
        `/appeal?reference=${record.reference}&filed=${existing ? 'existing' : 'new'}`,
        303,
      );
    } catch (error) {
      if (!(error instanceof CasesInputError)) throw error;
      const errors = formErrors(l, error.problems, {
        fallback: 'imei',
        values,
        imeiFields: ['imei'],
        messages: error.code === 'NOTHING_TO_APPEAL' ? { imei: l.t('problem.nothingToAppeal') } : {},
      });
      return html(reply, 400, appealPage(l, request, version, { values, days, errors }));
    }
  });
}
