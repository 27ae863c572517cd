/**
 * Random equipment and subscriber identities as an AMF might send them, and worse: valid PEIs
 * (TS 23.003 §6.4, TS 29.571 `Pei`), near misses (wrong check digit, wrong length, wrong prefix or
 * case, separators), other identifiers in the PEI, SUPIs and GPSIs good and bad, Unicode digits,
 * control characters, percent-encoding in the value, very long and empty values. Identity `index` of
 * run `seed` is always the same.
 */
import { luhnDigit } from '../../../src/identifiers/index.ts';
import { ALLOWED, BLOCKED, PAIRED_IMSI, TRACKED } from '../check.ts';
import { Random } from './random.ts';

export interface FuzzIdentity {
  readonly index: number;
  readonly pei: string;
  readonly supi: string | null;
  readonly gpsi: string | null;
  /** Further query parameters, already encoded (`name=value`). */
  readonly extra: readonly string[];
  /** What the generator made: `valid` identities must never be refused. */
  readonly kind: string;
  readonly valid: boolean;
}

const KEYS = [BLOCKED, TRACKED, ALLOWED];
const WEIRD = [
  '\u0000',
  '\n',
  '\r\n',
  '\t',
  '\u007f',
  '\u00a0',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\u0301',
  '😀',
  '\ud800',
  '%',
  '%41',
  '%zz',
  '&',
  '=',
  '+',
  '#',
  '?',
  '/',
  ' ',
  '"',
  "'",
  '<',
  '\\',
];
const UNICODE_DIGITS = [0x0660, 0x06f0, 0x0966, 0xff10, 0x1d7ce];

function key(r: Random): string {
  return r.chance(0.6)
    ? r.pick(KEYS)
    : `${r.pick(['35209900', '49015420', '86123456', '01234567'])}${r.digits(6)}`;
}
const luhn = (payload: string) => luhnDigit(payload) ?? '0';
const hex = (r: Random, octets: number, sep = '-') =>
  Array.from({ length: octets }, () => (r.next() & 0xff).toString(16).padStart(2, '0')).join(sep);

/** [weight, kind, valid, make] */
const PEIS: readonly (readonly [number, string, boolean, (r: Random) => string])[] = [
  [
    6,
    'imei',
    true,
    (r) => {
      const k = key(r);
      return `imei-${k}${luhn(k)}`;
    },
  ],
  [4, 'imeisv', true, (r) => `imeisv-${key(r)}${r.digits(2)}`],
  [2, 'mac', true, (r) => `mac-${hex(r, 6)}${r.chance(0.2) ? '-untrusted' : ''}`],
  [1, 'eui', true, (r) => `eui-${hex(r, 8)}`],
  [
    3,
    'imei-check-digit',
    true,
    (r) => {
      // TS 23.003 §6.2.1: a wrong check digit from the network is no reason to refuse.
      const k = key(r);
      return `imei-${k}${(Number(luhn(k)) + r.between(1, 9)) % 10}`;
    },
  ],
  [
    3,
    'imei-length',
    false,
    (r) => `${r.pick(['imei-', 'imeisv-'])}${r.digits(r.pick([0, 1, 13, 14, 16, 17, 18, 30]))}`,
  ],
  [2, 'bare-digits', false, (r) => r.digits(r.pick([14, 15, 16, 8, 17]))],
  [
    2,
    'prefix-case',
    false,
    (r) =>
      `${r.pick(['IMEI-', 'Imei-', 'IMEISV-', 'MAC-', 'EUI-', 'imei_', 'imei:', 'imei', 'pei-'])}${key(r)}${r.digits(1)}`,
  ],
  [
    2,
    'mac-shape',
    false,
    (r) =>
      `mac-${r.pick([hex(r, 6, ':'), hex(r, 5), hex(r, 7), hex(r, 6).toUpperCase(), `${hex(r, 5)}-zz`, hex(r, 6, '')])}`,
  ],
  [1, 'eui-shape', false, (r) => `eui-${r.pick([hex(r, 6), hex(r, 9), hex(r, 8, ':'), `${hex(r, 7)}-g0`])}`],
  [
    2,
    'other-identifier',
    false,
    (r) =>
      r.pick([
        `imsi-${r.digits(15)}`,
        `msisdn-${r.digits(11)}`,
        `nai-${r.digits(5)}@x`,
        `gci-x`,
        `extid-a@b`,
      ]),
  ],
  [
    2,
    'whitespace',
    false,
    (r) =>
      r.pick([' ', '\t', '\u00a0', '\u200b', '\n']) +
      `imei-${BLOCKED}${luhn(BLOCKED)}` +
      r.pick(['', ' ', '\u3000']),
  ],
  [
    2,
    'unicode-digits',
    false,
    (r) => {
      const zero = r.pick(UNICODE_DIGITS);
      return `imei-${[...`${BLOCKED}${luhn(BLOCKED)}`].map((d) => String.fromCodePoint(zero + Number(d))).join('')}`;
    },
  ],
  [
    3,
    'weird-chars',
    false,
    (r) => {
      const base = `imei-${key(r)}0`;
      const at = r.int(base.length + 1);
      return base.slice(0, at) + r.pick(WEIRD) + base.slice(at);
    },
  ],
  [
    1,
    'long',
    false,
    (r) =>
      r.pick(['imei-', '', 'mac-']) +
      (r.chance(0.5) ? r.digits(r.between(100, 10_000)) : 'é'.repeat(r.between(100, 6_000))),
  ],
  [1, 'empty', false, (r) => r.pick(['', ' ', 'imei-', '-'])],
  [
    2,
    'garbage',
    false,
    (r) => {
      let s = '';
      for (let i = r.int(40); i > 0; i--)
        s += String.fromCodePoint(r.chance(0.7) ? r.between(0x20, 0x7e) : r.int(0x110000));
      return s;
    },
  ],
];

