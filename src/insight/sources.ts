/**
 * Where each measure's events come from: one SQL select per measure over the ledger, cases, alerts,
 * appeals, sightings and analytics tables, all with the same columns (`at`, `item`, `num`, `hit` and
 * one column per dimension, null where the measure lacks it). measures.ts buckets and aggregates them,
 * so every figure is recomputed from the records for any past period: no stored counters.
 */
import { type SQL, sql } from 'drizzle-orm';

export const DIMENSIONS = [
  'operator',
  'region',
  'brand',
  'model',
  'reason',
  'rule',
  'kind',
  'channel',
  'peer',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface EventColumns {
  /** When the event happened (timestamptz). */
  readonly at: SQL;
  /** What is counted once per bucket and group: a case id, a device key, an appeal id, a sighting id. */
  readonly item: SQL;
  /** A duration in seconds, for percentiles. */
  readonly num?: SQL;
  /** For ratios: whether the item is in the numerator. */
  readonly hit?: SQL;
  readonly dims: Partial<Record<Dimension, SQL>>;
}

/** One select with the common columns; `rest` is its from/where tail. */
export function events(columns: EventColumns, rest: SQL): SQL {
  const dims = DIMENSIONS.map((d) => {
    const expr = columns.dims[d];
    return expr ? sql`(${expr})::text as ${sql.identifier(d)}` : sql`null::text as ${sql.identifier(d)}`;
  });
  return sql`select (${columns.at})::timestamptz as at, (${columns.item})::text as item,
    (${columns.num ?? sql`null`})::float8 as num, (${columns.hit ?? sql`true`})::boolean as hit,
    ${sql.join(dims, sql`, `)} ${rest}`;
}

/** The id after a source's prefix (`operator:alpha` → `alpha`), null for other sources. */
export const sourceId = (column: SQL, prefix: 'operator' | 'rule' | 'peer'): SQL =>
  sql`case when ${column} like ${`${prefix}:%`} then substr(${column}, ${prefix.length + 2}) end`;

/** The dimensions a case gives (its source for the operator, who entered it). */
export const caseDims = (c: string): Partial<Record<Dimension, SQL>> => ({
  operator: sourceId(sql.raw(`${c}.source`), 'operator'),
  region: sql.raw(`${c}.region`),
  brand: sql.raw(`${c}.brand`),
  model: sql.raw(`${c}.model`),
  kind: sql.raw(`${c}.kind`),
  channel: sql.raw(`${c}.channel`),
});

/**
 * Reasons of a row one per row when the breakdown is by reason (`from ... cross join lateral
 * unnest`), otherwise the row once: counting events must not multiply rows that have two reasons.
 */
export function reasonJoin(byReason: boolean, array: SQL): { join: SQL; reason: SQL } {
  return byReason
    ? { join: sql`cross join lateral unnest(${array}) as rr(reason)`, reason: sql`rr.reason` }
    : { join: sql``, reason: sql`null` };
}

/** Ledger entries of one action on devices, with the case they belong to when a case wrote them. */
export function ledgerActions(actions: readonly string[], byReason: boolean): SQL {
  const r = reasonJoin(byReason, sql`e.reasons`);
  return events(
    {
      at: sql`e.recorded_at`,
      item: sql`e.device_key`,
      dims: {
        ...caseDims('c'),
        operator: sourceId(sql`e.source`, 'operator'),
        rule: sourceId(sql`e.source`, 'rule'),
        peer: sourceId(sql`e.source`, 'peer'),
        reason: r.reason,
      },
    },
    sql`from ledger_entry e left join case_report c on e.reference = 'case:' || c.reference ${r.join}
      where e.device_key is not null and e.action in (${sql.join(
        actions.map((a) => sql`${a}`),
        sql`, `,
      )})`,
  );
}

/** Each case's first block entry: from report to blocked, counted when the block happened. */
export function reportToBlock(): SQL {
  return events(
    {
      at: sql`b.blocked_at`,
      item: sql`c.id`,
      num: sql`extract(epoch from (b.blocked_at - c.created_at))`,
      dims: caseDims('c'),
    },
    sql`from case_report c join (select reference, min(recorded_at) as blocked_at from ledger_entry
      where action = 'block' and reference like 'case:%' group by reference) b on b.reference = 'case:' || c.reference`,
  );
}

/** Sightings of devices that were blocked when seen (blocked attempts on a network). */
export function blockedSightings(byReason: boolean, status: 'blocked' | 'any'): SQL {
  const r = reasonJoin(byReason, sql`s.reasons`);
  const where = status === 'blocked' ? sql`s.status = 'blocked'` : sql`s.status in ('blocked', 'tracked')`;
  return events(
    {
      at: sql`s.time`,
      item: status === 'blocked' ? sql`s.id` : sql`s.device_key`,
      dims: { operator: sql`s.network`, reason: r.reason },
    },
    sql`from sighting s ${r.join} where ${where} and s.device_key is not null`,
  );
}

/** Police alerts by the sighting that raised them; `hit` when staff have taken them up. */
export function alertsRaised(): SQL {
  return events(
    {
      at: sql`a.first_seen_at`,
      item: sql`a.id`,
      hit: sql`a.state <> 'new'`,
      dims: { ...caseDims('c'), operator: sql`a.network` },
    },
    sql`from alert a join case_report c on c.id = a.case_id`,
  );
}

/** Recoveries: a case's move to the recovered state. */
export function recoveries(): SQL {
  return events(
    { at: sql`ev.at`, item: sql`c.id`, dims: caseDims('c') },
    sql`from case_event ev join case_report c on c.id = ev.case_id where ev.to_state = 'recovered'`,
  );
}

/**
 * The reporting cohort for the recovery rate: every case reported, `hit` when a recovery is recorded
 * before the end of the bucket it was reported in (`bucketEnd` is that end as SQL over `c.created_at`).
 */
export function recoveryCohort(bucketEnd: (column: SQL) => SQL): SQL {
  return events(
    {
      at: sql`c.created_at`,
      item: sql`c.id`,
      hit: sql`exists (select 1 from case_event ev where ev.case_id = c.id and ev.to_state = 'recovered'
        and ev.at < ${bucketEnd(sql`c.created_at`)})`,
      dims: caseDims('c'),
    },
    sql`from case_report c`,
  );
}

/** Reports received, when they were made. */
export function reportsReceived(): SQL {
  return events({ at: sql`c.created_at`, item: sql`c.id`, dims: caseDims('c') }, sql`from case_report c`);
}

/**
 * Unblocks with the time since the latest block they lift: same device, a reason in common (or the
 * unblock names none), same source or the unblock is the regulator's (which lifts any source's, as
 * the ledger's fold does). Dimensions come from that block (`rule` is the rule that had blocked).
 */
export function unblocks(byReason: boolean): SQL {
  const r = reasonJoin(byReason, sql`b.reasons`);
  return events(
    {
      at: sql`u.recorded_at`,
      item: sql`u.device_key`,
      num: sql`extract(epoch from (u.recorded_at - b.recorded_at))`,
      dims: {
        ...caseDims('c'),
        operator: sourceId(sql`b.source`, 'operator'),
        rule: sourceId(sql`b.source`, 'rule'),
        peer: sourceId(sql`b.source`, 'peer'),
        reason: r.reason,
      },
    },
    sql`from ledger_entry u
      join lateral (select x.recorded_at, x.reasons, x.source from ledger_entry x where x.device_key = u.device_key
        and x.action = 'block' and (x.source = u.source or u.source = 'regulator')
        and (cardinality(u.reasons) = 0 or x.reasons && u.reasons) and x.seq < u.seq
        order by x.seq desc limit 1) b on true
      left join case_report c on u.reference = 'case:' || c.reference ${r.join}
      where u.action = 'unblock' and u.device_key is not null`,
  );
}

/**
 * Appeals: filed (`at` = created), or decided (`at` = decided, `hit` = overturned). By reason or rule,
 * one row per reason the appeal was about, overturned when that reason's outcome was.
 */
export function appeals(moment: 'filed' | 'decided', byReasonOrRule: boolean): SQL {
  const at = moment === 'filed' ? sql`a.created_at` : sql`a.decided_at`;
  const where =
    moment === 'filed' ? sql`true` : sql`a.decided_at is not null and a.state in ('upheld', 'overturned')`;
  if (!byReasonOrRule) {
    return events(
      { at, item: sql`a.id`, hit: sql`a.state = 'overturned'`, dims: caseDims('c') },
      sql`from appeal a left join case_report c on c.id = a.case_id where ${where}`,
    );
  }
  return events(
    {
      at,
      item: sql`a.id`,
      hit: sql`ar.outcome = 'overturned'`,
      dims: { ...caseDims('c'), reason: sql`ar.reason`, rule: sourceId(sql`ar.source`, 'rule') },
    },
    sql`from appeal a join appeal_reason ar on ar.appeal_id = a.id left join case_report c on c.id = a.case_id
      where ${where}`,
  );
}

/** Detections by the analytics: classification rows opened, by condition (rule), from their start date. */
export function detections(): SQL {
  return events(
    {
      at: sql`(cs.start_date::timestamp at time zone 'UTC')`,
      item: sql`cs.imei_norm`,
      dims: { rule: sql`cs.cond_name` },
    },
    sql`from classification_state cs`,
  );
}

/**
 * Devices on the blocked or tracked list at each of the given instants: the ledger's fold (fold.ts)
 * in SQL. A (device, status, reason, source, list) slot holds at an instant when its latest setting
 * entry before it is not lifted (a later lift of that status naming the reason or none, from the same
 * source or the regulator, of the same list or of none) or replaced by a later setting of the same
 * slot before it, and has not expired by then.
 */
export function listSizes(status: 'blocked' | 'tracked', ends: SQL, group: SQL, filter: SQL): SQL {
  const setAction = status === 'blocked' ? 'block' : 'track';
  const liftAction = status === 'blocked' ? 'unblock' : 'untrack';
  return sql`with b(bucket, ends) as (values ${ends}),
    s as (select e.seq, e.device_key, r.reason, e.source, e.list, e.recorded_at, e.expires_at, e.reference
      from ledger_entry e cross join lateral unnest(e.reasons) as r(reason)
      where e.action = ${setAction} and e.device_key is not null),
    ev as (select b.bucket, s.device_key as item, s.reason, s.source,
        ${sourceId(sql`s.source`, 'operator')} as operator, ${sourceId(sql`s.source`, 'rule')} as rule,
        ${sourceId(sql`s.source`, 'peer')} as peer, c.region, c.brand, c.model, c.kind, c.channel
      from b join s on s.recorded_at < b.ends and (s.expires_at is null or s.expires_at > b.ends)
      left join case_report c on s.reference = 'case:' || c.reference
      where not exists (select 1 from ledger_entry l where l.device_key = s.device_key and l.seq > s.seq
        and l.recorded_at < b.ends
        and ((l.action = ${liftAction} and (cardinality(l.reasons) = 0 or s.reason = any(l.reasons))
            and (l.source = s.source or l.source = 'regulator') and (l.list is null or l.list = s.list))
          or (l.action = ${setAction} and s.reason = any(l.reasons) and l.source = s.source
            and l.list is not distinct from s.list))))
    select bucket, ${group} as grp, count(distinct item)::float8 as value from ev where ${filter} group by 1, 2`;
}
