/**
 * Personal data never reaches a log line (docs/security.md, Privacy). Request lines are off (web/app.ts),
 * so what remains are objects code passes to the logger and errors: a field named like personal data is
 * censored wherever it sits (two levels deep), and an error keeps its message and stack but loses the
 * values it carries — drizzle's "Failed query" message lists the query's parameters (a phone, an IMSI),
 * and PostgreSQL's message and `detail` quote the offending value.
 */
import { type LoggerOptions, stdSerializers } from 'pino';

/** Keys whose values are personal data, as the code names them (cases, appeals, sightings, SMS). */
export const PERSONAL_KEYS = [
  'imsi',
  'msisdn',
  'supi',
  'gpsi',
  'phone',
  'email',
  'name',
  'to',
  'from',
  'sender',
  'lastMsisdn',
  'reporterName',
  'reporterPhone',
  'reporterEmail',
  'appellantName',
  'appellantPhone',
  'appellantEmail',
  'params',
  'parameters',
  'body',
  'query',
  'detail',
] as const;

export const CENSORED = '[personal]';

const paths = PERSONAL_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

type SerializedError = ReturnType<typeof stdSerializers.err> & Record<string, unknown>;

/** An error as logged: message and stack without the query parameters, no PostgreSQL detail. */
export function errorForLog(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = stdSerializers.err(error) as SerializedError;
  const scrub = (text: unknown) =>
    typeof text === 'string'
      ? text
          .replace(/\nparams: [^\n]*/g, '')
          // PostgreSQL quotes the value it refused (`value "+2547…" is out of range`, `Key (x)=(…)`);
          // names it quotes (relations, columns, constraints) have no digits, @ or +.
          .replace(/"[^"\n]*[\d@+][^"\n]*"/g, `"${CENSORED}"`)
          .replace(/=\([^)\n]*\)/g, `=(${CENSORED})`)
      : text;
  serialized.message = scrub(serialized.message) as string;
  // pino's serializer flattens the causes into the stack ("caused by: …"), so this covers them too.
  serialized.stack = scrub(serialized.stack) as string;
  for (const key of PERSONAL_KEYS) if (key in serialized) serialized[key] = CENSORED;
  return serialized;
}

/** The options every OpenCEIR logger is made with (`openceir start`, tests capturing logs). */
export function loggerOptions(level: string, base: Record<string, string> = {}): LoggerOptions {
  return {
    level,
    base,
    redact: { paths, censor: CENSORED },
    serializers: { err: errorForLog, error: errorForLog },
  };
}
