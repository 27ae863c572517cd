/**
 * The 5G N5g-eir_EquipmentIdentityCheck service (TS 29.511) on node:http2: h2c with prior knowledge,
 * or TLS with ALPN h2. One operation, GET {apiRoot}/n5g-eir-eic/v1/equipment-status, answered from the
 * in-memory check index. Errors are ProblemDetails (TS 29.571) with the TS 29.500 causes; the HTTP
 * status and the body's `status` always agree. Unknown 3gpp-Sbi-* headers are ignored.
 */
import http2, { type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { readEquipment } from '../../check/check.ts';
import type { Answer } from '../../check/policy.ts';
import type { CheckService } from '../../check/service.ts';
import type { TokenValidator } from './oauth.ts';

export const API_PATH = '/n5g-eir-eic/v1/equipment-status';
const MAX_URI = 4096;
const PARAMS = new Set(['pei', 'supi', 'gpsi', 'supported-features']);
const SUPI = /^(imsi-[0-9]{5,15}|nai-.+|gci-.+|gli-.+)$/;
const GPSI = /^(msisdn-[0-9]{5,15}|extid-[^@]+@[^@]+)$/;
const SUPPORTED_FEATURES = /^[A-Fa-f0-9]*$/;

/** TS 29.511 EquipmentStatus; unknown equipment is a 404, not a status. */
export const EQUIPMENT_STATUS: Record<Exclude<Answer, 'unknown'>, string> = {
  allowed: 'WHITELISTED',
  blocked: 'BLACKLISTED',
  tracked: 'GREYLISTED',
};

export interface SbiOptions {
  readonly host: string;
  readonly port: number;
  /**
   * TLS; with `clientCa`, mutual TLS (TS 33.501 §13.1): a consumer without a certificate that CA
   * signed fails the handshake, and its certificate's subject is the peer recorded with sightings.
   */
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer; readonly clientCa?: Buffer | null } | null;
  readonly oauth?: TokenValidator | null;
  /** The operator network the consumers belong to, recorded with sightings. */
  readonly network?: string | null;
  /** This NF's instance id (a UUID, as registered in the NRF): the scope of load control headers. */
  readonly nfInstanceId?: string | null;
}

interface Problem {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly cause?: string;
  readonly invalidParams?: { param: string; reason: string }[];
}

function send(
  stream: ServerHttp2Stream,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (stream.destroyed || stream.closed) return;
  const json = JSON.stringify(body);
  stream.respond({
    ':status': status,
    'content-type': status === 200 ? 'application/json' : 'application/problem+json',
    'content-length': Buffer.byteLength(json),
    ...headers,
  });
  stream.end(json);
}

/** The three 200 answers, encoded once. */
const STATUS_BODY = Object.fromEntries(
  Object.entries(EQUIPMENT_STATUS).map(([answer, status]) => [
    answer,
    Buffer.from(JSON.stringify({ status })),
  ]),
) as Record<Exclude<Answer, 'unknown'>, Buffer>;

function sendStatus(stream: ServerHttp2Stream, answer: Exclude<Answer, 'unknown'>): void {
  if (stream.destroyed || stream.closed) return;
  const body = STATUS_BODY[answer];
  stream.respond({ ':status': 200, 'content-type': 'application/json', 'content-length': body.length });
  stream.end(body);
}

/** The refusal under overload, encoded once: refusing must cost far less than answering. */
const CONGESTION = Buffer.from(
  JSON.stringify({
    status: 503,
    title: 'Service Unavailable',
    detail: 'the EIR is overloaded; retry later',
    cause: 'NF_CONGESTION',
  }),
);

/**
 * The subject of the consumer's verified certificate, as `CN=amf-1, O=mno-a` (the order of the
 * certificate); null when there is none (the handshake already refused such a consumer).
 */
function consumerSubject(socket: TLSSocket): string | null {
  if (!socket.authorized) return null;
  const subject = socket.getPeerX509Certificate?.()?.subject;
  return subject ? subject.split('\n').join(', ') : null;
}

