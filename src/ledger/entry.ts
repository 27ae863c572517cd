/**
 * A ledger entry: one change of device status, pairing or rule, with who did it (actor), on whose
 * authority (source), why (reasons) and what it belongs to (reference, list). Entries are validated
 * here once, as drafts, before they reach the database; `leafBytes` is the canonical encoding the
 * Merkle tree covers (docs/ledger.md).
 */
import { createHash } from 'node:crypto';
import { type CanonicalValue, canonicalJson } from './canonical.ts';
import { leafHash } from './merkle.ts';
import { reasonInfo } from './reasons.ts';

export const DEVICE_STATUSES = ['allowed', 'tracked', 'blocked'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export const ACTIONS = [
  'block',
  'unblock',
  'track',
  'untrack',
  'allow',
  'disallow',
  'pair',
  'unpair',
  'rule-add',
  'rule-remove',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The lists that bulk imports maintain (DIRBS list types, plus OpenCEIR's own device list). */
export const LISTS = [
  'stolen',
  'pairing',
  'registration',
  'golden',
  'barred',
  'barred-tac',
  'monitoring',
  'devices',
] as const;
export type ListName = (typeof LISTS)[number];

export type Target =
  | { readonly kind: 'device'; readonly deviceKey: string }
  | {
      readonly kind: 'pair';
      readonly deviceKey: string;
      readonly imsi: string;
      readonly msisdn: string | null;
    }
  | { readonly kind: 'tac'; readonly tac: string }
  /** Device keys from `from` to `to`, both included. */
  | { readonly kind: 'imei-range'; readonly from: string; readonly to: string }
  | { readonly kind: 'imsi-prefix'; readonly prefix: string }
  /** IMSIs of the same length from `from` to `to`, both included. */
  | { readonly kind: 'imsi-range'; readonly from: string; readonly to: string }
  /** A golden-list device, kept as MD5 of its device key (DIRBS `golden_list` compatible). */
  | { readonly kind: 'golden'; readonly hash: string };

export type RuleTarget = Exclude<Target, { kind: 'device' } | { kind: 'pair' }>;
export type RuleKind = RuleTarget['kind'];
export const RULE_KINDS: readonly RuleKind[] = ['tac', 'imei-range', 'imsi-prefix', 'imsi-range', 'golden'];

export interface EntryDraft {
  readonly actor: string;
  readonly source: string;
  readonly action: Action;
  readonly target: Target;
  /** Required for rule-add; implied by the action otherwise. */
  readonly status?: DeviceStatus | null;
  readonly reasons?: readonly string[];
  readonly note?: string | null;
  /** What the change belongs to: `case:<id>`, `run:<id>`, `import:<id>`, `court:<ref>`, … */
  readonly reference?: string | null;
  readonly list?: ListName | null;
  /** Small facts kept with the entry (a stolen list's reporting date, a registration's make and model). */
  readonly attributes?: Readonly<Record<string, string>> | null;
  /** ISO 8601 time after which the status lapses by itself. */
  readonly expiresAt?: string | null;
  readonly idempotencyKey?: string | null;
}

export interface Entry {
  readonly seq: number;
  /** ISO 8601 with milliseconds, UTC. */
  readonly time: string;
  readonly actor: string;
  readonly source: string;
  readonly action: Action;
  readonly target: Target;
  readonly status: DeviceStatus | null;
  readonly reasons: readonly string[];
  readonly note: string | null;
  readonly reference: string | null;
  readonly list: ListName | null;
  readonly attributes: Readonly<Record<string, string>> | null;
  readonly expiresAt: string | null;
}

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

const DEVICE_ACTIONS: Partial<Record<Action, DeviceStatus>> = {
  block: 'blocked',
  unblock: 'blocked',
  track: 'tracked',
  untrack: 'tracked',
  allow: 'allowed',
  disallow: 'allowed',
};

/** Actions that set a status (and need a reason), as opposed to lifting one. */
export const SETTING_ACTIONS: readonly Action[] = ['block', 'track', 'allow'];
export const LIFTING_ACTIONS: readonly Action[] = ['unblock', 'untrack', 'disallow'];

export const SOURCE_PATTERN = /^(owner|police|regulator|(operator|rule|peer):[a-z0-9][a-z0-9._-]{0,63})$/;
const REFERENCE_PATTERN = /^[a-z][a-z0-9-]{0,31}:\S{1,200}$/;
const DIGIT_PATTERNS = new Map([8, 14].map((n) => [n, new RegExp(`^[0-9]{${n}}$`)]));
/** Compiled once: validation runs for every entry of a million-row import. */
const DIGITS = (n: 8 | 14) => DIGIT_PATTERNS.get(n)!;

export function statusOfAction(action: Action): DeviceStatus | null {
  return DEVICE_ACTIONS[action] ?? null;
}

/** The stable key of a rule: one rule per target (a new rule-add on the same target replaces it). */
export function ruleKey(target: RuleTarget): string {
  switch (target.kind) {
    case 'tac':
      return `tac:${target.tac}`;
    case 'imsi-prefix':
      return `imsi-prefix:${target.prefix}`;
    case 'golden':
      return `golden:${target.hash}`;
    default:
      return `${target.kind}:${target.from}-${target.to}`;
  }
}

/** MD5 of the 14-digit device key, as DIRBS stores golden-list IMEIs. */
export function goldenHash(deviceKey: string): string {
  return createHash('md5').update(deviceKey).digest('hex');
}

function checkTarget(target: Target, errors: FieldError[]): void {
  const bad = (field: string, message: string) => errors.push({ field: `target.${field}`, message });
  switch (target.kind) {
    case 'device':
      if (!DIGITS(14).test(target.deviceKey)) bad('deviceKey', 'must be a 14-digit device key (TAC + SNR)');
      return;
    case 'pair':
      if (!DIGITS(14).test(target.deviceKey)) bad('deviceKey', 'must be a 14-digit device key (TAC + SNR)');
      if (!/^[0-9]{5,15}$/.test(target.imsi)) bad('imsi', 'must be 5 to 15 digits');
      if (target.msisdn !== null && !/^[0-9]{5,15}$/.test(target.msisdn))
        bad('msisdn', 'must be 5 to 15 digits (E.164 without +) or null');
      return;
    case 'tac':
      if (!DIGITS(8).test(target.tac)) bad('tac', 'must be 8 digits');
      return;
    case 'imei-range':
      if (!DIGITS(14).test(target.from)) bad('from', 'must be a 14-digit device key');
      if (!DIGITS(14).test(target.to)) bad('to', 'must be a 14-digit device key');
      if (target.from > target.to) bad('to', 'must not be below from');
      return;
    case 'imsi-prefix':
      if (!/^[0-9]{3,15}$/.test(target.prefix)) bad('prefix', 'must be 3 to 15 digits (at least the MCC)');
      return;
    case 'imsi-range':
      if (!/^[0-9]{5,15}$/.test(target.from)) bad('from', 'must be 5 to 15 digits');
      if (!/^[0-9]{5,15}$/.test(target.to)) bad('to', 'must be 5 to 15 digits');
      if (target.from.length !== target.to.length) bad('to', 'must have as many digits as from');
      else if (target.from > target.to) bad('to', 'must not be below from');
      return;
    case 'golden':
      if (!/^[0-9a-f]{32}$/.test(target.hash))
        bad('hash', 'must be 32 lower-case hex digits (MD5 of the device key)');
      return;
    default:
      errors.push({
        field: 'target.kind',
        message: 'must be device, pair, tac, imei-range, imsi-prefix, imsi-range or golden',
      });
  }
}

/**
 * Checks a draft against every rule of the ledger and returns all the problems at once, each naming
 * the field. `now` is the time the entry would get (expiry must lie after it).
 */
export function validateDraft(draft: EntryDraft, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const push = (field: string, message: string) => errors.push({ field, message });
  if (typeof draft.actor !== 'string' || draft.actor.trim() === '' || draft.actor.length > 200) {
    push('actor', 'must be 1 to 200 characters');
  }
  if (typeof draft.source !== 'string' || !SOURCE_PATTERN.test(draft.source)) {
    push(
      'source',
      'must be owner, police, regulator, operator:<id>, rule:<name> or peer:<id> (id: a-z 0-9 . _ -)',
    );
  }
  if (!(ACTIONS as readonly string[]).includes(draft.action)) {
    push('action', `must be one of ${ACTIONS.join(', ')}`);
    return errors;
  }
  const kind = draft.target?.kind;
  const deviceAction = DEVICE_ACTIONS[draft.action] !== undefined;
  const pairAction = draft.action === 'pair' || draft.action === 'unpair';
  const expectedKinds: readonly string[] = deviceAction ? ['device'] : pairAction ? ['pair'] : RULE_KINDS;
  if (!expectedKinds.includes(kind)) {
    push('target.kind', `${draft.action} applies to ${expectedKinds.join(' or ')} targets`);
  } else {
    checkTarget(draft.target, errors);
  }

  const reasons = draft.reasons ?? [];
  const status = draft.action === 'rule-add' ? draft.status : statusOfAction(draft.action);
  if (draft.action === 'rule-add') {
    if (!draft.status || !(DEVICE_STATUSES as readonly string[]).includes(draft.status)) {
      push('status', 'a rule needs a status: allowed, tracked or blocked');
    } else if (kind === 'golden' && draft.status !== 'allowed') {
      push('status', 'a golden-list rule is always allowed');
    }
  } else if (draft.status != null && draft.status !== status) {
    push('status', `${draft.action} implies status ${status ?? 'none'}`);
  }
  const seen = new Set<string>();
  for (const [i, reason] of reasons.entries()) {
    const info = typeof reason === 'string' ? reasonInfo(reason) : undefined;
    if (!info) push(`reasons[${i}]`, `unknown reason ${JSON.stringify(reason)}; see GET /api/v1/reasons`);
    else if (
      status &&
      (SETTING_ACTIONS.includes(draft.action) || draft.action === 'rule-add') &&
      !info.statuses.includes(status)
    ) {
      push(
        `reasons[${i}]`,
        `reason ${reason} cannot justify status ${status} (only ${info.statuses.join(', ')})`,
      );
    }
    if (seen.has(reason)) push(`reasons[${i}]`, `reason ${reason} is given twice`);
    seen.add(reason);
  }
  if ((SETTING_ACTIONS.includes(draft.action) || draft.action === 'rule-add') && reasons.length === 0) {
    push('reasons', `${draft.action} needs at least one reason`);
  }
  if ((pairAction || draft.action === 'rule-remove') && reasons.length > 0) {
    push('reasons', `${draft.action} takes no reasons`);
  }

  if (draft.note != null && (typeof draft.note !== 'string' || draft.note.length > 2000))
    push('note', 'must be at most 2000 characters');
  if (
    draft.reference != null &&
    (typeof draft.reference !== 'string' || !REFERENCE_PATTERN.test(draft.reference))
  ) {
    push('reference', 'must look like kind:id, e.g. case:2026-000123, import:4f1c…, court:HC-77/2026');
  }
  if (draft.list != null && !(LISTS as readonly string[]).includes(draft.list))
    push('list', `must be one of ${LISTS.join(', ')}`);
  if (draft.attributes != null) {
    const entries = Object.entries(draft.attributes);
    if (entries.length > 32) push('attributes', 'at most 32 attributes');
    for (const [key, value] of entries) {
      if (!/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(key))
        push(`attributes.${key}`, 'names are letters, digits and _');
      if (typeof value !== 'string' || value.length > 4096)
        push(`attributes.${key}`, 'values are text of at most 4096 characters');
    }
  }
  if (draft.expiresAt != null) {
    const expires = Date.parse(draft.expiresAt);
    if (Number.isNaN(expires) || !/^\d{4}-\d{2}-\d{2}T/.test(draft.expiresAt))
      push('expiresAt', 'must be an ISO 8601 date-time');
    else if (expires <= now.getTime()) push('expiresAt', 'must lie in the future');
    else if (
      !SETTING_ACTIONS.includes(draft.action) &&
      draft.action !== 'rule-add' &&
      draft.action !== 'pair'
    ) {
      push('expiresAt', `${draft.action} cannot expire`);
    }
  }
  if (
    draft.idempotencyKey != null &&
    (typeof draft.idempotencyKey !== 'string' ||
      draft.idempotencyKey.length === 0 ||
      draft.idempotencyKey.length > 200)
  ) {
    push('idempotencyKey', 'must be 1 to 200 characters');
  }
  return errors;
}

/** The entry a valid draft becomes at position `seq` and time `time`. */
export function entryFromDraft(draft: EntryDraft, seq: number, time: Date): Entry {
  return {
    seq,
    time: time.toISOString(),
    actor: draft.actor.trim(),
    source: draft.source,
    action: draft.action,
    target: normalizeTarget(draft.target),
    status: draft.action === 'rule-add' ? (draft.status ?? null) : statusOfAction(draft.action),
    reasons: [...(draft.reasons ?? [])],
    note: draft.note ?? null,
    reference: draft.reference ?? null,
    list: draft.list ?? null,
    attributes: draft.attributes && Object.keys(draft.attributes).length > 0 ? { ...draft.attributes } : null,
    expiresAt: draft.expiresAt ? new Date(draft.expiresAt).toISOString() : null,
  };
}

/** Only the fields of the target's kind, so that extra properties never reach the hash. */
function normalizeTarget(target: Target): Target {
  switch (target.kind) {
    case 'device':
      return { kind: 'device', deviceKey: target.deviceKey };
    case 'pair':
      return { kind: 'pair', deviceKey: target.deviceKey, imsi: target.imsi, msisdn: target.msisdn ?? null };
    case 'tac':
      return { kind: 'tac', tac: target.tac };
    case 'imsi-prefix':
      return { kind: 'imsi-prefix', prefix: target.prefix };
    case 'golden':
      return { kind: 'golden', hash: target.hash };
    default:
      return { kind: target.kind, from: target.from, to: target.to };
  }
}

/** The canonical bytes of an entry (RFC 8785 JSON of every field, version 1): what its Merkle leaf covers. */
export function leafBytes(entry: Entry): Buffer {
  const value: CanonicalValue = {
    v: 1,
    seq: entry.seq,
    time: entry.time,
    actor: entry.actor,
    source: entry.source,
    action: entry.action,
    target: entry.target as unknown as CanonicalValue,
    status: entry.status,
    reasons: [...entry.reasons],
    note: entry.note,
    reference: entry.reference,
    list: entry.list,
    attributes: entry.attributes as CanonicalValue,
    expiresAt: entry.expiresAt,
  };
  return Buffer.from(canonicalJson(value), 'utf8');
}

export function entryLeafHash(entry: Entry): Buffer {
  return leafHash(leafBytes(entry));
}

/** The device key an entry concerns, if any (device and pair targets). */
export function deviceKeyOf(target: Target): string | null {
  return target.kind === 'device' || target.kind === 'pair' ? target.deviceKey : null;
}
