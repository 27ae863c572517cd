/**
 * Operator list files as an operator engineer meets them: `openceir exchange export` and
 * `openceir exchange verify` run as commands, the directory checked with the real `openssl` and
 * `sha256sum`, a delta applied to the previous full files, every single-byte change of every file
 * caught, and the head confirmed by the running registry over HTTP on loopback.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fullCsv, parseListCsv } from '../../src/exchange/files/csv.ts';
import { applyDelta, LIST_NAMES } from '../../src/exchange/files/lists.ts';
import type { Manifest } from '../../src/exchange/files/manifest.ts';
import { verifyDirectory } from '../../src/exchange/files/verify.ts';
import { runCli, startSystemProcess } from '../support/process.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-xfiles-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const ANALYTICS = `region:
  name: Test
  operators:
    - id: mno-a
      name: Operator A
      mcc_mnc_pairs: [{mcc: '639', mnc: '02'}]
    - id: mno-b
      name: Operator B
      mcc_mnc_pairs: [{mcc: '639', mnc: '07'}]
`;

/** Exit status of a real tool run in `cwd`. */
function tool(cwd: string, command: string, args: string[]): number {
  return spawnSync(command, args, { cwd, stdio: 'pipe', timeout: 10_000 }).status ?? -1;
}
const sha256sum = (dir: string) => tool(dir, 'sha256sum', ['--strict', '--quiet', '-c', 'SHA256SUMS']);
const openssl = (dir: string, keyFile = 'registry-public-key.pem') =>
  tool(dir, 'openssl', [
    'pkeyutl',
    '-verify',
    '-pubin',
    '-inkey',
    keyFile,
    '-rawin',
    '-in',
    'manifest.json',
    '-sigfile',
    'manifest.json.sig',
  ]);

