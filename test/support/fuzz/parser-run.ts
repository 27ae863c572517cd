/**
 * Runs one in-process parser fuzzer (SMS commands, CSV files and rows, YAML configuration): input
 * `index` of the run comes from (seed, index) alone, each case says its outcome or what it broke,
 * and anything thrown past the case's own checks is a violation too.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { Random } from './random.ts';
import type { FuzzReport } from './report.ts';

/** What one input did: an outcome to count, and the rules it broke (none when all is well). */
export interface CaseResult {
  readonly outcome: string;
  readonly violations: readonly string[];
  readonly input: string;
  readonly recipe?: string;
}

export interface ParserFuzzer {
  /** The report area and the command-line option: `smpp`, `csv`, `yaml`. */
  readonly area: string;
  /** Separates this fuzzer's random stream from the others'. */
  readonly stream: number;
  run(random: Random, index: number): CaseResult | Promise<CaseResult>;
  /** Ends the run: checks that span every case (a violation of index null) and frees what it holds. */
  close?(report: FuzzReport): Promise<void>;
}

export interface ParserRunOptions {
  readonly seed: number;
  readonly count: number;
  readonly from?: number;
  /** Nothing new is started after this time (ms since the epoch). */
  readonly deadline?: number;
}

export async function fuzzParser(
  fuzzer: ParserFuzzer,
  options: ParserRunOptions,
  report: FuzzReport,
): Promise<void> {
  const from = options.from ?? 0;
  let yielded = Date.now();
  try {
    for (let index = from; index < from + options.count; index++) {
      if (options.deadline !== undefined && Date.now() >= options.deadline) break;
      let result: CaseResult;
      try {
        result = await fuzzer.run(new Random(options.seed, index, fuzzer.stream), index);
      } catch (error) {
        report.count(`${fuzzer.area} cases`);
        report.violation({
          area: fuzzer.area,
          what: `uncaught ${(error as Error)?.name ?? 'throw'}: ${(error as Error)?.message ?? String(error)}`.slice(
            0,
            300,
          ),
          index,
          // Where it was thrown: the stack says whether the parser or the harness threw.
          input: String((error as Error)?.stack ?? error).slice(0, 2000),
        });
        continue;
      }
      report.count(`${fuzzer.area} cases`);
      report.count(`${fuzzer.area}: ${result.outcome}`);
      for (const what of result.violations)
        report.violation({
          area: fuzzer.area,
          what,
          index,
          input: JSON.stringify(result.input),
          ...(result.recipe ? { recipe: result.recipe } : {}),
        });
      // Let timers (progress lines, the deadline) run during a long pure loop.
      if (Date.now() - yielded > 100) {
        await tick();
        yielded = Date.now();
      }
    }
  } finally {
    await fuzzer.close?.(report);
  }
}
