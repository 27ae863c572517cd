/**
 * Theft and loss cases over the database: report, verify, act, read. Every state change of a case and
 * the ledger entries it causes commit in one transaction (the ledger's append transaction), with the
 * messages it sends queued in the outbox, so a crash leaves the case, the lists and the messages in
 * agreement. Rules of the life of a case are in model.ts; this file is its I/O. The reporter's contacts
 * are sealed at rest (contacts.ts): sealed on write, opened into every CaseRecord.
 */
import { sql } from 'drizzle-orm';
import { fullImei, parseEquipment, parseMsisdn } from '../identifiers/index.ts';
import type { EntryDraft } from '../ledger/entry.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { Sealer } from '../privacy/seal.ts';
import { databaseError, type Executor, query } from '../store/index.ts';
import { codeMatches, hashCode, MAX_CODE_ATTEMPTS, newCode } from './codes.ts';
import { CODE_PHONE, LAST_MSISDN, REPORTER_EMAIL, REPORTER_NAME, REPORTER_PHONE } from './contacts.ts';
import {
  type ActorKind,
  CASE_KINDS,
  CASE_MODES,
  type CaseAction,
  type CaseKind,
  type CaseMode,
  type CaseState,
  type Channel,
  caseSource,
  isOpen,
  type LedgerEffect,
  transition,
} from './model.ts';
import type { MessageKind, MessageRenderer, Outbox } from './outbox.ts';
import { newReference, normaliseReference } from './reference.ts';
import { iso } from './sql.ts';

/** A refused input: `param` names the field, `reason` the rule. */
export class CasesInputError extends Error {
  constructor(
    readonly problems: readonly { param: string; reason: string }[],
    readonly code = 'INVALID_CASE',
  ) {
    super(problems.map((p) => `${p.param}: ${p.reason}`).join('; '));
    this.name = 'CasesInputError';
  }
}

export class CaseNotFoundError extends Error {
  constructor(reference: string) {
    super(`no case ${reference}`);
    this.name = 'CaseNotFoundError';
  }
}

export interface OrganisationRef {
  readonly id: string;
  readonly kind: 'police' | 'operator' | 'regulator';
  readonly operatorId: string | null;
}

/** Who acts on a case: the owner (proved by a code), a member of staff, or the system itself. */
export interface CaseActor {
  readonly kind: ActorKind;
  /** In ledger entries and case history: a staff username, `owner`, … (never a contact: those are sealed) */
  readonly name: string;
  readonly organisation?: OrganisationRef | null;
}

export interface ReportInput {
  readonly imeis: readonly string[];
  readonly kind: string;
  readonly mode?: string;
  readonly brand?: string;
  readonly model?: string;
  readonly lastMsisdn?: string;
  readonly incidentAt?: string;
  readonly incidentPlace?: string;
  readonly region?: string;
  readonly policeReportNumber?: string;
  readonly reporterName?: string;
  readonly reporterPhone?: string;
  readonly reporterEmail?: string;
  readonly language?: string;
  readonly notifyOwner?: boolean;
}

export interface CaseDevice {
  readonly deviceKey: string;
  readonly imei: string;
}

/** A case as staff see it (personal data included: callers log the read). */
export interface CaseRecord {
  readonly id: string;
  readonly reference: string;
  readonly kind: CaseKind;
  readonly state: CaseState;
  readonly mode: CaseMode;
  readonly brand: string | null;
  readonly model: string | null;
  readonly devices: readonly CaseDevice[];
  readonly incidentAt: string | null;
  readonly incidentPlace: string | null;
  readonly region: string | null;
  readonly policeReportNumber: string | null;
  readonly policeUnit: string | null;
  readonly channel: Channel;
  readonly source: string;
  readonly enteredBy: string;
  readonly organisation: string | null;
  readonly language: string;
  readonly notifyOwner: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly reporterName: string | null;
  readonly reporterPhone: string | null;
  readonly reporterEmail: string | null;
  readonly lastMsisdn: string | null;
}

