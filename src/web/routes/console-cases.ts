/**
 * The staff consoles over the cases part, server-rendered and usable without JavaScript:
 *   /console/cases                  police, operator care, regulator: cases, new case, bulk files
 *   /console/cases/:reference       one case with the reporter's contact (access-logged), its actions
 *   /console/alerts                 police (own unit), regulator: alerts (access-logged) and their handling
 *   /console/care                   operator care, regulator: status lookup, pairings, report for a customer
 *   /console/appeals[/:reference]   regulator: pending appeals and their decision
 * Every state-changing form is a POST carrying the session's CSRF token, answered by a 303 to the
 * page with a confirmation (post/redirect/get); a refusal comes back on the page, naming the field
 * and the rule. The bulk forms answer with the table of rows at once: sending a file again changes
 * nothing, so a reload is harmless.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ALERT_PERSONAL_FIELDS, ALERT_STATES, type AlertState } from '../../cases/alerts.ts';
import { APPEAL_PERSONAL_FIELDS, APPEAL_STATES, type AppealState } from '../../cases/appeals.ts';
import { importRecoveries, importReports } from '../../cases/bulk.ts';
import {
  CASE_PERSONAL_FIELDS,
  CaseNotFoundError,
  type CaseRecord,
  CasesInputError,
} from '../../cases/cases.ts';
import { CASE_STATES, type CaseState, CaseTransitionError, transition } from '../../cases/model.ts';
import type { Pairing } from '../../ledger/fold.ts';
import { type DeviceReport, RegistryInputError } from '../../registry/operations.ts';
import { formText } from '../console/form.ts';
import { type ConsoleLocalized, consoleLocalize } from '../console/language.ts';
import { csrfInput, sendConsolePage } from '../console/layout.ts';
import { alertsPage } from '../console/pages/alerts.ts';
import { appealPage, appealsPage } from '../console/pages/appeals.ts';
import { carePage } from '../console/pages/care.ts';
import { CASE_PURPOSES, type CasePurpose, casePage, PAGE_ACTIONS } from '../console/pages/case.ts';
import { type BulkKind, casesPage } from '../console/pages/cases.ts';
import {
  CASE_FIELD_LABELS,
  CASE_FIELD_PARAMS,
  type CaseFormValues,
  caseFormValues,
  EMPTY_CASE_FORM,
  NO_ERRORS,
  type PageErrors,
  pageErrors,
  queryText,
  reportInput,
} from '../console/pages/common.ts';
import type { AppContext } from '../context.ts';
import { html, type SafeHtml } from '../portal/html.ts';
import { boundaryOf, readMultipart } from '../portal/multipart.ts';
import { alertScope, caseActor, caseScope, logRead, maySeeCase, staffChannel, staffOf } from '../staff.ts';

const CASE_ROLES = ['police', 'operator', 'regulator'] as const;
const ALERT_ROLES = ['police', 'regulator'] as const;
const CARE_ROLES = ['operator', 'regulator'] as const;
/** A bulk file of 10 000 rows fits well within this. */
const BULK_BODY_LIMIT = 8 * 1024 * 1024;
const FORM_BODY_LIMIT = 64 * 1024;

type Done = Record<string, Parameters<ConsoleLocalized['t']>[0]>;
const CASE_DONE: Done = {
  opened: 'done.opened',
  existing: 'done.existing',
  recover: 'done.recover',
  unblock: 'done.unblock',
  block: 'done.block',
  track: 'done.track',
  withdraw: 'done.withdraw',
  reject: 'done.reject',
};
const ALERT_DONE: Done = {
  acknowledged: 'done.acknowledged',
  'following-up': 'done.followingUp',
  closed: 'done.closed',
  recovered: 'done.recover',
};

const personalFieldsOf = (record: CaseRecord) => CASE_PERSONAL_FIELDS.filter((f) => record[f] !== null);

