/**
 * IMSIs and MSISDNs sealed at rest in the analytics stores (src/analytics/subscriber-seal.ts), on a real
 * DuckDB data directory (database file, write-ahead log, Parquet partitions) and on PostgreSQL: a planted
 * IMSI or MSISDN is not in any file's bytes nor in any table, while the same import without a key shows
 * it (so the search can find what it looks for); a store in clear, sealed under another key, or sealed
 * before MSISDNs were, is refused.
 * The subscribers list imported into the registry database is sealed the same way.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../src/analytics/engines/duckdb.ts';
import type { AnalyticsEngine, OperatorRow } from '../../src/analytics/engines/engine.ts';
import { PostgresEngine } from '../../src/analytics/engines/postgres.ts';
import { AnalyticsSealingError } from '../../src/analytics/engines/sealing.ts';
import { normaliseImei } from '../../src/analytics/normalise.ts';
import { EMPTY_REFERENCE, readReferenceLists } from '../../src/analytics/reference.ts';
import { importSubscriberList, ListImportError } from '../../src/analytics/subscriber-lists.ts';
import { ImsiSealer } from '../../src/analytics/subscriber-seal.ts';
import { query } from '../../src/store/index.ts';
import { createTestStore } from '../support/stores.ts';

const PLANTED = '639027716493825';
const PAIRED = '639029983412076';
const IMEI = '35209900176148';
const PLANTED_MSISDN = '254798765432';
const PAIRED_MSISDN = '254711223344';
const msisdnOf = (i: number) => (i === 0 ? PLANTED_MSISDN : `2547${String(i).padStart(8, '0')}`);

function rows(): OperatorRow[] {
  const out: OperatorRow[] = [];
  for (let i = 0; i < 400; i++) {
    const imei = i === 0 ? IMEI : `3520990${String(i).padStart(7, '0')}`;
    out.push({
      date: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`,
      imei,
      imeiNorm: normaliseImei(imei),
      imsi: i === 0 ? PLANTED : `63902${String(100000 + i).padStart(10, '0')}`,
      msisdn: msisdnOf(i),
      ratMask: 1,
      time: i < 50 ? '10:15:00' : null,
      cell: i < 50 ? 'cell-1' : null,
      lat: i < 50 ? 1.5 : null,
      lon: i < 50 ? 36.8 : null,
    });
  }
  return out;
}

const META = {
  importId: 'a'.repeat(64),
  operator: 'alpha',
  fileName: 'alpha_20260301_20260328.csv',
  startDate: '2026-03-01',
  endDate: '2026-03-28',
};

async function fill(engine: AnalyticsEngine): Promise<void> {
  await engine.importOperatorRows(META, rows());
  await engine.loadReference({
    ...EMPTY_REFERENCE,
    subscribers: [{ uid: 'U1', imsi: PLANTED }],
    pairing: [{ imeiNorm: IMEI, imsi: PAIRED, msisdn: PAIRED_MSISDN }],
  });
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(directory, name))
    .filter((file) => statSync(file).isFile());
}

/** The planted IMSIs' and MSISDNs' digits (whole, or without MCC+MNC / country code) found in a file's bytes. */
function plantedIn(file: string): string[] {
  const bytes = readFileSync(file);
  return [
    PLANTED,
    PAIRED,
    PLANTED.slice(5),
    PAIRED.slice(5),
    PLANTED_MSISDN,
    PAIRED_MSISDN,
    PLANTED_MSISDN.slice(3),
    PAIRED_MSISDN.slice(3),
  ].filter((needle) => bytes.includes(needle));
}

