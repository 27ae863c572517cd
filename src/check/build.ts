/**
 * Builds a check index from the registry's current lists, read in one consistent snapshot of the
 * database together with the ledger position they reflect.
 */
import { sql } from 'drizzle-orm';
import { rowToRule } from '../ledger/devices.ts';
import type { DeviceStatus } from '../ledger/entry.ts';
import { type ActiveReason, emptyState, fold, type Pairing, type Rule } from '../ledger/fold.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { perfectNodes, type Range } from '../ledger/merkle.ts';
import { type Database, query } from '../store/index.ts';
import { CheckIndex } from './index.ts';
import { imsiNumber } from './rules.ts';
import { DeviceTableBuilder, dayOf, PairingTable, type SlotTemplate } from './tables.ts';

const PAGE = 100_000;
const iso = (ms: unknown) => (ms == null ? null : new Date(Number(ms)).toISOString());

export interface BuildResult {
  readonly index: CheckIndex;
  /** Hex hashes of the ledger's frontier at the index's position (followers verify what they apply with it). */
  readonly frontier: readonly string[];
}

export async function buildIndex(db: Database): Promise<BuildResult> {
  return db.transaction(async (tx) => {
    // One snapshot for the position and every list (PostgreSQL: repeatable read; PGlite has one connection).
    await tx.execute(sql`set transaction isolation level repeatable read`);
    const [state] = await query(tx, sql`select size, frontier from ledger_state where id = 1`);
    const position = Number(state?.size ?? 0);

    const builder = new DeviceTableBuilder();
    const overlay = new Map<number, ActiveReason[]>();
    let group: ActiveReason[] = [];
    let groupKey: string | null = null;
    const flush = () => {
      if (groupKey === null || group.length === 0) return;
      const key = Number(groupKey);
      if (group.some((r) => r.expiresAt !== null)) overlay.set(key, group);
      else {
        const templates: SlotTemplate[] = group.map((r) => ({
          status: r.status,
          reason: r.reason,
          source: r.source,
          list: r.list,
        }));
        builder.add(key, builder.setId(templates), Math.min(...group.map((r) => dayOf(r.since))));
      }
    };
    let after = ['', '', '', '', ''];
    for (;;) {
      const rows = await query(
        tx,
        sql`select device_key, status, reason, source, coalesce(list, '') as list,
                   floor(extract(epoch from since) * 1000)::bigint as since_ms, floor(extract(epoch from expires_at) * 1000)::bigint as expires_ms
            from device_reason
            where (device_key, status, reason, source, coalesce(list, '')) > (${after[0]}, ${after[1]}, ${after[2]}, ${after[3]}, ${after[4]})
            order by device_key, status, reason, source, coalesce(list, '') limit ${PAGE}`,
      );
      for (const r of rows) {
        const key = String(r.device_key);
        if (key !== groupKey) {
          flush();
          group = [];
          groupKey = key;
        }
        group.push({
          status: r.status as DeviceStatus,
          reason: String(r.reason),
          source: String(r.source),
          list: r.list === '' ? null : String(r.list),
          since: iso(r.since_ms)!,
          expiresAt: iso(r.expires_ms),
          seq: -1,
          reference: null,
          attributes: null,
        });
      }
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1]!;
      after = [
        String(last.device_key),
        String(last.status),
        String(last.reason),
        String(last.source),
        String(last.list),
      ];
    }
    flush();

    const pairs: { key: number; imsi: number; source: string; sinceDay: number }[] = [];
    const pairingOverlay = new Map<string, Pairing>();
    const pairingRows = await query(
      tx,
      sql`select device_key, imsi, msisdn, source, list, floor(extract(epoch from since) * 1000)::bigint as since_ms,
                 floor(extract(epoch from expires_at) * 1000)::bigint as expires_ms from pairing`,
    );
    for (const r of pairingRows) {
      if (r.expires_ms != null) {
        const p: Pairing = {
          deviceKey: String(r.device_key),
          imsi: String(r.imsi),
          msisdn: (r.msisdn as string | null) ?? null,
          source: String(r.source),
          since: iso(r.since_ms)!,
          expiresAt: iso(r.expires_ms),
          seq: -1,
          list: (r.list as string | null) ?? null,
        };
        pairingOverlay.set(`${p.deviceKey}|${p.imsi}`, p);
      } else {
        pairs.push({
          key: Number(r.device_key),
          imsi: imsiNumber(String(r.imsi)),
          source: String(r.source),
          sinceDay: dayOf(iso(r.since_ms)!),
        });
      }
    }

    const ruleRows = await query(
      tx,
      sql`select rule_key, target, status, reasons, source, floor(extract(epoch from since) * 1000)::bigint as since_ms,
                 floor(extract(epoch from expires_at) * 1000)::bigint as expires_ms, seq, reference, list, note from rule`,
    );
    const rules = new Map<string, Rule>(ruleRows.map((r) => [String(r.rule_key), rowToRule(r)]));

    const index = new CheckIndex({
      position,
      devices: builder.build(),
      pairings: PairingTable.from(pairs),
      rules,
      deviceOverlay: overlay,
      pairingOverlay,
    });
    return { index, frontier: (state?.frontier as string[]) ?? [] };
  });
}

/**
 * The check index as the lists stood at an earlier ledger position (`GET /ledger/v1/snapshot?position=N`):
 * entries 0..position−1 folded, as a follower would have applied them, with the frontier at that
 * position read from the tree's stored nodes. Reads every entry up to the position, a page at a time.
 */
export async function buildIndexAt(ledger: Ledger, position: number): Promise<BuildResult> {
  const size = await ledger.size();
  if (!Number.isSafeInteger(position) || position < 0 || position > size)
    throw new RangeError(`position must be between 0 and the tree size ${size}; got ${position}`);
  const state = emptyState();
  for (let start = 0; start < position; ) {
    const page = await ledger.entries(start, Math.min(10_000, position - start));
    if (page.length === 0) throw new Error(`the ledger has no entry ${start} below its size ${size}`);
    fold(page, state);
    start += page.length;
  }
  const index = CheckIndex.fromState(state, position);
  await index.compact();
  const ranges = perfectNodes(0, position).map(
    (n): Range => [n.index * 2 ** n.level, (n.index + 1) * 2 ** n.level],
  );
  const frontier = await ledger.rangeHashes(ranges);
  return { index, frontier: frontier.map((h) => h.toString('hex')) };
}
