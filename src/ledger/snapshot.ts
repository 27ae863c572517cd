/**
 * The current lists as plain, sorted rows: read from the projection tables, or computed by folding
 * entries. `ledger verify` and the property tests compare the two.
 */
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../store/index.ts';
import { type CanonicalValue, canonicalJson } from './canonical.ts';
import type { RuleTarget } from './entry.ts';
import type { RegistryState } from './fold.ts';

export interface ListsSnapshot {
  readonly reasons: string[];
  readonly pairings: string[];
  readonly rules: string[];
}

const iso = (ms: unknown) => (ms == null ? null : new Date(Number(ms)).toISOString());
/** Canonical JSON: jsonb returns object keys in its own order, the fold in insertion order. */
const line = (values: unknown[]) => canonicalJson(values as CanonicalValue);

export function snapshotOfState(state: RegistryState): ListsSnapshot {
  const reasons: string[] = [];
  for (const [key, slots] of state.devices) {
    for (const r of slots.values()) {
      reasons.push(
        line([
          key,
          r.status,
          r.reason,
          r.source,
          r.since,
          r.expiresAt,
          r.seq,
          r.reference,
          r.list,
          r.attributes,
        ]),
      );
    }
  }
  const pairings = [...state.pairings.values()].map((x) =>
    line([x.deviceKey, x.imsi, x.msisdn, x.source, x.since, x.expiresAt, x.seq, x.list]),
  );
  const rules = [...state.rules.values()].map((x) =>
    line([
      x.key,
      x.target,
      x.status,
      x.reasons,
      x.source,
      x.since,
      x.expiresAt,
      x.seq,
      x.reference,
      x.list,
      x.note,
    ]),
  );
  return { reasons: reasons.sort(), pairings: pairings.sort(), rules: rules.sort() };
}

const ms = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::bigint`);

export async function snapshotOfProjection(db: Executor): Promise<ListsSnapshot> {
  const reasonRows = await query(
    db,
    sql`select device_key, status, reason, source, ${ms('since')} as since, ${ms('expires_at')} as expires, seq, reference, list, attributes
        from device_reason`,
  );
  const pairingRows = await query(
    db,
    sql`select device_key, imsi, msisdn, source, ${ms('since')} as since, ${ms('expires_at')} as expires, seq, list from pairing`,
  );
  const ruleRows = await query(
    db,
    sql`select rule_key, target, status, reasons, source, ${ms('since')} as since, ${ms('expires_at')} as expires, seq, reference, list, note
        from rule`,
  );
  return {
    reasons: reasonRows
      .map((r) =>
        line([
          r.device_key,
          r.status,
          r.reason,
          r.source,
          iso(r.since),
          iso(r.expires),
          Number(r.seq),
          r.reference,
          r.list,
          r.attributes,
        ]),
      )
      .sort(),
    pairings: pairingRows
      .map((r) =>
        line([r.device_key, r.imsi, r.msisdn, r.source, iso(r.since), iso(r.expires), Number(r.seq), r.list]),
      )
      .sort(),
    rules: ruleRows
      .map((r) =>
        line([
          r.rule_key,
          r.target as RuleTarget,
          r.status,
          r.reasons,
          r.source,
          iso(r.since),
          iso(r.expires),
          Number(r.seq),
          r.reference,
          r.list,
          r.note,
        ]),
      )
      .sort(),
  };
}
