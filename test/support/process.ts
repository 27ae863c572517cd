/** Runs the real `openceir` command as a child process, the way an operator would. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