/** Runs statements on a data directory's DuckDB file without a key; the rows' `value` column. */
async function onDuckDb(directory: string, statements: string[]): Promise<string[]> {
  const instance = await DuckDBInstance.create(path.join(directory, 'analytics.duckdb'));
  const connection = await instance.connect();
  try {
    const values: string[] = [];
    for (const text of statements)
      for (const r of (await connection.runAndReadAll(text)).getRowObjects()) values.push(String(r.value));
    return values;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Every IMSI column of every table and Parquet partition, read back by a DuckDB that has no key. */
const imsisStored = (directory: string) =>
  onDuckDb(directory, [
    'select imsi as value from monthly_triplet',
    'select imsi as value from timed_sighting',
    'select imsi as value from ref_subscribers',
    'select imsi as value from ref_pairing',
    `select imsi as value from read_parquet('${directory}/triplets/*/*.parquet') where imsi is not null`,
  ]);

/** Every MSISDN column likewise. */
const msisdnsStored = (directory: string) =>
  onDuckDb(directory, [
    'select msisdn as value from monthly_triplet',
    'select msisdn as value from ref_pairing',
    `select msisdn as value from read_parquet('${directory}/triplets/*/*.parquet') where msisdn is not null`,
  ]);

const temporary: string[] = [];
afterAll(() => {
  for (const directory of temporary) rmSync(directory, { recursive: true, force: true });
});
const dataDir = () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'openceir-imsi-'));
  temporary.push(directory);
  return directory;
};

describe('IMSIs and MSISDNs at rest on a DuckDB data directory', () => {
  const sealer = ImsiSealer.fromPrivacyKey(Buffer.alloc(32, 3));

  it('without a key the planted IMSIs are on disk (the search finds them)', async () => {
    const directory = dataDir();
    const engine = await DuckDbEngine.open(directory);
    await fill(engine);
    await engine.close();
    const stored = await imsisStored(directory);
    expect(stored).toContain(PLANTED);
    expect(stored).toContain(PAIRED);
    const msisdns = await msisdnsStored(directory);
    expect(msisdns).toContain(PLANTED_MSISDN);
    expect(msisdns).toContain(PAIRED_MSISDN);
    expect(filesUnder(directory).flatMap(plantedIn)).toEqual(
      expect.arrayContaining([PLANTED, PLANTED_MSISDN, PAIRED_MSISDN]),
    );
  });

  it('with the key no file holds them, every stored IMSI is sealed (network prefix kept), every MSISDN whole', async () => {
    const directory = dataDir();
    const engine = await DuckDbEngine.open(directory, { imsiSealer: sealer });
    await fill(engine);
    // The subscriber's triplet joins its sealed subscribers-list entry without opening anything.
    const joined = await engine.query(
      'select count(*) as n from monthly_triplet t join ref_subscribers s on s.imsi = t.imsi',
    );
    expect(joined[0]!.n).toBe('1');
    await engine.close();

    const files = filesUnder(directory);
    expect(files.some((f) => f.endsWith('.parquet'))).toBe(true);
    expect(files.flatMap((file) => plantedIn(file).map((needle) => `${file}: ${needle}`))).toEqual([]);
    const stored = await imsisStored(directory);
    expect(stored.length).toBeGreaterThan(400);
    expect(stored).not.toContain(PLANTED);
    expect(stored).not.toContain(PAIRED);
    expect(stored).toContain(sealer.seal(PLANTED));
    expect(stored).toContain(sealer.seal(PAIRED));
    expect(stored.every((imsi) => imsi.length === 15 && imsi.startsWith('63902'))).toBe(true);
    const msisdns = await msisdnsStored(directory);
    const plain = new Set([PAIRED_MSISDN, ...Array.from({ length: 400 }, (_, i) => msisdnOf(i))]);
    expect(msisdns.length).toBeGreaterThan(400);
    expect(msisdns.filter((m) => plain.has(m))).toEqual([]);
    expect(msisdns).toContain(sealer.msisdn.seal(PLANTED_MSISDN));
    expect(msisdns).toContain(sealer.msisdn.seal(PAIRED_MSISDN));
    expect(msisdns.every((m) => /^[0-9]{12}$/.test(m))).toBe(true);
    expect(sealer.msisdn.open(sealer.msisdn.seal(PLANTED_MSISDN))).toBe(PLANTED_MSISDN);
  });

  it('refuses a store sealed before MSISDNs were (IMSIs recorded, MSISDNs not)', async () => {
    const directory = dataDir();
    const engine = await DuckDbEngine.open(directory, { imsiSealer: sealer });
    await fill(engine);
    await engine.close();
    // What a store sealed by the release that sealed IMSIs only records.
    await onDuckDb(directory, [
      `delete from analytics_sealing where what = 'msisdn' returning what as value`,
    ]);
    const reopened = await DuckDbEngine.open(directory, { imsiSealer: sealer });
    await expect(reopened.importOperatorRows({ ...META, importId: 'd'.repeat(64) }, rows())).rejects.toThrow(
      /holds MSISDNs in clear.*import the operator files again/,
    );
    await reopened.close();
  });

  it('refuses a store in clear, one under another key, and a sealed one without a key', async () => {
    const clear = dataDir();
    const first = await DuckDbEngine.open(clear);
    await fill(first);
    await first.close();
    const sealedOpen = await DuckDbEngine.open(clear, { imsiSealer: sealer });
    await expect(
      sealedOpen.importOperatorRows({ ...META, importId: 'b'.repeat(64) }, rows()),
    ).rejects.toThrow(/holds IMSIs in clear.*import the operator files again/);
    await sealedOpen.close();

    const sealed = dataDir();
    const second = await DuckDbEngine.open(sealed, { imsiSealer: sealer });
    await fill(second);
    await second.close();
    const otherKey = await DuckDbEngine.open(sealed, {
      imsiSealer: ImsiSealer.fromPrivacyKey(Buffer.alloc(32, 4)),
    });
    await expect(otherKey.loadReference(EMPTY_REFERENCE)).rejects.toThrow(AnalyticsSealingError);
    await expect(otherKey.loadReference(EMPTY_REFERENCE)).rejects.toThrow(
      /move the analytics data aside and import the operator files again/,
    );
    await otherKey.close();
    const noKey = await DuckDbEngine.open(sealed);
    await expect(noKey.importOperatorRows({ ...META, importId: 'c'.repeat(64) }, rows())).rejects.toThrow(
      new RegExp(`sealed under privacy key ${sealer.keyId}`),
    );
    await noKey.close();
  });
});

