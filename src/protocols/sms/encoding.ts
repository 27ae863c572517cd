/**
 * Text → SMPP short messages. Pure.
 *
 * - GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1, §6.2.1.1) when every
 *   character has a septet: data_coding 0 (SMPP v3.4 §5.2.19), one septet per octet as SMPP carries
 *   it (the SMSC packs). An extension character costs two septets (ESC + code).
 * - Otherwise UCS-2 (data_coding 8), UTF-16 big-endian; characters outside the BMP travel as surrogate
 *   pairs, as handsets send them.
 * - Longer texts are split into concatenated parts, each with a User Data Header (TS 23.040
 *   §9.2.3.24.1: IEI 0x00, 8-bit reference, total, sequence; UDHI set in esm_class, SMPP v3.4
 *   §5.2.12): 153 septets or 67 UCS-2 units per part. UDH parts rather than the message_payload TLV:
 *   every SMSC and handset handles them, while message_payload in submit_sm is optional for an SMSC.
 */

// TS 23.038 §6.2.1, indexed by septet value. 0x1B is the escape to the extension table.
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// TS 23.038 §6.2.1.1: character → code after ESC.
const EXTENSION: ReadonlyMap<string, number> = new Map([
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
]);
const ESC = 0x1b;
const BASIC_CODE: ReadonlyMap<string, number> = new Map(
  [...BASIC].map((c, i) => [c, i] as const).filter(([c]) => c !== '\x1b'),
);
const EXTENSION_CHAR: ReadonlyMap<number, string> = new Map([...EXTENSION].map(([c, code]) => [code, c]));

export const DATA_CODING_GSM = 0;
export const DATA_CODING_UCS2 = 8;
/** esm_class bit: the short message starts with a User Data Header (SMPP v3.4 §5.2.12). */
export const ESM_CLASS_UDHI = 0x40;

const SINGLE = { gsm: 160, ucs2: 70 } as const;
/** A 6-octet UDH leaves 134 octets: 153 septets (with fill bits) or 67 UCS-2 units. */
const PART = { gsm: 153, ucs2: 67 } as const;
export const MAX_PARTS = 255;

/** Septets a character takes in the GSM alphabet: 1, 2 (extension table) or null (not in it). */
function septetsOf(char: string): 1 | 2 | null {
  if (BASIC_CODE.has(char)) return 1;
  if (EXTENSION.has(char)) return 2;
  return null;
}

/** Length in septets, or null when the text needs UCS-2. */
export function gsmLength(text: string): number | null {
  let length = 0;
  for (const char of text) {
    const n = septetsOf(char);
    if (n === null) return null;
    length += n;
  }
  return length;
}

export const isGsm = (text: string): boolean => gsmLength(text) !== null;

export function encodeGsm(text: string): Buffer {
  const out: number[] = [];
  for (const char of text) {
    const basic = BASIC_CODE.get(char);
    if (basic !== undefined) out.push(basic);
    else {
      const ext = EXTENSION.get(char);
      if (ext === undefined)
        throw new RangeError(`character U+${char.codePointAt(0)!.toString(16)} is not GSM 7-bit`);
      out.push(ESC, ext);
    }
  }
  return Buffer.from(out);
}

export function decodeGsm(septets: Uint8Array): string {
  let text = '';
  for (let i = 0; i < septets.length; i++) {
    const code = septets[i]! & 0x7f;
    if (code === ESC && i + 1 < septets.length) {
      i++;
      // An unknown extension code shows as a space (TS 23.038 §6.2.1.1 note 1).
      text += EXTENSION_CHAR.get(septets[i]! & 0x7f) ?? ' ';
    } else text += BASIC[code];
  }
  return text;
}

export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

export function decodeUcs2(octets: Uint8Array): string {
  return Buffer.from(octets.slice(0, octets.length & ~1))
    .swap16()
    .toString('utf16le');
}

/** What to put in submit_sm: data_coding, and one short_message per part (UDH included). */
export interface MessagePlan {
  readonly dataCoding: typeof DATA_CODING_GSM | typeof DATA_CODING_UCS2;
  /** ESM_CLASS_UDHI when the parts carry a UDH. */
  readonly esmClass: number;
  readonly parts: readonly Buffer[];
  /** The text of each part, for logs and tests. */
  readonly texts: readonly string[];
}

/** Splits at character boundaries so that no part exceeds `limit` units (no ESC pair, no surrogate pair cut). */
function split(text: string, limit: number, cost: (char: string) => number): string[] {
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const char of text) {
    const n = cost(char);
    if (used + n > limit) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += char;
    used += n;
  }
  if (current !== '' || parts.length === 0) parts.push(current);
  return parts;
}

/**
 * The parts for `text`. `reference` (0–255) identifies the concatenated message at the handset:
 * it must differ between long messages to the same number sent close together.
 */
export function planMessage(text: string, reference: number): MessagePlan {
  const gsm = gsmLength(text) !== null;
  const dataCoding = gsm ? DATA_CODING_GSM : DATA_CODING_UCS2;
  const encode = gsm ? encodeGsm : encodeUcs2;
  const units = gsm ? gsmLength(text)! : text.length;
  if (units <= (gsm ? SINGLE.gsm : SINGLE.ucs2)) {
    return { dataCoding, esmClass: 0, parts: [encode(text)], texts: [text] };
  }
  // UTF-16 code units: a character outside the BMP costs two.
  const texts = split(text, gsm ? PART.gsm : PART.ucs2, gsm ? (c) => septetsOf(c)! : (c) => c.length);
  if (texts.length > MAX_PARTS)
    throw new RangeError(`text needs ${texts.length} parts; at most ${MAX_PARTS}`);
  const parts = texts.map((part, i) =>
    Buffer.concat([Buffer.from([0x05, 0x00, 0x03, reference & 0xff, texts.length, i + 1]), encode(part)]),
  );
  return { dataCoding, esmClass: ESM_CLASS_UDHI, parts, texts };
}
