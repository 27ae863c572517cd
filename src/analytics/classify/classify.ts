/**
 * `openceir analytics classify`: every condition of the analytics configuration (or the ones named)
 * over the engine's operator data and the registry's reference lists, into classification_state and
 * the ledger (dirbs-compat.md §3). One run:
 *
 * 1. records itself in analytics_run (running), loads the reference lists snapshot into the engine
 *    and fixes the dates: curr_date (`--curr-date`, else today) for the state, and the analysis end
 *    (`--curr-date`, else the latest day of the latest month of data, else today) for the windows;
 * 2. per condition: runs its SQL on the engine, unions the open rows when sticky, applies the safety
 *    check (refused: nothing written, the run ends in error, the other conditions still commit), then
 *    writes the state changes and the ledger entries they cause in one transaction;
 * 3. records the outcome of each condition in the run's details.
 */
import { sql } from 'drizzle-orm';
import type { EntryDraft } from '../../ledger/entry.ts';
import type { Ledger } from '../../ledger/ledger.ts';
import { type Executor, query } from '../../store/index.ts';
import type { AnalyticsConfig, ConditionConfig } from '../config.ts';
import { evaluationContext, type IsoDate, isIsoDate, type Semantics } from '../dimensions/index.ts';
import type { AnalyticsEngine } from '../engines/engine.ts';
import { readReferenceLists } from '../reference.ts';
import { planLedger, ruleSource } from './ledger.ts';
import { ANALYSIS_END_SQL, conditionSql, NETWORK_IMEI_COUNT_SQL, regionOf } from './query.ts';
import { ledgerReasonOf } from './reasons.ts';
import { exceedsSafetyRatio, type OpenRow, planState, type StatePlan } from './state.ts';

export interface ClassifyOptions {
  readonly config: AnalyticsConfig;
  readonly engine: AnalyticsEngine;
  /** The registry's ledger; classification_state and analytics_run live in its database. */
  readonly ledger: Ledger;
  /** Labels to run (`--conditions a,b`); every configured condition when absent. */
  readonly conditions?: readonly string[];
  /** `--curr-date`: the state's date and the analysis end date. */
  readonly currDate?: IsoDate;
  /** DIRBS's safety check (`--no-safety-check` turns it off). */
  readonly safetyCheck?: boolean;
  /** Today, for tests; the UTC date otherwise. */
  readonly today?: IsoDate;
  /** The wall clock the monitoring dimension reads. */
  readonly now?: Date;
  readonly semantics?: Partial<Semantics>;
  readonly actor?: string;
}

export interface ConditionOutcome {
  readonly condition: string;
  /** IMEIs in the condition's result (with the sticky union). */
  matched: number;
  new: number;
  ended: number;
  /** Open rows whose block date, amnesty flag or evidence changed. */
  changed: number;
  blocked: number;
  unblocked: number;
  /** Due IMEIs that are not 14-digit device keys, kept out of the ledger. */
  skipped: number;
  /** The safety check's refusal, when it refused. */
  refused: string | null;
  error: string | null;
}

export interface ClassifyResult {
  readonly runId: number;
  readonly currDate: IsoDate;
  readonly analysisEnd: IsoDate;
  readonly status: 'success' | 'error';
  readonly networkImeis: number;
  readonly conditions: readonly ConditionOutcome[];
}

export class ClassifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClassifyInputError';
  }
}

const BATCH = 1000;
const p = (value: unknown) => sql.param(value);

/** The conditions to run, in configuration order; an unknown label is refused before anything runs. */
export function selectConditions(
  config: AnalyticsConfig,
  labels: readonly string[] | undefined,
): ConditionConfig[] {
  if (!labels) return [...config.conditions];
  const known = new Set(config.conditions.map((c) => c.label));
  const unknown = labels.filter((label) => !known.has(label));
  if (unknown.length > 0)
    throw new ClassifyInputError(
      `conditions: unknown ${unknown.join(', ')} (configured: ${[...known].join(', ') || 'none'})`,
    );
  return config.conditions.filter((c) => labels.includes(c.label));
}

