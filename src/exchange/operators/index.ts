/**
 * Operator EIR sync and audit (Q.Sup76 sync API and async broadcast, Q.5053 audit): what the
 * composition root starts in the registry roles.
 */
import type { Logger } from 'pino';
import type { Config } from '../../config/load.ts';
import type { Ledger } from '../../ledger/ledger.ts';
import { OperatorDeliveries } from './delivery.ts';
import { prefixesFromAnalyticsConfig } from './sources.ts';
import { WebhookWorker } from './webhook.ts';

/** Starts the webhook worker; the returned function stops it (after the batch in flight). */
export function startOperatorSync(ledger: Ledger, config: Config, logger: Logger): () => Promise<void> {
  const deliveries = new OperatorDeliveries(
    ledger,
    prefixesFromAnalyticsConfig(config.analytics.configFile, (message) =>
      logger.warn({ message }, 'analytics configuration unreadable: operator pairs go by source'),
    ),
  );
  const worker = new WebhookWorker(ledger, deliveries, {
    onError: (error, operator) =>
      logger.warn({ err: error, operator }, 'operator webhook delivery failed; retrying'),
  }).start();
  return () => worker.stop();
}
