/**
 * Operator data storage on DuckDB and on PostgreSQL / PGlite, compared on generated data: both
 * engines hold the same triplets, network IMEIs, bad check digits and timed sightings; a file imported
 * twice changes nothing; an import that dies half way leaves no trace and the retry equals one clean
 * import; the order of files does not matter.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../../test/support/stores.ts';
import { type DeviceKey, fullImei } from '../../identifiers/index.ts';
import { normaliseImei } from '../normalise.ts';
import { DuckDbEngine } from './duckdb.ts';
import { type AnalyticsEngine, type ImportMeta, lastDaysWithData, type OperatorRow } from './engine.ts';
import { PostgresEngine } from './postgres.ts';

function generator(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** A month of one operator's data: IMEIs in every form, null fields, clones, timed rows. */
function operatorFile(seed: number, month: string, days: number, count: number): OperatorRow[] {
  const random = generator(seed);
  const rows: OperatorRow[] = [];
  for (let i = 0; i < count; i++) {
    const key = `35${String(Math.floor(random() * 1e6)).padStart(6, '0')}${String(Math.floor(random() * 300)).padStart(6, '0')}`;
    const form = random();
    const imei =
      form < 0.02
        ? null
        : form < 0.05
          ? `${key.slice(0, 13)}A`
          : form < 0.08
            ? `${key}${(Number(fullImei(key as DeviceKey)[14]) + 1) % 10 || 1}`
            : form < 0.5
              ? fullImei(key as DeviceKey)
              : form < 0.7
                ? `${key}07`
                : key;
    const day = `${month}-${String(1 + Math.floor(random() * days)).padStart(2, '0')}`;
    const timed = random() < 0.1;
    rows.push({
      date: day,
      imei,
      imeiNorm: normaliseImei(imei),
      imsi: random() < 0.03 ? null : `00101${String(Math.floor(random() * 500)).padStart(10, '0')}`,
      msisdn: random() < 0.05 ? null : `2547${String(Math.floor(random() * 500)).padStart(8, '0')}`,
      ratMask: random() < 0.1 ? null : 1 << Math.floor(random() * 12),
      time: timed ? `${day}T${String(Math.floor(random() * 24)).padStart(2, '0')}:15:00` : null,
      cell: timed ? `cell-${Math.floor(random() * 50)}` : null,
      lat: timed ? Math.round(random() * 10_000) / 1000 : null,
      lon: timed ? Math.round(random() * 10_000) / 1000 : null,
    });
  }
  return rows;
}

const FILES: { meta: ImportMeta; rows: OperatorRow[] }[] = [
  {
    meta: {
      importId: 'a'.repeat(64),
      operator: 'alpha',
      fileName: 'alpha_20260101_20260131.zip',
      startDate: '2026-01-01',
      endDate: '2026-01-31',
    },
    rows: operatorFile(1, '2026-01', 31, 6000),
  },
  {
    meta: {
      importId: 'b'.repeat(64),
      operator: 'beta',
      fileName: 'beta_20260101_20260131.zip',
      startDate: '2026-01-01',
      endDate: '2026-01-31',
    },
    rows: operatorFile(2, '2026-01', 31, 4000),
  },
  {
    meta: {
      importId: 'c'.repeat(64),
      operator: 'alpha',
      fileName: 'alpha_20260201_20260228.zip',
      startDate: '2026-02-01',
      endDate: '2026-02-28',
    },
    rows: operatorFile(3, '2026-02', 28, 5000),
  },
];

/**
 * The historic averages as dirbs-compat.md §2.2 step 9 defines them, computed here from the stored
 * triplets apart from the engines' SQL: the operator's daily distinct IMEIs, IMSIs and MSISDNs,
 * averaged over its last 30 days with data before `before`.
 */
function expectedAverages(triplets: readonly string[], operator: string, before: string) {
  const perDay = new Map<string, { imei: Set<string>; imsi: Set<string>; msisdn: Set<string> }>();
  for (const line of triplets) {
    const [imei, op, month, imsi, msisdn, , , mask] = line.split(',') as string[];
    if (op !== operator) continue;
    for (let d = 1; d <= 31; d++) {
      if ((Number(mask) & (1 << (d - 1))) === 0) continue;
      const day = `${month!.slice(0, 8)}${String(d).padStart(2, '0')}`;
      if (day >= before) continue;
      const sets = perDay.get(day) ?? { imei: new Set(), imsi: new Set(), msisdn: new Set() };
      sets.imei.add(imei!);
      if (imsi) sets.imsi.add(imsi);
      if (msisdn) sets.msisdn.add(msisdn);
      perDay.set(day, sets);
    }
  }
  const days = [...perDay.keys()].sort().reverse().slice(0, 30);
  if (days.length === 0) return null;
  const average = (pick: 'imei' | 'imsi' | 'msisdn') =>
    days.reduce((sum, day) => sum + perDay.get(day)![pick].size, 0) / days.length;
  return { imei: average('imei'), imsi: average('imsi'), msisdn: average('msisdn') };
}

/** Rows that fail after `after` of them, as a file cut short by a crash would. */
async function* dying(rows: readonly OperatorRow[], after: number): AsyncIterable<OperatorRow> {
  for (const [i, row] of rows.entries()) {
    if (i === after) throw new Error('the import died half way');
    yield row;
  }
}

