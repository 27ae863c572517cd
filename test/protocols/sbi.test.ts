/**
 * N5g-eir against independent HTTP/2 peers: curl --http2-prior-knowledge, h2load, a TLS (ALPN h2)
 * client, and tshark decoding the captured traffic.
 */
import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyFrom } from '../../src/check/policy.ts';
import type { Sighting } from '../../src/check/sightings.ts';
import { SightingRecorder } from '../../src/check/sightings.ts';
import { TokenValidator } from '../../src/protocols/sbi/oauth.ts';
import { API_PATH, SbiServer } from '../../src/protocols/sbi/server.ts';
import { ALLOWED, BLOCKED, PAIRED_IMSI, TRACKED, testService } from '../support/check.ts';
import { type Issued, issue, makeCa } from '../support/tls.ts';
import { capture, tshark } from '../support/tshark.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-sbi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function curl(
  url: string,
  headers: string[] = [],
): Promise<{ status: number; type: string; body: any }> {
  const args = [
    '-s',
    '--http2-prior-knowledge',
    '-o',
    '-',
    '-w',
    '\n%{http_code} %{content_type}',
    ...headers.flatMap((h) => ['-H', h]),
    url,
  ];
  const { stdout } = await run('curl', args);
  const newline = stdout.lastIndexOf('\n');
  const [status, type] = stdout.slice(newline + 1).split(' ');
  return { status: Number(status), type: type ?? '', body: JSON.parse(stdout.slice(0, newline)) };
}

