/**
 * What one classify run does to one condition's classification state, as a pure function of the
 * matches, the rows open before the run, the condition and the date (dirbs-compat.md §3.1, §3.4):
 *
 * - a new match opens a row: start_date = curr_date, block_date = curr_date + grace when blocking
 *   (null when informative);
 * - an open row that still matches keeps its block_date, which changes only when the condition flips
 *   between blocking and informative, or for amnesty;
 * - an open row that no longer matches is closed (end_date = curr_date), unless the condition is
 *   sticky: then it stays open whatever the data says.
 *
 * Amnesty: in the evaluation period (curr_date ≤ evaluation end) the rows of an eligible condition
 * are granted, with no block date; from the day after it, granted rows are blocked on the amnesty end
 * date (following the configuration if it moves), in the amnesty period and after it. A granted row
 * whose condition lost its eligibility during the evaluation period, or whose amnesty was switched
 * off, is treated as a flip to blocking: curr_date + grace.
 */
import type { AnalyticsConfig, ConditionConfig } from '../config.ts';
import { addDays, type IsoDate } from '../dimensions/model.ts';

export interface OpenRow {
  readonly rowId: number;
  readonly imeiNorm: string;
  readonly blockDate: IsoDate | null;
  readonly amnestyGranted: boolean;
  readonly evidence: string | null;
}

export interface NewRow {
  readonly imeiNorm: string;
  readonly blockDate: IsoDate | null;
  readonly amnestyGranted: boolean;
  readonly evidence: string;
}

export interface RowChange {
  readonly rowId: number;
  readonly blockDate: IsoDate | null;
  readonly amnestyGranted: boolean;
  readonly evidence: string | null;
}

export interface StatePlan {
  /** The condition's result after the sticky union: what the safety check counts. */
  readonly matched: number;
  readonly inserts: readonly NewRow[];
  /** Open rows whose block date, amnesty flag or evidence changes. */
  readonly changes: readonly RowChange[];
  /** Row ids closed today. */
  readonly ends: readonly number[];
  /** Every row open after the run, with its block date: what the ledger should reflect. */
  readonly open: readonly { imeiNorm: string; blockDate: IsoDate | null; evidence: string | null }[];
}

export type AmnestyPhase = 'off' | 'evaluation' | 'after-evaluation';

export function amnestyPhase(amnesty: AnalyticsConfig['amnesty'], currDate: IsoDate): AmnestyPhase {
  if (!amnesty.enabled || !amnesty.evaluationPeriodEndDate || !amnesty.amnestyPeriodEndDate) return 'off';
  return currDate <= amnesty.evaluationPeriodEndDate ? 'evaluation' : 'after-evaluation';
}

/** The block date and amnesty flag a row of this condition should have today. */
export function blockingOf(
  condition: ConditionConfig,
  amnesty: AnalyticsConfig['amnesty'],
  currDate: IsoDate,
  current: Pick<OpenRow, 'blockDate' | 'amnestyGranted'> | null,
): { blockDate: IsoDate | null; amnestyGranted: boolean } {
  if (!condition.blocking) return { blockDate: null, amnestyGranted: false };
  const phase = amnestyPhase(amnesty, currDate);
  if (phase === 'evaluation' && condition.amnestyEligible) return { blockDate: null, amnestyGranted: true };
  if (phase === 'after-evaluation' && current?.amnestyGranted)
    return { blockDate: amnesty.amnestyPeriodEndDate, amnestyGranted: true };
  if (current && current.blockDate !== null && !current.amnestyGranted)
    return { blockDate: current.blockDate, amnestyGranted: false };
  return { blockDate: addDays(currDate, condition.gracePeriodDays), amnestyGranted: false };
}

export function planState(input: {
  readonly condition: ConditionConfig;
  readonly amnesty: AnalyticsConfig['amnesty'];
  readonly currDate: IsoDate;
  readonly matches: ReadonlyMap<string, string>;
  readonly open: readonly OpenRow[];
}): StatePlan {
  const { condition, amnesty, currDate, matches } = input;
  const inserts: NewRow[] = [];
  const changes: RowChange[] = [];
  const ends: number[] = [];
  const open: StatePlan['open'][number][] = [];
  const openByImei = new Map(input.open.map((row) => [row.imeiNorm, row]));
  for (const row of input.open) {
    const evidence = matches.get(row.imeiNorm);
    if (evidence === undefined && !condition.sticky) {
      ends.push(row.rowId);
      continue;
    }
    const next = blockingOf(condition, amnesty, currDate, row);
    // A sticky row that no longer matches keeps the evidence of when it did.
    const nextEvidence = evidence ?? row.evidence;
    if (
      next.blockDate !== row.blockDate ||
      next.amnestyGranted !== row.amnestyGranted ||
      nextEvidence !== row.evidence
    )
      changes.push({ rowId: row.rowId, ...next, evidence: nextEvidence });
    open.push({ imeiNorm: row.imeiNorm, blockDate: next.blockDate, evidence: nextEvidence });
  }
  for (const [imeiNorm, evidence] of matches) {
    if (openByImei.has(imeiNorm)) continue;
    const next = blockingOf(condition, amnesty, currDate, null);
    inserts.push({ imeiNorm, ...next, evidence });
    open.push({ imeiNorm, blockDate: next.blockDate, evidence });
  }
  return { matched: open.length, inserts, changes, ends, open };
}

/** DIRBS's safety check: refuse a condition matching more than its ratio of every network IMEI. */
export function exceedsSafetyRatio(matched: number, networkImeis: number, ratio: number): boolean {
  return networkImeis > 0 && matched > ratio * networkImeis;
}
