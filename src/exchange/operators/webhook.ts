/**
 * The async broadcast (Q.Sup76): the registry POSTs each operator's changes to its webhook, in
 * ledger order, in batches. A batch is sent again until a 2xx accepts it (exponential backoff with
 * jitter), and only then does the stored `delivered_position` move past it; a restart resumes from
 * that stored position. Delivery is therefore at least once and never skips: a batch may arrive
 * twice (a 2xx lost to a crash or a timeout), with the same positions, so the receiver drops a
 * change whose position it has applied already.
 *
 * The worker sleeps until the ledger grows in this process (Ledger.subscribe), a retry falls due, or
 * `idleMs` passes (entries appended by other processes on the same database).
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from '../../ledger/ledger.ts';
import { headToJson, type TreeHeadJson } from '../../ledger/signing.ts';
import { query } from '../../store/index.ts';
import { type Change, changesSince } from './changes.ts';
import type { OperatorDeliveries } from './delivery.ts';
import {
  type Backoff,
  DEFAULT_BACKOFF,
  DELIVERY_HEADER,
  retryDelayMs,
  SIGNATURE_HEADER,
  signatureOf,
  TIMESTAMP_HEADER,
} from './signature.ts';

export interface WebhookWorkerOptions {
  /** Changes per POST. */
  readonly batchSize?: number;
  readonly backoff?: Backoff;
  /** Longest sleep without a wake-up (for appends by other processes). */
  readonly idleMs?: number;
  /** Per request. */
  readonly timeoutMs?: number;
  /** Batches sent to one operator per pass, so one busy operator does not starve the others. */
  readonly batchesPerPass?: number;
  readonly onError?: (error: unknown, operator: string) => void;
}

/** The JSON body of one webhook POST. */
export interface WebhookBatch {
  readonly operator: string;
  /** The position this batch starts from (the receiver should hold it already). */
  readonly from: number;
  /** The position the receiver holds once it applied the batch. */
  readonly next: number;
  readonly changes: readonly Change[];
  readonly head: TreeHeadJson;
}

const LEASE_SECONDS = 120;

export class WebhookWorker {
  private stopped = true;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private unsubscribe: (() => void) | null = null;
  private readonly batchSize: number;
  private readonly backoff: Backoff;
  private readonly idleMs: number;
  private readonly timeoutMs: number;
  private readonly batchesPerPass: number;