describe('N5g-eir over h2c', () => {
  let server: SbiServer;
  let base: string;
  let port: number;
  const sightings: Sighting[] = [];
  let recorder: SightingRecorder;

  beforeAll(async () => {
    recorder = new SightingRecorder({
      dir: path.join(dir, 'sightings'),
      node: 'sbi-test',
      ship: async (b) => void sightings.push(...b),
    });
    server = new SbiServer(testService({ recorder }), { host: '127.0.0.1', port: 0, network: 'mno-a' });
    base = await server.listen();
    port = Number(new URL(base).port);
  });
  afterAll(async () => {
    await server.close();
    await recorder.close();
  });

  const url = (query: string, path = API_PATH) => `${base}${path}?${query}`;

  it('answers every IMEI form of one device the same, as curl sees it', async () => {
    for (const pei of [`imeisv-${BLOCKED}23`, `imei-${BLOCKED}1`, `imei-${BLOCKED}0`, `imei-${BLOCKED}7`]) {
      const r = await curl(url(`pei=${pei}&supi=imsi-001010000000099`));
      expect(r).toEqual({ status: 200, type: 'application/json', body: { status: 'BLACKLISTED' } });
    }
    expect((await curl(url(`pei=imei-${TRACKED}7`))).body).toEqual({ status: 'GREYLISTED' });
    expect((await curl(url(`pei=imei-${ALLOWED}7`))).body).toEqual({ status: 'WHITELISTED' });
    // The subscriber's own SIM is exempt through its pairing; unknown 3gpp-Sbi headers are ignored.
    const own = await curl(url(`pei=imeisv-${BLOCKED}23&supi=imsi-${PAIRED_IMSI}`), [
      '3gpp-Sbi-Max-Rsp-Time: 2000',
      '3gpp-Sbi-Whatever: 1',
    ]);
    expect(own.body).toEqual({ status: 'WHITELISTED' });
    // Permissive demo policy: a device in no list is allowed.
    expect((await curl(url('pei=imei-490154203237518'))).body).toEqual({ status: 'WHITELISTED' });
  });

  it('answers errors as TS 29.500 / 29.511 ProblemDetails', async () => {
    expect(await curl(url(''))).toMatchObject({
      status: 400,
      type: 'application/problem+json',
      body: { status: 400, cause: 'MANDATORY_QUERY_PARAM_MISSING', invalidParams: [{ param: 'query pei' }] },
    });
    expect(await curl(url('pei=imei-12'))).toMatchObject({
      status: 400,
      body: { cause: 'MANDATORY_QUERY_PARAM_INCORRECT', invalidParams: [{ param: 'query pei' }] },
    });
    expect(await curl(url('pei=junk'))).toMatchObject({
      status: 400,
      body: { cause: 'MANDATORY_QUERY_PARAM_INCORRECT' },
    });
    expect(await curl(url(`pei=imei-${ALLOWED}7&colour=red`))).toMatchObject({
      status: 400,
      body: { cause: 'INVALID_QUERY_PARAM', invalidParams: [{ param: 'query colour' }] },
    });
    expect(await curl(url(`pei=imei-${ALLOWED}7&supi=12345`))).toMatchObject({
      status: 400,
      body: { cause: 'OPTIONAL_QUERY_PARAM_INCORRECT', invalidParams: [{ param: 'query supi' }] },
    });
    expect(await curl(url(`pei=imei-${ALLOWED}7&supported-features=xyz`))).toMatchObject({
      status: 400,
      body: { cause: 'OPTIONAL_QUERY_PARAM_INCORRECT' },
    });
    expect(await curl(url(`pei=imei-${ALLOWED}7`, '/n5g-eir-eic/v1/equipement-status'))).toMatchObject({
      status: 404,
      body: { status: 404, cause: 'RESOURCE_URI_STRUCTURE_NOT_FOUND' },
    });
    const long = await curl(url(`pei=${'x'.repeat(5000)}`));
    expect(long).toMatchObject({ status: 414, body: { status: 414 } });
  });

  it('reads the whole query after the first ?, a second ? included (RFC 3986 §3.4; found by scripts/fuzz.ts)', async () => {
    expect(await curl(url(`pei=imei-${ALLOWED}7?&colour=red`))).toMatchObject({
      status: 400,
      body: { cause: 'INVALID_QUERY_PARAM', invalidParams: [{ param: 'query colour' }] },
    });
    expect(await curl(url(`pei=imei-${BLOCKED}1?&supi=imsi-${PAIRED_IMSI}`))).toMatchObject({
      status: 400,
      body: { cause: 'MANDATORY_QUERY_PARAM_INCORRECT' },
    });
  });

  it('records sightings of blocked and tracked devices, with the SIM and the network', async () => {
    await recorder.shipPending();
    const blocked = sightings.filter((s) => s.deviceKey === BLOCKED);
    expect(blocked.length).toBeGreaterThanOrEqual(4);
    expect(blocked[0]).toMatchObject({
      protocol: 'n5g-eir',
      status: 'blocked',
      imsi: '001010000000099',
      network: 'mno-a',
      peer: '127.0.0.1',
    });
    expect(sightings.some((s) => s.deviceKey === ALLOWED)).toBe(false);
  });

  it('h2load gets only correct answers over multiplexed streams', async () => {
    const { stdout } = await run('h2load', [
      '-n',
      '2000',
      '-c',
      '4',
      '-m',
      '32',
      url(`pei=imeisv-${BLOCKED}23`),
    ]);
    expect(stdout).toContain('Application protocol: h2c');
    expect(stdout).toMatch(
      /requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored, 0 timeout/,
    );
    expect(stdout).toMatch(/status codes: 2000 2xx, 0 3xx, 0 4xx, 0 5xx/);
  });

  it('tshark decodes the traffic as HTTP/2 with no malformed frames', async () => {
    const pcap = await capture(port);
    await curl(url(`pei=imeisv-${BLOCKED}23&supi=imsi-${PAIRED_IMSI}`), [
      '3gpp-Sbi-Sender-Timestamp: Sun, 29 Nov 2026 04:00:00.000 GMT',
    ]);
    await curl(url('pei=junk'));
    await pcap.stop();
    const decode = ['-r', pcap.file, '-d', `tcp.port==${port},http2`];
    expect(tshark([...decode, '-Y', '_ws.malformed || _ws.expert.severity >= error'])).toBe('');
    const headers = tshark([
      ...decode,
      '-Y',
      'http2.header.name',
      '-T',
      'fields',
      '-e',
      'http2.header.name',
      '-e',
      'http2.header.value',
    ]);
    expect(headers).toContain(':path');
    expect(headers).toContain(`${API_PATH}?pei=imeisv-${BLOCKED}23&supi=imsi-${PAIRED_IMSI}`);
    expect(headers).toContain('application/problem+json');
    const bodies = tshark([...decode, '-Y', 'http2.data.data', '-T', 'fields', '-e', 'http2.data.data']);
    const text = bodies
      .split(/\s+/)
      .filter((h) => h !== '')
      .map((h) => Buffer.from(h.replace(/:/g, ''), 'hex').toString())
      .join('\n');
    expect(text).toContain('{"status":"WHITELISTED"}');
    expect(text).toContain('MANDATORY_QUERY_PARAM_INCORRECT');
  });
});

