/**
 * The three national lists one operator's EIR loads, computed from the ledger state at one position
 * (a fold, src/ledger/fold.ts), and the delta between two positions. Pure: no I/O, so the delta
 * property (full(N) + delta(N→M) = full(M)) is tested on random histories without a database.
 *
 *   blocked      imei,block_date,reasons   the DIRBS blacklist layout (dirbs-compat.md §4.2): earliest block
 *                                          date YYYYMMDD, reasons sorted and pipe-joined; golden devices left out
 *   tracked      imei,since,reasons        the same for tracked reasons
 *   exceptions   imei,imsi,msisdn          the operator's pairings (DIRBS exception list, §4.1): routed by the
 *                                          IMSI's home network, barred devices and barred TACs left out; a
 *                                          pairing with no home network goes to every operator without its MSISDN
 *
 * Every row has a key (the IMEI, or IMEI|IMSI for exceptions); rows are sorted by key in UTF-16
 * code-unit order, which for digit strings is numeric order of equal-length keys.
 */
import { goldenHash, ruleKey } from '../../ledger/entry.ts';
import { type ActiveReason, inForce, type RegistryState } from '../../ledger/fold.ts';

export const LIST_NAMES = ['blocked', 'tracked', 'exceptions'] as const;
export type ListName = (typeof LIST_NAMES)[number];

export const COLUMNS: Readonly<Record<ListName, readonly string[]>> = {
  blocked: ['imei', 'block_date', 'reasons'],
  tracked: ['imei', 'since', 'reasons'],
  exceptions: ['imei', 'imsi', 'msisdn'],
};

