/**
 * What the crash tests (`test/e2e/crash-*.test.ts`) share: a seeded generator so that a failing
 * round can be replayed (OPENCEIR_CRASH_SEED), registries started and SIGKILLed on a fresh
 * PostgreSQL database, waiting for a condition (bounded), and `openceir ledger verify`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { runCli, type Started, startSystemProcess } from './process.ts';
import { createTestDatabase, type TestDatabase } from './stores.ts';

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
 * by `close()` whatever state the test ended in.
 */
export class CrashBench {
  private readonly dirs: string[] = [];
  private readonly databases: TestDatabase[] = [];
  private readonly clients: pg.Client[] = [];
  private readonly running = new Set<Started>();

  dir(prefix = 'openceir-crash-'): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  async database(): Promise<TestDatabase> {
    const database = await createTestDatabase();
    this.databases.push(database);
    return database;
  }

  async sql(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    this.clients.push(client);
    return client;
  }

  /** The environment of a registry on `database` whose signing key lives in `dir`. */
  registryEnv(database: TestDatabase, dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      OPENCEIR_ROLE: 'registry',
      DATABASE_URL: database.url,
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DATA_DIR: dir,
      OPENCEIR_ADMIN_API_KEY: ADMIN_KEY,
      OPENCEIR_DEMO: 'false',
      ...extra,
    };
  }

  async start(env: NodeJS.ProcessEnv): Promise<Started> {
    const system = await startSystemProcess(env, 120_000);
    this.running.add(system);
    return system;
  }

  /** SIGKILLs a started process and waits for it to be gone. */
  async kill(system: Started): Promise<void> {
    const finished = await system.stop('SIGKILL');
    this.running.delete(system);
    expect(finished.signal).toBe('SIGKILL');
  }

  async close(): Promise<void> {
    for (const client of this.clients) await client.end().catch(() => {});
    for (const system of this.running) await system.stop('SIGKILL').catch(() => {});
    for (const database of this.databases) await database.drop().catch(() => {});
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** `openceir ledger verify` on a database: Merkle tree, signed heads, and lists = fold of the ledger. */
export async function expectLedgerVerifies(env: NodeJS.ProcessEnv): Promise<void> {
  const verified = await runCli(['ledger', 'verify'], env, 180_000);
  expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  expect(verified.stdout).toContain('lists match');
}
