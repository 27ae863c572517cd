/**
 * From one of a peer's ledger entries to ours, by its trust policy. Pure: the origin slots of the
 * devices concerned (which of their statuses stand behind which of ours) come in, are updated in place,
 * and the drafts to append come out. A lift at the origin lifts ours only when no other status of
 * theirs still justifies it; entries whose origin is us (an echo through a peer that follows us) and
 * entries the policy does not name give nothing.
 */
import type { DeviceStatus, Entry, EntryDraft } from '../../ledger/entry.ts';
import { statusOf, type TrustPolicy } from './policy.ts';

export interface OriginSlot {
  readonly originStatus: DeviceStatus;
  readonly originReason: string;
  readonly status: DeviceStatus;
  readonly reason: string;
  readonly originSeq: number;
}

/** Origin slots per device key, for one peer. */
export type OriginState = Map<string, OriginSlot[]>;

export interface MappingContext {
  readonly peerId: string;
  readonly policy: TrustPolicy;
  /** The peer's signing key id: the origin of its own entries. */
  readonly peerKeyId: string;
  /** Our signing key ids (all we ever had): entries that originate with them are echoes. */
  readonly ourKeyIds: ReadonlySet<string>;
  readonly now: Date;
}

/** The registry an entry originates with: kept through every peer it passes (attribute originKey). */
export function originKeyOf(entry: Entry, peerKeyId: string): string {
  return entry.attributes?.originKey ?? peerKeyId;
}

const ACTION_OF: Record<string, { set: EntryDraft['action']; lift: EntryDraft['action'] }> = {
  blocked: { set: 'block', lift: 'unblock' },
  tracked: { set: 'track', lift: 'untrack' },
};

function draft(
  context: MappingContext,
  entry: Entry,
  status: DeviceStatus,
  kind: 'set' | 'lift',
  reasons: string[],
  deviceKey: string,
): EntryDraft {
  const expiresAt =
    kind === 'set' && entry.expiresAt && Date.parse(entry.expiresAt) > context.now.getTime()
      ? entry.expiresAt
      : null;
  return {
    actor: `peer-follower:${context.peerId}`,
    source: `peer:${context.peerId}`,
    action: ACTION_OF[status]![kind],
    target: { kind: 'device', deviceKey },
    reasons,
    reference: `peer:${context.peerId}:${entry.seq}`,
    attributes: {
      peerSeq: String(entry.seq),
      originKey: originKeyOf(entry, context.peerKeyId),
      originReasons: entry.reasons.join(','),
      originTime: entry.time,
    },
    expiresAt,
    idempotencyKey: `peer:${context.peerId}:${entry.seq}:${status}`,
  };
}

/** Groups (status, reason) pairs into one list of reasons per status, in a stable order. */
function byStatus(pairs: readonly { status: DeviceStatus; reason: string }[]): Map<DeviceStatus, string[]> {
  const grouped = new Map<DeviceStatus, string[]>();
  for (const { status, reason } of pairs) {
    const reasons = grouped.get(status) ?? [];
    if (!reasons.includes(reason)) reasons.push(reason);
    grouped.set(status, reasons);
  }
  return grouped;
}

const holds = (slots: readonly OriginSlot[], status: DeviceStatus, reason: string) =>
  slots.some((s) => s.status === status && s.reason === reason);

/** Our drafts for one of the peer's entries; `state` is updated to what holds after it. */
export function mapEntry(context: MappingContext, entry: Entry, state: OriginState): EntryDraft[] {
  if (entry.target.kind !== 'device' || entry.status === null) return [];
  if (context.ourKeyIds.has(originKeyOf(entry, context.peerKeyId))) return [];
  const deviceKey = entry.target.deviceKey;
  const slots = state.get(deviceKey) ?? [];
  const originStatus = entry.status;
  const fresh: { status: DeviceStatus; reason: string }[] = [];
  let next: OriginSlot[];

  if (entry.action === 'block' || entry.action === 'track') {
    if (entry.expiresAt && Date.parse(entry.expiresAt) <= context.now.getTime()) return [];
    next = [...slots];
    for (const theirs of entry.reasons) {
      const rule = context.policy.apply[theirs];
      if (!rule) continue;
      if (next.some((s) => s.originStatus === originStatus && s.originReason === theirs)) continue;
      const status = statusOf(rule.action);
      if (!holds(next, status, rule.reason)) fresh.push({ status, reason: rule.reason });
      next.push({ originStatus, originReason: theirs, status, reason: rule.reason, originSeq: entry.seq });
    }
    state.set(deviceKey, next);
    return [...byStatus(fresh)].map(([status, reasons]) =>
      draft(context, entry, status, 'set', reasons, deviceKey),
    );
  }

  if (entry.action === 'unblock' || entry.action === 'untrack') {
    const lifted = slots.filter(
      (s) =>
        s.originStatus === originStatus &&
        (entry.reasons.length === 0 || entry.reasons.includes(s.originReason)),
    );
    if (lifted.length === 0) return [];
    next = slots.filter((s) => !lifted.includes(s));
    const ends = lifted.filter((s) => !holds(next, s.status, s.reason));
    if (next.length === 0) state.delete(deviceKey);
    else state.set(deviceKey, next);
    return [...byStatus(ends)].map(([status, reasons]) =>
      draft(context, entry, status, 'lift', reasons, deviceKey),
    );
  }
  return [];
}
