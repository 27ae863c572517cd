/**
 * Sightings in the registry's database: stored idempotently, listed per device. The IMSI and MSISDN are
 * sealed at rest in the deterministic form (src/privacy/columns.ts), so the alert raiser still groups on
 * them; a value stored before sealing was turned on reads as it is.
 */
import { sql } from 'drizzle-orm';
import { IMSI_FIELD, MSISDN_FIELD } from '../privacy/columns.ts';
import type { Sealer } from '../privacy/seal.ts';
import { type Executor, query } from '../store/index.ts';
import type { Sighting } from './sightings.ts';

const p = (value: unknown) => sql.param(value);

/**
 * Stores a batch; a sighting already stored (same id) is left as it is. Columns travel as text arrays,
 * where the drivers turn a null into an empty string: an empty optional field is stored as null.
 */
export async function storeSightings(
  db: Executor,
  sealer: Sealer,
  batch: readonly Sighting[],
): Promise<void> {
  if (batch.length === 0) return;
  const col = <T>(f: (s: Sighting) => T) => p(batch.map(f));
  await db.execute(sql`
    insert into sighting (id, time, device_key, equipment, svn, imsi, msisdn, status, matched, reasons, protocol, node, peer, network, location)
    select id, time::timestamptz, nullif(device_key, ''), equipment, nullif(svn, ''), nullif(imsi, ''), nullif(msisdn, ''), status, matched,
           coalesce(string_to_array(nullif(reasons, ''), '|'), '{}'), protocol, node, nullif(peer, ''), nullif(network, ''), nullif(location, '')
    from unnest(${col((s) => s.id)}::text[], ${col((s) => s.time)}::text[], ${col((s) => s.deviceKey)}::text[], ${col((s) => s.equipment)}::text[],
                ${col((s) => s.svn)}::text[], ${col((s) => sealer.sealEqual(IMSI_FIELD, s.imsi || null))}::text[], ${col((s) => sealer.sealEqual(MSISDN_FIELD, s.msisdn || null))}::text[], ${col((s) => s.status)}::text[],
                ${col((s) => s.matched)}::text[], ${col((s) => s.reasons.join('|'))}::text[], ${col((s) => s.protocol)}::text[],
                ${col((s) => s.node)}::text[], ${col((s) => s.peer)}::text[], ${col((s) => s.network)}::text[], ${col((s) => s.location)}::text[])
      as r(id, time, device_key, equipment, svn, imsi, msisdn, status, matched, reasons, protocol, node, peer, network, location)
    on conflict (id) do nothing`);
}

export async function sightingsOf(
  db: Executor,
  sealer: Sealer,
  deviceKey: string,
  limit = 100,
): Promise<Sighting[]> {
  const rows = await query(
    db,
    sql`select id, floor(extract(epoch from time) * 1000)::bigint as time_ms, device_key, equipment, svn, imsi, msisdn, status, matched,
               reasons, protocol, node, peer, network, location
        from sighting where device_key = ${deviceKey} order by time desc, id desc limit ${limit}`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    time: new Date(Number(r.time_ms)).toISOString(),
    deviceKey: (r.device_key as string | null) ?? null,
    equipment: String(r.equipment),
    svn: (r.svn as string | null) ?? null,
    imsi: sealer.open(IMSI_FIELD, r.imsi as string | null),
    msisdn: sealer.open(MSISDN_FIELD, r.msisdn as string | null),
    status: String(r.status),
    matched: String(r.matched),
    reasons: (r.reasons as string[]) ?? [],
    protocol: r.protocol as Sighting['protocol'],
    node: String(r.node),
    peer: (r.peer as string | null) ?? null,
    network: (r.network as string | null) ?? null,
    location: (r.location as string | null) ?? null,
  }));
}
