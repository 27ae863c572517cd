/**
 * Admission control at every entry point, refusals driven deterministically (a rate limit of one check
 * per 100 s, a per-connection pending bound, an in-flight bound held by an unfinished upload), over
 * real loopback servers: N5g-eir seen by curl --http2-prior-knowledge, S13 by our Diameter client and
 * raw pipelined bytes, the REST API by fetch and node:http. Codes and headers, never latencies.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OverloadGuard } from '../../src/check/overload.ts';
import { DEFAULT_POLICY } from '../../src/check/policy.ts';
import { CheckService } from '../../src/check/service.ts';
import { S13Client, summarize } from '../../src/protocols/diameter/client.ts';
import {
  decodeMessage,
  encodeMessage,
  FrameReader,
  find,
  readUtf8,
} from '../../src/protocols/diameter/codec.ts';
import { APP_S13, AVP, CMD, FLAG, RESULT } from '../../src/protocols/diameter/dictionary.ts';
import { DiameterServer } from '../../src/protocols/diameter/server.ts';
import { API_PATH, SbiServer } from '../../src/protocols/sbi/server.ts';
import { buildCheckNodeApp } from '../../src/web/app.ts';
import { ALLOWED, BLOCKED, testIndex, testService } from '../support/check.ts';

const run = promisify(execFile);
const NF_INSTANCE = '54804518-4191-46b3-955c-ac631f953ed8';

/** A check service that admits one check, then none for 100 s: refusals without timing. */
function oneCheckService(): CheckService {
  const overload = new OverloadGuard({ maxDelayMs: 0, maxRate: 0.01 });
  return new CheckService({ policy: DEFAULT_POLICY, index: testIndex(), recorder: null, overload });
}

