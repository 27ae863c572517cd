/**
 * The public portal: server-rendered pages that work without JavaScript, in the six UN languages.
 *   GET  /                         what the service is, the check form, links
 *   GET  /check[?id=]              the form; the status of a device in plain language
 *   GET  /check/certificate?id=&format=json|html   a signed status certificate (file or printable page)
 *   GET  /certificates/verify[?c=] the verification form; a QR link's certificate verified
 *   POST /certificates/verify      a pasted or uploaded certificate verified
 *   GET  /certificates/key         the registry's public key (PEM), to verify offline
 *   GET  /assets/portal.css        the stylesheet
 * Checks, certificates and verifications are rate-limited per client address (docs/portal.md).
 */
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import {
  buildStatement,
  certificateJson,
  encodeCompact,
  issueCertificate,
  parseCertificate,
  type Verification,
  verifyCertificate,
} from '../../check/certificate.ts';
import type { AppContext } from '../context.ts';
import { problem } from '../errors.ts';
import { answerFor, indexAtHead, readIdentifier } from '../portal/device-check.ts';
import { localize } from '../portal/language.ts';
import { publicRateLimit, RateLimited } from '../portal/limits.ts';
import { boundaryOf, readMultipart } from '../portal/multipart.ts';
import { certificatePage } from '../portal/pages/certificate.ts';
import { checkAnswerPage, checkFormPage } from '../portal/pages/check.ts';
import { homePage } from '../portal/pages/home.ts';
import { limitedPage, messagePage } from '../portal/pages/limited.ts';
import { verifyPage } from '../portal/pages/verify.ts';
import { PORTAL_CSS, PORTAL_CSS_HASH, PORTAL_CSS_PATH } from '../portal/styles.ts';

const HTML = 'text/html; charset=utf-8';
/** A certificate is a few hundred bytes; a pasted or uploaded one never needs more than this. */
const VERIFY_BODY_LIMIT = 64 * 1024;

type Query = Record<string, string | undefined>;
const queryOf = (request: FastifyRequest): Query => (request.query ?? {}) as Query;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Registers the portal. Form bodies (application/x-www-form-urlencoded) and the rate limiter
 * (`global: false`: only routes with `config.rateLimit`) are registered app-wide here, so the other
 * public forms (report, case, appeal) use them with `config: { rateLimit: publicRateLimit(context) }`.
 */
export async function portalRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  if (!app.hasDecorator('rateLimit'))
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, limit) => new RateLimited(Math.max(1, Math.ceil(limit.ttl / 1000))),
    });
  await app.register(async (portal) => portalPages(portal, context));
}