describe('IMSIs and MSISDNs at rest on PostgreSQL', () => {
  it('no analytics table holds the planted IMSIs or MSISDNs; the sealed IMSIs join', async () => {
    const store = await createTestStore('postgres');
    try {
      const sealer = ImsiSealer.fromPrivacyKey(Buffer.alloc(32, 5));
      const engine = new PostgresEngine(store.store, { imsiSealer: sealer });
      await fill(engine);
      const stored = [
        ...(await engine.query('select imsi from monthly_triplet')),
        ...(await engine.query('select imsi from timed_sighting')),
        ...(await engine.query('select imsi from ref_subscribers')),
        ...(await engine.query('select imsi from ref_pairing')),
      ].map((r) => String(r.imsi));
      expect(stored.length).toBeGreaterThan(400);
      expect(stored).not.toContain(PLANTED);
      expect(stored).not.toContain(PAIRED);
      expect(stored).toContain(sealer.seal(PLANTED));
      const msisdns = [
        ...(await engine.query('select msisdn from monthly_triplet')),
        ...(await engine.query('select msisdn from ref_pairing')),
      ].map((r) => String(r.msisdn));
      expect(msisdns.length).toBeGreaterThan(400);
      expect(msisdns).not.toContain(PLANTED_MSISDN);
      expect(msisdns).not.toContain(PAIRED_MSISDN);
      expect(msisdns).toContain(sealer.msisdn.seal(PLANTED_MSISDN));
      expect(msisdns).toContain(sealer.msisdn.seal(PAIRED_MSISDN));
      const joined = await engine.query(
        'select count(*) as n from monthly_triplet t join ref_subscribers s on s.imsi = t.imsi',
      );
      expect(joined[0]!.n).toBe('1');
      expect(await engine.query('select what, key_id from analytics_sealing order by what')).toEqual([
        { what: 'imsi', key_id: sealer.keyId },
        { what: 'msisdn', key_id: sealer.keyId },
      ]);
    } finally {
      await store.dispose();
    }
  });
});

