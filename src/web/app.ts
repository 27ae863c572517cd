/**
 * The Fastify application: REST API with its OpenAPI document and browsable UI, health, metrics.
 * Routes are registered per resource from `routes/`; this file only assembles them.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from 'fastify';
import type { Accounts } from '../accounts/accounts.ts';
import type { CheckService } from '../check/service.ts';
import { installAccessControl } from './access.ts';
import { installAdmission } from './admission.ts';
import { consoleAuthRoutes } from './console/auth.ts';
import { consoleRefusal } from './console/refusal.ts';
import type { AppContext } from './context.ts';
import { installNulRefusal } from './nul.ts';
import { PROBLEM_CONTENT_TYPE, type ProblemBody } from './problem.ts';
import { caseRoutes } from './routes/cases.ts';
import { checkRoutes } from './routes/check.ts';
import { consoleCaseRoutes } from './routes/console-cases.ts';
import { consolePolicyRoutes } from './routes/console-policy.ts';
import { consoleStatisticsRoutes } from './routes/console-statistics.ts';
import { demoPhoneRoutes } from './routes/demo-phone.ts';
import { deviceRoutes } from './routes/devices.ts';
import { exchangeMatchingRoutes } from './routes/exchange-matching.ts';
import { exchangeOperatorRoutes } from './routes/exchange-operators.ts';
import { exchangePeerRoutes } from './routes/exchange-peers.ts';
import { fileRoutes } from './routes/files.ts';
import { healthRoutes } from './routes/health.ts';
import { identifierRoutes } from './routes/identifiers.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { openDataRoutes } from './routes/open-data.ts';
import { portalRoutes } from './routes/public.ts';
import { casePortalRoutes } from './routes/public-cases.ts';
import { ruleRoutes } from './routes/rules.ts';
import { sightingRoutes } from './routes/sightings.ts';

/** Fastify's validation message names the field as "querystring/value"; we say "query value". */
function invalidParams(error: FastifyError): ProblemBody['invalidParams'] {
  const where = { querystring: 'query', body: 'body', params: 'path', headers: 'header' } as const;
  const context = where[(error.validationContext ?? 'body') as keyof typeof where] ?? 'body';
  return (error.validation ?? []).map((issue) => {
    const missing = (issue.params as { missingProperty?: string }).missingProperty;
    const field = missing ?? issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
    return { param: `${context} ${field}`.trim(), reason: missing ? 'is required' : issue.message };
  });
}

/** What every OpenCEIR HTTP app shares: logging, access control, OpenAPI, error answers, health and metrics. */
export interface BaseContext {
  readonly logger: AppContext['logger'];
  readonly metrics: AppContext['metrics'];
  readonly version: string;
  readonly adminApiKey: string;
  /** Staff accounts: sessions and API keys besides the admin key; absent, only the admin key is accepted. */
  readonly accounts?: Accounts;
  /**
   * HTTPS (`tls.*` settings). With `clientCa` the listener asks for a client certificate without
   * requiring one (the portal stays open to all); access.ts decides what a verified one proves.
   */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer; readonly clientCa: Buffer | null } | null;
  /** REST requests handled at once; more are refused 429 (admission.ts). Absent or 0: no bound. */
  readonly maxInFlight?: number;
  /** Readiness of each dependency: "ok" or what is wrong; `ready` false answers 503. */
  readiness(): Promise<{ ready: boolean; checks: Record<string, string> }>;
}

