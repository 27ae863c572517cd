/**
 * The compliance audit of operator EIRs (ITU-T Q.5053 methods 2 and 4; DIRBS `blacklist_violations`):
 * per operator,
 *   (a) list freshness: its acknowledged position against the ledger head, and the age of the first
 *       change of its feed it has not acknowledged (a violation past `maxLagMs`);
 *   (b) sampled checks through its EIR's N5g-eir endpoint: N blocked, N tracked and N other devices
 *       (half of each the newest, half at random, so that a lagging EIR is caught), each answer
 *       compared with the national lists (the registry's own verdict for the device);
 *   (c) blocked devices seen active in its network data after their block date (the analytics
 *       engine's monthly_triplet), counted by days between block date and last seen in DIRBS's
 *       buckets 1–2, 3–5, 6–10, 11–20, 21–30, 31–90, 90+.
 * The adapters (CLI, REST) give the expected verdicts and the network data; this file does no
 * wiring of its own.
 */
import { sql } from 'drizzle-orm';
import { type DeviceKey, fullImei } from '../../identifiers/index.ts';
import type { Ledger } from '../../ledger/ledger.ts';
import { query } from '../../store/index.ts';
import { firstPending } from './changes.ts';
import type { OperatorDeliveries } from './delivery.ts';
import { type EirAnswer, EirClient } from './eir-client.ts';

/** What the audit reads of the analytics engine (AnalyticsEngine.query has this shape). */
export interface NetworkData {
  query(text: string): Promise<Record<string, string | null>[]>;
}

export interface AuditOptions {
  /** Devices per list to check through each EIR (0: no sampled checks). */
  readonly sample: number;
  /** An unacknowledged change older than this is a freshness violation. */
  readonly maxLagMs: number;
  /** The national lists' answer for a device (the registry's verdict). */
  readonly expected: (deviceKey: string) => EirAnswer;
  /** The analytics engine, or null when there is none; or why it cannot be read. */
  readonly networkData: NetworkData | null | { readonly unavailable: string };
  readonly now?: Date;
  readonly eirTimeoutMs?: number;
}

