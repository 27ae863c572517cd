/**
 * Retention: personal data is kept only as long as its purpose needs (GDPR Art. 5(1)(e); docs/security.md,
 * Privacy). The prune job
 *
 * - deletes sightings older than `retention.sightings_days`, except those an open alert refers to;
 * - blanks the personal fields of cases closed, withdrawn or rejected longer than
 *   `retention.closed_cases_days` ago — reporter name, phone and e-mail, last MSISDN, the IMSI, MSISDN and
 *   place of its alerts, the contacts of its decided appeals, its one-time code and its sent messages —
 *   keeping the case, its devices, events and ledger entries, and recording the prune as a case event;
 * - deletes access-log rows older than `retention.access_log_days` (the log's trigger lets only the prune
 *   delete, and only rows older than the cut-off it sets for its transaction: migration 0014).
 *
 * Work goes in batches of `batchSize`, one transaction each, so a crash loses at most the batch in flight
 * and leaves every row either pruned or untouched; `maxBatches` bounds one run.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, type Executor, query } from '../store/index.ts';

export interface RetentionPeriods {
  readonly sightingsDays: number;
  readonly closedCasesDays: number;
  readonly accessLogDays: number;
}

export interface PruneOptions {
  /** Count what would go, change nothing. */
  readonly dryRun?: boolean;
  readonly now?: Date;
  /** Rows per transaction (default 1,000). */
  readonly batchSize?: number;
  /** Transactions per kind in one run (default 1,000); the next run goes on where this one stopped. */
  readonly maxBatches?: number;
}

export interface PruneReport {
  readonly dryRun: boolean;
  /** The cut-offs: data older than these was (or would be) pruned. */
  readonly before: { readonly sightings: string; readonly closedCases: string; readonly accessLog: string };
  readonly sightingsDeleted: number;
  readonly casesBlanked: number;
  readonly accessLogDeleted: number;
  /** True when `maxBatches` stopped a kind before it was done. */
  readonly incomplete: boolean;
}

/** What the prune event on a case says. */
export const PRUNE_NOTE = 'personal data removed: retention period after the case ended';
export const PRUNE_ACTOR = 'retention';
const ENDED = sql`('closed', 'withdrawn', 'rejected')`;

const DAY_MS = 86_400_000;

function cutoff(now: Date, days: number, field: string): Date {
  if (!Number.isSafeInteger(days) || days < 1)
    throw new RangeError(`${field} must be a whole number of days, 1 or more (got ${days})`);
  return new Date(now.getTime() - days * DAY_MS);
}

const oldSightings = (before: Date) => sql`
  s.time < ${before.toISOString()}::timestamptz
  and not exists (select 1 from alert a where a.state <> 'closed' and a.last_sighting_id = s.id)`;

/** Ended cases past the period that still hold something prune removes (so a pruned case is not picked again). */
const casesToBlank = (before: Date) => sql`
  c.state in ${ENDED} and c.updated_at < ${before.toISOString()}::timestamptz and (
    c.reporter_name is not null or c.reporter_phone is not null or c.reporter_email is not null
    or c.last_msisdn is not null
    or exists (select 1 from alert a where a.case_id = c.id
      and (a.imsi is not null or a.msisdn is not null or a.location is not null or a.sim_key not like 'pruned:%'))
    or exists (select 1 from appeal p where p.case_id = c.id and p.state not in ('open', 'escalated')
      and (p.appellant_name is not null or p.appellant_phone is not null or p.appellant_email is not null))
    or exists (select 1 from verification_code v where v.case_id = c.id)
    or exists (select 1 from outbox o where o.case_id = c.id and o.state <> 'queued'))`;

const oldAccessLog = (before: Date) => sql`l.at < ${before.toISOString()}::timestamptz`;

async function count(db: Executor, table: SQL, where: SQL): Promise<number> {
  const [row] = await query<{ n: number }>(db, sql`select count(*)::int as n from ${table} where ${where}`);
  return row?.n ?? 0;
}

