/**
 * The registry side of the ledger push: after each commit, the new entries and the signed head go to
 * the registry's JetStream stream (message.ts). Best effort by design: the ledger never waits for NATS
 * and a commit never fails because of it. Publishing runs in the background, coalescing heads (only
 * the latest matters), and gives up on a batch rather than queueing without bound; followers read
 * anything missed over HTTP, the source of truth.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Entry } from '../../ledger/entry.ts';
import { headToJson, type TreeHead } from '../../ledger/signing.ts';
import { connectNats } from './connection.ts';
import {
  MAX_PUSH_ENTRIES,
  messageIdOf,
  type PushMessage,
  registryIdOf,
  streamOf,
  subjectOf,
} from './message.ts';

/** What the publisher needs of the ledger. */
export interface PublishedLedger {
  readonly signer: { readonly keyId: string };
  head(): Promise<TreeHead>;
  entries(start: number, limit: number): Promise<Entry[]>;
  subscribe(listener: (head: TreeHead) => void): () => void;
}

export interface PublisherOptions {
  /** nats://host:port */
  readonly url: string;
  /** How long one publish may wait for the stream's acknowledgement (ms). */
  readonly publishTimeoutMs?: number;
  readonly onProblem?: (problem: string) => void;
  readonly onPublished?: (head: TreeHead, duplicate: boolean) => void;
}

const NANOS_PER_MS = 1_000_000;

export class LedgerPublisher {
  readonly registryId: string;
  readonly subject: string;
  private connection: NatsConnection | null = null;
  private streamReady = false;
  /** Entries up to here were pushed (or skipped: too many, or NATS was away). */
  private published = -1;
  private latest: TreeHead | null = null;
  private busy = false;
  private closed = false;
  private failing = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly ledger: PublishedLedger,
    private readonly options: PublisherOptions,
  ) {
    this.registryId = registryIdOf(ledger.signer.keyId);
    this.subject = subjectOf(this.registryId);
  }

  /** Starts listening to commits; connects to NATS in the background (never throws). */
  async start(): Promise<void> {
    this.published = (await this.ledger.head()).size;
    this.unsubscribe = this.ledger.subscribe((head) => this.onHead(head));
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.connection = await connectNats({
      url: this.options.url,
      name: `openceir-registry-${this.registryId}`,
      closed: () => this.closed,
      onProblem: this.options.onProblem,
    });
  }

  private async ensureStream(connection: NatsConnection): Promise<void> {
    if (this.streamReady) return;
    const manager = await jetstreamManager(connection, { timeout: this.options.publishTimeoutMs ?? 2_000 });
    const name = streamOf(this.registryId);
    const config = {
      name,
      subjects: [this.subject],
      // Enough to de-duplicate retries and restarts; followers that miss more read HTTP.
      duplicate_window: 120_000 * NANOS_PER_MS,
      max_age: 3_600_000 * NANOS_PER_MS,
      max_msgs: 100_000,
    };
    try {
      await manager.streams.info(name);
    } catch {
      await manager.streams.add(config);
    }
    this.streamReady = true;
  }

  private onHead(head: TreeHead): void {
    if (this.closed) return;
    if (!this.latest || head.size > this.latest.size) this.latest = head;
    if (!this.busy) void this.drain();
  }

  /** Publishes the latest head's batch; newer heads that come meanwhile are published next. */
  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.latest && this.latest.size > this.published && !this.closed) {
        const head = this.latest;
        const start = this.published;
        this.published = head.size; // Whatever happens, HTTP covers this batch; never retry forever.
        try {
          await this.publish(start, head);
          this.failing = false;
        } catch (error) {
          // Said once per outage, not once per commit.
          if (!this.failing)
            this.options.onProblem?.(
              `ledger push of ${start}..${head.size - 1} skipped (followers read it over HTTP): ${(error as Error).message}`,
            );
          this.failing = true;
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private async publish(start: number, head: TreeHead): Promise<void> {
    const connection = this.connection;
    if (!connection || connection.isClosed()) throw new Error('NATS not connected');
    if (head.size - start > MAX_PUSH_ENTRIES)
      throw new Error(
        `${head.size - start} entries, more than ${MAX_PUSH_ENTRIES}: followers read them over HTTP`,
      );
    const entries = await this.ledger.entries(start, head.size - start);
    if (entries.length !== head.size - start)
      throw new Error('the ledger returned fewer entries than the head');
    await this.ensureStream(connection);
    const message: PushMessage = { registry: this.registryId, start, entries, head: headToJson(head) };
    const ack = await jetstream(connection).publish(this.subject, JSON.stringify(message), {
      msgID: messageIdOf(this.registryId, head.size - 1),
      timeout: this.options.publishTimeoutMs ?? 2_000,
    });
    this.options.onPublished?.(head, ack.duplicate);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    // A first connection still being tried stops at its next try (connectNats checks closed).
    if (this.connection && !this.connection.isClosed()) await this.connection.close().catch(() => {});
  }
}
