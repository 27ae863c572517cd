/**
 * The SMS command fuzzer at CI size: 50 000 random and mutated texts through the real parser,
 * language rules and help answers (test/support/fuzz/smpp.ts). The full run is
 * `npx tsx scripts/fuzz.ts --diameter 0 --pei 0 --smpp 1000000`; OPENCEIR_FUZZ_SEED picks another seed.
 */
import { describe, expect, it } from 'vitest';
import { fuzzParser } from '../support/fuzz/parser-run.ts';
import { Random } from '../support/fuzz/random.ts';
import { FuzzReport } from '../support/fuzz/report.ts';
import { commandProblems, smppFuzzer } from '../support/fuzz/smpp.ts';

const SEED = Number(process.env.OPENCEIR_FUZZ_SEED ?? 20261129);
const CASES = 50_000;

describe('fuzzing the SMS text commands', () => {
  it('regenerates any input from the seed and its index alone', async () => {
    const once = await smppFuzzer.run(new Random(SEED, 77, smppFuzzer.stream), 77);
    const again = await smppFuzzer.run(new Random(SEED, 77, smppFuzzer.stream), 77);
    expect(again).toEqual(once);
  });

  it('the oracle refuses commands that break what their kind promises', () => {
    expect(commandProblems({ kind: 'kym', imei: '3520990017614' })).toHaveLength(1);
    expect(
      commandProblems({ kind: 'report', report: 'lost', imeis: Array(5).fill('35209900176148') }),
    ).toHaveLength(1);
    expect(commandProblems({ kind: 'verify', reference: 'c 1', code: '12' })).toHaveLength(2);
    expect(commandProblems({ kind: 'appeal', imei: '35209900176148', grounds: '' })).toHaveLength(1);
    expect(commandProblems({ kind: 'status', reference: 'C-1' })).toEqual([]);
  });

  it(`${CASES} texts: no throw, every command well formed, every answer short and in a supported language`, async () => {
    const report = new FuzzReport(SEED);
    await fuzzParser(smppFuzzer, { seed: SEED, count: CASES }, report);
    expect(report.violations.map((v) => report.describe(v))).toEqual([]);
    expect(report.get('smpp cases')).toBe(CASES);
    // The mutants reach every kind of command and both ends of the rules parser.
    for (const outcome of ['kym', 'report', 'verify', 'status', 'appeal', 'invalid-imei', 'help'])
      expect(report.get(`smpp: ${outcome}`), outcome).toBeGreaterThan(100);
    expect(report.get('smpp: language rules accepted')).toBeGreaterThan(100);
    expect(report.get('smpp: language rules refused')).toBeGreaterThan(100);
  }, 120_000);
});
