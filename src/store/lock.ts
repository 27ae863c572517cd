/**
 * An exclusive lock on a data directory, so that two processes never open the same embedded
 * database (PGlite has no lock of its own, and two writers would corrupt it). The lock file holds
 * the owner's PID; a lock left by a process that no longer runs is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

export class DirectoryLockedError extends Error {
  constructor(
    readonly file: string,
    readonly pid: number,
  ) {
    super(`${file} is held by running process ${pid}: another OpenCEIR uses this data directory`);
    this.name = 'DirectoryLockedError';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws DirectoryLockedError; returns the function that releases it. */
export function lockFile(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) throw new DirectoryLockedError(file, pid);
      unlinkSync(file);
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
