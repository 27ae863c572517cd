/**
 * The lists of one listgen run, computed from plain inputs with no I/O (dirbs-compat.md §4.1): the
 * blacklist, the per-operator notification lists and the per-operator exception lists. listgen.ts
 * reads the inputs from the registry and the engine; deltas live in delta.ts.
 */
import { createHash } from 'node:crypto';
import type { OperatorConfig } from '../config.ts';

/** An open classification row of a blocking condition that is in the current config. */
export interface BlockingRow {
  readonly imeiNorm: string;
  readonly reason: string;
  /** Null while amnesty's evaluation period holds the IMEI (§3.4): neither listed nor notified. */
  readonly blockDate: string | null;
  readonly amnestyGranted: boolean;
}

/** One monthly_triplet row in the lookback window, with IMSI and MSISDN. */
export interface SeenTriplet {
  readonly imeiNorm: string;
  readonly operator: string;
  readonly imsi: string;
  readonly msisdn: string;
  /** First day of the month, YYYY-MM-DD. */
  readonly month: string;
  readonly dateBitmask: number;
}

export interface Pairing {
  readonly imeiNorm: string;
  readonly imsi: string;
  readonly msisdn: string | null;
}

export interface BlacklistEntry {
  readonly imeiNorm: string;
  readonly blockDate: string;
  readonly reasons: string;
}

export interface NotificationEntry {
  readonly operator: string;
  readonly imeiNorm: string;
  readonly imsi: string;
  readonly msisdn: string;
  readonly blockDate: string;
  readonly reasons: string;
  readonly amnestyGranted: boolean;
}

export interface ExceptionEntry {
  readonly operator: string;
  readonly imeiNorm: string;
  readonly imsi: string;
  readonly msisdn: string | null;
}

export interface ListInputs {
  /** YYYY-MM-DD. */
  readonly listgenDate: string;
  readonly operators: readonly OperatorConfig[];
  readonly blocking: readonly BlockingRow[];
  /** MD5 of imei_norm, hex (ref_golden). */
  readonly golden: ReadonlySet<string>;
  readonly pairings: readonly Pairing[];
  readonly barred: ReadonlySet<string>;
  readonly barredTacs: ReadonlySet<string>;
  /** Triplets of the notified IMEIs seen in [windowStart, windowEnd). */
  readonly triplets: readonly SeenTriplet[];
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly options: PairingOptions & {
    readonly restrictExceptionsListToBlacklistedImeis: boolean;
    readonly includeBarredImeisInExceptionsList: boolean;
  };
}

export interface PairingOptions {
  /** DIRBS `notify_imsi_change`: only the IMSI of a pairing suppresses a notification, not its MSISDN. */
  readonly notifyImsiChange: boolean;
  /**
   * DIRBS's unparenthesised `imei = … AND imsi = … OR msisdn = …` (§4.1 [obs]): any pairing with the
   * same MSISDN suppresses the notification, whatever its IMEI. Off by default: the MSISDN branch is
   * bound to the IMEI, as DIRBS's documentation describes it.
   */
  readonly dirbsUnboundMsisdnQuirk: boolean;
}

export interface Lists {
  readonly blacklist: readonly BlacklistEntry[];
  readonly notifications: readonly NotificationEntry[];
  readonly exceptions: readonly ExceptionEntry[];
  /** IMEIs on the notification lists before triplets are joined (for the no_longer_seen reason). */
  readonly notifiedImeis: ReadonlySet<string>;
}

export const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The first configured operator whose MCC+MNC prefixes the IMSI (§4.1), or null (roamers, unknown MNC). */
export function homeOperator(imsi: string, operators: readonly OperatorConfig[]): string | null {
  for (const operator of operators)
    if (operator.mccMncPairs.some((p) => imsi.startsWith(p.mcc + p.mnc))) return operator.id;
  return null;
}

