/**
 * One fuzz run (scripts/fuzz.ts, test/protocols/fuzz.test.ts): the target in a child process, mutated
 * Diameter messages over TCP and random identities in process and over HTTP/2 at the same time, and
 * the target's death as a violation of its own.
 */
import { fuzzDiameter } from './diameter-run.ts';
import { FuzzReport } from './report.ts';
import { fuzzIdentities } from './sbi-run.ts';
import { startServers, startTarget, type Target } from './target.ts';

export interface FuzzOptions {
  readonly seed: number;
  /** How many Diameter mutants, and from which index. */
  readonly diameter: number;
  readonly diameterFrom?: number;
  /** How many identities, and from which index. */
  readonly identities: number;
  readonly identitiesFrom?: number;
  /** One identity in this many also goes over HTTP/2. */
  readonly httpEvery?: number;
  readonly connections?: number;
  /** The servers in this process instead of a child (a crash then ends the fuzzer too). */
  readonly inProcess?: boolean;
  /** Nothing new is sent after this long; the run is then incomplete. */
  readonly timeLimitMs?: number;
  readonly answerTimeoutMs?: number;
}

export interface FuzzResult {
  readonly report: FuzzReport;
  readonly elapsedMs: number;
  /** False when the time limit stopped the run before the counts were reached. */
  readonly complete: boolean;
}

export async function runFuzz(
  options: FuzzOptions,
  onStart?: (report: FuzzReport) => void,
): Promise<FuzzResult> {
  const report = new FuzzReport(options.seed);
  const started = Date.now();
  const target: Target = options.inProcess ? await startServers() : await startTarget();
  let dead = false;
  target.died.then((why) => {
    dead = true;
    report.violation({ area: 'target', what: why, index: null });
  });
  onStart?.(report);
  const common = {
    seed: options.seed,
    ...(options.timeLimitMs !== undefined ? { deadline: started + options.timeLimitMs } : {}),
    ...(options.answerTimeoutMs !== undefined ? { answerTimeoutMs: options.answerTimeoutMs } : {}),
    stopped: () => dead,
  };
  try {
    await Promise.all([
      options.diameter > 0
        ? fuzzDiameter(
            {
              ...common,
              count: options.diameter,
              ...(options.diameterFrom !== undefined ? { from: options.diameterFrom } : {}),
              ...(options.connections !== undefined ? { connections: options.connections } : {}),
              port: target.diameterPort,
            },
            report,
          )
        : null,
      options.identities > 0
        ? fuzzIdentities(
            {
              ...common,
              count: options.identities,
              ...(options.identitiesFrom !== undefined ? { from: options.identitiesFrom } : {}),
              ...(options.httpEvery !== undefined ? { httpEvery: options.httpEvery } : {}),
              url: target.sbiUrl,
            },
            report,
          )
        : null,
    ]);
  } finally {
    await target.close();
  }
  const complete =
    report.get('diameter mutants') >= options.diameter && report.get('identities') >= options.identities;
  return { report, elapsedMs: Date.now() - started, complete };
}