/** A stream's errors (a reset by the client) end that stream only. */
const ignore = () => {};

const problem = (stream: ServerHttp2Stream, p: Problem, headers?: Record<string, string>) =>
  send(stream, p.status, p, headers);

const badParam = (param: string, reason: string, cause: string): Problem => ({
  status: 400,
  title: 'Bad Request',
  detail: `query ${param}: ${reason}`,
  cause,
  invalidParams: [{ param: `query ${param}`, reason }],
});

/** Validates the query; returns the parameters or the problem to answer (TS 29.500 §5.2.7.2). */
/** The name–value pairs of a query, in order; as URLSearchParams reads them. */
export function queryPairs(query: string): Iterable<[string, string]> {
  // Most queries have nothing to decode: split them without building a URLSearchParams.
  if (query.includes('%') || query.includes('+')) return new URLSearchParams(query);
  const pairs: [string, string][] = [];
  for (const part of (query.startsWith('?') ? query.slice(1) : query).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return pairs;
}

function readQuery(query: string): { pei: string; supi: string | null; gpsi: string | null } | Problem {
  const seen = new Map<string, string>();
  for (const [name, value] of queryPairs(query)) {
    if (!PARAMS.has(name))
      return badParam(
        name,
        'is not a parameter of GetEquipmentStatus (pei, supi, gpsi, supported-features)',
        'INVALID_QUERY_PARAM',
      );
    if (seen.has(name))
      return badParam(
        name,
        'is given more than once',
        name === 'pei' ? 'MANDATORY_QUERY_PARAM_INCORRECT' : 'OPTIONAL_QUERY_PARAM_INCORRECT',
      );
    seen.set(name, value);
  }
  const pei = seen.get('pei');
  if (pei === undefined || pei === '') {
    return {
      ...badParam('pei', 'is required', 'MANDATORY_QUERY_PARAM_MISSING'),
      invalidParams: [{ param: 'query pei', reason: 'is required' }],
    };
  }
  const supi = seen.get('supi') ?? null;
  if (supi !== null && !SUPI.test(supi))
    return badParam(
      'supi',
      'must be imsi-<5 to 15 digits>, nai-…, gci-… or gli-…',
      'OPTIONAL_QUERY_PARAM_INCORRECT',
    );
  const gpsi = seen.get('gpsi') ?? null;
  if (gpsi !== null && !GPSI.test(gpsi))
    return badParam(
      'gpsi',
      'must be msisdn-<5 to 15 digits> or extid-<local>@<domain>',
      'OPTIONAL_QUERY_PARAM_INCORRECT',
    );
  const features = seen.get('supported-features');
  if (features !== undefined && !SUPPORTED_FEATURES.test(features)) {
    return badParam('supported-features', 'must be hexadecimal', 'OPTIONAL_QUERY_PARAM_INCORRECT');
  }
  return { pei, supi, gpsi };
}

export class SbiServer {
  private readonly server: Http2Server;
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly addresses = new WeakMap<http2.Http2Session, string>();

  constructor(
    private readonly service: CheckService,
    private readonly options: SbiOptions,
  ) {
    this.server = options.tls
      ? http2.createSecureServer({
          key: options.tls.key,
          cert: options.tls.cert,
          allowHTTP1: false,
          ALPNProtocols: ['h2'],
          ...(options.tls.clientCa
            ? { ca: options.tls.clientCa, requestCert: true, rejectUnauthorized: true }
            : {}),
        })
      : http2.createServer();
    this.server.on('session', (session) => {
      this.sessions.add(session);
      // Read once per connection: asking the socket costs a system call.
      const consumer = this.options.tls?.clientCa ? consumerSubject(session.socket as TLSSocket) : null;
      const peer = consumer ?? session.socket?.remoteAddress;
      if (peer) this.addresses.set(session, peer);
      session.on('close', () => this.sessions.delete(session));
      // A peer that misbehaves at the HTTP/2 level only loses its own session.
      session.on('error', () => session.destroy());
    });
    this.server.on('stream', (stream, headers) => this.handle(stream, headers));
    this.server.on('error', () => {});
  }

  private handle(stream: ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', ignore);
    const started = process.hrtime.bigint();
    const method = headers[':method'];
    const target = headers[':path'] ?? '';
    if (target.length > MAX_URI) {
      problem(stream, {
        status: 414,
        title: 'URI Too Long',
        detail: `the request URI is longer than ${MAX_URI} characters`,
      });
      return;
    }
    // RFC 3986 §3.4: the query is everything after the first '?', which may hold '?' again.
    const mark = target.indexOf('?');
    const path = mark < 0 ? target : target.slice(0, mark);
    const query = mark < 0 ? '' : target.slice(mark + 1);
    if (path !== API_PATH) {
      problem(stream, {
        status: 404,
        title: 'Not Found',
        detail: `no resource at ${path}`,
        cause: 'RESOURCE_URI_STRUCTURE_NOT_FOUND',
      });
      return;
    }
    if (method !== 'GET') {
      problem(
        stream,
        { status: 405, title: 'Method Not Allowed', detail: `${method} is not allowed; use GET` },
        { allow: 'GET' },
      );
      return;
    }
    let peer = stream.session ? (this.addresses.get(stream.session) ?? null) : null;
    if (this.options.oauth) {
      const token = this.options.oauth.check(headers.authorization);
      if (!token.ok) {
        const challenge = `Bearer error="${token.error}", error_description="${token.detail.replace(/"/g, "'")}"`;
        problem(
          stream,
          {
            status: token.status,
            title: token.status === 401 ? 'Unauthorized' : 'Forbidden',
            detail: token.detail,
          },
          { 'www-authenticate': challenge },
        );
        return;
      }
      if (token.subject) peer = token.subject;
    }
    if (this.service.refuse('n5g-eir')) {
      if (!stream.destroyed && !stream.closed) {
        stream.respond({
          ':status': 503,
          'content-type': 'application/problem+json',
          'content-length': CONGESTION.length,
          'retry-after': '1',
          ...this.loadControl(),
        });
        stream.end(CONGESTION);
      }
      return;
    }
    const params = readQuery(query);
    if ('status' in params) {
      problem(stream, params);
      return;
    }
    if (readEquipment(params.pei).malformed) {
      // An identifier that is no PEI at all is a protocol error on the SBI (TS 29.500), not a status.
      problem(
        stream,
        badParam(
          'pei',
          'is not an IMEI, IMEISV, MAC or EUI-64 PEI (TS 29.571)',
          'MANDATORY_QUERY_PARAM_INCORRECT',
        ),
      );
      return;
    }
    const result = this.service.check(
      { equipment: params.pei, imsi: params.supi, msisdn: params.gpsi },
      { protocol: 'n5g-eir', equipment: params.pei, peer, network: this.options.network ?? null },
    );
    this.service.answer(() => {
      if (result.status === 'unknown') {
        problem(stream, {
          status: 404,
          title: 'Not Found',
          detail: 'the equipment is not known to the EIR',
          cause: 'ERROR_EQUIPMENT_UNKNOWN',
        });
      } else {
        sendStatus(stream, result.status);
      }
      this.service.observe('n5g-eir', started);
    });
  }

  /**
   * TS 29.500 §6.3.2 load control information on a refusal: 3gpp-Sbi-Lci (§5.2.3.2.11) with the
   * guard's load, scoped to this NF instance when it has an id.
   */
  private loadControl(): Record<string, string> {
    if (!this.options.nfInstanceId) return {};
    const timestamp = new Date().toUTCString();
    return {
      '3gpp-sbi-lci': `Timestamp: "${timestamp}"; Load-Metric: ${this.service.load}%; NF-Instance: ${this.options.nfInstanceId}`,
    };
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `${this.options.tls ? 'https' : 'http'}://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
