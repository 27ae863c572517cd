/**
 * IEEE 802 MAC-48 and EUI-64 addresses: the PEIs of wireline 5G residential gateways
 * (TS 23.316 §4.7.7). Canonical text is IEEE 802 form: upper-case hex octets joined by hyphens.
 */
import { asText, type Brand, fail, ok, type ParseResult, quote } from './result.ts';

export type Mac48Hex = Brand<string, 'Mac48'>;
export type Eui64Hex = Brand<string, 'Eui64'>;

interface HardwareAddress<K extends string, H> {
  readonly kind: K;
  /** Upper-case hex without separators (12 or 16 characters). */
  readonly hex: H;
  /** I/G bit: a group address cannot identify one device. */
  readonly multicast: boolean;
  /** U/L bit: set by software rather than burnt in by the manufacturer under an OUI. */
  readonly locallyAdministered: boolean;
}

export type Mac48 = HardwareAddress<'mac-48', Mac48Hex>;
export type Eui64 = HardwareAddress<'eui-64', Eui64Hex>;

function parseAddress(input: unknown, octets: number, what: string, code: string): ParseResult<string> {
  const text = asText(input, what);
  if (!text.ok) return text;
  const value = text.value.trim();
  const pair = '[0-9A-Fa-f]{2}';
  const quad = '[0-9A-Fa-f]{4}';
  const forms = [
    new RegExp(`^${pair}(?:-${pair}){${octets - 1}}$`),
    new RegExp(`^${pair}(?::${pair}){${octets - 1}}$`),
    new RegExp(`^${quad}(?:\\.${quad}){${octets / 2 - 1}}$`),
    new RegExp(`^[0-9A-Fa-f]{${octets * 2}}$`),
  ];
  if (!forms.some((form) => form.test(value))) {
    return fail(
      `${code}_FORMAT`,
      `${what} is ${octets} hex octets written xx-xx-…, xx:xx:…, xxxx.xxxx… or as ${octets * 2} hex digits, got ${quote(value)}`,
    );
  }
  return ok(value.replace(/[-:.]/g, '').toUpperCase());
}

function describe<K extends string, H extends string>(kind: K, hex: H): HardwareAddress<K, H> {
  const first = Number.parseInt(hex.slice(0, 2), 16);
  return { kind, hex, multicast: (first & 1) === 1, locallyAdministered: (first & 2) === 2 };
}

const octetText = (hex: string): string => hex.match(/../g)!.join('-');

export function parseMac48(input: unknown): ParseResult<Mac48> {
  const hex = parseAddress(input, 6, 'a MAC-48 address', 'MAC');
  return hex.ok ? ok(describe('mac-48', hex.value as Mac48Hex)) : hex;
}

export function parseEui64(input: unknown): ParseResult<Eui64> {
  const hex = parseAddress(input, 8, 'an EUI-64 address', 'EUI64');
  return hex.ok ? ok(describe('eui-64', hex.value as Eui64Hex)) : hex;
}

export const formatMac48 = (mac: Mac48): string => octetText(mac.hex);
export const formatEui64 = (eui: Eui64): string => octetText(eui.hex);