/** The personal fields of a case, named for the access log. */
export const CASE_PERSONAL_FIELDS = ['reporterName', 'reporterPhone', 'reporterEmail', 'lastMsisdn'] as const;

/** What anyone holding the reference may see: no personal data, IMEIs shortened. */
export interface PublicCaseView {
  readonly reference: string;
  readonly kind: CaseKind;
  readonly state: CaseState;
  readonly brand: string | null;
  readonly model: string | null;
  /** The last four digits of each IMEI. */
  readonly devices: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Whether a one-time code can reach the reporter (owner actions on the portal need one). */
  readonly ownerReachable: boolean;
}

export interface CaseEvent {
  readonly at: string;
  readonly actor: string;
  readonly fromState: CaseState | null;
  readonly toState: CaseState;
  readonly note: string | null;
  readonly ledgerSeqs: readonly number[];
}

export interface CaseFilter {
  readonly state?: CaseState | 'open';
  readonly policeUnit?: string;
  readonly organisation?: string;
  /** A reference, an IMEI or a police report number. */
  readonly search?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export type CodeOutcome =
  | 'verified'
  | 'wrong-code'
  | 'expired'
  | 'too-many-attempts'
  | 'unknown-case'
  | 'no-code';

export interface CasesOptions {
  readonly verificationMinutes: number;
  readonly render: MessageRenderer;
  readonly outbox: Outbox;
  /** Base URL of the portal, for links in messages. */
  readonly publicUrl: string;
  /** Seals the reporter's contacts at rest. */
  readonly sealer: Sealer;
}

const CASE_COLUMNS = sql`c.id::text as id, c.reference, c.kind, c.state, c.mode, c.brand, c.model,
  ${iso('c.incident_at')} as "incidentAt", c.incident_place as "incidentPlace", c.region,
  c.police_report_number as "policeReportNumber", c.police_unit as "policeUnit", c.channel, c.source,
  c.entered_by as "enteredBy", c.organisation, c.language, c.notify_owner as "notifyOwner",
  ${iso('c.created_at')} as "createdAt", ${iso('c.updated_at')} as "updatedAt",
  c.reporter_name as "reporterName", c.reporter_phone as "reporterPhone", c.reporter_email as "reporterEmail",
  c.last_msisdn as "lastMsisdn",
  coalesce((select json_agg(json_build_object('deviceKey', d.device_key, 'imei', d.imei) order by d.imei)
            from case_device d where d.case_id = c.id), '[]'::json) as devices`;

type CaseRow = Omit<CaseRecord, 'devices'> & { devices: CaseDevice[] | string };

function toRecord(row: CaseRow, sealer: Sealer): CaseRecord {
  const devices = typeof row.devices === 'string' ? (JSON.parse(row.devices) as CaseDevice[]) : row.devices;
  return {
    ...row,
    devices,
    reporterName: sealer.open(REPORTER_NAME, row.reporterName),
    reporterPhone: sealer.open(REPORTER_PHONE, row.reporterPhone),
    reporterEmail: sealer.open(REPORTER_EMAIL, row.reporterEmail),
    lastMsisdn: sealer.open(LAST_MSISDN, row.lastMsisdn),
  };
}

const text = (
  value: string | undefined,
  param: string,
  max: number,
  problems: { param: string; reason: string }[],
) => {
  if (value === undefined || value.trim() === '') return null;
  if (value.length > max) problems.push({ param, reason: `at most ${max} characters` });
  return value.trim().slice(0, max);
};

export class Cases {
  constructor(
    private readonly ledger: Ledger,
    private readonly options: CasesOptions,
  ) {}

  private get db() {
    return this.ledger.db;
  }

  private get sealer() {
    return this.options.sealer;
  }

