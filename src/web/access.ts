/**
 * Access decisions. Every route declares who may call it in `config.access`: `public`, `admin`, or
 * the staff roles it serves (`['police', 'regulator']`). A route registered without a valid
 * declaration stops the app from starting, so no endpoint is ever open by omission.
 *
 * A request proves who it is with, in this order: `Authorization: Bearer <admin key>` (the built-in
 * regulator principal), `Authorization: Bearer ok_…` (an organisation's API key, with the key's
 * role), or the console session cookie. `admin` means the regulator role, so the admin key, a
 * regulator's session and a regulator API key all pass; on reads (GET, HEAD) the auditor passes too.
 * Machines hold keys of roles that pass only where a route names them (`follower`: a check node;
 * `peer`: a peer registry), never on `admin`.
 * The principal is `request.staff`. Who calls each route, and why: permissions.ts.
 *
 * Over HTTPS with `tls.client_ca_file`, a client certificate that CA verified is a credential too:
 * without an Authorization header it acts as the API key bound to it (RFC 8705 §3), and a key bound to
 * a certificate is refused without it. Certificates alone never open the console, nor a request a
 * browser sends for another site (Origin): a browser presents certificates on its own, like cookies.
 *
 * Console forms are protected against cross-site requests by a token derived from the session
 * (OWASP CSRF cheat sheet, "signed double submit"): HMAC-SHA256 keyed by the session token, which
 * only the browser holding the HttpOnly cookie and the server know. Bearer requests need none: a
 * browser never adds an Authorization header on its own.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Accounts, CERTIFICATE_REQUIRED } from '../accounts/accounts.ts';
import { looksLikeApiKey } from '../accounts/api-keys.ts';
import { ADMIN_PRINCIPAL, API_KEY_ROLES, isRole, type Role, type Staff } from '../accounts/model.ts';
import { cookieValue } from './portal/language.ts';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';

export type Access = 'public' | 'admin' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** Who is calling, once access control has checked the credentials; null when no one proved anything. */
    staff: Staff | null;
  }
}

export const SESSION_COOKIE = 'openceir_session';
/** The form field (or `x-csrf-token` header) that carries the CSRF token on console POSTs. */
export const CSRF_FIELD = '_csrf';
const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A route as registered, with its declaration: what the permission table (permissions.ts) is checked against. */
export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
}

const declaredByApp = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every route of an app with its access, in the order registered (HEAD routes included). */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return declaredByApp.get(app) ?? [];
}

/** A 401 problem answer with its challenge (RFC 9110 §11.6.1). */
function unauthorized(reply: FastifyReply, challenge: string, detail: string, cause: string): FastifyReply {
  return reply
    .header('www-authenticate', challenge)
    .code(401)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ title: 'Unauthorized', status: 401, detail, cause });
}

/** The verified client certificate's fingerprint per connection: read once, not per request. */
const clientCerts = new WeakMap<object, string | null>();

/**
 * The SHA-256 fingerprint of the client certificate this request's TLS connection presented and the
 * configured client CAs verified; null over plain HTTP, without a certificate, or with one they did not sign.
 */
export function verifiedClientCert(request: FastifyRequest): string | null {
  const socket = request.raw.socket as Partial<TLSSocket> | undefined;
  if (!socket?.encrypted) return null;
  let fingerprint = clientCerts.get(socket);
  if (fingerprint === undefined) {
    fingerprint = socket.authorized ? socket.getPeerCertificate?.()?.fingerprint256 || null : null;
    clientCerts.set(socket, fingerprint);
  }
  return fingerprint;
}

/** Session tokens of the requests that came with a valid session, for CSRF tokens (never logged). */
const sessionTokens = new WeakMap<FastifyRequest, string>();

function isValidAccess(access: unknown): access is Access {
  if (access === 'public' || access === 'admin') return true;
  return Array.isArray(access) && access.length > 0 && access.every(isRole);
}

export function isConsolePath(url: string): boolean {
  return url === '/console' || url.startsWith('/console/') || url.startsWith('/console?');
}

function keyMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Whether a principal may use a route with this declaration. `admin` is the regulator's; the auditor
 * reads (GET, HEAD) what the regulator reads and never writes.
 */
export function allows(access: Access, staff: Staff | null, method = 'POST'): boolean {
  if (access === 'public') return true;
  if (!staff) return false;
  if (access !== 'admin') return access.includes(staff.role);
  return staff.role === 'regulator' || (staff.role === 'auditor' && READ_METHODS.has(method));
}

/** The CSRF token for the request's session, or null when it has no session. */
export function csrfToken(request: FastifyRequest): string | null {
  const token = sessionTokens.get(request);
  return token ? createHmac('sha256', token).update('openceir csrf v1').digest('base64url') : null;
}

/** Remembers the session of a request that has just logged in (so its first page can carry forms). */
export function attachSession(request: FastifyRequest, token: string, staff: Staff): void {
  sessionTokens.set(request, token);
  request.staff = staff;
}

