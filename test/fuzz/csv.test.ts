/**
 * The CSV import fuzzer at CI size (test/support/fuzz/csv.ts): 10 000 mutated list rows, operator
 * headers and rows, and list files (plain and zipped) through the real parsers, one in 50 of them a
 * whole file through importList into a PGlite ledger, which verifies at the end. The full run is
 * `npx tsx scripts/fuzz.ts --diameter 0 --pei 0 --csv 1000000`; OPENCEIR_FUZZ_SEED picks another seed.
 */
import { describe, expect, it } from 'vitest';
import { csvFuzzer } from '../support/fuzz/csv.ts';
import { fuzzParser } from '../support/fuzz/parser-run.ts';
import { Random } from '../support/fuzz/random.ts';
import { FuzzReport } from '../support/fuzz/report.ts';

const SEED = Number(process.env.OPENCEIR_FUZZ_SEED ?? 20261129);
const CASES = 10_000;

describe('fuzzing the CSV imports', () => {
  it('regenerates any input from the seed and its index alone', async () => {
    const fuzzer = csvFuzzer({ importEvery: 0 });
    const once = await fuzzer.run(new Random(SEED, 33, fuzzer.stream), 33);
    const again = await fuzzer.run(new Random(SEED, 33, fuzzer.stream), 33);
    await fuzzer.close?.(new FuzzReport(SEED));
    expect(again).toEqual(once);
  });

  it(`${CASES} rows and files: only the documented errors, every bad row with its line and field, nothing committed from a bad file`, async () => {
    const report = new FuzzReport(SEED);
    await fuzzParser(csvFuzzer({ importEvery: 50 }), { seed: SEED, count: CASES }, report);
    expect(report.violations.map((v) => report.describe(v))).toEqual([]);
    expect(report.get('csv cases')).toBe(CASES);
    // Every path is taken: rows accepted and refused, files read and refused, imports of each ending.
    for (const outcome of [
      'list row accepted',
      'list row refused',
      'operator row accepted',
      'operator row refused',
      'operator header refused',
      'file read',
      'file refused',
    ])
      expect(report.get(`csv: ${outcome}`), outcome).toBeGreaterThan(20);
    for (const outcome of ['import committed', 'import refused rows', 'import refused file'])
      expect(report.get(`csv: ${outcome}`), outcome).toBeGreaterThan(0);
    expect(report.get('csv ledger entries')).toBeGreaterThan(0);
  }, 180_000);
});
