/**
 * `openceir analytics listgen`: one list generation run (dirbs-compat.md §4). Reads the open blocking
 * classifications from the registry, the reference snapshot and the triplets from the engine, computes
 * the lists (lists.ts), writes the files against the base run (files.ts), then stores the deltas against
 * the previous successful run and marks the run successful in one transaction. A run that fails stores
 * no delta, so the next run's base stays the last good one.
 *
 * Where DIRBS aggregates per-run reasons when --base is older than the previous run, OpenCEIR diffs the
 * base list against the new one directly; the removal reason is taken from the current state, which is
 * the reason of the most recent removal, as DIRBS's aggregation picks.
 */
import path from 'node:path';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { type Database, query, type Store } from '../../store/index.ts';
import type { AnalyticsConfig } from '../config.ts';
import type { AnalyticsEngine } from '../engines/engine.ts';
import { type ReferenceLists, readReferenceLists } from '../reference.ts';
import { analyticsRun, listBlacklist, listException, listNotification } from '../schema.ts';
import {
  blacklistDelta,
  type Delta,
  exceptionDelta,
  exceptionKey,
  notificationDelta,
  notificationKey,
  ON_LIST,
} from './delta.ts';
import { directoryName, listFiles, writeListFiles } from './files.ts';
import {
  type BlacklistEntry,
  type BlockingRow,
  computeLists,
  type ExceptionEntry,
  type NotificationEntry,
  pairedWith,
  type SeenTriplet,
} from './lists.ts';

export interface ListgenOptions {
  readonly store: Store;
  readonly engine: AnalyticsEngine;
  readonly config: AnalyticsConfig;
  readonly outputDir: string;
  /** YYYY-MM-DD; today (UTC) when absent. Also the analysis end date when given. */
  readonly currDate?: string;
  /** Diff the files against this successful listgen run instead of the previous one. */
  readonly baseRunId?: number;
  /** False: write the delta files only (`--no-full-lists`). */
  readonly fullLists?: boolean;
  /** The reference lists to load into the engine; read from the registry when absent. */
  readonly reference?: ReferenceLists;
  /** See PairingOptions.dirbsUnboundMsisdnQuirk. */
  readonly dirbsUnboundMsisdnQuirk?: boolean;
  /** The job's start time (the directory name); now when absent. */
  readonly now?: Date;
}

export interface ListgenResult {
  readonly runId: number;
  readonly baseRunId: number;
  readonly directory: string;
  readonly files: readonly string[];
  readonly listgenDate: string;
  readonly analysisEnd: string;
  readonly counts: Record<string, number>;
}