/** A refusal of a case action as a sentence for the page (the API's sendCaseError, in words). */
function caseErrorText(l: ConsoleLocalized, error: unknown): { text: string; status: number } {
  if (error instanceof CaseTransitionError)
    return error.code === 'NOT_ALLOWED'
      ? { text: l.t('error.notAllowed', { detail: error.message }), status: 403 }
      : { text: l.t('error.wrongState', { detail: error.message }), status: 409 };
  if (error instanceof CasesInputError)
    return {
      text: l.t('error.caseChanged', { detail: error.message }),
      status: error.code === 'CASE_CHANGED' ? 409 : 400,
    };
  if (error instanceof CaseNotFoundError) return { text: l.t('notFound.case'), status: 404 };
  throw error;
}

function notFound(request: FastifyRequest, reply: FastifyReply, what: 'case' | 'alert' | 'appeal') {
  const l = consoleLocalize(request, reply);
  return sendConsolePage(l, request, reply, {
    title: l.t('notFound.title'),
    status: 404,
    body: html`<p>${l.t(`notFound.${what}`)}</p><p><a href="/console/">${l.t('forbidden.home')}</a></p>`,
  });
}

const see = (path: string) => (reply: FastifyReply) => reply.code(303).header('location', path).send();

export async function consoleCaseRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  await app.register(async (scope) => {
    // Bulk forms send a file: multipart/form-data read whole into fields (the CSRF field among them).
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: BULK_BODY_LIMIT },
      (request, body, done) => {
        const boundary = boundaryOf(String(request.headers['content-type'] ?? ''));
        if (!boundary)
          return done(Object.assign(new Error('multipart body without a boundary'), { statusCode: 400 }));
        done(null, readMultipart(body as Buffer, boundary));
      },
    );
    casePages(scope, context);
    alertPages(scope, context);
    carePages(scope, context);
    appealPages(scope, context);
  });
}