/** The session token the request's cookie carries, if any. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  return cookieValue(request.headers.cookie, SESSION_COOKIE) || undefined;
}

/** `Set-Cookie` for a session (RFC 6265bis): not readable by scripts, not sent on cross-site POSTs. */
export function sessionCookie(request: FastifyRequest, token: string, expiresAt: Date): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure}`;
}

export function clearedSessionCookie(request: FastifyRequest): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}

/** How console pages answer a refusal: a page in the user's language (see console/pages.ts). */
export type RefusalPage = (
  request: FastifyRequest,
  reply: FastifyReply,
  why: 'role' | 'csrf',
) => FastifyReply;

export interface AccessOptions {
  readonly refusalPage?: RefusalPage;
}

function problem(reply: FastifyReply, status: number, title: string, detail: string, cause: string) {
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send({ title, status, detail, cause });
}

export function installAccessControl(
  app: FastifyInstance,
  adminApiKey: string,
  accounts?: Accounts,
  options: AccessOptions = {},
): void {
  app.decorateRequest('staff', null);
  const declared: DeclaredRoute[] = [];
  declaredByApp.set(app, declared);

  app.addHook('onRoute', (route) => {
    // The API documentation UI (a plugin's routes) is public by decision.
    if (route.url.startsWith('/docs')) route.config = { ...(route.config as object), access: 'public' };
    const access = (route.config as { access?: unknown } | undefined)?.access;
    if (!isValidAccess(access)) {
      throw new Error(
        `route ${route.method} ${route.url} declares no valid access ` +
          `(config.access: 'public' | 'admin' | a non-empty list of ${API_KEY_ROLES.join(', ')})`,
      );
    }
    for (const method of [route.method].flat()) declared.push({ method, url: route.url, access });
  });

  /**
   * The principal the request's credentials prove; `invalid` for a bearer key that is not valid,
   * CERTIFICATE_REQUIRED for a valid key without the client certificate it is bound to.
   */
  async function identify(
    request: FastifyRequest,
  ): Promise<Staff | null | 'invalid' | typeof CERTIFICATE_REQUIRED> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) {
      if (keyMatches(bearer, adminApiKey)) return ADMIN_PRINCIPAL;
      if (accounts && looksLikeApiKey(bearer))
        return (await accounts.verifyApiKey(bearer, verifiedClientCert(request))) ?? 'invalid';
      return 'invalid';
    }
    const certificate = accounts ? verifiedClientCert(request) : null;
    if (certificate && accounts && !isConsolePath(request.url) && !request.headers.origin) {
      const staff = await accounts.apiKeyForCertificate(certificate);
      if (staff) return staff;
    }
    const token = sessionTokenOf(request);
    if (!token || !accounts) return null;
    const staff = await accounts.session(token);
    if (staff) sessionTokens.set(request, token);
    return staff;
  }

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access ?? 'public';
    const onConsole = isConsolePath(request.url);
    // Public API routes skip the lookup; console pages want to know who is there even when public.
    if (access === 'public' && !onConsole) return;
    const found = await identify(request);
    request.staff = found === 'invalid' || found === CERTIFICATE_REQUIRED ? null : found;
    if (access === 'public') return;
    if (found === CERTIFICATE_REQUIRED) {
      // RFC 8705 §3: a certificate-bound credential without its certificate is an invalid token.
      return unauthorized(
        reply,
        'Bearer realm="openceir", error="invalid_token"',
        'the API key is bound to a client certificate: present that certificate over HTTPS (mutual TLS) with the key, or without it',
        'CLIENT_CERTIFICATE_REQUIRED',
      );
    }
    if (!request.staff) {
      if (onConsole && !request.headers.authorization) {
        const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
        return reply.code(303).header('location', `/console/login${next}`).send();
      }
      return unauthorized(
        reply,
        'Bearer realm="openceir"',
        found === 'invalid'
          ? 'the API key is not valid'
          : 'this endpoint needs Authorization: Bearer <admin API key>',
        'UNAUTHORIZED',
      );
    }
    if (!allows(access, request.staff, request.method)) {
      if (onConsole && request.staff.via === 'session' && options.refusalPage)
        return options.refusalPage(request, reply, 'role');
      const needed = access === 'admin' ? 'regulator' : access.join(' or ');
      return problem(reply, 403, 'Forbidden', `this endpoint needs the role ${needed}`, 'FORBIDDEN');
    }
  });

  // After the body is parsed: a session's state-changing request must carry the session's CSRF token.
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'public' || SAFE_METHODS.has(request.method) || request.staff?.via !== 'session') return;
    const expected = csrfToken(request);
    const body = request.body as Record<string, unknown> | null | undefined;
    const given =
      request.headers[CSRF_HEADER] ?? (typeof body === 'object' && body ? body[CSRF_FIELD] : undefined);
    if (expected && typeof given === 'string' && keyMatches(given, expected)) return;
    if (options.refusalPage) return options.refusalPage(request, reply, 'csrf');
    return problem(reply, 403, 'Forbidden', 'the form carries no valid CSRF token', 'CSRF_TOKEN_INVALID');
  });
}
