/**
 * Admission control. A Node process overloads by falling behind its event loop: requests queue in
 * sockets and every answer gets later. The guard samples how late a short timer fires; while the delay
 * is above the limit, entry points refuse new checks at once (SBI 503 NF_CONGESTION, Diameter 3004
 * TOO_BUSY, REST 429) instead of answering them all too late. An optional rate limit caps checks per
 * second per process.
 *
 * The rate limit is a token bucket refilled continuously and holding a tenth of a second of checks: at
 * three times the limit, checks are admitted evenly at the limit (never a second's worth at once and
 * then none), so the admitted ones meet no queue of their own making. Set it a little under the
 * capacity bench/overload.ts measures: refusals are cheap, not free.
 *
 * A stall (the process descheduled, a GC pause) leaves a backlog of old requests in the sockets, and a
 * bucket refilled meanwhile would admit exactly those, late. So a timer that fires more than
 * STALL_MS late empties the bucket: timers run before the loop polls its sockets, so the backlog meets
 * an empty bucket and is refused, and checks that arrive after it are admitted as before.
 */

export interface OverloadOptions {
  /** Event-loop delay above which new checks are refused (ms); 0 disables. */
  readonly maxDelayMs: number;
  /** Checks admitted per second; 0 means no limit. */
  readonly maxRate?: number;
  readonly sampleMs?: number;
}

/** The share of a second of checks the token bucket holds: the largest burst admitted at once. */
const BURST_SECONDS = 0.1;
/** A timer this late (ms) means the requests in the sockets have waited as long: refuse them. */
const STALL_MS = 25;

export class OverloadGuard {
  private delay = 0;
  private timer: NodeJS.Timeout | undefined;
  private tokens: number;
  private refilledAt = performance.now();
  private refusedCount = 0;

  constructor(private readonly options: OverloadOptions) {
    this.tokens = this.burst;
  }

  private get burst(): number {
    return Math.max(1, (this.options.maxRate ?? 0) * BURST_SECONDS);
  }

  start(): this {
    const sample = this.options.sampleMs ?? 20;
    let expected = Date.now() + sample;
    const tick = () => {
      const now = Date.now();
      // Smoothed, and each sample capped at twice the limit: one long stall (a GC pause, start-up work)
      // does not refuse checks; only a loop that stays behind for two samples in a row does.
      if (now - expected > STALL_MS && (this.options.maxRate ?? 0) > 0) {
        this.tokens = 0;
        this.refilledAt = performance.now();
      }
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

  /**
   * How loaded the process is, 0–100 (TS 29.500 §6.3 Load-Metric): the event-loop delay as a share
   * of its limit, or the share of the rate limit's bucket used, whichever is higher.
   */
  get load(): number {
    const byDelay = this.options.maxDelayMs > 0 ? this.delay / this.options.maxDelayMs : 0;
    const rate = this.options.maxRate ?? 0;
    const byRate = rate > 0 ? 1 - this.tokens / this.burst : 0;
    return Math.round(Math.min(1, Math.max(byDelay, byRate)) * 100);
  }

  /** True when a new check must be refused now. Counts the admitted ones for the rate limit. */
  refuse(): boolean {
    if (this.options.maxDelayMs > 0 && this.delay > this.options.maxDelayMs) {
      this.refusedCount += 1;
      return true;
    }
    const rate = this.options.maxRate ?? 0;
    if (rate > 0) {
      const now = performance.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * rate);
      this.refilledAt = now;
      if (this.tokens < 1) {
        this.refusedCount += 1;
        return true;
      }
      this.tokens -= 1;
    }
    return false;
  }

  /** Seconds a refused client should wait (Retry-After). */
  retryAfter(): number {
    return 1;
  }
}
