import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  address,
  DecodeError,
  decodeMessage,
  encodeAvp,
  encodeMessage,
  FrameReader,
  grouped,
  type Message,
  readAddress,
  readGrouped,
  readU32,
  readUtf8,
  u32,
  utf8,
} from './codec.ts';
import { AVP, RESULT, VENDOR_3GPP } from './dictionary.ts';

const ecr: Message = {
  flags: 0xc0,
  command: 324,
  applicationId: 16777252,
  hopByHop: 0x01020304,
  endToEnd: 0xa0b0c0d0,
  avps: [
    utf8(AVP.sessionId, 'mme.example;1;1'),
    u32(AVP.authSessionState, 1),
    grouped(
      AVP.terminalInformation,
      [
        utf8(AVP.imei, '35209900176148', { vendorId: VENDOR_3GPP }),
        utf8(AVP.softwareVersion, '23', { vendorId: VENDOR_3GPP }),
      ],
      { vendorId: VENDOR_3GPP },
    ),
  ],
};

describe('Diameter codec (RFC 6733 §3, §4)', () => {
  it('encodes the header and AVPs byte for byte', () => {
    const bytes = encodeMessage(ecr);
    expect(bytes.readUInt8(0)).toBe(1);
    expect(bytes.readUIntBE(1, 3)).toBe(bytes.length);
    expect(bytes.readUInt8(4)).toBe(0xc0);
    expect(bytes.readUIntBE(5, 3)).toBe(324);
    expect(bytes.readUInt32BE(8)).toBe(16777252);
    // Session-Id: code 263, M flag, length 8 + 15, padded to 24.
    expect(bytes.subarray(20, 28).toString('hex')).toBe('0000010740000017');
    expect(bytes.length % 4).toBe(0);
    // A vendor AVP carries V and the Vendor-Id: Terminal-Information 1401 (0x579), flags V+M.
    const terminal = encodeAvp(ecr.avps[2]!);
    expect(terminal.subarray(0, 12).toString('hex')).toBe(
      `00000579c0${terminal.readUIntBE(5, 3).toString(16).padStart(6, '0')}000028af`,
    );
  });

  it('decodes what it encodes, including grouped AVPs', () => {
    const decoded = decodeMessage(encodeMessage(ecr));
    expect({ ...decoded, avps: undefined }).toEqual({ ...ecr, avps: undefined });
    expect(readUtf8(decoded.avps[0]!)).toBe('mme.example;1;1');
    expect(readU32(decoded.avps[1]!)).toBe(1);
    const inner = readGrouped(decoded.avps[2]!);
    expect(inner.map((a) => [a.code, a.vendorId, readUtf8(a)])).toEqual([
      [AVP.imei, VENDOR_3GPP, '35209900176148'],
      [AVP.softwareVersion, VENDOR_3GPP, '23'],
    ]);
    expect(readAddress(address(AVP.hostIpAddress, '10.1.2.3'))).toBe('10.1.2.3');
    expect(readAddress(address(AVP.hostIpAddress, '2001:db8::1'))).toBe('2001:db8:0:0:0:0:0:1');
  });

  it('refuses unreadable messages with the RFC result codes', () => {
    const bytes = encodeMessage(ecr);
    const wrongVersion = Buffer.from(bytes);
    wrongVersion[0] = 2;
    expect(() => decodeMessage(wrongVersion)).toThrow(
      expect.objectContaining({ resultCode: RESULT.unsupportedVersion }),
    );
    const avpTooLong = Buffer.from(bytes);
    avpTooLong.writeUIntBE(400, 25, 3);
    expect(() => decodeMessage(avpTooLong)).toThrow(
      expect.objectContaining({ resultCode: RESULT.invalidAvpLength }),
    );
    const errorRequest = Buffer.from(bytes);
    errorRequest[4] = 0xe0;
    expect(() => decodeMessage(errorRequest)).toThrow(
      expect.objectContaining({ resultCode: RESULT.invalidHeaderBits }),
    );
    expect(() => decodeMessage(bytes.subarray(0, 19))).toThrow(DecodeError);
  });

  it('a truncated AVP header is 5014 with the header, padded with zeros, as Failed-AVP (RFC 6733 §7.1.5)', () => {
    const bytes = Buffer.concat([encodeMessage(ecr), Buffer.from([0, 0, 1, 2])]);
    bytes.writeUIntBE(bytes.length, 1, 3);
    expect(() => decodeMessage(bytes)).toThrow(
      expect.objectContaining({
        resultCode: RESULT.invalidAvpLength,
        failedAvp: expect.objectContaining({ code: 0x0102, flags: 0, vendorId: 0 }),
      }),
    );
  });

  it('the frame reader hands over the messages before a header it cannot read, then stops', () => {
    const one = encodeMessage(ecr);
    const reader = new FrameReader();
    const frames = reader.push(Buffer.concat([one, one, Buffer.from('GET / HTTP/1.1\r\n'), one]));
    expect(frames).toHaveLength(2);
    expect(reader.error).toMatchObject({ resultCode: RESULT.unsupportedVersion });
    expect(reader.push(one)).toEqual([]);
  });

  it('the frame reader hands over every message, however TCP cut them', () => {
    const one = encodeMessage(ecr);
    const stream = Buffer.concat([one, one, one]);
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 6 }), (cuts) => {
        const points = [...new Set([0, ...cuts, stream.length])].sort((a, b) => a - b);
        const reader = new FrameReader();
        const frames = points.slice(1).flatMap((end, i) => reader.push(stream.subarray(points[i]!, end)));
        expect(frames).toHaveLength(3);
        for (const f of frames) expect(f.equals(one)).toBe(true);
      }),
    );
  });

  it('never throws anything but DecodeError on random or mutated bytes', () => {
    const base = encodeMessage(ecr);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { maxLength: 8 }),
        (random, flips) => {
          const mutated = Buffer.from(base);
          for (const [i, v] of flips) mutated[i] = v;
          for (const input of [Buffer.from(random), mutated]) {
            try {
              const m = decodeMessage(input);
              for (const avp of m.avps) if (avp.code === AVP.terminalInformation) readGrouped(avp);
            } catch (error) {
              expect(error).toBeInstanceOf(DecodeError);
            }
          }
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
