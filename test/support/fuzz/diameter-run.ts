/**
 * Drives mutated Diameter messages at a live S13 server over TCP. Each connection does CER, then
 * streams batches of mutants: mutants that keep the framing go back to back and end with a liveness
 * probe (a valid ECR or DWR whose answer is known exactly, due in time, or the server hangs); a mutant
 * that breaks the framing or ends the peer connection (DPR) ends its batch: the fuzzer half-closes and
 * the server must answer what it could frame, then close. A CER meant to be first gets a connection of
 * its own. Every answer is held to the oracle.
 */
import { Connection } from './diameter-connection.ts';
import { diameterMutant, type Mutant } from './diameter-mutants.ts';
import { type Expectation, judgeStream, type PeerState } from './diameter-oracle.ts';
import { cer, dpr, PROBES, probe } from './diameter-probes.ts';
import type { FuzzReport } from './report.ts';

export interface DiameterFuzzOptions {
  readonly seed: number;
  /** Mutants [from, from + count). */
  readonly from?: number;
  readonly count: number;
  readonly port: number;
  readonly connections?: number;
  readonly batch?: number;
  /** An answer (or the close) later than this is a hang. */
  readonly answerTimeoutMs?: number;
  /** No new mutants after this time (ms since the epoch). */
  readonly deadline?: number;
  /** True once the target died: the run stops. */
  readonly stopped?: () => boolean;
}

/** Sends mutants [from, from + count) and holds every answer and close to the oracle. */
export async function fuzzDiameter(options: DiameterFuzzOptions, report: FuzzReport): Promise<void> {
  const from = options.from ?? 0;
  const end = from + options.count;
  const batchSize = options.batch ?? 64;
  const timeoutMs = options.answerTimeoutMs ?? 10_000;
  let next = from;
  let probes = 0;
  const stop = () =>
    options.stopped?.() === true || (options.deadline !== undefined && Date.now() > options.deadline);
  const claim = (): number | null => (next < end && !stop() ? next++ : null);

  /**
   * Sends `bytes` on `connection` (half-closing after a `terminal` batch) and waits for every expected
   * answer, or for the close; false when the connection cannot go on.
   */
  async function exchange(
    connection: Connection,
    bytes: Buffer,
    terminal: boolean,
    why: string,
  ): Promise<boolean> {
    connection.send(bytes, terminal);
    const settled = await connection.settle(terminal, timeoutMs);
    const left = connection.unanswered;
    const culprit = left[0] ?? null;
    const describe = (what: string) =>
      report.violation({
        area: 'diameter',
        what,
        index: culprit?.mutant?.index ?? null,
        input: (culprit?.mutant?.bytes ?? culprit?.probe?.bytes ?? bytes).toString('hex'),
        ...(culprit?.mutant ? { recipe: culprit.mutant.recipe } : {}),
      });
    if (settled === 'timeout') {
      describe(
        terminal
          ? `neither answered nor closed within ${timeoutMs} ms (${why})`
          : `no answer within ${timeoutMs} ms`,
      );
      connection.destroy();
      return false;
    }
    if (settled === 'closed') {
      if (left.length > 0)
        describe(`closed the connection with ${left.length} request(s) unanswered (${why})`);
      else if (!terminal) describe('closed the connection after a batch that keeps the framing');
      else {
        report.count('diameter closes');
        report.count(`diameter closes: ${why}`);
      }
      return false;
    }
    return true;
  }

  async function open(): Promise<Connection | null> {
    const connection = new Connection(options.port, report);
    if (!(await connection.ready)) {
      report.violation({ area: 'diameter', what: 'cannot connect to the server', index: null });
      return null;
    }
    report.count('diameter connections');
    const request = cer(probes++);
    connection.expect(judgeStream(request.bytes, 'wait-cer').expectations, null, request);
    return (await exchange(connection, request.bytes, false, 'CER')) ? connection : null;
  }

  async function alone(mutant: Mutant, start: PeerState): Promise<void> {
    const connection = new Connection(options.port, report);
    if (!(await connection.ready)) {
      report.violation({ area: 'diameter', what: 'cannot connect to the server', index: mutant.index });
      return;
    }
    report.count('diameter connections');
    const judged = judgeStream(mutant.bytes, start);
    connection.expect(judged.expectations, mutant);
    report.count('diameter mutants');
    report.count('diameter mutants first on a connection');
    await exchange(connection, mutant.bytes, true, `first message, ${judged.end}, then ${judged.state}`);
  }

  async function worker(): Promise<void> {
    let connection: Connection | null = null;
    for (;;) {
      const batch: Buffer[] = [];
      const mutants: { mutant: Mutant; expectations: Expectation[] }[] = [];
      let why: string | null = null;
      let first: Mutant | null = null;
      while (mutants.length < batchSize && why === null) {
        const index = claim();
        if (index === null) break;
        const mutant = diameterMutant(options.seed, index);
        if (mutant.first) {
          first = mutant;
          break;
        }
        const judged = judgeStream(mutant.bytes, 'open');
        mutants.push({ mutant, expectations: judged.expectations });
        batch.push(mutant.bytes);
        if (judged.end !== 'clean') why = judged.end;
        else if (judged.state !== 'open') why = 'DPR';
        else if (judged.expectations.length !== 1) why = 'several messages in one';
      }
      if (mutants.length > 0) {
        connection ??= await open();
        if (!connection) return;
        for (const { mutant, expectations } of mutants) connection.expect(expectations, mutant);
        report.count('diameter mutants', mutants.length);
        if (why === null) {
          const p = probe(probes++);
          connection.expect(judgeStream(p.bytes, 'open').expectations, null, p);
          batch.push(p.bytes);
          report.count('diameter probes');
        }
        const bytes = Buffer.concat(batch);
        if (!(await exchange(connection, bytes, why !== null, why ?? 'batch'))) connection = null;
      }
      if (first) await alone(first, 'wait-cer');
      if (mutants.length === 0 && !first) break;
    }
    connection?.destroy();
  }

  await Promise.all(Array.from({ length: options.connections ?? 16 }, worker));
  if (options.stopped?.()) return;

  // After everything: a fresh peer is served exactly, and DPR ends its connection cleanly.
  const connection = await open();
  if (!connection) return;
  for (let i = 0; i < PROBES.length; i++) {
    const p = probe(probes++);
    connection.expect(judgeStream(p.bytes, 'open').expectations, null, p);
    if (!(await exchange(connection, p.bytes, false, 'final probe'))) return;
  }
  const bye = dpr();
  connection.expect(judgeStream(bye.bytes, 'open').expectations, null, bye);
  await exchange(connection, bye.bytes, true, 'final DPR');
  report.count('diameter final check');
}