/** Runs `batch` (one transaction) until it does less than a full batch or the bound is reached. */
async function inBatches(
  db: Database,
  size: number,
  maxBatches: number,
  batch: (tx: Executor) => Promise<number>,
): Promise<{ done: number; complete: boolean }> {
  let done = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await db.transaction((tx) => batch(tx));
    done += n;
    if (n < size) return { done, complete: true };
  }
  return { done, complete: false };
}

async function blankCases(tx: Executor, before: Date, size: number): Promise<number> {
  const cases = await query<{ id: string; state: string }>(
    tx,
    sql`select c.id, c.state from case_report c where ${casesToBlank(before)}
        order by c.updated_at limit ${size} for update`,
  );
  if (cases.length === 0) return 0;
  const ids = sql`(${sql.join(
    cases.map((c) => sql`${c.id}::uuid`),
    sql`, `,
  )})`;
  await tx.execute(sql`update case_report set reporter_name = null, reporter_phone = null,
    reporter_email = null, last_msisdn = null where id in ${ids}`);
  await tx.execute(sql`update alert set imsi = null, msisdn = null, location = null,
    sim_key = 'pruned:' || id::text where case_id in ${ids}`);
  await tx.execute(sql`update appeal set appellant_name = null, appellant_phone = null, appellant_email = null
    where case_id in ${ids} and state not in ('open', 'escalated')`);
  await tx.execute(sql`delete from verification_code where case_id in ${ids}`);
  await tx.execute(sql`delete from outbox where case_id in ${ids} and state <> 'queued'`);
  for (const c of cases)
    await tx.execute(sql`insert into case_event (case_id, actor, from_state, to_state, note)
      values (${c.id}::uuid, ${PRUNE_ACTOR}, ${c.state}, ${c.state}, ${PRUNE_NOTE})`);
  return cases.length;
}

export async function prune(
  db: Database,
  periods: RetentionPeriods,
  options: PruneOptions = {},
): Promise<PruneReport> {
  const now = options.now ?? new Date();
  const size = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 1000;
  if (!Number.isSafeInteger(size) || size < 1)
    throw new RangeError('batchSize must be a whole number, 1 or more');
  if (!Number.isSafeInteger(maxBatches) || maxBatches < 1)
    throw new RangeError('maxBatches must be a whole number, 1 or more');
  const sightingsBefore = cutoff(now, periods.sightingsDays, 'retention.sightings_days');
  const casesBefore = cutoff(now, periods.closedCasesDays, 'retention.closed_cases_days');
  const logBefore = cutoff(now, periods.accessLogDays, 'retention.access_log_days');
  const before = {
    sightings: sightingsBefore.toISOString(),
    closedCases: casesBefore.toISOString(),
    accessLog: logBefore.toISOString(),
  };

  if (options.dryRun) {
    return {
      dryRun: true,
      before,
      sightingsDeleted: await count(db, sql`sighting s`, oldSightings(sightingsBefore)),
      casesBlanked: await count(db, sql`case_report c`, casesToBlank(casesBefore)),
      accessLogDeleted: await count(db, sql`access_log l`, oldAccessLog(logBefore)),
      incomplete: false,
    };
  }

  const sightings = await inBatches(db, size, maxBatches, async (tx) => {
    const gone = await query<{ id: string }>(
      tx,
      sql`delete from sighting where id in (
        select s.id from sighting s where ${oldSightings(sightingsBefore)} order by s.time limit ${size})
        returning id`,
    );
    return gone.length;
  });
  const cases = await inBatches(db, size, maxBatches, (tx) => blankCases(tx, casesBefore, size));
  const accessLog = await inBatches(db, size, maxBatches, async (tx) => {
    await tx.execute(sql`select set_config('openceir.access_log_before', ${before.accessLog}, true)`);
    const gone = await query<{ id: number }>(
      tx,
      sql`delete from access_log where id in (
        select l.id from access_log l where ${oldAccessLog(logBefore)} order by l.id limit ${size})
        returning id`,
    );
    return gone.length;
  });
  return {
    dryRun: false,
    before,
    sightingsDeleted: sightings.done,
    casesBlanked: cases.done,
    accessLogDeleted: accessLog.done,
    incomplete: !(sightings.complete && cases.complete && accessLog.complete),
  };
}
