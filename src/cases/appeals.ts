/**
 * Appeals (ITU-T Q.5051 §8.5; landscape.md §7: false blocks and slow unblocking are what people
 * complain about most). Anyone whose device is blocked or tracked can appeal: a good-faith buyer, the
 * owner of a false duplicate. Each appeal records the device's active reasons when it was filed
 * (status, reason code, source: `rule:<condition>` names the detection rule) and, once decided, the
 * outcome of each — the statistics of overturned reasons per rule come from there.
 *
 * An appeal has a deadline. Overdue, it escalates; if the policy says so, the block is suspended to
 * tracked until decided (a regulator `track` and `unblock` of the same reasons, referenced to the
 * appeal), and restored under its original sources if upheld. Every ledger change commits with the
 * appeal's own change. The appellant's contacts are sealed at rest (contacts.ts).
 */
import { sql } from 'drizzle-orm';
import { fullImei, parseEquipment, parseMsisdn } from '../identifiers/index.ts';
import type { EntryDraft } from '../ledger/entry.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { Sealer } from '../privacy/seal.ts';
import { type Executor, query } from '../store/index.ts';
import type { CaseActor, Cases } from './cases.ts';
import { CasesInputError } from './cases.ts';
import { APPELLANT_EMAIL, APPELLANT_NAME, APPELLANT_PHONE } from './contacts.ts';
import type { MessageRenderer, Outbox } from './outbox.ts';
import { newReference, normaliseReference } from './reference.ts';
import { iso } from './sql.ts';

export const APPEAL_GROUNDS = ['good-faith-buyer', 'false-duplicate', 'recovered', 'other'] as const;
export type AppealGround = (typeof APPEAL_GROUNDS)[number];
export const APPEAL_STATES = [
  'open',
  'escalated',
  'upheld',
  'overturned',
  'partly-overturned',
  'withdrawn',
] as const;
export type AppealState = (typeof APPEAL_STATES)[number];
export type ReasonOutcome = 'upheld' | 'overturned';

export interface AppealReason {
  readonly status: 'blocked' | 'tracked';
  readonly reason: string;
  readonly source: string;
  readonly reference: string | null;
  readonly outcome: ReasonOutcome | null;
}

export interface AppealRecord {
  readonly id: string;
  readonly reference: string;
  readonly deviceKey: string;
  readonly imei: string;
  readonly caseReference: string | null;
  readonly ground: AppealGround;
  readonly statement: string;
  readonly state: AppealState;
  readonly deadline: string;
  readonly suspended: boolean;
  readonly channel: string;
  readonly language: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionNote: string | null;
  readonly createdAt: string;
  readonly reasons: readonly AppealReason[];
  readonly appellantName: string | null;
  readonly appellantPhone: string | null;
  readonly appellantEmail: string | null;
}

export const APPEAL_PERSONAL_FIELDS = [
  'appellantName',
  'appellantPhone',
  'appellantEmail',
  'statement',
] as const;

export interface AppealInput {
  readonly imei: string;
  readonly ground: string;
  readonly statement: string;
  readonly appellantName?: string;
  readonly appellantPhone?: string;
  readonly appellantEmail?: string;
  readonly language?: string;
}

export interface AppealsOptions {
  readonly appealDays: number;
  readonly suspendOverdue: boolean;
  readonly render: MessageRenderer;
  readonly outbox: Outbox;
  readonly publicUrl: string;
  /** Seals the appellant's contacts at rest. */
  readonly sealer: Sealer;
}

const APPEAL_COLUMNS = sql`a.id::text as id, a.reference, a.device_key as "deviceKey", a.imei,
  (select reference from case_report c where c.id = a.case_id) as "caseReference", a.ground, a.statement, a.state,
  ${iso('a.deadline')} as deadline, a.suspended, a.channel, a.language, a.decided_by as "decidedBy",
  ${iso('a.decided_at')} as "decidedAt", a.decision_note as "decisionNote", ${iso('a.created_at')} as "createdAt",
  a.appellant_name as "appellantName", a.appellant_phone as "appellantPhone", a.appellant_email as "appellantEmail",
  coalesce((select json_agg(json_build_object('status', r.status, 'reason', r.reason, 'source', r.source,
     'reference', null, 'outcome', r.outcome) order by r.status, r.reason, r.source)
   from appeal_reason r where r.appeal_id = a.id), '[]'::json) as reasons`;

