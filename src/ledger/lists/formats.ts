/**
 * The list files OpenCEIR imports: the DIRBS-Core list formats (dirbs-compat.md §2.4–2.9), and
 * OpenCEIR's own `devices` list. Each format says which columns it has, how a row becomes an item
 * (a key and its metadata), which items are current in the registry, and which ledger entry adds,
 * updates or removes one.
 */
import { sql } from 'drizzle-orm';
import { normalizeImei, parseImsi, parseMsisdn } from '../../identifiers/index.ts';
import { type Executor, query } from '../../store/index.ts';
import {
  DEVICE_STATUSES,
  type DeviceStatus,
  type EntryDraft,
  goldenHash,
  LISTS,
  type ListName,
} from '../entry.ts';
import { reasonInfo } from '../reasons.ts';

/** Every bulk list can be imported: the import types are the ledger's list names. */
export const IMPORT_TYPES = LISTS;
export type ImportType = ListName;

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** One list member: its key and the metadata that, when it changes, makes an update. */
export interface Item {
  readonly key: string;
  readonly meta: Readonly<Record<string, string | null>>;
}

export type RowResult =
  | { readonly item: Item }
  | { readonly problems: readonly FieldProblem[] }
  | { readonly ignored: string };

export interface Context {
  readonly actor: string;
  readonly source: string;
  readonly reference: string;
  /** golden list: values are MD5 hashes of the device key already (DIRBS --pre-hashed). */
  readonly preHashed: boolean;
}

export interface ListFormat {
  readonly type: ImportType;
  readonly list: ListName;
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** DIRBS historic size check: a full list may not shrink below max(1, current − absolute, percent × current). */
  readonly sizeCheck: { readonly absolute: number; readonly percent: number };
  parse(fields: Readonly<Record<string, string>>, context: Context): RowResult;
  current(db: Executor, source: string): Promise<Map<string, Item>>;
  add(item: Item, context: Context): EntryDraft;
  remove(item: Item, context: Context): EntryDraft;
}

const empty = (v: string | undefined) => (v === undefined || v === '' ? null : v);

