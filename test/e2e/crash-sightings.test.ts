/**
 * Crash safety of sightings (issue 9, item 4): a check node (`openceir start --role check-node`
 * following a registry on a fresh PostgreSQL database) answers REST checks of blocked devices from a
 * few clients, each with its own IMSI, and is SIGKILLed at seeded random points, then restarted on its
 * data directory. Every check it answered is a sighting written ahead to its log before the answer
 * left, so every acknowledged sighting reaches the registry, and exactly once (sightings carry an id;
 * a check whose answer was lost may or may not have been recorded, but never twice). The restarted
 * node resumes following the registry's ledger up to its head. The registry stores each IMSI sealed
 * (deterministic form): the rows are opened with the registry's privacy key to be counted.
 *
 * Seed: OPENCEIR_CRASH_SEED; the kill times used are printed.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DeviceKey, fullImei } from '../../src/identifiers/imei.ts';
import { IMSI_FIELD } from '../../src/privacy/columns.ts';
import { isSealed, loadOrCreatePrivacyKey, Sealer } from '../../src/privacy/seal.ts';
import { ADMIN_KEY, CRASH_SEED, CrashBench, generator, sleep, until } from '../support/crash.ts';
import type { Started } from '../support/process.ts';

const NODE_KEY = 'crash-node-key-0123456789';
const CLIENTS = 3;
const CHECKS_PER_CLIENT = 80;
const DEVICES = 5;
const ROUNDS = 3;

const bench = new CrashBench();
afterAll(() => bench.close());

describe('a check node killed while it answers checks of blocked devices', () => {
  it('ships every sighting it acknowledged to the registry exactly once', { timeout: 300_000 }, async () => {
    const random = generator(CRASH_SEED);
    const database = await bench.database();
    const registryDir = bench.dir();
    const registry = await bench.start(bench.registryEnv(database, registryDir));
    const imeis = Array.from({ length: DEVICES }, (_, d) =>
      fullImei(`3569383${String(d).padStart(7, '0')}` as DeviceKey),
    );
    for (const imei of imeis) {
      const blocked = await fetch(`${registry.url}/api/v1/devices/${imei}/block`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'stolen', source: 'police' }),
      });
      expect(blocked.status).toBe(200);
    }

    const nodeEnv = {
      OPENCEIR_ROLE: 'check-node',
      OPENCEIR_FOLLOW: registry.url,
      OPENCEIR_FOLLOW_API_KEY: ADMIN_KEY,
      OPENCEIR_ADMIN_API_KEY: NODE_KEY,
      OPENCEIR_NODE_NAME: 'crash-node',
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DATA_DIR: bench.dir(),
    };
    let node: Started = await bench.start(nodeEnv);
    let url = node.url;
    const check = (imei: string, imsi: string) =>
      fetch(`${url}/api/v1/devices/${imei}/status${imsi ? `?imsi=${imsi}` : ''}`, {
        headers: { authorization: `Bearer ${NODE_KEY}` },
        signal: AbortSignal.timeout(30_000),
      });
    // The node has followed the blocks (a check without IMSI, not counted below).
    await until(
      'the blocks reach the node',
      async () => {
        const body = (await (await check(imeis.at(-1)!, '').catch(() => null))?.json()) as
          | { status?: string }
          | undefined;
        return body?.status === 'blocked' ? true : null;
      },
      60_000,
    );

    let up: Promise<void> = Promise.resolve();
    const acknowledged = new Set<string>();
    let unanswered = 0;
    let refused = 0;
    let sent = 0;
    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let c = 0; c < CHECKS_PER_CLIENT; c++) {
        await up;
        const imsi = `63902${String(client * 100_000 + c).padStart(10, '0')}`;
        sent++;
        try {
          let response = await check(imeis[c % DEVICES]!, imsi);
          // Refused by the overload guard (a loaded machine): no check, no sighting; asked again.
          for (let again = 0; response.status === 429 && again < 100; again++) {
            refused++;
            await response.body?.cancel();
            await sleep(100);
            response = await check(imeis[c % DEVICES]!, imsi);
          }
          const body = (await response.json()) as { status?: string };
          expect(response.status, JSON.stringify(body)).toBe(200);
          expect(body.status).toBe('blocked');
          acknowledged.add(imsi);
        } catch (error) {
          if ((error as { name?: string }).name === 'AssertionError') throw error;
          unanswered++;
          await sleep(50);
        }
      }
    });

    const total = CLIENTS * CHECKS_PER_CLIENT;
    const kills: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const target = Math.min(total - 1, sent + 1 + Math.floor(random() * (total / (ROUNDS + 1))));
      const delay = Math.floor(random() * 20);
      const deadline = Date.now() + 120_000;
      while (sent < target && Date.now() < deadline) await sleep(2);
      await sleep(delay);
      if (sent >= total) break;
      let restarted!: () => void;
      up = new Promise((resolve) => {
        restarted = resolve;
      });
      kills.push(`after ${acknowledged.size} acknowledged checks (+${delay} ms)`);
      await bench.kill(node);
      node = await bench.start(nodeEnv);
      url = node.url;
      restarted();
    }
    await Promise.all(clients);
    console.log(
      `crash-sightings seed ${CRASH_SEED}: killed ${kills.length} times, ${kills.join('; ')}; ` +
        `${acknowledged.size} of ${total} checks acknowledged, ${unanswered} unanswered, ${refused} refused as overload`,
    );
    expect(kills.length).toBeGreaterThan(0);
    expect(acknowledged.size).toBeGreaterThan(total / 2);

    // The restarted node still follows: it is at the registry's head, and a new block reaches it.
    const late = fullImei('35693839999999' as DeviceKey);
    const blockedLate = await fetch(`${registry.url}/api/v1/devices/${late}/block`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'stolen', source: 'police' }),
    });
    expect(blockedLate.status).toBe(200);
    const head = (await (await fetch(`${registry.url}/ledger/v1/head`)).json()) as { treeSize: number };
    await until(
      'the restarted node follows the registry to its head',
      async () => {
        const ready = (await (await fetch(`${url}/readyz`)).json()) as { checks?: { checkIndex?: string } };
        return ready.checks?.checkIndex?.includes(`position ${head.treeSize}`) ? true : null;
      },
      60_000,
    );

    const sql = await bench.sql(database.url);
    // The registry's key (privacy.key_file defaults to <data_dir>/privacy-key); equal IMSIs seal equal.
    const sealer = new Sealer(loadOrCreatePrivacyKey(path.join(registryDir, 'privacy-key'), false));
    const ours = <R extends { imsi: string | null }>(rows: R[]) =>
      rows
        .map((r) => ({ ...r, sealed: isSealed(r.imsi), imsi: sealer.open(IMSI_FIELD, r.imsi) }))
        .filter((r) => r.imsi?.startsWith('63902'));
    const shipped = async () =>
      ours(
        (
          await sql.query<{ imsi: string; n: string }>(
            `select imsi, count(*) as n from sighting group by imsi`,
          )
        ).rows,
      );
    const rows = await until(
      'every acknowledged sighting reaches the registry',
      async () => {
        const now = await shipped();
        const have = new Set(now.map((r) => r.imsi));
        return [...acknowledged].every((imsi) => have.has(imsi)) ? now : null;
      },
      120_000,
    );
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(rows.filter((r) => !r.sealed)).toEqual([]);
    const extra = rows.length - acknowledged.size;
    console.log(
      `crash-sightings: ${rows.length} sightings stored, ${extra} of them for checks whose answer was lost`,
    );
    expect(extra).toBeLessThanOrEqual(unanswered);
    const stored = ours(
      (
        await sql.query<{ imsi: string; node: string; status: string; protocol: string }>(
          'select imsi, node, status, protocol from sighting',
        )
      ).rows,
    );
    expect(
      stored.filter((r) => r.node !== 'crash-node' || r.status !== 'blocked' || r.protocol !== 'rest'),
    ).toEqual([]);
  });
});
