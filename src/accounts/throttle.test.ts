import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './throttle.ts';

describe('login throttle', () => {
  it('locks a username for 15 minutes after 10 failures within 15 minutes', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now });
    for (let i = 0; i < 9; i++) throttle.failed('Police.Capital');
    expect(throttle.lockedFor('police.capital')).toBe(0);
    throttle.failed('police.capital');
    expect(throttle.lockedFor('POLICE.CAPITAL')).toBe(15 * 60_000);
    expect(throttle.lockedFor('regulator')).toBe(0);
    now += 15 * 60_000;
    expect(throttle.lockedFor('police.capital')).toBe(0);
  });

  it('forgets failures older than the window and after a success', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now });
    for (let i = 0; i < 9; i++) throttle.failed('a');
    now += 15 * 60_000;
    throttle.failed('a');
    expect(throttle.lockedFor('a')).toBe(0);
    for (let i = 0; i < 8; i++) throttle.failed('a');
    throttle.succeeded('a');
    throttle.failed('a');
    expect(throttle.lockedFor('a')).toBe(0);
  });
});
