/**
 * The YAML configuration fuzzer at CI size (test/support/fuzz/yaml.ts): 5 000 random and mutated
 * service configurations, analytics configurations and trust policies through loadConfig,
 * readAnalyticsConfig and parsePolicyText. The full run is
 * `npx tsx scripts/fuzz.ts --diameter 0 --pei 0 --yaml 1000000`; OPENCEIR_FUZZ_SEED picks another seed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.ts';
import { fuzzParser } from '../support/fuzz/parser-run.ts';
import { Random } from '../support/fuzz/random.ts';
import { FuzzReport } from '../support/fuzz/report.ts';
import { yamlFuzzer } from '../support/fuzz/yaml.ts';

const SEED = Number(process.env.OPENCEIR_FUZZ_SEED ?? 20261129);
const CASES = 5_000;

describe('fuzzing the YAML configuration', () => {
  it('regenerates any input from the seed and its index alone', async () => {
    const fuzzer = yamlFuzzer();
    const once = await fuzzer.run(new Random(SEED, 5, fuzzer.stream), 5);
    const again = await fuzzer.run(new Random(SEED, 5, fuzzer.stream), 5);
    await fuzzer.close?.(new FuzzReport(SEED));
    expect(again).toEqual(once);
  });

  it('a mapping where a list item belongs is a ConfigError naming the setting (found by this fuzzer: it threw a TypeError)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-fuzz-yaml-'));
    try {
      const file = path.join(dir, 'openceir.yaml');
      writeFileSync(
        file,
        'sbi:\n  oauth_audiences: [nnrf, toString: neir]\ncheck:\n  record_all: [{toString: x}]\n',
      );
      expect(() => loadConfig({ file, env: {}, cwd: dir })).toThrow(ConfigError);
      try {
        loadConfig({ file, env: {}, cwd: dir });
      } catch (error) {
        const problems = (error as ConfigError).problems.join('\n');
        expect(problems).toMatch(/sbi\.oauth_audiences .*must be a list/);
        expect(problems).toMatch(/check\.record_all .*must be 1\/0/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`${CASES} documents: a value or the parser's own error, whose problems name the key at fault`, async () => {
    const report = new FuzzReport(SEED);
    await fuzzParser(yamlFuzzer(), { seed: SEED, count: CASES }, report);
    expect(report.violations.map((v) => report.describe(v))).toEqual([]);
    expect(report.get('yaml cases')).toBe(CASES);
    for (const outcome of [
      'config accepted',
      'config refused',
      'config not YAML',
      'analytics accepted',
      'analytics refused',
      'analytics not YAML',
      'policy accepted',
      'policy refused',
    ])
      expect(report.get(`yaml: ${outcome}`), outcome).toBeGreaterThan(10);
  }, 180_000);
});
