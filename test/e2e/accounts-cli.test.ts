/** `openceir org|user|apikey` as an administrator runs them, on a fresh embedded database (PGlite). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/process.ts';

describe('accounts CLI [pglite]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-accounts-cli-'));
  const env = { OPENCEIR_DATA_DIR: path.join(dir, 'data'), OPENCEIR_DEMO: '0' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds organisations and users with passwords from a file or the environment, never the command line', async () => {
    const org = await runCli(
      ['org', 'add', 'police-capital', '--kind', 'police', '--name', 'Capital Police', '--region', 'capital'],
      env,
    );
    expect(org.stderr).toBe('');
    expect(org.stdout).toBe('organisation police-capital added\n');

    const file = path.join(dir, 'password');
    writeFileSync(file, 'a long enough password\n');
    const added = await runCli(
      [
        'user',
        'add',
        'police.capital',
        '--role',
        'police',
        '--name',
        'Officer',
        '--org',
        'police-capital',
        '--password-file',
        file,
      ],
      env,
    );
    expect(added.stdout).toBe('user police.capital added (police)\n');

    const noPassword = await runCli(
      ['user', 'add', 'someone', '--role', 'regulator', '--name', 'Someone'],
      env,
    );
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toContain(
      'password: give the password with --password-file <file> or OPENCEIR_PASSWORD',
    );

    const short = await runCli(['user', 'add', 'someone', '--role', 'regulator', '--name', 'Someone'], {
      ...env,
      OPENCEIR_PASSWORD: 'short',
    });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');

    const wrongOrg = await runCli(
      ['user', 'add', 'care.x', '--role', 'operator', '--name', 'X', '--org', 'police-capital'],
      { ...env, OPENCEIR_PASSWORD: 'a long enough password' },
    );
    expect(wrongOrg.code).toBe(1);
    expect(wrongOrg.stderr).toContain(
      'organisation: the role operator needs an organisation of kind operator; police-capital is police',
    );
  });

  it('turns TOTP on, lists users, creates and revokes API keys', async () => {
    const totp = await runCli(['user', 'totp', 'police.capital', '--json'], env);
    const { uri } = JSON.parse(totp.stdout) as { uri: string };
    expect(uri).toMatch(/^otpauth:\/\/totp\/OpenCEIR:police\.capital\?secret=[A-Z2-7]{32}&/);
    const list = await runCli(['user', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ username: 'police.capital', role: 'police', totp: true, disabled: false }),
    ]);
    expect(list.stdout).not.toContain('scrypt');

    const created = await runCli(
      ['apikey', 'create', '--org', 'police-capital', '--role', 'police', '--label', 'unit system'],
      env,
    );
    const key = created.stdout.trim();
    expect(key).toMatch(/^ok_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    const keys = await runCli(['apikey', 'list'], env);
    expect(keys.stdout).toContain(key.split('.')[0]);
    expect(keys.stdout).not.toContain(key.split('.')[1]);
    expect((await runCli(['apikey', 'revoke', key.split('.')[0]!], env)).stdout).toContain('revoked');
    expect((await runCli(['apikey', 'revoke', key.split('.')[0]!], env)).code).toBe(1);
  });
});