export const AGE_BUCKETS = ['1-2', '3-5', '6-10', '11-20', '21-30', '31-90', '90+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];
export const MAX_SAMPLE = 1_000;

export function ageBucket(days: number): AgeBucket | null {
  if (days < 1) return null;
  if (days <= 2) return '1-2';
  if (days <= 5) return '3-5';
  if (days <= 10) return '6-10';
  if (days <= 20) return '11-20';
  if (days <= 30) return '21-30';
  if (days <= 90) return '31-90';
  return '90+';
}

export interface WrongAnswer {
  readonly deviceKey: string;
  readonly list: 'blocked' | 'tracked' | 'other';
  readonly expected: EirAnswer;
  readonly answered: EirAnswer | 'error';
  readonly error?: string;
}

export interface OperatorAudit {
  readonly operator: string;
  readonly freshness: {
    readonly acknowledgedPosition: number;
    readonly head: number;
    readonly entriesBehind: number;
    readonly oldestUnacknowledgedAt: string | null;
    readonly ageMs: number;
    readonly violation: boolean;
  };
  readonly checks: {
    readonly endpoint: string | null;
    /** Why no checks were made (no endpoint configured, sample 0). */
    readonly skipped: string | null;
    readonly sampled: Readonly<Record<'blocked' | 'tracked' | 'other', number>>;
    readonly correct: number;
    readonly wrong: readonly WrongAnswer[];
    readonly violation: boolean;
  };
  readonly network: {
    /** null when read; otherwise why not (no analytics engine, no data for this operator). */
    readonly skipped: string | null;
    readonly seenAfterBlock: number;
    readonly byAge: Readonly<Record<AgeBucket, number>>;
    readonly examples: readonly { deviceKey: string; blockedOn: string; lastSeen: string; days: number }[];
    readonly violation: boolean;
  };
  readonly violations: number;
}

export interface AuditReport {
  readonly at: string;
  readonly head: number;
  readonly sample: number;
  readonly operators: readonly OperatorAudit[];
  readonly violations: number;
}

const emptyBuckets = (): Record<AgeBucket, number> =>
  Object.fromEntries(AGE_BUCKETS.map((b) => [b, 0])) as Record<AgeBucket, number>;

/** Device keys to check: half the newest of the list, the rest at random. */
async function sampleKeys(
  ledger: Ledger,
  list: 'blocked' | 'tracked' | 'other',
  n: number,
): Promise<string[]> {
  if (n === 0) return [];
  const newest = Math.ceil(n / 2);
  const rows =
    list === 'other'
      ? await query(
          ledger.db,
          sql`with candidates as (
                select device_key, max(seq) as seq from ledger_entry
                where device_key is not null and device_key ~ '^[0-9]{14}$'
                  and device_key not in (select device_key from device_reason where status in ('blocked', 'tracked'))
                group by device_key),
              recent as (select device_key from candidates order by seq desc limit ${newest})
              select device_key from recent
              union all (select device_key from candidates where device_key not in (select device_key from recent)
                         order by random() limit ${n - newest})`,
        )
      : await query(
          ledger.db,
          sql`with candidates as (
                select device_key, max(seq) as seq from device_reason where status = ${list} group by device_key),
              recent as (select device_key from candidates order by seq desc limit ${newest})
              select device_key from recent
              union all (select device_key from candidates where device_key not in (select device_key from recent)
                         order by random() limit ${n - newest})`,
        );
  return rows.map((r) => String(r.device_key));
}

async function sampledChecks(
  ledger: Ledger,
  endpoint: string | null,
  options: AuditOptions,
): Promise<OperatorAudit['checks']> {
  const sampled = { blocked: 0, tracked: 0, other: 0 };
  if (!endpoint || options.sample === 0) {
    return {
      endpoint,
      skipped: endpoint ? 'sample 0' : 'no EIR endpoint configured (openceir exchange eir set)',
      sampled,
      correct: 0,
      wrong: [],
      violation: false,
    };
  }
  const client = new EirClient(endpoint, options.eirTimeoutMs ?? 5_000);
  const wrong: WrongAnswer[] = [];
  let correct = 0;
  try {
    for (const list of ['blocked', 'tracked', 'other'] as const) {
      for (const deviceKey of await sampleKeys(ledger, list, options.sample)) {
        sampled[list]++;
        const expected = options.expected(deviceKey);
        let answered: EirAnswer | 'error';
        let error: string | undefined;
        try {
          answered = await client.status(`imei-${fullImei(deviceKey as DeviceKey)}`);
        } catch (failure) {
          answered = 'error';
          error = (failure as Error).message;
        }
        if (answered === expected) correct++;
        else wrong.push({ deviceKey, list, expected, answered, ...(error ? { error } : {}) });
      }
    }
  } finally {
    await client.close();
  }
  return { endpoint, skipped: null, sampled, correct, wrong, violation: wrong.length > 0 };
}

/** Blocked devices with their block date (the earliest active blocking reason), by device key. */
async function blockDates(ledger: Ledger): Promise<Map<string, string>> {
  const rows = await query(
    ledger.db,
    sql`select device_key, to_char(min(since) at time zone 'UTC', 'YYYY-MM-DD') as blocked_on
        from device_reason where status = 'blocked' group by device_key`,
  );
  return new Map(rows.map((r) => [String(r.device_key), String(r.blocked_on)]));
}

const DAY_MS = 86_400_000;
const CHUNK = 2_000;

/** Per operator of the network data: blocked devices last seen after their block date. */
async function networkViolations(
  data: NetworkData,
  blocked: Map<string, string>,
): Promise<Map<string, OperatorAudit['network']>> {
  const found = new Map<
    string,
    { byAge: Record<AgeBucket, number>; examples: OperatorAudit['network']['examples'][number][] }
  >();
  const operators = await data.query('select distinct operator from monthly_triplet order by operator');
  for (const row of operators) found.set(String(row.operator), { byAge: emptyBuckets(), examples: [] });
  const keys = [...blocked.keys()].filter((k) => /^[0-9]{14}$/.test(k));
  for (let i = 0; i < keys.length; i += CHUNK) {
    const list = keys
      .slice(i, i + CHUNK)
      .map((k) => `'${k}'`)
      .join(',');
    const rows = await data.query(
      `select imei_norm, operator, cast(max(last_seen) as varchar) as last_seen from monthly_triplet
       where imei_norm in (${list}) group by imei_norm, operator`,
    );
    for (const r of rows) {
      const deviceKey = String(r.imei_norm);
      const blockedOn = blocked.get(deviceKey)!;
      const lastSeen = String(r.last_seen).slice(0, 10);
      const days = Math.round((Date.parse(lastSeen) - Date.parse(blockedOn)) / DAY_MS);
      const bucket = ageBucket(days);
      if (!bucket) continue;
      const entry = found.get(String(r.operator)) ?? { byAge: emptyBuckets(), examples: [] };
      found.set(String(r.operator), entry);
      entry.byAge[bucket]++;
      if (entry.examples.length < 20) entry.examples.push({ deviceKey, blockedOn, lastSeen, days });
    }
  }
  const result = new Map<string, OperatorAudit['network']>();
  for (const [operator, { byAge, examples }] of found) {
    const seenAfterBlock = Object.values(byAge).reduce((a, b) => a + b, 0);
    result.set(operator, { skipped: null, seenAfterBlock, byAge, examples, violation: seenAfterBlock > 0 });
  }
  return result;
}

export async function auditOperators(
  ledger: Ledger,
  deliveries: OperatorDeliveries,
  options: AuditOptions,
): Promise<AuditReport> {
  if (!Number.isSafeInteger(options.sample) || options.sample < 0 || options.sample > MAX_SAMPLE)
    throw new RangeError(`sample ${options.sample} is not between 0 and ${MAX_SAMPLE}`);
  const now = options.now ?? new Date();
  const head = await ledger.size();
  let network: Map<string, OperatorAudit['network']> | null = null;
  let networkSkipped: string | null = null;
  if (options.networkData === null) networkSkipped = 'no analytics engine';
  else if ('unavailable' in options.networkData) networkSkipped = options.networkData.unavailable;
  else network = await networkViolations(options.networkData, await blockDates(ledger));

  const ids = new Set(await deliveries.operatorIds());
  for (const id of network?.keys() ?? []) ids.add(id);
  const operators: OperatorAudit[] = [];
  for (const operator of [...ids].sort()) {
    const row = await deliveries.row(operator);
    const acknowledged = Number(row?.acknowledged_position ?? 0);
    const pending =
      acknowledged < head ? await firstPending(ledger, deliveries.scope(operator), acknowledged) : null;
    const ageMs = pending ? Math.max(0, now.getTime() - Date.parse(pending.time)) : 0;
    const freshness = {
      acknowledgedPosition: acknowledged,
      head,
      entriesBehind: head - acknowledged,
      oldestUnacknowledgedAt: pending?.time ?? null,
      ageMs,
      violation: pending !== null && ageMs > options.maxLagMs,
    };
    const checks = await sampledChecks(ledger, (row?.eir_url as string | null) ?? null, options);
    const seen = network?.get(operator) ?? {
      skipped: networkSkipped ?? 'no network data for this operator',
      seenAfterBlock: 0,
      byAge: emptyBuckets(),
      examples: [],
      violation: false,
    };
    const violations = (freshness.violation ? 1 : 0) + checks.wrong.length + seen.seenAfterBlock;
    operators.push({ operator, freshness, checks, network: seen, violations });
  }
  return {
    at: now.toISOString(),
    head,
    sample: options.sample,
    operators,
    violations: operators.reduce((n, o) => n + o.violations, 0),
  };
}

/** The report as a text table, one line per operator, then the wrong answers and the age buckets. */
export function auditText(report: AuditReport): string {
  const hours = (ms: number) => (ms / 3_600_000).toFixed(1);
  const lines = [
    `Compliance audit (ITU-T Q.5053) at ${report.at}, ledger head ${report.head}, sample ${report.sample} per list`,
    '',
    `${'operator'.padEnd(16)} ${'acked'.padStart(8)} ${'behind'.padStart(8)} ${'age h'.padStart(7)} ${'checked'.padStart(8)} ${'wrong'.padStart(6)} ${'seen after block'.padStart(17)}  verdict`,
  ];
  for (const o of report.operators) {
    const checked = o.checks.skipped ? '-' : String(o.checks.correct + o.checks.wrong.length);
    const wrong = o.checks.skipped ? '-' : String(o.checks.wrong.length);
    const seen = o.network.skipped ? '-' : String(o.network.seenAfterBlock);
    lines.push(
      `${o.operator.padEnd(16)} ${String(o.freshness.acknowledgedPosition).padStart(8)} ${String(o.freshness.entriesBehind).padStart(8)} ` +
        `${hours(o.freshness.ageMs).padStart(7)} ${checked.padStart(8)} ${wrong.padStart(6)} ${seen.padStart(17)}  ` +
        `${o.violations > 0 ? `VIOLATIONS ${o.violations}` : 'ok'}`,
    );
  }
  for (const o of report.operators) {
    const notes: string[] = [];
    if (o.freshness.violation)
      notes.push(`  list not fresh: first unacknowledged change of ${o.freshness.oldestUnacknowledgedAt}`);
    if (o.checks.skipped) notes.push(`  sampled checks skipped: ${o.checks.skipped}`);
    for (const w of o.checks.wrong)
      notes.push(
        `  ${w.deviceKey} (${w.list}): expected ${w.expected}, EIR answered ${w.answered}${w.error ? ` (${w.error})` : ''}`,
      );
    if (o.network.skipped) notes.push(`  network data: ${o.network.skipped}`);
    else if (o.network.seenAfterBlock > 0)
      notes.push(
        `  seen after block, by days: ${AGE_BUCKETS.map((b) => `${b}: ${o.network.byAge[b]}`).join(', ')}`,
        ...o.network.examples.map(
          (e) => `    ${e.deviceKey} blocked ${e.blockedOn}, last seen ${e.lastSeen} (${e.days} days)`,
        ),
      );
    if (notes.length > 0) lines.push('', `${o.operator}:`, ...notes);
  }
  lines.push('', report.violations > 0 ? `${report.violations} violations found` : 'no violations found');
  return `${lines.join('\n')}\n`;
}