describe('N5g-eir over TLS (ALPN h2) with OAuth2 tokens', () => {
  const nrf = generateKeyPairSync('ed25519');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = path.join(dir, 'jwks.json');
  writeFileSync(
    jwks,
    JSON.stringify({
      keys: [
        { ...nrf.publicKey.export({ format: 'jwk' }), kid: 'nrf-ed', alg: 'EdDSA' },
        { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'nrf-rsa', alg: 'RS256' },
      ],
    }),
  );
  const token = (claims: Record<string, unknown>, alg: 'EdDSA' | 'RS256' = 'EdDSA') => {
    const kid = alg === 'EdDSA' ? 'nrf-ed' : 'nrf-rsa';
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const data = `${part({ alg, kid, typ: 'JWT' })}.${part(claims)}`;
    const signature =
      alg === 'EdDSA'
        ? sign(null, Buffer.from(data), nrf.privateKey)
        : sign('sha256', Buffer.from(data), rsa.privateKey);
    return `${data}.${signature.toString('base64url')}`;
  };
  const now = Math.floor(Date.now() / 1000);
  const good = { iss: 'nrf-1', sub: 'amf-7', aud: ['5G_EIR'], scope: 'n5g-eir-eic', exp: now + 600 };

  let server: SbiServer;
  let base: string;
  let client: http2.ClientHttp2Session;

  beforeAll(async () => {
    const keyFile = path.join(dir, 'tls.key');
    const certFile = path.join(dir, 'tls.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const { readFileSync } = await import('node:fs');
    server = new SbiServer(
      testService({
        policy: policyFrom({
          mode: 'restrictive',
          unlisted: 'unknown',
          malformed: 'tracked',
          pairingExemptsNot: ['barred'],
        }),
      }),
      {
        host: '127.0.0.1',
        port: 0,
        tls: { key: readFileSync(keyFile), cert: readFileSync(certFile) },
        oauth: new TokenValidator({ keyFile: jwks, issuer: 'nrf-1', audiences: ['5G_EIR'] }),
      },
    );
    base = await server.listen();
    client = http2.connect(base, { rejectUnauthorized: false, ALPNProtocols: ['h2'] });
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  const get = (query: string, authorization?: string) =>
    new Promise<{ status: number; body: any; headers: http2.IncomingHttpHeaders }>((resolve, reject) => {
      const req = client.request({
        ':path': `${API_PATH}?${query}`,
        ...(authorization ? { authorization } : {}),
      });
      let data = '';
      let headers: http2.IncomingHttpHeaders = {};
      req.on('response', (h) => {
        headers = h;
      });
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => resolve({ status: Number(headers[':status']), body: JSON.parse(data), headers }));
      req.on('error', reject);
    });

  it('negotiates h2 by ALPN and accepts a valid token (EdDSA and RS256)', async () => {
    expect(await get(`pei=imei-${BLOCKED}1`, `Bearer ${token(good)}`)).toMatchObject({
      status: 200,
      body: { status: 'BLACKLISTED' },
    });
    expect(client.alpnProtocol).toBe('h2');
    expect(await get(`pei=imei-${ALLOWED}7`, `Bearer ${token(good, 'RS256')}`)).toMatchObject({
      status: 200,
      body: { status: 'WHITELISTED' },
    });
  });

  it('answers unknown equipment with 404 ERROR_EQUIPMENT_UNKNOWN under a policy that says so', async () => {
    expect(await get('pei=imei-490154203237518', `Bearer ${token(good)}`)).toMatchObject({
      status: 404,
      body: { status: 404, cause: 'ERROR_EQUIPMENT_UNKNOWN' },
    });
  });

  it('refuses missing, forged, expired, misdirected and under-scoped tokens', async () => {
    const refused = async (authorization: string | undefined, status: number, error: string) => {
      const r = await get(`pei=imei-${BLOCKED}1`, authorization);
      expect(r.status).toBe(status);
      expect(r.body.status).toBe(status);
      expect(r.headers['www-authenticate']).toContain(`error="${error}"`);
    };
    await refused(undefined, 401, 'invalid_token');
    await refused(`Bearer ${token(good).slice(0, -4)}AAAA`, 401, 'invalid_token');
    await refused(`Bearer ${token({ ...good, exp: now - 3600 })}`, 401, 'invalid_token');
    await refused(`Bearer ${token({ ...good, aud: 'UDM' })}`, 401, 'invalid_token');
    await refused(`Bearer ${token({ ...good, iss: 'rogue' })}`, 401, 'invalid_token');
    await refused(`Bearer ${token({ ...good, scope: 'nudm-sdm' })}`, 403, 'insufficient_scope');
  });
});

describe('N5g-eir over mutual TLS (TS 33.501 §13.1), node:http2 consumers', () => {
  const sightings: Sighting[] = [];
  let recorder: SightingRecorder;
  let server: SbiServer;
  let base: string;
  let nfCa: Issued;
  let amf: Issued;
  let rogue: Issued;

  beforeAll(async () => {
    const pki = path.join(dir, 'mtls');
    mkdirSync(pki);
    nfCa = makeCa(pki, 'nf-ca');
    const server_ = issue(pki, nfCa, 'eir', 'server', '/O=mno-a/CN=eir.5gc.mnc001.mcc001.3gppnetwork.org');
    amf = issue(pki, nfCa, 'amf', 'client', '/O=mno-a/CN=amf-1');
    rogue = issue(pki, makeCa(pki, 'other-ca'), 'rogue', 'client', '/O=mno-a/CN=amf-1');
    recorder = new SightingRecorder({
      dir: path.join(pki, 'sightings'),
      node: 'sbi-mtls-test',
      ship: async (b) => void sightings.push(...b),
    });
    server = new SbiServer(testService({ recorder }), {
      host: '127.0.0.1',
      port: 0,
      network: 'mno-a',
      tls: {
        key: readFileSync(server_.key),
        cert: readFileSync(server_.cert),
        clientCa: readFileSync(nfCa.cert),
      },
    });
    base = await server.listen();
  });
  afterAll(async () => {
    await server.close();
    await recorder.close();
  });

  /**
   * One GET on a new TLS connection; rejects with the connection's error (the TLS alert) when it
   * closes before an answer.
   */
  const get = (consumer: Issued | null, query: string) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const client = http2.connect(base, {
        ca: readFileSync(nfCa.cert),
        servername: 'localhost',
        ...(consumer ? { cert: readFileSync(consumer.cert), key: readFileSync(consumer.key) } : {}),
      });
      let failure: NodeJS.ErrnoException | null = null;
      client.on('error', (error) => {
        failure ??= error;
      });
      const req = client.request({ ':path': `${API_PATH}?${query}` });
      let status = 0;
      let data = '';
      req.on('response', (h) => {
        status = Number(h[':status']);
      });
      req.on('data', (c) => {
        data += c;
      });
      // A refused handshake fails the request with the TLS alert (the session may never emit 'close').
      req.on('error', (error) => {
        failure ??= error;
      });
      req.on('close', () =>
        setImmediate(() => {
          client.destroy();
          if (status) resolve({ status, body: JSON.parse(data) });
          else reject(failure ?? Object.assign(new Error('closed before an answer'), { code: 'CLOSED' }));
        }),
      );
    });

  it('answers a consumer whose certificate the NF CA signed, and records its subject as the peer', async () => {
    expect(await get(amf, `pei=imei-${BLOCKED}1&supi=imsi-001010000000042`)).toEqual({
      status: 200,
      body: { status: 'BLACKLISTED' },
    });
    await recorder.shipPending();
    expect(sightings).toEqual([
      expect.objectContaining({
        protocol: 'n5g-eir',
        deviceKey: BLOCKED,
        imsi: '001010000000042',
        network: 'mno-a',
        peer: 'O=mno-a, CN=amf-1',
      }),
    ]);
  });

  it('refuses the handshake to a consumer without a certificate, or with one of another CA', async () => {
    for (const consumer of [null, rogue]) {
      const error = await get(consumer, `pei=imei-${BLOCKED}1`).then(
        () => null,
        (e: NodeJS.ErrnoException) => e,
      );
      expect(error, consumer ? 'another CA' : 'no certificate').not.toBeNull();
      // No certificate: the TLS 1.3 certificate_required alert (RFC 8446 §4.4.2.4). Another CA's: the
      // server's unknown_ca alert, which node:http2 may only see as the connection closing unanswered.
      if (consumer) expect(['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'ECONNRESET', 'CLOSED']).toContain(error!.code);
      else expect(error!.code).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    }
    expect(sightings).toHaveLength(1);
  });
});
