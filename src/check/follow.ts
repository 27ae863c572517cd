/**
 * Keeps a check index current: reads new ledger entries from the registry (in this process, or over
 * HTTP on a check node), checks them against the signed tree head — the entries must extend the tree
 * the index was built from to exactly the signed root — and applies them. When the registry cannot be
 * reached, the index goes on answering as it stands (fail-static) and the follower says so.
 */
import { type Entry, entryLeafHash } from '../ledger/entry.ts';
import { Frontier } from '../ledger/merkle.ts';
import type { LedgerSource } from '../ledger/remote.ts';
import type { TreeHead } from '../ledger/signing.ts';
import type { CheckService } from './service.ts';

export interface FollowerStatus {
  readonly position: number;
  /** The registry's tree size at the last contact. */
  readonly registrySize: number;
  readonly lastContact: string | null;
  /** Why following stopped or fails, or null when all is well. */
  readonly problem: string | null;
  /** True when the registry showed entries that do not give its signed root: following has stopped. */
  readonly inconsistent: boolean;
}

export interface FollowerOptions {
  /** How often to ask for new entries when nothing wakes the follower (ms). */
  readonly intervalMs?: number;
  /** Hex frontier of the ledger at the index's position: when given, every entry is verified. */
  readonly frontier?: readonly string[] | null;
  /** Fold the overlay into the base when it holds this many devices and pairings. */
  readonly compactAt?: number;
  /**
   * Long poll: hold a request for a new head open this long (ms), so that a change reaches the index
   * as soon as it is committed rather than at the next interval. 0: poll every `intervalMs` only.
   */
  readonly longPollMs?: number;
  readonly onApplied?: (position: number) => void;
  readonly onProblem?: (problem: string) => void;
}

const PAGE = 5_000;

export class IndexFollower {
  private frontier: Frontier | null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private state: FollowerStatus;
  private readonly abort = new AbortController();

  constructor(
    private readonly service: CheckService,
    private readonly source: LedgerSource,
    private readonly options: FollowerOptions = {},
  ) {
    const position = service.index.position;
    this.frontier = options.frontier
      ? new Frontier(
          position,
          options.frontier.map((h) => Buffer.from(h, 'hex')),
        )
      : null;
    this.state = { position, registrySize: position, lastContact: null, problem: null, inconsistent: false };
  }

  get status(): FollowerStatus {
    return { ...this.state, position: this.service.index.position };
  }

  /** The frontier at the index's position (hex), for snapshots. */
  frontierHex(): string[] {
    return this.frontier?.hashes().map((h) => h.toString('hex')) ?? [];
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.wake();
      this.timer = setTimeout(tick, this.options.intervalMs ?? 250);
      this.timer.unref();
    };
    tick();
    if (this.options.longPollMs) void this.longPoll(this.options.longPollMs);
  }

  /** Waits on the registry for a head beyond the index, and wakes the follower when one comes. */
  private async longPoll(waitMs: number): Promise<void> {
    const pause = () => new Promise((resolve) => setTimeout(resolve, this.options.intervalMs ?? 250).unref());
    while (!this.stopped) {
      try {
        const head = await this.source.head({
          after: this.service.index.position,
          waitMs,
          signal: this.abort.signal,
        });
        if (head.size > this.service.index.position) {
          this.wake();
          if (this.running) await this.running;
        }
      } catch {
        // Unreachable or refused: the interval's rounds report it; try again after a pause.
        await pause();
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
  }

  /** Asks for new entries now (coalesced: one round at a time). */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((error: unknown) => {
        const problem = (error as Error).message;
        this.state = { ...this.state, problem };
        this.options.onProblem?.(problem);
      })
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Runs rounds until the index has caught up with the registry (tests, start-up). */
  async catchUp(): Promise<void> {
    if (this.running) await this.running;
    await this.round();
  }

  private async round(): Promise<void> {
    if (this.state.inconsistent) return;
    const head = await this.source.head();
    const position = this.service.index.position;
    this.state = {
      ...this.state,
      registrySize: head.size,
      lastContact: new Date().toISOString(),
      problem: null,
    };
    if (head.size < position) {
      this.fail(
        `the registry's signed tree has ${head.size} entries, fewer than the ${position} already applied: history was rewritten`,
      );
      return;
    }
    if (head.size === position) return;
    const entries: Entry[] = [];
    while (position + entries.length < head.size) {
      const page = await this.source.entries(
        position + entries.length,
        Math.min(PAGE, head.size - position - entries.length),
      );
      if (page.length === 0) break;
      entries.push(...page);
    }
    // Pushed entries (offer) may have been applied while this round waited: start again from there.
    if (this.service.index.position !== position) {
      this.again = true;
      return;
    }
    if (!this.verifyAndApply(position, entries, head, true)) return;
    if (this.service.index.overlaySize >= (this.options.compactAt ?? 100_000))
      await this.service.index.compact();
  }

  /**
   * Entries the registry pushed (NATS JetStream, docs/follower-protocol.md), with a head whose signature
   * the caller has checked. Applied when they extend the index exactly and give the signed root, the
   * same check as a round over HTTP; anything else (a gap, a batch already applied, a mismatch) is left
   * to HTTP, which stays the source of truth. Synchronous, so it never interleaves with a round's apply.
   */
  offer(head: TreeHead, start: number, entries: readonly Entry[]): 'applied' | 'duplicate' | 'fallback' {
    if (this.stopped || this.state.inconsistent) return 'fallback';
    const position = this.service.index.position;
    if (head.size <= position) return 'duplicate';
    if (start !== position || start + entries.length !== head.size) {
      this.wake();
      return 'fallback';
    }
    // A pushed batch that does not verify is doubt, not proof: HTTP decides whether history was rewritten.
    if (!this.verifyAndApply(position, entries, head, false)) {
      this.wake();
      return 'fallback';
    }
    this.state = { ...this.state, registrySize: Math.max(this.state.registrySize, head.size) };
    return 'applied';
  }

  /**
   * Checks that entries continue the index at `position` and, with the frontier, give the signed root
   * of `head`; applies them when they do. `strict`: a mismatch stops following (entries read over HTTP).
   */
  private verifyAndApply(
    position: number,
    entries: readonly Entry[],
    head: TreeHead,
    strict: boolean,
  ): boolean {
    const refuse = (problem: string) => {
      if (strict) this.fail(problem);
      else this.options.onProblem?.(`pushed entries refused, reading over HTTP: ${problem}`);
      return false;
    };
    let next: Frontier | null = null;
    if (this.frontier) {
      next = new Frontier(this.frontier.size, this.frontier.hashes());
      for (const [i, entry] of entries.entries()) {
        if (entry.seq !== position + i)
          return refuse(`the registry sent entry ${entry.seq} where ${position + i} was expected`);
        next.append(entryLeafHash(entry));
      }
      if (next.size !== head.size || Buffer.compare(next.root(), head.rootHash) !== 0)
        return refuse(
          `entries ${position} to ${head.size - 1} do not give the registry's signed root for size ${head.size}`,
        );
    }
    if (next) this.frontier = next;
    this.service.index.apply([...entries]);
    this.options.onApplied?.(this.service.index.position);
    return true;
  }

  private fail(problem: string): void {
    this.state = { ...this.state, problem, inconsistent: true };
    this.options.onProblem?.(problem);
  }
}