async function baseApp(
  context: BaseContext,
  tags: { name: string; description: string }[],
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: context.logger as FastifyBaseLogger,
    // Per-request lines would log identifiers from query strings (personal data, and noise): requests
    // are counted in /metrics instead, and failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    ...(context.tls
      ? {
          https: {
            cert: context.tls.cert,
            key: context.tls.key,
            ...(context.tls.clientCa
              ? { ca: context.tls.clientCa, requestCert: true, rejectUnauthorized: false }
              : {}),
          },
        }
      : {}),
  }) as unknown as FastifyInstance;

  // Before access control: a flood is refused before any credential is checked.
  installAdmission(app, context.maxInFlight ?? 0);
  installAccessControl(app, context.adminApiKey, context.accounts, { refusalPage: consoleRefusal });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpenCEIR API',
        version: context.version,
        description:
          'Central Equipment Identity Register: identifier catalogue, device status, real-time checks, ledger. ' +
          'Errors are RFC 9457 problem details.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      tags: [...tags, { name: 'operations', description: 'Health, readiness and metrics' }],
      components: {
        securitySchemes: {
          adminApiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'The admin API key (OPENCEIR_ADMIN_API_KEY)',
          },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      // Document which routes need the admin key.
      const access = (route.config as { access?: string } | undefined)?.access;
      return { schema: access === 'admin' ? { ...schema, security: [{ adminApiKey: [] }] } : schema, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      return reply
        .code(400)
        .type(PROBLEM_CONTENT_TYPE)
        .send({
          title: 'Bad request',
          status: 400,
          detail: error.message,
          cause: 'INVALID_REQUEST',
          invalidParams: invalidParams(error),
        } satisfies ProblemBody);
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'request failed');
    return reply
      .code(status)
      .type(PROBLEM_CONTENT_TYPE)
      .send({
        title: status === 500 ? 'Internal error' : error.message,
        status,
        // A 500 says only that it failed; the log has the details, the user never sees a stack.
        ...(status === 500 ? { cause: 'INTERNAL_ERROR' } : { cause: error.code }),
      } satisfies ProblemBody);
  });

  installNulRefusal(app);

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send({
        title: 'Not found',
        status: 404,
        detail: `no resource at ${request.method} ${request.url.split('?')[0]}`,
        cause: 'NOT_FOUND',
      }),
  );

  rawBodyParsers(app);
  metricsRoutes(app, context);
  healthRoutes(app, context);
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );
  return app;
}

/** Request bodies read as streams: uploaded files and bulk checks can be hundreds of megabytes. */
function rawBodyParsers(app: FastifyInstance): void {
  app.addContentTypeParser(
    ['text/csv', 'text/plain', 'application/zip', 'application/octet-stream', 'application/x-ndjson'],
    (_request, payload, done) => done(null, payload),
  );
}

/** The registry's app (all-in-one and registry roles). */
export async function buildApp(context: AppContext): Promise<FastifyInstance> {
  const app = await baseApp(context, [
    {
      name: 'devices',
      description: 'Device status: block, track, allow, pair; status and history; sightings',
    },
    { name: 'check', description: 'Real-time equipment checks over REST: one device, or in bulk' },
    { name: 'rules', description: 'TAC, IMEI-range and IMSI rules, golden list, reason codes' },
    { name: 'lists', description: 'Bulk list import (DIRBS formats) and export' },
    { name: 'tac', description: 'TAC database: GSMA and Osmocom imports, models, history' },
    {
      name: 'ledger',
      description:
        'Signed, append-only ledger: heads, entries, proofs, snapshots (followed by check nodes and peers)',
    },
    { name: 'identifiers', description: 'Identifier catalogue and validation' },
    {
      name: 'cases',
      description: 'Theft and loss cases, police alerts and appeals (police, operator and regulator systems)',
    },
    { name: 'demo', description: 'Demo only: the built-in SMSC simulator’s handset' },
    {
      name: 'open data',
      description: 'Public statistics: aggregated, small cells suppressed, versioned schema',
    },
    {
      name: 'exchange',
      description: 'Exchange with operators and peer registries: matching, files, sync, audit',
    },
  ]);
  await portalRoutes(app, context);
  await casePortalRoutes(app, context);
  await consoleAuthRoutes(app, { accounts: context.accounts, version: context.version });
  await consoleCaseRoutes(app, context);
  consolePolicyRoutes(app, context);
  consoleStatisticsRoutes(app, context);
  caseRoutes(app, context);
  identifierRoutes(app);
  deviceRoutes(app, context);
  checkRoutes(app, context.checks);
  sightingRoutes(app, context);
  ruleRoutes(app, context);
  fileRoutes(app, context);
  ledgerRoutes(app, context);
  exchangeMatchingRoutes(app, context);
  openDataRoutes(app, context);
  exchangePeerRoutes(app, context);
  exchangeOperatorRoutes(app, context);
  if (context.smsSimulator) demoPhoneRoutes(app, context.smsSimulator, context.config.sms.shortCode);
  return app;
}

export interface CheckNodeContext extends BaseContext {
  readonly checks: CheckService;
}

/** A check node's app: health, metrics and the REST checks, answered from its own index. */
export async function buildCheckNodeApp(context: CheckNodeContext): Promise<FastifyInstance> {
  const app = await baseApp(context, [
    { name: 'check', description: 'Real-time equipment checks over REST: one device, or in bulk' },
  ]);
  checkRoutes(app, context.checks);
  return app;
}