export async function classify(options: ClassifyOptions): Promise<ClassifyResult> {
  const { config, engine, ledger } = options;
  const db = ledger.db;
  if (options.currDate !== undefined && !isIsoDate(options.currDate))
    throw new ClassifyInputError(`curr-date: a calendar date, got ${options.currDate}`);
  const conditions = selectConditions(config, options.conditions);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const currDate = options.currDate ?? today;

  await engine.loadReference(await readReferenceLists(db, engine.imsiSealer ?? null));
  const [end] = await engine.query(ANALYSIS_END_SQL);
  const analysisEnd = options.currDate ?? end?.analysis_end ?? today;
  const [count] = await engine.query(NETWORK_IMEI_COUNT_SQL);
  const networkImeis = Number(count?.total ?? 0);

  const [run] = await query<{ run_id: string | number }>(
    db,
    sql`insert into analytics_run (command, curr_date, analysis_end, status)
        values ('classify', ${currDate}::date, ${analysisEnd}::date, 'running') returning run_id`,
  );
  const runId = Number(run!.run_id);
  const context = evaluationContext({ analysisEnd, now: options.now ?? new Date(), ...options.semantics });
  const region = regionOf(config);
  const outcomes: ConditionOutcome[] = [];
  for (const condition of conditions) {
    const outcome: ConditionOutcome = {
      condition: condition.label,
      matched: 0,
      new: 0,
      ended: 0,
      changed: 0,
      blocked: 0,
      unblocked: 0,
      skipped: 0,
      refused: null,
      error: null,
    };
    outcomes.push(outcome);
    try {
      // In IMEI order (compared as text, not by an engine's collation): rows and entries come out the same.
      const rows = (await engine.query(await conditionSql(engine, condition, context, region))).sort(
        (a, b) => ((a.imei_norm ?? '') < (b.imei_norm ?? '') ? -1 : 1),
      );
      const matches = new Map<string, string>();
      for (const row of rows) {
        const imei = row.imei_norm;
        if (imei && !matches.has(imei)) matches.set(imei, row.evidence ?? '');
      }
      const plan = planState({
        condition,
        amnesty: config.amnesty,
        currDate,
        matches,
        open: await openRows(db, condition.label),
      });
      outcome.matched = plan.matched;
      if (
        options.safetyCheck !== false &&
        exceedsSafetyRatio(plan.matched, networkImeis, condition.maxAllowedMatchingRatio)
      ) {
        outcome.refused =
          `Refusing to classify using condition '${condition.label}': it matches ${plan.matched} of ` +
          `${networkImeis} network IMEIs, more than max_allowed_matching_ratio ${condition.maxAllowedMatchingRatio}`;
        continue;
      }
      const drafts = planLedger({
        label: condition.label,
        reason: ledgerReasonOf(condition),
        note: condition.reason,
        actor: options.actor ?? 'analytics classify',
        runId,
        currDate,
        open: plan.open,
        blockedNow: await blockedBy(db, ruleSource(condition.label)),
      });
      const entries = [...drafts.blocks, ...drafts.unblocks];
      await commit(ledger, entries, (tx) => writeState(tx, runId, condition.label, currDate, plan));
      Object.assign(outcome, {
        new: plan.inserts.length,
        ended: plan.ends.length,
        changed: plan.changes.length,
        blocked: drafts.blocks.length,
        unblocked: drafts.unblocks.length,
        skipped: drafts.skipped,
      });
    } catch (error) {
      outcome.error = (error as Error).message;
    }
  }
  const status = outcomes.some((o) => o.refused !== null || o.error !== null) ? 'error' : 'success';
  const details = {
    engine: engine.kind,
    safetyCheck: options.safetyCheck !== false,
    networkImeis,
    conditions: Object.fromEntries(outcomes.map(({ condition, ...rest }) => [condition, rest])),
  };
  await db.execute(
    sql`update analytics_run set status = ${status}, finished_at = now(), details = ${JSON.stringify(details)}::jsonb
        where run_id = ${runId}`,
  );
  return { runId, currDate, analysisEnd, status, networkImeis, conditions: outcomes };
}

