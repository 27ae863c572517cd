/**
 * The HTTP API fuzzer at CI size (test/support/fuzz/http.ts): a registry app on PGlite serves its
 * OpenAPI document, and 1 000 requests with random and mutated path parameters, queries and JSON
 * bodies go to its operations over real HTTP with the admin key: no 5xx, every 4xx a problem+json,
 * every 2xx fitting its declared schema. The full run is
 * `npx tsx scripts/fuzz.ts --diameter 0 --pei 0 --http 1000000`; OPENCEIR_FUZZ_SEED picks another seed.
 */
import { describe, expect, it } from 'vitest';
import { httpFuzzer } from '../support/fuzz/http.ts';
import { schemaProblems } from '../support/fuzz/json-schema.ts';
import { fuzzParser } from '../support/fuzz/parser-run.ts';
import { FuzzReport } from '../support/fuzz/report.ts';

const SEED = Number(process.env.OPENCEIR_FUZZ_SEED ?? 20261129);
const CASES = 1_000;

describe('fuzzing the HTTP API against its OpenAPI document', () => {
  it('the schema checker refuses what its subset forbids', () => {
    const root = { components: { schemas: { n: { type: 'integer', minimum: 1 } } } };
    const schema = {
      type: 'object',
      required: ['a'],
      additionalProperties: false,
      properties: {
        a: { $ref: '#/components/schemas/n' },
        b: { anyOf: [{ type: 'string', maxLength: 2 }, { type: 'null' }] },
        c: { type: 'array', items: { enum: ['x'] } },
      },
    };
    expect(schemaProblems(schema, { a: 1, b: null, c: ['x'] }, root)).toEqual([]);
    expect(schemaProblems(schema, { b: 'abc', c: ['y'], d: 1 }, root)).toEqual([
      '$: lacks required a',
      '$.b: fits none of its anyOf (2)',
      '$.c[0]: "y" is not one of ["x"]',
      '$: has d, which it may not',
    ]);
    expect(schemaProblems(schema, { a: 0.5 }, root)).toEqual(['$.a: is number, not integer']);
  });

  it(`${CASES} requests over HTTP: no 5xx, problem+json for every 4xx, declared schemas for every 2xx`, async () => {
    const fuzzer = httpFuzzer();
    expect(await fuzzer.operations()).toBeGreaterThan(50);
    const report = new FuzzReport(SEED);
    await fuzzParser(fuzzer, { seed: SEED, count: CASES }, report);
    expect(report.violations.map((v) => report.describe(v))).toEqual([]);
    expect(report.get('http cases')).toBe(CASES);
    expect(report.get('http: 2xx')).toBeGreaterThan(100);
    expect(report.get('http: 4xx')).toBeGreaterThan(100);
  }, 180_000);
});
