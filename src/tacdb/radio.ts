/**
 * Radio generations a device supports, read from the GSMA `Bands` text with DIRBS-Core's substring
 * rules (dirbs-compat.md §1.3), plus 5G, which DIRBS predates: NR bands (`NR`, `n78`…) or `5G`.
 */
export type Generation = '2G' | '3G' | '4G' | '5G';

const RULES: readonly [Generation, RegExp][] = [
  ['5G', /\bNR\b|\b5G\b|\bn\d{1,3}\b/],
  ['4G', /LTE|CA_|DC_|WiMAX|UMB/],
  ['3G', /HSPA|HSUPA|HSDPA|EVDO|WCDMA|UMTS|TDS-CDMA|TD-SCDMA|CDMA2000/],
  ['2G', /GSM|GPRS|EDGE| CDMA /],
];

export function generationsOf(bands: string | null): Generation[] {
  if (!bands) return [];
  const found = RULES.filter(([, pattern]) => pattern.test(bands)).map(([g]) => g);
  return found.sort();
}
