/**
 * Random PEIs, SUPIs and GPSIs against N5g-eir: every identity through `check()` in process (must not
 * throw, must answer a status, must not take long: a catastrophic regular expression is a hang), and
 * a share of them over HTTP/2 to the live SbiServer, on a few sessions with many streams. Each answer
 * must be 200 with a status, 404 ERROR_EQUIPMENT_UNKNOWN or 400 with a TS 29.500 cause, as
 * application/problem+json (414 for a target over the URI limit), agreeing with the in-process check;
 * a raw request HTTP/2 itself refuses may be reset. Valid probes are answered exactly throughout.
 */
import http2 from 'node:http2';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { luhnDigit } from '../../../src/identifiers/index.ts';
import { API_PATH, EQUIPMENT_STATUS } from '../../../src/protocols/sbi/server.ts';
import { ALLOWED, BLOCKED, TRACKED } from '../check.ts';
import { type FuzzIdentity, formEncode, randomIdentity, requestPath } from './identities.ts';
import type { FuzzReport } from './report.ts';
import { fuzzService } from './target.ts';

export interface IdentityFuzzOptions {
  readonly seed: number;
  /** Identities [from, from + count). */
  readonly from?: number;
  readonly count: number;
  /** Base URL of the N5g-eir server (h2c). */
  readonly url: string;
  /** One identity in this many also goes over HTTP/2. */
  readonly httpEvery?: number;
  readonly sessions?: number;
  readonly streams?: number;
  readonly answerTimeoutMs?: number;
  readonly deadline?: number;
  readonly stopped?: () => boolean;
}

/** A check slower than this is a hang (a regular expression gone exponential, say). */
const SLOW_CHECK_MS = 50;
const CAUSES_400 = new Set([
  'MANDATORY_QUERY_PARAM_INCORRECT',
  'MANDATORY_QUERY_PARAM_MISSING',
  'OPTIONAL_QUERY_PARAM_INCORRECT',
  'INVALID_QUERY_PARAM',
]);
/** Characters HTTP/2 does not carry in a header value (RFC 9113 §8.2.1); a raw request with them may be reset. */
const NOT_IN_HEADER = (path: string) => [...path].some((c) => c <= ' ' || c === '\u007f' || c > '\u00ff');
const MAX_URI = 4096;

interface Reply {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

function get(session: http2.ClientHttp2Session, path: string, timeoutMs: number): Promise<Reply | Error> {
  return new Promise((resolve) => {
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request({ ':method': 'GET', ':path': path }, { endStream: true });
    } catch (error) {
      resolve(error as Error);
      return;
    }
    let status = 0;
    let type = '';
    const chunks: Buffer[] = [];
    stream.setTimeout(timeoutMs, () => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      resolve(new Error(`no answer within ${timeoutMs} ms`));
    });
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
      type = String(headers['content-type'] ?? '');
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status, type, body: Buffer.concat(chunks).toString('utf8') }));
    stream.on('error', (error) => resolve(error));
  });
}

const NAMES = new Set(['pei', 'supi', 'gpsi', 'supported-features']);

/** Why `reply` is not a correct answer to `path`; null when it is. */
function replyProblem(
  path: string,
  identity: FuzzIdentity,
  encoding: string,
  reply: Reply | Error,
  expected: (pei: string, supi: string | null, gpsi: string | null) => string,
): string | null {
  if (reply instanceof Error) {
    if (NOT_IN_HEADER(path) && !reply.message.startsWith('no answer')) return null;
    return `no HTTP answer: ${reply.message}`;
  }
  let body: { status?: unknown; cause?: unknown; title?: unknown; invalidParams?: unknown };
  try {
    body = JSON.parse(reply.body);
  } catch {
    return `${reply.status} with a body that is not JSON`;
  }
  if (reply.status === 200) {
    if (reply.type !== 'application/json') return `200 as ${reply.type}`;
  } else {
    if (reply.type !== 'application/problem+json') return `${reply.status} as ${reply.type}`;
    if (body.status !== reply.status || typeof body.title !== 'string')
      return `${reply.status} with ProblemDetails status ${body.status}`;
  }
  if (reply.status === 414)
    return path.length > MAX_URI ? null : `414 for a target of ${path.length} characters`;
  const params = new URLSearchParams(path.slice(path.indexOf('?') + 1));
  const value = (name: string) => params.get(name);
  if (reply.status === 400) {
    if (!CAUSES_400.has(String(body.cause))) return `400 with cause ${body.cause}`;
    if (!Array.isArray(body.invalidParams) || body.invalidParams.length === 0)
      return '400 without invalidParams';
    if (identity.valid && encoding === 'proper') return `400 ${body.cause} for a valid identity`;
    return null;
  }
  if (reply.status !== 200 && reply.status !== 404) return `HTTP ${reply.status}`;
  if ([...params.keys()].some((name) => !NAMES.has(name)) || !value('pei'))
    return `${reply.status} for a query without a usable pei`;
  const status = expected(value('pei')!, value('supi'), value('gpsi'));
  if (reply.status === 404) {
    if (body.cause !== 'ERROR_EQUIPMENT_UNKNOWN') return `404 with cause ${body.cause}`;
    return status === 'unknown' ? null : `404 where the check says ${status}`;
  }
  return body.status === status ? null : `${body.status} where the check says ${status}`;
}