type Row = Omit<AppealRecord, 'reasons'> & { reasons: AppealReason[] | string };
const toRecord = (row: Row, sealer: Sealer): AppealRecord => ({
  ...row,
  reasons: typeof row.reasons === 'string' ? (JSON.parse(row.reasons) as AppealReason[]) : row.reasons,
  appellantName: sealer.open(APPELLANT_NAME, row.appellantName),
  appellantPhone: sealer.open(APPELLANT_PHONE, row.appellantPhone),
  appellantEmail: sealer.open(APPELLANT_EMAIL, row.appellantEmail),
});

export class Appeals {
  constructor(
    private readonly ledger: Ledger,
    private readonly cases: Cases,
    private readonly options: AppealsOptions,
  ) {}

  private get db() {
    return this.ledger.db;
  }

  private get sealer() {
    return this.options.sealer;
  }

  /** Files an appeal, or returns the open appeal for the same device. */
  async file(
    input: AppealInput,
    channel: 'portal' | 'sms' | 'staff',
  ): Promise<{ record: AppealRecord; existing: boolean }> {
    const problems: { param: string; reason: string }[] = [];
    const parsed = parseEquipment(input.imei, { source: 'person' });
    if (!parsed.ok) problems.push({ param: 'imei', reason: parsed.error.message });
    if (!(APPEAL_GROUNDS as readonly string[]).includes(input.ground))
      problems.push({ param: 'ground', reason: `is one of ${APPEAL_GROUNDS.join(', ')}` });
    const statement = (input.statement ?? '').trim();
    if (statement.length < 10)
      problems.push({ param: 'statement', reason: 'says in at least 10 characters why' });
    if (statement.length > 2000) problems.push({ param: 'statement', reason: 'at most 2000 characters' });
    let phone: string | null = null;
    if (input.appellantPhone?.trim()) {
      const p = parseMsisdn(input.appellantPhone, { source: 'person' });
      if (p.ok) phone = p.value.digits;
      else problems.push({ param: 'appellantPhone', reason: p.error.message });
    }
    const email = input.appellantEmail?.trim() || null;
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      problems.push({ param: 'appellantEmail', reason: 'is an e-mail address such as name@example.org' });
    if (!phone && !email && channel !== 'staff')
      problems.push({
        param: 'appellantPhone',
        reason: 'a phone number or an e-mail address is needed for the decision',
      });
    if (problems.length > 0 || !parsed.ok) throw new CasesInputError(problems, 'INVALID_APPEAL');
    const deviceKey = parsed.value.deviceKey;

    const [open] = await query<Row>(
      this.db,
      sql`select ${APPEAL_COLUMNS} from appeal a where a.device_key = ${deviceKey} and a.state in ('open', 'escalated')`,
    );
    if (open) return { record: toRecord(open, this.sealer), existing: true };

    const active = await query<{
      status: 'blocked' | 'tracked';
      reason: string;
      source: string;
      reference: string | null;
    }>(
      this.db,
      sql`select status, reason, source, reference from device_reason
          where device_key = ${deviceKey} and status in ('blocked', 'tracked') and (expires_at is null or expires_at > now())
          order by status, reason, source`,
    );
    if (active.length === 0) {
      throw new CasesInputError(
        [{ param: 'imei', reason: 'this device is neither blocked nor tracked: there is nothing to appeal' }],
        'NOTHING_TO_APPEAL',
      );
    }
    const caseRef =
      active
        .map((a) => a.reference)
        .find((r) => r?.startsWith('case:'))
        ?.slice(5) ?? null;
    const reference = newReference('A');
    const language = ['en', 'ar', 'zh', 'fr', 'ru', 'es'].includes(input.language ?? '')
      ? input.language!
      : 'en';
    await this.db.transaction(async (tx) => {
      const [row] = await query<{ id: string }>(
        tx,
        sql`insert into appeal (reference, device_key, imei, case_id, ground, statement, appellant_name, appellant_phone,
              appellant_email, language, channel, state, deadline)
            values (${reference}, ${deviceKey}, ${fullImei(deviceKey)}, (select id from case_report where reference = ${caseRef}),
              ${input.ground}, ${statement}, ${this.sealer.seal(APPELLANT_NAME, input.appellantName?.trim() || null)},
              ${this.sealer.seal(APPELLANT_PHONE, phone)}, ${this.sealer.seal(APPELLANT_EMAIL, email)}, ${language},
              ${channel}, 'open', now() + make_interval(days => ${this.options.appealDays}))
            returning id::text as id`,
      );
      for (const reason of active) {
        await tx.execute(sql`insert into appeal_reason (appeal_id, status, reason, source)
          values (${row!.id}::uuid, ${reason.status}, ${reason.reason}, ${reason.source}) on conflict do nothing`);
      }
      if (phone) {
        await this.options.outbox.enqueue(tx, {
          to: phone,
          text: this.options.render('appeal-received', language, {
            reference,
            days: this.options.appealDays,
            link: `${this.options.publicUrl}/appeal?reference=${reference}`,
          }),
          kind: 'appeal-received',
        });
      }
    });
    this.options.outbox.notify();
    return { record: (await this.get(reference))!, existing: false };
  }

