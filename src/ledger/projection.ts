/**
 * The current lists in the database: the same rules as fold.ts, applied set-wise in SQL inside the
 * append transaction. Entries are applied in runs in which no device or rule appears twice, so that
 * set-wise statements give exactly what applying the entries one by one would.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../store/index.ts';
import { type Entry, ruleKey } from './entry.ts';

const p = (value: unknown) => sql.param(value);

function projectionKey(entry: Entry): string {
  const { target } = entry;
  if (target.kind === 'device' || target.kind === 'pair') return `d:${target.deviceKey}`;
  return `r:${ruleKey(target)}`;
}

/** Splits entries into consecutive runs where no projection key repeats. */
export function runs(entries: readonly Entry[]): Entry[][] {
  const result: Entry[][] = [];
  let current: Entry[] = [];
  let keys = new Set<string>();
  for (const entry of entries) {
    const key = projectionKey(entry);
    if (keys.has(key)) {
      result.push(current);
      current = [];
      keys = new Set();
    }
    keys.add(key);
    current.push(entry);
  }
  if (current.length > 0) result.push(current);
  return result;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** Columns of one statement, built row by row: `columns.add({...})` then `columns.get('name')`. */
class Columns<K extends string> {
  private readonly data = new Map<K, unknown[]>();
  size = 0;

  add(row: Record<K, unknown>): void {
    for (const [key, value] of Object.entries(row) as [K, unknown][]) {
      let column = this.data.get(key);
      if (!column) {
        column = [];
        this.data.set(key, column);
      }
      column.push(value);
    }
    this.size += 1;
  }

  get(key: K): SQL {
    return sql`${p(this.data.get(key) ?? [])}`;
  }
}

async function applyRun(db: Executor, run: readonly Entry[]): Promise<void> {
  const set = new Columns<
    'key' | 'status' | 'reason' | 'source' | 'time' | 'expires' | 'seq' | 'reference' | 'list' | 'attributes'
  >();
  const lift = new Columns<'key' | 'status' | 'reason' | 'source' | 'list'>();
  const pair = new Columns<'key' | 'imsi' | 'msisdn' | 'source' | 'time' | 'expires' | 'seq' | 'list'>();
  const unpair = new Columns<'key' | 'imsi'>();
  const ruleAdd = new Columns<
    | 'ruleKey'
    | 'kind'
    | 'target'
    | 'status'
    | 'reasons'
    | 'source'
    | 'time'
    | 'expires'
    | 'seq'
    | 'reference'
    | 'list'
    | 'note'
    | 'tac'
    | 'low'
    | 'high'
    | 'prefix'
    | 'golden'
  >();
  const ruleRemove: string[] = [];

  for (const e of run) {
    const t = e.target;
    switch (e.action) {
      case 'block':
      case 'track':
      case 'allow':
        if (t.kind !== 'device') break;
        for (const reason of e.reasons) {
          set.add({
            key: t.deviceKey,
            status: e.status,
            reason,
            source: e.source,
            time: e.time,
            expires: e.expiresAt,
            seq: e.seq,
            reference: e.reference,
            list: e.list,
            attributes: json(e.attributes),
          });
        }
        break;
      case 'unblock':
      case 'untrack':
      case 'disallow':
        if (t.kind !== 'device') break;
        for (const reason of e.reasons.length > 0 ? e.reasons : [null]) {
          lift.add({ key: t.deviceKey, status: e.status, reason, source: e.source, list: e.list });
        }
        break;
      case 'pair':
        if (t.kind !== 'pair') break;
        pair.add({
          key: t.deviceKey,
          imsi: t.imsi,
          msisdn: t.msisdn,
          source: e.source,
          time: e.time,
          expires: e.expiresAt,
          seq: e.seq,
          list: e.list,
        });
        break;
      case 'unpair':
        if (t.kind === 'pair') unpair.add({ key: t.deviceKey, imsi: t.imsi });
        break;
      case 'rule-add': {
        if (t.kind === 'device' || t.kind === 'pair') break;
        ruleAdd.add({
          ruleKey: ruleKey(t),
          kind: t.kind,
          target: JSON.stringify(t),
          status: e.status,
          // A text[] column of text[] values cannot travel as one array parameter: pipe-joined here.
          reasons: e.reasons.join('|'),
          source: e.source,
          time: e.time,
          expires: e.expiresAt,
          seq: e.seq,
          reference: e.reference,
          list: e.list,
          note: e.note,
          tac: t.kind === 'tac' ? t.tac : null,
          low: t.kind === 'imei-range' || t.kind === 'imsi-range' ? t.from : null,
          high: t.kind === 'imei-range' || t.kind === 'imsi-range' ? t.to : null,
          prefix: t.kind === 'imsi-prefix' ? t.prefix : null,
          golden: t.kind === 'golden' ? t.hash : null,
        });
        break;
      }
      case 'rule-remove':
        if (t.kind !== 'device' && t.kind !== 'pair') ruleRemove.push(ruleKey(t));
        break;
    }
  }

  if (lift.size > 0) {
    await db.execute(sql`
      delete from device_reason d
      using unnest(${lift.get('key')}::text[], ${lift.get('status')}::text[], ${lift.get('reason')}::text[], ${lift.get('source')}::text[],
                   ${lift.get('list')}::text[])
        as r(device_key, status, reason, source, list)
      where d.device_key = r.device_key and d.status = r.status
        and (r.reason is null or d.reason = r.reason)
        and (r.source = 'regulator' or d.source = r.source)
        and (r.list is null or d.list = r.list)`);
  }
  if (set.size > 0) {
    await db.execute(sql`
      insert into device_reason (device_key, status, reason, source, since, expires_at, seq, reference, list, attributes)
      select key, status, reason, source, time::timestamptz, expires::timestamptz, seq, reference, list, attributes::jsonb
      from unnest(${set.get('key')}::text[], ${set.get('status')}::text[], ${set.get('reason')}::text[], ${set.get('source')}::text[],
                  ${set.get('time')}::text[], ${set.get('expires')}::text[], ${set.get('seq')}::bigint[], ${set.get('reference')}::text[],
                  ${set.get('list')}::text[], ${set.get('attributes')}::text[])
        as r(key, status, reason, source, time, expires, seq, reference, list, attributes)
      on conflict (device_key, status, reason, source, (coalesce(list, ''))) do update set
        expires_at = excluded.expires_at, seq = excluded.seq, reference = excluded.reference,
        list = excluded.list, attributes = excluded.attributes`);
  }
  if (unpair.size > 0) {
    await db.execute(sql`
      delete from pairing p using unnest(${unpair.get('key')}::text[], ${unpair.get('imsi')}::text[]) as r(device_key, imsi)
      where p.device_key = r.device_key and p.imsi = r.imsi`);
  }
  if (pair.size > 0) {
    await db.execute(sql`
      insert into pairing (device_key, imsi, msisdn, source, since, expires_at, seq, list)
      select key, imsi, msisdn, source, time::timestamptz, expires::timestamptz, seq, list
      from unnest(${pair.get('key')}::text[], ${pair.get('imsi')}::text[], ${pair.get('msisdn')}::text[], ${pair.get('source')}::text[],
                  ${pair.get('time')}::text[], ${pair.get('expires')}::text[], ${pair.get('seq')}::bigint[], ${pair.get('list')}::text[])
        as r(key, imsi, msisdn, source, time, expires, seq, list)
      on conflict (device_key, imsi) do update set
        msisdn = excluded.msisdn, source = excluded.source, expires_at = excluded.expires_at, seq = excluded.seq, list = excluded.list`);
  }
  if (ruleRemove.length > 0) {
    await db.execute(sql`delete from rule where rule_key = any(${p(ruleRemove)}::text[])`);
  }
  if (ruleAdd.size > 0) {
    await db.execute(sql`
      insert into rule (rule_key, kind, target, status, reasons, source, since, expires_at, seq, reference, list, note,
                        tac, low_key, high_key, prefix, golden_hash)
      select rule_key, kind, target::jsonb, status, string_to_array(reasons, '|'), source, time::timestamptz, expires::timestamptz,
             seq, reference, list, note, tac, low, high, prefix, golden
      from unnest(${ruleAdd.get('ruleKey')}::text[], ${ruleAdd.get('kind')}::text[], ${ruleAdd.get('target')}::text[],
                  ${ruleAdd.get('status')}::text[], ${ruleAdd.get('reasons')}::text[], ${ruleAdd.get('source')}::text[],
                  ${ruleAdd.get('time')}::text[], ${ruleAdd.get('expires')}::text[], ${ruleAdd.get('seq')}::bigint[],
                  ${ruleAdd.get('reference')}::text[], ${ruleAdd.get('list')}::text[], ${ruleAdd.get('note')}::text[],
                  ${ruleAdd.get('tac')}::text[], ${ruleAdd.get('low')}::text[], ${ruleAdd.get('high')}::text[],
                  ${ruleAdd.get('prefix')}::text[], ${ruleAdd.get('golden')}::text[])
        as r(rule_key, kind, target, status, reasons, source, time, expires, seq, reference, list, note, tac, low, high, prefix, golden)
      on conflict (rule_key) do update set
        kind = excluded.kind, target = excluded.target, reasons = excluded.reasons, source = excluded.source,
        since = case when rule.status = excluded.status then rule.since else excluded.since end,
        status = excluded.status, expires_at = excluded.expires_at, seq = excluded.seq, reference = excluded.reference,
        list = excluded.list, note = excluded.note, tac = excluded.tac, low_key = excluded.low_key,
        high_key = excluded.high_key, prefix = excluded.prefix, golden_hash = excluded.golden_hash`);
  }
}

/** Applies entries (in seq order) to the projection tables. */
export async function project(db: Executor, entries: readonly Entry[]): Promise<void> {
  for (const run of runs(entries)) await applyRun(db, run);
}
