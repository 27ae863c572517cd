import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.ts';
import { SETTINGS } from './settings.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yaml(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config).toMatchObject({
      httpPort: 8080,
      sbiPort: 8000,
      diameterPort: 3868,
      host: '127.0.0.1',
      dataDir: path.join(dir, 'data'),
      databaseUrl: null,
      adminApiKey: null,
      demo: true,
      logLevel: 'info',
      ledgerKeyFile: path.join(dir, 'data', 'ledger-key.pem'),
      policy: {
        mode: 'permissive',
        unlisted: null,
        malformed: 'tracked',
        pairingExemptsNot: ['barred', 'court-order'],
      },
      configFile: null,
    });
  });

  it('reads YAML sections as dotted settings, and lists from YAML or comma-separated text', () => {
    const file = yaml(
      'policy.yaml',
      'policy:\n  mode: restrictive\n  unlisted: unknown\n  pairing_exempts_not: [barred]\n',
    );
    expect(loadConfig({ file, env: {}, cwd: dir }).policy).toEqual({
      mode: 'restrictive',
      unlisted: 'unknown',
      malformed: 'tracked',
      pairingExemptsNot: ['barred'],
    });
    const env = {
      OPENCEIR_POLICY_PAIRING_EXEMPTS_NOT: 'barred, fraud',
      OPENCEIR_POLICY_MALFORMED: 'blocked',
    };
    expect(loadConfig({ file, env, cwd: dir }).policy).toMatchObject({
      malformed: 'blocked',
      pairingExemptsNot: ['barred', 'fraud'],
    });
    expect(problems(() => loadConfig({ env: { OPENCEIR_POLICY_MODE: 'lenient' }, cwd: dir }))).toEqual([
      'OPENCEIR_POLICY_MODE (setting policy.mode) must be one of permissive, restrictive; got "lenient"',
    ]);
  });

  it('reads the YAML file, and environment variables win over it', () => {
    const file = yaml(
      'a.yaml',
      'http_port: 9090\ndemo: false\ndata_dir: /var/lib/openceir\nsbi_port: 8001\n',
    );
    const config = loadConfig({ file, env: { OPENCEIR_SBI_PORT: '7000', OPENCEIR_DEMO: '1' }, cwd: dir });
    expect(config).toMatchObject({
      httpPort: 9090,
      sbiPort: 7000,
      demo: true,
      dataDir: '/var/lib/openceir',
      configFile: file,
    });
  });

  it('finds ./openceir.yaml, or the file OPENCEIR_CONFIG names', () => {
    const sub = mkdtempSync(path.join(dir, 'cwd-'));
    writeFileSync(path.join(sub, 'openceir.yaml'), 'log_level: debug\n');
    expect(loadConfig({ env: {}, cwd: sub }).logLevel).toBe('debug');
    const other = yaml('other.yaml', 'log_level: warn\n');
    expect(loadConfig({ env: { OPENCEIR_CONFIG: other }, cwd: sub }).logLevel).toBe('warn');
  });

  it('names the setting, the source and the rule of every bad value at once', () => {
    const file = yaml('bad.yaml', 'http_port: 70000\nhttp_prot: 1\n');
    const found = problems(() =>
      loadConfig({
        file,
        env: { OPENCEIR_DEMO: 'maybe', DATABASE_URL: 'mysql://x', OPENCEIR_LOG_LEVEL: 'loud' },
        cwd: dir,
      }),
    );
    expect(found).toEqual([
      `http_port in ${file} must be a whole number from 0 to 65535; got 70000`,
      expect.stringContaining(`${file}: unknown setting "http_prot"`),
      'DATABASE_URL (setting database_url) must be a postgres:// or postgresql:// URL; got (hidden)',
      'OPENCEIR_DEMO (setting demo) must be 1/0, true/false, yes/no or on/off; got "maybe"',
      'OPENCEIR_LOG_LEVEL (setting log_level) must be one of fatal, error, warn, info, debug, trace, silent; got "loud"',
    ]);
  });

  it('refuses a YAML file that is not a mapping, or not YAML', () => {
    expect(
      problems(() => loadConfig({ file: yaml('list.yaml', '- a\n- b\n'), env: {}, cwd: dir }))[0],
    ).toContain('must be a mapping');
    expect(
      problems(() => loadConfig({ file: yaml('broken.yaml', 'a: [\n'), env: {}, cwd: dir }))[0],
    ).toContain('broken.yaml');
  });

  it('refuses half a TLS configuration, naming both settings', () => {
    expect(problems(() => loadConfig({ env: { OPENCEIR_TLS_CERT_FILE: 'a.pem' }, cwd: dir }))).toEqual([
      'tls.cert_file and tls.key_file go together: set both for HTTPS, or neither for plain HTTP',
    ]);
    expect(problems(() => loadConfig({ env: { OPENCEIR_TLS_CLIENT_CA_FILE: 'ca.pem' }, cwd: dir }))).toEqual([
      'tls.client_ca_file needs tls.cert_file and tls.key_file: client certificates need HTTPS',
    ]);
    expect(
      problems(() => loadConfig({ env: { OPENCEIR_SBI_TLS_CLIENT_CA_FILE: 'ca.pem' }, cwd: dir })),
    ).toEqual([
      'sbi.tls_client_ca_file needs sbi.tls_cert_file and sbi.tls_key_file: mutual TLS is TLS first',
    ]);
    const config = loadConfig({
      env: {
        OPENCEIR_TLS_CERT_FILE: 'c.pem',
        OPENCEIR_TLS_KEY_FILE: 'k.pem',
        OPENCEIR_TLS_CLIENT_CA_FILE: 'ca.pem',
      },
      cwd: dir,
    });
    expect(config.tls).toEqual({
      certFile: path.join(dir, 'c.pem'),
      keyFile: path.join(dir, 'k.pem'),
      clientCaFile: path.join(dir, 'ca.pem'),
    });
  });

  it('an empty DATABASE_URL means PGlite', () => {
    expect(loadConfig({ env: { DATABASE_URL: '' }, cwd: dir }).databaseUrl).toBeNull();
  });

  it('the README documents every setting with its environment variable and default', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const setting of SETTINGS) {
      const row = readme
        .split('\n')
        .find((line) => new RegExp(`^\\|\\s*\`${setting.env}\`\\s*\\|`).test(line));
      expect(row, `README row for ${setting.env}`).toBeDefined();
      expect(row).toContain(`\`${setting.key}\``);
      expect(row).toContain(setting.default === null ? '(unset)' : `\`${String(setting.default)}\``);
    }
  });
});
