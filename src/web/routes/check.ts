/**
 * Equipment checks over REST, for operator systems, dealers and marketplaces:
 *   GET  /api/v1/devices/{id}/status   one device (any identifier form), with reasons and what matched
 *   POST /api/v1/check/bulk            up to 1,000,000 identifiers, streamed in and out, answers in input order
 * Both read the in-memory check index, like the N5g-eir and S13 front ends, and refuse with 429 when overloaded.
 */
import { createInterface } from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { CheckResult } from '../../check/check.ts';
import type { CheckService } from '../../check/service.ts';
import { problem } from '../errors.ts';
import { Problem } from '../problem.ts';

export const MAX_BULK = 1_000_000;

const Status = Type.Object({
  deviceKey: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union(['allowed', 'tracked', 'blocked', 'unknown'].map((s) => Type.Literal(s))),
  reasons: Type.Array(Type.Object({ code: Type.String(), source: Type.String(), since: Type.String() })),
  matched: Type.String({
    description: 'golden, pairing, device, imei-range, tac, imsi, policy or malformed',
  }),
  rule: Type.Union([Type.String(), Type.Null()]),
});

const view = (r: CheckResult) => ({
  deviceKey: r.deviceKey,
  status: r.status,
  reasons: r.reasons,
  matched: r.matched,
  rule: r.rule,
});

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One bulk input line: an identifier, optionally followed by an IMSI (CSV), or a JSON object or string (NDJSON). */
function parseLine(
  line: string,
  json: boolean,
): { equipment: string; imsi: string | null; msisdn: string | null } | null {
  if (json) {
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value === 'string') return { equipment: value, imsi: null, msisdn: null };
      if (value && typeof value === 'object') {
        const o = value as Record<string, unknown>;
        const equipment = o.equipment ?? o.imei ?? o.pei;
        if (typeof equipment !== 'string') return null;
        return {
          equipment,
          imsi: typeof o.imsi === 'string' ? o.imsi : null,
          msisdn: typeof o.msisdn === 'string' ? o.msisdn : null,
        };
      }
    } catch {
      return null;
    }
    return null;
  }
  const [equipment = '', imsi = ''] = line.split(',').map((f) => f.trim().replace(/^"|"$/g, ''));
  return { equipment, imsi: imsi === '' ? null : imsi, msisdn: null };
}

export function checkRoutes(app: FastifyInstance, checks: CheckService): void {
  app.get<{ Params: { id: string }; Querystring: { imsi?: string } }>(
    '/api/v1/devices/:id/status',
    {
      config: { access: ['operator', 'regulator', 'auditor'] },
      schema: {
        tags: ['check'],
        summary: 'The status of a device now (any identifier form), from the real-time check index',
        params: Type.Object({ id: Type.String({ description: 'IMEI, IMEISV or PEI in any form' }) }),
        querystring: Type.Object({ imsi: Type.Optional(Type.String({ pattern: '^[0-9]{5,15}$' })) }),
        response: { 200: Status, 401: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      if (checks.refuse('rest')) {
        return problem(reply.header('retry-after', '1'), {
          title: 'Too Many Requests',
          status: 429,
          detail: 'the EIR is overloaded; retry later',
          cause: 'NF_CONGESTION',
        });
      }
      const peer = request.ip;
      const result = checks.check(
        { equipment: request.params.id, imsi: request.query.imsi ?? null },
        { protocol: 'rest', equipment: request.params.id, peer },
      );
      await checks.sightingsWritten();
      return view(result);
    },
  );

  app.post(
    '/api/v1/check/bulk',
    {
      config: { access: ['operator', 'regulator'] },
      bodyLimit: 256 * 1024 * 1024,
      schema: {
        tags: ['check'],
        summary: 'Check up to 1,000,000 identifiers; one answer per input line, in the same order',
        description:
          'Send text/csv (one identifier per line, optionally ",<IMSI>"; a header line is skipped) and get CSV ' +
          '`input,device_key,status,matched,reasons` back; or application/x-ndjson (one JSON string or ' +
          '{"imei","imsi","msisdn"} per line) and get NDJSON back. Both are streamed.',
        response: { 400: Problem, 401: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const json = (request.headers['content-type'] ?? '').includes('ndjson');
      if (checks.refuse('bulk')) {
        return problem(reply.header('retry-after', '5'), {
          title: 'Too Many Requests',
          status: 429,
          detail: 'the EIR is overloaded; retry later',
          cause: 'NF_CONGESTION',
        });
      }
      // Only the raw body parsers (text/csv, application/x-ndjson, …) give a stream; no body or JSON gives none.
      if (!(request.body instanceof Readable)) {
        return problem(reply, {
          title: 'Bad request',
          status: 400,
          detail: 'the body must be text/csv or application/x-ndjson, one identifier per line',
          invalidParams: [{ param: 'body', reason: 'must be text/csv or application/x-ndjson' }],
        });
      }
      const out = new PassThrough();
      reply.type(json ? 'application/x-ndjson' : 'text/csv; charset=utf-8');
      if (!json) out.write('input,device_key,status,matched,reasons\n');
      const peer = request.ip;
      (async () => {
        let count = 0;
        let first = true;
        let batch: string[] = [];
        const lines = createInterface({
          input: request.body as Readable,
          crlfDelay: Number.POSITIVE_INFINITY,
        });
        for await (const raw of lines) {
          const line = raw.trim();
          if (line === '') continue;
          // A CSV header line ("imei", "imei,imsi") is not an identifier.
          if (
            first &&
            !json &&
            /^[A-Za-z_]+(,[A-Za-z_]+)*$/.test(line) &&
            !/^(imei|imeisv|mac|eui)-/.test(line)
          ) {
            first = false;
            continue;
          }
          first = false;
          if (++count > MAX_BULK) {
            batch.push(
              json
                ? JSON.stringify({ error: `more than ${MAX_BULK} identifiers: the rest is not checked` })
                : `,,error,,more than ${MAX_BULK} identifiers`,
            );
            break;
          }
          const input = parseLine(line, json);
          if (!input) {
            batch.push(
              json
                ? JSON.stringify({ input: line, error: 'not a JSON string or object with imei' })
                : `${csvField(line)},,error,,unreadable line`,
            );
          } else {
            const r = checks.check(input, { protocol: 'bulk', equipment: input.equipment, peer });
            batch.push(
              json
                ? JSON.stringify({ input: input.equipment, ...view(r) })
                : [
                    csvField(input.equipment),
                    r.deviceKey ?? '',
                    r.status,
                    r.matched,
                    r.reasons.map((x) => x.code).join('|'),
                  ].join(','),
            );
          }
          if (batch.length >= 1000) {
            checks.flushSightings();
            if (!out.write(`${batch.join('\n')}\n`))
              await new Promise((resolve) => out.once('drain', resolve));
            batch = [];
          }
        }
        checks.flushSightings();
        if (batch.length > 0) out.write(`${batch.join('\n')}\n`);
        out.end();
      })().catch((error: unknown) => out.destroy(error as Error));
      return reply.send(out);
    },
  );
}
