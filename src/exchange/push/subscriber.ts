/**
 * The check node side of the ledger push: an ordered JetStream consumer on the registry's stream,
 * delivering new messages only. Each batch's head must carry the signature of the key the node pinned,
 * then the follower applies it with the same Frontier check as over HTTP (IndexFollower.offer). A batch
 * that cannot be parsed, is signed by another key, leaves a gap or does not verify wakes the HTTP
 * follower instead: the push only ever makes changes arrive sooner, never differently.
 */
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Entry } from '../../ledger/entry.ts';
import { type TreeHead, verifyHead } from '../../ledger/signing.ts';
import { connectNats } from './connection.ts';
import { parsePushMessage, streamOf } from './message.ts';

/** What the subscriber needs of the follower (check/follow.ts). */
export interface PushTarget {
  offer(head: TreeHead, start: number, entries: readonly Entry[]): 'applied' | 'duplicate' | 'fallback';
  wake(): void;
}

export interface PushStats {
  received: number;
  applied: number;
  duplicates: number;
  /** Batches left to HTTP: unparsable, wrongly signed, a gap, or not verifying. */
  fallbacks: number;
  connected: boolean;
}

export interface SubscriberOptions {
  readonly url: string;
  readonly registryId: string;
  /** The registry's ledger signing key (PEM), as pinned by the check node. */
  readonly publicKeyPem: string;
  readonly onProblem?: (problem: string) => void;
  readonly retryMs?: number;
}

export class PushSubscriber {
  readonly stats: PushStats = { received: 0, applied: 0, duplicates: 0, fallbacks: 0, connected: false };
  private connection: NatsConnection | null = null;
  private closed = false;
  private stopConsuming: (() => void) | null = null;

  constructor(
    private readonly target: PushTarget,
    private readonly options: SubscriberOptions,
  ) {}

  start(): void {
    void this.run();
  }

  private async run(): Promise<void> {
    const connection = await connectNats({
      url: this.options.url,
      name: `openceir-check-node-${this.options.registryId}`,
      closed: () => this.closed,
      onProblem: this.options.onProblem,
    });
    if (!connection) return;
    this.connection = connection;
    let reported = false;
    while (!this.closed && !connection.isClosed()) {
      try {
        const consumer = await jetstream(connection).consumers.get(streamOf(this.options.registryId), {
          deliver_policy: DeliverPolicy.New,
        });
        const messages = await consumer.consume();
        this.stopConsuming = () => void messages.close();
        this.stats.connected = true;
        reported = false;
        for await (const message of messages) this.handle(message.data);
      } catch (error) {
        // The stream appears with the registry's first push; until then, and after errors, try again.
        if (!reported)
          this.options.onProblem?.(`ledger push: ${(error as Error).message}; HTTP only meanwhile`);
        reported = true;
      }
      this.stats.connected = false;
      if (!this.closed)
        await new Promise((resolve) => setTimeout(resolve, this.options.retryMs ?? 2_000).unref());
    }
  }

  /** One pushed message (exported for tests through the real consumer only). */
  private handle(data: Uint8Array): void {
    this.stats.received++;
    const batch = parsePushMessage(data, this.options.registryId);
    if (!batch || !verifyHead(batch.head, this.options.publicKeyPem)) {
      this.stats.fallbacks++;
      this.options.onProblem?.(
        'a pushed batch was not a signed ledger batch of this registry; reading over HTTP',
      );
      this.target.wake();
      return;
    }
    const outcome = this.target.offer(batch.head, batch.start, batch.entries);
    if (outcome === 'applied') this.stats.applied++;
    else if (outcome === 'duplicate') this.stats.duplicates++;
    else this.stats.fallbacks++;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopConsuming?.();
    if (this.connection && !this.connection.isClosed()) await this.connection.close().catch(() => {});
  }
}