export class ListgenError extends Error {
  constructor(
    readonly code: 'bad-base',
    message: string,
  ) {
    super(message);
    this.name = 'ListgenError';
  }
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

export async function listgen(options: ListgenOptions): Promise<ListgenResult> {
  const { store, engine, config } = options;
  const db = store.db;
  const now = options.now ?? new Date();
  const listgenDate = options.currDate ?? now.toISOString().slice(0, 10);
  const analysisEnd = options.currDate ?? (await latestDataDate(engine)) ?? listgenDate;

  const previous = await lastSuccessfulRun(db);
  const baseRunId = options.baseRunId ?? previous;
  if (options.baseRunId !== undefined && !(await isSuccessfulRun(db, options.baseRunId)))
    throw new ListgenError('bad-base', `--base ${options.baseRunId}: not a successful listgen run`);

  const [run] = await db
    .insert(analyticsRun)
    .values({ command: 'listgen', currDate: listgenDate, analysisEnd, status: 'running' })
    .returning({ runId: analyticsRun.runId });
  const runId = run!.runId;
  try {
    await engine.loadReference(
      options.reference ?? (await readReferenceLists(db, engine.imsiSealer ?? null)),
    );
    const reasons = new Map(config.conditions.filter((c) => c.blocking).map((c) => [c.label, c.reason]));
    const blocking = await blockingRows(db, reasons);
    const texts = async (statement: string) =>
      (await engine.query(statement)).map((r) => Object.values(r)[0]!);
    const pairings = (await engine.query('select imei_norm, imsi, msisdn from ref_pairing')).map((r) => ({
      imeiNorm: r.imei_norm!,
      imsi: r.imsi!,
      msisdn: r.msisdn ?? null,
    }));
    const windowStart = addDays(analysisEnd, -config.listgen.lookbackDays);
    const pairingOptions = {
      notifyImsiChange: config.listgen.notifyImsiChange,
      dirbsUnboundMsisdnQuirk: options.dirbsUnboundMsisdnQuirk ?? false,
    };
    const candidates = [
      ...new Set(blocking.filter((b) => b.blockDate && b.blockDate > listgenDate).map((b) => b.imeiNorm)),
    ];
    const lists = computeLists({
      listgenDate,
      operators: config.region.operators,
      blocking,
      golden: new Set(await texts('select hashed_imei_norm from ref_golden')),
      pairings,
      barred: new Set(await texts('select imei_norm from ref_barred')),
      barredTacs: new Set(await texts('select tac from ref_barred_tac')),
      triplets: await tripletsIn(engine, candidates, windowStart, analysisEnd),
      windowStart,
      windowEnd: analysisEnd,
      options: { ...pairingOptions, ...config.listgen },
    });
    const blacklisted = new Set(lists.blacklist.map((b) => b.imeiNorm));
    const facts = {
      paired: pairedWith(pairings, pairingOptions),
      blacklisted,
      notifiedImeis: lists.notifiedImeis,
    };
    const deltasAgainst = async (base: number) => {
      const old = await listsAt(db, base);
      return {
        blacklist: blacklistDelta(old.blacklist, lists.blacklist),
        notification: notificationDelta(old.notifications, lists.notifications, facts),
        exception: exceptionDelta(old.exceptions, lists.exceptions),
      };
    };
    const forFiles = await deltasAgainst(baseRunId);
    const files = listFiles(
      {
        listgenDate,
        runId,
        baseRunId,
        operators: config.region.operators.map((o) => o.id),
        lists,
        blacklistDelta: forFiles.blacklist,
        notificationDelta: forFiles.notification,
        exceptionDelta: forFiles.exception,
      },
      {
        generateCheckDigit: config.listgen.generateCheckDigit,
        outputInvalidImeis: config.listgen.outputInvalidImeis,
        amnestyEnabled: config.amnesty.enabled,
        fullLists: options.fullLists ?? true,
        ...(engine.imsiSealer
          ? {
              openImsi: (stored: string) => engine.imsiSealer!.open(stored),
              openMsisdn: (stored: string) => engine.imsiSealer!.msisdn.open(stored),
            }
          : {}),
      },
    );
    const directory = path.join(options.outputDir, directoryName(now, runId));
    writeListFiles(directory, files);

    const toStore = baseRunId === previous ? forFiles : await deltasAgainst(previous);
    const counts: Record<string, number> = {
      blacklist: lists.blacklist.length,
      notifications: lists.notifications.length,
      exceptions: lists.exceptions.length,
    };
    for (const [list, deltas] of Object.entries(toStore))
      for (const d of deltas as Delta<unknown, string>[])
        counts[`${list}_${d.change}`] = (counts[`${list}_${d.change}`] ?? 0) + 1;
    await db.transaction(async (tx) => {
      await storeDeltas(tx as unknown as Database, runId, toStore);
      await tx
        .update(analyticsRun)
        .set({
          status: 'success',
          finishedAt: new Date(),
          details: { baseRunId, engine: engine.kind, counts, directory: path.basename(directory) },
        })
        .where(eq(analyticsRun.runId, runId));
    });
    return { runId, baseRunId, directory, files: [...files.keys()], listgenDate, analysisEnd, counts };
  } catch (error) {
    await db
      .update(analyticsRun)
      .set({ status: 'error', finishedAt: new Date(), details: { error: (error as Error).message } })
      .where(eq(analyticsRun.runId, runId));
    throw error;
  }
}

/** The latest operator data date: max last_seen (§3.1), or null without data. */
async function latestDataDate(engine: AnalyticsEngine): Promise<string | null> {
  const [row] = await engine.query('select cast(max(last_seen) as varchar) as d from monthly_triplet');
  return row?.d ?? null;
}

async function lastSuccessfulRun(db: Database): Promise<number> {
  const [row] = await query<{ run_id: string | null }>(
    db,
    sql`select max(run_id) as run_id from analytics_run where command = 'listgen' and status = 'success'`,
  );
  return row?.run_id == null ? -1 : Number(row.run_id);
}

async function isSuccessfulRun(db: Database, runId: number): Promise<boolean> {
  const rows = await db
    .select({ runId: analyticsRun.runId })
    .from(analyticsRun)
    .where(
      and(
        eq(analyticsRun.runId, runId),
        eq(analyticsRun.command, 'listgen'),
        eq(analyticsRun.status, 'success'),
      ),
    );
  return rows.length === 1;
}

/** Open rows of the blocking conditions in the config; rows of other conditions are ignored (§4.1). */
async function blockingRows(db: Database, reasons: ReadonlyMap<string, string>): Promise<BlockingRow[]> {
  const rows = await query<{
    imei_norm: string;
    cond_name: string;
    block_date: string | null;
    amnesty_granted: boolean;
  }>(
    db,
    sql`select imei_norm, cond_name, to_char(block_date, 'YYYY-MM-DD') as block_date, amnesty_granted
        from classification_state where end_date is null`,
  );
  return rows
    .filter((r) => reasons.has(r.cond_name))
    .map((r) => ({
      imeiNorm: r.imei_norm,
      reason: reasons.get(r.cond_name)!,
      blockDate: r.block_date,
      amnestyGranted: r.amnesty_granted,
    }));
}

/** The candidates' triplets with IMSI and MSISDN whose months touch [start, end); days are checked in lists.ts. */
async function tripletsIn(
  engine: AnalyticsEngine,
  imeis: readonly string[],
  start: string,
  end: string,
): Promise<SeenTriplet[]> {
  const triplets: SeenTriplet[] = [];
  for (let i = 0; i < imeis.length; i += 1000) {
    const chunk = imeis
      .slice(i, i + 1000)
      .map(quote)
      .join(', ');
    const rows = await engine.query(
      `select imei_norm, operator, imsi, msisdn, cast(month as varchar) as month, cast(date_bitmask as varchar) as bits
       from monthly_triplet
       where imei_norm in (${chunk}) and imsi is not null and msisdn is not null
         and last_seen >= cast(${quote(start)} as date) and first_seen < cast(${quote(end)} as date)`,
    );
    for (const r of rows)
      triplets.push({
        imeiNorm: r.imei_norm!,
        operator: r.operator!,
        imsi: r.imsi!,
        msisdn: r.msisdn!,
        month: r.month!,
        dateBitmask: Number(r.bits),
      });
  }
  return triplets;
}

const inForce = (run: number) => sql`start_run_id <= ${run} and (end_run_id is null or end_run_id > ${run})`;
const reasonIn = (reasons: readonly string[]) =>
  sql.raw(`delta_reason in (${reasons.map(quote).join(', ')})`);

/** The lists as they stood after a run (-1: empty), rebuilt from the stored deltas. */
async function listsAt(db: Database, run: number) {
  if (run < 0) return { blacklist: [], notifications: [], exceptions: [] };
  const blacklist = await query<{ imei_norm: string; block_date: string; reasons: string }>(
    db,
    sql`select imei_norm, to_char(block_date, 'YYYY-MM-DD') as block_date, reasons from list_blacklist
        where ${inForce(run)} and ${reasonIn(ON_LIST.blacklist)}`,
  );
  const notifications = await query<{
    operator: string;
    imei_norm: string;
    imsi: string;
    msisdn: string;
    block_date: string;
    reasons: string;
    amnesty_granted: boolean;
  }>(
    db,
    sql`select operator, imei_norm, imsi, msisdn, to_char(block_date, 'YYYY-MM-DD') as block_date, reasons, amnesty_granted
        from list_notification where ${inForce(run)} and ${reasonIn(ON_LIST.notification)}`,
  );
  const exceptions = await query<{
    operator: string;
    imei_norm: string;
    imsi: string;
    msisdn: string | null;
  }>(
    db,
    sql`select operator, imei_norm, imsi, msisdn from list_exception where ${inForce(run)} and ${reasonIn(ON_LIST.exception)}`,
  );
  return {
    blacklist: blacklist.map(
      (b): BlacklistEntry => ({ imeiNorm: b.imei_norm, blockDate: b.block_date, reasons: b.reasons }),
    ),
    notifications: notifications.map(
      (n): NotificationEntry => ({
        operator: n.operator,
        imeiNorm: n.imei_norm,
        imsi: n.imsi,
        msisdn: n.msisdn,
        blockDate: n.block_date,
        reasons: n.reasons,
        amnestyGranted: n.amnesty_granted,
      }),
    ),
    exceptions: exceptions.map(
      (e): ExceptionEntry => ({
        operator: e.operator,
        imeiNorm: e.imei_norm,
        imsi: e.imsi,
        msisdn: e.msisdn,
      }),
    ),
  };
}

/** Closes the superseded rows (end_run_id) and inserts the delta rows of this run. */
async function storeDeltas(
  db: Database,
  runId: number,
  deltas: {
    blacklist: readonly Delta<BlacklistEntry, string>[];
    notification: readonly Delta<NotificationEntry, string>[];
    exception: readonly Delta<ExceptionEntry, string>[];
  },
): Promise<void> {
  for (const { entry } of deltas.blacklist)
    await db
      .update(listBlacklist)
      .set({ endRunId: runId })
      .where(and(eq(listBlacklist.imeiNorm, entry.imeiNorm), isNull(listBlacklist.endRunId)));
  for (const { entry } of deltas.notification)
    await query(
      db,
      sql`update list_notification set end_run_id = ${runId} where end_run_id is null
          and operator || '|' || imei_norm || '|' || imsi || '|' || msisdn = ${notificationKey(entry)}`,
    );
  for (const { entry } of deltas.exception)
    await query(
      db,
      sql`update list_exception set end_run_id = ${runId} where end_run_id is null
          and operator || '|' || imei_norm || '|' || imsi || '|' || coalesce(msisdn, '') = ${exceptionKey(entry)}`,
    );
  const chunks = <T>(rows: T[]) =>
    Array.from({ length: Math.ceil(rows.length / 500) }, (_, i) => rows.slice(i * 500, i * 500 + 500));
  for (const rows of chunks(
    deltas.blacklist.map((d) => ({ ...d.entry, startRunId: runId, deltaReason: d.change })),
  ))
    await db.insert(listBlacklist).values(rows);
  for (const rows of chunks(
    deltas.notification.map((d) => ({ ...d.entry, startRunId: runId, deltaReason: d.change })),
  ))
    await db.insert(listNotification).values(rows);
  for (const rows of chunks(
    deltas.exception.map((d) => ({ ...d.entry, startRunId: runId, deltaReason: d.change })),
  ))
    await db.insert(listException).values(rows);
}
