/**
 * What the registry knows about one device: its active reasons, pairings, the rules that match it,
 * and its full history, now or at any past time (by folding its entries up to that time).
 */
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../store/index.ts';
import { type DeviceStatus, type Entry, goldenHash, RULE_KINDS, type RuleTarget } from './entry.ts';
import { type ActiveReason, emptyState, fold, inForce, type Pairing, type Rule } from './fold.ts';
import { ENTRY_COLUMNS, rowToEntry } from './ledger.ts';

/** Everything a decision about one device (and optionally the SIM it is used with) depends on. */
export interface DeviceFacts {
  /** Null when the identifier is not an IMEI: only IMSI rules and the malformed policy apply. */
  readonly deviceKey: string | null;
  readonly imsi: string | null;
  /** True when the identifier could not be read at all. */
  readonly malformed?: boolean;
  readonly at: string;
  readonly golden: Rule | null;
  readonly reasons: readonly ActiveReason[];
  /** The pairing of this device with this IMSI, when there is one. */
  readonly pairing: Pairing | null;
  readonly imeiRanges: readonly Rule[];
  readonly tacRule: Rule | null;
  readonly imsiRules: readonly Rule[];
}

const ms = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::bigint`);
const iso = (value: unknown) => (value == null ? null : new Date(Number(value)).toISOString());

function rowToReason(r: Record<string, unknown>): ActiveReason {
  return {
    status: r.status as DeviceStatus,
    reason: String(r.reason),
    source: String(r.source),
    since: iso(r.since_ms)!,
    expiresAt: iso(r.expires_ms),
    seq: Number(r.seq),
    reference: (r.reference as string | null) ?? null,
    list: (r.list as string | null) ?? null,
    attributes: (r.attributes as Record<string, string> | null) ?? null,
  };
}

function rowToPairing(r: Record<string, unknown>): Pairing {
  return {
    deviceKey: String(r.device_key),
    imsi: String(r.imsi),
    msisdn: (r.msisdn as string | null) ?? null,
    source: String(r.source),
    since: iso(r.since_ms)!,
    expiresAt: iso(r.expires_ms),
    seq: Number(r.seq),
    list: (r.list as string | null) ?? null,
  };
}

export function rowToRule(r: Record<string, unknown>): Rule {
  return {
    key: String(r.rule_key),
    target: r.target as RuleTarget,
    status: r.status as DeviceStatus,
    reasons: r.reasons as string[],
    source: String(r.source),
    since: iso(r.since_ms)!,
    expiresAt: iso(r.expires_ms),
    seq: Number(r.seq),
    reference: (r.reference as string | null) ?? null,
    list: (r.list as string | null) ?? null,
    note: (r.note as string | null) ?? null,
  };
}

export const RULE_COLUMNS =
  sql.raw(`rule_key, target, status, reasons, source, ${'floor(extract(epoch from since) * 1000)::bigint'} as since_ms,
  floor(extract(epoch from expires_at) * 1000)::bigint as expires_ms, seq, reference, list, note`);

/** Does a rule's target cover this device and IMSI? */
export function ruleMatches(rule: Rule, deviceKey: string | null, imsi: string | null): boolean {
  const t = rule.target;
  switch (t.kind) {
    case 'tac':
      return deviceKey?.startsWith(t.tac) === true;
    case 'imei-range':
      return deviceKey !== null && deviceKey >= t.from && deviceKey <= t.to;
    case 'golden':
      return deviceKey !== null && goldenHash(deviceKey) === t.hash;
    case 'imsi-prefix':
      return imsi?.startsWith(t.prefix) === true;
    case 'imsi-range':
      return imsi !== null && imsi.length === t.from.length && imsi >= t.from && imsi <= t.to;
  }
}

function factsFrom(
  deviceKey: string | null,
  imsi: string | null,
  at: string,
  reasons: readonly ActiveReason[],
  pairings: readonly Pairing[],
  rules: readonly Rule[],
): DeviceFacts {
  const live = rules.filter((r) => inForce(r.expiresAt, at) && ruleMatches(r, deviceKey, imsi));
  return {
    deviceKey,
    imsi,
    at,
    golden: live.find((r) => r.target.kind === 'golden') ?? null,
    reasons: reasons.filter((r) => inForce(r.expiresAt, at)),
    pairing: pairings.find((p) => p.imsi === imsi && inForce(p.expiresAt, at)) ?? null,
    imeiRanges: live.filter((r) => r.target.kind === 'imei-range'),
    tacRule: live.find((r) => r.target.kind === 'tac') ?? null,
    imsiRules: live.filter((r) => r.target.kind === 'imsi-prefix' || r.target.kind === 'imsi-range'),
  };
}

/** Candidate rules for a device and IMSI, narrowed in SQL; `ruleMatches` decides exactly. */
async function candidateRules(db: Executor, deviceKey: string | null, imsi: string | null): Promise<Rule[]> {
  const rows = await query(
    db,
    sql`select ${RULE_COLUMNS} from rule where
          (${deviceKey}::text is not null and (
             (kind = 'tac' and tac = left(${deviceKey}::text, 8))
          or (kind = 'golden' and golden_hash = ${deviceKey === null ? null : goldenHash(deviceKey)})
          or (kind = 'imei-range' and low_key <= ${deviceKey}::text and high_key >= ${deviceKey}::text)))
       or (${imsi}::text is not null and (
             (kind = 'imsi-prefix' and ${imsi}::text like prefix || '%')
          or (kind = 'imsi-range' and length(low_key) = length(${imsi}::text) and low_key <= ${imsi}::text and high_key >= ${imsi}::text)))`,
  );
  return rows.map(rowToRule);
}

export interface DeviceView {
  readonly facts: DeviceFacts;
  readonly pairings: readonly Pairing[];
  readonly history: readonly Entry[];
}

/**
 * The device now (from the current lists) or at a past time `at` (by folding its entries and every
 * rule entry recorded up to then). History lists every entry about the device, in order.
 */
export async function deviceView(
  db: Executor,
  deviceKey: string,
  imsi: string | null,
  at?: string,
): Promise<DeviceView> {
  const historyRows = await query(
    db,
    sql`select ${ENTRY_COLUMNS} from ledger_entry where device_key = ${deviceKey} order by seq`,
  );
  const history = historyRows.map(rowToEntry);
  if (at !== undefined) {
    const until = Date.parse(at);
    const ruleRows = await query(
      db,
      sql`select ${ENTRY_COLUMNS} from ledger_entry
          where device_key is null and target->>'kind' = any(${sql.param([...RULE_KINDS])}::text[]) and recorded_at <= ${at}::timestamptz
          order by seq`,
    );
    const state = fold(
      [...history.filter((e) => Date.parse(e.time) <= until), ...ruleRows.map(rowToEntry)].sort(
        (a, b) => a.seq - b.seq,
      ),
      emptyState(),
    );
    const reasons = [...(state.devices.get(deviceKey)?.values() ?? [])];
    const pairings = [...state.pairings.values()].filter((p) => p.deviceKey === deviceKey);
    return {
      facts: factsFrom(deviceKey, imsi, at, reasons, pairings, [...state.rules.values()]),
      pairings,
      history: history.filter((e) => Date.parse(e.time) <= until),
    };
  }
  const now = new Date().toISOString();
  const reasonRows = await query(
    db,
    sql`select status, reason, source, ${ms('since')} as since_ms, ${ms('expires_at')} as expires_ms, seq, reference, list, attributes
        from device_reason where device_key = ${deviceKey} order by seq`,
  );
  const pairingRows = await query(
    db,
    sql`select device_key, imsi, msisdn, source, ${ms('since')} as since_ms, ${ms('expires_at')} as expires_ms, seq, list
        from pairing where device_key = ${deviceKey} order by imsi`,
  );
  const pairings = pairingRows.map(rowToPairing).filter((p) => inForce(p.expiresAt, now));
  const rules = await candidateRules(db, deviceKey, imsi);
  return {
    facts: factsFrom(deviceKey, imsi, now, reasonRows.map(rowToReason), pairings, rules),
    pairings,
    history,
  };
}

/** Facts for an identifier that is not an IMEI: only IMSI rules can apply. */
export async function malformedFacts(db: Executor, imsi: string | null): Promise<DeviceFacts> {
  const rules = imsi === null ? [] : await candidateRules(db, null, imsi);
  return { ...factsFrom(null, imsi, new Date().toISOString(), [], [], rules), malformed: true };
}