  async get(reference: string): Promise<AppealRecord | null> {
    const normalised = normaliseReference(reference);
    if (!normalised?.startsWith('A-')) return null;
    const [row] = await query<Row>(
      this.db,
      sql`select ${APPEAL_COLUMNS} from appeal a where a.reference = ${normalised}`,
    );
    return row ? toRecord(row, this.sealer) : null;
  }

  async list(filter: { state?: AppealState | 'pending'; limit?: number } = {}): Promise<AppealRecord[]> {
    const where =
      filter.state === 'pending'
        ? sql`a.state in ('open', 'escalated')`
        : filter.state
          ? sql`a.state = ${filter.state}`
          : sql`true`;
    const rows = await query<Row>(
      this.db,
      sql`select ${APPEAL_COLUMNS} from appeal a where ${where}
          order by (a.state = 'escalated') desc, a.deadline limit ${Math.min(filter.limit ?? 100, 1000)}`,
    );
    return rows.map((row) => toRecord(row, this.sealer));
  }

  /**
   * Decides an appeal: an outcome for each reason it is about. Overturned reasons are lifted (a case's
   * reason by rejecting the case, so the case and the lists agree); upheld reasons stay, and a
   * suspension is undone.
   */
  async decide(
    reference: string,
    outcomes: Readonly<Record<string, ReasonOutcome>>,
    actor: CaseActor,
    note: string,
  ): Promise<AppealRecord> {
    const appeal = await this.get(reference);
    if (!appeal) throw new CasesInputError([{ param: 'reference', reason: 'no such appeal' }], 'NOT_FOUND');
    if (appeal.state !== 'open' && appeal.state !== 'escalated')
      throw new CasesInputError(
        [{ param: 'reference', reason: `the appeal is already ${appeal.state}` }],
        'DECIDED',
      );
    const missing = appeal.reasons.filter((r) => !outcomes[r.reason]).map((r) => r.reason);
    if (missing.length > 0)
      throw new CasesInputError([
        { param: 'outcomes', reason: `give an outcome for ${[...new Set(missing)].join(', ')}` },
      ]);
    if (!note.trim()) throw new CasesInputError([{ param: 'note', reason: 'a decision says why' }]);

    const overturned = appeal.reasons.filter((r) => outcomes[r.reason] === 'overturned');
    // A case's own reason is lifted by rejecting the case, so the case stops raising alerts too.
    const record = appeal.caseReference ? await this.cases.get(appeal.caseReference) : null;
    const liftThroughCase =
      record && ['blocked', 'tracked', 'recovered'].includes(record.state)
        ? overturned.filter((r) => r.source === record.source && r.reason === record.kind)
        : [];
    if (liftThroughCase.length > 0) {
      await this.cases.act(
        record!.reference,
        'reject',
        actor,
        `appeal ${appeal.reference} overturned: ${note}`,
      );
    }

    const drafts: EntryDraft[] = [];
    const ref = `appeal:${appeal.reference}`;
    const entry = (
      action: EntryDraft['action'],
      reason: string,
      source: string,
      key: string,
    ): EntryDraft => ({
      actor: actor.name,
      source,
      action,
      target: { kind: 'device', deviceKey: appeal.deviceKey },
      reasons: [reason],
      reference: ref,
      note,
      idempotencyKey: `${ref}:decide:${key}`,
    });
    for (const r of appeal.reasons) {
      const key = `${r.status}:${r.reason}:${r.source}`;
      if (liftThroughCase.includes(r)) {
        // The case lifts its own reason; a suspension's temporary tracking ends here.
        if (appeal.suspended && r.status === 'blocked')
          drafts.push(entry('untrack', r.reason, 'regulator', key));
        continue;
      }
      if (outcomes[r.reason] === 'overturned') {
        if (appeal.suspended && r.status === 'blocked')
          drafts.push(entry('untrack', r.reason, 'regulator', key));
        else drafts.push(entry(r.status === 'blocked' ? 'unblock' : 'untrack', r.reason, 'regulator', key));
      } else if (appeal.suspended && r.status === 'blocked') {
        drafts.push(entry('block', r.reason, r.source, `${key}:restore`));
        drafts.push(entry('untrack', r.reason, 'regulator', `${key}:end-suspension`));
      }
    }
    const states = new Set(appeal.reasons.map((r) => outcomes[r.reason]));
    const final: AppealState =
      states.size === 1 ? (states.has('upheld') ? 'upheld' : 'overturned') : 'partly-overturned';
    const write = async (tx: Executor) => {
      for (const r of appeal.reasons) {
        await tx.execute(sql`update appeal_reason set outcome = ${outcomes[r.reason]!}
          where appeal_id = ${appeal.id}::uuid and status = ${r.status} and reason = ${r.reason} and source = ${r.source}`);
      }
      await tx.execute(sql`update appeal set state = ${final}, decided_by = ${actor.name}, decided_at = now(),
          decision_note = ${note}, suspended = false, updated_at = now() where id = ${appeal.id}::uuid`);
      if (appeal.appellantPhone) {
        await this.options.outbox.enqueue(tx, {
          to: appeal.appellantPhone,
          text: this.options.render('appeal-decided', appeal.language, {
            reference: appeal.reference,
            outcome: final,
            link: `${this.options.publicUrl}/appeal?reference=${appeal.reference}`,
          }),
          kind: 'appeal-decided',
        });
      }
    };
    if (drafts.length > 0) {
      this.ledger.validate(drafts);
      await this.ledger.transaction(async (session) => {
        await session.add(drafts);
        await write(session.executor);
      });
    } else {
      await this.db.transaction(write);
    }
    this.options.outbox.notify();
    return (await this.get(appeal.reference))!;
  }

