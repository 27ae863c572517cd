import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestStore } from '../../test/support/stores.ts';
import { Sealer } from '../privacy/seal.ts';
import type { CheckResult } from './check.ts';
import { type Sighting, SightingRecorder } from './sightings.ts';
import { sightingsOf, storeSightings } from './store.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-sightings-'));
  dirs.push(dir);
  return dir;
};
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
  imsi: '001010000000001',
  msisdn: null,
};
const allowed: CheckResult = { ...blocked, status: 'allowed', matched: 'policy', reasons: [] };

describe('sightings', () => {
  it('records blocked and tracked checks (or every check when asked), ships them once', async () => {
    const shipped: Sighting[] = [];
    const recorder = new SightingRecorder({
      dir: tempDir(),
      node: 'n1',
      ship: async (b) => void shipped.push(...b),
    });
    expect(recorder.record(allowed, { protocol: 's13', equipment: '35209900176148' })).toBeNull();
    const s = recorder.record(blocked, {
      protocol: 's13',
      equipment: '3520990017614823',
      peer: 'mme1.example',
      network: 'mno-a',
    });
    expect(s).toMatchObject({
      deviceKey: '35209900176148',
      status: 'blocked',
      reasons: ['stolen'],
      peer: 'mme1.example',
      node: 'n1',
    });
    expect(await recorder.shipPending()).toBe(1);
    expect(await recorder.shipPending()).toBe(0);
    await recorder.close();
    expect(shipped.map((x) => x.id)).toEqual([s!.id]);
    const all = new SightingRecorder({ dir: tempDir(), node: 'n2', recordAll: true, ship: async () => {} });
    expect(all.record(allowed, { protocol: 'rest', equipment: 'x' })).not.toBeNull();
    await all.close();
  });

  it('keeps what a registry that is down could not take, and ships it later', async () => {
    const dir = tempDir();
    let down = true;
    const shipped: Sighting[] = [];
    const recorder = new SightingRecorder({
      dir,
      node: 'n3',
      segmentBytes: 2_000,
      ship: async (batch) => {
        if (down) throw new Error('registry unreachable');
        shipped.push(...batch);
      },
    });
    for (let i = 0; i < 50; i++) recorder.record(blocked, { protocol: 'n5g-eir', equipment: String(i) });
    await expect(recorder.shipPending()).rejects.toThrow('registry unreachable');
    down = false;
    expect(await recorder.shipPending()).toBe(50);
    expect(new Set(shipped.map((s) => s.equipment)).size).toBe(50);
    // Closed segments are removed once shipped.
    expect(readdirSync(dir).filter((f) => f.endsWith('.log')).length).toBe(1);
    await recorder.close();
  });

  it('forwards the log’s whole lines as they are, and never a torn one', async () => {
    const dir = tempDir();
    const writer = new SightingRecorder({ dir, node: 'n5', shipLines: () => new Promise(() => {}) });
    const recorded = [0, 1, 2].map((i) => writer.record(blocked, { protocol: 's13', equipment: `e${i}` }));
    writer.flush();
    const segment = readdirSync(dir).find((f) => f.endsWith('.log'))!;
    appendFileSync(path.join(dir, segment), '{"id":"torn');
    const lines: string[] = [];
    const reader = new SightingRecorder({ dir, node: 'n5', shipLines: async (l) => void lines.push(...l) });
    expect(await reader.shipPending()).toBe(3);
    expect(lines.map((l) => JSON.parse(l))).toEqual(recorded);
    expect(await reader.shipPending()).toBe(0);
    await reader.close();
  });

  it('records answers only after their sightings are written', () => {
    const dir = tempDir();
    const recorder = new SightingRecorder({ dir, node: 'n6', ship: async () => {} });
    const answered: number[] = [];
    recorder.afterWrite(() => answered.push(0));
    expect(answered).toEqual([0]);
    recorder.record(blocked, { protocol: 'n5g-eir', equipment: 'a' });
    recorder.afterWrite(() => answered.push(1));
    recorder.afterWrite(() => answered.push(2));
    expect(answered).toEqual([0]);
    const logged = () =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.log'))
        .map((f) => readFileSync(path.join(dir, f), 'utf8'))
        .join('');
    expect(logged()).toBe('');
    recorder.flush();
    expect(logged()).toContain('"equipment":"a"');
    expect(answered).toEqual([0, 1, 2]);
  });

  it('loses nothing when the node is killed (SIGKILL) right after answering', async () => {
    const dir = tempDir();
    const module = fileURLToPath(new URL('./sightings.ts', import.meta.url));
    const script = `
      const { SightingRecorder } = await import(${JSON.stringify(module)});
      const r = new SightingRecorder({ dir: ${JSON.stringify(dir)}, node: 'victim', ship: () => new Promise(() => {}) });
      const result = ${JSON.stringify(blocked)};
      for (let i = 0; i < 1000; i++) r.record(result, { protocol: 's13', equipment: 'e' + i });
      // The answer leaves once the sightings are written, as the protocols send it.
      r.afterWrite(() => process.stdout.write('recorded\\n'));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('recorded') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    // A crash can tear the last line: simulate that too, it must be skipped, not shipped broken.
    const segment = readdirSync(dir).find((f) => f.endsWith('.log'))!;
    appendFileSync(path.join(dir, segment), '{"id":"torn');

    const shipped: Sighting[] = [];
    const recovery = new SightingRecorder({
      dir,
      node: 'victim',
      ship: async (b) => void shipped.push(...b),
    });
    expect(await recovery.shipPending()).toBe(1000);
    expect(new Set(shipped.map((s) => s.equipment)).size).toBe(1000);
    await recovery.close();
  });

  it('stores sightings idempotently and lists them per device, newest first', async () => {
    const { store, dispose } = await createTestStore('postgres');
    try {
      const shipped: Sighting[] = [];
      const recorder = new SightingRecorder({
        dir: tempDir(),
        node: 'n4',
        ship: async (b) => void shipped.push(...b),
      });
      recorder.record(blocked, { protocol: 's13', equipment: 'a' }, new Date('2026-11-01T10:00:00Z'));
      recorder.record(blocked, { protocol: 'n5g-eir', equipment: 'b' }, new Date('2026-11-02T10:00:00Z'));
      await recorder.shipPending();
      const sealer = new Sealer(randomBytes(32));
      await storeSightings(store.db, sealer, shipped);
      await storeSightings(store.db, sealer, shipped);
      const list = await sightingsOf(store.db, sealer, '35209900176148');
      expect(list.map((s) => s.equipment)).toEqual(['b', 'a']);
      expect(list[0]).toMatchObject({
        protocol: 'n5g-eir',
        imsi: '001010000000001',
        reasons: ['stolen'],
        svn: '23',
      });
      await recorder.close();
    } finally {
      await dispose();
    }
  });
});