/** DIRBS normalisation, refusing what no list can hold: a key must start with 14 digits. */
function deviceKeyOf(raw: string | undefined, field: string): string | FieldProblem {
  if (!raw) return { field, message: 'is empty' };
  if (!/^[0-9A-Fa-f*#]{1,16}$/.test(raw))
    return { field, message: 'must be 1 to 16 characters of 0-9, A-F, * or # (DIRBS IMEI format)' };
  const normalized = normalizeImei(raw);
  if (normalized.kind !== 'key')
    return {
      field,
      message: `${JSON.stringify(raw)} does not start with 14 decimal digits, so no list can hold it`,
    };
  return normalized.deviceKey;
}

const base = (context: Context) => ({
  actor: context.actor,
  source: context.source,
  reference: context.reference,
});

async function reasonItems(
  db: Executor,
  list: ListName,
  source: string,
  meta: (attributes: Record<string, string> | null) => Item['meta'],
) {
  const rows = await query(
    db,
    sql`select device_key, attributes from device_reason where list = ${list} and source = ${source}`,
  );
  return new Map(
    rows.map((r) => [
      String(r.device_key),
      { key: String(r.device_key), meta: meta(r.attributes as Record<string, string> | null) },
    ]),
  );
}

async function ruleItems(
  db: Executor,
  list: ListName,
  source: string,
  keyOf: (target: Record<string, string>) => string,
) {
  const rows = await query(db, sql`select target from rule where list = ${list} and source = ${source}`);
  return new Map(
    rows.map((r) => {
      const key = keyOf(r.target as Record<string, string>);
      return [key, { key, meta: {} }];
    }),
  );
}

/** A list of devices with one status and reason (barred, monitoring). */
function simpleDeviceList(
  type: ImportType,
  list: ListName,
  column: string,
  status: DeviceStatus,
  reason: string,
): ListFormat {
  const action = status === 'blocked' ? 'block' : status === 'tracked' ? 'track' : 'allow';
  const lift = status === 'blocked' ? 'unblock' : status === 'tracked' ? 'untrack' : 'disallow';
  return {
    type,
    list,
    required: [column],
    optional: [],
    sizeCheck: { absolute: -1, percent: 0.75 },
    parse: (fields) => {
      const key = deviceKeyOf(fields[column], column);
      return typeof key === 'string' ? { item: { key, meta: {} } } : { problems: [key] };
    },
    current: (db, source) => reasonItems(db, list, source, () => ({})),
    add: (item, context) => ({
      ...base(context),
      action,
      target: { kind: 'device', deviceKey: item.key },
      reasons: [reason],
      list,
    }),
    remove: (item, context) => ({
      ...base(context),
      action: lift,
      target: { kind: 'device', deviceKey: item.key },
      reasons: [reason],
      list,
    }),
  };
}

const STOLEN: ListFormat = {
  type: 'stolen',
  list: 'stolen',
  required: ['imei'],
  optional: ['reporting_date', 'status'],
  sizeCheck: { absolute: -1, percent: 0.75 },
  parse: (fields) => {
    const problems: FieldProblem[] = [];
    const key = deviceKeyOf(fields.imei, 'imei');
    if (typeof key !== 'string') problems.push(key);
    const date = empty(fields.reporting_date);
    if (date !== null && !/^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(date)) {
      problems.push({ field: 'reporting_date', message: 'must be a date YYYYMMDD' });
    }
    if (problems.length > 0) return { problems };
    const status = empty(fields.status?.toLowerCase());
    // DIRBS: only status empty or "blacklist" is stolen; pending, recovered, … are provisional.
    if (status !== null && status !== 'blacklist')
      return { ignored: `status ${status} is provisional (only empty or blacklist block)` };
    return { item: { key: key as string, meta: { reportingDate: date } } };
  },
  current: (db, source) =>
    reasonItems(db, 'stolen', source, (a) => ({ reportingDate: a?.reportingDate ?? null })),
  add: (item, context) => ({
    ...base(context),
    action: 'block',
    target: { kind: 'device', deviceKey: item.key },
    reasons: ['stolen'],
    list: 'stolen',
    attributes: item.meta.reportingDate ? { reportingDate: item.meta.reportingDate } : null,
  }),
  remove: (item, context) => ({
    ...base(context),
    action: 'unblock',
    target: { kind: 'device', deviceKey: item.key },
    reasons: ['stolen'],
    list: 'stolen',
  }),
};

const PAIRING: ListFormat = {
  type: 'pairing',
  list: 'pairing',
  required: ['imei', 'imsi', 'msisdn'],
  optional: [],
  sizeCheck: { absolute: 1000, percent: 0.95 },
  parse: (fields) => {
    const problems: FieldProblem[] = [];
    const key = deviceKeyOf(fields.imei, 'imei');
    if (typeof key !== 'string') problems.push(key);
    const imsi = parseImsi(fields.imsi ?? '', { source: 'network' });
    if (!imsi.ok) problems.push({ field: 'imsi', message: imsi.error.message });
    const msisdn = parseMsisdn(fields.msisdn ?? '', { source: 'network' });
    if (!msisdn.ok) problems.push({ field: 'msisdn', message: msisdn.error.message });
    if (problems.length > 0 || !imsi.ok || !msisdn.ok) return { problems };
    return { item: { key: `${key}|${imsi.value.digits}`, meta: { msisdn: msisdn.value.digits } } };
  },
  current: async (db, source) => {
    const rows = await query(
      db,
      sql`select device_key, imsi, msisdn from pairing where list = 'pairing' and source = ${source}`,
    );
    return new Map(
      rows.map((r) => {
        const key = `${r.device_key}|${r.imsi}`;
        return [key, { key, meta: { msisdn: (r.msisdn as string | null) ?? null } }];
      }),
    );
  },
  add: (item, context) => {
    const [deviceKey, imsi] = item.key.split('|') as [string, string];
    return {
      ...base(context),
      action: 'pair',
      target: { kind: 'pair', deviceKey, imsi, msisdn: item.meta.msisdn ?? null },
      list: 'pairing',
    };
  },
  remove: (item, context) => {
    const [deviceKey, imsi] = item.key.split('|') as [string, string];
    return {
      ...base(context),
      action: 'unpair',
      target: { kind: 'pair', deviceKey, imsi, msisdn: item.meta.msisdn ?? null },
      list: 'pairing',
    };
  },
};

const REGISTRATION_META = [
  'make',
  'model',
  'model_number',
  'brand_name',
  'device_type',
  'radio_interface',
  'device_id',
] as const;
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const REGISTRATION: ListFormat = {
  type: 'registration',
  list: 'registration',
  required: ['approved_imei', 'device_id'],
  optional: ['make', 'model', 'status', 'model_number', 'brand_name', 'device_type', 'radio_interface'],
  sizeCheck: { absolute: -1, percent: 0.75 },
  parse: (fields) => {
    const problems: FieldProblem[] = [];
    const key = deviceKeyOf(fields.approved_imei, 'approved_imei');
    if (typeof key !== 'string') problems.push(key);
    if (!/^[0-9A-Za-z]{1,64}$/.test(fields.device_id ?? ''))
      problems.push({ field: 'device_id', message: 'must be 1 to 64 letters or digits' });
    for (const column of REGISTRATION_META) {
      if ((fields[column] ?? '').length > 4096)
        problems.push({ field: column, message: 'must be at most 4096 characters' });
    }
    if (problems.length > 0) return { problems };
    const status = empty(fields.status?.toLowerCase());
    if (status !== null && status !== 'whitelist')
      return { ignored: `status ${status} is provisional (only empty or whitelist register)` };
    const meta: Record<string, string | null> = {};
    for (const column of REGISTRATION_META) meta[camel(column)] = empty(fields[column]);
    return { item: { key: key as string, meta } };
  },
  current: (db, source) =>
    reasonItems(db, 'registration', source, (a) =>
      Object.fromEntries(REGISTRATION_META.map((c) => [camel(c), a?.[camel(c)] ?? null])),
    ),
  add: (item, context) => ({
    ...base(context),
    action: 'allow',
    target: { kind: 'device', deviceKey: item.key },
    reasons: ['registered'],
    list: 'registration',
    attributes: Object.fromEntries(
      Object.entries(item.meta).filter((e): e is [string, string] => e[1] !== null),
    ),
  }),
  remove: (item, context) => ({
    ...base(context),
    action: 'disallow',
    target: { kind: 'device', deviceKey: item.key },
    reasons: ['registered'],
    list: 'registration',
  }),
};

const GOLDEN: ListFormat = {
  type: 'golden',
  list: 'golden',
  required: ['golden_imei'],
  optional: [],
  sizeCheck: { absolute: -1, percent: 0.75 },
  parse: (fields, context) => {
    if (context.preHashed) {
      const hash = (fields.golden_imei ?? '').toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(hash))
        return {
          problems: [
            {
              field: 'golden_imei',
              message: 'must be 32 hex digits (MD5 of the 14-digit IMEI) with --pre-hashed',
            },
          ],
        };
      return { item: { key: hash, meta: {} } };
    }
    const key = deviceKeyOf(fields.golden_imei, 'golden_imei');
    return typeof key === 'string' ? { item: { key: goldenHash(key), meta: {} } } : { problems: [key] };
  },
  current: (db, source) => ruleItems(db, 'golden', source, (t) => t.hash!),
  add: (item, context) => ({
    ...base(context),
    action: 'rule-add',
    target: { kind: 'golden', hash: item.key },
    status: 'allowed',
    reasons: ['golden'],
    list: 'golden',
  }),
  remove: (item, context) => ({
    ...base(context),
    action: 'rule-remove',
    target: { kind: 'golden', hash: item.key },
    list: 'golden',
  }),
};

const BARRED_TAC: ListFormat = {
  type: 'barred-tac',
  list: 'barred-tac',
  required: ['tac'],
  optional: [],
  sizeCheck: { absolute: -1, percent: 0.75 },
  parse: (fields) =>
    /^[0-9]{8}$/.test(fields.tac ?? '')
      ? { item: { key: fields.tac!, meta: {} } }
      : { problems: [{ field: 'tac', message: 'must be 8 digits' }] },
  current: (db, source) => ruleItems(db, 'barred-tac', source, (t) => t.tac!),
  add: (item, context) => ({
    ...base(context),
    action: 'rule-add',
    target: { kind: 'tac', tac: item.key },
    status: 'blocked',
    reasons: ['barred'],
    list: 'barred-tac',
  }),
  remove: (item, context) => ({
    ...base(context),
    action: 'rule-remove',
    target: { kind: 'tac', tac: item.key },
    list: 'barred-tac',
  }),
};

const ACTION_OF: Record<DeviceStatus, ['block' | 'track' | 'allow', 'unblock' | 'untrack' | 'disallow']> = {
  blocked: ['block', 'unblock'],
  tracked: ['track', 'untrack'],
  allowed: ['allow', 'disallow'],
};

/** OpenCEIR's own list: `imei,status,reason[,note][,expires_at]`, one row per device and reason. */
const DEVICES: ListFormat = {
  type: 'devices',
  list: 'devices',
  required: ['imei', 'status', 'reason'],
  optional: ['note', 'expires_at'],
  sizeCheck: { absolute: -1, percent: 0.75 },
  parse: (fields) => {
    const problems: FieldProblem[] = [];
    const key = deviceKeyOf(fields.imei, 'imei');
    if (typeof key !== 'string') problems.push(key);
    const status = (fields.status ?? '').toLowerCase();
    if (!(DEVICE_STATUSES as readonly string[]).includes(status))
      problems.push({ field: 'status', message: 'must be blocked, tracked or allowed' });
    const reason = fields.reason ?? '';
    const info = reasonInfo(reason);
    if (!info)
      problems.push({
        field: 'reason',
        message: `unknown reason ${JSON.stringify(reason)}; see GET /api/v1/reasons`,
      });
    else if (
      (DEVICE_STATUSES as readonly string[]).includes(status) &&
      !info.statuses.includes(status as DeviceStatus)
    ) {
      problems.push({ field: 'reason', message: `reason ${reason} cannot justify status ${status}` });
    }
    const expires = empty(fields.expires_at);
    if (expires !== null && Number.isNaN(Date.parse(expires)))
      problems.push({ field: 'expires_at', message: 'must be an ISO 8601 date-time' });
    else if (expires !== null && Date.parse(expires) <= Date.now())
      problems.push({ field: 'expires_at', message: 'must lie in the future' });
    if (problems.length > 0) return { problems };
    return {
      item: {
        key: `${key}|${status}|${reason}`,
        meta: {
          note: empty(fields.note),
          expiresAt: expires === null ? null : new Date(expires).toISOString(),
        },
      },
    };
  },
  current: async (db, source) => {
    const rows = await query(
      db,
      sql`select device_key, status, reason, floor(extract(epoch from expires_at) * 1000)::bigint as expires_ms
          from device_reason where list = 'devices' and source = ${source}`,
    );
    const notes = await query(
      db,
      sql`select d.device_key, d.status, d.reason, e.note from device_reason d join ledger_entry e on e.seq = d.seq
          where d.list = 'devices' and d.source = ${source}`,
    );
    const noteOf = new Map(
      notes.map((n) => [`${n.device_key}|${n.status}|${n.reason}`, (n.note as string | null) ?? null]),
    );
    return new Map(
      rows.map((r) => {
        const key = `${r.device_key}|${r.status}|${r.reason}`;
        const expiresAt = r.expires_ms == null ? null : new Date(Number(r.expires_ms)).toISOString();
        return [key, { key, meta: { note: noteOf.get(key) ?? null, expiresAt } }];
      }),
    );
  },
  add: (item, context) => {
    const [deviceKey, status, reason] = item.key.split('|') as [string, DeviceStatus, string];
    return {
      ...base(context),
      action: ACTION_OF[status][0],
      target: { kind: 'device', deviceKey },
      reasons: [reason],
      list: 'devices',
      note: item.meta.note ?? null,
      expiresAt: item.meta.expiresAt ?? null,
    };
  },
  remove: (item, context) => {
    const [deviceKey, status, reason] = item.key.split('|') as [string, DeviceStatus, string];
    return {
      ...base(context),
      action: ACTION_OF[status][1],
      target: { kind: 'device', deviceKey },
      reasons: [reason],
      list: 'devices',
    };
  },
};

export const FORMATS: Readonly<Record<ImportType, ListFormat>> = {
  stolen: STOLEN,
  pairing: PAIRING,
  registration: REGISTRATION,
  golden: GOLDEN,
  barred: simpleDeviceList('barred', 'barred', 'imei', 'blocked', 'barred'),
  'barred-tac': BARRED_TAC,
  monitoring: simpleDeviceList('monitoring', 'monitoring', 'imei', 'tracked', 'monitoring'),
  devices: DEVICES,
};
