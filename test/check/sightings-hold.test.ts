/**
 * A node keeps sightings (IMSI, MSISDN) on its disk only until the registry has them: the segment being
 * written is closed and deleted once shipped to its end and older than holdMs; a segment with a line not
 * yet shipped (the registry unreachable) stays; a restart after the deletion ships nothing twice.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { CheckResult } from '../../src/check/check.ts';
import { type Sighting, SightingRecorder } from '../../src/check/sightings.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const blocked: CheckResult = {
  status: 'blocked',
  matched: 'device',
  reasons: [{ code: 'stolen', source: 'police', since: '2026-11-01T00:00:00.000Z' }],
  rule: null,
  deviceKey: '35209900176148',
  svn: '23',
  imsi: '001019876543210',
  msisdn: '254700111222',
};

const logText = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('');

it('deletes what was shipped once the segment is older than holdMs, keeps what was not', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-sightings-hold-'));
  dirs.push(dir);
  const shipped: Sighting[] = [];
  let reachable = false;
  const recorder = new SightingRecorder({
    dir,
    node: 'n1',
    holdMs: 50,
    ship: async (batch) => {
      if (!reachable) throw new Error('registry unreachable');
      shipped.push(...batch);
    },
  });
  for (let i = 0; i < 3; i++) recorder.record(blocked, { protocol: 's13', equipment: '35209900176148' });
  await new Promise((resolve) => setTimeout(resolve, 80));
  await expect(recorder.shipPending()).rejects.toThrow('registry unreachable');
  expect(logText(dir)).toContain('001019876543210');

  reachable = true;
  expect(await recorder.shipPending()).toBe(3);
  expect(logText(dir)).toBe('');
  expect(readdirSync(dir).filter((f) => f.endsWith('.log'))).toHaveLength(1);

  // Younger than holdMs: shipped, still on disk until the next round after holdMs.
  recorder.record(blocked, { protocol: 'rest', equipment: '35209900176148' });
  expect(await recorder.shipPending()).toBe(1);
  expect(logText(dir)).toContain('001019876543210');
  await new Promise((resolve) => setTimeout(resolve, 80));
  expect(await recorder.shipPending()).toBe(0);
  expect(logText(dir)).toBe('');
  await recorder.close();

  const again = new SightingRecorder({
    dir,
    node: 'n1',
    holdMs: 50,
    ship: async (b) => void shipped.push(...b),
  });
  expect(await again.shipPending()).toBe(0);
  await again.close();
  expect(shipped.map((s) => s.protocol)).toEqual(['s13', 's13', 's13', 'rest']);
  expect(new Set(shipped.map((s) => s.id)).size).toBe(4);
});
