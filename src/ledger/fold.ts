/**
 * The meaning of the ledger, as a pure fold: entries in order give the current lists. The database
 * projection (projection.ts) applies the same rules in SQL inside the append transaction; the
 * property tests check that both agree, and the status of a device at a past time is this fold over
 * its entries up to that time.
 *
 * Rules of the fold:
 * - block / track / allow add one active reason per (status, reason, source, list); repeating one
 *   keeps its `since` and refreshes expiry, reference and attributes.
 * - unblock / untrack / disallow remove the active reasons of that status whose reason is listed
 *   (all of them when none is), from the entry's own source (the regulator lifts any source's),
 *   and, when the entry names a list, only that list's. So a device blocked for `stolen` (police)
 *   and `duplicate` (rule) stays blocked when the stolen report is withdrawn, and a bulk list
 *   import never lifts what a case or an operator set.
 * - pair adds or updates an IMEI–IMSI pairing; unpair removes it.
 * - rule-add adds or replaces the rule on its target; rule-remove removes it.
 * - An active reason, pairing or rule lapses at its expiry time.
 */
import { type DeviceStatus, type Entry, type RuleTarget, ruleKey } from './entry.ts';

export interface ActiveReason {
  readonly status: DeviceStatus;
  readonly reason: string;
  readonly source: string;
  readonly since: string;
  readonly expiresAt: string | null;
  /** The last entry that set or refreshed it. */
  readonly seq: number;
  readonly reference: string | null;
  readonly list: string | null;
  readonly attributes: Readonly<Record<string, string>> | null;
}

export interface Pairing {
  readonly deviceKey: string;
  readonly imsi: string;
  readonly msisdn: string | null;
  readonly source: string;
  readonly since: string;
  readonly expiresAt: string | null;
  readonly seq: number;
  readonly list: string | null;
}

export interface Rule {
  readonly key: string;
  readonly target: RuleTarget;
  readonly status: DeviceStatus;
  readonly reasons: readonly string[];
  readonly source: string;
  readonly since: string;
  readonly expiresAt: string | null;
  readonly seq: number;
  readonly reference: string | null;
  readonly list: string | null;
  readonly note: string | null;
}

export interface RegistryState {
  /** device key → (status|reason|source → reason) */
  readonly devices: Map<string, Map<string, ActiveReason>>;
  /** device key|imsi → pairing */
  readonly pairings: Map<string, Pairing>;
  readonly rules: Map<string, Rule>;
}

export function emptyState(): RegistryState {
  return { devices: new Map(), pairings: new Map(), rules: new Map() };
}

export const reasonSlot = (status: string, reason: string, source: string, list: string | null) =>
  `${status}|${reason}|${source}|${list ?? ''}`;
export const pairingSlot = (deviceKey: string, imsi: string) => `${deviceKey}|${imsi}`;

/** Whether a lifting entry from `source` may remove a reason that `owner` set. */
export function mayLift(source: string, owner: string): boolean {
  return source === owner || source === 'regulator';
}

export function applyEntry(state: RegistryState, entry: Entry): void {
  const { target } = entry;
  switch (entry.action) {
    case 'block':
    case 'track':
    case 'allow': {
      if (target.kind !== 'device') return;
      let reasons = state.devices.get(target.deviceKey);
      if (!reasons) {
        reasons = new Map();
        state.devices.set(target.deviceKey, reasons);
      }
      for (const reason of entry.reasons) {
        const slot = reasonSlot(entry.status!, reason, entry.source, entry.list);
        const previous = reasons.get(slot);
        reasons.set(slot, {
          status: entry.status!,
          reason,
          source: entry.source,
          since: previous?.since ?? entry.time,
          expiresAt: entry.expiresAt,
          seq: entry.seq,
          reference: entry.reference,
          list: entry.list,
          attributes: entry.attributes,
        });
      }
      return;
    }
    case 'unblock':
    case 'untrack':
    case 'disallow': {
      if (target.kind !== 'device') return;
      const reasons = state.devices.get(target.deviceKey);
      if (!reasons) return;
      for (const [slot, active] of reasons) {
        const listed = entry.reasons.length === 0 || entry.reasons.includes(active.reason);
        const sameList = entry.list === null || entry.list === active.list;
        if (active.status === entry.status && listed && sameList && mayLift(entry.source, active.source)) {
          reasons.delete(slot);
        }
      }
      if (reasons.size === 0) state.devices.delete(target.deviceKey);
      return;
    }
    case 'pair': {
      if (target.kind !== 'pair') return;
      const slot = pairingSlot(target.deviceKey, target.imsi);
      const previous = state.pairings.get(slot);
      state.pairings.set(slot, {
        deviceKey: target.deviceKey,
        imsi: target.imsi,
        msisdn: target.msisdn,
        source: entry.source,
        since: previous?.since ?? entry.time,
        expiresAt: entry.expiresAt,
        seq: entry.seq,
        list: entry.list,
      });
      return;
    }
    case 'unpair':
      if (target.kind === 'pair') state.pairings.delete(pairingSlot(target.deviceKey, target.imsi));
      return;
    case 'rule-add': {
      if (target.kind === 'device' || target.kind === 'pair') return;
      const key = ruleKey(target);
      const previous = state.rules.get(key);
      state.rules.set(key, {
        key,
        target,
        status: entry.status!,
        reasons: entry.reasons,
        source: entry.source,
        since: previous && previous.status === entry.status ? previous.since : entry.time,
        expiresAt: entry.expiresAt,
        seq: entry.seq,
        reference: entry.reference,
        list: entry.list,
        note: entry.note,
      });
      return;
    }
    case 'rule-remove':
      if (target.kind !== 'device' && target.kind !== 'pair') state.rules.delete(ruleKey(target));
      return;
  }
}

export function fold(entries: Iterable<Entry>, state: RegistryState = emptyState()): RegistryState {
  for (const entry of entries) applyEntry(state, entry);
  return state;
}

/** Whether something with this expiry is still in force at `at` (ISO time). */
export function inForce(expiresAt: string | null, at: string): boolean {
  return expiresAt === null || Date.parse(expiresAt) > Date.parse(at);
}

/** The status a set of active reasons gives: blocked over tracked over allowed; null when none is in force. */
export function statusOf(reasons: Iterable<ActiveReason>, at: string): DeviceStatus | null {
  let status: DeviceStatus | null = null;
  for (const r of reasons) {
    if (!inForce(r.expiresAt, at)) continue;
    if (r.status === 'blocked') return 'blocked';
    if (r.status === 'tracked' || status === null) status = r.status;
  }
  return status;
}
