/**
 * The reference lists classification reads (dirbs-compat.md §2.3–2.11), as one snapshot taken from
 * the registry: in OpenCEIR the lists are not separate tables but the ledger's current state, so a
 * stolen phone reported through a case, a stolen list imported in DIRBS format and a peer's report are
 * all "stolen" to the rules. The two lists that are not device statuses — the subscribers
 * registration list (uid, imsi) and the device association list (uid, imei) — are analytics' own.
 *
 * The same snapshot is loaded into either engine's `ref_*` tables before a run, so both engines (and
 * the reference semantics in dimensions/) classify over exactly the same lists.
 */
import { sql } from 'drizzle-orm';
import { type Database, query } from '../store/index.ts';
import { gsmaBandsToMask } from './rat.ts';
import type { ImsiSealer } from './subscriber-seal.ts';

export interface ReferenceLists {
  readonly gsma: readonly {
    tac: string;
    manufacturer: string | null;
    modelName: string | null;
    deviceType: string | null;
    /** GSMA bits: 3 non-cellular, 6 2G, 9 3G, 12 4G (dirbs-compat.md §1.3); null when no bands. */
    ratMask: number | null;
  }[];
  /** `status` null or `blacklist` counts as stolen (DIRBS); recovery mode is `tracked`, which does not. */
  readonly stolen: readonly { imeiNorm: string; status: string | null }[];
  readonly barred: readonly string[];
  readonly barredTac: readonly string[];
  readonly monitoring: readonly { imeiNorm: string; startDate: string }[];
  readonly registration: readonly { imeiNorm: string; status: string | null; deviceType: string | null }[];
  readonly association: readonly { uid: string; imeiNorm: string }[];
  readonly subscribers: readonly { uid: string; imsi: string }[];
  readonly pairing: readonly { imeiNorm: string; imsi: string; msisdn: string | null }[];
  /** MD5 of the 14-digit imei_norm, hex (DIRBS's hashed golden list). */
  readonly golden: readonly string[];
}

export const EMPTY_REFERENCE: ReferenceLists = {
  gsma: [],
  stolen: [],
  barred: [],
  barredTac: [],
  monitoring: [],
  registration: [],
  association: [],
  subscribers: [],
  pairing: [],
  golden: [],
};

