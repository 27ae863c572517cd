/**
 * Operator EIR sync (Q.Sup76 sync API and async broadcast) and the compliance audit's endpoints: one
 * row per operator with its webhook, its EIR's N5g-eir address and how far its list is delivered and
 * acknowledged. Positions are ledger tree sizes: position N covers entries 0 … N-1.
 */
import { bigint, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const int8 = (name: string) => bigint(name, { mode: 'number' });

export const operatorDelivery = pgTable('operator_delivery', {
  /** The operator id of ledger sources (`operator:<id>`) and of the operator's organisation. */
  operatorId: text('operator_id').primaryKey(),
  /** Where batches of changes are POSTed; null: the operator pulls. */
  webhookUrl: text('webhook_url'),
  /** The HMAC-SHA256 key of the webhook signature (shown once, when set). */
  webhookSecret: text('webhook_secret'),
  /** The operator EIR's N5g-eir API root, for sampled audit checks. */
  eirUrl: text('eir_url'),
  /** Webhook: the position up to which batches were accepted (2xx). */
  deliveredPosition: int8('delivered_position').notNull().default(0),
  /** What the operator has applied: a pull API ack, or a webhook's 2xx. Never goes back. */
  acknowledgedPosition: int8('acknowledged_position').notNull().default(0),
  acknowledgedAt: time('acknowledged_at'),
  /** Failed webhook attempts since the last success. */
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  lastAttemptAt: time('last_attempt_at'),
  /** Not before this time is the next webhook attempt made (backoff); null: at once. */
  nextAttemptAt: time('next_attempt_at'),
  /** A worker delivering to this operator holds it until then (several registry processes). */
  leaseUntil: time('lease_until'),
  updatedAt: time('updated_at').notNull().defaultNow(),
});
