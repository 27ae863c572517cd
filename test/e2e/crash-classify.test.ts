/**
 * Crash safety of classification and list generation (issue 9, item 4), on the PostgreSQL analytics
 * engine: `openceir analytics classify` (two blocking conditions, each committed with its ledger
 * entries in one transaction) and `openceir analytics listgen` are SIGKILLed as soon as their work is
 * seen from outside (classification_state statements in pg_stat_activity; anything in the output
 * folder) and at seeded random points within a clean run's duration, then run again. The result must
 * equal one clean run on another fresh database: classification_state without row and run ids, the
 * ledger's rule entries in order without times, seqs and run references, the current lists, and the
 * list files byte for byte (their names carry run ids, which killed runs use up). No listgen
 * directory is left with files missing, and `openceir ledger verify` passes.
 *
 * Seed: OPENCEIR_CRASH_SEED; the kill times used are printed.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CRASH_SEED,
  CrashBench,
  expectLedgerVerifies,
  generator,
  type Kill,
  runKilled,
  statementRunning,
  tableState,
} from '../support/crash.ts';
import type { TestDatabase } from '../support/stores.ts';

const DEVICES = 3_000;
const TIMED_KILLS = 2;

const bench = new CrashBench();
afterAll(() => bench.close());

/** Operator data for January: every 10th device a clone seen with 2 to 5 subscribers. */
function operatorFile(dir: string): string {
  const lines = ['date,imei,imsi,msisdn,rat'];
  let subscriber = 0;
  for (let d = 0; d < DEVICES; d++) {
    const sims = d % 10 === 0 ? 2 + ((d / 10) % 4) : 1;
    for (let s = 0; s < sims; s++) {
      subscriber++;
      lines.push(
        `202601${String(10 + (subscriber % 18)).padStart(2, '0')},352099${String(d).padStart(8, '0')},63902${String(subscriber).padStart(10, '0')},2547${String(subscriber).padStart(8, '0')},006`,
      );
    }
  }
  const file = path.join(dir, 'alpha_20260101_20260131.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function analyticsConfig(dir: string): string {
  const file = path.join(dir, 'analytics.yaml');
  const condition = (label: string, threshold: number) =>
    [
      `  - label: ${label}`,
      `    dimensions: [{module: duplicate_threshold, parameters: {threshold: ${threshold}, period_days: 30}}]`,
      '    grace_period_days: 0',
      '    blocking: true',
      `    reason: Duplicate IMEI ${threshold}`,
      '    max_allowed_matching_ratio: 0.5',
    ].join('\n');
  writeFileSync(
    file,
    [
      'region:',
      "  country_codes: ['254']",
      '  operators:',
      "    - id: alpha\n      mcc_mnc_pairs: [{mcc: '639', mnc: '02'}]",
      'conditions:',
      condition('dup4', 4),
      condition('dup2', 2),
      '',
    ].join('\n'),
  );
  return file;
}

/** Run ids in file names and ledger references, which killed runs use up, made neutral. */
const neutral = (text: string) =>
  text.replace(/delta_-?\d+_\d+/g, 'delta_B_R').replace(/"run:\d+"/g, '"run:N"');

/** Each listgen directory's files (names made neutral) and bytes; anything else by name. */
function listDirectories(out: string): {
  complete: Record<string, string>[];
  names: string[];
  partial: string[];
} {
  const complete: Record<string, string>[] = [];
  const names: string[] = [];
  const partial: string[] = [];
  if (!existsSync(out)) return { complete, names, partial };
  for (const name of readdirSync(out).sort()) {
    if (!/^listgen__\d{8}_\d{6}__classid_\d+$/.test(name)) {
      // A killed job may leave `<name>.partial`: never under a list directory's name.
      if (!name.endsWith('.partial')) partial.push(name);
      continue;
    }
    const files: Record<string, string> = {};
    for (const file of readdirSync(path.join(out, name)).sort()) {
      files[neutral(file)] = readFileSync(path.join(out, name, file), 'utf8');
    }
    complete.push(files);
    names.push(name);
  }
  return { complete, names, partial };
}

async function state(sql: pg.Client) {
  return {
    classification: await tableState(sql, 'classification_state', ['row_id', 'run_id']),
    entries: (await tableState(sql, 'ledger_entry', ['seq', 'recorded_at', 'leaf_hash'], 'seq')).map(neutral),
    reasons: (await tableState(sql, 'device_reason', ['seq', 'since'])).map(neutral),
  };
}

describe('classification and list generation killed half way', () => {
  it('run again, leave exactly what one clean run leaves', { timeout: 600_000 }, async () => {
    const random = generator(CRASH_SEED);
    const work = bench.dir();
    const file = operatorFile(work);
    const config = analyticsConfig(work);
    // One privacy key for both runs: the analytics stores seal IMSIs and MSISDNs under it, and the two
    // runs' tables and list files are compared.
    const privacyKeyFile = path.join(work, 'privacy-key');
    const classifyArgs = ['analytics', 'classify', '--curr-date', '20260131'];
    const listgenArgs = (out: string) => ['analytics', 'listgen', out, '--curr-date', '20260131'];

    const prepared = async (database: TestDatabase) => {
      const env = {
        DATABASE_URL: database.url,
        OPENCEIR_DATA_DIR: bench.dir(),
        OPENCEIR_DEMO: 'false',
        OPENCEIR_ANALYTICS_ENGINE: 'postgres',
        OPENCEIR_ANALYTICS_CONFIG_FILE: config,
        OPENCEIR_PRIVACY_KEY_FILE: privacyKeyFile,
      };
      const imported = await runKilled(
        ['analytics', 'import', 'operator', 'alpha', file, '--disable-historic-check'],
        env,
      );
      expect(imported.code, imported.output).toBe(0);
      return env;
    };

    const clean = await bench.database();
    const cleanEnv = await prepared(clean);
    const cleanOut = path.join(bench.dir(), 'lists');
    const cleanClassify = await runKilled(classifyArgs, cleanEnv);
    expect(cleanClassify.code, cleanClassify.output).toBe(0);
    const cleanListgen = await runKilled(listgenArgs(cleanOut), cleanEnv);
    expect(cleanListgen.code, cleanListgen.output).toBe(0);

    const crashed = await bench.database();
    const crashedEnv = await prepared(crashed);
    const crashedOut = path.join(bench.dir(), 'lists');
    const watcher = await bench.sql(crashed.url);
    const log: string[] = [];
    const killed = async (what: string, args: string[], kills: Kill[]) => {
      for (const kill of kills) {
        const run = await runKilled(args, crashedEnv, kill);
        const entries = Number((await watcher.query('select size from ledger_state')).rows[0].size);
        const at = kill && 'afterMs' in kill ? `${kill.afterMs} ms` : 'its work seen running';
        log.push(
          `${what}: kill at ${at} → ${run.signal ?? `exit ${run.code}`} after ${Math.round(run.ms)} ms, ledger size ${entries}`,
        );
        if (run.signal === null) expect(run.code, run.output).toBe(0);
      }
      const done = await runKilled(args, crashedEnv);
      expect(done.code, done.output).toBe(0);
    };
    const timed = (ms: number) =>
      Array.from({ length: TIMED_KILLS }, () => ({ afterMs: Math.round(ms * (0.1 + 0.8 * random())) }));

    await killed('classify', classifyArgs, [
      { when: statementRunning(watcher, new URL(crashed.url).pathname.slice(1), '%classification_state%') },
      ...timed(cleanClassify.ms),
    ]);
    await killed('listgen', listgenArgs(crashedOut), [
      { when: async () => existsSync(crashedOut) && readdirSync(crashedOut).length > 0 },
      ...timed(cleanListgen.ms),
    ]);
    console.log(
      `crash-classify seed ${CRASH_SEED}: clean classify ${Math.round(cleanClassify.ms)} ms, listgen ${Math.round(cleanListgen.ms)} ms\n${log.join('\n')}`,
    );
    expect(log.some((line) => line.includes('SIGKILL'))).toBe(true);

    const want = await state(await bench.sql(clean.url));
    const got = await state(watcher);
    expect(want.classification.length).toBeGreaterThan(0);
    expect(got.classification).toEqual(want.classification);
    expect(got.reasons).toEqual(want.reasons);
    expect(got.entries).toEqual(want.entries);

    const wantLists = listDirectories(cleanOut);
    const gotLists = listDirectories(crashedOut);
    expect(wantLists.complete).toHaveLength(1);
    expect(gotLists.partial).toEqual([]);
    expect(gotLists.complete.length).toBeGreaterThanOrEqual(1);
    // Every complete directory holds the clean run's full lists. The first run marked successful also
    // holds the clean run's deltas (against no successful run); a later successful one (a kill that came
    // after the run had finished) has empty deltas. A directory whose run was killed after its rename but
    // before it was marked successful holds the deltas against the last successful run: the clean ones
    // or empty.
    const cleanFiles = wantLists.complete[0]!;
    const successful = (
      await watcher.query(
        "select details->>'directory' as directory from analytics_run where command = 'listgen' and status = 'success' order by run_id",
      )
    ).rows.map((r: { directory: string }) => r.directory);
    expect(successful.length).toBeGreaterThanOrEqual(1);
    expect(gotLists.names).toEqual(expect.arrayContaining(successful));
    gotLists.complete.forEach((directory, i) => {
      const name = gotLists.names[i]!;
      expect(Object.keys(directory), name).toEqual(Object.keys(cleanFiles));
      if (name === successful[0]) {
        expect(directory, name).toEqual(cleanFiles);
        return;
      }
      for (const [file, text] of Object.entries(directory)) {
        if (!file.includes('_delta_')) expect(text, `${name}/${file}`).toEqual(cleanFiles[file]);
        else if (successful.includes(name) || text !== cleanFiles[file])
          expect(text.trim().split('\n'), `${name}/${file}`).toHaveLength(1);
      }
    });
    await expectLedgerVerifies(crashedEnv);
  });
});