function casePages(app: FastifyInstance, context: AppContext): void {
  const { desk } = context;
  const options = { schema: { hide: true }, config: { access: [...CASE_ROLES] } };

  async function renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      form?: { values: CaseFormValues; errors: PageErrors };
      bulkResult?: Parameters<typeof casesPage>[1]['bulkResult'];
      bulkError?: { kind: BulkKind; message: SafeHtml };
      status?: number;
    } = {},
  ) {
    const l = consoleLocalize(request, reply);
    const staff = staffOf(request);
    const stateText = queryText(request.query, 'state');
    const state = stateText === 'open' || CASE_STATES.includes(stateText as CaseState) ? stateText : '';
    const search = queryText(request.query, 'search').slice(0, 100);
    const cases = await desk.cases.list({
      state: (state || undefined) as CaseState | 'open' | undefined,
      search: search || undefined,
      ...caseScope(staff),
    });
    return sendConsolePage(l, request, reply, {
      title: l.t('cases.title'),
      status: extra.status,
      body: casesPage(l, {
        cases,
        filter: { state, search },
        form: extra.form ?? { values: EMPTY_CASE_FORM, errors: NO_ERRORS },
        regions: await desk.cases.regions(),
        bulk: staff.role === 'police' || staff.role === 'regulator',
        bulkResult: extra.bulkResult,
        bulkError: extra.bulkError,
        csrf: csrfInput(request),
      }),
    });
  }

  app.get('/console/cases', options, (request, reply) => renderList(request, reply));

  app.post('/console/cases', { ...options, bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
    const staff = staffOf(request);
    const values = caseFormValues(request.body, formText);
    try {
      const { record, existing } = await desk.cases.report(
        reportInput(values),
        caseActor(staff),
        staffChannel(staff),
      );
      if (existing && !maySeeCase(staff, record)) {
        const l = consoleLocalize(request, reply);
        const errors = pageErrors(
          l,
          [{ param: 'imei', reason: `an open case ${record.reference} of another organisation covers it` }],
          { labels: CASE_FIELD_LABELS, fallback: 'imei' },
        );
        return renderList(request, reply, { form: { values, errors }, status: 409 });
      }
      return see(`/console/cases/${record.reference}?done=${existing ? 'existing' : 'opened'}`)(reply);
    } catch (error) {
      if (!(error instanceof CasesInputError)) throw error;
      const l = consoleLocalize(request, reply);
      const errors = pageErrors(l, error.problems, {
        fields: CASE_FIELD_PARAMS,
        labels: CASE_FIELD_LABELS,
        fallback: 'imei',
      });
      return renderList(request, reply, { form: { values, errors }, status: 400 });
    }
  });

  for (const [kind, path, run] of [
    ['reports', '/console/cases/import', importReports],
    ['recoveries', '/console/cases/recoveries', importRecoveries],
  ] as const) {
    app.post(
      path,
      { ...options, bodyLimit: BULK_BODY_LIMIT, config: { access: ['police', 'regulator'] } },
      async (request, reply) => {
        const l = consoleLocalize(request, reply);
        const text =
          formText(request.body, `${kind}-file`, true) || formText(request.body, `${kind}-csv`, true);
        if (!text.trim())
          return renderList(request, reply, {
            bulkError: { kind, message: html`${l.t('bulk.missing')}` },
            status: 400,
          });
        try {
          const report = await run(desk.cases, text, caseActor(staffOf(request)));
          return renderList(request, reply, { bulkResult: { kind, report } });
        } catch (error) {
          if (!(error instanceof CasesInputError)) throw error;
          const message = html`${l.t('bulk.file')}: <span lang="en" dir="ltr">${error.message}</span>`;
          return renderList(request, reply, { bulkError: { kind, message }, status: 400 });
        }
      },
    );
  }

  async function renderCase(
    request: FastifyRequest,
    reply: FastifyReply,
    record: CaseRecord,
    extra: { error?: string; status?: number } = {},
  ) {
    const l = consoleLocalize(request, reply);
    const staff = staffOf(request);
    const asked = queryText(request.query, 'purpose');
    const purpose: CasePurpose = CASE_PURPOSES.includes(asked as CasePurpose)
      ? (asked as CasePurpose)
      : 'case handling';
    await logRead(context, request, {
      kind: 'case',
      id: record.reference,
      fields: personalFieldsOf(record),
      why: purpose,
    });
    const seesAlerts = staff.role === 'police' || staff.role === 'regulator';
    const alerts = seesAlerts
      ? await desk.alerts.list({ caseReference: record.reference, policeUnit: alertScope(staff) })
      : null;
    for (const alert of alerts ?? [])
      await logRead(context, request, {
        kind: 'alert',
        id: alert.id,
        fields: [...ALERT_PERSONAL_FIELDS],
        why: purpose,
      });
    const actor = caseActor(staff);
    const allowed = PAGE_ACTIONS.map((a) => a.action).filter((action) => {
      try {
        transition(record.state, action, actor.kind, record.mode);
        return true;
      } catch {
        return false;
      }
    });
    const done = CASE_DONE[queryText(request.query, 'done')];
    return sendConsolePage(l, request, reply, {
      title: l.t('case.title', { reference: record.reference }),
      status: extra.status,
      body: casePage(l, {
        record,
        events: await desk.cases.events(record.reference),
        alerts,
        purpose,
        allowed,
        notice: done ? l.t(done, { reference: record.reference }) : undefined,
        error: extra.error,
        csrf: csrfInput(request),
      }),
    });
  }

  app.get<{ Params: { reference: string } }>('/console/cases/:reference', options, async (request, reply) => {
    const record = await desk.cases.get(request.params.reference);
    if (!record || !maySeeCase(staffOf(request), record)) return notFound(request, reply, 'case');
    return renderCase(request, reply, record);
  });

  app.post<{ Params: { reference: string } }>(
    '/console/cases/:reference/actions',
    { ...options, bodyLimit: FORM_BODY_LIMIT },
    async (request, reply) => {
      const staff = staffOf(request);
      const record = await desk.cases.get(request.params.reference);
      if (!record || !maySeeCase(staff, record)) return notFound(request, reply, 'case');
      const action = PAGE_ACTIONS.find((a) => a.action === formText(request.body, 'action'))?.action;
      const l = consoleLocalize(request, reply);
      if (!action) return renderCase(request, reply, record, { error: l.t('error.action'), status: 400 });
      const note = formText(request.body, `note-${action}`) || null;
      try {
        await desk.cases.act(record.reference, action, caseActor(staff), note);
      } catch (error) {
        const { text, status } = caseErrorText(l, error);
        const now = (await desk.cases.get(record.reference)) ?? record;
        return renderCase(request, reply, now, { error: text, status });
      }
      // The alert list's "Mark case recovered" comes back to the alerts.
      if (formText(request.body, 'back') === 'alerts')
        return see(`/console/alerts?done=recovered&case=${record.reference}`)(reply);
      return see(`/console/cases/${record.reference}?done=${action}`)(reply);
    },
  );
}

