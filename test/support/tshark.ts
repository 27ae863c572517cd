/** Captures loopback traffic with tshark (an independent decoder) for the duration of a test step. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Capture {
  readonly file: string;
  stop(): Promise<void>;
}

export async function capture(port: number, timeoutMs = 15_000): Promise<Capture> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'openceir-pcap-')), 'capture.pcapng');
  const child: ChildProcess = spawn('tshark', ['-i', 'lo', '-f', `tcp port ${port}`, '-w', file, '-q'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tshark did not start capturing')), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      if (d.toString().includes('Capturing on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`tshark exited ${code}`)));
  });
  // "Capturing on" comes a moment before the first packet is really taken.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return {
    file,
    stop: async () => {
      // Let the last packets reach the capture before stopping it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('close', resolve));
    },
  };
}

/** Runs tshark on a capture and returns its text output. */
export function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
