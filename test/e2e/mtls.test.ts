/**
 * Mutual TLS end to end: `openceir apikey create|bind --client-cert` on PostgreSQL, `openceir start`
 * with tls.* and sbi.tls_* settings, and curl as the operator's system (REST over HTTPS, N5g-eir over
 * TLS with ALPN h2). Certificates are made with the real openssl.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Started, startSystemProcess } from '../support/process.ts';
import { createTestDatabase, type TestDatabase } from '../support/stores.ts';
import { type Issued, issue, makeCa } from '../support/tls.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-mtls-'));

/** The fingerprint as openssl prints it: an independent reading of what `apikey list` shows. */
const fingerprint = (cert: string) =>
  execFileSync('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' })
    .trim()
    .split('=')[1]!;

describe('mutual TLS for operators’ systems and NF consumers [postgres]', () => {
  let database: TestDatabase;
  let system: Started;
  let env: NodeJS.ProcessEnv;
  let registryCa: Issued;
  let alpha: Issued;
  let beta: Issued;
  let rogue: Issued;
  let boundKey: string;
  let plainKey: string;

  /** curl as an operator's system: verifies the server against the registry's CA. */
  async function curl(
    url: string,
    options: { cert?: Issued; headers?: string[]; http2?: boolean } = {},
  ): Promise<{ status: number; body: any }> {
    const args = [
      '-s',
      '--cacert',
      registryCa.cert,
      ...(options.http2 ? ['--http2'] : []),
      ...(options.cert ? ['--cert', options.cert.cert, '--key', options.cert.key] : []),
      ...(options.headers ?? []).flatMap((h) => ['-H', h]),
      '-o',
      '-',
      '-w',
      '\n%{http_code}',
      url,
    ];
    const { stdout } = await run('curl', args);
    const newline = stdout.lastIndexOf('\n');
    const text = stdout.slice(0, newline);
    return {
      status: Number(stdout.slice(newline + 1)),
      body: text.startsWith('{') ? JSON.parse(text) : text,
    };
  }

  beforeAll(async () => {
    registryCa = makeCa(dir, 'registry-ca');
    const operatorsCa = makeCa(dir, 'operators-ca');
    const otherCa = makeCa(dir, 'other-ca');
    const server = issue(dir, registryCa, 'server', 'server', '/O=Regulator/CN=localhost');
    alpha = issue(dir, operatorsCa, 'alpha', 'client', '/O=Operator Alpha/CN=alpha-eir');
    beta = issue(dir, operatorsCa, 'beta', 'client', '/O=Operator Alpha/CN=alpha-reports');
    // The same subject as alpha's, from a CA the registry does not trust.
    rogue = issue(dir, otherCa, 'rogue', 'client', '/O=Operator Alpha/CN=alpha-eir');
    database = await createTestDatabase();
    env = {
      DATABASE_URL: database.url,
      OPENCEIR_DATA_DIR: path.join(dir, 'data'),
      OPENCEIR_DEMO: '0',
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_TLS_CERT_FILE: server.cert,
      OPENCEIR_TLS_KEY_FILE: server.key,
      OPENCEIR_TLS_CLIENT_CA_FILE: operatorsCa.cert,
      OPENCEIR_SBI_TLS_CERT_FILE: server.cert,
      OPENCEIR_SBI_TLS_KEY_FILE: server.key,
      OPENCEIR_SBI_TLS_CLIENT_CA_FILE: operatorsCa.cert,
    };
  }, 60_000);
  afterAll(async () => {
    await system?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds a key to a client certificate with apikey create, and lists the binding', async () => {
    const org = await runCli(
      ['org', 'add', 'operator-alpha', '--kind', 'operator', '--name', 'Alpha', '--operator-id', 'alpha'],
      env,
    );
    expect(org.stderr).toBe('');
    const create = (...extra: string[]) =>
      runCli(['apikey', 'create', '--org', 'operator-alpha', '--role', 'operator', '--json', ...extra], env);
    const bound = await create('--label', 'alpha EIR', '--client-cert', alpha.cert);
    expect(bound.stderr).toBe('');
    const created = JSON.parse(bound.stdout);
    expect(created.clientCertSha256).toBe(fingerprint(alpha.cert));
    boundKey = created.key;
    plainKey = JSON.parse((await create('--label', 'alpha reports')).stdout).key;

    const again = await create('--label', 'second', '--client-cert', alpha.cert);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `client-cert: the certificate is already bound to the active key ${boundKey.split('.')[0]}: one certificate, one key`,
    );
    const notPem = path.join(dir, 'not-a-cert.pem');
    writeFileSync(notPem, 'hello\n');
    const refused = await create('--label', 'x', '--client-cert', notPem);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`client-cert: ${notPem} holds no PEM certificate`);

    const list = await runCli(['apikey', 'list'], env);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes('alpha EIR'))).toContain(
      `[client cert sha256 ${fingerprint(alpha.cert)}]`,
    );
    expect(lines.find((l) => l.includes('alpha reports'))).not.toContain('client cert');
  }, 60_000);

  it('refuses to start with a TLS file that holds no PEM, naming the setting', async () => {
    const notPem = path.join(dir, 'not-a-key.pem');
    writeFileSync(notPem, 'hello\n');
    const failed = await runCli(['start'], { ...env, OPENCEIR_TLS_KEY_FILE: notPem }, 60_000);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain(`tls.key_file: ${notPem} must hold a private key in PEM`);
  }, 90_000);

  it('serves HTTPS; a bound certificate alone acts as its key, a bound key without it is refused', async () => {
    system = await startSystemProcess(env);
    expect(system.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const changes = `${system.url}/api/v1/exchange/changes?since=0`;

    // No certificate: the public portal and health are there for everyone.
    expect((await curl(`${system.url}/healthz`)).status).toBe(200);
    expect((await curl(`${system.url}/`)).status).toBe(200);

    // The bound certificate, no Authorization header: the key's principal (operator alpha).
    expect(await curl(changes, { cert: alpha })).toMatchObject({ status: 200, body: { operator: 'alpha' } });

    // The bound key without its certificate, or with another verified one: refused, with the reason.
    for (const cert of [undefined, beta]) {
      const stolen = await curl(changes, { cert, headers: [`Authorization: Bearer ${boundKey}`] });
      expect(stolen).toMatchObject({ status: 401, body: { cause: 'CLIENT_CERTIFICATE_REQUIRED' } });
      expect(stolen.body.detail).toContain('bound to a client certificate');
    }
    // With it: accepted.
    expect(
      await curl(changes, { cert: alpha, headers: [`Authorization: Bearer ${boundKey}`] }),
    ).toMatchObject({ status: 200, body: { operator: 'alpha' } });

    // Certificates that prove nothing: another CA's (same subject), or a verified one bound to no key.
    for (const cert of [rogue, beta]) {
      expect(await curl(changes, { cert })).toMatchObject({ status: 401, body: { cause: 'UNAUTHORIZED' } });
      expect((await curl(`${system.url}/healthz`, { cert })).status).toBe(200);
    }
    // A browser sends certificates on its own: a cross-site request (Origin) gets nothing from one.
    expect(
      (await curl(changes, { cert: alpha, headers: ['Origin: https://elsewhere.example'] })).status,
    ).toBe(401);

    // An unbound key works as before, with or without a certificate.
    for (const cert of [undefined, rogue]) {
      expect(await curl(changes, { cert, headers: [`Authorization: Bearer ${plainKey}`] })).toMatchObject({
        status: 200,
        body: { operator: 'alpha' },
      });
    }
  }, 90_000);

  it('binds and unbinds an existing key while the registry runs', async () => {
    const id = plainKey.split('.')[0]!;
    const changes = `${system.url}/api/v1/exchange/changes?since=0`;
    const bind = await runCli(['apikey', 'bind', id, '--client-cert', beta.cert], env);
    expect(bind.stdout).toBe(`key ${id} bound to certificate sha256 ${fingerprint(beta.cert)}\n`);
    expect(await curl(changes, { cert: beta })).toMatchObject({ status: 200, body: { operator: 'alpha' } });
    expect((await curl(changes, { headers: [`Authorization: Bearer ${plainKey}`] })).status).toBe(401);

    const neither = await runCli(['apikey', 'bind', id], env);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toContain('client-cert: give --client-cert <pem file>, or --none to unbind');
    expect((await runCli(['apikey', 'bind', id, '--none'], env)).stdout).toBe(`key ${id} unbound\n`);
    expect((await curl(changes, { headers: [`Authorization: Bearer ${plainKey}`] })).status).toBe(200);
    expect((await curl(changes, { cert: beta })).status).toBe(401);
  }, 60_000);

  it('N5g-eir over mutual TLS: a consumer certificate of the client CA, or no handshake', async () => {
    const sbiUrl = /N5g-eir \(5G\)\s+(https:\/\/\S+?)\/n5g-eir/.exec(system.output())?.[1];
    expect(sbiUrl).toBeDefined();
    const url = `${sbiUrl}/n5g-eir-eic/v1/equipment-status?pei=imei-490154203237518`;
    const answered = await curl(url, { cert: alpha, http2: true });
    // An unknown device under the default policy: a status or 404, but an HTTP answer either way.
    expect([200, 404]).toContain(answered.status);
    for (const cert of [undefined, rogue]) {
      const refused = await curl(url, { cert, http2: true }).catch((error: { code: number }) => error);
      // curl's exit code: 35 (handshake failed), or under TLS 1.3, where the server's refusal comes
      // after the client's Finished, 55 or 56 (the connection closed at the first write or read).
      expect([35, 55, 56]).toContain((refused as { code: number }).code);
    }
  }, 30_000);
});