function alertPages(app: FastifyInstance, context: AppContext): void {
  const { desk } = context;
  const options = { schema: { hide: true }, config: { access: [...ALERT_ROLES] } };

  async function renderAlerts(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: string; status?: number } = {},
  ) {
    const l = consoleLocalize(request, reply);
    const staff = staffOf(request);
    const query = request.query as Record<string, unknown>;
    // No state in the address means the open ones; an empty state (chosen in the filter) means all.
    const asked = 'state' in query ? queryText(query, 'state') : 'open';
    const state = asked === 'open' || ALERT_STATES.includes(asked as AlertState) ? asked : '';
    const alerts = await desk.alerts.list({
      policeUnit: alertScope(staff),
      state: (state || undefined) as AlertState | 'open' | undefined,
    });
    for (const alert of alerts)
      await logRead(context, request, {
        kind: 'alert',
        id: alert.id,
        fields: [...ALERT_PERSONAL_FIELDS],
        why: 'alert follow-up',
      });
    const done = ALERT_DONE[queryText(query, 'done')];
    const reference = queryText(query, 'case');
    return sendConsolePage(l, request, reply, {
      title: l.t('alerts.title'),
      status: extra.status,
      body: alertsPage(l, {
        alerts,
        state,
        notice: done ? l.t(done, { reference }) : undefined,
        error: extra.error,
        csrf: csrfInput(request),
      }),
    });
  }

  app.get('/console/alerts', options, (request, reply) => renderAlerts(request, reply));

  /** The alert, when the user's unit may handle it. */
  async function alertOf(request: FastifyRequest, id: string) {
    const alert = await desk.alerts.get(id);
    const scope = alertScope(staffOf(request));
    return alert && (scope === null || alert.policeUnit === scope) ? alert : null;
  }

  app.post<{ Params: { id: string } }>(
    '/console/alerts/:id',
    { ...options, bodyLimit: FORM_BODY_LIMIT },
    async (request, reply) => {
      const alert = await alertOf(request, request.params.id);
      if (!alert) return notFound(request, reply, 'alert');
      const state = formText(request.body, 'state') as AlertState;
      if (!ALERT_STATES.includes(state) || state === 'new') {
        const l = consoleLocalize(request, reply);
        return renderAlerts(request, reply, { error: l.t('error.alertState'), status: 400 });
      }
      const note = formText(request.body, `note-${alert.id}`) || null;
      await desk.alerts.setState(alert.id, state, staffOf(request).username, note);
      return see(`/console/alerts?done=${state}&case=${alert.caseReference}`)(reply);
    },
  );
}