/** The state change and its ledger entries in one transaction (the ledger's when there are entries). */
async function commit(
  ledger: Ledger,
  drafts: readonly EntryDraft[],
  write: (tx: Executor) => Promise<void>,
): Promise<void> {
  if (drafts.length === 0) {
    await ledger.db.transaction((tx) => write(tx));
    return;
  }
  ledger.validate(drafts);
  await ledger.transaction(async (session) => {
    await write(session.executor);
    for (let i = 0; i < drafts.length; i += BATCH) await session.add(drafts.slice(i, i + BATCH));
  });
}

async function openRows(db: Executor, label: string): Promise<OpenRow[]> {
  const rows = await query<Record<string, unknown>>(
    db,
    sql`select row_id, imei_norm, block_date::text as block_date, amnesty_granted, evidence
        from classification_state where cond_name = ${label} and end_date is null order by row_id`,
  );
  return rows.map((r) => ({
    rowId: Number(r.row_id),
    imeiNorm: String(r.imei_norm),
    blockDate: r.block_date === null ? null : String(r.block_date),
    amnestyGranted: r.amnesty_granted === true,
    evidence: r.evidence === null ? null : String(r.evidence),
  }));
}

async function blockedBy(db: Executor, source: string): Promise<Map<string, number>> {
  const rows = await query<{ device_key: string; seq: string | number }>(
    db,
    sql`select device_key, max(seq) as seq from device_reason where source = ${source} and status = 'blocked'
        group by device_key order by device_key`,
  );
  return new Map(rows.map((r) => [r.device_key, Number(r.seq)]));
}

async function writeState(
  tx: Executor,
  runId: number,
  label: string,
  currDate: IsoDate,
  plan: StatePlan,
): Promise<void> {
  for (let i = 0; i < plan.ends.length; i += BATCH) {
    await tx.execute(sql`update classification_state set end_date = ${currDate}::date
        where row_id = any(${p(plan.ends.slice(i, i + BATCH).map(String))}::bigint[])`);
  }
  for (let i = 0; i < plan.changes.length; i += BATCH) {
    const batch = plan.changes.slice(i, i + BATCH);
    await tx.execute(sql`update classification_state s set block_date = r.b::date, amnesty_granted = r.g::boolean,
          evidence = r.e
        from unnest(${p(batch.map((c) => String(c.rowId)))}::text[], ${p(batch.map((c) => c.blockDate))}::text[],
                    ${p(batch.map((c) => String(c.amnestyGranted)))}::text[], ${p(batch.map((c) => c.evidence))}::text[])
          as r(id, b, g, e)
        where s.row_id = r.id::bigint`);
  }
  for (let i = 0; i < plan.inserts.length; i += BATCH) {
    const batch = plan.inserts.slice(i, i + BATCH);
    await tx.execute(sql`insert into classification_state
          (run_id, imei_norm, cond_name, start_date, block_date, amnesty_granted, evidence)
        select ${runId}, r.i, ${label}, ${currDate}::date, r.b::date, r.g::boolean, r.e
        from unnest(${p(batch.map((n) => n.imeiNorm))}::text[], ${p(batch.map((n) => n.blockDate))}::text[],
                    ${p(batch.map((n) => String(n.amnestyGranted)))}::text[], ${p(batch.map((n) => n.evidence))}::text[])
          as r(i, b, g, e)`);
  }
}

export interface MatchRow {
  readonly imeiNorm: string;
  readonly startDate: IsoDate;
  readonly blockDate: IsoDate | null;
  readonly amnestyGranted: boolean;
  readonly evidence: string | null;
  readonly runId: number;
}

/** `openceir analytics matches --condition NAME`: the condition's open rows with their evidence. */
export async function openMatches(db: Executor, label: string): Promise<MatchRow[]> {
  const rows = await query<Record<string, unknown>>(
    db,
    sql`select imei_norm, start_date::text as start_date, block_date::text as block_date, amnesty_granted, evidence,
          run_id from classification_state where cond_name = ${label} and end_date is null order by imei_norm`,
  );
  return rows.map((r) => ({
    imeiNorm: String(r.imei_norm),
    startDate: String(r.start_date),
    blockDate: r.block_date === null ? null : String(r.block_date),
    amnestyGranted: r.amnesty_granted === true,
    evidence: r.evidence === null ? null : String(r.evidence),
    runId: Number(r.run_id),
  }));
}
