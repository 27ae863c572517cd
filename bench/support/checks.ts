/**
 * What the protocol benchmarks check: a check service wired as src/server.ts wires it (sightings
 * written ahead to disk, metrics, the overload guard at its default limit), and the devices the load
 * asks about — a share in the synthetic index (by default half: every listed device costs a sighting,
 * so this is harder than a network, where few devices are listed), the others next to one of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { CheckIndex } from '../../src/check/index.ts';
import { OverloadGuard, type OverloadOptions } from '../../src/check/overload.ts';
import { DEFAULT_POLICY } from '../../src/check/policy.ts';
import { CheckService } from '../../src/check/service.ts';
import { SightingRecorder } from '../../src/check/sightings.ts';
import { loadConfig } from '../../src/config/load.ts';
import { forEachKey, random } from './synthetic.ts';

export interface BenchChecks {
  readonly service: CheckService;
  /** Sightings the recorder wrote (and shipped nowhere: the registry is not what is measured). */
  readonly sightings: () => number;
  close(): Promise<void>;
}

/**
 * The check service over `index`. `bare`: no recorder, metrics or overload guard, to see what they
 * cost. `overload`: the guard's limits (default: the settings' defaults).
 */
export function benchChecks(index: CheckIndex, bare: boolean, overload?: OverloadOptions): BenchChecks {
  if (bare) {
    const service = new CheckService({ policy: DEFAULT_POLICY, index, recorder: null, overload: null });
    return { service, sightings: () => 0, close: async () => {} };
  }
  const defaults = loadConfig({ env: {}, cwd: os.tmpdir() });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-bench-sightings-'));
  let shipped = 0;
  const recorder = new SightingRecorder({
    dir,
    node: 'bench',
    recordAll: defaults.check.recordAll,
    // As a check node ships them: the log's lines as they are, to a registry that is not measured.
    shipLines: async (lines) => {
      shipped += lines.length;
    },
  });
  recorder.start();
  const guard = new OverloadGuard(overload ?? defaults.overload).start();
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'openceir_' });
  const service = new CheckService({ policy: DEFAULT_POLICY, index, recorder, overload: guard, metrics });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return {
    service,
    sightings: () => shipped,
    close: async () => {
      guard.stop();
      await recorder.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Device {
  /** The 14-digit device key. */
  readonly key: string;
  readonly listed: boolean;
}

/**
 * `count` devices of an n-device synthetic index, in a shuffled order: a share listed (every listed
 * device is blocked or tracked; by default half), the others not — the serial after a listed one, so that the lookup searches its
 * TAC block and misses.
 */
export function sampleDevices(n: number, count: number, listedShare = 0.5): Device[] {
  const next = random(count);
  const wanted = new Set<number>();
  for (let tries = 0; wanted.size < Math.min(count, n) && tries < count * 10; tries++)
    wanted.add(Math.floor(next() * n));
  const devices: Device[] = [];
  let half = 0;
  forEachKey(n, (key, i) => {
    if (!wanted.has(i)) return;
    // Spread evenly: with a share of 0.5, every other device is listed.
    const listed = Math.floor((half + 1) * listedShare) > Math.floor(half * listedShare);
    half += 1;
    devices.push({ key: String(listed ? key : key + 1).padStart(14, '0'), listed });
  });
  for (let i = devices.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [devices[i], devices[j]] = [devices[j]!, devices[i]!];
  }
  return devices;
}