function carePages(app: FastifyInstance, context: AppContext): void {
  const { desk, registry } = context;
  const options = { schema: { hide: true }, config: { access: [...CARE_ROLES] } };
  const PAIR_FIELDS: Readonly<Record<string, string>> = {
    'path id': 'pair-imei',
    'body imsi': 'pair-imsi',
    'body msisdn': 'pair-msisdn',
  };
  const PAIR_LABELS = {
    'pair-imei': 'case.imei',
    'pair-imsi': 'alert.imsi',
    'pair-msisdn': 'alert.msisdn',
  } as const;

  /** The ledger source care staff pair under: their operator's, or the regulator's. */
  const sourceOf = (request: FastifyRequest): string | null => {
    const staff = staffOf(request);
    if (staff.role === 'regulator') return 'regulator';
    const operatorId = staff.organisation?.operatorId;
    return operatorId ? `operator:${operatorId}` : null;
  };

  async function renderCare(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      pairing?: { values: Record<string, string>; errors: PageErrors };
      report?: { values: CaseFormValues; errors: PageErrors };
      status?: number;
    } = {},
  ) {
    const l = consoleLocalize(request, reply);
    const staff = staffOf(request);
    const source = sourceOf(request) ?? l.t('none');
    const lookup = queryText(request.query, 'device').slice(0, 40);
    let device: DeviceReport | undefined;
    let lookupError: SafeHtml | undefined;
    let pairings: readonly Pairing[] = [];
    if (lookup) {
      try {
        device = await registry.device(lookup);
        pairings = device.pairings.filter((p) => staff.role === 'regulator' || p.source === source);
      } catch (error) {
        if (!(error instanceof RegistryInputError)) throw error;
        lookupError = html`${l.t('case.imei')}: <span lang="en" dir="ltr">${error.problems.map((p) => p.reason).join('; ')}</span>`;
      }
    }
    if (device && pairings.length > 0)
      await logRead(context, request, {
        kind: 'pairing',
        id: device.deviceKey,
        fields: pairings.some((p) => p.msisdn) ? ['imsi', 'msisdn'] : ['imsi'],
        why: 'customer care',
      });
    const query = request.query as Record<string, unknown>;
    const done = queryText(query, 'done');
    const reported = queryText(query, 'reported');
    const existing = queryText(query, 'existing');
    const notice =
      done === 'paired' || done === 'unpaired'
        ? l.t(done === 'paired' ? 'done.paired' : 'done.unpaired', { imei: lookup })
        : /^C-[0-9A-Z-]+$/.test(reported)
          ? html`${l.t('done.reported', { reference: reported })} <a href="/console/cases/${reported}">${l.t('done.reported.open')}</a>`
          : /^C-[0-9A-Z-]+$/.test(existing)
            ? l.t('done.existingElsewhere', { reference: existing })
            : undefined;
    return sendConsolePage(l, request, reply, {
      title: l.t('care.title'),
      status: extra.status ?? (lookupError ? 400 : 200),
      body: carePage(l, {
        lookup,
        lookupError,
        device,
        pairings,
        source,
        pairing: extra.pairing ?? { values: { 'pair-imei': lookup }, errors: NO_ERRORS },
        report: extra.report ?? { values: EMPTY_CASE_FORM, errors: NO_ERRORS },
        regions: await desk.cases.regions(),
        notice,
        csrf: csrfInput(request),
      }),
    });
  }

  app.get('/console/care', options, (request, reply) => renderCare(request, reply));

  app.post('/console/care/pairings', { ...options, bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
    const l = consoleLocalize(request, reply);
    const staff = staffOf(request);
    const action = formText(request.body, 'action') === 'unpair' ? 'unpair' : 'pair';
    const values = {
      'pair-imei': formText(request.body, 'pair-imei'),
      'pair-imsi': formText(request.body, 'pair-imsi'),
      'pair-msisdn': formText(request.body, 'pair-msisdn'),
    };
    const own = sourceOf(request);
    // The regulator may remove a pairing of any source; care staff only their operator's.
    const asked = formText(request.body, 'pair-source');
    const source = action === 'unpair' && staff.role === 'regulator' && asked ? asked : own;
    const refuse = (problems: { param: string; reason: string }[]) =>
      renderCare(request, reply, {
        pairing: {
          values,
          errors: pageErrors(l, problems, {
            fields: PAIR_FIELDS,
            labels: PAIR_LABELS,
            fallback: 'pair-imei',
          }),
        },
        status: 400,
      });
    if (!source) return refuse([{ param: 'pair-imei', reason: 'your organisation has no operator id' }]);
    if (!values['pair-imei']) return refuse([{ param: 'pair-imei', reason: 'is required' }]);
    if (!values['pair-imsi']) return refuse([{ param: 'pair-imsi', reason: 'is required' }]);
    try {
      await registry.pair(values['pair-imei'], action, {
        imsi: values['pair-imsi'],
        msisdn: values['pair-msisdn'] || undefined,
        source,
        note: `${action === 'pair' ? 'paired' : 'unpaired'} in customer care by ${staff.username}`,
      });
      const lookup = encodeURIComponent(values['pair-imei']);
      return see(`/console/care?device=${lookup}&done=${action === 'pair' ? 'paired' : 'unpaired'}#pairings`)(
        reply,
      );
    } catch (error) {
      if (!(error instanceof RegistryInputError)) throw error;
      return refuse([...error.problems]);
    }
  });

  app.post('/console/care/report', { ...options, bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
    const staff = staffOf(request);
    const values = caseFormValues(request.body, formText);
    try {
      const { record, existing } = await desk.cases.report(
        reportInput(values),
        caseActor(staff),
        staffChannel(staff),
      );
      if (existing && !maySeeCase(staff, record))
        return see(`/console/care?existing=${record.reference}#report`)(reply);
      return see(`/console/care?reported=${record.reference}`)(reply);
    } catch (error) {
      if (!(error instanceof CasesInputError)) throw error;
      const errors = pageErrors(consoleLocalize(request, reply), error.problems, {
        fields: CASE_FIELD_PARAMS,
        labels: CASE_FIELD_LABELS,
        fallback: 'imei',
      });
      return renderCare(request, reply, { report: { values, errors }, status: 400 });
    }
  });
}

