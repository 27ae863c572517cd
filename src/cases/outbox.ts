/**
 * The outbox: messages to people (one-time codes, "your phone was seen", appeal decisions) are rows
 * written in the same transaction as what caused them, so a crash never sends a code for a case that
 * was not saved, nor loses one for a case that was. A channel (SMS) takes due messages, sends them and
 * reports back; a failure is retried with growing delays, then given up and kept for the record.
 * The number a message goes to is sealed at rest and opened only to be sent (or shown to a test).
 */
import { sql } from 'drizzle-orm';
import { SealError, type Sealer } from '../privacy/seal.ts';
import { type Database, type Executor, query } from '../store/index.ts';
import { OUTBOX_TO } from './contacts.ts';

export type MessageKind =
  | 'verification'
  | 'blocked'
  | 'tracked'
  | 'seen'
  | 'recovered'
  | 'closed'
  | 'appeal-received'
  | 'appeal-decided';

/** Renders a message for a person in their language (the SMS catalogue, wired by the server). */
export type MessageRenderer = (
  kind: MessageKind,
  language: string,
  params: Readonly<Record<string, string | number>>,
) => string;

export interface QueuedMessage {
  readonly id: string;
  readonly to: string;
  readonly text: string;
}

/** Delays before the 2nd, 3rd, … attempt; after the last the message is marked failed. */
const RETRY_SECONDS = [10, 30, 60, 300, 900, 3600];

/** Rows read at a time when looking messages up by number (the number is sealed, so it is opened). */
const SCAN_BATCH = 500;

export class Outbox {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Database,
    readonly sealer: Sealer,
  ) {}

  /** Queues a message in the caller's transaction (`tx`); `to` is the plain number, sealed here. */
  async enqueue(
    tx: Executor,
    message: { to: string; text: string; kind: MessageKind; caseId?: string | null },
  ): Promise<void> {
    await tx.execute(sql`
      insert into outbox (channel, "to", text, kind, case_id)
      values ('sms', ${this.sealer.seal(OUTBOX_TO, message.to)}, ${message.text}, ${message.kind},
        ${message.caseId ?? null})`);
  }

  /** Called after a transaction that queued messages commits, so a channel sends them at once. */
  onQueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * Due messages, claimed: their next attempt moves into the future, so two senders never take the
   * same one and a sender that dies mid-way leaves them to be retried.
   */
  async take(limit: number): Promise<QueuedMessage[]> {
    const rows = await query<QueuedMessage>(
      this.db,
      sql`
      update outbox set attempts = attempts + 1,
        next_attempt_at = now() + make_interval(secs => (${sql.raw(`array[${RETRY_SECONDS.join(',')}]`)})[least(attempts + 1, ${RETRY_SECONDS.length})])
      where id in (
        select id from outbox where state = 'queued' and next_attempt_at <= now()
        order by next_attempt_at limit ${limit} for update skip locked)
      returning id::text as id, "to", text`,
    );
    const due: QueuedMessage[] = [];
    for (const row of rows) {
      try {
        due.push({ ...row, to: this.sealer.open(OUTBOX_TO, row.to) });
      } catch (error) {
        if (!(error instanceof SealError)) throw error;
        // A number that does not open (a key missing from the keyring) never will: give it up now.
        await this.db.execute(sql`update outbox set state = 'failed', last_error = ${error.message.slice(0, 500)}
          where id = ${row.id}::uuid`);
      }
    }
    return due;
  }

  /** Whether a stored number is `number`; one that does not open (a key not in the keyring) is not. */
  private opensTo(stored: string, number: string): boolean {
    try {
      return this.sealer.matches(OUTBOX_TO, stored, number);
    } catch (error) {
      if (error instanceof SealError) return false;
      throw error;
    }
  }

  async sent(id: string, providerId: string): Promise<void> {
    await this.db.execute(
      sql`update outbox set state = 'sent', sent_at = now(), provider_id = ${providerId}, last_error = null where id = ${id}::uuid`,
    );
  }

  async failed(id: string, error: string): Promise<void> {
    await this.db.execute(sql`
      update outbox set last_error = ${error.slice(0, 500)},
        state = case when attempts > ${RETRY_SECONDS.length} then 'failed' else state end
      where id = ${id}::uuid`);
  }

  /**
   * Messages to one number, newest first (the demo and tests read them). The numbers are sealed with a
   * random nonce, so this opens them newest first until `limit` match: meant for small outboxes.
   */
  async to(
    number: string,
    limit = 20,
  ): Promise<{ kind: string; text: string; state: string; createdAt: string }[]> {
    const found: { kind: string; text: string; state: string; createdAt: string }[] = [];
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const rows: { id: string; to: string; kind: string; text: string; state: string; createdAt: string }[] =
        await query(
          this.db,
          sql`select id::text as id, "to", kind, text, state, created_at::text as "createdAt" from outbox
              where ${after ? sql`(created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql`true`}
              order by created_at desc, id desc limit ${SCAN_BATCH}`,
        );
      for (const { id: _, to, ...message } of rows) {
        if (this.opensTo(to, number)) found.push(message);
        if (found.length === limit) return found;
      }
      if (rows.length < SCAN_BATCH) return found;
      const last = rows[rows.length - 1]!;
      after = { at: last.createdAt, id: last.id };
    }
  }
}
