/**
 * Crash safety of list imports (issue 9, item 4): `openceir lists import stolen` of a 20,000-row
 * file (CRASH_IMPORT_ROWS=100000 for the full run), straight on a fresh PostgreSQL database,
 * SIGKILLed once as soon as its ledger appends are seen running (pg_stat_activity) and at seeded
 * random points within a clean import's duration, then run again to completion. A second full file (a tenth recovered, a tenth new) is killed the
 * same way on top of the first. The result must equal one clean import of each file into another
 * fresh database: the ledger entries in order without their times (and leaf hashes, which cover
 * the time), the current lists without times and positions; and `openceir ledger verify` passes.
 *
 * Seed: OPENCEIR_CRASH_SEED. The kill times used are printed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type DeviceKey, fullImei } from '../../src/identifiers/imei.ts';
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

/** 20,000 keeps CI bounded on a loaded machine; CRASH_IMPORT_ROWS=100000 is the full run. */
const ROWS = Number(process.env.CRASH_IMPORT_ROWS ?? 20_000);
const TIMED_KILLS = 2;

const bench = new CrashBench();
afterAll(() => bench.close());

function stolenFile(dir: string, name: string, keys: number[]): string {
  const file = path.join(dir, name);
  const lines = keys.map((k) => `${fullImei(`35${String(k).padStart(12, '0')}` as DeviceKey)},20260101`);
  writeFileSync(file, `imei,reporting_date\n${lines.join('\n')}\n`);
  return file;
}

/** The ledger's size; 0 before a killed first run got to create the tables. */
async function ledgerSize(sql: pg.Client): Promise<number> {
  const { rows } = await sql.query(`select to_regclass('ledger_state') is not null as migrated`);
  if (!rows[0].migrated) return 0;
  return Number((await sql.query('select size from ledger_state')).rows[0]?.size ?? 0);
}

async function state(sql: pg.Client) {
  return {
    entries: await tableState(sql, 'ledger_entry', ['seq', 'recorded_at', 'leaf_hash'], 'seq'),
    reasons: await tableState(sql, 'device_reason', ['seq', 'since']),
    size: await ledgerSize(sql),
  };
}

describe('a list import killed half way', () => {
  it('run again, leaves exactly what one clean import leaves', { timeout: 600_000 }, async () => {
    const random = generator(CRASH_SEED);
    const work = bench.dir();
    const first = stolenFile(
      work,
      'stolen-1.csv',
      Array.from({ length: ROWS }, (_, i) => 693800000000 + i * 7),
    );
    // A tenth recovered (left out of the full list), a tenth new.
    const second = stolenFile(work, 'stolen-2.csv', [
      ...Array.from({ length: ROWS - ROWS / 10 }, (_, i) => 693800000000 + i * 7),
      ...Array.from({ length: ROWS / 10 }, (_, i) => 693900000000 + i * 7),
    ]);
    const files = [first, second];
    const args = (file: string) => ['lists', 'import', 'stolen', file, '--source', 'police'];

    // The clean run, timed: the kill points are drawn within it.
    const clean = await bench.database();
    const cleanEnv = { DATABASE_URL: clean.url, OPENCEIR_DATA_DIR: bench.dir() };
    const durations: number[] = [];
    for (const file of files) {
      const done = await runKilled(args(file), cleanEnv);
      expect(done.code, done.output).toBe(0);
      durations.push(done.ms);
    }

    const crashed = await bench.database();
    const crashedEnv = { DATABASE_URL: crashed.url, OPENCEIR_DATA_DIR: bench.dir() };
    const watcher = await bench.sql(crashed.url);
    const appending = statementRunning(
      watcher,
      new URL(crashed.url).pathname.slice(1),
      '%insert into ledger_entry%',
    );
    const log: string[] = [];
    for (const [index, file] of files.entries()) {
      const duration = durations[index]!;
      const kills: Kill[] = [
        { when: appending },
        ...Array.from({ length: TIMED_KILLS }, () => ({
          afterMs: Math.round(duration * (0.1 + 0.8 * random())),
        })),
      ];
      for (const kill of kills) {
        const killed = await runKilled(args(file), crashedEnv, kill);
        const size = await ledgerSize(watcher);
        const at = kill && 'afterMs' in kill ? `${kill.afterMs} ms` : 'ledger appends running';
        log.push(
          `file ${index + 1}: kill at ${at} → ${killed.signal ?? `exit ${killed.code}`} after ${Math.round(killed.ms)} ms, ledger size ${size}`,
        );
        if (killed.signal === null) expect(killed.code, killed.output).toBe(0);
      }
      const done = await runKilled(args(file), crashedEnv);
      expect(done.code, done.output).toBe(0);
    }
    console.log(
      `crash-list-import seed ${CRASH_SEED}, ${ROWS} rows; clean imports ${durations.map(Math.round).join(', ')} ms\n${log.join('\n')}`,
    );
    expect(log.some((line) => line.includes('SIGKILL'))).toBe(true);

    const [want, got] = [await state(await bench.sql(clean.url)), await state(watcher)];
    expect(got.size).toBe(want.size);
    expect(got.reasons.length).toBe(want.reasons.length);
    expect(got.reasons).toEqual(want.reasons);
    expect(got.entries).toEqual(want.entries);
    await expectLedgerVerifies(crashedEnv);
  });
});
