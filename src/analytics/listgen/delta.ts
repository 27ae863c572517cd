/**
 * Deltas between two versions of a list (dirbs-compat.md §4.2): what changed and why, with DIRBS's
 * change types. Pure: the old list, the new list and the facts the reasons need.
 */
import type { BlacklistEntry, ExceptionEntry, NotificationEntry } from './lists.ts';

export const BLACKLIST_CHANGES = ['blocked', 'unblocked', 'changed'] as const;
export const NOTIFICATION_CHANGES = ['new', 'resolved', 'blacklisted', 'no_longer_seen', 'changed'] as const;
export const EXCEPTION_CHANGES = ['added', 'removed'] as const;

export type BlacklistChange = (typeof BLACKLIST_CHANGES)[number];
export type NotificationChange = (typeof NOTIFICATION_CHANGES)[number];
export type ExceptionChange = (typeof EXCEPTION_CHANGES)[number];

/** Change types that put a row on the list (the others take it off). */
export const ON_LIST = {
  blacklist: ['blocked', 'changed'],
  notification: ['new', 'changed'],
  exception: ['added'],
} as const;

export type Delta<T, C extends string> = { readonly entry: T; readonly change: C };

export const notificationKey = (n: Pick<NotificationEntry, 'operator' | 'imeiNorm' | 'imsi' | 'msisdn'>) =>
  `${n.operator}|${n.imeiNorm}|${n.imsi}|${n.msisdn}`;
export const exceptionKey = (e: ExceptionEntry) => `${e.operator}|${e.imeiNorm}|${e.imsi}|${e.msisdn ?? ''}`;

/** Removed rows keep the old values; changed rows carry the new ones. */
function diff<T, C extends string>(
  before: readonly T[],
  after: readonly T[],
  key: (t: T) => string,
  same: (a: T, b: T) => boolean,
  change: { added: C; changed: C | null; removed: (old: T) => C },
): Delta<T, C>[] {
  const old = new Map(before.map((t) => [key(t), t]));
  const fresh = new Map(after.map((t) => [key(t), t]));
  const deltas: Delta<T, C>[] = [];
  for (const [k, t] of fresh) {
    const previous = old.get(k);
    if (!previous) deltas.push({ entry: t, change: change.added });
    else if (change.changed && !same(previous, t)) deltas.push({ entry: t, change: change.changed });
  }
  for (const [k, t] of old) if (!fresh.has(k)) deltas.push({ entry: t, change: change.removed(t) });
  return deltas;
}

export function blacklistDelta(before: readonly BlacklistEntry[], after: readonly BlacklistEntry[]) {
  return diff<BlacklistEntry, BlacklistChange>(
    before,
    after,
    (b) => b.imeiNorm,
    (a, b) => a.blockDate === b.blockDate && a.reasons === b.reasons,
    { added: 'blocked', changed: 'changed', removed: () => 'unblocked' },
  );
}

export interface NotificationFacts {
  /** Whether the triplet is now paired (the same rule that drops paired triplets). */
  readonly paired: (imeiNorm: string, imsi: string, msisdn: string) => boolean;
  readonly blacklisted: ReadonlySet<string>;
  /** IMEIs still in grace now, whether or not their triplets are in the lookback window. */
  readonly notifiedImeis: ReadonlySet<string>;
}

/** A triplet gone from the list is resolved (paired), blacklisted, no_longer_seen or resolved, in that order (§4.2). */
export function notificationDelta(
  before: readonly NotificationEntry[],
  after: readonly NotificationEntry[],
  facts: NotificationFacts,
) {
  return diff<NotificationEntry, NotificationChange>(
    before,
    after,
    notificationKey,
    (a, b) => a.blockDate === b.blockDate && a.reasons === b.reasons && a.amnestyGranted === b.amnestyGranted,
    {
      added: 'new',
      changed: 'changed',
      removed: (n) =>
        facts.paired(n.imeiNorm, n.imsi, n.msisdn)
          ? 'resolved'
          : facts.blacklisted.has(n.imeiNorm)
            ? 'blacklisted'
            : facts.notifiedImeis.has(n.imeiNorm)
              ? 'no_longer_seen'
              : 'resolved',
    },
  );
}

export function exceptionDelta(before: readonly ExceptionEntry[], after: readonly ExceptionEntry[]) {
  return diff<ExceptionEntry, ExceptionChange>(before, after, exceptionKey, () => true, {
    added: 'added',
    changed: null,
    removed: () => 'removed',
  });
}
