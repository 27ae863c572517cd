/**
 * A peer's trust policy: which of its reasons we apply and how (their `stolen` → our `blocked` with
 * reason `foreign-stolen`, or only `tracked`), and which of our reasons we share with it. Parsed once
 * from YAML or JSON with errors that name the field and the rule; then pure mapping of one of their
 * entries to our drafts (mapping.ts uses it).
 */
import { parse as parseYaml } from 'yaml';
import type { DeviceStatus } from '../../ledger/entry.ts';
import { reasonInfo } from '../../ledger/reasons.ts';

export type PeerAction = 'block' | 'track';

export interface ApplyRule {
  /** What we do with a device they block or track for this reason. */
  readonly action: PeerAction;
  /** Our reason for it (must justify the status the action gives). */
  readonly reason: string;
}

export interface TrustPolicy {
  /** Their reason → what we do. Reasons not listed are ignored. */
  readonly apply: Readonly<Record<string, ApplyRule>>;
  /** Our reasons whose blocks and tracks (and their lifts) the peer may read. */
  readonly share: { readonly reasons: readonly string[] };
}

export const DEFAULT_POLICY: TrustPolicy = {
  apply: {
    stolen: { action: 'block', reason: 'foreign-stolen' },
    lost: { action: 'block', reason: 'foreign-lost' },
  },
  share: { reasons: ['stolen', 'lost'] },
};

export class PolicyError extends Error {
  constructor(readonly problems: readonly { field: string; message: string }[]) {
    super(`invalid trust policy: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.name = 'PolicyError';
  }
}

export const statusOf = (action: PeerAction): DeviceStatus => (action === 'block' ? 'blocked' : 'tracked');

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates a parsed policy (from a file or the database); throws PolicyError naming every bad field. */
export function parsePolicy(value: unknown): TrustPolicy {
  const problems: { field: string; message: string }[] = [];
  const bad = (field: string, message: string) => problems.push({ field, message });
  if (!isObject(value)) throw new PolicyError([{ field: '(policy)', message: 'must be a mapping' }]);
  for (const key of Object.keys(value))
    if (key !== 'apply' && key !== 'share') bad(key, 'unknown field; a policy has apply and share');
  const apply: Record<string, ApplyRule> = {};
  const rawApply = value.apply ?? DEFAULT_POLICY.apply;
  if (!isObject(rawApply)) bad('apply', 'must be a mapping of their reason to {action, reason}');
  else {
    for (const [theirs, rule] of Object.entries(rawApply)) {
      const field = `apply.${theirs}`;
      if (!reasonInfo(theirs))
        bad(field, `unknown reason ${JSON.stringify(theirs)}; see GET /api/v1/reasons`);
      if (!isObject(rule)) {
        bad(field, 'must be {action: block|track, reason: <our reason>}');
        continue;
      }
      for (const key of Object.keys(rule))
        if (key !== 'action' && key !== 'reason')
          bad(`${field}.${key}`, 'unknown field; use action and reason');
      const action = rule.action;
      if (action !== 'block' && action !== 'track') {
        bad(`${field}.action`, 'must be block or track');
        continue;
      }
      const reason = rule.reason;
      const info = typeof reason === 'string' ? reasonInfo(reason) : undefined;
      if (!info) {
        bad(`${field}.reason`, `unknown reason ${JSON.stringify(reason)}; see GET /api/v1/reasons`);
        continue;
      }
      if (!info.statuses.includes(statusOf(action))) {
        bad(
          `${field}.reason`,
          `reason ${reason} cannot justify status ${statusOf(action)} (only ${info.statuses.join(', ')})`,
        );
        continue;
      }
      apply[theirs] = { action, reason: reason as string };
    }
  }
  let shared: string[] = [...DEFAULT_POLICY.share.reasons];
  if (value.share !== undefined) {
    const share = value.share;
    if (!isObject(share)) bad('share', 'must be {reasons: [<our reasons>]}');
    else {
      for (const key of Object.keys(share))
        if (key !== 'reasons') bad(`share.${key}`, 'unknown field; use reasons');
      if (!Array.isArray(share.reasons)) bad('share.reasons', 'must be a list of reason codes');
      else {
        shared = [];
        for (const [i, reason] of share.reasons.entries()) {
          if (typeof reason !== 'string' || !reasonInfo(reason))
            bad(`share.reasons[${i}]`, `unknown reason ${JSON.stringify(reason)}; see GET /api/v1/reasons`);
          else if (shared.includes(reason)) bad(`share.reasons[${i}]`, `reason ${reason} is given twice`);
          else shared.push(reason);
        }
      }
    }
  }
  if (problems.length > 0) throw new PolicyError(problems);
  return { apply, share: { reasons: shared } };
}

/** Parses a policy file's text (YAML, of which JSON is a subset). */
export function parsePolicyText(text: string): TrustPolicy {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new PolicyError([{ field: '(file)', message: `not YAML or JSON: ${(error as Error).message}` }]);
  }
  return parsePolicy(value);
}
