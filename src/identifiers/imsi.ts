/**
 * IMSI: MCC (3) + MNC (2 or 3) + MSIN, at most 15 digits (TS 23.003 §2.2). The MNC length cannot be
 * read off the digits, so the split uses the MCC–MNC table of the `mcc-mnc-list` package
 * (maintained from the Wikipedia "Mobile country code" pages, which follow ITU-T E.212 assignments).
 */
import { createRequire } from 'node:module';
import type { InputSource } from './imei.ts';
import { asText, type Brand, fail, ok, type ParseResult, quote } from './result.ts';

export type ImsiDigits = Brand<string, 'Imsi'>;

export interface MobileNetwork {
  readonly mcc: string;
  readonly mnc: string;
  readonly countryCode: string | null;
  readonly countryName: string | null;
  readonly brand: string | null;
  readonly operator: string | null;
  readonly status: string | null;
}

export interface Imsi {
  readonly kind: 'imsi';
  readonly digits: ImsiDigits;
  readonly mcc: string;
  /** Null when the MCC–MNC table knows no network of this MCC that the digits start with. */
  readonly mnc: string | null;
  readonly msin: string | null;
  readonly network: MobileNetwork | null;
  /** The country of the MCC even when the network is unknown (most common one for shared MCCs). */
  readonly countryCode: string | null;
  /** MCC 001 (test networks) and 999 (internal use in private networks), ITU-T E.212. */
  readonly testNetwork: boolean;
}

export interface ImsiOptions {
  /** Default `person`: an MCC no country uses is an error. From the network it is accepted. */
  readonly source?: InputSource;
}

interface Operator {
  type: string | null;
  countryName: string | null;
  countryCode: string | null;
  mcc: string;
  mnc: string;
  brand: string | null;
  operator: string | null;
  status: string | null;
}

interface MccEntry {
  readonly networks: Map<string, MobileNetwork>;
  readonly countryCode: string | null;
}

let table: Map<string, MccEntry> | undefined;

/** Built on first use: the table is 3,000 rows and most processes never parse an IMSI. */
function mccTable(): Map<string, MccEntry> {
  if (table) return table;
  const require = createRequire(import.meta.url);
  const rows = (require('mcc-mnc-list') as { all(): Operator[] }).all();
  const byMcc = new Map<string, { rows: Operator[]; countries: Map<string, number> }>();
  for (const row of rows) {
    if (!/^[0-9]{3}$/.test(row.mcc) || !/^[0-9]{2,3}$/.test(row.mnc ?? '')) continue;
    let entry = byMcc.get(row.mcc);
    if (!entry) {
      entry = { rows: [], countries: new Map() };
      byMcc.set(row.mcc, entry);
    }
    entry.rows.push(row);
    if (row.countryCode)
      entry.countries.set(row.countryCode, (entry.countries.get(row.countryCode) ?? 0) + 1);
  }
  table = new Map();
  for (const [mcc, entry] of byMcc) {
    const [countryCode] = [...entry.countries].sort((a, b) => b[1] - a[1])[0] ?? [null];
    // An MCC shared by territories (310: the US, Guam, Puerto Rico…) lists some MNCs more than once;
    // the row of the MCC's main country wins, otherwise the first.
    const networks = new Map<string, MobileNetwork>();
    for (const row of entry.rows) {
      const seen = networks.get(row.mnc);
      if (seen && (seen.countryCode === countryCode || row.countryCode !== countryCode)) continue;
      networks.set(row.mnc, {
        mcc: row.mcc,
        mnc: row.mnc,
        countryCode: row.countryCode,
        countryName: row.countryName,
        brand: row.brand,
        operator: row.operator,
        status: row.status,
      });
    }
    table.set(mcc, { networks, countryCode });
  }
  return table;
}

/** The network an MCC+MNC prefix belongs to; a 3-digit MNC is preferred where both lengths exist. */
export function lookupNetwork(digits: string): MobileNetwork | null {
  const entry = mccTable().get(digits.slice(0, 3));
  if (!entry) return null;
  return entry.networks.get(digits.slice(3, 6)) ?? entry.networks.get(digits.slice(3, 5)) ?? null;
}

export function isKnownMcc(mcc: string): boolean {
  return mccTable().has(mcc);
}

export function parseImsi(input: unknown, options: ImsiOptions = {}): ParseResult<Imsi> {
  const text = asText(input, 'an IMSI');
  if (!text.ok) return text;
  const digits = text.value.trim();
  if (!/^[0-9]+$/.test(digits)) {
    return fail('IMSI_CHARACTERS', `an IMSI is decimal digits only, got ${quote(digits)}`);
  }
  if (digits.length < 5 || digits.length > 15) {
    return fail('IMSI_LENGTH', `an IMSI has 5 to 15 digits (MCC 3 + MNC 2–3 + MSIN), got ${digits.length}`);
  }
  const mcc = digits.slice(0, 3);
  const entry = mccTable().get(mcc);
  if (!entry && (options.source ?? 'person') === 'person') {
    return fail(
      'IMSI_MCC_UNKNOWN',
      `the IMSI's first three digits ${mcc} are not a mobile country code in use`,
    );
  }
  const network = lookupNetwork(digits);
  return ok({
    kind: 'imsi',
    digits: digits as ImsiDigits,
    mcc,
    mnc: network?.mnc ?? null,
    msin: network ? digits.slice(3 + network.mnc.length) : null,
    network,
    countryCode: network?.countryCode ?? entry?.countryCode ?? null,
    testNetwork: mcc === '001' || mcc === '999',
  });
}

export const formatImsi = (imsi: Imsi): string => imsi.digits;
