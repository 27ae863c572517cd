/**
 * A registry killed (SIGKILL) while it follows a peer mid-stream, then restarted: its lists are exactly
 * what the trust policy gives from the peer's lists — every peer entry applied once, none skipped, none
 * twice — and `openceir ledger verify` passes. Two `openceir start` processes, each on its own
 * PostgreSQL database; the peer's backlog comes from DIRBS stolen list imports (8,000 blocks, then 1,600 unblocks;
 * PEER_CRASH_BLOCKS sets another size).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DeviceKey, fullImei } from '../../src/identifiers/imei.ts';
import { runCli, TestSystems } from '../support/process.ts';
import type { TestDatabase } from '../support/stores.ts';

const BLOCKS = Number(process.env.PEER_CRASH_BLOCKS ?? 8_000);
const KEPT = Math.round(BLOCKS * 0.8);

const systems = new TestSystems({ prefix: 'openceir-peer-crash-' });
afterAll(() => systems.close());

async function until<T>(what: string, fn: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${systems.outputs()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const keys = (rows: { device_key: string }[]) => rows.map((r) => r.device_key).sort();

describe('a registry killed while it follows a peer', () => {
  it('resumes after a restart with exactly the lists the policy gives, no gap and no duplicate', {
    timeout: 240_000,
  }, async () => {
    const [dbA, dbB] = await Promise.all([systems.database(), systems.database()]);
    // The CLI shares each registry's data directory: its ledger signing key is there.
    const [dirA, dirB] = [systems.dir(), systems.dir()];
    const registryEnv = (database: TestDatabase) => ({
      OPENCEIR_ROLE: 'registry',
      DATABASE_URL: database.url,
      OPENCEIR_HTTP_PORT: '0',
      OPENCEIR_SMS_SIMULATOR_PORT: '0',
      OPENCEIR_DATA_DIR: database === dbA ? dirA : dirB,
      OPENCEIR_ADMIN_API_KEY: 'registry-admin-key-0123456789',
      OPENCEIR_DEMO: 'false',
    });
    const b = await systems.start(registryEnv(dbB));
    const cliB = { DATABASE_URL: dbB.url, OPENCEIR_DATA_DIR: dirB };
    const cliA = { DATABASE_URL: dbA.url, OPENCEIR_DATA_DIR: dirA };

    // B's backlog: stolen reports, then a fifth of them recovered.
    const work = systems.dir();
    const imeis = Array.from({ length: BLOCKS }, (_, i) =>
      fullImei(`3569380${String(i).padStart(7, '0')}` as DeviceKey),
    );
    const full = path.join(work, 'stolen-full.csv');
    writeFileSync(full, `imei,reporting_date\n${imeis.map((i) => `${i},20260101`).join('\n')}\n`);
    const kept = path.join(work, 'stolen-kept.csv');
    writeFileSync(
      kept,
      `imei,reporting_date\n${imeis
        .slice(0, KEPT)
        .map((i) => `${i},20260101`)
        .join('\n')}\n`,
    );
    for (const file of [full, kept]) {
      const imported = await runCli(['lists', 'import', 'stolen', file, '--source', 'police'], cliB, 120_000);
      expect(imported.code, imported.stderr).toBe(0);
    }

    const keyFile = path.join(work, 'b.pem');
    writeFileSync(keyFile, await (await fetch(`${b.url}/ledger/v1/public-key`)).text());
    // A follows B's whole ledger, as a registry's own regional instance does: B issues it a follower key
    // (a peer key reads no ledger entries).
    const org = await runCli(
      ['org', 'add', 'region-a', '--kind', 'regulator', '--name', 'Regional instance A'],
      cliB,
      60_000,
    );
    expect(org.code, org.stderr).toBe(0);
    const issued = await runCli(
      ['apikey', 'create', '--org', 'region-a', '--role', 'follower', '--label', 'registry A follows B'],
      cliB,
      60_000,
    );
    expect(issued.code, issued.stderr).toBe(0);
    const followerKey = issued.stdout.trim();
    const added = await runCli(
      [
        'peer',
        'add',
        'country-b',
        b.url,
        '--public-key',
        keyFile,
        '--via',
        'ledger',
        '--peer-api-key',
        followerKey,
      ],
      cliA,
      60_000,
    );
    expect(added.code, added.stderr).toBe(0);

    const sqlA = await systems.sql(dbA.url);
    const sqlB = await systems.sql(dbB.url);
    const sizeB = Number((await sqlB.query('select size from ledger_state')).rows[0].size);
    expect(sizeB).toBeGreaterThanOrEqual(BLOCKS + (BLOCKS - KEPT));
    const position = async () =>
      Number((await sqlA.query('select position from peer')).rows[0]?.position ?? 0);

    // A follows B and is killed mid-stream.
    let a = await systems.start(registryEnv(dbA));
    const startedAt = performance.now();
    const atKill = await until(
      'A is mid-stream',
      async () => {
        const p = await position();
        return p >= BLOCKS / 4 ? p : null;
      },
      120_000,
    );
    const killed = await systems.kill(a);
    expect(killed.signal).toBe('SIGKILL');
    const stoppedAt = await position();
    console.log(
      `A killed at peer position ${stoppedAt} of ${sizeB} (seen ${atKill}, ${Math.round(performance.now() - startedAt)} ms after start)`,
    );
    expect(stoppedAt).toBeLessThan(sizeB);

    // Restarted: it resumes from the position it stored, and catches up.
    a = await systems.start(registryEnv(dbA));
    const resumedAt = performance.now();
    await until('A catches up with B', async () => ((await position()) === sizeB ? true : null), 180_000);
    console.log(
      `A caught up ${sizeB - stoppedAt} entries in ${Math.round(performance.now() - resumedAt)} ms after the restart`,
    );

    // Exactly the lists the policy gives: B's stolen blocks are A's foreign-stolen blocks.
    const theirs = await sqlB.query(
      `select device_key from device_reason where status = 'blocked' and reason = 'stolen'`,
    );
    const ours = await sqlA.query(
      `select device_key from device_reason
       where status = 'blocked' and reason = 'foreign-stolen' and source = 'peer:country-b'`,
    );
    expect(theirs.rows).toHaveLength(KEPT);
    expect(keys(ours.rows)).toEqual(keys(theirs.rows));
    expect(Number((await sqlA.query('select count(*) as n from device_reason')).rows[0].n)).toBe(KEPT);

    // Every one of B's stolen blocks and lifts applied once: no gap, no duplicate.
    const mapped = await sqlB.query(
      `select seq from ledger_entry where action in ('block', 'unblock') and 'stolen' = any(reasons) order by seq`,
    );
    const applied = await sqlA.query(
      `select substring(reference from 'peer:country-b:(\\d+)')::bigint as seq, count(*) as n
       from ledger_entry where source = 'peer:country-b' group by 1 order by 1`,
    );
    expect(applied.rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(applied.rows.map((r) => Number(r.seq))).toEqual(mapped.rows.map((r) => Number(r.seq)));
    expect(mapped.rows).toHaveLength(BLOCKS + (BLOCKS - KEPT));

    const verified = await runCli(['ledger', 'verify'], cliA, 120_000);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('lists match');
    const peer = (await sqlA.query('select state, problem from peer')).rows[0];
    expect(peer).toEqual({ state: 'active', problem: null });
  });
});
