/**
 * `decide`: the answer for one device (and the SIM it is used with), with the reasons and the list
 * or rule that gave it. Pure: the facts are gathered elsewhere (the database for the registry's
 * views, the in-memory check index on the hot path).
 *
 * Precedence, first match wins:
 *   1. golden list            → allowed (never blocked)
 *   2. pairing exception      → allowed, when this IMSI is paired with this device and no active block
 *                               reason is one pairing cannot exempt (policy.pairingExemptsNot)
 *   3. device entries         → blocked over tracked over allowed
 *   4. IMEI ranges            → the narrowest matching range
 *   5. TAC rules              → the TAC's rule
 *   6. IMSI rules             → the longest prefix or narrowest range matching the SIM
 *   7. policy default         → policy.unlisted (permissive: allowed; restrictive: blocked)
 * An identifier that is not an IMEI skips 1–5 (a MAC or EUI-64 PEI then ends in 7); one that cannot be
 * read at all ends in policy.malformed instead of 7.
 */
import type { DeviceStatus, RuleTarget } from '../ledger/entry.ts';
import type { Answer, Policy } from './policy.ts';

/** The parts of an active reason a decision reads (the ledger's ActiveReason has more). */
export interface FactReason {
  readonly status: DeviceStatus;
  readonly reason: string;
  readonly source: string;
  readonly since: string;
}

export interface FactRule {
  readonly key: string;
  readonly target: RuleTarget;
  readonly status: DeviceStatus;
  readonly reasons: readonly string[];
  readonly source: string;
  readonly since: string;
}

/**
 * Everything a decision about one device (and the SIM it is used with) depends on. Gathered from the
 * database for the registry's views (ledger/devices.ts) and from the check index on the hot path.
 */
export interface CheckFacts {
  /** Null when the identifier is not an IMEI: only IMSI rules and the policy apply. */
  readonly deviceKey: string | null;
  /** True when the identifier could not be read at all: the malformed policy applies. */
  readonly malformed?: boolean;
  readonly golden: FactRule | null;
  readonly reasons: readonly FactReason[];
  /** The pairing of this device with the request's IMSI, if there is one. */
  readonly pairing: { readonly source: string; readonly since: string } | null;
  readonly imeiRanges: readonly FactRule[];
  readonly tacRule: FactRule | null;
  readonly imsiRules: readonly FactRule[];
}

export type Matched =
  | 'golden'
  | 'pairing'
  | 'device'
  | 'imei-range'
  | 'tac'
  | 'imsi'
  | 'policy'
  | 'malformed';

export interface VerdictReason {
  readonly code: string;
  readonly source: string;
  readonly since: string;
}

export interface Verdict {
  readonly status: Answer;
  readonly matched: Matched;
  readonly reasons: readonly VerdictReason[];
  /** The rule that matched, for range, TAC, IMSI and golden answers. */
  readonly rule: string | null;
}

const SEVERITY: Record<string, number> = { blocked: 3, tracked: 2, allowed: 1 };

function fromRule(rule: FactRule, matched: Matched): Verdict {
  return {
    status: rule.status,
    matched,
    reasons: rule.reasons.map((code) => ({ code, source: rule.source, since: rule.since })),
    rule: rule.key,
  };
}

/** Narrowest first, then the most severe: a specific range beats a broad one. */
function narrowest(rules: readonly FactRule[], width: (r: FactRule) => number): FactRule | undefined {
  if (rules.length <= 1) return rules[0];
  return [...rules].sort(
    (a, b) => width(a) - width(b) || (SEVERITY[b.status] ?? 0) - (SEVERITY[a.status] ?? 0),
  )[0];
}

const rangeWidth = (r: FactRule) =>
  r.target.kind === 'imei-range' || r.target.kind === 'imsi-range'
    ? Number(r.target.to) - Number(r.target.from)
    : 0;
const imsiWidth = (r: FactRule) =>
  r.target.kind === 'imsi-prefix' ? 10 ** (15 - r.target.prefix.length) : rangeWidth(r);

function blockReasons(facts: CheckFacts): string[] {
  const codes = facts.reasons.filter((r) => r.status === 'blocked').map((r) => r.reason);
  const rules = [...facts.imeiRanges, ...(facts.tacRule ? [facts.tacRule] : [])].filter(
    (r) => r.status === 'blocked',
  );
  return [...codes, ...rules.flatMap((r) => r.reasons)];
}

function fromReasons(reasons: readonly FactReason[]): Verdict | null {
  if (reasons.length === 0) return null;
  let status: DeviceStatus = reasons[0]!.status;
  for (const r of reasons) if (SEVERITY[r.status]! > SEVERITY[status]!) status = r.status;
  const matching: VerdictReason[] = [];
  for (const r of reasons)
    if (r.status === status) matching.push({ code: r.reason, source: r.source, since: r.since });
  return { status, matched: 'device', reasons: matching, rule: null };
}

export function decide(facts: CheckFacts, policy: Policy): Verdict {
  if (facts.deviceKey !== null) {
    if (facts.golden) return { ...fromRule(facts.golden, 'golden'), status: 'allowed' };
    if (facts.pairing && !blockReasons(facts).some((code) => policy.pairingExemptsNot.includes(code))) {
      return {
        status: 'allowed',
        matched: 'pairing',
        reasons: [{ code: 'paired', source: facts.pairing.source, since: facts.pairing.since }],
        rule: null,
      };
    }
    const device = fromReasons(facts.reasons);
    if (device) return device;
    const range = narrowest(facts.imeiRanges, rangeWidth);
    if (range) return fromRule(range, 'imei-range');
    if (facts.tacRule) return fromRule(facts.tacRule, 'tac');
  }
  const imsiRule = narrowest(facts.imsiRules, imsiWidth);
  if (imsiRule) return fromRule(imsiRule, 'imsi');
  if (facts.malformed) return { status: policy.malformed, matched: 'malformed', reasons: [], rule: null };
  return { status: policy.unlisted, matched: 'policy', reasons: [], rule: null };
}
