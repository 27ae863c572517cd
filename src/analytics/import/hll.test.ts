import { describe, expect, it } from 'vitest';
import { HyperLogLog, murmur3 } from './hll.ts';

describe('MurmurHash3 x86_32', () => {
  it('matches the reference vectors', () => {
    expect(murmur3('', 0)).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('a', 0x9747b28c)).toBe(0x7fa09ea6);
    expect(murmur3('abc', 0)).toBe(0xb3dd93fa);
    expect(murmur3('abcd', 0x9747b28c)).toBe(0xf0478627);
    expect(murmur3('Hello, world!', 0x9747b28c)).toBe(0x24884cba);
    expect(murmur3('The quick brown fox jumps over the lazy dog', 0x9747b28c)).toBe(0x2fa826cd);
  });
});

describe('HyperLogLog (p = 14, 0.81 % standard error)', () => {
  it('counts an empty sketch as 0 and small sets almost exactly', () => {
    const sketch = new HyperLogLog();
    expect(sketch.count()).toBe(0);
    for (let i = 0; i < 100; i++) sketch.add(`41001${i}`);
    for (let i = 0; i < 100; i++) sketch.add(`41001${i}`);
    expect(Math.abs(sketch.count() - 100)).toBeLessThanOrEqual(1);
  });

  it.each([1_000, 30_000, 60_000, 300_000, 1_000_000])('estimates %i distinct IMEIs within 3 σ', (n) => {
    const sketch = new HyperLogLog();
    for (let i = 0; i < n; i++) sketch.add(String(35209900000000 + i * 7));
    const error = Math.abs(sketch.count() - n) / n;
    expect(error).toBeLessThan(3 * 0.0081);
  });

  it('merges as a union', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 50_000; i++) a.add(`a${i}`);
    for (let i = 25_000; i < 75_000; i++) b.add(`a${i}`);
    a.merge(b);
    expect(Math.abs(a.count() - 75_000) / 75_000).toBeLessThan(3 * 0.0081);
  });
});
