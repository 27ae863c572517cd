/**
 * Blocking classifications as ledger entries. The ledger reflects the condition's open rows whose
 * block date has come (block_date ≤ curr_date): each such device holds one `block` from the source
 * `rule:<condition label>`, and a device the rule blocked that no longer has such a row gets an
 * `unblock` from the same source (the row was closed, the condition turned informative, or an
 * amnesty moved its block date). Reconciling against the ledger's current state, rather than
 * replaying the day's changes, makes a second run on the same day write nothing.
 */
import type { EntryDraft } from '../../ledger/entry.ts';
import type { IsoDate } from '../dimensions/model.ts';
import type { StatePlan } from './state.ts';

const DEVICE_KEY = /^[0-9]{14}$/;

export interface LedgerPlan {
  readonly blocks: readonly EntryDraft[];
  readonly unblocks: readonly EntryDraft[];
  /** Due rows whose imei_norm is not a 14-digit device key: they cannot enter the ledger. */
  readonly skipped: number;
}

/** `rule:<label>` in lower case (ledger/entry.ts SOURCE_PATTERN). */
export function ruleSource(label: string): string {
  return `rule:${label.toLowerCase()}`;
}

export function planLedger(input: {
  readonly label: string;
  readonly reason: string;
  readonly note: string;
  readonly actor: string;
  readonly runId: number;
  readonly currDate: IsoDate;
  readonly open: StatePlan['open'];
  /** Devices the rule blocks now (device_reason): device key → the seq of that block. */
  readonly blockedNow: ReadonlyMap<string, number>;
}): LedgerPlan {
  const source = ruleSource(input.label);
  const reference = `run:${input.runId}`;
  const due = new Map<string, IsoDate>();
  let skipped = 0;
  for (const row of input.open) {
    if (row.blockDate === null || row.blockDate > input.currDate) continue;
    if (DEVICE_KEY.test(row.imeiNorm)) due.set(row.imeiNorm, row.blockDate);
    else skipped++;
  }
  const blocks: EntryDraft[] = [];
  for (const [deviceKey, blockDate] of due) {
    if (input.blockedNow.has(deviceKey)) continue;
    blocks.push({
      actor: input.actor,
      source,
      action: 'block',
      target: { kind: 'device', deviceKey },
      reasons: [input.reason],
      note: input.note.slice(0, 2000),
      reference,
      attributes: { condition: input.label, block_date: blockDate },
      idempotencyKey: `classify:${input.label}:${deviceKey}:${blockDate}`,
    });
  }
  const unblocks: EntryDraft[] = [];
  for (const [deviceKey, seq] of input.blockedNow) {
    if (due.has(deviceKey)) continue;
    unblocks.push({
      actor: input.actor,
      source,
      action: 'unblock',
      target: { kind: 'device', deviceKey },
      note: `no longer blocked by condition ${input.label}`,
      reference,
      idempotencyKey: `classify:${input.label}:${deviceKey}:unblock:${seq}`,
    });
  }
  return { blocks, unblocks, skipped };
}
