/**
 * Open data: the public statistics endpoint over real HTTP on a known history (history.ts), with the
 * suppression worked out by hand; its errors; the schema and page; and property tests that no
 * published figure is below the threshold and no withheld cell can be derived from a total, both for
 * the suppression rule alone and for the endpoint's figures over random ledger histories.
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_DATA_BY, type OpenDataStatistics, openDataStatistics } from '../../src/insight/open-data.ts';
import { suppressTable } from '../../src/insight/suppress.ts';
import { Ledger } from '../../src/ledger/ledger.ts';
import { HeadSigner } from '../../src/ledger/signing.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createTestStore, ENGINES, type TestStore } from '../support/stores.ts';
import { buildHistory, K } from './history.ts';

interface JsonSchema {
  $id: string;
  required: string[];
  properties: {
    measures: {
      items: {
        required: string[];
        properties: { name: { enum: string[] }; cells: { items: { required: string[] } } };
      };
    };
  };
}

const RUNS = Math.min(Number(process.env.OPENCEIR_FUZZ_RUNS ?? 300), 2000);

/** The invariants every published answer keeps. */
function checkPublished(stats: OpenDataStatistics): void {
  const k = stats.min_cell;
  for (const m of stats.measures) {
    for (const figure of [m.total, ...m.cells]) {
      if (figure.suppressed) expect(figure.value).toBeNull();
      else
        expect(figure.value === 0 || (figure.value ?? 0) >= k, `${m.name} ${figure.value} < ${k}`).toBe(true);
    }
    // With the total published, one withheld cell alone would be the total minus the others.
    if (!m.total.suppressed) expect(m.cells.filter((c) => c.suppressed).length).not.toBe(1);
  }
}

