/**
 * Classification end to end on a small hand-built country: operator rows imported through the
 * engines (DuckDB in memory, and the PostgreSQL engine on the registry's own database), the ledger
 * and classification_state on PGlite and PostgreSQL. One scenario of runs over two months, checked
 * step by step, and the same trace on every engine.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../../test/support/stores.ts';
import { Ledger } from '../../ledger/ledger.ts';
import { HeadSigner } from '../../ledger/signing.ts';
import { query } from '../../store/index.ts';
import { analyticsConfigFrom } from '../config.ts';
import { DuckDbEngine } from '../engines/duckdb.ts';
import type { AnalyticsEngine, OperatorRow } from '../engines/engine.ts';
import { PostgresEngine } from '../engines/postgres.ts';
import { normaliseImei } from '../normalise.ts';
import { type ClassifyOptions, type ClassifyResult, classify, openMatches } from './classify.ts';

const CLONE_A = '35209900000001';
const CLONE_B = '35209900000002';
const HEX = '3520990000003A';
const NORMAL = Array.from({ length: 10 }, (_, i) => `352099000001${String(i).padStart(2, '0')}`);

/** January 2026: two clones (5 and 4 IMSIs), a hex IMEI with 3 IMSIs, ten ordinary phones; last day the 30th. */
function january(): OperatorRow[] {
  const rows: OperatorRow[] = [];
  const row = (day: number, imei: string, subscriber: number): OperatorRow => ({
    date: `2026-01-${String(day).padStart(2, '0')}`,
    imei,
    imeiNorm: normaliseImei(imei),
    imsi: `63902${String(subscriber).padStart(10, '0')}`,
    msisdn: `2547${String(subscriber).padStart(8, '0')}`,
    ratMask: null,
  });
  for (let s = 0; s < 5; s++) rows.push(row(10 + s, CLONE_A, 100 + s));
  for (let s = 0; s < 4; s++) rows.push(row(12 + s, CLONE_B, 200 + s));
  for (let s = 0; s < 3; s++) rows.push(row(18 + s, HEX, 300 + s));
  for (const [i, imei] of NORMAL.entries()) rows.push(row(5 + i * 2 + (i === 9 ? 7 : 0), imei, 400 + i));
  return rows;
}

const duplicate = (periodDays: number) => [
  { module: 'duplicate_threshold', parameters: { threshold: 3, period_days: periodDays } },
];
const CONFIG = analyticsConfigFrom({
  region: {
    country_codes: ['254'],
    operators: [{ id: 'alpha', mcc_mnc_pairs: [{ mcc: '639', mnc: '02' }] }],
  },
  conditions: [
    {
      label: 'dup',
      dimensions: duplicate(30),
      grace_period_days: 0,
      blocking: true,
      reason: 'Duplicate IMEI',
      max_allowed_matching_ratio: 0.5,
    },
    {
      label: 'dup_grace',
      dimensions: duplicate(90),
      grace_period_days: 30,
      blocking: true,
      reason: 'Duplicate IMEI',
      max_allowed_matching_ratio: 0.5,
    },
    {
      label: 'dup_sticky',
      dimensions: duplicate(30),
      grace_period_days: 0,
      blocking: true,
      sticky: true,
      reason: 'Duplicate IMEI',
      max_allowed_matching_ratio: 0.5,
    },
    {
      label: 'not_dup',
      dimensions: [{ ...duplicate(30)[0], invert: true }],
      reason: 'Seen with few IMSIs',
      max_allowed_matching_ratio: 1,
    },
    {
      label: 'dup_amnesty',
      dimensions: duplicate(120),
      grace_period_days: 0,
      blocking: true,
      amnesty_eligible: true,
      reason: 'Duplicate IMEI',
      max_allowed_matching_ratio: 0.5,
    },
    {
      label: 'everyone',
      dimensions: [{ module: 'malformed_imei', invert: true }],
      blocking: true,
      grace_period_days: 0,
      reason: 'stolen',
      max_allowed_matching_ratio: 0.1,
    },
  ],
  amnesty: {
    amnesty_enabled: true,
    evaluation_period_end_date: '2026-02-15',
    amnesty_period_end_date: '2026-04-30',
  },
});

interface Harness {
  readonly engine: AnalyticsEngine;
  readonly ledger: Ledger;
  run(options: Partial<ClassifyOptions>): Promise<ClassifyResult>;
  state(): Promise<string[]>;
  ledgerLines(): Promise<string[]>;
  blockedBy(label: string): Promise<string[]>;
}

