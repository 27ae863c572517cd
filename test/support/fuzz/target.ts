/**
 * The fuzz target: the real DiameterServer (S13) and SbiServer (N5g-eir) on loopback, ports chosen by
 * the system, over the protocol tests' check index. Run as a child process (`node --import tsx
 * target.ts`) it prints one JSON line with its ports, so that a crash is the child's exit, seen by the
 * fuzzer, and the server has a core of its own.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyFrom } from '../../../src/check/policy.ts';
import type { CheckService } from '../../../src/check/service.ts';
import { DiameterServer } from '../../../src/protocols/diameter/server.ts';
import { SbiServer } from '../../../src/protocols/sbi/server.ts';
import { testService } from '../check.ts';

/** Unknown devices are unknown (ECA 5422, N5g-eir 404), so every kind of answer is exercised. */
export const FUZZ_POLICY = policyFrom({
  mode: 'restrictive',
  unlisted: 'unknown',
  malformed: 'tracked',
  pairingExemptsNot: ['barred'],
});

export const fuzzService = (): CheckService => testService({ policy: FUZZ_POLICY });

export interface Target {
  readonly diameterPort: number;
  readonly sbiUrl: string;
  /** Resolves with a description when the target dies (never for an in-process target). */
  readonly died: Promise<string>;
  close(): Promise<void>;
}

export async function startServers(): Promise<Target> {
  const service = fuzzService();
  const diameter = new DiameterServer(service, {
    host: '127.0.0.1',
    port: 0,
    originHost: 'eir.openceir.localdomain',
    originRealm: 'openceir.localdomain',
    allowedHosts: ['*'],
    allowedRealms: ['*'],
    allowedAddresses: ['*'],
    watchdogMs: 30_000,
  });
  const sbi = new SbiServer(service, { host: '127.0.0.1', port: 0 });
  const { port } = await diameter.listen();
  const url = await sbi.listen();
  return {
    diameterPort: port,
    sbiUrl: url,
    died: new Promise(() => {}),
    close: async () => {
      await Promise.all([diameter.close(), sbi.close()]);
    },
  };
}

const SELF = fileURLToPath(import.meta.url);

/** Starts the target in a child process and resolves once it listens. */
export function startTarget(timeoutMs = 30_000): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], {
    cwd: path.resolve(path.dirname(SELF), '../../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  let stopping = false;
  const died = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      if (!stopping) resolve(`the target exited (code ${code}, signal ${signal})\n${stderr}`);
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the fuzz target did not start in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    died.then((why) => {
      clearTimeout(timer);
      reject(new Error(why));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const { diameterPort, sbiUrl } = JSON.parse(line) as { diameterPort: number; sbiUrl: string };
      resolve({
        diameterPort,
        sbiUrl,
        died,
        close: async () => {
          stopping = true;
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((done) => child.once('exit', done));
          child.kill('SIGTERM');
          const guard = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(guard);
        },
      });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const target = await startServers();
  process.stdout.write(`${JSON.stringify({ diameterPort: target.diameterPort, sbiUrl: target.sbiUrl })}\n`);
  process.once('SIGTERM', () => {
    target.close().finally(() => process.exit(0));
  });
}