describe('openceir exchange export / verify, with plain openssl and sha256sum', () => {
  const dir = tempDir();
  const env = {
    OPENCEIR_DATA_DIR: path.join(dir, 'data'),
    OPENCEIR_HTTP_PORT: '0',
    OPENCEIR_SBI_PORT: '0',
    OPENCEIR_DIAMETER_PORT: '0',
    OPENCEIR_SMS_SIMULATOR_PORT: '0',
    OPENCEIR_DEMO: '0',
    DATABASE_URL: '',
  };
  const analytics = path.join(dir, 'analytics.yaml');
  writeFileSync(analytics, ANALYTICS);
  const cli = async (args: string[]) => {
    const result = await runCli(args, env, 60_000);
    if (result.code !== 0) throw new Error(`openceir ${args.join(' ')}: ${result.code}\n${result.stderr}`);
    return result.stdout;
  };
  const exportTo = async (name: string, extra: string[] = []) => {
    const out = path.join(dir, name);
    await cli(['exchange', 'export', 'mno-a', out, '--analytics-config', analytics, '--json', ...extra]);
    return { out, manifest: JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest };
  };
  const pinned = path.join(dir, 'pinned.pem');

  it('exports full and delta files that verify with our command, openssl and sha256sum', async () => {
    // Few commands, each a real process: a devices list (police) and two operators' pairings.
    const list = path.join(dir, 'devices.csv');
    writeFileSync(
      list,
      'imei,status,reason\n35209900176148,blocked,stolen\n01234567890123,tracked,monitoring\n',
    );
    await cli(['lists', 'import', 'devices', list, '--source', 'police']);
    await cli([
      'device',
      'pair',
      '86123456789012',
      '--imsi',
      '639020000000001',
      '--source',
      'operator:mno-a',
    ]);
    await cli([
      'device',
      'pair',
      '86123456789012',
      '--imsi',
      '639070000000002',
      '--source',
      'operator:mno-b',
    ]);
    const first = await exportTo('full-1');
    // The next full devices list: 35209900176148 is lifted, 49015420323751 blocked, a reason added.
    writeFileSync(
      list,
      'imei,status,reason\n49015420323751,blocked,lost\n01234567890123,tracked,monitoring\n01234567890123,tracked,stolen\n',
    );
    await cli(['lists', 'import', 'devices', list, '--source', 'police']);
    const second = await exportTo('full-2');
    const delta = await exportTo('delta-1-2', ['--delta-from', String(first.manifest.toPosition)]);
    expect(delta.manifest).toMatchObject({
      kind: 'delta',
      fromPosition: first.manifest.toPosition,
      toPosition: second.manifest.toPosition,
      exceptions: { by: 'mcc-mnc', prefixes: ['63902'] },
    });
    expect(readFileSync(path.join(delta.out, 'blocked-delta.csv'), 'utf8')).toMatch(
      /^imei,block_date,reasons,change_type\n35209900176148,\d{8},stolen,remove\n49015420323751,\d{8},lost,add\n$/,
    );
    expect(readFileSync(path.join(second.out, 'exceptions.csv'), 'utf8')).toBe(
      'imei,imsi,msisdn\n86123456789012,639020000000001,\n',
    );

    // The key an operator pins: derived from the registry's key file by openssl, not taken from the files.
    execFileSync('openssl', [
      'pkey',
      '-in',
      path.join(dir, 'data', 'ledger-key.pem'),
      '-pubout',
      '-out',
      pinned,
    ]);
    for (const { out } of [first, second, delta]) {
      expect(sha256sum(out)).toBe(0);
      expect(openssl(out)).toBe(0);
      expect(openssl(out, pinned)).toBe(0);
      const verified = await runCli(['exchange', 'verify', out, '--public-key', pinned], env, 60_000);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/^verified: .* key [0-9a-f]{64} \(pinned\)$/m);
    }
    const unpinned = await runCli(['exchange', 'verify', first.out], env, 60_000);
    expect(unpinned.code).toBe(0);
    expect(unpinned.stdout).toContain('warning: no key pinned');

    // An operator applies the delta to the full files it holds and gets the next full files.
    for (const list of LIST_NAMES) {
      const full = parseListCsv(list, false, readFileSync(path.join(first.out, `${list}.csv`), 'utf8')).rows;
      const changes = parseListCsv(
        list,
        true,
        readFileSync(path.join(delta.out, `${list}-delta.csv`), 'utf8'),
      ).rows;
      const applied = applyDelta(
        full,
        changes.map((c) => ({ key: c.key, values: c.values, change: c.change! })),
      );
      expect(fullCsv(list, applied)).toBe(readFileSync(path.join(second.out, `${list}.csv`), 'utf8'));
    }

    // The same position again: the same bytes, signature included (Ed25519 is deterministic).
    const again = await exportTo('full-2-again', ['--position', String(second.manifest.toPosition)]);
    for (const name of readdirSync(second.out))
      expect(readFileSync(path.join(again.out, name))).toEqual(readFileSync(path.join(second.out, name)));
  }, 480_000);

  it('every single-byte change of every file fails verify; openssl and sha256sum catch theirs', async () => {
    const pem = readFileSync(pinned, 'utf8');
    let changes = 0;
    for (const source of ['full-2', 'delta-1-2']) {
      const original = path.join(dir, source);
      const copy = path.join(tempDir(), 'copy');
      cpSync(original, copy, { recursive: true });
      for (const name of readdirSync(original)) {
        const bytes = readFileSync(path.join(original, name));
        for (let i = 0; i < bytes.length; i++) {
          const changed = Buffer.from(bytes);
          changed[i] = (changed[i]! + 1) % 256;
          writeFileSync(path.join(copy, name), changed);
          const report = await verifyDirectory(copy, { publicKeyPem: pem });
          if (report.ok) throw new Error(`${source}/${name}: byte ${i} changed and verify passed`);
          changes++;
          // The real tools, on the first, a middle and the last byte of each file: sha256sum covers every
          // file (SHA256SUMS itself with --strict), openssl the manifest and its signature.
          if (i === 0 || i === bytes.length >> 1 || i === bytes.length - 1) {
            expect(sha256sum(copy)).not.toBe(0);
            if (name.startsWith('manifest.json')) expect(openssl(copy, pinned)).not.toBe(0);
          }
        }
        writeFileSync(path.join(copy, name), bytes);
      }
      expect((await verifyDirectory(copy, { publicKeyPem: pem })).ok).toBe(true);
    }
    expect(changes).toBeGreaterThan(3000);

    // The command names the file and the check, and exits 1.
    const copy = path.join(tempDir(), 'copy');
    cpSync(path.join(dir, 'full-2'), copy, { recursive: true });
    writeFileSync(
      path.join(copy, 'blocked.csv'),
      `${readFileSync(path.join(copy, 'blocked.csv'), 'utf8')}35209900176148,20260101,stolen\n`,
    );
    const failed = await runCli(['exchange', 'verify', copy, '--public-key', pinned], env, 60_000);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAIL blocked\.csv: sha256: /m);
    expect(failed.stdout).toMatch(/^VERIFICATION FAILED: .*blocked\.csv \(sha256\)/m);
  }, 480_000);

  it('a wrong public key fails; the registry confirms the head from its database and, running, over HTTP', async () => {
    const wrongKey = path.join(dir, 'wrong.pem');
    execFileSync('openssl', [
      'genpkey',
      '-algorithm',
      'ed25519',
      '-out',
      path.join(dir, 'wrong-private.pem'),
    ]);
    execFileSync('openssl', [
      'pkey',
      '-in',
      path.join(dir, 'wrong-private.pem'),
      '-pubout',
      '-out',
      wrongKey,
    ]);
    const out = path.join(dir, 'full-2');
    expect(openssl(out, wrongKey)).not.toBe(0);
    const wrong = await runCli(['exchange', 'verify', out, '--public-key', wrongKey], env, 60_000);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^FAIL manifest\.json: signature: /m);

    const local = await runCli(['exchange', 'verify', out, '--public-key', pinned, '--local'], env, 60_000);
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(
      /^ok {3}registry database: registry: the head of size \d+ is in the registry's log$/m,
    );

    const system = await startSystemProcess(env);
    try {
      const confirmed = await runCli(
        ['exchange', 'verify', out, '--public-key', pinned, '--server', system.url, '--json'],
        env,
        60_000,
      );
      expect(confirmed.code).toBe(0);
      const report = JSON.parse(confirmed.stdout);
      expect(report.checks.at(-1)).toMatchObject({ file: system.url, check: 'registry', ok: true });
    } finally {
      await system.stop();
    }
  }, 120_000);
});