async function harness(kind: 'duckdb' | 'postgres', registry: TestStore): Promise<Harness> {
  const engine = kind === 'duckdb' ? await DuckDbEngine.open(null) : new PostgresEngine(registry.store);
  await engine.importOperatorRows(
    {
      importId: 'a'.repeat(64),
      operator: 'alpha',
      fileName: 'alpha_20260101_20260131.csv',
      startDate: '2026-01-01',
      endDate: '2026-01-31',
    },
    january(),
  );
  const ledger = new Ledger(registry.store, new HeadSigner(generateKeyPairSync('ed25519').privateKey));
  await ledger.init();
  const db = registry.store.db;
  return {
    engine,
    ledger,
    run: (options) =>
      classify({
        config: CONFIG,
        engine,
        ledger,
        today: '2026-01-31',
        now: new Date('2026-01-31T12:00:00Z'),
        ...options,
      }),
    state: async () =>
      (
        await query<{ line: string }>(
          db,
          sql`select cond_name || ' ' || imei_norm || ' ' || start_date::text || ' ' || coalesce(end_date::text, '-') || ' ' ||
                coalesce(block_date::text, '-') || ' ' || amnesty_granted::text as line from classification_state`,
        )
      )
        .map((r) => r.line)
        .sort(),
    ledgerLines: async () =>
      (await ledger.entries(0, 10_000)).map(
        (e) =>
          `${e.source} ${e.action} ${e.target.kind === 'device' ? e.target.deviceKey : ''} ${e.reasons.join('|')} ${e.attributes?.block_date ?? ''}`,
      ),
    blockedBy: async (label) =>
      (
        await query<{ device_key: string }>(
          db,
          sql`select device_key from device_reason where source = ${`rule:${label}`} and status = 'blocked' order by 1`,
        )
      ).map((r) => r.device_key),
  };
}

const open = (lines: string[], label: string) =>
  lines.filter((l) => l.startsWith(`${label} `) && l.split(' ')[3] === '-').map((l) => l.split(' ')[1]);

