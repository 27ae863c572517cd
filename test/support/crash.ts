/**
 * What the crash tests (`test/e2e/crash-*.test.ts`) share: a seeded generator so that a failing
 * round can be replayed (OPENCEIR_CRASH_SEED), registries started and SIGKILLed on a fresh
 * PostgreSQL database, waiting for a condition (bounded), and `openceir ledger verify`.
 */
import { spawn } from 'node:child_process';
import type pg from 'pg';
import { expect } from 'vitest';
import { BIN, type Finished, runCli, type Started, TestSystems } from './process.ts';
import type { TestDatabase } from './stores.ts';

export const CRASH_SEED = Number(process.env.OPENCEIR_CRASH_SEED ?? 9);
export const ADMIN_KEY = 'crash-admin-key-0123456789';

/** mulberry32: a small seeded generator in [0, 1). */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

/** Polls `fn` until it gives a value other than null; fails after `timeoutMs`. */
export async function until<T>(what: string, fn: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/**
 * Everything one crash test creates (databases, data directories, processes, connections), released
 * by `close()` whatever state the test ended in; registries wait up to two minutes to start.
 */
export class CrashBench extends TestSystems {
  constructor() {
    super({ prefix: 'openceir-crash-', startTimeoutMs: 120_000 });
  }

  /** The environment of a registry on `database` whose signing key lives in `dir`. */
  registryEnv(database: TestDatabase, dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      OPENCEIR_ROLE: 'registry',
      DATABASE_URL: database.url,
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DATA_DIR: dir,
      OPENCEIR_ADMIN_API_KEY: ADMIN_KEY,
      OPENCEIR_DEMO: 'false',
      ...extra,
    };
  }

  /** SIGKILLs a started process and waits for it to be gone. */
  override async kill(system: Started): Promise<Finished> {
    const finished = await super.kill(system);
    expect(finished.signal).toBe('SIGKILL');
    return finished;
  }
}

/** `openceir ledger verify` on a database: Merkle tree, signed heads, and lists = fold of the ledger. */
export async function expectLedgerVerifies(env: NodeJS.ProcessEnv): Promise<void> {
  const verified = await runCli(['ledger', 'verify'], env, 180_000);
  expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  expect(verified.stdout).toContain('lists match');
}

export interface KilledRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly ms: number;
  readonly output: string;
}

/** When to SIGKILL a run: after a delay, or as soon as `when` sees a phase from outside. */
export type Kill = { readonly afterMs: number } | { readonly when: () => Promise<boolean> } | null;

/** Runs `openceir <args>` and SIGKILLs it as `kill` says (if it is still running then); bounded. */
export function runKilled(
  args: string[],
  env: NodeJS.ProcessEnv,
  kill: Kill = null,
  timeoutMs = 300_000,
): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
    let output = '';
    let running = true;
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const killer = kill && 'afterMs' in kill ? setTimeout(() => child.kill('SIGKILL'), kill.afterMs) : null;
    if (kill && 'when' in kill) {
      // Polls while the child runs: bounded by its life, itself bounded by the guard below.
      (async () => {
        while (running) {
          if (await kill.when()) {
            child.kill('SIGKILL');
            return;
          }
          await sleep(10);
        }
      })().catch(reject);
    }
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openceir ${args.join(' ')} did not finish in ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running = false;
      if (killer) clearTimeout(killer);
      clearTimeout(guard);
      resolve({ code, signal, ms: performance.now() - started, output });
    });
  });
}

/** True while a statement matching `pattern` runs on the database (seen in pg_stat_activity). */
export function statementRunning(sql: pg.Client, database: string, pattern: string): () => Promise<boolean> {
  return async () => {
    const { rows } = await sql.query(
      `select 1 from pg_stat_activity
       where datname = $1 and pid <> pg_backend_pid() and state <> 'idle' and query ilike $2 limit 1`,
      [database, pattern],
    );
    return rows.length > 0;
  };
}

/** A table's rows in a stable order, without the columns named in `skip` (times, positions). */
export async function tableState(
  sql: pg.Client,
  table: string,
  skip: readonly string[],
  orderBy?: string,
): Promise<string[]> {
  const { rows } = await sql.query(`select * from ${table}${orderBy ? ` order by ${orderBy}` : ''}`);
  const lines = rows.map((row) =>
    JSON.stringify(Object.entries(row).filter(([column]) => !skip.includes(column))),
  );
  return orderBy ? lines : lines.sort();
}
