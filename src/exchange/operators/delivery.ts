/**
 * Per-operator delivery state: the webhook and EIR endpoint an operator is given, what it has
 * acknowledged (pull API ack or webhook 2xx), and how far behind the ledger head it is. One row per
 * operator in `operator_delivery`; every operator organisation appears in the status even before
 * it has a row.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from '../../ledger/ledger.ts';
import { query } from '../../store/index.ts';
import { firstPending, type OperatorScope } from './changes.ts';
import { newWebhookSecret } from './signature.ts';

/** A refused input, naming the field and the rule. */
export class DeliveryInputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'DeliveryInputError';
  }
}

const OPERATOR_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function parseOperatorId(value: string, field = 'operator'): string {
  if (!OPERATOR_ID.test(value))
    throw new DeliveryInputError(
      field,
      'an operator id has 1–64 lower-case letters, digits, dots, dashes or underscores',
    );
  return value;
}

/** An http(s) URL without credentials; `field` names it in the error. */
export function parseEndpointUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DeliveryInputError(field, `${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DeliveryInputError(field, 'the URL scheme is http or https');
  if (url.username || url.password)
    throw new DeliveryInputError(field, 'the URL carries no user or password');
  return url.toString().replace(/\/$/, '');
}

export interface OperatorStatus {
  readonly operator: string;
  readonly webhookUrl: string | null;
  readonly eirUrl: string | null;
  readonly deliveredPosition: number;
  readonly acknowledgedPosition: number;
  readonly acknowledgedAt: string | null;
  /** The ledger's size now. */
  readonly head: number;
  /** Ledger entries after the acknowledged position (relevant to the operator or not). */
  readonly entriesBehind: number;
  /** Milliseconds since the first change of its feed it has not acknowledged; 0 when it holds all. */
  readonly timeBehindMs: number;
  /** Time of that first unacknowledged change. */
  readonly oldestPendingAt: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly lastAttemptAt: string | null;
  readonly nextAttemptAt: string | null;
}

type Row = Record<string, unknown>;
const iso = (value: unknown) => (value == null ? null : new Date(value as string | Date).toISOString());

export class OperatorDeliveries {
  constructor(
    private readonly ledger: Ledger,
    /** The operator's MCC+MNC prefixes (analytics configuration); empty when not configured. */
    private readonly prefixesOf: (operatorId: string) => readonly string[] = () => [],
  ) {}

  scope(operatorId: string): OperatorScope {
    return { operatorId, homePrefixes: this.prefixesOf(operatorId) };
  }

  private get db() {
    return this.ledger.db;
  }

  private async ensure(operatorId: string): Promise<void> {
    await this.db.execute(
      sql`insert into operator_delivery (operator_id) values (${operatorId}) on conflict do nothing`,
    );
  }

  /**
   * Sets the webhook and returns the new secret (shown once). Delivery resumes from where it stood,
   * or from the acknowledged position when the operator has pulled further.
   */
  async setWebhook(
    operatorId: string,
    url: string,
  ): Promise<{ operator: string; url: string; secret: string }> {
    const operator = parseOperatorId(operatorId);
    const parsed = parseEndpointUrl(url, 'url');
    const secret = newWebhookSecret();
    await this.ensure(operator);
    await this.db.execute(sql`
      update operator_delivery set webhook_url = ${parsed}, webhook_secret = ${secret}, attempts = 0,
        delivered_position = greatest(delivered_position, acknowledged_position),
        last_error = null, next_attempt_at = null, updated_at = now()
      where operator_id = ${operator}`);
    return { operator, url: parsed, secret };
  }

  /** Removes the webhook; false when there was none. */
  async removeWebhook(operatorId: string): Promise<boolean> {
    const rows = await query(
      this.db,
      sql`update operator_delivery set webhook_url = null, webhook_secret = null, next_attempt_at = null,
            attempts = 0, updated_at = now()
          where operator_id = ${parseOperatorId(operatorId)} and webhook_url is not null returning operator_id`,
    );
    return rows.length > 0;
  }

  /** Sets (or, with null, removes) the operator EIR's N5g-eir API root for the audit. */
  async setEir(operatorId: string, url: string | null): Promise<{ operator: string; url: string | null }> {
    const operator = parseOperatorId(operatorId);
    const parsed = url === null ? null : parseEndpointUrl(url, 'url');
    await this.ensure(operator);
    await this.db.execute(
      sql`update operator_delivery set eir_url = ${parsed}, updated_at = now() where operator_id = ${operator}`,
    );
    return { operator, url: parsed };
  }

  /** Records that the operator applied everything up to `position`; an older position changes nothing. */
  async acknowledge(
    operatorId: string,
    position: number,
  ): Promise<{ operator: string; acknowledgedPosition: number }> {
    const operator = parseOperatorId(operatorId);
    const size = await this.ledger.size();
    if (!Number.isSafeInteger(position) || position < 0 || position > size)
      throw new DeliveryInputError('position', `must be between 0 and the ledger size ${size}`);
    await this.ensure(operator);
    const [row] = await query(
      this.db,
      sql`update operator_delivery set
            acknowledged_at = case when acknowledged_position < ${position} then now() else acknowledged_at end,
            acknowledged_position = greatest(acknowledged_position, ${position}), updated_at = now()
          where operator_id = ${operator} returning acknowledged_position`,
    );
    return { operator, acknowledgedPosition: Number(row?.acknowledged_position ?? position) };
  }

  /** The operators: organisations of kind operator and every operator with a delivery row. */
  async operatorIds(): Promise<string[]> {
    const rows = await query(
      this.db,
      sql`select operator_id from organisation where kind = 'operator' and operator_id is not null
          union select operator_id from operator_delivery order by 1`,
    );
    return rows.map((r) => String(r.operator_id));
  }

  async row(operatorId: string): Promise<Row | null> {
    const [row] = await query(
      this.db,
      sql`select * from operator_delivery where operator_id = ${operatorId}`,
    );
    return row ?? null;
  }

  async status(now: Date = new Date()): Promise<OperatorStatus[]> {
    const head = await this.ledger.size();
    const result: OperatorStatus[] = [];
    for (const operator of await this.operatorIds()) {
      const row = await this.row(operator);
      const acknowledged = Number(row?.acknowledged_position ?? 0);
      const pending =
        acknowledged < head ? await firstPending(this.ledger, this.scope(operator), acknowledged) : null;
      result.push({
        operator,
        webhookUrl: (row?.webhook_url as string | null) ?? null,
        eirUrl: (row?.eir_url as string | null) ?? null,
        deliveredPosition: Number(row?.delivered_position ?? 0),
        acknowledgedPosition: acknowledged,
        acknowledgedAt: iso(row?.acknowledged_at),
        head,
        entriesBehind: head - acknowledged,
        timeBehindMs: pending ? Math.max(0, now.getTime() - Date.parse(pending.time)) : 0,
        oldestPendingAt: pending?.time ?? null,
        attempts: Number(row?.attempts ?? 0),
        lastError: (row?.last_error as string | null) ?? null,
        lastAttemptAt: iso(row?.last_attempt_at),
        nextAttemptAt: iso(row?.next_attempt_at),
      });
    }
    return result;
  }
}
