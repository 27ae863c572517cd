/**
 * Login throttling per username: after 10 failures within 15 minutes the username is locked for
 * 15 minutes, whatever password comes next (NIST SP 800-63B §5.2.2 asks for such a limit). Kept in
 * memory: a restart or a second registry process starts its own count, which still caps online
 * guessing at a few dozen tries per quarter-hour per process.
 */

export interface ThrottleOptions {
  readonly maxFailures?: number;
  readonly windowMs?: number;
  readonly lockMs?: number;
  readonly now?: () => number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly lockMs: number;
  private readonly now: () => number;

  constructor(options: ThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.lockMs = options.lockMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  private static key(username: string): string {
    return username.trim().toLowerCase();
  }

  /** Milliseconds until the username may try again; 0 when it may now. */
  lockedFor(username: string): number {
    const key = LoginThrottle.key(username);
    const until = this.lockedUntil.get(key) ?? 0;
    const left = until - this.now();
    if (left > 0) return left;
    if (until) this.lockedUntil.delete(key);
    return 0;
  }

  failed(username: string): void {
    const key = LoginThrottle.key(username);
    const now = this.now();
    const recent = (this.failures.get(key) ?? []).filter((at) => now - at < this.windowMs);
    recent.push(now);
    if (recent.length >= this.maxFailures) {
      this.lockedUntil.set(key, now + this.lockMs);
      this.failures.delete(key);
      return;
    }
    this.failures.set(key, recent);
    // Bounded memory under a spray of made-up usernames: forget the oldest entries.
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(username: string): void {
    this.failures.delete(LoginThrottle.key(username));
  }
}
