/**
 * DIRBS IMEI normalisation (`normalize_imei`, dirbs-compat.md §2.1), applied to every IMEI that
 * enters analytics, so that results and lists match DIRBS key for key:
 *   1. trim; empty → null;
 *   2. starts with 14 decimal digits → exactly those 14 (check digit, spare digit, SVN or anything
 *      else after them dropped: the four forms of one device are one key);
 *   3. otherwise the whole trimmed value, upper-cased (hex, short, `*`/`#` values kept as they are).
 * The 14-digit result is the device key of the rest of OpenCEIR.
 */
export type ImeiNorm = string & { readonly __brand: 'ImeiNorm' };

export function normaliseImei(raw: string | null | undefined): ImeiNorm | null {
  if (raw === null || raw === undefined) return null;
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  if (/^[0-9]{14}/.test(trimmed)) return trimmed.slice(0, 14) as ImeiNorm;
  return trimmed.toUpperCase() as ImeiNorm;
}

/** A normalised IMEI that is a device key: exactly 14 decimal digits. */
export function isDeviceKeyNorm(norm: string): boolean {
  return /^[0-9]{14}$/.test(norm);
}