function appealPages(app: FastifyInstance, context: AppContext): void {
  const { desk } = context;
  const options = { schema: { hide: true }, config: { access: ['regulator'] as const } };

  app.get('/console/appeals', options, async (request, reply) => {
    const l = consoleLocalize(request, reply);
    const query = request.query as Record<string, unknown>;
    const asked = 'state' in query ? queryText(query, 'state') : 'pending';
    const state = asked === 'pending' || APPEAL_STATES.includes(asked as AppealState) ? asked : '';
    // The list shows no appellant data (no name, contact or statement), so it is not access-logged.
    const appeals = await desk.appeals.list({
      state: (state || undefined) as AppealState | 'pending' | undefined,
    });
    return sendConsolePage(l, request, reply, {
      title: l.t('appeals.title'),
      body: appealsPage(l, { appeals, state }),
    });
  });

  async function renderAppeal(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    extra: { outcomes?: Record<string, string>; note?: string; errors?: PageErrors; status?: number } = {},
  ) {
    const appeal = await desk.appeals.get(reference);
    if (!appeal) return notFound(request, reply, 'appeal');
    const l = consoleLocalize(request, reply);
    await logRead(context, request, {
      kind: 'appeal',
      id: appeal.reference,
      fields: APPEAL_PERSONAL_FIELDS.filter((f) => appeal[f] !== null),
      why: 'appeal review',
    });
    const done = queryText(request.query, 'done') === 'decided';
    return sendConsolePage(l, request, reply, {
      title: l.t('appeal.title', { reference: appeal.reference }),
      status: extra.status,
      body: appealPage(l, {
        appeal,
        outcomes: extra.outcomes ?? {},
        note: extra.note ?? '',
        errors: extra.errors ?? NO_ERRORS,
        notice: done ? l.t('done.decided', { state: l.t(`appealState.${appeal.state}`) }) : undefined,
        csrf: csrfInput(request),
      }),
    });
  }

  app.get<{ Params: { reference: string } }>('/console/appeals/:reference', options, (request, reply) =>
    renderAppeal(request, reply, request.params.reference),
  );

  app.post<{ Params: { reference: string } }>(
    '/console/appeals/:reference/decision',
    { ...options, bodyLimit: FORM_BODY_LIMIT },
    async (request, reply) => {
      const appeal = await desk.appeals.get(request.params.reference);
      if (!appeal) return notFound(request, reply, 'appeal');
      const codes = [...new Set(appeal.reasons.map((r) => r.reason))];
      const outcomes: Record<string, 'upheld' | 'overturned'> = {};
      for (const code of codes) {
        const value = formText(request.body, `outcome-${code}`);
        if (value === 'upheld' || value === 'overturned') outcomes[code] = value;
      }
      const note = formText(request.body, 'note');
      try {
        await desk.appeals.decide(appeal.reference, outcomes, caseActor(staffOf(request)), note);
      } catch (error) {
        if (!(error instanceof CasesInputError)) throw error;
        const l = consoleLocalize(request, reply);
        const missing = codes.find((code) => !outcomes[code]) ?? codes[0] ?? 'note';
        const labels = Object.fromEntries([
          ...codes.map((code) => [`outcome-${code}`, 'appeal.outcome'] as const),
          ['note', 'appeal.note'] as const,
        ]);
        const errors = pageErrors(l, error.problems, {
          fields: { outcomes: `outcome-${missing}`, reference: 'note' },
          labels,
          fallback: 'note',
        });
        return renderAppeal(request, reply, appeal.reference, { outcomes, note, errors, status: 400 });
      }
      return see(`/console/appeals/${appeal.reference}?done=decided`)(reply);
    },
  );
}