  private record(row: CaseRow): CaseRecord {
    return toRecord(row, this.sealer);
  }

  /** Parses a report; throws CasesInputError naming every bad field. */
  parseReport(input: ReportInput, channel: Channel) {
    const problems: { param: string; reason: string }[] = [];
    const devices: CaseDevice[] = [];
    if (!Array.isArray(input.imeis) || input.imeis.length === 0) {
      problems.push({ param: 'imeis', reason: 'at least one IMEI is required' });
    } else if (input.imeis.length > 4) {
      problems.push({ param: 'imeis', reason: 'a device has at most 4 IMEIs' });
    }
    for (const [i, raw] of (input.imeis ?? []).entries()) {
      const parsed = parseEquipment(raw, { source: 'person' });
      if (!parsed.ok) {
        problems.push({ param: `imeis[${i}]`, reason: parsed.error.message });
        continue;
      }
      const value = parsed.value;
      if (devices.some((d) => d.deviceKey === value.deviceKey)) {
        problems.push({ param: `imeis[${i}]`, reason: 'the same IMEI is given twice' });
        continue;
      }
      devices.push({ deviceKey: value.deviceKey, imei: fullImei(value.deviceKey) });
    }
    const kind = input.kind as CaseKind;
    if (!CASE_KINDS.includes(kind)) problems.push({ param: 'kind', reason: 'is lost or stolen' });
    const mode = (input.mode ?? 'block') as CaseMode;
    if (!CASE_MODES.includes(mode)) problems.push({ param: 'mode', reason: 'is block or track' });
    const phone = (param: string, value: string | undefined, required: boolean) => {
      if (value === undefined || value.trim() === '') {
        if (required) problems.push({ param, reason: 'is required: the one-time code is sent to it' });
        return null;
      }
      const parsed = parseMsisdn(value, { source: 'person' });
      if (!parsed.ok) {
        problems.push({ param, reason: parsed.error.message });
        return null;
      }
      return parsed.value.digits;
    };
    const ownerEntered = channel === 'portal' || channel === 'sms';
    const reporterPhone = phone('reporterPhone', input.reporterPhone, ownerEntered);
    const lastMsisdn = phone('lastMsisdn', input.lastMsisdn, false);
    const email = text(input.reporterEmail, 'reporterEmail', 200, problems);
    if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      problems.push({ param: 'reporterEmail', reason: 'is an e-mail address such as name@example.org' });
    let incidentAt: string | null = null;
    if (input.incidentAt !== undefined && input.incidentAt.trim() !== '') {
      const time = new Date(input.incidentAt);
      if (Number.isNaN(time.getTime())) {
        problems.push({ param: 'incidentAt', reason: 'is a date and time such as 2026-11-28T21:30' });
      } else if (time.getTime() > Date.now() + 5 * 60_000) {
        problems.push({ param: 'incidentAt', reason: 'cannot be in the future' });
      } else incidentAt = time.toISOString();
    }
    const region = text(input.region, 'region', 64, problems);
    const parsed = {
      devices,
      kind,
      mode,
      brand: text(input.brand, 'brand', 100, problems),
      model: text(input.model, 'model', 100, problems),
      lastMsisdn,
      incidentAt,
      incidentPlace: text(input.incidentPlace, 'incidentPlace', 200, problems),
      region: region?.toLowerCase() ?? null,
      policeReportNumber: text(input.policeReportNumber, 'policeReportNumber', 64, problems),
      reporterName: text(input.reporterName, 'reporterName', 200, problems),
      reporterPhone,
      reporterEmail: email,
      language: ['en', 'ar', 'zh', 'fr', 'ru', 'es'].includes(input.language ?? '') ? input.language! : 'en',
      notifyOwner: input.notifyOwner === true,
    };
    if (problems.length > 0) throw new CasesInputError(problems);
    return parsed;
  }