/** The scenario: every step's checks; returns the trace the engines are compared on. */
async function scenario(h: Harness): Promise<unknown[]> {
  const trace: unknown[] = [];
  const strip = (r: ClassifyResult) => ({ ...r, runId: 0 });

  // 1. No --curr-date: state dated today, windows ending on the last day of data (DIRBS).
  const first = await h.run({});
  trace.push(strip(first), await h.state(), await h.ledgerLines());
  expect(first.currDate).toBe('2026-01-31');
  expect(first.analysisEnd).toBe('2026-01-30');
  expect(first.networkImeis).toBe(13);
  expect(first.status).toBe('error');
  const outcome = (r: ClassifyResult, label: string) => r.conditions.find((c) => c.condition === label)!;
  expect(outcome(first, 'everyone').refused).toMatch(/^Refusing to classify using condition 'everyone'/);
  expect(outcome(first, 'dup')).toMatchObject({ matched: 3, new: 3, blocked: 2, skipped: 1, refused: null });
  let state = await h.state();
  expect(open(state, 'everyone')).toEqual([]);
  expect(open(state, 'dup').sort()).toEqual([CLONE_A, CLONE_B, HEX]);
  expect(state).toContain(`dup ${CLONE_A} 2026-01-31 - 2026-01-31 false`);
  expect(state).toContain(`dup_grace ${CLONE_A} 2026-01-31 - 2026-03-02 false`);
  expect(state).toContain(`dup_amnesty ${CLONE_A} 2026-01-31 - - true`);
  expect(open(state, 'not_dup').sort()).toEqual(NORMAL);
  expect(state.filter((l) => l.startsWith('not_dup ')).every((l) => l.endsWith(' - false'))).toBe(true);
  expect(await h.blockedBy('dup')).toEqual([CLONE_A, CLONE_B]);
  expect(await h.blockedBy('dup_sticky')).toEqual([CLONE_A, CLONE_B]);
  expect(await h.blockedBy('dup_grace')).toEqual([]);
  expect(await h.blockedBy('dup_amnesty')).toEqual([]);
  const entries = await h.ledger.entries(0, 100);
  const block = entries.find((e) => e.source === 'rule:dup')!;
  expect(block).toMatchObject({ action: 'block', reasons: ['duplicate'], reference: `run:${first.runId}` });
  const [run] = await query<{
    status: string;
    details: { conditions: Record<string, { refused: string | null }> };
  }>(h.ledger.db, sql`select status, details from analytics_run where run_id = ${first.runId}`);
  expect(run!.status).toBe('error');
  expect(run!.details.conditions.everyone!.refused).toMatch(/Refusing/);
  expect(run!.details.conditions.dup!.refused).toBeNull();
  const matches = await openMatches(h.ledger.db, 'dup');
  expect(matches.find((m) => m.imeiNorm === CLONE_A)!.evidence).toMatch(/^duplicate_threshold: .*5/);

  // 2. The same day again changes nothing.
  const ledgerSize = await h.ledger.size();
  const again = await h.run({});
  expect(again.conditions.every((c) => c.new + c.ended + c.changed + c.blocked + c.unblocked === 0)).toBe(
    true,
  );
  expect(await h.state()).toEqual(state);
  expect(await h.ledger.size()).toBe(ledgerSize);

  // 3. 20 February: the clones left the 30-day window. dup closes and unblocks; dup_sticky stays;
  //    the amnesty evaluation period is over, so granted rows block on the amnesty end date.
  const third = await h.run({
    currDate: '2026-02-20',
    conditions: ['dup', 'dup_sticky', 'dup_grace', 'dup_amnesty'],
  });
  trace.push(strip(third), await h.state(), await h.ledgerLines());
  expect(third.status).toBe('success');
  expect(outcome(third, 'dup')).toMatchObject({ matched: 0, ended: 3, unblocked: 2 });
  state = await h.state();
  expect(open(state, 'dup')).toEqual([]);
  expect(state).toContain(`dup ${CLONE_B} 2026-01-31 2026-02-20 2026-01-31 false`);
  expect(await h.blockedBy('dup')).toEqual([]);
  expect(open(state, 'dup_sticky').sort()).toEqual([CLONE_A, CLONE_B, HEX]);
  expect(await h.blockedBy('dup_sticky')).toEqual([CLONE_A, CLONE_B]);
  expect(state).toContain(`dup_amnesty ${CLONE_A} 2026-01-31 - 2026-04-30 true`);
  expect(await h.blockedBy('dup_grace')).toEqual([]);
  const unblock = (await h.ledger.entries(0, 100)).find(
    (e) => e.source === 'rule:dup' && e.action === 'unblock',
  );
  expect(unblock).toMatchObject({ reference: `run:${third.runId}` });

  // 4. 2 March: the grace period is over.
  const fourth = await h.run({ currDate: '2026-03-02', conditions: ['dup_grace', 'dup_amnesty'] });
  trace.push(strip(fourth), await h.state(), await h.ledgerLines());
  expect(outcome(fourth, 'dup_grace')).toMatchObject({ matched: 3, new: 0, blocked: 2, skipped: 1 });
  expect(await h.blockedBy('dup_grace')).toEqual([CLONE_A, CLONE_B]);
  expect(await h.blockedBy('dup_amnesty')).toEqual([]);

  // 5. 1 May: the amnesty is over.
  const fifth = await h.run({ currDate: '2026-05-01', conditions: ['dup_amnesty'] });
  trace.push(strip(fifth), await h.state(), await h.ledgerLines());
  expect(await h.blockedBy('dup_amnesty')).toEqual([CLONE_A, CLONE_B]);

  // 6. Without the safety check, the inverted malformed_imei condition matches every device key.
  const sixth = await h.run({ conditions: ['everyone'], safetyCheck: false });
  trace.push(strip(sixth), await h.state(), await h.ledgerLines());
  expect(sixth.status).toBe('success');
  expect(outcome(sixth, 'everyone')).toMatchObject({ matched: 12, new: 12, blocked: 12, refused: null });
  const stolen = (await h.ledger.entries(0, 1000)).filter((e) => e.source === 'rule:everyone');
  expect(new Set(stolen.flatMap((e) => e.reasons))).toEqual(new Set(['stolen']));
  return trace;
}

describe('classify on DuckDB and PostgreSQL', () => {
  const stores: TestStore[] = [];
  const engines: AnalyticsEngine[] = [];
  const traces = new Map<string, unknown[]>();
  afterAll(async () => {
    for (const engine of engines) await engine.close();
    for (const store of stores) await store.dispose();
  });

  const combos = [
    ['duckdb', 'pglite'],
    ['postgres', 'pglite'],
    ['postgres', 'postgres'],
  ] as const;
  for (const [engineKind, registryKind] of combos) {
    it(`${engineKind} engine, ${registryKind} registry: grace, sticky, amnesty, safety check, invert`, async () => {
      const registry = await createTestStore(registryKind);
      stores.push(registry);
      const h = await harness(engineKind, registry);
      engines.push(h.engine);
      traces.set(`${engineKind}/${registryKind}`, await scenario(h));
    }, 120_000);
  }

  it('every engine gives the same trace', () => {
    const [first, ...rest] = [...traces.values()];
    expect(traces.size).toBe(combos.length);
    for (const trace of rest) expect(trace).toEqual(first);
  });
});