  /** Escalates overdue appeals and, if the policy says so, suspends their blocks to tracked. */
  async escalateOverdue(): Promise<number> {
    const overdue = await query<{ reference: string }>(
      this.db,
      sql`select reference from appeal where state = 'open' and deadline < now() order by deadline limit 100`,
    );
    for (const { reference } of overdue) {
      const appeal = (await this.get(reference))!;
      const ref = `appeal:${appeal.reference}`;
      const blocked = this.options.suspendOverdue ? appeal.reasons.filter((r) => r.status === 'blocked') : [];
      const drafts: EntryDraft[] = blocked.flatMap((r) => [
        {
          actor: 'appeals',
          source: 'regulator',
          action: 'track' as const,
          target: { kind: 'device' as const, deviceKey: appeal.deviceKey },
          reasons: [r.reason],
          reference: ref,
          note: 'appeal overdue: block suspended to tracked until decided',
          idempotencyKey: `${ref}:suspend:track:${r.reason}:${r.source}`,
        },
        {
          actor: 'appeals',
          source: 'regulator',
          action: 'unblock' as const,
          target: { kind: 'device' as const, deviceKey: appeal.deviceKey },
          reasons: [r.reason],
          reference: ref,
          note: 'appeal overdue: block suspended to tracked until decided',
          idempotencyKey: `${ref}:suspend:unblock:${r.reason}:${r.source}`,
        },
      ]);
      const write = (tx: Executor) =>
        tx.execute(sql`update appeal set state = 'escalated', suspended = ${drafts.length > 0}, updated_at = now()
          where id = ${appeal.id}::uuid and state = 'open'`);
      if (drafts.length > 0) {
        this.ledger.validate(drafts);
        await this.ledger.transaction(async (session) => {
          await session.add(drafts);
          await write(session.executor);
        });
      } else await this.db.transaction(write);
    }
    return overdue.length;
  }

  /** Outcomes per reason and per detection rule (source), for statistics. */
  async outcomes(): Promise<{ reason: string; source: string; upheld: number; overturned: number }[]> {
    return query(
      this.db,
      sql`select reason, source, count(*) filter (where outcome = 'upheld')::int as upheld,
            count(*) filter (where outcome = 'overturned')::int as overturned
          from appeal_reason where outcome is not null group by reason, source order by reason, source`,
    );
  }
}