  /**
   * Opens a case, or returns the open case that already covers one of its IMEIs. Staff-entered
   * reports are verified by whoever entered them and take effect at once; an owner's report waits
   * for the one-time code sent to the reporter's number.
   */
  async report(
    input: ReportInput,
    actor: CaseActor,
    channel: Channel,
  ): Promise<{ record: CaseRecord; existing: boolean }> {
    const report = this.parseReport(input, channel);
    const keys = report.devices.map((d) => d.deviceKey);
    const existing = await this.openCaseFor(keys);
    if (existing) return { record: existing, existing: true };

    const organisation = actor.organisation ?? null;
    const policeUnit = organisation?.kind === 'police' ? organisation.id : await this.unitFor(report.region);
    const source = caseSource(channel, organisation);
    const reference = newReference('C');
    const insert = async (tx: Executor, state: CaseState) => {
      const [row] = await query<{ id: string }>(
        tx,
        sql`insert into case_report (reference, kind, state, mode, brand, model, last_msisdn, incident_at,
          incident_place, region, police_report_number, police_unit, reporter_name, reporter_phone,
          reporter_email, language, notify_owner, channel, source, entered_by, organisation)
        values (${reference}, ${report.kind}, ${state}, ${report.mode}, ${report.brand}, ${report.model},
          ${this.sealer.seal(LAST_MSISDN, report.lastMsisdn)}, ${report.incidentAt}, ${report.incidentPlace},
          ${report.region}, ${report.policeReportNumber}, ${policeUnit},
          ${this.sealer.seal(REPORTER_NAME, report.reporterName)}, ${this.sealer.seal(REPORTER_PHONE, report.reporterPhone)},
          ${this.sealer.seal(REPORTER_EMAIL, report.reporterEmail)}, ${report.language}, ${report.notifyOwner}, ${channel}, ${source},
          ${actor.name}, ${organisation?.id ?? null})
        returning id::text as id`,
      );
      const id = row!.id;
      for (const device of report.devices) {
        await tx.execute(
          sql`insert into case_device (case_id, device_key, imei) values (${id}::uuid, ${device.deviceKey}, ${device.imei})`,
        );
      }
      await this.event(tx, id, actor.name, null, 'submitted', null, []);
      return id;
    };

    try {
      if (channel === 'portal' || channel === 'sms') {
        await this.db.transaction(async (tx) => {
          const id = await insert(tx, 'submitted');
          await this.queueCode(tx, id, reference, report.reporterPhone!, report.language);
        });
        this.options.outbox.notify();
      } else {
        const mode = report.mode;
        const step = transition('submitted', 'verify', actor.kind, mode);
        await this.ledger.transaction(async (session) => {
          const id = await insert(session.executor, 'submitted');
          const drafts = this.drafts(
            step.effects,
            report.devices,
            { reference, source, kind: report.kind },
            actor,
            0,
          );
          this.ledger.validate(drafts);
          const { entries } = await session.add(drafts);
          await this.setState(session.executor, id, step.to);
          await this.event(
            session.executor,
            id,
            actor.name,
            'submitted',
            step.to,
            'verified by the staff member who entered it',
            entries.map((e) => e.seq),
          );
          if (report.reporterPhone)
            await this.message(
              session.executor,
              id,
              report.reporterPhone,
              report.language,
              step.to,
              reference,
            );
        });
        this.options.outbox.notify();
      }
    } catch (error) {
      // Another report for the same device won the race: answer with its case.
      if (databaseError(error).code === '23505') {
        const winner = await this.openCaseFor(keys);
        if (winner) return { record: winner, existing: true };
      }
      throw error;
    }
    return { record: (await this.get(reference))!, existing: false };
  }

  /** The police unit whose regions include `region` (the case's alerts go to it). */
  private async unitFor(region: string | null): Promise<string | null> {
    if (!region) return null;
    const [row] = await query<{ id: string }>(
      this.db,
      sql`select id from organisation where kind = 'police' and ${region} = any(regions) order by id limit 1`,
    );
    return row?.id ?? null;
  }

