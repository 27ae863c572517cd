/**
 * One uniform entry point per identifier type: `parse(text) → ParseResult`, `format(value) → text`.
 * The catalogue, `identify` and the property tests all walk this table, so a new type added here is
 * described, detected and fuzzed in one place.
 */
import { type Eid, formatEid, parseEid } from './eid.ts';
import { formatIccid, type Iccid, parseIccid } from './iccid.ts';
import {
  type DeviceKey,
  formatDeviceKey,
  formatImei,
  formatImeisv,
  formatSnr,
  formatSvn,
  formatTac,
  type Imei,
  type Imeisv,
  type InputSource,
  parseDeviceKey,
  parseImei,
  parseImeisv,
  parseSnr,
  parseSvn,
  parseTac,
  type Snr,
  type Svn,
  type Tac,
} from './imei.ts';
import { formatImsi, type Imsi, parseImsi } from './imsi.ts';
import { type Eui64, formatEui64, formatMac48, type Mac48, parseEui64, parseMac48 } from './mac.ts';
import { type Esn, formatEsn, formatMeid, type Meid, parseEsn, parseMeid } from './meid.ts';
import { formatMsisdn, type Msisdn, parseMsisdn } from './msisdn.ts';
import { formatPei, type Pei, parsePei } from './pei.ts';
import { formatRbi, parseRbi, type Rbi } from './rbi.ts';
import { fail, type ParseResult, quote } from './result.ts';
import {
  formatGpsi,
  formatNai,
  formatSupi,
  type Gpsi,
  type Nai,
  parseGpsi,
  parseNai,
  parseSupi,
  type Supi,
} from './subscriber.ts';

export const IDENTIFIER_TYPES = [
  'imei',
  'imeisv',
  'device-key',
  'tac',
  'snr',
  'svn',
  'rbi',
  'pei',
  'supi',
  'gpsi',
  'imsi',
  'msisdn',
  'nai',
  'meid',
  'esn',
  'pesn',
  'eid',
  'iccid',
  'mac-48',
  'eui-64',
] as const;

export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export function isIdentifierType(text: string): text is IdentifierType {
  return (IDENTIFIER_TYPES as readonly string[]).includes(text);
}

/** The value each type's parser produces. */
export interface IdentifierValues {
  imei: Imei;
  imeisv: Imeisv;
  'device-key': DeviceKey;
  tac: Tac;
  snr: Snr;
  svn: Svn;
  rbi: Rbi;
  pei: Pei;
  supi: Supi;
  gpsi: Gpsi;
  imsi: Imsi;
  msisdn: Msisdn;
  nai: Nai;
  meid: Meid;
  esn: Esn;
  pesn: Esn;
  eid: Eid;
  iccid: Iccid;
  'mac-48': Mac48;
  'eui-64': Eui64;
}

export interface Codec<T> {
  /** Never throws; `source` matters only where people and networks are held to different rules. */
  parse(input: unknown, source?: InputSource): ParseResult<T>;
  format(value: T): string;
}

function parsePseudoEsn(input: unknown): ParseResult<Esn> {
  const esn = parseEsn(input);
  if (esn.ok && !esn.value.pseudo) {
    return fail(
      'PESN_PREFIX',
      `a pseudo-ESN starts with manufacturer code 80 (hex), got ${quote(esn.value.hex)}`,
    );
  }
  return esn;
}

export const codecs: { readonly [K in IdentifierType]: Codec<IdentifierValues[K]> } = {
  imei: { parse: (t, source) => parseImei(t, { source }), format: formatImei },
  imeisv: { parse: parseImeisv, format: formatImeisv },
  'device-key': { parse: parseDeviceKey, format: formatDeviceKey },
  tac: { parse: parseTac, format: formatTac },
  snr: { parse: parseSnr, format: formatSnr },
  svn: { parse: parseSvn, format: formatSvn },
  rbi: { parse: parseRbi, format: formatRbi },
  pei: { parse: (t, source) => parsePei(t, { source: source ?? 'network' }), format: formatPei },
  supi: { parse: (t, source) => parseSupi(t, { source: source ?? 'network' }), format: formatSupi },
  gpsi: { parse: (t, source) => parseGpsi(t, { source: source ?? 'network' }), format: formatGpsi },
  imsi: { parse: (t, source) => parseImsi(t, { source }), format: formatImsi },
  msisdn: { parse: (t, source) => parseMsisdn(t, { source }), format: formatMsisdn },
  nai: { parse: parseNai, format: formatNai },
  meid: { parse: parseMeid, format: formatMeid },
  esn: { parse: parseEsn, format: formatEsn },
  pesn: { parse: parsePseudoEsn, format: formatEsn },
  eid: { parse: parseEid, format: formatEid },
  iccid: { parse: parseIccid, format: formatIccid },
  'mac-48': { parse: parseMac48, format: formatMac48 },
  'eui-64': { parse: parseEui64, format: formatEui64 },
};