/** Whether a pairing suppresses the notification of this triplet (§4.1 step 3). */
export function pairedWith(
  pairings: readonly Pairing[],
  options: PairingOptions,
): (imeiNorm: string, imsi: string, msisdn: string) => boolean {
  const imeiImsi = new Set(pairings.map((p) => `${p.imeiNorm}|${p.imsi}`));
  const imeiMsisdn = new Set(pairings.filter((p) => p.msisdn).map((p) => `${p.imeiNorm}|${p.msisdn}`));
  const anyMsisdn = new Set(pairings.filter((p) => p.msisdn).map((p) => p.msisdn));
  return (imeiNorm, imsi, msisdn) => {
    if (imeiImsi.has(`${imeiNorm}|${imsi}`)) return true;
    if (options.notifyImsiChange) return false;
    return options.dirbsUnboundMsisdnQuirk ? anyMsisdn.has(msisdn) : imeiMsisdn.has(`${imeiNorm}|${msisdn}`);
  };
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Whether the day bitmask has a day in [start, end): the window is exact to the day. */
export function seenInWindow(month: string, bitmask: number, start: string, end: string): boolean {
  for (let day = 1; day <= 31; day++) {
    if ((bitmask & (1 << (day - 1))) === 0) continue;
    const date = addDays(month, day - 1);
    if (date >= start && date < end) return true;
  }
  return false;
}

const minDate = (dates: readonly string[]) => [...dates].sort(cmp)[0]!;
const joinReasons = (reasons: readonly string[]) => [...new Set(reasons)].sort().join('|');

export function computeLists(inputs: ListInputs): Lists {
  const { listgenDate, operators, golden } = inputs;
  const byImei = new Map<string, BlockingRow[]>();
  for (const row of inputs.blocking) {
    if (golden.has(md5(row.imeiNorm))) continue;
    const rows = byImei.get(row.imeiNorm) ?? [];
    rows.push(row);
    byImei.set(row.imeiNorm, rows);
  }

  const blacklist: BlacklistEntry[] = [];
  const notified = new Map<string, { blockDate: string; reasons: string; amnestyGranted: boolean }>();
  for (const [imeiNorm, rows] of byImei) {
    const dated = rows.filter((r): r is BlockingRow & { blockDate: string } => r.blockDate !== null);
    const due = dated.filter((r) => r.blockDate <= listgenDate);
    if (due.length > 0) {
      blacklist.push({
        imeiNorm,
        blockDate: minDate(dated.map((r) => r.blockDate)),
        reasons: joinReasons(due.map((r) => r.reason)),
      });
    } else if (dated.length > 0) {
      notified.set(imeiNorm, {
        blockDate: minDate(dated.map((r) => r.blockDate)),
        reasons: joinReasons(dated.map((r) => r.reason)),
        amnestyGranted: rows.every((r) => r.amnestyGranted),
      });
    }
  }
  blacklist.sort((a, b) => cmp(a.imeiNorm, b.imeiNorm));
  const blacklisted = new Set(blacklist.map((b) => b.imeiNorm));

  // One notification per (IMEI, IMSI, MSISDN) and routed operator.
  const paired = pairedWith(inputs.pairings, inputs.options);
  const seenBy = new Map<string, { triplet: SeenTriplet; operators: Set<string> }>();
  for (const t of inputs.triplets) {
    if (!notified.has(t.imeiNorm)) continue;
    if (!seenInWindow(t.month, t.dateBitmask, inputs.windowStart, inputs.windowEnd)) continue;
    if (paired(t.imeiNorm, t.imsi, t.msisdn)) continue;
    const key = `${t.imeiNorm}|${t.imsi}|${t.msisdn}`;
    const entry = seenBy.get(key) ?? { triplet: t, operators: new Set<string>() };
    entry.operators.add(t.operator);
    seenBy.set(key, entry);
  }
  const configured = new Set(operators.map((o) => o.id));
  const notifications: NotificationEntry[] = [];
  for (const { triplet, operators: sawIt } of seenBy.values()) {
    const home = homeOperator(triplet.imsi, operators);
    const routes = home ? [home] : [...sawIt].filter((o) => configured.has(o));
    const state = notified.get(triplet.imeiNorm)!;
    for (const operator of routes)
      notifications.push({
        operator,
        imeiNorm: triplet.imeiNorm,
        imsi: triplet.imsi,
        msisdn: triplet.msisdn,
        ...state,
      });
  }
  notifications.sort(
    (a, b) =>
      cmp(a.operator, b.operator) ||
      cmp(a.imeiNorm, b.imeiNorm) ||
      cmp(a.imsi, b.imsi) ||
      cmp(a.msisdn, b.msisdn),
  );

  const exceptions: ExceptionEntry[] = [];
  for (const p of inputs.pairings) {
    if (inputs.options.restrictExceptionsListToBlacklistedImeis && !blacklisted.has(p.imeiNorm)) continue;
    if (
      !inputs.options.includeBarredImeisInExceptionsList &&
      (inputs.barred.has(p.imeiNorm) || inputs.barredTacs.has(p.imeiNorm.slice(0, 8)))
    )
      continue;
    const home = homeOperator(p.imsi, operators);
    // No home network: every operator gets the pairing (DIRBS), but not the MSISDN of a subscriber
    // of none of them: its EIR decides on IMEI and IMSI (data minimisation, docs/security.md).
    for (const operator of home ? [home] : operators.map((o) => o.id))
      exceptions.push({ operator, imeiNorm: p.imeiNorm, imsi: p.imsi, msisdn: home ? p.msisdn : null });
  }
  exceptions.sort(
    (a, b) => cmp(a.operator, b.operator) || cmp(a.imeiNorm, b.imeiNorm) || cmp(a.imsi, b.imsi),
  );

  return { blacklist, notifications, exceptions, notifiedImeis: new Set(notified.keys()) };
}

/** Byte order, the same whatever the engine's collation. */
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
