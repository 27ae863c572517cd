/**
 * Crash safety of case transitions (issue 9, item 4): a registry (`openceir start` on a fresh
 * PostgreSQL database) receives case reports and actions through the REST API from a few clients and
 * is SIGKILLed at seeded random points, then restarted. Every case is opened by staff (verified and
 * blocked at once), a third stay blocked, a third are recovered and a third recovered then closed
 * (unblock). A call that got no answer is sent again: a report of an IMEI in an open case returns that
 * case, an action the case already took is seen by reading the case. At the end every case is in the
 * state its calls lead to, its device is blocked under its source exactly until the case is closed,
 * each step is one case event and one set of ledger entries, each message to the reporter is in the
 * outbox once, and `openceir ledger verify` passes.
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

const CLIENTS = 3;
const CASES_PER_CLIENT = 8;
const ROUNDS = 3;

/** Each case's calls: report, then none, recover, or recover and unblock. */
const PLANS = [[], ['recover'], ['recover', 'unblock']] as const;
const STATE_AFTER = { recover: 'recovered', unblock: 'closed' } as const;
const MESSAGES = {
  blocked: ['blocked'],
  recovered: ['blocked', 'recovered'],
  closed: ['blocked', 'recovered', 'closed'],
};

const bench = new CrashBench();
afterAll(() => bench.close());

describe('a registry killed while cases move', () => {
  it('leaves each case, its ledger entries and its messages exactly as its calls say', {
    timeout: 300_000,
  }, async () => {
    const random = generator(CRASH_SEED);
    const database = await bench.database();
    const dir = bench.dir();
    const env = bench.registryEnv(database, dir);
    let system: Started = await bench.start(env);
    let url = system.url;
    let up: Promise<void> = Promise.resolve();
    let retried = 0;
    let done = 0;

    /** Sends until an answer comes (the registry may be down); bounded. */
    const call = async (method: string, route: string, body?: unknown) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        await up;
        try {
          const response = await fetch(`${url}${route}`, {
            method,
            headers: {
              authorization: `Bearer ${ADMIN_KEY}`,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(30_000),
          });
          const json = (await response.json()) as Record<string, unknown>;
          if (response.status >= 500) throw new Error(`status ${response.status}`);
          return { status: response.status, json, attempt };
        } catch {
          retried++;
          await sleep(50);
        }
      }
      throw new Error(`${method} ${route}: no answer after 200 attempts`);
    };

    const cases: { reference: string; imei: string; deviceKey: string; state: string }[] = [];
    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let c = 0; c < CASES_PER_CLIENT; c++) {
        const n = client * 100 + c;
        const deviceKey = `3569382${String(n).padStart(7, '0')}`;
        const imei = fullImei(deviceKey as DeviceKey);
        const report = await call('POST', '/api/v1/cases', {
          imeis: [imei],
          kind: 'stolen',
          reporterPhone: `+2547${String(n).padStart(8, '0')}`,
        });
        // A retried report finds the case the first attempt opened before the kill (200).
        expect(report.status, JSON.stringify(report.json)).toBe(report.attempt === 0 ? 201 : report.status);
        expect([200, 201], JSON.stringify(report.json)).toContain(report.status);
        const { reference } = report.json.case as { reference: string };
        let state = 'blocked';
        for (const action of PLANS[n % PLANS.length]!) {
          const acted = await call('POST', `/api/v1/cases/${reference}/actions`, { action });
          if (acted.status !== 200) {
            // Refused on a retry: the first attempt took effect before the kill.
            expect(acted.attempt, JSON.stringify(acted.json)).toBeGreaterThan(0);
            const read = await call('GET', `/api/v1/cases/${reference}`);
            expect((read.json.case as { state: string }).state).toBe(STATE_AFTER[action]);
          }
          state = STATE_AFTER[action];
          done++;
        }
        cases.push({ reference, imei, deviceKey, state });
        done++;
      }
    });

    const total = CLIENTS * CASES_PER_CLIENT * 2;
    const kills: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
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
      kills.push(`after ${done} answered calls (+${delay} ms)`);
      await bench.kill(system);
      system = await bench.start(env);
      url = system.url;
      restarted();
    }
    await Promise.all(clients);
    console.log(
      `crash-cases seed ${CRASH_SEED}: killed ${kills.length} times, ${kills.join('; ')}; ${retried} calls sent again`,
    );
    expect(kills.length).toBeGreaterThan(0);
    await bench.kill(system);

    const sql = await bench.sql(database.url);
    expect(cases).toHaveLength(CLIENTS * CASES_PER_CLIENT);
    expect(Number((await sql.query('select count(*) as n from case_report')).rows[0].n)).toBe(cases.length);
    for (const expected of cases) {
      const [row] = (
        await sql.query<{ id: string; state: string; source: string }>(
          'select id, state, source from case_report where reference = $1',
          [expected.reference],
        )
      ).rows;
      expect(row?.state, expected.reference).toBe(expected.state);
      const blocked = await sql.query(
        `select 1 from device_reason where device_key = $1 and status = 'blocked' and source = $2
         and reference = $3`,
        [expected.deviceKey, row!.source, `case:${expected.reference}`],
      );
      // A recovered case keeps its block until it is closed (cases/model.ts).
      expect(blocked.rows.length, `${expected.reference} ${expected.state}`).toBe(
        expected.state === 'closed' ? 0 : 1,
      );
      // One event per step, one block entry, and each step's ledger entries once.
      const events = await sql.query<{ to_state: string; ledger_seqs: string[] }>(
        'select to_state, ledger_seqs from case_event where case_id = $1 order by id',
        [row!.id],
      );
      const entries = await sql.query<{ seq: string; action: string }>(
        'select seq, action from ledger_entry where reference = $1 order by seq',
        [`case:${expected.reference}`],
      );
      const steps = ['submitted', 'blocked', 'recovered', 'closed'];
      expect(events.rows.map((e) => e.to_state)).toEqual(steps.slice(0, steps.indexOf(expected.state) + 1));
      expect(entries.rows.filter((e) => e.action === 'block')).toHaveLength(1);
      const linked = events.rows.flatMap((e) => e.ledger_seqs.map(Number)).sort((a, b) => a - b);
      expect(linked, expected.reference).toEqual(entries.rows.map((e) => Number(e.seq)));
      const messages = await sql.query<{ kind: string }>(
        'select kind from outbox where case_id = $1 order by kind',
        [row!.id],
      );
      expect(messages.rows.map((m) => m.kind)).toEqual(
        [...MESSAGES[expected.state as keyof typeof MESSAGES]].sort(),
      );
    }
    await expectLedgerVerifies({ DATABASE_URL: database.url, OPENCEIR_DATA_DIR: dir });
  });
});