  private drafts(
    effects: readonly LedgerEffect[],
    devices: readonly CaseDevice[],
    of: { reference: string; source: string; kind: CaseKind },
    actor: CaseActor,
    step: number,
  ): EntryDraft[] {
    return effects.flatMap((effect) =>
      devices.map((device) => ({
        actor: actor.name,
        source: of.source,
        action: effect,
        target: { kind: 'device' as const, deviceKey: device.deviceKey },
        reasons: [of.kind],
        reference: `case:${of.reference}`,
        // One key per case step, effect and device: a retried request never writes twice.
        idempotencyKey: `case:${of.reference}:${step}:${effect}:${device.deviceKey}`,
      })),
    );
  }

  private async setState(tx: Executor, id: string, state: CaseState): Promise<void> {
    await tx.execute(sql`update case_report set state = ${state}, updated_at = now() where id = ${id}::uuid`);
    if (!isOpen(state))
      await tx.execute(sql`update case_device set open = false where case_id = ${id}::uuid`);
  }

  private async event(
    tx: Executor,
    id: string,
    actor: string,
    from: CaseState | null,
    to: CaseState,
    note: string | null,
    seqs: readonly number[],
  ): Promise<void> {
    await tx.execute(sql`
      insert into case_event (case_id, actor, from_state, to_state, note, ledger_seqs)
      values (${id}::uuid, ${actor}, ${from}, ${to}, ${note}, ${sql.param(seqs.map(String))}::bigint[])`);
  }

  /** Tells the reporter what happened to their case, when the state is one people are told about. */
  private async message(
    tx: Executor,
    id: string,
    phone: string,
    language: string,
    state: CaseState,
    reference: string,
  ) {
    const kinds: Partial<Record<CaseState, MessageKind>> = {
      blocked: 'blocked',
      tracked: 'tracked',
      recovered: 'recovered',
      closed: 'closed',
    };
    const kind = kinds[state];
    if (!kind) return;
    const link = `${this.options.publicUrl}/cases/${reference}`;
    await this.options.outbox.enqueue(tx, {
      to: phone,
      text: this.options.render(kind, language, { reference, link }),
      kind,
      caseId: id,
    });
  }

  private async queueCode(tx: Executor, id: string, reference: string, phone: string, language: string) {
    const code = newCode();
    const expires = new Date(Date.now() + this.options.verificationMinutes * 60_000).toISOString();
    await tx.execute(sql`
      insert into verification_code (case_id, code_hash, phone, expires_at)
      values (${id}::uuid, ${hashCode(id, code)}, ${this.sealer.seal(CODE_PHONE, phone)}, ${expires})
      on conflict (case_id) do update set code_hash = excluded.code_hash, phone = excluded.phone,
        expires_at = excluded.expires_at, attempts = 0, created_at = now()`);
    await this.options.outbox.enqueue(tx, {
      to: phone,
      text: this.options.render('verification', language, {
        code,
        minutes: this.options.verificationMinutes,
        reference,
      }),
      kind: 'verification',
      caseId: id,
    });
  }

  /**
   * Sends a fresh one-time code to the reporter (for verification, or before an owner acts on a
   * verified case). At most one per minute per case.
   */
  async sendCode(reference: string): Promise<'sent' | 'wait' | 'no-phone'> {
    const record = await this.get(reference);
    if (!record) throw new CaseNotFoundError(reference);
    if (!record.reporterPhone) return 'no-phone';
    const [recent] = await query(
      this.db,
      sql`select 1 from verification_code where case_id = ${record.id}::uuid and created_at > now() - interval '1 minute'`,
    );
    if (recent) return 'wait';
    await this.db.transaction((tx) =>
      this.queueCode(tx, record.id, record.reference, record.reporterPhone!, record.language),
    );
    this.options.outbox.notify();
    return 'sent';
  }