function portalPages(app: FastifyInstance, context: AppContext): void {
  const version = context.version;
  const limited = publicRateLimit(context);
  const route = { schema: { hide: true }, config: { access: 'public' as const } };

  app.setErrorHandler((error, request, reply) => {
    if (!(error instanceof RateLimited)) throw error;
    const l = localize(request, reply);
    // The limiter has already set Retry-After and the x-ratelimit-* headers.
    return reply
      .code(429)
      .type(HTML)
      .send(limitedPage(l, request, version, error.retryAfterSeconds));
  });

  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: VERIFY_BODY_LIMIT },
    (request, body, done) => {
      const boundary = boundaryOf(String(request.headers['content-type'] ?? ''));
      if (!boundary)
        return done(Object.assign(new Error('multipart body without a boundary'), { statusCode: 400 }));
      done(null, readMultipart(body as Buffer, boundary));
    },
  );

  app.get(PORTAL_CSS_PATH, route, async (request, reply) => {
    const etag = `"${PORTAL_CSS_HASH}"`;
    reply.header('etag', etag);
    // The page links the sheet with its hash in the URL, so that URL never changes content.
    reply.header(
      'cache-control',
      queryOf(request).v === PORTAL_CSS_HASH ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    );
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('text/css; charset=utf-8').send(PORTAL_CSS);
  });

  app.get('/', route, async (request, reply) => {
    const l = localize(request, reply);
    return reply.type(HTML).send(homePage(l, request, version));
  });

  app.get(
    '/check',
    {
      ...route,
      // The empty form costs nothing; answers are limited.
      config: {
        ...route.config,
        rateLimit: { ...limited, allowList: (r) => text(queryOf(r).id) === undefined },
      },
    },
    async (request, reply) => {
      const l = localize(request, reply);
      const id = text(queryOf(request).id);
      if (id === undefined)
        return reply.type(HTML).send(checkFormPage(l, request, version, { value: '', problem: null }));
      const read = readIdentifier(id);
      if (!read.ok)
        return reply
          .code(400)
          .type(HTML)
          .send(checkFormPage(l, request, version, { value: id, problem: read.problem }));
      const answer = await answerFor(context, context.checks.index, read.identifier);
      reply.header('cache-control', 'no-store');
      return reply.type(HTML).send(checkAnswerPage(l, request, version, answer));
    },
  );

  app.get(
    '/check/certificate',
    { ...route, config: { ...route.config, rateLimit: limited } },
    async (request, reply) => {
      const l = localize(request, reply);
      const query = queryOf(request);
      const id = text(query.id) ?? '';
      const asJson = text(query.format) === 'json';
      const read = readIdentifier(id);
      if (!read.ok) {
        if (asJson)
          return problem(reply, {
            title: 'Bad request',
            status: 400,
            detail: l.t(read.problem.key, read.problem.params),
            cause: 'INVALID_IDENTIFIER',
          });
        return reply
          .code(400)
          .type(HTML)
          .send(checkFormPage(l, request, version, { value: id, problem: read.problem }));
      }
      const at = await indexAtHead(context);
      if (!at) {
        reply.code(503).header('retry-after', '2');
        return reply
          .type(HTML)
          .send(messagePage(l, request, version, l.t('certificate.title'), l.t('certificate.busy')));
      }
      const answer = await answerFor(context, at.index, read.identifier);
      const signer = context.ledger.signer;
      const certificate = issueCertificate(
        buildStatement({
          deviceKey: answer.deviceKey,
          identifier: answer.identifier,
          status: answer.status,
          reasons: answer.reasons,
          checkedAt: answer.checkedAt,
          treeSize: at.head.size,
          rootHashHex: at.head.rootHash.toString('hex'),
          keyId: signer.keyId,
        }),
        (bytes) => signer.signStatement(bytes),
      );
      reply.header('cache-control', 'no-store');
      if (asJson) {
        return reply
          .type('application/json')
          .header(
            'content-disposition',
            `attachment; filename="openceir-certificate-${answer.identifier}.json"`,
          )
          .send(certificateJson(certificate));
      }
      const base = (context.config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
      const verifyUrl = `${base}/certificates/verify?c=${encodeCompact(certificate)}`;
      const qrSvg = await QRCode.toString(verifyUrl, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
      return reply
        .type(HTML)
        .send(certificatePage(l, request, version, { certificate, model: answer.model, verifyUrl, qrSvg }));
    },
  );

  const verifyText = async (input: string): Promise<Verification> => {
    const parsed = parseCertificate(input);
    if (!parsed.ok) return { valid: false, reason: 'malformed', field: parsed.field, detail: parsed.detail };
    const keyId = parsed.certificate.statement.issuer.keyId;
    // Every key this registry has signed with (a rotated key still verifies its old certificates).
    const pem = (await context.ledger.publicKeys()).get(keyId);
    if (!pem) return { valid: false, reason: 'unknown-key', keyId };
    return verifyCertificate(parsed.certificate, pem);
  };

  const answerVerify = async (request: FastifyRequest, reply: FastifyReply, input: string | undefined) => {
    const l = localize(request, reply);
    const value = input?.trim() ?? '';
    if (input === undefined)
      return reply
        .type(HTML)
        .send(verifyPage(l, request, version, { value: '', empty: false, result: null }));
    if (value === '')
      return reply
        .code(400)
        .type(HTML)
        .send(verifyPage(l, request, version, { value, empty: true, result: null }));
    const result = await verifyText(value);
    return reply.type(HTML).send(verifyPage(l, request, version, { value, empty: false, result }));
  };

  app.get(
    '/certificates/verify',
    {
      ...route,
      config: {
        ...route.config,
        rateLimit: { ...limited, allowList: (r) => text(queryOf(r).c) === undefined },
      },
    },
    async (request, reply) => answerVerify(request, reply, text(queryOf(request).c)),
  );

  app.post(
    '/certificates/verify',
    { ...route, bodyLimit: VERIFY_BODY_LIMIT, config: { ...route.config, rateLimit: limited } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      // A chosen file wins over the text box; an empty file field is no file.
      const file = text(body.file)?.trim();
      return answerVerify(request, reply, file ? file : (text(body.certificate) ?? ''));
    },
  );

  app.get('/certificates/key', route, async (_request, reply) =>
    reply
      .type('application/x-pem-file')
      .header('content-disposition', 'inline; filename="openceir-registry-key.pem"')
      .send(context.ledger.signer.publicKeyPem),
  );
}
