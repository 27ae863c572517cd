/**
 * The check service the protocol front ends share: the current index (swapped atomically when a new
 * one is built), the policy, the sighting recorder, admission control and the counters behind the
 * metrics. Protocols only translate their wire format to `check()` and back.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { type CheckResult, check, type Identity } from './check.ts';
import type { CheckIndex } from './index.ts';
import type { OverloadGuard } from './overload.ts';
import type { Policy } from './policy.ts';
import type { SightingContext, SightingRecorder } from './sightings.ts';

export interface CheckServiceOptions {
  readonly policy: Policy;
  readonly index: CheckIndex;
  readonly recorder: SightingRecorder | null;
  readonly overload: OverloadGuard | null;
  readonly metrics?: Registry;
}

export class CheckService {
  private current: CheckIndex;
  readonly policy: Policy;
  private readonly checks: Counter<'protocol' | 'status'> | null;
  private readonly refusals: Counter<'protocol'> | null;
  readonly latency: Histogram<'protocol'> | null;
  private readonly children = new Map<string, { inc(): void }>();
  private readonly timers = new Map<string, { observe(value: number): void }>();
  private readonly refusedBy = new Map<string, { inc(): void }>();

  constructor(private readonly options: CheckServiceOptions) {
    this.current = options.index;
    this.policy = options.policy;
    const registers = options.metrics ? [options.metrics] : [];
    this.checks = options.metrics
      ? new Counter({
          name: 'openceir_checks_total',
          help: 'Equipment checks answered, by protocol and status',
          labelNames: ['protocol', 'status'],
          registers,
        })
      : null;
    this.refusals = options.metrics
      ? new Counter({
          name: 'openceir_checks_refused_total',
          help: 'Checks refused by admission control (overload)',
          labelNames: ['protocol'],
          registers,
        })
      : null;
    this.latency = options.metrics
      ? new Histogram({
          name: 'openceir_check_duration_seconds',
          help: 'Time from request to answer, by protocol',
          labelNames: ['protocol'],
          buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
          registers,
        })
      : null;
  }

  /** The counter of one (protocol, status): found once, so a check does not hash its labels. */
  private counted(protocol: string, status: string): { inc(): void } | null {
    if (!this.checks) return null;
    const key = `${protocol}|${status}`;
    let child = this.children.get(key);
    if (!child) {
      child = this.checks.labels({ protocol, status });
      this.children.set(key, child);
    }
    return child;
  }

  /** Records how long a check took, from its start (`process.hrtime.bigint()`). */
  observe(protocol: SightingContext['protocol'], started: bigint): void {
    if (!this.latency) return;
    let child = this.timers.get(protocol);
    if (!child) {
      child = this.latency.labels({ protocol });
      this.timers.set(protocol, child);
    }
    child.observe(Number(process.hrtime.bigint() - started) / 1e9);
  }

  /**
   * Sends an answer once the sightings of the checks so far are written (at once when there are
   * none): no answer leaves before its sighting is safe from a crash.
   */
  answer(send: () => void): void {
    if (this.options.recorder) this.options.recorder.afterWrite(send);
    else send();
  }

  /** Writes the sightings recorded so far now (protocols that batch their answers call it first). */
  flushSightings(): void {
    this.options.recorder?.flush();
  }

  /** Resolves once the sightings recorded so far are written. */
  sightingsWritten(): Promise<void> {
    return new Promise((resolve) => this.answer(resolve));
  }

  get index(): CheckIndex {
    return this.current;
  }

  /** Replaces the index in one step: checks before it use the old one, checks after it the new one. */
  swap(index: CheckIndex): void {
    this.current = index;
  }

  /**
   * True when this check must be refused for overload (and counts the refusal). `already`: the entry
   * point refused it on its own bound (a full queue); only counted.
   */
  refuse(protocol: SightingContext['protocol'], already = false): boolean {
    const refused = already || (this.options.overload?.refuse() ?? false);
    if (refused && this.refusals) {
      // Found once per protocol: a refusal must stay cheap, so it does not hash its labels.
      let child = this.refusedBy.get(protocol);
      if (!child) {
        child = this.refusals.labels({ protocol });
        this.refusedBy.set(protocol, child);
      }
      child.inc();
    }
    return refused;
  }

  /** How loaded admission control finds the process, 0–100 (TS 29.500 §6.3 Load-Metric). */
  get load(): number {
    return this.options.overload?.load ?? 0;
  }

  check(identity: Identity, context: SightingContext): CheckResult {
    const result = check(this.current, this.policy, identity);
    this.counted(context.protocol, result.status)?.inc();
    this.options.recorder?.record(result, context);
    return result;
  }
}