describe('analytics storage on DuckDB and PostgreSQL', () => {
  const dirs: string[] = [];
  const stores: TestStore[] = [];
  const engines: AnalyticsEngine[] = [];
  const open = async (kind: 'duckdb' | 'pglite' | 'postgres'): Promise<AnalyticsEngine> => {
    let engine: AnalyticsEngine;
    if (kind === 'duckdb') {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-duckdb-'));
      dirs.push(dir);
      engine = await DuckDbEngine.open(dir, { memoryLimit: '512MB', threads: 2 });
    } else {
      const store = await createTestStore(kind);
      stores.push(store);
      engine = new PostgresEngine(store.store);
    }
    engines.push(engine);
    return engine;
  };
  let reference: Awaited<ReturnType<AnalyticsEngine['snapshot']>>;

  beforeAll(async () => {
    const duck = await open('duckdb');
    for (const file of FILES)
      expect((await duck.importOperatorRows(file.meta, file.rows)).outcome).toBe('imported');
    reference = await duck.snapshot();
  }, 60_000);

  afterAll(async () => {
    for (const engine of engines) await engine.close();
    for (const store of stores) await store.dispose();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('stores what the files hold, as DIRBS aggregates it', async () => {
    expect(reference.triplets.length).toBeGreaterThan(10_000);
    expect(reference.imeis.length).toBeGreaterThan(5_000);
    expect(reference.badCheckDigits.length).toBeGreaterThan(100);
    expect(reference.timedSightings.length).toBeGreaterThan(1_000);
    // Hex IMEIs are kept upper-cased; 16-digit IMEISVs and 15-digit IMEIs fold into one 14-digit key.
    expect(reference.imeis.some((line) => /^35\d{11}A,/.test(line))).toBe(true);
    expect(reference.imeis.every((line) => !/^\d{15,16},/.test(line))).toBe(true);
    const duck = engines[0]!;
    const records = await duck.imports();
    expect(records.map((r) => [r.operator, r.rows])).toEqual([
      ['alpha', 6000],
      ['beta', 4000],
      ['alpha', 5000],
    ]);
    expect(records[0]!.nullImeiRows).toBeGreaterThan(50);
  });

  it.each(['pglite', 'postgres'] as const)(
    '%s holds exactly what DuckDB holds, whatever the order of the files',
    async (kind) => {
      const engine = await open(kind);
      for (const file of [...FILES].reverse()) await engine.importOperatorRows(file.meta, file.rows);
      expect(await engine.snapshot()).toEqual(reference);
    },
    120_000,
  );

  it.each(['duckdb', 'pglite'] as const)(
    '%s: a file imported twice changes nothing; an import dying half way leaves no trace',
    async (kind) => {
      const engine = await open(kind);
      await expect(engine.importOperatorRows(FILES[0]!.meta, dying(FILES[0]!.rows, 3000))).rejects.toThrow(
        /half way/,
      );
      expect(await engine.imports()).toEqual([]);
      expect((await engine.snapshot()).triplets).toEqual([]);
      for (const file of FILES) await engine.importOperatorRows(file.meta, file.rows);
      const again = await engine.importOperatorRows(FILES[1]!.meta, FILES[1]!.rows);
      expect(again.outcome).toBe('already-imported');
      expect(await engine.snapshot()).toEqual(reference);
    },
    120_000,
  );

  it('DuckDB keeps each file as a Parquet partition, with no temporary file left', () => {
    const folder = path.join(dirs[0]!, 'triplets', 'operator=alpha');
    expect(readdirSync(folder).sort()).toEqual([`${'a'.repeat(64)}.parquet`, `${'c'.repeat(64)}.parquet`]);
    expect(existsSync(path.join(dirs[0]!, 'analytics.duckdb'))).toBe(true);
  });

  it('historic averages: the last 30 days with data before a date, across months and gaps, on every engine', async () => {
    // alpha has January and February, beta January only: before 2026-03-15, beta's last 30 days
    // with data lie a whole month back; before 2026-02-20, alpha's span two months.
    const cases = [
      ['alpha', '2026-02-20'],
      ['alpha', '2026-01-10'],
      ['alpha', '2026-03-15'],
      ['beta', '2026-03-15'],
      ['beta', '2026-01-01'],
      ['gamma', '2026-03-15'],
    ] as const;
    expect(expectedAverages(reference.triplets, 'beta', '2026-03-15')).not.toBeNull();
    expect(engines.length).toBeGreaterThanOrEqual(3);
    for (const engine of engines) {
      for (const [operator, before] of cases) {
        const expected = expectedAverages(reference.triplets, operator, before);
        const got = await engine.historicAverages(operator, before);
        if (expected === null) expect(got, `${engine.kind} ${operator} ${before}`).toBeNull();
        else {
          expect(got, `${engine.kind} ${operator} ${before}`).not.toBeNull();
          for (const key of ['imei', 'imsi', 'msisdn'] as const)
            expect(got![key], `${engine.kind} ${operator} ${before} ${key}`).toBeCloseTo(expected[key], 6);
        }
      }
    }
  });

  it('finds the last days with data from month bitmasks, newest first, none on or after the date', () => {
    const months = [
      { month: '2026-01-01', days: (1 << 0) | (1 << 30) },
      { month: '2026-02-01', days: (1 << 0) | (1 << 27) | (1 << 29) },
    ];
    expect(lastDaysWithData(months, '2026-02-28', 30)).toEqual(['2026-02-01', '2026-01-31', '2026-01-01']);
    expect(lastDaysWithData(months, '2026-03-01', 2)).toEqual(['2026-02-28', '2026-02-01']);
    expect(lastDaysWithData(months, '2026-01-01', 30)).toEqual([]);
  });
});
