/**
 * List export, as CSV (DIRBS column layouts) or JSON lines, streamed page by page:
 *   blocked / tracked / allowed   imei,since,reasons   (blocked is the DIRBS blacklist: imei,block_date,reasons)
 *   pairing                       imei,imsi,msisdn     (the DIRBS exception list: barring overrides pairing)
 *   stolen, barred, monitoring, registration, devices, golden, barred-tac   the import layouts, so a list round-trips
 *   rules                         rule_key,kind,status,reasons,source,since
 * Devices on the golden list never appear on the blocked list.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type DeviceKey, fullImei } from '../../identifiers/index.ts';
import { type Executor, query } from '../../store/index.ts';

export const EXPORT_LISTS = [
  'blocked',
  'tracked',
  'allowed',
  'pairing',
  'stolen',
  'barred',
  'monitoring',
  'registration',
  'devices',
  'golden',
  'barred-tac',
  'rules',
] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];
export type ExportFormat = 'csv' | 'jsonl';

export interface ExportOptions {
  readonly format?: ExportFormat;
  /** Write 15-digit IMEIs with their Luhn digit (DIRBS generate_check_digit) instead of 14-digit keys. */
  readonly checkDigit?: boolean;
  readonly pageSize?: number;
}

type Row = Record<string, string | null>;

interface Layout {
  readonly columns: readonly string[];
  /** Rows after `after` (the last row's paging key), in key order. */
  page(db: Executor, after: string, limit: number): Promise<{ rows: Row[]; last: string | null }>;
}

const day = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYYMMDD')`);
const inForce = sql.raw('(expires_at is null or expires_at > now())');

function byDevice(columns: string[], select: (after: string, limit: number) => SQL): Layout {
  return {
    columns,
    page: async (db, after, limit) => {
      const rows = await query(db, select(after, limit));
      return {
        rows: rows as Row[],
        last: rows.length > 0 ? String(rows[rows.length - 1]!.paging_key) : null,
      };
    },
  };
}

function statusList(status: string): Layout {
  return byDevice(
    ['imei', status === 'blocked' ? 'block_date' : 'since', 'reasons'],
    (after, limit) => sql`
    select device_key as paging_key, device_key as imei, ${day('min(since)')} as ${sql.raw(status === 'blocked' ? 'block_date' : 'since')},
           string_agg(distinct reason, '|' order by reason) as reasons
    from device_reason d
    where status = ${status} and ${inForce} and device_key > ${after}
      and not exists (select 1 from rule g where g.kind = 'golden' and g.golden_hash = md5(d.device_key)
                      and (g.expires_at is null or g.expires_at > now()))
    group by device_key order by device_key limit ${limit}`,
  );
}

function listMembers(list: string, columns: string[], extra: SQL): Layout {
  return byDevice(
    columns,
    (after, limit) => sql`
    select device_key as paging_key, device_key as imei, ${extra}
    from device_reason where list = ${list} and ${inForce} and device_key > ${after}
    order by device_key limit ${limit}`,
  );
}

const LAYOUTS: Record<ExportList, Layout> = {
  blocked: statusList('blocked'),
  tracked: statusList('tracked'),
  allowed: statusList('allowed'),
  pairing: byDevice(
    ['imei', 'imsi', 'msisdn'],
    (after, limit) => sql`
    select device_key || '|' || imsi as paging_key, device_key as imei, imsi, msisdn from pairing p
    where ${inForce} and device_key || '|' || imsi > ${after}
      and not exists (select 1 from device_reason d where d.device_key = p.device_key and d.reason = 'barred' and d.status = 'blocked')
      and not exists (select 1 from rule r where r.kind = 'tac' and r.tac = left(p.device_key, 8) and 'barred' = any(r.reasons))
    order by device_key || '|' || imsi limit ${limit}`,
  ),
  stolen: listMembers(
    'stolen',
    ['imei', 'reporting_date', 'status'],
    sql`attributes->>'reportingDate' as reporting_date, 'blacklist' as status`,
  ),
  barred: listMembers('barred', ['imei'], sql`null as unused`),
  monitoring: listMembers('monitoring', ['imei'], sql`null as unused`),
  registration: byDevice(
    [
      'approved_imei',
      'make',
      'model',
      'status',
      'model_number',
      'brand_name',
      'device_type',
      'radio_interface',
      'device_id',
    ],
    (after, limit) => sql`
      select device_key as paging_key, device_key as approved_imei, attributes->>'make' as make, attributes->>'model' as model,
             'whitelist' as status, attributes->>'modelNumber' as model_number, attributes->>'brandName' as brand_name,
             attributes->>'deviceType' as device_type, attributes->>'radioInterface' as radio_interface, attributes->>'deviceId' as device_id
      from device_reason where list = 'registration' and ${inForce} and device_key > ${after}
      order by device_key limit ${limit}`,
  ),
  devices: byDevice(
    ['imei', 'status', 'reason', 'expires_at'],
    (after, limit) => sql`
    select device_key || '|' || status || '|' || reason as paging_key, device_key as imei, status, reason,
           to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as expires_at
    from device_reason where list = 'devices' and ${inForce} and device_key || '|' || status || '|' || reason > ${after}
    order by 1 limit ${limit}`,
  ),
  golden: byDevice(
    ['golden_imei'],
    (after, limit) => sql`
    select golden_hash as paging_key, golden_hash as golden_imei from rule
    where kind = 'golden' and ${inForce} and golden_hash > ${after} order by golden_hash limit ${limit}`,
  ),
  'barred-tac': byDevice(
    ['tac'],
    (after, limit) => sql`
    select tac as paging_key, tac from rule where kind = 'tac' and 'barred' = any(reasons) and ${inForce} and tac > ${after}
    order by tac limit ${limit}`,
  ),
  rules: byDevice(
    ['rule_key', 'kind', 'status', 'reasons', 'source', 'since'],
    (after, limit) => sql`
    select rule_key as paging_key, rule_key, kind, status, array_to_string(reasons, '|') as reasons, source, ${day('since')} as since
    from rule where ${inForce} and rule_key > ${after} order by rule_key limit ${limit}`,
  ),
};

const IMEI_COLUMNS = new Set(['imei', 'approved_imei']);

function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Streams the list as text chunks (header first for CSV). */
export async function* exportList(
  db: Executor,
  list: ExportList,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  const layout = LAYOUTS[list];
  const format = options.format ?? 'csv';
  const limit = options.pageSize ?? 50_000;
  if (format === 'csv') yield `${layout.columns.join(',')}\n`;
  let after = '';
  while (true) {
    const { rows, last } = await layout.page(db, after, limit);
    if (rows.length === 0 || last === null) return;
    const lines: string[] = [];
    for (const row of rows) {
      const values = layout.columns.map((column) => {
        const value = row[column] ?? null;
        return options.checkDigit && IMEI_COLUMNS.has(column) && value !== null
          ? fullImei(value as DeviceKey)
          : value;
      });
      lines.push(
        format === 'csv'
          ? values.map(csvField).join(',')
          : JSON.stringify(Object.fromEntries(layout.columns.map((column, i) => [column, values[i]]))),
      );
    }
    yield `${lines.join('\n')}\n`;
    after = last;
    if (rows.length < limit) return;
  }
}
