/**
 * The differential test (issue [5 of 8]): every dimension runs on DuckDB, on PGlite and
 * on PostgreSQL over the same generated country, and must match exactly the IMEIs its reference
 * semantics (`evaluate`) matches, for each parameter set below and with DIRBS's and our switches.
 * DuckDB and PGlite run twice, once with IMSIs and MSISDNs sealed at rest (../subscriber-seal.ts): the
 * sealed engines must give the same rows, evidence included, as the clear ones. Each engine runs the
 * dimension as classify does (classify/query.ts `dimensionQuery`): on the sealed ones, a dimension that
 * needs MSISDNs opened (transient_imei) decides in code over its candidates' rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../../test/support/stores.ts';
import { conditionSql, dimensionQuery } from '../classify/query.ts';
import type { ConditionConfig, DimensionConfig } from '../config.ts';
import { DuckDbEngine } from '../engines/duckdb.ts';
import type { AnalyticsEngine } from '../engines/engine.ts';
import { PostgresEngine } from '../engines/postgres.ts';
import { ImsiSealer } from '../subscriber-seal.ts';
import { DIFFERENTIAL_CASES } from './differential-cases/index.ts';
import { type EvaluationContext, evaluationContext } from './dimension.ts';
import { type GeneratedCountry, generateCountry } from './generate.ts';
import { DIMENSIONS } from './index.ts';

/** Parameter sets per dimension (differential-cases/); a dimension with SQL and no entry runs with `{}`. */
const CASES = DIFFERENTIAL_CASES;

const CONTEXTS = (country: GeneratedCountry): EvaluationContext[] => [
  evaluationContext({ analysisEnd: country.analysisEnd, now: new Date(`${country.analysisEnd}T12:00:00Z`) }),
  evaluationContext({
    analysisEnd: country.analysisEnd,
    now: new Date(`${country.analysisEnd}T12:00:00Z`),
    windowEnd: 'half-open',
    exemptionJoin: 'keep-unknown',
    averageDivision: 'exact',
    monitoringClock: 'analysis-end',
  }),
];

describe('dimensions on DuckDB and PostgreSQL against their reference semantics', () => {
  const country = generateCountry({ seed: 11 });
  const engines: { name: string; engine: AnalyticsEngine }[] = [];
  const stores: TestStore[] = [];

  beforeAll(async () => {
    const imsiSealer = ImsiSealer.fromPrivacyKey(Buffer.alloc(32, 11));
    engines.push({ name: 'duckdb', engine: await DuckDbEngine.open(null) });
    engines.push({
      name: 'duckdb, IMSIs and MSISDNs sealed',
      engine: await DuckDbEngine.open(null, { imsiSealer }),
    });
    for (const kind of ['pglite', 'postgres'] as const) {
      const store = await createTestStore(kind);
      stores.push(store);
      engines.push({ name: kind, engine: new PostgresEngine(store.store) });
    }
    const sealedStore = await createTestStore('pglite');
    stores.push(sealedStore);
    engines.push({
      name: 'pglite, IMSIs and MSISDNs sealed',
      engine: new PostgresEngine(sealedStore.store, { imsiSealer }),
    });
    for (const { engine } of engines) {
      for (const [operator, rows] of country.files) {
        await engine.importOperatorRows(
          {
            importId: operator.padEnd(64, '0'),
            operator,
            fileName: `${operator}_20251201_20260315.csv`,
            startDate: '2025-12-01',
            endDate: country.analysisEnd,
          },
          rows,
        );
      }
      await engine.loadReference(country.reference);
    }
  }, 120_000);

  afterAll(async () => {
    for (const { engine } of engines) await engine.close();
    for (const store of stores) await store.dispose();
  });

  it('the generated country has something for every dimension to find', () => {
    expect(country.dataset.networkImeis.size).toBeGreaterThan(300);
    expect(country.dataset.sightings.length).toBeGreaterThan(30);
  });

  // Every dimension has SQL on both engines; one without would fail here, not be skipped.
  for (const dimension of DIMENSIONS.values()) {
    for (const raw of CASES[dimension.name] ?? [{}]) {
      it(`${dimension.name} ${JSON.stringify(raw)}: the engines match exactly what the reference matches`, async () => {
        const params = dimension.parameters.validate(raw);
        if (!params.ok) throw new Error(JSON.stringify(params.errors));
        for (const context of CONTEXTS(country)) {
          const expected = [...dimension.evaluate(country.dataset, params.value, context).keys()].sort();
          const clearRows = new Map<string, string[]>();
          for (const { name, engine } of engines) {
            const text = await dimensionQuery(engine, dimension, params.value, context, country.region);
            const rows = await engine.query(text);
            const lines = rows.map((r) => `${r.imei_norm} ${r.evidence}`).sort();
            const kind = name.split(',')[0]!;
            if (!name.includes('sealed')) clearRows.set(kind, lines);
            else expect({ engine: name, rows: lines }).toEqual({ engine: name, rows: clearRows.get(kind) });
            const got = rows.map((r) => String(r.imei_norm)).sort();
            expect({ engine: name, switches: context.windowEnd, imeis: got }).toEqual({
              engine: name,
              switches: context.windowEnd,
              imeis: expected,
            });
            expect(rows.every((r) => typeof r.evidence === 'string' && r.evidence.length > 0)).toBe(true);
          }
        }
      });
    }
  }

  it('conditions with transient_imei, plain, inverted and intersected, give the same rows sealed and clear', async () => {
    const condition = (dimensions: DimensionConfig[]): ConditionConfig => ({
      label: 'transient',
      dimensions,
      gracePeriodDays: 0,
      blocking: false,
      sticky: false,
      reason: 'transient',
      maxAllowedMatchingRatio: 1,
      amnestyEligible: false,
    });
    const context = CONTEXTS(country)[0]!;
    const transient = (period: number, invert = false): DimensionConfig => ({
      module: 'transient_imei',
      parameters: { period, num_msisdns: 1 },
      invert,
    });
    for (const dimensions of [[transient(2)], [transient(1, true), transient(2)], [transient(10, true)]]) {
      const clearRows = new Map<string, string[]>();
      for (const { name, engine } of engines) {
        const text = await conditionSql(engine, condition(dimensions), context, country.region);
        const lines = (await engine.query(text)).map((r) => `${r.imei_norm} ${r.evidence}`).sort();
        const kind = name.split(',')[0]!;
        expect(lines.length).toBeGreaterThan(0);
        if (!name.includes('sealed')) clearRows.set(kind, lines);
        else expect({ engine: name, rows: lines }).toEqual({ engine: name, rows: clearRows.get(kind) });
      }
    }
  });
});