describe('suppression rule (property)', () => {
  it('never publishes a cell below k, and no withheld cell is the total minus the published ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 40 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 20 }),
        (values, k) => {
          const cells = values.map((value, i) => ({ key: `g${i}`, value }));
          const total = values.reduce((a, b) => a + b, 0);
          const table = suppressTable(cells, total, k);
          for (const c of [...table.cells, table.total]) {
            if (!c.suppressed) expect(c.value === 0 || (c.value ?? 0) >= k).toBe(true);
          }
          const withheld = table.cells.flatMap((c, i) => (c.suppressed ? [values[i]!] : []));
          if (!table.total.suppressed && withheld.length > 0) {
            expect(withheld.length).toBeGreaterThanOrEqual(2);
            // What the total reveals, the sum of the withheld cells, is itself not small.
            expect(withheld.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(k);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('worked examples', () => {
    const t = suppressTable(
      [
        { key: 'alpha', value: 2 },
        { key: 'beta', value: 3 },
      ],
      5,
      3,
    );
    expect(t.cells.map((c) => c.value)).toEqual([null, null]);
    expect(t.total).toEqual({ value: 5, suppressed: false });
    const lone = suppressTable([{ key: 'a', value: 2 }], 12, 3);
    expect(lone.total).toEqual({ value: null, suppressed: true });
    expect(() => suppressTable([], 0, 0)).toThrow(/min_cell must be an integer ≥ 1/);
  });
});

describe.each(ENGINES)('open statistics over HTTP [%s]', (engine) => {
  let testStore: TestStore;
  let app: TestApp;
  let strict: TestApp;
  beforeAll(async () => {
    testStore = await createTestStore(engine);
    await buildHistory(testStore.store);
    app = await createTestApp(engine, { store: testStore, env: { OPENCEIR_OPEN_DATA_MIN_CELL: '3' } });
    strict = await createTestApp(engine, { store: testStore });
  }, 180_000);
  afterAll(async () => {
    await app?.dispose();
    await strict?.dispose();
    await testStore?.dispose();
  });

  const get = async (target: TestApp, query: string) => {
    const response = await target.call(`/api/v1/open-data/statistics?${query}`, { auth: false });
    return {
      status: response.status,
      body: (await response.json()) as OpenDataStatistics & Record<string, unknown>,
    };
  };
  const measure = (stats: OpenDataStatistics, name: string) => {
    const m = stats.measures.find((x) => x.name === name)!;
    return { total: m.total.value, cells: Object.fromEntries(m.cells.map((c) => [c.group ?? '-', c.value])) };
  };

  it('by month and by operator, with small cells and their complements withheld (k = 3)', async () => {
    const { status, body } = await get(app, 'from=2026-03-01&to=2026-04-30&by=month');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      schema_version: '1.0.0',
      from: '2026-03-01',
      to: '2026-04-30',
      by: 'month',
      min_cell: 3,
    });
    expect(measure(body, 'reports_received')).toEqual({ total: 8, cells: { '2026-03': 5, '2026-04': 3 } });
    expect(measure(body, 'devices_blocked')).toEqual({ total: 9, cells: { '2026-03': 6, '2026-04': 3 } });
    // Recovered: March 1, April 2, total 3: both months withheld; the total (3) alone says nothing of either.
    expect(measure(body, 'devices_recovered')).toEqual({
      total: 3,
      cells: { '2026-03': null, '2026-04': null },
    });
    checkPublished(body);

    const byOperator = (await get(app, 'from=2026-03-01&to=2026-04-30&by=operator')).body;
    // alpha 2 and beta 1 withheld; unattributed 5 stays: 8 − 5 gives only alpha + beta = 3.
    expect(measure(byOperator, 'reports_received')).toEqual({
      total: 8,
      cells: { alpha: null, beta: null, '-': 5 },
    });
    // alpha 2 withheld, so beta 3 is withheld too: otherwise 5 − 3 would give alpha.
    expect(measure(byOperator, 'blocked_attempts')).toEqual({ total: 5, cells: { alpha: null, beta: null } });
    checkPublished(byOperator);
  });

  it('by region and reason; with the default k = 10 every figure of this small history is withheld', async () => {
    const byRegion = (await get(app, 'from=2026-03-01&to=2026-04-30&by=region')).body;
    expect(measure(byRegion, 'reports_received')).toEqual({ total: 8, cells: { capital: 4, north: 4 } });
    // Sightings have no region: those measures are left out of a breakdown they lack.
    expect(byRegion.measures.map((m) => m.name)).not.toContain('blocked_attempts');
    const byReason = (await get(app, 'from=2026-03-01&to=2026-04-30&by=reason')).body;
    expect(measure(byReason, 'devices_blocked')).toEqual({
      total: 9,
      cells: { duplicate: null, lost: null, stolen: 6 },
    });
    checkPublished(byRegion);
    checkPublished(byReason);
    const closed = (await get(strict, 'from=2026-03-01&to=2026-04-30&by=month')).body;
    expect(closed.min_cell).toBe(10);
    for (const m of closed.measures) {
      expect([m.total, ...m.cells].every((c) => c.suppressed && c.value === null)).toBe(true);
    }
  });

  it('bad queries answer 400 naming the parameter and the rule', async () => {
    const bad = async (query: string, param: string, reason: RegExp) => {
      const { status, body } = await get(app, query);
      expect(status).toBe(400);
      expect(body.invalidParams).toEqual([{ param, reason: expect.stringMatching(reason) }]);
    };
    await bad('to=2026-04-30', 'from', /YYYY-MM-DD/);
    await bad('from=2026-02-30&to=2026-04-30', 'from', /not a calendar date/);
    await bad('from=2026-05-01&to=2026-04-30', 'to', /not be before from/);
    await bad('from=2020-01-01&to=2026-04-30', 'to', /at most 731 days/);
    await bad('from=2026-03-01&to=2026-04-30&by=imei', 'by', /one of month, operator, region, reason/);
  });

  it('serves its JSON Schema, a page, and documents itself in OpenAPI', async () => {
    const schema = await app.call('/api/v1/open-data/statistics.schema.json', { auth: false });
    expect(schema.headers.get('content-type')).toMatch(/schema\+json/);
    const document = (await schema.json()) as JsonSchema;
    expect(document.$id).toMatch(/open-data-statistics\/1\.0\.0$/);
    // The answer has exactly the fields the schema lists, at every level, and only known measures.
    const { body } = await get(app, 'from=2026-03-01&to=2026-04-30&by=operator');
    expect(Object.keys(body).sort()).toEqual([...document.required].sort());
    const item = document.properties.measures.items;
    for (const m of body.measures) {
      expect(Object.keys(m).sort()).toEqual([...item.required].sort());
      expect(item.properties.name.enum).toContain(m.name);
      for (const c of m.cells)
        expect(Object.keys(c).sort()).toEqual([...item.properties.cells.items.required].sort());
    }
    const page = await app.call('/open-data?from=2026-03-01&to=2026-04-30&by=region&lang=ar', {
      auth: false,
    });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('dir="rtl"');
    expect(text).toContain('إحصاءات مفتوحة');
    expect(text).toMatch(/<th scope="row">capital<\/th><td>4<\/td>/);
    const wrong = await app.call('/open-data?from=2026-13-01', { auth: false });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('from: 2026-13-01 is not a calendar date');
    const openapi = (await (await app.call('/docs/json', { auth: false })).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths)).toContain('/api/v1/open-data/statistics');
  });
});

describe('open statistics over random histories (property, PGlite)', () => {
  let testStore: TestStore;
  beforeAll(async () => {
    testStore = await createTestStore('pglite');
  });
  afterAll(async () => {
    await testStore?.dispose();
  });

  it('no published figure is below k and no withheld cell stands alone beside its total', async () => {
    const runs = Math.max(5, Math.min(Math.floor(RUNS / 10), 40));
    const entry = fc.record({
      day: fc.integer({ min: 0, max: 60 }),
      device: fc.integer({ min: 1, max: 40 }),
      source: fc.constantFrom(
        'operator:alpha',
        'operator:beta',
        'operator:gamma',
        'police',
        'rule:dup',
        'peer:ke',
      ),
      action: fc.constantFrom('block', 'block', 'track', 'unblock'),
      reason: fc.constantFrom('stolen', 'lost', 'duplicate', 'counterfeit'),
    });
    const store = () => testStore.store;
    let now = new Date('2030-01-01T00:00:00Z');
    const ledger = new Ledger(store(), new HeadSigner(generateKeyPairSync('ed25519').privateKey), () => now);
    await ledger.init();
    // One database, one year per history (the ledger only grows): each run reads its own year.
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 2, max: 6 }),
        async (entries, k) => {
          const year = 2030 + run++;
          const sorted = [...entries].sort((a, b) => a.day - b.day);
          for (const e of sorted) {
            now = new Date(Date.UTC(year, 2, 1 + e.day, 12));
            await ledger.append([
              {
                actor: 'test',
                source: e.source,
                action: e.action,
                target: { kind: 'device', deviceKey: K(run * 100 + e.device) },
                reasons: [e.reason],
              },
            ]);
          }
          for (const by of OPEN_DATA_BY) {
            checkPublished(
              await openDataStatistics(store().db, { from: `${year}-03-01`, to: `${year}-04-30`, by }, k),
            );
          }
        },
      ),
      { numRuns: runs },
    );
  }, 300_000);
});
