/**
 * Benchmark processes. A bench script forks itself (`--serve <target>`, `--generate`) so that every
 * server, and the load, has a JS thread of its own: on a small machine a server sharing its event loop
 * with its load measures neither. A child answers the parent's requests over IPC and exits when the
 * parent goes; the parent kills every child it started when it ends, fails or is interrupted.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface Request {
  readonly type: string;
  readonly [field: string]: unknown;
}

/**
 * CPU time a process has used (user + system), in µs, at a wall-clock instant (ms); in a child, also
 * the longest event-loop delay since the last usage (ms): what its peers waited behind one task.
 */
export interface Usage {
  readonly cpuMicros: number;
  readonly wallMs: number;
  readonly rssBytes: number;
  readonly loopDelayMaxMs: number;
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });

export const usageNow = (): Usage => {
  const cpu = process.cpuUsage();
  const usage = {
    cpuMicros: cpu.user + cpu.system,
    wallMs: performance.now(),
    rssBytes: process.memoryUsage().rss,
    loopDelayMaxMs: loopDelay.max / 1e6,
  };
  loopDelay.reset();
  return usage;
};

/** The share of one core a process used between two usages (1 = one core busy all the time). */
export const busy = (from: Usage, to: Usage) =>
  (to.cpuMicros - from.cpuMicros) / 1000 / Math.max(1e-9, to.wallMs - from.wallMs);

/**
 * CPU time (µs) used by this process's children that have ended and been reaped — a tool such as
 * h2load run to completion — from /proc/self/stat (cutime, cstime; Linux, 100 ticks a second). NaN
 * elsewhere.
 */
export function endedChildrenCpuMicros(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

export interface Child<Ready> {
  readonly name: string;
  /** What the child reported once ready. */
  readonly ready: Ready;
  ask<T>(request: Request, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit (it closes the IPC channel); kills it if it has not within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const started = new Set<ChildProcess>();
const killAll = () => {
  for (const child of started) child.kill('SIGKILL');
  started.clear();
};
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

interface Reply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/**
 * Forks `script` with `args` (same Node flags, so tsx loads TypeScript) and resolves once the child
 * has sent its ready message, within `readyMs`.
 */
export async function forkSelf<Ready>(
  script: string,
  args: readonly string[],
  name: string,
  readyMs = 900_000,
): Promise<Child<Ready>> {
  const child = fork(script, args, {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  started.add(child);
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  const fail = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  child.on('message', (reply: Reply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.error !== undefined) w.reject(new Error(`${name}: ${reply.error}`));
    else w.resolve(reply.result);
  });
  child.on('exit', (code, signal) => {
    started.delete(child);
    fail(new Error(`${name} exited (${signal ?? code})`));
  });
  const ask = <T>(request: Request | null, timeoutMs: number, id = next++): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`${name} did not answer ${request?.type ?? 'ready'} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      if (request) child.send({ ...request, id });
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    started.delete(child);
  };
  try {
    const ready = await ask<Ready>(null, readyMs, 0);
    return { name, ready, ask: (request, timeoutMs = 120_000) => ask(request, timeoutMs), stop };
  } catch (error) {
    child.kill('SIGKILL');
    started.delete(child);
    throw error;
  }
}

/**
 * The child's side: reports `ready`, then answers each request with its handler (`usage` is built in)
 * until the parent disconnects.
 */
export function answerParent(
  ready: unknown,
  handlers: Record<string, (request: Request) => unknown> = {},
): void {
  const all: Record<string, (request: Request) => unknown> = { usage: usageNow, ...handlers };
  process.on('message', async (message: Request & { id: number }) => {
    try {
      const handler = all[message.type];
      if (!handler) throw new Error(`no request ${message.type}`);
      process.send?.({ id: message.id, result: await handler(message) });
    } catch (error) {
      process.send?.({ id: message.id, error: (error as Error).message });
    }
  });
  process.once('disconnect', () => process.exit(0));
  loopDelay.enable();
  process.send?.({ id: 0, result: ready });
}

/** Reports a failure to start to the parent (which would otherwise wait for `ready`), then exits. */
export function failToParent(error: unknown): never {
  process.send?.({ id: 0, error: (error as Error).stack ?? String(error) });
  process.exit(1);
}