/** The registry's current lists as analytics reads them (the tables of ledger/, tacdb/ and analytics/). */
export async function readReferenceLists(
  db: Database,
  imsiSealer: ImsiSealer | null = null,
): Promise<ReferenceLists> {
  const rows = <T>(statement: ReturnType<typeof sql>) => query<T>(db, statement);
  const gsma = await rows<{
    tac: string;
    manufacturer: string | null;
    model: string | null;
    device_type: string | null;
    bands: string | null;
  }>(
    sql`select tac, coalesce(manufacturer, brand) as manufacturer, model, device_type, bands from tac_model order by tac`,
  );
  const reasons = await rows<{
    device_key: string;
    status: string;
    reason: string;
    since: string;
    attributes: Record<string, string> | null;
  }>(
    sql`select device_key, status, reason, to_char(since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since, attributes
        from device_reason
        where reason in ('stolen', 'barred', 'monitoring', 'registered') and (expires_at is null or expires_at > now())
        order by device_key`,
  );
  const byReason = (reason: string, status?: string) =>
    reasons.filter((r) => r.reason === reason && (status === undefined || r.status === status));
  const stolen = new Map<string, string | null>();
  for (const r of byReason('stolen')) {
    // Blocked under any source is stolen; recovery mode alone (tracked) is provisional.
    if (r.status === 'blocked') stolen.set(r.device_key, null);
    else if (!stolen.has(r.device_key)) stolen.set(r.device_key, 'tracked');
  }
  const registration = new Map<string, { status: string | null; deviceType: string | null }>();
  for (const r of byReason('registered', 'allowed'))
    registration.set(r.device_key, { status: null, deviceType: r.attributes?.deviceType ?? null });
  const monitoring = new Map<string, string>();
  for (const r of byReason('monitoring', 'tracked')) {
    const earliest = monitoring.get(r.device_key);
    if (!earliest || r.since < earliest) monitoring.set(r.device_key, r.since);
  }
  const barredTac = await rows<{ tac: string }>(
    sql`select distinct target->>'tac' as tac from rule where target->>'kind' = 'tac' and status = 'blocked'
        and 'barred' = any(reasons) and (expires_at is null or expires_at > now()) order by 1`,
  );
  const golden = await rows<{ hash: string }>(
    sql`select target->>'hash' as hash from rule where target->>'kind' = 'golden' order by 1`,
  );
  const pairing = await rows<{ device_key: string; imsi: string; msisdn: string | null }>(
    sql`select device_key, imsi, msisdn from pairing where expires_at is null or expires_at > now() order by 1, 2`,
  );
  const subscribers = await rows<{ uid: string; imsi: string }>(
    sql`select uid, imsi from analytics_subscriber order by 1, 2`,
  );
  // Sealed at rest when imported with a key (subscriber-lists.ts); the lists carry them opened.
  const [sealing] = await rows<{ key_id: string }>(
    sql`select key_id from analytics_sealing where what = 'subscriber_list'`,
  );
  if (sealing && sealing.key_id !== imsiSealer?.keyId)
    throw new Error(
      `the subscribers list's IMSIs are sealed under privacy key ${sealing.key_id}; set privacy.key_file to that key`,
    );
  if (sealing && imsiSealer) for (const s of subscribers) s.imsi = imsiSealer.open(s.imsi);
  const association = await rows<{ uid: string; imei_norm: string }>(
    sql`select uid, imei_norm from analytics_association order by 1, 2`,
  );
  return {
    gsma: gsma.map((g) => ({
      tac: g.tac,
      manufacturer: g.manufacturer,
      modelName: g.model,
      deviceType: g.device_type,
      ratMask: g.bands === null ? null : gsmaBandsToMask(g.bands),
    })),
    stolen: [...stolen].map(([imeiNorm, status]) => ({ imeiNorm, status })),
    barred: [...new Set(byReason('barred', 'blocked').map((r) => r.device_key))],
    barredTac: barredTac.map((r) => r.tac),
    monitoring: [...monitoring].map(([imeiNorm, startDate]) => ({ imeiNorm, startDate })),
    registration: [...registration].map(([imeiNorm, r]) => ({ imeiNorm, ...r })),
    association: association.map((a) => ({ uid: a.uid, imeiNorm: a.imei_norm })),
    subscribers,
    pairing: pairing.map((p) => ({ imeiNorm: p.device_key, imsi: p.imsi, msisdn: p.msisdn })),
    golden: golden.map((g) => g.hash),
  };
}

/** The `ref_*` tables both engines keep, with their columns; loaded whole before every run. */
export const REFERENCE_TABLES = {
  ref_gsma: ['tac', 'manufacturer', 'model_name', 'device_type', 'rat_mask'],
  ref_stolen: ['imei_norm', 'status'],
  ref_barred: ['imei_norm'],
  ref_barred_tac: ['tac'],
  ref_monitoring: ['imei_norm', 'start_date'],
  ref_registration: ['imei_norm', 'status', 'device_type'],
  ref_association: ['uid', 'imei_norm'],
  ref_subscribers: ['uid', 'imsi'],
  ref_pairing: ['imei_norm', 'imsi', 'msisdn'],
  ref_golden: ['hashed_imei_norm'],
} as const;

export type ReferenceTable = keyof typeof REFERENCE_TABLES;

/** The snapshot as rows of text per table (columns as in REFERENCE_TABLES; typed by the table). */
export function referenceRows(lists: ReferenceLists): Record<ReferenceTable, (string | null)[][]> {
  return {
    ref_gsma: lists.gsma.map((g) => [
      g.tac,
      g.manufacturer,
      g.modelName,
      g.deviceType,
      g.ratMask === null ? null : String(g.ratMask),
    ]),
    ref_stolen: lists.stolen.map((s) => [s.imeiNorm, s.status]),
    ref_barred: lists.barred.map((b) => [b]),
    ref_barred_tac: lists.barredTac.map((t) => [t]),
    ref_monitoring: lists.monitoring.map((m) => [m.imeiNorm, m.startDate]),
    ref_registration: lists.registration.map((r) => [r.imeiNorm, r.status, r.deviceType]),
    ref_association: lists.association.map((a) => [a.uid, a.imeiNorm]),
    ref_subscribers: lists.subscribers.map((s) => [s.uid, s.imsi]),
    ref_pairing: lists.pairing.map((p) => [p.imeiNorm, p.imsi, p.msisdn]),
    ref_golden: lists.golden.map((g) => [g]),
  };
}

/** Column types of the `ref_*` tables (the SQL both engines accept). */
export const REFERENCE_TYPES: Readonly<Record<string, string>> = {
  rat_mask: 'integer',
  start_date: 'timestamp',
};
