/**
 * The outbox: messages to people (one-time codes, "your phone was seen", appeal decisions) are rows
 * written in the same transaction as what caused them, so a crash never sends a code for a case that
 * was not saved, nor loses one for a case that was. A channel (SMS) takes due messages, sends them and
 * reports back; a failure is retried with growing delays, then given up and kept for the record.
 */
import { sql } from 'drizzle-orm';
import { type Database, type Executor, query } from '../store/index.ts';

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

export async function enqueue(
  tx: Executor,
  message: { to: string; text: string; kind: MessageKind; caseId?: string | null },
): Promise<void> {
  await tx.execute(sql`
    insert into outbox (channel, "to", text, kind, case_id)
    values ('sms', ${message.to}, ${message.text}, ${message.kind}, ${message.caseId ?? null})`);
}

export class Outbox {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly db: Database) {}

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
    return query<QueuedMessage>(
      this.db,
      sql`
      update outbox set attempts = attempts + 1,
        next_attempt_at = now() + make_interval(secs => (${sql.raw(`array[${RETRY_SECONDS.join(',')}]`)})[least(attempts + 1, ${RETRY_SECONDS.length})])
      where id in (
        select id from outbox where state = 'queued' and next_attempt_at <= now()
        order by next_attempt_at limit ${limit} for update skip locked)
      returning id::text as id, "to", text`,
    );
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

  /** Messages to one number, newest first (the consoles and tests read them). */
  async to(
    number: string,
    limit = 20,
  ): Promise<{ kind: string; text: string; state: string; createdAt: string }[]> {
    return query(
      this.db,
      sql`select kind, text, state, created_at::text as "createdAt" from outbox where "to" = ${number}
          order by created_at desc limit ${limit}`,
    );
  }
}
