/**
 * Admission control. A Node process overloads by falling behind its event loop: requests queue in
 * sockets and every answer gets later. The guard samples how late a short timer fires; while the delay
 * is above the limit, entry points refuse new checks at once (SBI 503 NF_CONGESTION, Diameter 3004
 * TOO_BUSY, REST 429) instead of answering them all too late. An optional rate limit caps checks per
 * second per process.
 */

export interface OverloadOptions {
  /** Event-loop delay above which new checks are refused (ms); 0 disables. */
  readonly maxDelayMs: number;
  /** Checks admitted per second; 0 means no limit. */
  readonly maxRate?: number;
  readonly sampleMs?: number;
}

export class OverloadGuard {
  private delay = 0;
  private timer: NodeJS.Timeout | undefined;
  private windowStart = Date.now();
  private windowCount = 0;
  private refusedCount = 0;

  constructor(private readonly options: OverloadOptions) {}

  start(): this {
    const sample = this.options.sampleMs ?? 50;
    let expected = Date.now() + sample;
    const tick = () => {
      const now = Date.now();
      // Smoothed, and each sample capped at twice the limit: one long stall (a GC pause, start-up work)
      // does not refuse checks; only a loop that stays behind for two samples in a row does.
      const late = Math.min(Math.max(0, now - expected), 2 * this.options.maxDelayMs);
      this.delay = this.delay * 0.5 + late * 0.5;
      expected = now + sample;
      this.timer = setTimeout(tick, sample);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, sample);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** The smoothed event-loop delay (ms). */
  get loopDelay(): number {
    return this.delay;
  }

  get refused(): number {
    return this.refusedCount;
  }

  /** True when a new check must be refused now. Counts the admitted ones for the rate limit. */
  refuse(): boolean {
    if (this.options.maxDelayMs > 0 && this.delay > this.options.maxDelayMs) {
      this.refusedCount += 1;
      return true;
    }
    const rate = this.options.maxRate ?? 0;
    if (rate > 0) {
      const now = Date.now();
      if (now - this.windowStart >= 1000) {
        this.windowStart = now;
        this.windowCount = 0;
      }
      if (this.windowCount >= rate) {
        this.refusedCount += 1;
        return true;
      }
      this.windowCount += 1;
    }
    return false;
  }

  /** Seconds a refused client should wait (Retry-After). */
  retryAfter(): number {
    return 1;
  }
}