  constructor(
    private readonly ledger: Ledger,
    private readonly deliveries: OperatorDeliveries,
    private readonly options: WebhookWorkerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.idleMs = options.idleMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.batchesPerPass = options.batchesPerPass ?? 20;
  }

  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.unsubscribe = this.ledger.subscribe(() => this.wake());
    this.running = this.loop();
    return this;
  }

  /** Sends what is due now rather than after the current sleep. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wake();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      let waitMs = this.idleMs;
      try {
        waitMs = Math.min(waitMs, await this.pass());
      } catch (error) {
        this.options.onError?.(error, '*');
      }
      if (this.stopped || this.woken) continue;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, Math.max(10, waitMs));
      });
      if (this.timer) clearTimeout(this.timer);
      this.wakeUp = null;
    }
  }

  /** One round over the operators with a webhook; returns how long until the next retry is due. */
  async pass(): Promise<number> {
    const rows = await query(
      this.ledger.db,
      sql`select operator_id, floor(extract(epoch from next_attempt_at) * 1000)::bigint as due_ms
          from operator_delivery where webhook_url is not null order by operator_id`,
    );
    let waitMs = this.idleMs;
    for (const row of rows) {
      if (this.stopped) break;
      const operator = String(row.operator_id);
      const dueMs = row.due_ms == null ? 0 : Number(row.due_ms);
      if (dueMs > Date.now()) {
        waitMs = Math.min(waitMs, dueMs - Date.now());
        continue;
      }
      const retryMs = await this.deliver(operator);
      if (retryMs !== null) waitMs = Math.min(waitMs, retryMs);
    }
    return waitMs;
  }

  /**
   * Sends the operator's due batches, up to `batchesPerPass`. Returns the retry delay after a
   * failure, 0 when more batches are waiting, null when it is caught up.
   */
  async deliver(operator: string): Promise<number | null> {
    if (!(await this.lease(operator))) return null;
    try {
      for (let sent = 0; sent < this.batchesPerPass && !this.stopped; sent++) {
        const outcome = await this.deliverOne(operator);
        if (outcome === 'caught-up') return null;
        if (typeof outcome === 'number') return outcome;
      }
      return 0;
    } finally {
      await this.ledger.db.execute(
        sql`update operator_delivery set lease_until = null where operator_id = ${operator}`,
      );
    }
  }

  /** Takes the operator for this worker, unless another process holds an unexpired lease. */
  private async lease(operator: string): Promise<boolean> {
    const rows = await query(
      this.ledger.db,
      sql`update operator_delivery set lease_until = now() + make_interval(secs => ${LEASE_SECONDS})
          where operator_id = ${operator} and webhook_url is not null
            and (lease_until is null or lease_until < now())
          returning operator_id`,
    );
    return rows.length > 0;
  }

  private async deliverOne(operator: string): Promise<'caught-up' | 'sent' | number> {
    const row = await this.deliveries.row(operator);
    if (!row?.webhook_url || !row.webhook_secret) return 'caught-up';
    const from = Number(row.delivered_position);
    const page = await changesSince(this.ledger, this.deliveries.scope(operator), from, this.batchSize);
    if (page.changes.length === 0) {
      if (page.next === from) return 'caught-up';
      // Nothing of this operator's in the window: move on without a POST. A receiver that held `from`
      // holds `next` too, so its acknowledgement moves with it.
      await this.ledger.db.execute(sql`
        update operator_delivery set delivered_position = ${page.next},
          acknowledged_position = case when acknowledged_position >= ${from} then greatest(acknowledged_position, ${page.next}) else acknowledged_position end,
          updated_at = now()
        where operator_id = ${operator} and delivered_position = ${from}`);
      return 'sent';
    }
    const body = JSON.stringify({
      operator,
      from,
      next: page.next,
      changes: page.changes,
      head: headToJson(page.head),
    } satisfies WebhookBatch);
    const timestamp = String(Math.floor(Date.now() / 1000));
    let failure: string | null = null;
    try {
      const response = await fetch(String(row.webhook_url), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signatureOf(String(row.webhook_secret), timestamp, body),
          [DELIVERY_HEADER]: `${operator}:${from}-${page.next}`,
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299)
        failure = `the webhook answered HTTP ${response.status}`;
    } catch (error) {
      const cause = (error as Error & { cause?: unknown }).cause;
      failure = `the webhook could not be reached: ${cause ? String(cause) : (error as Error).message}`;
    }
    if (failure === null) {
      await this.ledger.db.execute(sql`
        update operator_delivery set delivered_position = ${page.next},
          acknowledged_position = greatest(acknowledged_position, ${page.next}), acknowledged_at = now(),
          attempts = 0, last_error = null, last_attempt_at = now(), next_attempt_at = null, updated_at = now()
        where operator_id = ${operator} and delivered_position = ${from}`);
      return page.next >= page.head.size ? 'caught-up' : 'sent';
    }
    const attempts = Number(row.attempts) + 1;
    const delayMs = retryDelayMs(attempts, this.backoff);
    await this.ledger.db.execute(sql`
      update operator_delivery set attempts = ${attempts}, last_error = ${failure}, last_attempt_at = now(),
        next_attempt_at = now() + make_interval(secs => ${delayMs / 1000}), updated_at = now()
      where operator_id = ${operator}`);
    this.options.onError?.(new Error(failure), operator);
    return delayMs;
  }
}