const imei = (key: string) => `imei-${key}${luhnDigit(key)}`;
/** Valid requests whose answers are known exactly. */
const PROBES: readonly [string, number, string][] = [
  [`pei=${imei(BLOCKED)}`, 200, 'BLACKLISTED'],
  [`pei=${imei(TRACKED)}`, 200, 'GREYLISTED'],
  [`pei=imeisv-${ALLOWED}01`, 200, 'WHITELISTED'],
  [`pei=${imei('49015420323751')}`, 404, 'ERROR_EQUIPMENT_UNKNOWN'],
  [`supi=${formEncode('imsi-001010000000001')}`, 400, 'MANDATORY_QUERY_PARAM_MISSING'],
];

export async function fuzzIdentities(options: IdentityFuzzOptions, report: FuzzReport): Promise<void> {
  const service = fuzzService();
  const from = options.from ?? 0;
  const end = from + options.count;
  const every = options.httpEvery ?? 10;
  const timeoutMs = options.answerTimeoutMs ?? 10_000;
  const stop = () =>
    options.stopped?.() === true || (options.deadline !== undefined && Date.now() > options.deadline);
  const context = { protocol: 'n5g-eir' as const, equipment: '', peer: 'fuzz', network: null };
  const statusOf = (pei: string, supi: string | null, gpsi: string | null) => {
    const { status } = service.check({ equipment: pei, imsi: supi, msisdn: gpsi }, context);
    return status === 'unknown' ? 'unknown' : EQUIPMENT_STATUS[status];
  };

  async function inProcess(): Promise<void> {
    for (let i = from; i < end && !stop(); i++) {
      const identity = randomIdentity(options.seed, i);
      const input = { equipment: identity.pei, imsi: identity.supi, msisdn: identity.gpsi };
      const timed = () => {
        const started = performance.now();
        const result = service.check(input, context);
        return { result, took: performance.now() - started };
      };
      try {
        const { result, took } = timed();
        report.count(`identities checked ${result.status}`);
        // A pause (GC, a busy machine) is not the check's fault: slow again, three times, is.
        if (took > SLOW_CHECK_MS) {
          const again = Math.min(timed().took, timed().took, timed().took);
          if (again > SLOW_CHECK_MS)
            report.violation({
              area: 'check',
              what: `check() takes ${again.toFixed(0)} ms`,
              index: i,
              input: JSON.stringify(identity),
            });
          else report.count('identities checked slowly once (a pause)');
        }
      } catch (error) {
        report.violation({
          area: 'check',
          what: `check() threw ${(error as Error).message}`,
          index: i,
          input: JSON.stringify(identity),
        });
      }
      report.count('identities');
      if (i % 1000 === 999) await yieldToLoop();
    }
  }

  const sessions: (http2.ClientHttp2Session | null)[] = Array.from(
    { length: options.sessions ?? 2 },
    () => null,
  );
  const session = (lane: number): http2.ClientHttp2Session => {
    const slot = lane % sessions.length;
    let s = sessions[slot];
    if (!s || s.closed || s.destroyed) {
      s = http2.connect(options.url);
      s.on('error', () => {});
      s.on('goaway', (code) =>
        report.violation({ area: 'n5g-eir', what: `the server sent GOAWAY (${code})`, index: null }),
      );
      sessions[slot] = s;
      report.count('n5g-eir sessions');
    }
    return s;
  };

  let next = from - (from % every) + (from % every === 0 ? 0 : every);
  let sent = 0;
  async function lane(n: number): Promise<void> {
    for (;;) {
      if (++sent % 500 === 0) await probe(n, PROBES[(sent / 500) % PROBES.length]!);
      const i = next;
      if (i >= end || stop()) return;
      next += every;
      const identity = randomIdentity(options.seed, i);
      const { path, encoding } = requestPath(API_PATH, identity, options.seed);
      const reply = await get(session(n), path, timeoutMs);
      report.count('identities over HTTP/2');
      report.count(`n5g-eir answers ${reply instanceof Error ? 'reset' : reply.status}`);
      const problem = replyProblem(path, identity, encoding, reply, statusOf);
      if (problem)
        report.violation({
          area: 'n5g-eir',
          what: problem,
          index: i,
          input: JSON.stringify({
            path,
            encoding,
            identity,
            reply: reply instanceof Error ? reply.message : reply,
          }),
        });
    }
  }

  async function probe(
    n: number,
    [query, status, expected]: readonly [string, number, string],
  ): Promise<void> {
    const reply = await get(session(n), `${API_PATH}?${query}`, timeoutMs);
    report.count('n5g-eir probes');
    if (reply instanceof Error || reply.status !== status || !reply.body.includes(`"${expected}"`))
      report.violation({
        area: 'n5g-eir',
        what: `a valid request (${query}) was not answered ${status} ${expected}`,
        index: null,
        input: JSON.stringify(reply instanceof Error ? reply.message : reply),
      });
  }

  const lanes = sessions.length * (options.streams ?? 32);
  await Promise.all([inProcess(), ...Array.from({ length: lanes }, (_, n) => lane(n))]);
  if (!options.stopped?.()) for (const p of PROBES) await probe(0, p);
  for (const s of sessions) s?.close();
}
