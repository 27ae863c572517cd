/**
 * The fuzzers at CI size against the real DiameterServer and SbiServer in a child process: 50 000
 * mutated Diameter messages and 50 000 random identities (1 in 10 over HTTP/2). The full run, a
 * million of each, is `npx tsx scripts/fuzz.ts`; OPENCEIR_FUZZ_SEED picks another seed here.
 */
import { describe, expect, it } from 'vitest';
import { encodeMessage, u32, utf8 } from '../../src/protocols/diameter/codec.ts';
import { AVP, CMD, FLAG } from '../../src/protocols/diameter/dictionary.ts';
import { diameterMutant } from '../support/fuzz/diameter-mutants.ts';
import { answerProblem, judge } from '../support/fuzz/diameter-oracle.ts';
import { randomIdentity } from '../support/fuzz/identities.ts';
import { runFuzz } from '../support/fuzz/run.ts';

const SEED = Number(process.env.OPENCEIR_FUZZ_SEED ?? 20261129);

describe('fuzzing S13 and N5g-eir', () => {
  it('regenerates any input from the seed and its index alone', () => {
    expect(diameterMutant(SEED, 4242).bytes).toEqual(diameterMutant(SEED, 4242).bytes);
    expect(diameterMutant(SEED, 4242).bytes).not.toEqual(diameterMutant(SEED, 4243).bytes);
    expect(randomIdentity(SEED, 7)).toEqual(randomIdentity(SEED, 7));
  });

  it('the oracle refuses an answer that leaves out what RFC 6733 demands', () => {
    const origin = [utf8(AVP.originHost, 'eir'), utf8(AVP.originRealm, 'realm')];
    const request = encodeMessage({
      flags: FLAG.request,
      command: 999,
      applicationId: 0,
      hopByHop: 1,
      endToEnd: 1,
      avps: origin,
    });
    const { expectation } = judge(request, 'open');
    if (expectation.kind !== 'answer') throw new Error('an unknown command is answered');
    const answer = (flags: number, code: number) =>
      encodeMessage({
        flags,
        command: 999,
        applicationId: 0,
        hopByHop: 1,
        endToEnd: 1,
        avps: [u32(AVP.resultCode, code), ...origin],
      });
    expect(answerProblem(answer(FLAG.error, 3001), expectation)).toBeNull();
    expect(answerProblem(answer(0, 3001), expectation)).toMatch(/E bit/);
    expect(answerProblem(answer(0, 2001), expectation)).toMatch(/expected 3001/);
    const dwr = encodeMessage({
      flags: FLAG.request,
      command: CMD.deviceWatchdog,
      applicationId: 0,
      hopByHop: 2,
      endToEnd: 2,
      avps: [],
    });
    expect(judge(dwr, 'wait-cer').expectation.kind).toBe('drop');
  });

  it('50 000 Diameter mutants and 50 000 identities: no crash, no hang, every answer as the RFCs say', async () => {
    const { report, complete } = await runFuzz({ seed: SEED, diameter: 50_000, identities: 50_000 });
    expect(report.violations.map((v) => report.describe(v))).toEqual([]);
    expect(report.violationCount).toBe(0);
    expect(complete).toBe(true);
    // Every path was taken: answers, closes of each kind, probes, HTTP/2 answers of each kind.
    for (const key of [
      'diameter answers 2001',
      'diameter answers 5014',
      'diameter answers 3001',
      'diameter closes: unframeable',
      'diameter closes: incomplete',
      'diameter closes: DPR',
      'diameter mutants first on a connection',
      'diameter probes',
      'diameter final check',
      'n5g-eir answers 200',
      'n5g-eir answers 400',
      'n5g-eir answers 404',
      'n5g-eir probes',
    ])
      expect(report.get(key), key).toBeGreaterThan(0);
  }, 180_000);
});
