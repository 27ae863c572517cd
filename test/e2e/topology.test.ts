/**
 * The exchange topology on loopback, every box a real `openceir start` process on its own PostgreSQL
 * database: registries A and B (B a peer of A, read through the feed B keeps for A: what B's policy for
 * A shares, every entry with an inclusion proof; A's policy: their stolen → our blocked foreign-stolen), two check
 * nodes following A, and an operator consumer of A's lists. A stolen report on B reaches A's check
 * nodes (time printed, p50/p99 over 20 reports); a recovery on B unblocks there; the operator's list
 * file shows the block; an entry of B's log forged in its database stops peer B at A, with nothing of
 * it applied, and nothing further either.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type DeviceKey, fullImei } from '../../src/identifiers/imei.ts';
import { runCli, type Started, TestSystems } from '../support/process.ts';
import type { TestDatabase } from '../support/stores.ts';

const A_KEY = 'registry-a-admin-key-0123456789';
const B_KEY = 'registry-b-admin-key-0123456789';
const NODE_KEY = 'node-admin-key-0123456789';
const REPORTS = 20;

const systems = new TestSystems({ prefix: 'openceir-topology-' });
afterAll(() => systems.close());

const imeiOf = (serial: number) => fullImei(`3569380${String(serial).padStart(7, '0')}` as DeviceKey);

async function until<T>(what: string, fn: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    const value = await fn().catch((error: unknown) => {
      last = error;
      return null;
    });
    if (value !== null) return value;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${timeoutMs} ms (last error: ${String(last)})\n${systems.outputs()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

describe('exchange topology: two registries, two check nodes, an operator consumer', () => {
  it('carries a report on B to A’s check nodes, its recovery too, and stops B at a forged entry', {
    timeout: 150_000,
  }, async () => {
    const [dbA, dbB] = await Promise.all([systems.database(), systems.database()]);
    // The CLI shares A's data directory: A's ledger signing key is there.
    const dirA = systems.dir();
    const registryEnv = (database: TestDatabase, key: string) => ({
      OPENCEIR_ROLE: 'registry',
      DATABASE_URL: database.url,
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_DATA_DIR: database === dbA ? dirA : systems.dir(),
      OPENCEIR_ADMIN_API_KEY: key,
      OPENCEIR_DEMO: 'false',
    });
    const [a, b] = await Promise.all([
      systems.start(registryEnv(dbA, A_KEY)),
      systems.start(registryEnv(dbB, B_KEY)),
    ]);
    const cliA = { DATABASE_URL: dbA.url, OPENCEIR_DATA_DIR: dirA };

    // The agreement: B's ledger key, exchanged out of band, and A's trust policy for B.
    const work = systems.dir();
    const keyFile = path.join(work, 'country-b.pem');
    writeFileSync(keyFile, await (await fetch(`${b.url}/ledger/v1/public-key`)).text());
    const policyFile = path.join(work, 'country-b.yaml');
    writeFileSync(
      policyFile,
      'apply:\n  stolen: {action: block, reason: foreign-stolen}\nshare:\n  reasons: [stolen, lost]\n',
    );
    // B's side: A is a peer there too, whose policy shares B's stolen reports; B issues A a feed key.
    const asB = (p: string, body?: unknown) =>
      fetch(`${b.url}/api/v1/exchange/peers${p}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${B_KEY}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    const aAtB = await asB('', {
      id: 'country-a',
      url: a.url,
      publicKey: await (await fetch(`${a.url}/ledger/v1/public-key`)).text(),
      policy: { apply: {}, share: { reasons: ['stolen'] } },
    });
    expect(aAtB.status).toBe(201);
    expect((await asB('/country-a/pause')).status).toBe(200); // B does not follow A in this test
    const { feedKey } = (await (await asB('/country-a/feed-key')).json()) as { feedKey: string };
    const nodeEnv = (name: string) => ({
      OPENCEIR_ROLE: 'check-node',
      OPENCEIR_FOLLOW: a.url,
      OPENCEIR_FOLLOW_API_KEY: A_KEY,
      OPENCEIR_ADMIN_API_KEY: NODE_KEY,
      OPENCEIR_NODE_NAME: name,
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SBI_PORT: '0',
      OPENCEIR_DIAMETER_PORT: '0',
      // Loaded CI machines delay the event loop; this test measures propagation, not overload refusals.
      OPENCEIR_OVERLOAD_MAX_DELAY_MS: '0',
      OPENCEIR_DATA_DIR: systems.dir(),
    });
    const nodesStarting = Promise.all([systems.start(nodeEnv('node-1')), systems.start(nodeEnv('node-2'))]);
    const added = await runCli(
      [
        'peer',
        'add',
        'country-b',
        b.url,
        '--public-key',
        keyFile,
        '--policy',
        policyFile,
        '--peer-api-key',
        feedKey,
      ],
      cliA,
      60_000,
    );
    const nodes = await nodesStarting;
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('stolen → block foreign-stolen');
    // Its feed for us is how a peer is read unless `--via ledger` says otherwise.
    expect(added.stdout).toContain('read via    its feed for us');

    const statusOn = async (node: Started, imei: string): Promise<string> => {
      const response = await fetch(`${node.url}/api/v1/devices/${imei}/status`, {
        headers: { authorization: `Bearer ${NODE_KEY}` },
      });
      if (!response.ok) throw new Error(`node answered ${response.status}`);
      return ((await response.json()) as { status: string }).status;
    };
    const onB = async (imei: string, action: 'block' | 'unblock') => {
      const response = await fetch(`${b.url}/api/v1/devices/${imei}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${B_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          action === 'block' ? { reason: 'stolen', source: 'police' } : { source: 'police' },
        ),
      });
      expect(response.status).toBe(200);
    };
    /** Waits until every node answers `status` for the device; the time each took, from `since`. */
    const reached = (imei: string, status: (s: string) => boolean, since: number) =>
      Promise.all(
        nodes.map((node) =>
          until(`${imei} on ${node.url}`, async () =>
            status(await statusOn(node, imei)) ? performance.now() - since : null,
          ),
        ),
      );

    // Stolen reports on B, one after another: the time until both of A's check nodes refuse the device.
    const imeis = Array.from({ length: REPORTS }, (_, i) => imeiOf(i + 1));
    for (const imei of imeis) expect(await statusOn(nodes[0]!, imei)).not.toBe('blocked');
    const times: number[][] = [[], []];
    for (const imei of imeis) {
      const since = performance.now();
      await onB(imei, 'block');
      const [one, two] = await reached(imei, (s) => s === 'blocked', since);
      times[0]!.push(one!);
      times[1]!.push(two!);
    }
    for (const [i, list] of times.entries()) {
      const sorted = [...list].sort((x, y) => x - y);
      console.log(
        `report on B → verdict blocked on A's check node ${i + 1}, ${REPORTS} reports: p50 ${Math.round(percentile(sorted, 50))} ms, p99 ${Math.round(percentile(sorted, 99))} ms, max ${Math.round(sorted.at(-1)!)} ms`,
      );
    }

    // A holds them as its own, with the origin kept.
    const db = new pg.Client({ connectionString: dbA.url });
    await db.connect();
    try {
      const { rows } = await db.query(
        `select device_key, status, reason, source, reference from device_reason where source = 'peer:country-b' order by device_key`,
      );
      expect(rows).toHaveLength(REPORTS);
      expect(rows[0]).toMatchObject({
        status: 'blocked',
        reason: 'foreign-stolen',
        source: 'peer:country-b',
      });
      expect(rows[0].reference).toMatch(/^peer:country-b:\d+$/);
    } finally {
      await db.end();
    }

    // Recovered on B: unblocked on A's check nodes as fast as it was blocked.
    const since = performance.now();
    await onB(imeis[0]!, 'unblock');
    const lifted = await reached(imeis[0]!, (s) => s !== 'blocked', since);
    console.log(
      `recovery on B → verdict lifted on A's check nodes in ${lifted.map(Math.round).join(' and ')} ms`,
    );
    expect(await statusOn(nodes[1]!, imeis[1]!)).toBe('blocked');

    // The operator consumer of A's lists: its signed list files show B's report, not the recovered one.
    const analytics = path.join(work, 'analytics.yaml');
    writeFileSync(
      analytics,
      "region:\n  name: A\n  operators:\n    - id: mno-a\n      name: Operator A\n      mcc_mnc_pairs: [{mcc: '639', mnc: '02'}]\n",
    );
    const files = path.join(work, 'mno-a');
    const exported = await runCli(
      ['exchange', 'export', 'mno-a', files, '--analytics-config', analytics],
      cliA,
      60_000,
    );
    expect(exported.code, exported.stderr).toBe(0);
    const verifiedFiles = await runCli(['exchange', 'verify', files], cliA, 60_000);
    expect(verifiedFiles.code, verifiedFiles.stdout + verifiedFiles.stderr).toBe(0);
    const listed = readFileSync(path.join(files, 'blocked.csv'), 'utf8');
    expect(listed).toContain(imeis[1]!.slice(0, 14));
    expect(listed).not.toContain(imeis[0]!.slice(0, 14));

    // A is offline for B for a while (paused); meanwhile someone rewrites a report in B's database.
    const peerAction = async (action: 'pause' | 'resume') =>
      (
        await fetch(`${a.url}/api/v1/exchange/peers/country-b/${action}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${A_KEY}` },
        })
      ).status;
    expect(await peerAction('pause')).toBe(200);
    const stolenThere = imeiOf(100);
    const forgedKey = imeiOf(200).slice(0, 14);
    await onB(stolenThere, 'block');
    const dbBClient = new pg.Client({ connectionString: dbB.url });
    await dbBClient.connect();
    try {
      await dbBClient.query('begin');
      await dbBClient.query('alter table ledger_entry disable trigger ledger_entry_append_only');
      const forged = await dbBClient.query(
        `update ledger_entry set target = jsonb_set(target, '{deviceKey}', to_jsonb($1::text)), device_key = $1
         where seq = (select max(seq) from ledger_entry) returning seq`,
        [forgedKey],
      );
      expect(forged.rowCount).toBe(1);
      await dbBClient.query('alter table ledger_entry enable trigger ledger_entry_append_only');
      await dbBClient.query('commit');
    } finally {
      await dbBClient.end();
    }
    expect(await peerAction('resume')).toBe(200);
    const stopped = await until('A stops peer B', async () => {
      const response = await fetch(`${a.url}/api/v1/exchange/peers/country-b`, {
        headers: { authorization: `Bearer ${A_KEY}` },
      });
      const peer = (await response.json()) as { state: string; problem: string | null; position: number };
      return peer.state === 'stopped' ? peer : null;
    });
    console.log(`A on B's forged entry: ${stopped.problem}`);
    expect(stopped.problem).toMatch(/is not in its signed tree of size \d+: an entry was altered or forged/);
    const listedPeers = await runCli(['peer', 'list'], cliA, 60_000);
    expect(listedPeers.stdout).toMatch(/country-b\s+stopped/);
    expect(listedPeers.stdout).toContain('altered or forged');

    // Nothing of it applied, and nothing further: a new report on B stays there.
    const later = imeiOf(300);
    await onB(later, 'block');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const node of nodes) {
      for (const imei of [stolenThere, fullImei(forgedKey as DeviceKey), later])
        expect(await statusOn(node, imei)).not.toBe('blocked');
    }
    const after = (await (
      await fetch(`${a.url}/api/v1/exchange/peers/country-b`, {
        headers: { authorization: `Bearer ${A_KEY}` },
      })
    ).json()) as { state: string; position: number };
    expect(after).toMatchObject({ state: 'stopped', position: stopped.position });
    const verified = await runCli(['ledger', 'verify'], cliA, 60_000);
    expect(verified.stdout).toContain('ledger verified');
  });
});
