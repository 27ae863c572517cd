/**
 * The registry prunes by itself: a first run shortly after start, then one a day. One run at a time;
 * `stop()` waits for the run in flight, so the database is not closed under it.
 */
import type { Database } from '../store/index.ts';
import { type PruneReport, prune, type RetentionPeriods } from './retention.ts';

export interface DailyPruneOptions {
  /** Between runs (default a day). */
  readonly intervalMs?: number;
  /** Before the first run (default a minute, so that start is not slowed). */
  readonly firstDelayMs?: number;
  readonly onDone?: (report: PruneReport) => void;
  readonly onError?: (error: unknown) => void;
}

export interface DailyPrune {
  stop(): Promise<void>;
}

export function startDailyPrune(
  db: Database,
  periods: RetentionPeriods,
  options: DailyPruneOptions = {},
): DailyPrune {
  const interval = options.intervalMs ?? 86_400_000;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const run = () => {
    running = prune(db, periods)
      .then((report) => options.onDone?.(report))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) schedule(interval);
      });
  };
  const schedule = (delay: number) => {
    timer = setTimeout(run, delay);
    timer.unref();
  };
  schedule(options.firstDelayMs ?? 60_000);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
