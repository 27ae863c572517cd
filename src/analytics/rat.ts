/**
 * Radio access technologies as DIRBS records them (dirbs-compat.md §1.3): the operator RAT codes of
 * the network data (001–007, 101–105) and the GSMA `Bands` text, both folded into bitmasks so that
 * "seen on 4G, GSMA says 2G only" is one AND.
 *
 * Two bit spaces, as in DIRBS's `radio_access_technology_map`:
 * - operator bits: one bit per code, `1 << operatorRank` (ranks 1..12, ordered by generation);
 * - GSMA bits: one bit per generation, `1 << gsmaRank` (3 non-cellular, 6 2G, 9 3G, 12 4G).
 * Operator ranks are ordered by generation (non-cellular 1–3, 2G 4–5, 3G 6–9, 4G 10–12); the two
 * spaces overlap (rank 6 is 3GPP2 HRPD in one, 2G in the other), so convert with `operatorMaskToGsma`
 * before comparing.
 */

export type RatGeneration = 'non-cellular' | '2G' | '3G' | '4G';

export interface RatCode {
  readonly code: string;
  readonly technology: string;
  readonly generation: RatGeneration;
  /** Bit position in an operator RAT bitmask (DIRBS `operator_rank`). */
  readonly operatorRank: number;
  /** Bit position of the generation in a GSMA RAT bitmask (DIRBS `gsma_rank`). */
  readonly gsmaRank: number;
}

const GSMA_RANK: Record<RatGeneration, number> = { 'non-cellular': 3, '2G': 6, '3G': 9, '4G': 12 };

function rat(code: string, technology: string, generation: RatGeneration, operatorRank: number): RatCode {
  return { code, technology, generation, operatorRank, gsmaRank: GSMA_RANK[generation] };
}

/** The twelve codes, in code order. */
export const RAT_CODES: readonly RatCode[] = [
  rat('001', 'UTRAN', '3G', 7),
  rat('002', 'GERAN', '2G', 5),
  rat('003', 'WLAN', 'non-cellular', 3),
  rat('004', 'GAN', 'non-cellular', 2),
  rat('005', 'HSPA Evolution', '3G', 9),
  rat('006', 'E-UTRAN', '4G', 12),
  rat('007', 'Virtual', 'non-cellular', 1),
  rat('101', 'IEEE 802.16', '4G', 11),
  rat('102', '3GPP2 eHRPD', '3G', 8),
  rat('103', '3GPP2 HRPD', '3G', 6),
  rat('104', '3GPP2 1xRTT', '2G', 4),
  rat('105', '3GPP2 UMB', '4G', 10),
];

const BY_CODE = new Map(RAT_CODES.map((r) => [r.code, r]));

export function ratCode(code: string): RatCode | undefined {
  return BY_CODE.get(code);
}

export const GSMA_RAT_BIT: Readonly<Record<RatGeneration, number>> = {
  'non-cellular': 1 << GSMA_RANK['non-cellular'],
  '2G': 1 << GSMA_RANK['2G'],
  '3G': 1 << GSMA_RANK['3G'],
  '4G': 1 << GSMA_RANK['4G'],
};

export type RatParse =
  | { readonly ok: true; readonly mask: number }
  | { readonly ok: false; readonly bad: string };

/**
 * A pipe-separated RAT field (`001|002|006`) → operator bitmask. Every part must be a code of the
 * table (the DIRBS v2 schema's rule); a repeated code is harmless. The caller treats blank as NULL.
 */
export function parseRatField(field: string): RatParse {
  let mask = 0;
  for (const part of field.split('|')) {
    const entry = BY_CODE.get(part);
    if (entry === undefined) return { ok: false, bad: part };
    mask |= 1 << entry.operatorRank;
  }
  return { ok: true, mask };
}

/** The operator codes whose bits are set in a mask, in code order. */
export function ratCodesOf(mask: number): string[] {
  return RAT_CODES.filter((r) => (mask & (1 << r.operatorRank)) !== 0).map((r) => r.code);
}

/** Operator bitmask → GSMA bitmask (each code's generation bit). */
export function operatorMaskToGsma(mask: number): number {
  let gsma = 0;
  for (const r of RAT_CODES) if ((mask & (1 << r.operatorRank)) !== 0) gsma |= 1 << r.gsmaRank;
  return gsma;
}

/**
 * DIRBS matches these as SQL `LIKE '%…%'` patterns, case-sensitively. In `CA_` and `DC_` the
 * underscore is LIKE's any-one-character wildcard, so DIRBS's 4G rule really reads "`CA` or `DC`
 * followed by any character" (e.g. `DCS1800` counts as 4G). We keep that, so that the GSMA RAT of a
 * TAC is the same bit for bit as in DIRBS; `literalUnderscore` gives the evident intent instead.
 */
const BAND_RULES: readonly { generation: RatGeneration; patterns: readonly string[] }[] = [
  { generation: '4G', patterns: ['LTE', 'CA_', 'DC_', 'WiMAX', 'UMB'] },
  {
    generation: '3G',
    patterns: ['HSPA', 'HSUPA', 'HSDPA', 'EVDO', 'WCDMA', 'UMTS', 'TDS-CDMA', 'TD-SCDMA', 'CDMA2000'],
  },
  { generation: '2G', patterns: ['GSM', 'GPRS', 'EDGE', ' CDMA '] },
];

function likeContains(text: string, pattern: string, literalUnderscore: boolean): boolean {
  if (literalUnderscore || !pattern.includes('_')) return text.includes(pattern);
  const n = pattern.length;
  for (let start = 0; start + n <= text.length; start++) {
    let i = 0;
    while (i < n && (pattern[i] === '_' || pattern[i] === text[start + i])) i++;
    if (i === n) return true;
  }
  return false;
}

/** GSMA `Bands` text → GSMA bitmask; no known technology at all → non-cellular (DIRBS semantics). */
export function gsmaBandsToMask(bands: string | null, options: { literalUnderscore?: boolean } = {}): number {
  const text = bands ?? '';
  const literal = options.literalUnderscore ?? false;
  let mask = 0;
  for (const rule of BAND_RULES) {
    if (rule.patterns.some((p) => likeContains(text, p, literal))) mask |= GSMA_RAT_BIT[rule.generation];
  }
  return mask === 0 ? GSMA_RAT_BIT['non-cellular'] : mask;
}