describe('the subscribers list in the registry database', () => {
  it('is stored sealed, read back opened, and a delta over a list in clear is refused', async () => {
    const store = await createTestStore('pglite');
    try {
      const db = store.store.db;
      const sealer = ImsiSealer.fromPrivacyKey(Buffer.alloc(32, 6));
      const folder = dataDir();
      const write = (name: string, text: string) => {
        writeFileSync(path.join(folder, name), text);
        return path.join(folder, name);
      };
      const full = write('full.csv', `uid,imsi\nU1,${PLANTED}\nU2,${PAIRED}\n`);
      const delta = write('delta.csv', `uid,imsi,change_type\nU3,639020000000003,add\n`);

      // In clear first (an installation from before sealing): a sealed delta on top is refused.
      await importSubscriberList(db, 'subscribers', full);
      await expect(
        importSubscriberList(db, 'subscribers', delta, { imsiSealer: sealer, mode: 'delta' }),
      ).rejects.toThrow(/holds IMSIs in clear.*import a full subscribers file once/);
      // A full file with the key replaces every row, sealed; samples are shown opened.
      const sealed = await importSubscriberList(
        db,
        'subscribers',
        write('full2.csv', `uid,imsi\nU1,${PLANTED}\nU2,${PAIRED}\n\n`),
        {
          imsiSealer: sealer,
          historicCheck: false,
        },
      );
      expect(sealed.outcome).toBe('imported');
      expect(sealed.samples.adds).toContain(`U1,${PLANTED}`);
      const imsis = (await query<{ imsi: string }>(db, sql`select imsi from analytics_subscriber`)).map(
        (r) => r.imsi,
      );
      expect(imsis).not.toContain(PLANTED);
      expect(imsis).toContain(sealer.seal(PLANTED));
      // Read back for the engines, opened (they seal it again as they store it).
      expect((await readReferenceLists(db, sealer)).subscribers).toEqual([
        { uid: 'U1', imsi: PLANTED },
        { uid: 'U2', imsi: PAIRED },
      ]);
      await expect(readReferenceLists(db)).rejects.toThrow(/sealed under privacy key/);
      await expect(importSubscriberList(db, 'subscribers', delta, { mode: 'delta' })).rejects.toThrow(
        ListImportError,
      );
      const added = await importSubscriberList(db, 'subscribers', delta, {
        imsiSealer: sealer,
        mode: 'delta',
      });
      expect(added.adds).toBe(1);
      // After a key rotation a delta is refused; a full file re-seals every row under the new key.
      const rotated = ImsiSealer.fromPrivacyKey(Buffer.alloc(32, 9));
      const delta2 = write('delta2.csv', 'uid,imsi,change_type\nU4,639020000000004,add\n');
      await expect(
        importSubscriberList(db, 'subscribers', delta2, { imsiSealer: rotated, mode: 'delta' }),
      ).rejects.toThrow(/import a full subscribers file/);
      const full3 = write('full3.csv', `uid,imsi\nU1,${PLANTED}\n`);
      const resealed = await importSubscriberList(db, 'subscribers', full3, {
        imsiSealer: rotated,
        historicCheck: false,
      });
      expect(resealed.outcome).toBe('imported');
      expect((await readReferenceLists(db, rotated)).subscribers).toEqual([{ uid: 'U1', imsi: PLANTED }]);
    } finally {
      await store.dispose();
    }
  });
});