export const CHANGE_TYPES = ['add', 'remove', 'update'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** One row: its key and its values in column order (empty string for an absent value). */
export interface ListRow {
  readonly key: string;
  readonly values: readonly string[];
}

export interface DeltaRow extends ListRow {
  readonly change: ChangeType;
}

/**
 * Which pairings belong to the operator. `prefixes`: DIRBS routing (§4.1), the home network of an
 * IMSI is the first configured operator whose MCC+MNC begins it; a pairing goes to its home operator,
 * and to every operator when it has none. `source`: no MCC-MNC configured for this operator, so the
 * pairings it set itself (ledger source `operator:<id>`).
 */
export type ExceptionsScope =
  | {
      readonly by: 'mcc-mnc';
      /** This operator's MCC+MNC prefixes. */
      readonly prefixes: readonly string[];
      /** Every configured operator's prefixes, in configuration order (the first match is the home). */
      readonly allPrefixes: readonly { readonly operator: string; readonly prefix: string }[];
    }
  | { readonly by: 'source'; readonly source: string };

export type Lists = Readonly<Record<ListName, readonly ListRow[]>>;

const byKey = (a: ListRow, b: ListRow) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** YYYYMMDD of an ISO time, in UTC (DIRBS block dates). */
export function dayOf(iso: string): string {
  return iso.slice(0, 10).replace(/-/g, '');
}

/** Whether a golden-list rule in force covers the device (golden devices are never blocked, §4.1). */
function isGolden(state: RegistryState, deviceKey: string, asOf: string): boolean {
  const rule = state.rules.get(ruleKey({ kind: 'golden', hash: goldenHash(deviceKey) }));
  return rule !== undefined && inForce(rule.expiresAt, asOf);
}

function statusRows(state: RegistryState, status: 'blocked' | 'tracked', asOf: string): ListRow[] {
  const rows: ListRow[] = [];
  for (const [deviceKey, slots] of state.devices) {
    let since: string | null = null;
    const reasons = new Set<string>();
    for (const active of slots.values()) {
      if (active.status !== status || !inForce(active.expiresAt, asOf)) continue;
      reasons.add(active.reason);
      if (since === null || Date.parse(active.since) < Date.parse(since)) since = active.since;
    }
    if (since === null || isGolden(state, deviceKey, asOf)) continue;
    rows.push({ key: deviceKey, values: [deviceKey, dayOf(since), [...reasons].sort().join('|')] });
  }
  return rows.sort(byKey);
}

/** Barring overrides pairing (DIRBS include_barred_imeis_in_exceptions_list: false). */
function isBarred(state: RegistryState, deviceKey: string, asOf: string): boolean {
  const slots = state.devices.get(deviceKey);
  if (slots) {
    for (const active of slots.values() as Iterable<ActiveReason>) {
      if (active.status === 'blocked' && active.reason === 'barred' && inForce(active.expiresAt, asOf))
        return true;
    }
  }
  const tac = state.rules.get(ruleKey({ kind: 'tac', tac: deviceKey.slice(0, 8) }));
  if (tac === undefined) return false;
  return tac.reasons.includes('barred') && inForce(tac.expiresAt, asOf);
}

/** The home operator of an IMSI: the first configured prefix that begins it, or null. */
function homeOf(imsi: string, scope: ExceptionsScope & { by: 'mcc-mnc' }): string | null {
  for (const { operator, prefix } of scope.allPrefixes) if (imsi.startsWith(prefix)) return operator;
  return null;
}

function exceptionRows(state: RegistryState, scope: ExceptionsScope, asOf: string): ListRow[] {
  const rows: ListRow[] = [];
  const own =
    scope.by === 'mcc-mnc'
      ? new Set(scope.allPrefixes.filter((p) => scope.prefixes.includes(p.prefix)).map((p) => p.operator))
      : null;
  for (const pairing of state.pairings.values()) {
    if (!inForce(pairing.expiresAt, asOf)) continue;
    let msisdn = pairing.msisdn ?? '';
    if (scope.by === 'source') {
      if (pairing.source !== scope.source) continue;
    } else {
      const home = homeOf(pairing.imsi, scope);
      if (home !== null && !own!.has(home)) continue;
      // No home network: every operator gets the pairing, for its EIR decides on IMEI and IMSI; the
      // MSISDN, a number of no operator's own subscriber, none of them needs (data minimisation).
      if (home === null) msisdn = '';
    }
    if (isBarred(state, pairing.deviceKey, asOf)) continue;
    rows.push({
      key: `${pairing.deviceKey}|${pairing.imsi}`,
      values: [pairing.deviceKey, pairing.imsi, msisdn],
    });
  }
  return rows.sort(byKey);
}

/** The three lists of one operator in the state at `asOf` (the time of the position's signed head). */
export function listsOf(state: RegistryState, scope: ExceptionsScope, asOf: string): Lists {
  return {
    blocked: statusRows(state, 'blocked', asOf),
    tracked: statusRows(state, 'tracked', asOf),
    exceptions: exceptionRows(state, scope, asOf),
  };
}

/**
 * Changes from `before` to `after`, sorted by key: `add` (key only after), `remove` (key only
 * before; the row as it was), `update` (key in both, values differ; the new row). Both inputs must
 * be sorted by key with unique keys, as listsOf gives them.
 */
export function diffRows(before: readonly ListRow[], after: readonly ListRow[]): DeltaRow[] {
  const out: DeltaRow[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const a = before[i];
    const b = after[j];
    if (b === undefined || (a !== undefined && a.key < b.key)) {
      out.push({ ...a!, change: 'remove' });
      i++;
    } else if (a === undefined || b.key < a.key) {
      out.push({ ...b, change: 'add' });
      j++;
    } else {
      if (a.values.join('\u0000') !== b.values.join('\u0000')) out.push({ ...b, change: 'update' });
      i++;
      j++;
    }
  }
  return out;
}

/**
 * Applies a delta to a full list, as an operator's EIR does: add inserts a key that must be absent,
 * update replaces a key that must be present, remove deletes a key that must be present. Throws on
 * a violation, naming the key and the rule. Used by the tests and by anyone checking a delta.
 */
export function applyDelta(full: readonly ListRow[], delta: readonly DeltaRow[]): ListRow[] {
  const rows = new Map(full.map((r) => [r.key, r]));
  for (const change of delta) {
    const present = rows.has(change.key);
    if (change.change === 'add') {
      if (present) throw new Error(`add ${change.key}: the key is already on the list`);
      rows.set(change.key, { key: change.key, values: change.values });
    } else if (change.change === 'update') {
      if (!present) throw new Error(`update ${change.key}: the key is not on the list`);
      rows.set(change.key, { key: change.key, values: change.values });
    } else {
      if (!present) throw new Error(`remove ${change.key}: the key is not on the list`);
      rows.delete(change.key);
    }
  }
  return [...rows.values()].sort(byKey);
}
