/**
 * 5GS subscriber identities as N5g-eir carries them (TS 29.571 `Supi`, `Gpsi`; TS 23.003 §2.2A, §28.7, §19.7):
 * SUPI `imsi-<digits>` or `nai-<user@realm>` (and the wireline `gci-` / `gli-` forms, kept opaque);
 * GPSI `msisdn-<digits>` or `extid-<local>@<domain>`.
 */

import type { InputSource } from './imei.ts';
import { formatImsi, type Imsi, parseImsi } from './imsi.ts';
import { formatMsisdn, type Msisdn, parseMsisdn } from './msisdn.ts';
import { asText, type Brand, fail, ok, type ParseResult, quote } from './result.ts';

export type NaiText = Brand<string, 'Nai'>;

/** A Network Access Identifier `user@realm` (RFC 7542), as a SUPI of non-3GPP access. */
export interface Nai {
  readonly kind: 'nai';
  readonly text: NaiText;
  readonly user: string;
  readonly realm: string;
}

export type Supi =
  | { readonly kind: 'supi'; readonly form: 'imsi'; readonly imsi: Imsi }
  | { readonly kind: 'supi'; readonly form: 'nai'; readonly nai: Nai }
  /** Global Cable / Line Identifiers of wireline access (TS 23.003 §28.15, §28.16), kept as given. */
  | { readonly kind: 'supi'; readonly form: 'gci' | 'gli'; readonly text: string };

export type Gpsi =
  | { readonly kind: 'gpsi'; readonly form: 'msisdn'; readonly msisdn: Msisdn }
  | { readonly kind: 'gpsi'; readonly form: 'extid'; readonly localId: string; readonly domain: string };

export interface SubscriberOptions {
  /** Default `network`: these forms arrive from network functions. */
  readonly source?: InputSource;
}

const REALM = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

export function parseNai(input: unknown): ParseResult<Nai> {
  const text = asText(input, 'a NAI');
  if (!text.ok) return text;
  const value = text.value.trim();
  const at = value.lastIndexOf('@');
  const user = at >= 0 ? value.slice(0, at) : '';
  const realm = at >= 0 ? value.slice(at + 1) : '';
  if (at <= 0 || !REALM.test(realm) || /[\s@]/.test(user) || value.length > 253) {
    return fail('NAI_FORMAT', `a NAI is user@realm with a domain-name realm (RFC 7542), got ${quote(value)}`);
  }
  return ok({ kind: 'nai', text: value as NaiText, user, realm });
}

export const formatNai = (nai: Nai): string => nai.text;

export function parseSupi(input: unknown, options: SubscriberOptions = {}): ParseResult<Supi> {
  const text = asText(input, 'a SUPI');
  if (!text.ok) return text;
  const value = text.value.trim();
  const [, prefix, rest = ''] = /^(imsi|nai|gci|gli)-(.*)$/is.exec(value) ?? [];
  switch (prefix?.toLowerCase()) {
    case 'imsi': {
      if (!/^[0-9]{5,15}$/.test(rest)) {
        return fail('SUPI_FORMAT', `a SUPI of type imsi is imsi- and 5 to 15 digits, got ${quote(value)}`);
      }
      const imsi = parseImsi(rest, { source: options.source ?? 'network' });
      return imsi.ok ? ok({ kind: 'supi', form: 'imsi', imsi: imsi.value }) : imsi;
    }
    case 'nai': {
      const nai = parseNai(rest);
      return nai.ok ? ok({ kind: 'supi', form: 'nai', nai: nai.value }) : nai;
    }
    case 'gci':
    case 'gli':
      if (rest === '') return fail('SUPI_FORMAT', `a SUPI of type ${prefix} has a value after ${prefix}-`);
      return ok({ kind: 'supi', form: prefix.toLowerCase() as 'gci' | 'gli', text: rest });
    default:
      return fail(
        'SUPI_TYPE',
        `a SUPI is imsi-<digits>, nai-<user@realm>, gci-… or gli-…, got ${quote(value)}`,
      );
  }
}

export function formatSupi(supi: Supi): string {
  switch (supi.form) {
    case 'imsi':
      return `imsi-${formatImsi(supi.imsi)}`;
    case 'nai':
      return `nai-${formatNai(supi.nai)}`;
    default:
      return `${supi.form}-${supi.text}`;
  }
}

export function parseGpsi(input: unknown, options: SubscriberOptions = {}): ParseResult<Gpsi> {
  const text = asText(input, 'a GPSI');
  if (!text.ok) return text;
  const value = text.value.trim();
  const [, prefix, rest = ''] = /^(msisdn|extid)-(.*)$/is.exec(value) ?? [];
  switch (prefix?.toLowerCase()) {
    case 'msisdn': {
      if (!/^[0-9]{5,15}$/.test(rest)) {
        return fail(
          'GPSI_FORMAT',
          `a GPSI of type msisdn is msisdn- and 5 to 15 digits, got ${quote(value)}`,
        );
      }
      const msisdn = parseMsisdn(rest, { source: options.source ?? 'network' });
      return msisdn.ok ? ok({ kind: 'gpsi', form: 'msisdn', msisdn: msisdn.value }) : msisdn;
    }
    case 'extid': {
      const at = rest.lastIndexOf('@');
      const localId = rest.slice(0, Math.max(at, 0));
      const domain = rest.slice(at + 1);
      if (at <= 0 || !REALM.test(domain) || /[\s@]/.test(localId)) {
        return fail(
          'GPSI_FORMAT',
          `a GPSI of type extid is extid-<local identifier>@<domain> (TS 23.003 §19.7.2), got ${quote(value)}`,
        );
      }
      return ok({ kind: 'gpsi', form: 'extid', localId, domain });
    }
    default:
      return fail('GPSI_TYPE', `a GPSI is msisdn-<digits> or extid-<local>@<domain>, got ${quote(value)}`);
  }
}

export function formatGpsi(gpsi: Gpsi): string {
  return gpsi.form === 'msisdn'
    ? `msisdn-${formatMsisdn(gpsi.msisdn)}`
    : `extid-${gpsi.localId}@${gpsi.domain}`;
}
