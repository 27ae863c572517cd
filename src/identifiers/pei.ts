/**
 * The 5GS Permanent Equipment Identifier as N5g-eir carries it (TS 23.003 §6.4; TS 29.571 `Pei`):
 * `imei-<15 digits>`, `imeisv-<16 digits>`, `mac-xx-xx-xx-xx-xx-xx[-untrusted]`, `eui-xx-…-xx`.
 * The schema's trailing `|.+` admits anything; OpenCEIR refuses what it cannot interpret.
 */
import { type Imei, type Imeisv, type InputSource, parseImei, parseImeisv } from './imei.ts';
import { type Eui64, formatEui64, formatMac48, type Mac48, parseEui64, parseMac48 } from './mac.ts';
import { asText, fail, ok, type ParseResult, quote } from './result.ts';

export type Pei =
  | { readonly kind: 'pei'; readonly form: 'imei'; readonly imei: Imei }
  | { readonly kind: 'pei'; readonly form: 'imeisv'; readonly imeisv: Imeisv }
  /** `untrusted`: the MAC cannot be used for regulatory purposes (TS 23.316 §4.7.7). */
  | { readonly kind: 'pei'; readonly form: 'mac'; readonly mac: Mac48; readonly untrusted: boolean }
  | { readonly kind: 'pei'; readonly form: 'eui'; readonly eui: Eui64 };

export interface PeiOptions {
  /**
   * Default `network`: PEIs come from AMFs, which put a spare digit or garbage in the 15th position,
   * and that is never a reason to refuse a check (identifiers.md §10.1 rule 3).
   */
  readonly source?: InputSource;
}

const PEI_FORMS =
  'imei-<15 digits>, imeisv-<16 digits>, mac-xx-xx-xx-xx-xx-xx[-untrusted] or eui-xx-xx-xx-xx-xx-xx-xx-xx';

export function parsePei(input: unknown, options: PeiOptions = {}): ParseResult<Pei> {
  const text = asText(input, 'a PEI');
  if (!text.ok) return text;
  const value = text.value.trim();
  let match = /^imei-([0-9]{15})$/i.exec(value);
  if (match) {
    const imei = parseImei(match[1], { source: options.source ?? 'network' });
    return imei.ok ? ok({ kind: 'pei', form: 'imei', imei: imei.value }) : imei;
  }
  match = /^imeisv-([0-9]{16})$/i.exec(value);
  if (match) {
    const imeisv = parseImeisv(match[1]);
    return imeisv.ok ? ok({ kind: 'pei', form: 'imeisv', imeisv: imeisv.value }) : imeisv;
  }
  match = /^mac-((?:[0-9a-f]{2}-){5}[0-9a-f]{2})(-untrusted)?$/i.exec(value);
  if (match) {
    const mac = parseMac48(match[1]);
    return mac.ok ? ok({ kind: 'pei', form: 'mac', mac: mac.value, untrusted: match[2] !== undefined }) : mac;
  }
  match = /^eui-((?:[0-9a-f]{2}-){7}[0-9a-f]{2})$/i.exec(value);
  if (match) {
    const eui = parseEui64(match[1]);
    return eui.ok ? ok({ kind: 'pei', form: 'eui', eui: eui.value }) : eui;
  }
  const prefix = /^(imeisv|imei|mac|eui)-/i.exec(value)?.[1]?.toLowerCase();
  if (prefix) {
    return fail(
      'PEI_FORMAT',
      `a PEI of type ${prefix} is ${PEI_FORMS.split(', ').find((f) => f.startsWith(`${prefix}-`))}, got ${quote(value)}`,
    );
  }
  return fail('PEI_TYPE', `a PEI is one of ${PEI_FORMS}, got ${quote(value)}`);
}

export function formatPei(pei: Pei): string {
  switch (pei.form) {
    case 'imei':
      // The PEI form always carries 15 digits; a 14-digit IMEI value gains its Luhn digit.
      return `imei-${pei.imei.deviceKey}${pei.imei.checkDigit ?? pei.imei.expectedCheckDigit}`;
    case 'imeisv':
      return `imeisv-${pei.imeisv.deviceKey}${pei.imeisv.svn}`;
    case 'mac':
      return `mac-${formatMac48(pei.mac)}${pei.untrusted ? '-untrusted' : ''}`;
    case 'eui':
      return `eui-${formatEui64(pei.eui)}`;
  }
}
