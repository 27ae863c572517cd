/**
 * List generation on a real registry (PGlite) with each engine (DuckDB in memory, PostgresEngine on the
 * same test store): hand-built classification rows, pairings, golden and barred lists and triplets;
 * exact file names and bytes; grace → notification → blacklisted; routing by home network; exception
 * switches; check digits; deltas across runs; both engines write the same files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../../test/support/stores.ts';
import { type DeviceKey, fullImei } from '../../identifiers/index.ts';
import { query } from '../../store/index.ts';
import { analyticsConfigFrom } from '../config.ts';
import { DuckDbEngine } from '../engines/duckdb.ts';
import type { AnalyticsEngine, OperatorRow } from '../engines/engine.ts';
import { PostgresEngine } from '../engines/postgres.ts';
import { normaliseImei } from '../normalise.ts';
import { EMPTY_REFERENCE, type ReferenceLists } from '../reference.ts';
import { ImsiSealer } from '../subscriber-seal.ts';
import { listFiles } from './files.ts';
import { listgen } from './listgen.ts';
import { computeLists, md5 } from './lists.ts';

const A = '35000000000001'; // duplicate + stolen, due: blacklisted
const G = '35000000000002'; // due but golden
const N = '35000000000003'; // in grace until 2026-04-01: notified
const X = '35000000000004'; // only a condition no longer configured
const B = '35000000000005'; // barred, paired
const T = '35999999000006'; // barred TAC, paired
const H = 'ABCDEF12345678'; // not 14 digits, due

const HOME_ALPHA = '639020000000001';
const HOME_BETA = '639070000000002';
const ROAMER = '208100000000003';

function analyticsConfig(listgen: Record<string, unknown> = {}, amnesty = false) {
  const condition = (label: string, reason: string, blocking = true) => ({
    label,
    reason,
    blocking,
    dimensions: [{ module: 'stolen_list' }],
  });
  return analyticsConfigFrom({
    region: {
      name: 'Test',
      operators: [
        { id: 'alpha', name: 'Alpha', mcc_mnc_pairs: [{ mcc: '639', mnc: '02' }] },
        { id: 'beta', name: 'Beta', mcc_mnc_pairs: [{ mcc: '639', mnc: '07' }] },
      ],
    },
    conditions: [
      condition('duplicate', 'Duplicate IMEI detected'),
      condition('stolen', 'Stolen, reported'),
      condition('informative', 'Just looking', false),
    ],
    amnesty: amnesty
      ? {
          amnesty_enabled: true,
          evaluation_period_end_date: '2026-01-01',
          amnesty_period_end_date: '2026-06-01',
        }
      : {},
    listgen,
  });
}

const REFERENCE: ReferenceLists = {
  ...EMPTY_REFERENCE,
  golden: [md5(G)],
  barred: [B],
  barredTac: ['35999999'],
  pairing: [
    { imeiNorm: N, imsi: HOME_BETA, msisdn: '254700000003' },
    // A roamer's pairing goes to every operator without its MSISDN.
    { imeiNorm: A, imsi: ROAMER, msisdn: '254700000004' },
    { imeiNorm: B, imsi: HOME_ALPHA, msisdn: '254700000009' },
    { imeiNorm: T, imsi: HOME_ALPHA, msisdn: '254700000010' },
    { imeiNorm: X, imsi: HOME_BETA, msisdn: '254700000011' },
  ],
};

const row = (date: string, imei: string, imsi: string | null, msisdn: string | null): OperatorRow => ({
  date,
  imei,
  imeiNorm: normaliseImei(imei),
  imsi,
  msisdn,
  ratMask: null,
});

interface World {
  readonly test: TestStore;
  readonly engine: AnalyticsEngine;
  readonly out: string;
}

const worlds: World[] = [];
afterAll(async () => {
  for (const w of worlds) {
    await w.engine.close();
    await w.test.dispose();
    rmSync(w.out, { recursive: true, force: true });
  }
});

async function world(kind: 'duckdb' | 'postgres', imsiSealer: ImsiSealer | null = null): Promise<World> {
  const test = await createTestStore('pglite');
  const engine =
    kind === 'duckdb'
      ? await DuckDbEngine.open(null, { imsiSealer })
      : new PostgresEngine(test.store, { imsiSealer });
  const out = mkdtempSync(path.join(os.tmpdir(), 'listgen-'));
  worlds.push({ test, engine, out });
  const state: [string, string, string | null][] = [
    [A, 'duplicate', '2026-03-01'],
    [A, 'stolen', '2026-02-20'],
    [A, 'informative', null],
    [G, 'duplicate', '2026-03-01'],
    [N, 'duplicate', '2026-04-01'],
    [X, 'no_longer_configured', '2026-01-01'],
    [H, 'duplicate', '2026-03-01'],
  ];
  for (const [imei, cond, blockDate] of state)
    await query(
      test.store.db,
      sql`insert into classification_state (run_id, imei_norm, cond_name, start_date, block_date)
          values (1, ${imei}, ${cond}, '2026-01-01', ${blockDate})`,
    );
  // A closed row never counts.
  await query(
    test.store.db,
    sql`insert into classification_state (run_id, imei_norm, cond_name, start_date, end_date, block_date)
        values (1, ${B}, 'duplicate', '2026-01-01', '2026-02-01', '2026-01-02')`,
  );
  const meta = (operator: string, id: string) => ({
    importId: id.repeat(64),
    operator,
    fileName: `${operator}.csv`,
    startDate: '2025-01-01',
    endDate: '2026-03-31',
  });
  await engine.importOperatorRows(meta('alpha', 'a'), [
    row('2026-02-10', N, ROAMER, '254700000002'), // no home: alpha and beta saw it
    row('2026-02-11', N, HOME_BETA, '254700000003'), // paired: dropped
    row('2026-02-12', N, HOME_ALPHA, null), // no MSISDN: dropped
    row('2025-01-15', N, HOME_ALPHA, '254700000004'), // before the lookback window
    row('2026-03-20', N, HOME_ALPHA, '254700000005'), // after the analysis end (run 1)
  ]);
  await engine.importOperatorRows(meta('beta', 'b'), [
    row('2026-02-14', N, HOME_ALPHA, '254700000001'), // home alpha, seen by beta only
    row('2026-02-15', N, ROAMER, '254700000002'),
  ]);
  return { test, engine, out };
}

const read = (directory: string) =>
  Object.fromEntries(
    readdirSync(directory).map((name) => [name, readFileSync(path.join(directory, name), 'utf8')]),
  );

const NOW = new Date('2026-03-05T10:11:12Z');

describe.each(['duckdb', 'postgres'] as const)('listgen [%s]', (kind) => {
  it('writes DIRBS files: golden out, grace notified and routed, exceptions, then the grace ends', async () => {
    const w = await world(kind);
    const config = analyticsConfig();
    const first = await listgen({
      store: w.test.store,
      engine: w.engine,
      config,
      outputDir: w.out,
      currDate: '2026-03-05',
      reference: REFERENCE,
      now: NOW,
    });
    expect(first.baseRunId).toBe(-1);
    expect(path.basename(first.directory)).toBe(`listgen__20260305_101112__classid_${first.runId}`);
    const files = read(first.directory);
    const d = `delta_-1_${first.runId}`;
    expect(Object.keys(files).sort()).toEqual(
      [
        '20260305_blacklist.csv',
        ...['blocked', 'unblocked', 'changed'].map((c) => `20260305_blacklist_${d}_${c}.csv`),
        ...['alpha', 'beta'].flatMap((op) => [
          `20260305_notifications_${op}.csv`,
          ...['new', 'resolved', 'blacklisted', 'no_longer_seen', 'changed'].map(
            (c) => `20260305_notifications_${op}_${d}_${c}.csv`,
          ),
          `20260305_exceptions_${op}.csv`,
          `20260305_exceptions_${op}_${d}_added.csv`,
          `20260305_exceptions_${op}_${d}_removed.csv`,
        ]),
      ].sort(),
    );
    const blacklist = `imei,block_date,reasons\r\n${A},20260220,"Duplicate IMEI detected|Stolen, reported"\r\n${H},20260301,Duplicate IMEI detected\r\n`;
    expect(files['20260305_blacklist.csv']).toBe(blacklist);
    expect(files[`20260305_blacklist_${d}_blocked.csv`]).toBe(blacklist);
    expect(files[`20260305_blacklist_${d}_unblocked.csv`]).toBe('imei,block_date,reasons\r\n');
    const header = 'imei,imsi,msisdn,block_date,reasons\r\n';
    expect(files['20260305_notifications_alpha.csv']).toBe(
      `${header}${N},${ROAMER},254700000002,20260401,Duplicate IMEI detected\r\n${N},${HOME_ALPHA},254700000001,20260401,Duplicate IMEI detected\r\n`,
    );
    expect(files['20260305_notifications_beta.csv']).toBe(
      `${header}${N},${ROAMER},254700000002,20260401,Duplicate IMEI detected\r\n`,
    );
    expect(files[`20260305_notifications_beta_${d}_new.csv`]).toBe(files['20260305_notifications_beta.csv']);
    // Barred IMEI and barred TAC excluded; the roamer pairing goes to every operator.
    expect(files['20260305_exceptions_alpha.csv']).toBe(`imei,imsi,msisdn\r\n${A},${ROAMER},\r\n`);
    expect(files['20260305_exceptions_beta.csv']).toBe(
      `imei,imsi,msisdn\r\n${A},${ROAMER},\r\n${N},${HOME_BETA},254700000003\r\n${X},${HOME_BETA},254700000011\r\n`,
    );

    // A month later: N's grace has ended.
    const second = await listgen({
      store: w.test.store,
      engine: w.engine,
      config,
      outputDir: w.out,
      currDate: '2026-04-02',
      reference: REFERENCE,
      now: new Date('2026-04-02T00:00:00Z'),
    });
    expect(second.baseRunId).toBe(first.runId);
    const later = read(second.directory);
    const d2 = `delta_${first.runId}_${second.runId}`;
    expect(later[`20260402_blacklist_${d2}_blocked.csv`]).toBe(
      `imei,block_date,reasons\r\n${N},20260401,Duplicate IMEI detected\r\n`,
    );
    expect(later[`20260402_blacklist_${d2}_unblocked.csv`]).toBe('imei,block_date,reasons\r\n');
    expect(later['20260402_notifications_alpha.csv']).toBe(header);
    // The window now also holds the 2026-03-20 sighting, but N is blacklisted: all its triplets go.
    expect(later[`20260402_notifications_alpha_${d2}_blacklisted.csv`]).toBe(
      `${header}${N},${ROAMER},254700000002,20260401,Duplicate IMEI detected\r\n${N},${HOME_ALPHA},254700000001,20260401,Duplicate IMEI detected\r\n`,
    );
    expect(later[`20260402_notifications_alpha_${d2}_new.csv`]).toBe(header);

    // Stored deltas: run records and rows in force.
    const runs = await query<{ command: string; status: string }>(
      w.test.store.db,
      sql`select command, status from analytics_run order by run_id`,
    );
    expect(runs).toEqual([
      { command: 'listgen', status: 'success' },
      { command: 'listgen', status: 'success' },
    ]);
    const blacklisted = await query<{ imei_norm: string; delta_reason: string }>(
      w.test.store.db,
      sql`select imei_norm, delta_reason from list_blacklist where end_run_id is null order by imei_norm`,
    );
    expect(blacklisted).toEqual([
      { imei_norm: A, delta_reason: 'blocked' },
      { imei_norm: N, delta_reason: 'blocked' },
      { imei_norm: H, delta_reason: 'blocked' },
    ]);

    // --base the first run again: the files diff against it; nothing changed since the second run.
    const third = await listgen({
      store: w.test.store,
      engine: w.engine,
      config,
      outputDir: w.out,
      currDate: '2026-04-02',
      baseRunId: first.runId,
      reference: REFERENCE,
      fullLists: false,
      now: new Date('2026-04-02T00:00:01Z'),
    });
    const again = read(third.directory);
    expect(Object.keys(again).some((name) => !name.includes('_delta_'))).toBe(false);
    expect(again[`20260402_blacklist_delta_${first.runId}_${third.runId}_blocked.csv`]).toBe(
      later[`20260402_blacklist_${d2}_blocked.csv`],
    );
    const open = await query<{ n: number }>(
      w.test.store.db,
      sql`select count(*)::int as n from list_blacklist where start_run_id = ${third.runId}`,
    );
    expect(open[0]!.n).toBe(0);
  });

  it('applies the exception switches, check digits and output_invalid_imeis', async () => {
    const w = await world(kind);
    const result = await listgen({
      store: w.test.store,
      engine: w.engine,
      config: analyticsConfig({
        generate_check_digit: true,
        output_invalid_imeis: false,
        restrict_exceptions_list_to_blacklisted_imeis: true,
        include_barred_imeis_in_exceptions_list: true,
      }),
      outputDir: w.out,
      currDate: '2026-03-05',
      reference: {
        ...REFERENCE,
        pairing: [...REFERENCE.pairing, { imeiNorm: H, imsi: HOME_ALPHA, msisdn: null }],
      },
      now: NOW,
    });
    const files = read(result.directory);
    const a = fullImei(A as DeviceKey);
    expect(a).toHaveLength(15);
    expect(files['20260305_blacklist.csv']).toBe(
      `imei,block_date,reasons\r\n${a},20260220,"Duplicate IMEI detected|Stolen, reported"\r\n`,
    );
    // Only pairings of blacklisted IMEIs; H is blacklisted but not 14 digits, so not written.
    expect(files['20260305_exceptions_alpha.csv']).toBe(`imei,imsi,msisdn\r\n${a},${ROAMER},\r\n`);

    const barred = await listgen({
      store: w.test.store,
      engine: w.engine,
      config: analyticsConfig({ include_barred_imeis_in_exceptions_list: true }),
      outputDir: w.out,
      currDate: '2026-03-05',
      reference: REFERENCE,
      now: new Date('2026-03-05T10:11:13Z'),
    });
    const d = `delta_${result.runId}_${barred.runId}`;
    const next = read(barred.directory);
    expect(next['20260305_exceptions_alpha.csv']).toBe(
      `imei,imsi,msisdn\r\n${A},${ROAMER},\r\n${B},${HOME_ALPHA},254700000009\r\n${T},${HOME_ALPHA},254700000010\r\n`,
    );
    // Stored rows are keyed by imei_norm: A was already listed, so only B and T are added.
    expect(next[`20260305_exceptions_alpha_${d}_added.csv`]).toBe(
      `imei,imsi,msisdn\r\n${B},${HOME_ALPHA},254700000009\r\n${T},${HOME_ALPHA},254700000010\r\n`,
    );
    expect(next[`20260305_exceptions_alpha_${d}_removed.csv`]).toBe(
      `imei,imsi,msisdn\r\n${H},${HOME_ALPHA},\r\n`,
    );
  });
});

describe('listgen on both engines', () => {
  it('writes the same files, with IMSIs and MSISDNs sealed at rest or not', async () => {
    const sealer = ImsiSealer.fromPrivacyKey(Buffer.alloc(32, 12));
    const outputs = [];
    for (const [kind, imsiSealer] of [
      ['duckdb', null],
      ['postgres', null],
      ['duckdb', sealer],
      ['postgres', sealer],
    ] as const) {
      const w = await world(kind, imsiSealer);
      const result = await listgen({
        store: w.test.store,
        engine: w.engine,
        config: analyticsConfig(),
        outputDir: w.out,
        currDate: '2026-03-05',
        reference: REFERENCE,
        now: NOW,
      });
      outputs.push(read(result.directory));
      // The lists kept in the registry hold what the engine stores: sealed MSISDNs, never the plain ones.
      const stored = await query<{ msisdn: string | null }>(
        w.test.store.db,
        sql`select msisdn from list_notification union all select msisdn from list_exception`,
      );
      const msisdns = stored.map((r) => r.msisdn).filter((m) => m !== null);
      expect(msisdns.length).toBeGreaterThan(0);
      const plain = msisdns.filter((m) => m.startsWith('2547000000'));
      expect({ kind, sealed: imsiSealer !== null, plain: plain.length > 0 }).toEqual({
        kind,
        sealed: imsiSealer !== null,
        plain: imsiSealer === null,
      });
    }
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);
    expect(outputs[3]).toEqual(outputs[0]);
    expect(Object.keys(outputs[0]!)).toHaveLength(4 + 2 * 9);
    expect(Object.values(outputs[0]!).join('')).toContain(',254700000001,');
  });
});

describe('list rules', () => {
  const base = {
    listgenDate: '2026-03-05',
    operators: analyticsConfig().region.operators,
    golden: new Set<string>(),
    barred: new Set<string>(),
    barredTacs: new Set<string>(),
    windowStart: '2026-01-01',
    windowEnd: '2026-03-05',
    blocking: [{ imeiNorm: N, reason: 'Duplicate', blockDate: '2026-04-01', amnestyGranted: true }],
    triplets: [
      { imeiNorm: N, operator: 'beta', imsi: HOME_ALPHA, msisdn: '1', month: '2026-02-01', dateBitmask: 1 },
      // Seen on 2026-03-05 only: the window's end is excluded.
      {
        imeiNorm: N,
        operator: 'beta',
        imsi: HOME_BETA,
        msisdn: '2',
        month: '2026-03-01',
        dateBitmask: 1 << 4,
      },
    ],
    options: {
      notifyImsiChange: false,
      dirbsUnboundMsisdnQuirk: false,
      restrictExceptionsListToBlacklistedImeis: false,
      includeBarredImeisInExceptionsList: false,
    },
  };
  const otherImeiSameMsisdn = [{ imeiNorm: A, imsi: HOME_BETA, msisdn: '1' }];

  it('binds the MSISDN of a pairing to its IMEI unless the DIRBS quirk is asked for', () => {
    expect(
      computeLists({ ...base, pairings: otherImeiSameMsisdn }).notifications.map((n) => n.msisdn),
    ).toEqual(['1']);
    const quirk = { ...base.options, dirbsUnboundMsisdnQuirk: true };
    expect(computeLists({ ...base, pairings: otherImeiSameMsisdn, options: quirk }).notifications).toEqual(
      [],
    );
    const ownPairing = [{ imeiNorm: N, imsi: HOME_BETA, msisdn: '1' }];
    expect(computeLists({ ...base, pairings: ownPairing }).notifications).toEqual([]);
    const imsiOnly = { ...base.options, notifyImsiChange: true };
    expect(computeLists({ ...base, pairings: ownPairing, options: imsiOnly }).notifications).toHaveLength(1);
  });

  it('writes amnesty_granted only when amnesty is enabled', () => {
    const lists = computeLists({ ...base, pairings: [] });
    const files = (amnestyEnabled: boolean) =>
      listFiles(
        {
          listgenDate: '2026-03-05',
          runId: 7,
          baseRunId: -1,
          operators: ['alpha'],
          lists,
          blacklistDelta: [],
          notificationDelta: [],
          exceptionDelta: [],
        },
        { generateCheckDigit: false, outputInvalidImeis: true, amnestyEnabled, fullLists: true },
      ).get('20260305_notifications_alpha.csv');
    expect(files(true)).toBe(
      `imei,imsi,msisdn,block_date,reasons,amnesty_granted\r\n${N},${HOME_ALPHA},1,20260401,Duplicate,True\r\n`,
    );
    expect(files(false)).toBe(
      `imei,imsi,msisdn,block_date,reasons\r\n${N},${HOME_ALPHA},1,20260401,Duplicate\r\n`,
    );
  });
});
