/**
 * Diameter message and AVP encoding (RFC 6733 §3, §4). Decoding checks every length and refuses what
 * it cannot read with the Result-Code the RFC names for it, so a peer gets a proper error answer and a
 * malformed message never throws anything else.
 */
import { isUtf8 } from 'node:buffer';
import { isIPv4 } from 'node:net';
import { AVP_FLAG, FLAG, RESULT } from './dictionary.ts';

export interface Avp {
  readonly code: number;
  readonly flags: number;
  readonly vendorId: number;
  readonly data: Buffer;
}

export interface Message {
  readonly flags: number;
  readonly command: number;
  readonly applicationId: number;
  readonly hopByHop: number;
  readonly endToEnd: number;
  readonly avps: readonly Avp[];
}

/** A message or AVP that cannot be read; `resultCode` is the answer RFC 6733 §7.1 gives for it. */
export class DecodeError extends Error {
  constructor(
    readonly resultCode: number,
    message: string,
    readonly failedAvp: Avp | null = null,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

export const HEADER_LENGTH = 20;
/** Larger messages are refused: an S13 exchange is a few hundred bytes. */
export const MAX_MESSAGE_LENGTH = 64 * 1024;

const pad = (n: number) => (4 - (n % 4)) % 4;

/** Reads the AVPs of a message body or a Grouped AVP's data. */
export function decodeAvps(data: Buffer): Avp[] {
  const avps: Avp[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (data.length - offset < 8) {
      // RFC 6733 §7.1.5: an AVP header cut short is an invalid AVP length, named by the header padded with zeros.
      const head = Buffer.alloc(8);
      data.copy(head, 0, offset);
      throw new DecodeError(
        RESULT.invalidAvpLength,
        `${data.length - offset} bytes left where an AVP header (8) was expected`,
        { code: head.readUInt32BE(0), flags: head.readUInt8(4), vendorId: 0, data: Buffer.alloc(0) },
      );
    }
    const code = data.readUInt32BE(offset);
    const flags = data[offset + 4]!;
    const length = (data[offset + 5]! << 16) | (data[offset + 6]! << 8) | data[offset + 7]!;
    const vendor = (flags & AVP_FLAG.vendor) !== 0;
    const header = vendor ? 12 : 8;
    if (length < header || offset + length > data.length) {
      throw new DecodeError(
        RESULT.invalidAvpLength,
        `AVP ${code} says it is ${length} bytes; ${data.length - offset} are left and the header takes ${header}`,
        {
          code,
          flags,
          vendorId: vendor && data.length - offset >= 12 ? data.readUInt32BE(offset + 8) : 0,
          data: Buffer.alloc(0),
        },
      );
    }
    avps.push({
      code,
      flags,
      vendorId: vendor ? data.readUInt32BE(offset + 8) : 0,
      data: data.subarray(offset + header, offset + length),
    });
    offset += length + pad(length);
  }
  return avps;
}

/** Reads one whole message (exactly the bytes its header announces). */
export function decodeMessage(buffer: Buffer): Message {
  if (buffer.length < HEADER_LENGTH)
    throw new DecodeError(
      RESULT.invalidMessageLength,
      `a Diameter message has at least ${HEADER_LENGTH} bytes`,
    );
  const version = buffer.readUInt8(0);
  if (version !== 1)
    throw new DecodeError(RESULT.unsupportedVersion, `Diameter version ${version} is not supported (1 is)`);
  const length = buffer.readUIntBE(1, 3);
  if (length !== buffer.length || length % 4 !== 0) {
    throw new DecodeError(
      RESULT.invalidMessageLength,
      `the header says ${length} bytes, the message has ${buffer.length} (and must be a multiple of 4)`,
    );
  }
  const flags = buffer[4]!;
  if ((flags & FLAG.request) !== 0 && (flags & FLAG.error) !== 0) {
    throw new DecodeError(RESULT.invalidHeaderBits, 'a request cannot have the E bit set');
  }
  return {
    flags,
    command: (buffer[5]! << 16) | (buffer[6]! << 8) | buffer[7]!,
    applicationId: buffer.readUInt32BE(8),
    hopByHop: buffer.readUInt32BE(12),
    endToEnd: buffer.readUInt32BE(16),
    avps: decodeAvps(buffer.subarray(HEADER_LENGTH)),
  };
}

/** The length a message announces in its first 4 bytes, or an error if they cannot start a message. */
export function announcedLength(head: Buffer): number {
  const version = head.readUInt8(0);
  const length = head.readUIntBE(1, 3);
  if (version !== 1)
    throw new DecodeError(RESULT.unsupportedVersion, `Diameter version ${version} is not supported`);
  if (length < HEADER_LENGTH || length % 4 !== 0 || length > MAX_MESSAGE_LENGTH) {
    throw new DecodeError(RESULT.invalidMessageLength, `a message of ${length} bytes cannot be read`);
  }
  return length;
}

/** Bytes an AVP takes on the wire, padding included. */
const avpSize = (avp: Avp) => {
  const length = (avp.vendorId !== 0 ? 12 : 8) + avp.data.length;
  return length + pad(length);
};

/** Writes an AVP at `offset` of `out` (zero-filled); returns the offset after it and its padding. */
function writeAvp(avp: Avp, out: Buffer, offset: number): number {
  const vendor = avp.vendorId !== 0;
  const header = vendor ? 12 : 8;
  const length = header + avp.data.length;
  out.writeUInt32BE(avp.code, offset);
  out.writeUInt8(vendor ? avp.flags | AVP_FLAG.vendor : avp.flags & ~AVP_FLAG.vendor, offset + 4);
  out.writeUIntBE(length, offset + 5, 3);
  if (vendor) out.writeUInt32BE(avp.vendorId, offset + 8);
  avp.data.copy(out, offset + header);
  return offset + length + pad(length);
}

export function encodeAvp(avp: Avp): Buffer {
  const out = Buffer.alloc(avpSize(avp));
  writeAvp(avp, out, 0);
  return out;
}

/** Encodes a message into one buffer, allocated once at its final size. */
export function encodeMessage(message: Message): Buffer {
  let length = HEADER_LENGTH;
  for (const avp of message.avps) length += avpSize(avp);
  const out = Buffer.alloc(length);
  out.writeUInt8(1, 0);
  out.writeUIntBE(length, 1, 3);
  out.writeUInt8(message.flags, 4);
  out.writeUIntBE(message.command, 5, 3);
  out.writeUInt32BE(message.applicationId >>> 0, 8);
  out.writeUInt32BE(message.hopByHop >>> 0, 12);
  out.writeUInt32BE(message.endToEnd >>> 0, 16);
  let offset = HEADER_LENGTH;
  for (const avp of message.avps) offset = writeAvp(avp, out, offset);
  return out;
}

// Builders. `mandatory` defaults to true: almost every AVP OpenCEIR sends has the M bit (RFC 6733 §4.5).

interface AvpOptions {
  readonly vendorId?: number;
  readonly mandatory?: boolean;
}

const make = (code: number, data: Buffer, options: AvpOptions = {}): Avp => ({
  code,
  flags: (options.mandatory ?? true) ? AVP_FLAG.mandatory : 0,
  vendorId: options.vendorId ?? 0,
  data,
});

export function u32(code: number, value: number, options?: AvpOptions): Avp {
  const data = Buffer.alloc(4);
  data.writeUInt32BE(value >>> 0, 0);
  return make(code, data, options);
}

export const utf8 = (code: number, value: string, options?: AvpOptions): Avp =>
  make(code, Buffer.from(value, 'utf8'), options);
export const octets = (code: number, value: Buffer, options?: AvpOptions): Avp => make(code, value, options);
export const grouped = (code: number, children: readonly Avp[], options?: AvpOptions): Avp =>
  make(code, Buffer.concat(children.map(encodeAvp)), options);

/** Address (RFC 6733 §4.3.1): 2-byte family (1 IPv4, 2 IPv6) and the address bytes. */
export function address(code: number, ip: string, options?: AvpOptions): Avp {
  const v4 = isIPv4(ip.replace(/^::ffff:/, ''));
  if (v4) {
    const bytes = ip
      .replace(/^::ffff:/, '')
      .split('.')
      .map(Number);
    return make(code, Buffer.from([0, 1, ...bytes]), options);
  }
  const full = expandIpv6(ip);
  const data = Buffer.alloc(18);
  data.writeUInt16BE(2, 0);
  for (const [i, group] of full.entries()) data.writeUInt16BE(group, 2 + i * 2);
  return make(code, data, options);
}

function expandIpv6(ip: string): number[] {
  const [head, tail] = ip.split('::') as [string, string?];
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const a = parse(head);
  const b = tail === undefined ? [] : parse(tail);
  return [...a, ...new Array(8 - a.length - b.length).fill(0), ...b];
}

// Readers.

export const find = (avps: readonly Avp[], code: number, vendorId = 0) =>
  avps.find((a) => a.code === code && a.vendorId === vendorId);
export const findAll = (avps: readonly Avp[], code: number, vendorId = 0) =>
  avps.filter((a) => a.code === code && a.vendorId === vendorId);

export function readU32(avp: Avp): number {
  if (avp.data.length !== 4)
    throw new DecodeError(
      RESULT.invalidAvpLength,
      `AVP ${avp.code} must hold 4 bytes, holds ${avp.data.length}`,
      avp,
    );
  return avp.data.readUInt32BE(0);
}

export function readUtf8(avp: Avp): string {
  if (!isUtf8(avp.data))
    throw new DecodeError(RESULT.invalidAvpValue, `AVP ${avp.code} is not valid UTF-8`, avp);
  return avp.data.toString('utf8');
}

export const readGrouped = (avp: Avp): Avp[] => {
  try {
    return decodeAvps(avp.data);
  } catch (error) {
    if (error instanceof DecodeError)
      throw new DecodeError(RESULT.invalidAvpValue, `grouped AVP ${avp.code}: ${error.message}`, avp);
    throw error;
  }
};

export function readAddress(avp: Avp): string | null {
  if (avp.data.length === 6 && avp.data.readUInt16BE(0) === 1) return [...avp.data.subarray(2)].join('.');
  if (avp.data.length === 18 && avp.data.readUInt16BE(0) === 2) {
    const groups = [];
    for (let i = 0; i < 8; i++) groups.push(avp.data.readUInt16BE(2 + i * 2).toString(16));
    return groups.join(':');
  }
  return null;
}

/**
 * Reassembles messages from a TCP byte stream. Every complete message in the buffer is handed over at
 * once (a reader that decodes one per chunk stalls pipelined requests); a header that cannot start a
 * message ends the stream, because the boundaries of what follows can no longer be known. The messages
 * before it are still handed over, so that what was sent before the garbage is answered however TCP
 * cut the stream; `error` then says why nothing more will come.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Set once a header cannot start a message; nothing is framed after it. */
  error: DecodeError | null = null;

  push(chunk: Buffer): Buffer[] {
    if (this.error) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      let buffer = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      let length: number;
      try {
        length = announcedLength(buffer);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        this.error = error;
        this.chunks = [];
        this.buffered = 0;
        break;
      }
      if (buffer.length < length) {
        this.chunks = [buffer];
        break;
      }
      frames.push(buffer.subarray(0, length));
      buffer = buffer.subarray(length);
      this.chunks = buffer.length > 0 ? [buffer] : [];
      this.buffered = buffer.length;
    }
    return frames;
  }
}