  /** Checks a one-time code; a right code is used up. */
  private async useCode(
    reference: string,
    code: string,
    phone?: string,
  ): Promise<{ outcome: CodeOutcome; record?: CaseRecord }> {
    const record = await this.get(reference);
    if (!record) return { outcome: 'unknown-case' };
    if (phone !== undefined && !this.sealer.matches(REPORTER_PHONE, record.reporterPhone, phone))
      return { outcome: 'unknown-case' };
    const [row] = await query<{ codeHash: string; expired: boolean; attempts: number }>(
      this.db,
      sql`select code_hash as "codeHash", expires_at < now() as expired, attempts
          from verification_code where case_id = ${record.id}::uuid`,
    );
    if (!row) return { outcome: 'no-code' };
    if (row.attempts >= MAX_CODE_ATTEMPTS) return { outcome: 'too-many-attempts' };
    if (row.expired) return { outcome: 'expired' };
    if (!codeMatches(record.id, code, row.codeHash)) {
      await this.db.execute(
        sql`update verification_code set attempts = attempts + 1 where case_id = ${record.id}::uuid`,
      );
      return { outcome: 'wrong-code' };
    }
    await this.db.execute(sql`delete from verification_code where case_id = ${record.id}::uuid`);
    return { outcome: 'verified', record };
  }

  /** The owner verifies a report with the code sent to their number. */
  async verify(reference: string, code: string, options: { phone?: string } = {}): Promise<CodeOutcome> {
    const normalised = normaliseReference(reference);
    if (!normalised) return 'unknown-case';
    const current = await this.get(normalised);
    if (current && current.state !== 'submitted')
      return current.state === 'rejected' || current.state === 'withdrawn' ? 'unknown-case' : 'verified';
    const { outcome } = await this.useCode(normalised, code, options.phone);
    if (outcome !== 'verified') return outcome;
    await this.act(normalised, 'verify', { kind: 'owner', name: 'owner' }, 'verified by one-time code');
    return 'verified';
  }

  /** The owner acts on their case (recover, unblock, withdraw, switch mode) with a fresh one-time code. */
  async ownerAct(
    reference: string,
    code: string,
    action: CaseAction,
    note: string | null,
  ): Promise<CodeOutcome> {
    const { outcome } = await this.useCode(reference, code);
    if (outcome !== 'verified') return outcome;
    await this.act(reference, action, { kind: 'owner', name: 'owner' }, note);
    return 'verified';
  }

  /** Applies an action to a case: the state changes and the ledger entries commit together. */
  async act(
    reference: string,
    action: CaseAction,
    actor: CaseActor,
    note: string | null,
  ): Promise<CaseRecord> {
    const record = await this.get(reference);
    if (!record) throw new CaseNotFoundError(reference);
    const step = transition(record.state, action, actor.kind, record.mode);
    const apply = async (tx: Executor, seqs: (drafts: EntryDraft[]) => Promise<number[]>) => {
      const [locked] = await query<{ state: CaseState; steps: number }>(
        tx,
        sql`select state, (select count(*)::int from case_event e where e.case_id = c.id) as steps
            from case_report c where id = ${record.id}::uuid for update`,
      );
      if (!locked) throw new CaseNotFoundError(reference);
      // Someone else moved the case between our read and our lock: refuse rather than act on old facts.
      if (locked.state !== record.state)
        throw new CasesInputError(
          [{ param: 'state', reason: `the case is now ${locked.state}` }],
          'CASE_CHANGED',
        );
      const drafts = this.drafts(step.effects, record.devices, record, actor, locked.steps);
      const written = await seqs(drafts);
      await this.setState(tx, record.id, step.to);
      await this.event(tx, record.id, actor.name, record.state, step.to, note, written);
      if (record.reporterPhone)
        await this.message(tx, record.id, record.reporterPhone, record.language, step.to, record.reference);
    };
    if (step.effects.length === 0) {
      await this.db.transaction((tx) => apply(tx, async () => []));
    } else {
      await this.ledger.transaction((session) =>
        apply(session.executor, async (drafts) => {
          this.ledger.validate(drafts);
          const { entries } = await session.add(drafts);
          return entries.map((e) => e.seq);
        }),
      );
    }
    this.options.outbox.notify();
    return (await this.get(record.reference))!;
  }

