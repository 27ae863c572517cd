/**
 * One NATS connection for the ledger push, publisher or subscriber: the first connection is tried
 * every few seconds until it succeeds or the owner closes (each try bounded by a timeout, the wait
 * between tries on an unreferenced timer, so a process never stays up for NATS); once connected, the
 * client reconnects by itself. NATS being away is never an error for the caller: HTTP carries on.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';

export const NATS_URL = /^nats:\/\/[^/:\s]+(:\d{1,5})?$/;

export interface NatsConnector {
  readonly url: string;
  readonly name: string;
  /** Checked between tries: stop trying when true. */
  readonly closed: () => boolean;
  readonly onProblem?: (problem: string) => void;
  readonly retryMs?: number;
}

export async function connectNats(options: NatsConnector): Promise<NatsConnection | null> {
  let reported = false;
  while (!options.closed()) {
    try {
      const connection = await connect({
        servers: options.url,
        name: options.name,
        timeout: 2_000,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1_000,
      });
      if (options.closed()) {
        await connection.close().catch(() => {});
        return null;
      }
      return connection;
    } catch (error) {
      if (!reported)
        options.onProblem?.(
          `NATS ${options.url} unreachable (${(error as Error).message}); HTTP only until it answers`,
        );
      reported = true;
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 5_000).unref());
    }
  }
  return null;
}