const SUPIS: readonly (readonly [number, boolean, (r: Random) => string])[] = [
  [4, true, (r) => `imsi-${r.chance(0.5) ? PAIRED_IMSI : r.digits(r.between(5, 15))}`],
  [1, true, (r) => `nai-${r.digits(8)}@realm.example`],
  [
    2,
    false,
    (r) =>
      r.pick([
        `imsi-${r.digits(16)}`,
        'imsi-',
        `imsi-${r.digits(4)}`,
        `IMSI-${r.digits(15)}`,
        r.digits(15),
        'nai-',
        `imsi-${r.digits(10)}x`,
      ]),
  ],
  [1, false, (r) => `${r.pick(WEIRD)}imsi-${r.digits(15)}`],
];
const GPSIS: readonly (readonly [number, boolean, (r: Random) => string])[] = [
  [4, true, (r) => `msisdn-${r.digits(r.between(5, 15))}`],
  [1, true, () => 'extid-user@domain.example'],
  [
    2,
    false,
    (r) =>
      r.pick([
        `msisdn-+${r.digits(11)}`,
        'msisdn-',
        `msisdn-${r.digits(16)}`,
        'extid-a@b@c',
        'extid-@',
        r.digits(11),
      ]),
  ],
];
const EXTRAS: readonly ((r: Random) => string)[] = [
  (r) => `supported-features=${r.pick(['1', 'A0', 'ff', 'xyz', '', '%00'])}`,
  (r) => `${r.pick(['foo', 'PEI', 'pei+', 'pei%20', 'imei', ''])}=${r.digits(3)}`,
  (r) => `pei=${r.pick(['imei-', ''])}${r.digits(15)}`,
  (r) => r.pick(['pei', '&', '==', 'supi']),
];

const peis = PEIS.map((p) => [p[0], p] as const);
const supis = SUPIS.map((p) => [p[0], p] as const);
const gpsis = GPSIS.map((p) => [p[0], p] as const);

export function randomIdentity(seed: number, index: number): FuzzIdentity {
  const r = new Random(seed, index, 2);
  const [, kind, peiValid, make] = r.weighted(peis);
  const pei = make(r);
  let valid = peiValid;
  let supi: string | null = null;
  let gpsi: string | null = null;
  if (r.chance(0.4)) {
    const [, ok, makeSupi] = r.weighted(supis);
    supi = makeSupi(r);
    valid &&= ok;
  }
  if (r.chance(0.25)) {
    const [, ok, makeGpsi] = r.weighted(gpsis);
    gpsi = makeGpsi(r);
    valid &&= ok;
  }
  const extra = r.chance(0.08) ? [r.pick(EXTRAS)(r)] : [];
  if (extra.length > 0 && !/^supported-features=[0-9a-fA-F]*$/.test(extra[0]!)) valid = false;
  return { index, pei, supi, gpsi, extra, kind, valid };
}

/** application/x-www-form-urlencoded as a careful client writes it (UTF-8, everything but unreserved escaped). */
export function formEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The request target for an identity. Most are encoded properly; some are sent raw (what a sloppy
 * client does: HTTP/2 may refuse the header), or with a broken percent-escape or stray `+` inserted.
 */
export function requestPath(
  apiPath: string,
  identity: FuzzIdentity,
  seed: number,
): { path: string; encoding: string } {
  const r = new Random(seed, identity.index, 3);
  const encoding = r.weighted([
    [8, 'proper'],
    [1, 'raw'],
    [1, 'broken-escapes'],
  ] as const);
  const encode = (v: string) => {
    if (encoding === 'proper') return formEncode(v);
    if (encoding === 'raw') return v;
    const proper = formEncode(v);
    const at = r.int(proper.length + 1);
    return (
      proper.slice(0, at) +
      r.pick(['%', '%Z', '%E2%82', '%C0%AF', '%ED%A0%80', '%FF', '+', '%2', '%%']) +
      proper.slice(at)
    );
  };
  const parts = [`pei=${encode(identity.pei)}`];
  if (identity.supi !== null) parts.push(`supi=${encode(identity.supi)}`);
  if (identity.gpsi !== null) parts.push(`gpsi=${encode(identity.gpsi)}`);
  parts.push(...identity.extra);
  for (let i = parts.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
  }
  return { path: `${apiPath}?${parts.join('&')}`, encoding };
}
