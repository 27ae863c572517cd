/** Runs the real `openceir` command as a child process, the way an operator would. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { expect } from 'vitest';
import { createTestDatabase, type TestDatabase } from './stores.ts';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/openceir.js');

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `openceir <args>` to completion (bounded by `timeoutMs`). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openceir ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface Started {
  readonly child: ChildProcess;
  /** Base URL of the HTTP listener, read from the start banner. */
  readonly url: string;
  output(): string;
  /** Sends a signal and waits for the exit (bounded). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Finished>;
}

/** Starts `openceir start` and resolves once it prints where it listens. */
export function startSystemProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'start'], { env: { ...process.env, ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openceir start printed no URL in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /Home\s+(https?:\/\/\S+?)\/\s/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1]!,
        output: () => stdout + stderr,
        stop: async (signal = 'SIGTERM', stopTimeoutMs = 20_000) => {
          child.kill(signal);
          const guard = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
          const finished = await exited;
          clearTimeout(guard);
          return finished;
        },
      });
    });
    exited.then((finished) => {
      clearTimeout(timer);
      reject(
        new Error(
          `openceir start exited (${finished.code}) before serving\n${finished.stdout}\n${finished.stderr}`,
        ),
      );
    });
  });
}

/**
 * Everything an end-to-end test starts or creates (`openceir start` processes, data directories,
 * PostgreSQL databases and connections), released by `close()` (in `afterAll`) whatever state the
 * test ended in: processes SIGKILLed, connections ended, databases dropped, directories removed.
 */
export class TestSystems {
  private readonly dirs: string[] = [];
  private readonly databases: TestDatabase[] = [];
  private readonly clients: pg.Client[] = [];
  private readonly running = new Set<Started>();

  constructor(
    private readonly options: {
      /** Prefix of the temporary directories `dir()` makes. */
      readonly prefix?: string;
      /** How long `start` waits for the start banner. */
      readonly startTimeoutMs?: number;
    } = {},
  ) {}

  /** A new temporary directory, removed by close(). */
  dir(prefix = this.options.prefix ?? 'openceir-e2e-'): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** A fresh PostgreSQL database, dropped by close(). */
  async database(): Promise<TestDatabase> {
    const database = await createTestDatabase();
    this.databases.push(database);
    return database;
  }

  /** A connection to `url`, ended by close(). */
  async sql(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    this.clients.push(client);
    return client;
  }

  /**
   * Starts `openceir start` and resolves once its banner says where it listens. The built-in SMSC
   * simulator is on a free port (OPENCEIR_SMS_SIMULATOR_PORT=0) unless `env` says otherwise.
   */
  async start(env: NodeJS.ProcessEnv): Promise<Started> {
    const system = await startSystemProcess(
      { OPENCEIR_SMS_SIMULATOR_PORT: '0', ...env },
      this.options.startTimeoutMs ?? 60_000,
    );
    this.running.add(system);
    return system;
  }

  /** Stops a started process with SIGTERM; it must exit cleanly (code 0). */
  async stop(system: Started): Promise<void> {
    expect((await system.stop('SIGTERM')).code).toBe(0);
    this.running.delete(system);
  }

  /** SIGKILLs a started process and waits for it to be gone. */
  async kill(system: Started): Promise<Finished> {
    const finished = await system.stop('SIGKILL');
    this.running.delete(system);
    return finished;
  }

  /** The output of the processes still running, for a failure message: the last `chars` characters. */
  outputs(chars = 4000): string {
    return [...this.running]
      .map((r) => r.output())
      .join('\n---\n')
      .slice(-chars);
  }

  async close(): Promise<void> {
    for (const client of this.clients) await client.end().catch(() => {});
    for (const system of this.running) await system.stop('SIGKILL').catch(() => {});
    for (const database of this.databases) await database.drop().catch(() => {});
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
