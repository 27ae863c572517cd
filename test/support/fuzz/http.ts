/**
 * Fuzzes the HTTP API against its own OpenAPI document: a registry app (test/support/app.ts, PGlite,
 * real HTTP on loopback) serves GET /docs/json; every operation in it gets random and mutated path
 * parameters, query parameters and JSON bodies, with the admin key. No answer is a 5xx (unless the
 * document declares it, as /readyz does), every 4xx is application/problem+json, and every 2xx with
 * a declared JSON schema fits it (json-schema.ts).
 *
 * Not fuzzed: the `wait` query of GET /ledger/v1/head (a long poll holds the request for as long
 * as it says, by design). Every other operation is, deletes included: they remove what earlier
 * cases made, and later cases make it again.
 */

import { createTestApp, type TestApp } from '../app.ts';
import { generate, mutateValue, type Schema, schemaProblems } from './json-schema.ts';
import type { CaseResult, ParserFuzzer } from './parser-run.ts';
import type { Random } from './random.ts';
import { randomText } from './texts.ts';

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly { name: string; in: string; required?: boolean; schema?: Schema }[];
  readonly body?: Schema;
  readonly responses: Readonly<Record<string, { content?: Record<string, { schema?: Schema }> }>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const SKIPPED_QUERY = new Set(['GET /ledger/v1/head wait']);
const ANSWER_TIMEOUT_MS = 20_000;

function operationsOf(document: Record<string, unknown>): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>))
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const o = op as Record<string, unknown>;
      const body = (o.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)
        ?.content?.['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: (o.parameters as Operation['parameters'] | undefined) ?? [],
        ...(body ? { body } : {}),
        responses: (o.responses as Operation['responses'] | undefined) ?? {},
      });
    }
  return out;
}

/** A parameter's text: what the schema asks for, now and then mutated or random. */
function parameterText(r: Random, schema: Schema | undefined, root: unknown): string {
  let text: string;
  if (r.chance(0.15)) text = randomText(r, 20);
  else {
    const value = generate(schema ?? { type: 'string' }, r, root);
    text = typeof value === 'string' ? value : JSON.stringify(value);
    if (r.chance(0.15)) text += randomText(r, 4);
  }
  // A URL carries UTF-8: lone surrogates become U+FFFD, as any client's encoder makes them.
  return Buffer.from(text, 'utf8').toString('utf8');
}

export function httpFuzzer(): ParserFuzzer & { operations(): Promise<number> } {
  let started:
    | Promise<{ app: TestApp; document: Record<string, unknown>; operations: Operation[] }>
    | undefined;
  const start = () => {
    started ??= (async () => {
      const app = await createTestApp('pglite');
      const document = (await (await app.call('/docs/json')).json()) as Record<string, unknown>;
      return { app, document, operations: operationsOf(document) };
    })();
    return started;
  };

  async function run(r: Random): Promise<CaseResult> {
    const { app, document, operations } = await start();
    const op = r.pick(operations);
    let path = op.path;
    const query = new URLSearchParams();
    for (const p of op.parameters) {
      if (p.in === 'path')
        path = path.replace(`{${p.name}}`, encodeURIComponent(parameterText(r, p.schema, document)));
      else if (p.in === 'query' && !SKIPPED_QUERY.has(`${op.method} ${op.path} ${p.name}`) && r.chance(0.6))
        query.set(p.name, parameterText(r, p.schema, document));
    }
    if (r.chance(0.05)) query.set(randomText(r, 6) || 'x', randomText(r, 6));
    // (URLSearchParams encodes lone surrogates as U+FFFD itself.)
    const url = `${path}${query.size ? `?${query}` : ''}`;
    let body: string | undefined;
    if (op.body || (op.method !== 'GET' && r.chance(0.1))) {
      const value = generate(op.body ?? {}, r, document);
      body = r.weighted<() => string>([
        [5, () => JSON.stringify(value)],
        [4, () => JSON.stringify(mutateValue(value, r))],
        [1, () => JSON.stringify(value).slice(0, r.int(JSON.stringify(value).length))],
      ])();
    }
    const input = `${op.method} ${url}${body !== undefined ? ` ${body.length > 2000 ? `${body.slice(0, 2000)}…` : body}` : ''}`;
    const violations: string[] = [];
    let response: Response;
    try {
      response = await app.call(url, {
        method: op.method,
        ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}),
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      });
    } catch (error) {
      return {
        outcome: 'no answer',
        violations: [`${op.method} ${op.path}: no answer (${(error as Error).message})`],
        input,
      };
    }
    const status = response.status;
    const type = response.headers.get('content-type') ?? '';
    const text = await response.text();
    const declared = op.responses[String(status)];
    const where = `${op.method} ${op.path} → ${status}`;
    if (status >= 500 && !declared) violations.push(`${where}: ${text.slice(0, 200)}`);
    else if (status >= 400 && status < 500 && !type.startsWith('application/problem+json'))
      violations.push(`${where} as ${type || 'no content type'}, not application/problem+json`);
    else if (status >= 200 && status < 300) {
      const schema = declared?.content?.['application/json']?.schema;
      if (schema && type.startsWith('application/json')) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          violations.push(`${where}: the body is not JSON`);
        }
        if (json !== undefined)
          for (const problem of schemaProblems(schema, json, document).slice(0, 5))
            violations.push(`${where}: ${problem}`);
      }
    }
    return { outcome: `${Math.floor(status / 100)}xx`, violations, input };
  }

  return {
    area: 'http',
    stream: 14,
    run,
    operations: async () => (await start()).operations.length,
    async close() {
      if (started) await (await started).app.dispose();
    },
  };
}
