/**
 * `openceir analytics import <list>` as a regulator moving from DIRBS runs it, on the embedded
 * engines (PGlite registry, DuckDB analytics): the subscribers registration, device association and
 * stolen lists go in under their analytics names, and classification then reads them — a device
 * used by three registered subscribers a day matches daily_avg_uid, the one device nobody is
 * associated with matches not_on_association_list, the stolen one matches stolen_list. An import
 * killed half way (PostgreSQL) leaves nothing, and runs again whole.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli, startSystemProcess } from '../support/process.ts';
import { createTestDatabase } from '../support/stores.ts';

describe('analytics list imports CLI [pglite + duckdb]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-analytics-lists-cli-'));
  const analyticsConfig = path.join(dir, 'analytics.yaml');
  const condition = (label: string, dimension: string) =>
    [
      `  - label: ${label}`,
      `    dimensions: [${dimension}]`,
      '    grace_period_days: 0',
      '    blocking: false',
      `    reason: ${label}`,
      '    max_allowed_matching_ratio: 1',
    ].join('\n');
  writeFileSync(
    analyticsConfig,
    [
      'region:',
      "  country_codes: ['254']",
      '  operators:',
      "    - id: alpha\n      mcc_mnc_pairs: [{mcc: '639', mnc: '02'}]",
      'conditions:',
      condition(
        'uids',
        '{module: daily_avg_uid, parameters: {threshold: 2, period_days: 30, min_seen_days: 1}}',
      ),
      condition('unassociated', '{module: not_on_association_list}'),
      condition('stolen', '{module: stolen_list}'),
      '',
    ].join('\n'),
  );
  const env = {
    OPENCEIR_DATA_DIR: path.join(dir, 'data'),
    OPENCEIR_DEMO: '0',
    OPENCEIR_ANALYTICS_CONFIG_FILE: analyticsConfig,
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const imei = (device: number) => `352099${String(device).padStart(8, '0')}`;
  const imsi = (n: number) => `63902${String(n).padStart(10, '0')}`;
  const write = (name: string, lines: string[]) => {
    const target = path.join(dir, name);
    writeFileSync(target, `${lines.join('\r\n')}\r\n`);
    return target;
  };

  // Ten devices, one subscriber each, except device 0: three subscribers on the same day.
  const operatorFile = write('alpha_20260101_20260131.csv', [
    'date,imei,imsi,msisdn,rat',
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(
      (i) => `20260110,${imei(i < 3 ? 0 : i - 2)},${imsi(i)},2547${String(i).padStart(8, '0')},006`,
    ),
  ]);
  const subscribers = write('subscribers.csv', [
    'uid,imsi',
    ...Array.from({ length: 12 }, (_, i) => `NID-${i},${imsi(i)}`),
  ]);
  // Every device but 9 is associated with a UID.
  const association = write('association.csv', [
    'uid,imei',
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((d) => `NID-${d},${imei(d)}`),
  ]);
  const stolen = write('stolen.csv', ['imei,reporting_date,status', `${imei(5)},20260105,`]);

  it('imports the lists under their analytics names, once', { timeout: 300_000 }, async () => {
    const operator = await runCli(
      ['analytics', 'import', 'operator', 'alpha', operatorFile, '--disable-historic-check'],
      env,
      60_000,
    );
    expect(operator.stdout).toMatch(/imported 12 rows/);

    const first = await runCli(['analytics', 'import', 'subscribers', subscribers], env, 60_000);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(
      /^subscribers list \(full\): 12 rows, 0 bad\n {2}12 to add, 0 to remove, 0 unchanged\n/,
    );
    expect(first.stdout).toMatch(/\nimported \(import \d+\)\n$/);
    const again = await runCli(['analytics', 'import', 'subscribers', subscribers, '--json'], env, 60_000);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'already-imported', adds: 0, removes: 0 });

    const associated = await runCli(
      ['analytics', 'import', 'association', association, '--json'],
      env,
      60_000,
    );
    expect(JSON.parse(associated.stdout)).toMatchObject({ outcome: 'imported', rows: 9, adds: 9 });

    const listed = await runCli(['analytics', 'import', 'stolen', stolen], env, 60_000);
    expect(listed.stdout).toContain('committed 1 ledger entries');
  });

  it('refuses bad rows with line, field and rule, exit status 1, nothing imported', {
    timeout: 300_000,
  }, async () => {
    const bad = write('association-bad.csv', [
      'uid,imei,change_type',
      'NID 1,35209900000001,add',
      'NID-2,35209900000002,move',
    ]);
    const refused = await runCli(['analytics', 'import', 'association', bad, '--delta'], env, 60_000);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      '  line 2, uid: must be 1 to 20 characters of 0-9, A-Z, a-z, - or \\ (DIRBS uid format)\n' +
        '  line 3, change_type: must be add or remove\n' +
        'nothing imported: fix the rows above\n',
    );
    const missing = await runCli(['analytics', 'import', 'subscribers', bad], env, 60_000);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('file: the subscribers list needs column imsi');
  });

  it('maps the DIRBS delta switches onto the ledger lists, and gsma-tac onto the TAC import', {
    timeout: 300_000,
  }, async () => {
    const delta = write('stolen-delta.csv', ['imei,reporting_date,change_type', `${imei(5)},20260105,add`]);
    const checked = await runCli(['analytics', 'import', 'stolen', delta, '--delta'], env, 60_000);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(`  line 2, imei: ${imei(5)} is already on the stolen list (add)\n`);
    const unchecked = await runCli(
      ['analytics', 'import', 'stolen', delta, '--delta', '--disable-delta-adds-check'],
      env,
      60_000,
    );
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toMatch(/1 unchanged\nnothing to change\n$/);
    const gsma = write('gsma.txt', [
      'TAC|Marketing Name|Manufacturer|Bands|Allocation Date|Model Name|Device Type',
      '35209900|Acme One|Acme Devices Ltd|GSM 900,LTE FDD BAND 3|26-Apr-2016|A1|Smartphone',
    ]);
    const tacs = await runCli(['analytics', 'import', 'gsma-tac', gsma], env, 60_000);
    expect(tacs.stderr).toBe('');
    expect(tacs.stdout).toMatch(/^gsma TAC file: 1 rows, 0 bad; 1 added, /);
  });

  it('classification reads the imported lists', { timeout: 300_000 }, async () => {
    const run = await runCli(['analytics', 'classify', '--curr-date', '20260131', '--json'], env, 60_000);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'success',
      networkImeis: 10,
      conditions: [
        { condition: 'uids', matched: 1 },
        { condition: 'unassociated', matched: 1 },
        { condition: 'stolen', matched: 1 },
      ],
    });
    const matched = async (label: string) =>
      JSON.parse(
        (await runCli(['analytics', 'matches', '--condition', label, '--json'], env, 60_000)).stdout,
      );
    expect(await matched('uids')).toMatchObject([
      {
        imeiNorm: imei(0),
        evidence: expect.stringMatching(/^daily_avg_uid: seen with 3 registered subscriber UID/),
      },
    ]);
    expect(await matched('unassociated')).toMatchObject([{ imeiNorm: imei(9) }]);
    expect(await matched('stolen')).toMatchObject([{ imeiNorm: imei(5) }]);
  });
});

describe('analytics list imports while a server holds the embedded database', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-analytics-lists-server-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ledger lists go through its API; what the API cannot take is refused, not ignored', {
    timeout: 300_000,
  }, async () => {
    const env = {
      OPENCEIR_DATA_DIR: path.join(dir, 'data'),
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DEMO: '0',
      DATABASE_URL: '',
    };
    const stolen = path.join(dir, 'stolen.csv');
    writeFileSync(stolen, 'imei,change_type\n35209900176148,add\n');
    const subscribers = path.join(dir, 'subscribers.csv');
    writeFileSync(subscribers, 'uid,imsi\nNID-1,639020000000001\n');
    const system = await startSystemProcess(env, 120_000);
    try {
      const cliEnv = { ...env, OPENCEIR_HTTP_PORT: new URL(system.url).port };
      const listed = await runCli(['analytics', 'import', 'stolen', stolen, '--delta'], cliEnv, 60_000);
      expect(listed.stderr).toBe('');
      expect(listed.stdout).toContain('committed 1 ledger entries');
      const switched = await runCli(
        ['analytics', 'import', 'stolen', stolen, '--delta', '--disable-delta-adds-check'],
        cliEnv,
        60_000,
      );
      expect(switched.code).toBe(1);
      expect(switched.stderr).toContain('--disable-delta-*-check: needs the database itself');
      const own = await runCli(['analytics', 'import', 'subscribers', subscribers], cliEnv, 60_000);
      expect(own.code).toBe(1);
      expect(own.stderr).toContain('database: the running server holds the embedded database');
    } finally {
      expect((await system.stop()).code).toBe(0);
    }
  });
});

describe('analytics list import killed half way [postgres]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-analytics-lists-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves nothing of the file, and the same command again imports it whole', {
    timeout: 600_000,
  }, async () => {
    const database = await createTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    try {
      const env = {
        OPENCEIR_DATA_DIR: path.join(dir, 'data'),
        OPENCEIR_DEMO: '0',
        DATABASE_URL: database.url,
      };
      const small = path.join(dir, 'small.csv');
      writeFileSync(small, 'uid,imsi\nNID-0,639020000000000\n');
      expect((await runCli(['analytics', 'import', 'subscribers', small], env, 120_000)).code).toBe(0);
      const rows = 200_000;
      const big = path.join(dir, 'big.csv');
      const lines = ['uid,imsi'];
      for (let i = 0; i < rows; i++) lines.push(`NID-${i},63902${String(i).padStart(10, '0')}`);
      writeFileSync(big, `${lines.join('\n')}\n`);

      await client.connect();
      const inserting = async () =>
        (
          await client.query(
            `select count(*)::int as n from pg_stat_activity where datname = current_database()
             and pid <> pg_backend_pid() and state in ('active', 'idle in transaction')
             and query like '%insert into "analytics_subscriber"%'`,
          )
        ).rows[0].n as number;
      const child = spawn(process.execPath, [BIN, 'analytics', 'import', 'subscribers', big], {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('close', (_code, signal) => resolve(signal)),
      );
      // Kill it while its transaction is writing rows (bounded: 5 minutes of 20 ms polls).
      let seen = false;
      for (let i = 0; i < 15_000 && !seen && child.exitCode === null; i++) {
        seen = (await inserting()) > 0;
        if (!seen) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seen).toBe(true);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      for (let i = 0; i < 1_500 && (await inserting()) > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));

      const count = async (table: string) =>
        (await client.query(`select count(*)::int as n from ${table}`)).rows[0].n as number;
      expect(await count('analytics_subscriber')).toBe(1);
      expect(await count('analytics_list_import')).toBe(1);

      const again = await runCli(['analytics', 'import', 'subscribers', big, '--json'], env, 300_000);
      expect(JSON.parse(again.stdout)).toMatchObject({
        outcome: 'imported',
        rows,
        adds: rows - 1,
        unchanged: 1,
      });
      expect(await count('analytics_subscriber')).toBe(rows);
      expect(await count('analytics_list_import')).toBe(2);
    } finally {
      await client.end().catch(() => {});
      await database.drop();
    }
  });
});
