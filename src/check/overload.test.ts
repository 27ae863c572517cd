import { describe, expect, it } from 'vitest';
import { OverloadGuard } from './overload.ts';

const busy = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // The event loop is held, as by a flood of work.
  }
};
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('overload guard', () => {
  it('does not refuse after one long stall, but refuses while the loop stays behind', async () => {
    const guard = new OverloadGuard({ maxDelayMs: 50, sampleMs: 10 }).start();
    try {
      busy(1000);
      await tick(15);
      expect(guard.refuse()).toBe(false);
      // Behind on every sample: refused.
      for (let i = 0; i < 6; i++) {
        busy(150);
        await tick(0);
      }
      expect(guard.loopDelay).toBeGreaterThan(50);
      expect(guard.refuse()).toBe(true);
      // Back on time: admitted again.
      await tick(150);
      expect(guard.refuse()).toBe(false);
      expect(guard.refused).toBe(1);
    } finally {
      guard.stop();
    }
  });

  it('caps the checks admitted per second, a tenth of a second of them at once', async () => {
    const guard = new OverloadGuard({ maxDelayMs: 0, maxRate: 1000 });
    const admitted = () => Array.from({ length: 150 }, () => guard.refuse()).filter((r) => !r).length;
    expect(admitted()).toBe(100);
    expect(guard.load).toBe(100);
    // The bucket refills evenly: after 50 ms about 50 more, never the whole second's worth.
    await tick(50);
    const more = admitted();
    expect(more).toBeGreaterThanOrEqual(40);
    expect(more).toBeLessThanOrEqual(100);
    expect(guard.refused).toBe(50 + 150 - more);
  });

  it('refuses the backlog a stall leaves, though the bucket had checks to spare', async () => {
    const guard = new OverloadGuard({ maxDelayMs: 0, maxRate: 10, sampleMs: 5 }).start();
    try {
      await tick(20);
      busy(100);
      // The guard's timer, due long ago, runs before this one, and before any socket is read.
      await tick(0);
      expect(guard.refuse()).toBe(true);
      // Then admitted again as the bucket refills (a loaded machine may stall it again: a few tries).
      let admitted = false;
      for (let i = 0; i < 50 && !admitted; i++) {
        await tick(20);
        admitted = !guard.refuse();
      }
      expect(admitted).toBe(true);
    } finally {
      guard.stop();
    }
  });
});