  async get(reference: string): Promise<CaseRecord | null> {
    const normalised = normaliseReference(reference);
    if (!normalised) return null;
    const [row] = await query<CaseRow>(
      this.db,
      sql`select ${CASE_COLUMNS} from case_report c where c.reference = ${normalised}`,
    );
    return row ? this.record(row) : null;
  }

  /** The open case covering any of these device keys. */
  async openCaseFor(deviceKeys: readonly string[]): Promise<CaseRecord | null> {
    if (deviceKeys.length === 0) return null;
    const [row] = await query<CaseRow>(
      this.db,
      sql`select ${CASE_COLUMNS} from case_report c where c.id in (
            select case_id from case_device where open and device_key = any(${sql.param([...deviceKeys])}::text[]))
          order by c.created_at limit 1`,
    );
    return row ? this.record(row) : null;
  }

  async publicView(reference: string): Promise<PublicCaseView | null> {
    const record = await this.get(reference);
    if (!record) return null;
    return {
      reference: record.reference,
      kind: record.kind,
      state: record.state,
      brand: record.brand,
      model: record.model,
      devices: record.devices.map((d) => d.imei.slice(-4)),
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      ownerReachable: record.reporterPhone !== null,
    };
  }

  async events(reference: string): Promise<CaseEvent[]> {
    const record = await this.get(reference);
    if (!record) return [];
    const rows = await query<CaseEvent & { ledgerSeqs: (string | number)[] }>(
      this.db,
      sql`select ${iso('at')} as at, actor, from_state as "fromState", to_state as "toState", note,
            ledger_seqs as "ledgerSeqs"
          from case_event where case_id = ${record.id}::uuid order by id`,
    );
    return rows.map((r) => ({ ...r, ledgerSeqs: r.ledgerSeqs.map(Number) }));
  }

  async list(filter: CaseFilter = {}): Promise<CaseRecord[]> {
    const conditions = [sql`true`];
    if (filter.state === 'open')
      conditions.push(sql`c.state in ('submitted', 'verified', 'blocked', 'tracked', 'recovered')`);
    else if (filter.state) conditions.push(sql`c.state = ${filter.state}`);
    if (filter.policeUnit) conditions.push(sql`c.police_unit = ${filter.policeUnit}`);
    if (filter.organisation) conditions.push(sql`c.organisation = ${filter.organisation}`);
    if (filter.search) {
      const search = filter.search.trim();
      const reference = normaliseReference(search);
      const imei = parseEquipment(search, { source: 'person' });
      conditions.push(sql`(c.reference = ${reference ?? ''} or c.police_report_number = ${search}
        or c.id in (select case_id from case_device where device_key = ${imei.ok ? imei.value.deviceKey : ''}))`);
    }
    const rows = await query<CaseRow>(
      this.db,
      sql`select ${CASE_COLUMNS} from case_report c where ${sql.join(conditions, sql` and `)}
          order by c.updated_at desc limit ${Math.min(filter.limit ?? 50, 500)} offset ${filter.offset ?? 0}`,
    );
    return rows.map((row) => this.record(row));
  }

  /** Regions that a police unit covers: the choices of the report form. */
  async regions(): Promise<string[]> {
    const rows = await query<{ region: string }>(
      this.db,
      sql`select distinct unnest(regions) as region from organisation where kind = 'police' order by 1`,
    );
    return rows.map((r) => r.region);
  }
}
