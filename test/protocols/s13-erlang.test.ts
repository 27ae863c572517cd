/**
 * Erlang/OTP's diameter application (Debian erlang-diameter) as an independent S13 client: it does
 * its own capabilities exchange, RFC 3539 watchdog and disconnect, and encodes ECRs from a dictionary
 * compiled from the TS 29.272 message layouts (test/protocols/erlang/).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyFrom } from '../../src/check/policy.ts';
import { DiameterServer } from '../../src/protocols/diameter/server.ts';
import { ALLOWED, BLOCKED, PAIRED_IMSI, TRACKED, testService } from '../support/check.ts';

const run = promisify(execFile);
const sources = fileURLToPath(new URL('./erlang/', import.meta.url));
const build = mkdtempSync(path.join(os.tmpdir(), 'openceir-erlang-'));
afterAll(() => rmSync(build, { recursive: true, force: true }));

describe('S13 against the Erlang/OTP diameter client', () => {
  let server: DiameterServer;
  let port: number;

  beforeAll(async () => {
    execFileSync('diameterc', ['-o', build, path.join(sources, 'diameter_3gpp_s13.dia')]);
    execFileSync('erlc', [
      '-o',
      build,
      path.join(build, 'diameter_3gpp_s13.erl'),
      path.join(sources, 's13_client.erl'),
    ]);
    server = new DiameterServer(
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
        originHost: 'eir.openceir.localdomain',
        originRealm: 'openceir.localdomain',
        allowedHosts: ['*'],
        allowedRealms: ['*'],
        allowedAddresses: ['127.0.0.1'],
      },
    );
    port = (await server.listen()).port;
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('completes CER, ECR (white, black, grey, unknown), DWR and DPR', async () => {
    const imeis = [
      `${ALLOWED}`,
      `${BLOCKED}:23`,
      `${BLOCKED}:23:${PAIRED_IMSI}`,
      `${TRACKED}7`,
      '49015420323751:01',
    ];
    const { stdout, stderr } = await run(
      'erl',
      ['-noshell', '-pa', build, '-s', 's13_client', 'main', String(port), ...imeis, '-s', 'init', 'stop'],
      {
        timeout: 30_000,
        cwd: build,
      },
    );
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines).toEqual([
      `ECA ${ALLOWED} result=2001 experimental=none status=0`,
      `ECA ${BLOCKED} result=2001 experimental=none status=1`,
      `ECA ${BLOCKED} result=2001 experimental=none status=0`,
      `ECA ${TRACKED}7 result=2001 experimental=none status=2`,
      'ECA 49015420323751 result=none experimental=5422 status=none',
      'WATCHDOG ok',
      'DPR ok',
    ]);
  }, 60_000);
});