describe('N5g-eir under overload', () => {
  let server: SbiServer;
  let base: string;

  beforeAll(async () => {
    server = new SbiServer(oneCheckService(), { host: '127.0.0.1', port: 0, nfInstanceId: NF_INSTANCE });
    base = await server.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  it('503 NF_CONGESTION with Retry-After and TS 29.500 load control information, once over the rate', async () => {
    const ask = async () => {
      const { stdout } = await run('curl', [
        ...['-s', '--http2-prior-knowledge', '-D', '-'],
        `${base}${API_PATH}?pei=imei-${ALLOWED}7`,
      ]);
      const [head, body] = stdout.split('\r\n\r\n') as [string, string];
      const headers = new Map(
        head
          .split('\r\n')
          .slice(1)
          .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      return { status: Number(head.split(' ')[1]), headers, body: JSON.parse(body) };
    };
    const first = await ask();
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: 'WHITELISTED' });
    const refused = await ask();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toMatchObject({ status: 503, cause: 'NF_CONGESTION' });
    // TS 29.500 §5.2.3.2.11: Timestamp, Load-Metric in percent, the NF instance as scope.
    expect(refused.headers.get('3gpp-sbi-lci')).toMatch(
      new RegExp(
        `^Timestamp: "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} [\\d:]{8} GMT"; Load-Metric: 100%; NF-Instance: ${NF_INSTANCE}$`,
      ),
    );
  });
});

describe('S13 under overload', () => {
  const peer = {
    host: '127.0.0.1',
    originHost: 'mme1.epc.mnc001.mcc001.3gppnetwork.org',
    originRealm: 'epc.mnc001.mcc001.3gppnetwork.org',
    destinationRealm: 'openceir.localdomain',
  };
  const start = async (service: CheckService, maxPending = 0) => {
    const server = new DiameterServer(service, {
      host: '127.0.0.1',
      port: 0,
      originHost: 'eir.openceir.localdomain',
      originRealm: 'openceir.localdomain',
      allowedHosts: ['*'],
      allowedRealms: ['*'],
      allowedAddresses: ['127.0.0.1'],
      maxPending,
    });
    const { port } = await server.listen();
    return { server, port };
  };

  it('3004 DIAMETER_TOO_BUSY with the E bit and the Session-Id, once over the rate', async () => {
    const { server, port } = await start(oneCheckService());
    try {
      const { client } = await S13Client.connect({ ...peer, port });
      expect(await client.ecr(BLOCKED, '01')).toMatchObject({ resultCode: 2001, equipmentStatus: 1 });
      const avps = client.ecrAvps(BLOCKED, '01');
      const answer = await client.request(CMD.meIdentityCheck, APP_S13, avps, FLAG.request | FLAG.proxiable);
      expect(summarize(answer)).toMatchObject({ resultCode: RESULT.tooBusy, equipmentStatus: null });
      expect(answer.flags & FLAG.error).toBe(FLAG.error);
      expect(readUtf8(find(answer.avps, AVP.sessionId)!)).toBe(readUtf8(avps[0]!));
      await client.disconnect();
    } finally {
      await server.close();
    }
  });

  it('answers 3004 to the ECRs past the per-connection pending bound of one pipelined burst', async () => {
    const { server, port } = await start(testService(), 3);
    try {
      const { client } = await S13Client.connect({ ...peer, port });
      const answers: number[] = [];
      const done = new Promise<void>((resolve) => {
        // Listen on the raw frames: the burst is written at once, answered in one batch.
        const reader = new FrameReader();
        const socket = (client as unknown as { socket: import('node:net').Socket }).socket;
        socket.on('data', (chunk) => {
          for (const frame of reader.push(chunk)) {
            answers.push(summarize(decodeMessage(frame)).resultCode ?? -1);
            if (answers.length === 8) resolve();
          }
        });
      });
      const burst = Array.from({ length: 8 }, (_, i) =>
        encodeMessage({
          flags: FLAG.request | FLAG.proxiable,
          command: CMD.meIdentityCheck,
          applicationId: APP_S13,
          hopByHop: 1000 + i,
          endToEnd: 1000 + i,
          avps: client.ecrAvps(ALLOWED, '01'),
        }),
      );
      client.writeRaw(Buffer.concat(burst));
      await done;
      expect(answers).toEqual([2001, 2001, 2001, 3004, 3004, 3004, 3004, 3004]);
      // Once the answers are out, the connection admits again.
      expect(await client.ecr(ALLOWED, '01')).toMatchObject({ resultCode: 2001 });
      client.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('REST API under overload', () => {
  const key = 'overload-test-admin-key-0123456789';
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    app = await buildCheckNodeApp({
      logger: pino({ level: 'silent' }),
      metrics: new Registry(),
      version: '0.0.0-test',
      adminApiKey: key,
      maxInFlight: 1,
      checks: testService(),
      readiness: async () => ({ ready: true, checks: {} }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('429 problem+json with Retry-After past the in-flight bound; health still answered; admitted again after', async () => {
    const auth = { authorization: `Bearer ${key}` };
    const status = () => fetch(`${base}/api/v1/devices/${ALLOWED}7/status`, { headers: auth });
    expect((await status()).status).toBe(200);
    // A bulk check whose upload is not finished holds the one slot.
    const held = http.request(`${base}/api/v1/check/bulk`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
    });
    const answered = new Promise<http.IncomingMessage>((resolve) => held.once('response', resolve));
    held.write(`${ALLOWED}7\n`);
    const response = await answered;
    expect(response.statusCode).toBe(200);

    const refused = await status();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 429, cause: 'TOO_MANY_REQUESTS' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const body = new Promise<string>((resolve) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (d) => {
        text += d;
      });
      response.on('end', () => resolve(text));
    });
    held.end();
    expect(await body).toContain(`${ALLOWED}7`);
    // The slot comes back when the response closes.
    for (let i = 0; i < 50 && (await status().then((r) => r.status)) === 429; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await status()).status).toBe(200);
  });
});
