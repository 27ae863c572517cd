/**
 * Crash safety of ledger appends (issue 9, item 4): a registry (`openceir start` on a fresh
 * PostgreSQL database) receives block and unblock calls through the REST API from a few clients
 * at once and is SIGKILLed at seeded random points, then restarted on the same database. Each client
 * works like a careful integration: one call at a time, each with its own Idempotency-Key, and a call
 * that got no answer is sent again with the same key once the registry is back. At the end every
 * call is in the ledger exactly once (one entry per key, at the seq the registry acknowledged),
 * `openceir ledger verify` passes (Merkle tree, signed heads, lists = fold of the ledger), and each
 * device's status is what its last call left.
 *
 * Seed: OPENCEIR_CRASH_SEED; the kill times used are printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type DeviceKey, fullImei } from '../../src/identifiers/imei.ts';
import {
  ADMIN_KEY,
  CRASH_SEED,
  CrashBench,
  expectLedgerVerifies,
  generator,
  sleep,
} from '../support/crash.ts';
import type { Started } from '../support/process.ts';

const CLIENTS = 4;
const DEVICES_PER_CLIENT = 12;
/** Each device: block, unblock, block — so the last call decides, and a lost or doubled one shows. */
const ACTIONS = ['block', 'unblock', 'block'] as const;
const ROUNDS = 3;

interface Call {
  readonly key: string;
  readonly imei: string;
  readonly action: (typeof ACTIONS)[number];
}

const bench = new CrashBench();
afterAll(() => bench.close());

describe('a registry killed while it appends to the ledger', () => {
  it('keeps every acknowledged change exactly once, and one entry per retried call', {
    timeout: 300_000,
  }, async () => {
    const random = generator(CRASH_SEED);
    const database = await bench.database();
    const dir = bench.dir();
    const env = bench.registryEnv(database, dir);
    let system: Started = await bench.start(env);
    let url = system.url;
    let up: Promise<void> = Promise.resolve();

    const calls: Call[][] = Array.from({ length: CLIENTS }, (_, client) =>
      Array.from({ length: DEVICES_PER_CLIENT }, (_, d) => {
        const imei = fullImei(`3569381${String(client * 100 + d).padStart(7, '0')}` as DeviceKey);
        return ACTIONS.map((action, step) => ({ key: `crash-${client}-${d}-${step}`, imei, action }));
      }).flat(),
    );
    const acknowledged = new Map<string, { seq: number; replayed: boolean }>();
    let retried = 0;
    let done = 0;

    const send = async (call: Call) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        await up;
        try {
          const response = await fetch(`${url}/api/v1/devices/${call.imei}/${call.action}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${ADMIN_KEY}`,
              'content-type': 'application/json',
              'idempotency-key': call.key,
            },
            body: JSON.stringify({ reason: 'stolen', source: 'police' }),
            signal: AbortSignal.timeout(30_000),
          });
          const body = (await response.json()) as { entry?: { seq: number }; replayed?: boolean };
          if (response.status >= 500) throw new Error(`status ${response.status}`);
          expect(response.status, JSON.stringify(body)).toBe(200);
          acknowledged.set(call.key, { seq: Number(body.entry!.seq), replayed: body.replayed === true });
          return;
        } catch (error) {
          if ((error as { name?: string }).name === 'AssertionError') throw error;
          retried++;
          await sleep(50);
        }
      }
      throw new Error(`${call.key}: no answer after 200 attempts`);
    };
    const clients = calls.map(async (mine) => {
      for (const call of mine) {
        await send(call);
        done++;
      }
    });

    const total = CLIENTS * DEVICES_PER_CLIENT * ACTIONS.length;
    const kills: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Kill somewhere inside the next stretch of calls, whatever the machine's speed.
      const target = Math.min(total - 1, done + 1 + Math.floor(random() * (total / (ROUNDS + 1))));
      const delay = Math.floor(random() * 40);
      const deadline = Date.now() + 120_000;
      while (done < target && Date.now() < deadline) await sleep(5);
      await sleep(delay);
      if (done >= total) break;
      let restarted!: () => void;
      up = new Promise((resolve) => {
        restarted = resolve;
      });
      kills.push(`after ${done} acknowledged calls (+${delay} ms)`);
      await bench.kill(system);
      system = await bench.start(env);
      url = system.url;
      restarted();
    }
    await Promise.all(clients);
    console.log(
      `crash-ledger seed ${CRASH_SEED}: killed ${kills.length} times, ${kills.join('; ')}; ` +
        `${retried} calls sent again, ${[...acknowledged.values()].filter((a) => a.replayed).length} answered as replays`,
    );
    expect(kills.length).toBeGreaterThan(0);

    // Every call acknowledged once, and in the ledger once: at the seq the registry answered.
    expect(acknowledged.size).toBe(total);
    const sql = await bench.sql(database.url);
    const rows = (
      await sql.query<{ seq: string; idempotency_key: string | null; action: string; device_key: string }>(
        'select seq, idempotency_key, action, device_key from ledger_entry order by seq',
      )
    ).rows;
    const byKey = new Map<string, number[]>();
    for (const row of rows) {
      if (row.idempotency_key === null) continue;
      byKey.set(row.idempotency_key, [...(byKey.get(row.idempotency_key) ?? []), Number(row.seq)]);
    }
    const doubled = [...byKey].filter(([, seqs]) => seqs.length !== 1);
    expect(doubled).toEqual([]);
    for (const call of calls.flat()) {
      expect(byKey.get(call.key), call.key).toEqual([acknowledged.get(call.key)!.seq]);
    }
    expect(rows.filter((r) => r.idempotency_key !== null)).toHaveLength(total);
    // The seqs are gapless from 0: nothing half-appended.
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i));

    // Each device ends blocked (its last call), under police, for stolen, once.
    const reasons = await sql.query<{ device_key: string; n: string }>(
      `select device_key, count(*) as n from device_reason
       where status = 'blocked' and reason = 'stolen' and source = 'police' group by 1`,
    );
    expect(reasons.rows).toHaveLength(CLIENTS * DEVICES_PER_CLIENT);
    expect(reasons.rows.every((r) => Number(r.n) === 1)).toBe(true);

    await bench.kill(system);
    await expectLedgerVerifies({ DATABASE_URL: database.url, OPENCEIR_DATA_DIR: dir });
  });
});
