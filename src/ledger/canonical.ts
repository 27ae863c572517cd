/**
 * Canonical JSON (RFC 8785, JCS) for the values a ledger entry holds: objects with keys sorted by
 * UTF-16 code units, no white space, strings escaped as JSON.stringify does, integers only.
 * The bytes are what the Merkle leaf hash covers, so they must never depend on key order or runtime.
 */

export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new TypeError(`canonical JSON holds safe integers only, got ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const object = value as { readonly [key: string]: CanonicalValue };
  const keys = Object.keys(object).sort();
  return `{${keys
    .filter((k) => object[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k]!)}`)
    .join(',')}}`;
}
