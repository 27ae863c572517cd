/**
 * What an RFC 6733 / TS 29.272 responder must do with a byte stream, written apart from the server so
 * that the fuzzer can hold the server to it: how the stream frames (§3: a header that cannot start a
 * message ends the connection), which answer each framed request deserves (the Result-Codes of §7.1,
 * with Failed-AVP where §7.1.5 demands it), and what every answer must carry (§6.2: same identifiers,
 * command and P bit, Session-Id and Proxy-Info copied; Origin-Host and Origin-Realm; E bit iff 3xxx).
 * Where the RFC leaves a choice, the oracle admits the set of correct answers, not one.
 */
import { MAX_MESSAGE_LENGTH } from '../../../src/protocols/diameter/codec.ts';
import {
  APP_RELAY,
  APP_S13,
  AVP,
  AVP_FLAG,
  CMD,
  FLAG,
  RESULT,
  VENDOR_3GPP,
} from '../../../src/protocols/diameter/dictionary.ts';

export interface RawAvp {
  readonly code: number;
  readonly flags: number;
  readonly vendorId: number;
  readonly data: Buffer;
}

/** Reads AVPs the simple way (RFC 6733 §4.1); `broken` when a header or length does not fit. */
export function walkAvps(data: Buffer): { avps: RawAvp[]; broken: boolean } {
  const avps: RawAvp[] = [];
  let at = 0;
  while (at < data.length) {
    if (data.length - at < 8) return { avps, broken: true };
    const flags = data[at + 4]!;
    const length = data.readUIntBE(at + 5, 3);
    const header = flags & AVP_FLAG.vendor ? 12 : 8;
    if (length < header || at + length > data.length) return { avps, broken: true };
    avps.push({
      code: data.readUInt32BE(at),
      flags,
      vendorId: header === 12 ? data.readUInt32BE(at + 8) : 0,
      data: data.subarray(at + header, at + length),
    });
    at += length + ((4 - (length % 4)) % 4);
  }
  return { avps, broken: false };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export function isUtf8(data: Buffer): boolean {
  try {
    utf8.decode(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * How the responder frames a stream: whole messages, then clean, a header it cannot read (version,
 * length under 20, not a multiple of 4, over `maxLength`), or a tail it waits on.
 */
export function frameStream(
  bytes: Buffer,
  maxLength = MAX_MESSAGE_LENGTH,
): { frames: Buffer[]; end: 'clean' | 'unframeable' | 'incomplete' } {
  const frames: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 4) return { frames, end: 'incomplete' };
    const length = bytes.readUIntBE(at + 1, 3);
    if (bytes[at] !== 1 || length < 20 || length % 4 !== 0 || length > maxLength)
      return { frames, end: 'unframeable' };
    if (bytes.length - at < length) return { frames, end: 'incomplete' };
    frames.push(bytes.subarray(at, at + length));
    at += length;
  }
  return { frames, end: 'clean' };
}

export type PeerState = 'wait-cer' | 'open' | 'closing';

/** What one framed message deserves. */
export type Expectation =
  /** Answers and non-requests are not answered (RFC 6733 §6.2). */
  | { readonly kind: 'silent' }
  /** No answer; the connection closes (anything but a readable CER first, §5.3). */
  | { readonly kind: 'drop' }
  | Answerable;

export interface Answerable {
  readonly kind: 'answer';
  readonly hopByHop: number;
  readonly endToEnd: number;
  readonly command: number;
  readonly applicationId: number;
  readonly proxiable: boolean;
  /** Result-Codes that are a correct answer; success (2001, or Experimental 5422 in an ECA) only when `success`. */
  readonly codes: ReadonlySet<number>;
  readonly success: boolean;
  /** The request's Session-Id, which the answer must carry first (§6.2); null when none can be copied. */
  readonly sessionId: string | null;
  /** The request's Proxy-Info AVPs, which the answer must carry in order (§6.2). */
  readonly proxyInfo: readonly RawAvp[];
}

const first = (avps: readonly RawAvp[], code: number, vendorId = 0) =>
  avps.find((a) => a.code === code && a.vendorId === vendorId);
const has = (avps: readonly RawAvp[], code: number, vendorId = 0) =>
  first(avps, code, vendorId) !== undefined;

/** TS 29.272 §7.2.19: the AVPs an ECR names. */
const ECR_AVPS = new Set([
  `0/${AVP.sessionId}`,
  `0/${AVP.drmp}`,
  `0/${AVP.vendorSpecificApplicationId}`,
  `0/${AVP.authSessionState}`,
  `0/${AVP.originHost}`,
  `0/${AVP.originRealm}`,
  `0/${AVP.destinationHost}`,
  `0/${AVP.destinationRealm}`,
  `${VENDOR_3GPP}/${AVP.terminalInformation}`,
  `0/${AVP.userName}`,
  `0/${AVP.proxyInfo}`,
  `0/${AVP.routeRecord}`,
]);
const ECR_REQUIRED: readonly [number, number][] = [
  [AVP.sessionId, 0],
  [AVP.authSessionState, 0],
  [AVP.originHost, 0],
  [AVP.originRealm, 0],
  [AVP.destinationRealm, 0],
  [AVP.terminalInformation, VENDOR_3GPP],
];
const ECR_SINGLE = ECR_REQUIRED.concat([
  [AVP.drmp, 0],
  [AVP.vendorSpecificApplicationId, 0],
  [AVP.destinationHost, 0],
  [AVP.userName, 0],
]);

/**
 * The errors in an ECR's AVPs. `must`: an answer must name one of them. `may`: the RFC allows refusing
 * (duplicates 5009, AVPs of the wrong size 5014, bad flag bits 3009, unknown M-bit AVPs inside a Grouped
 * AVP 5001), and a responder that reads the first occurrence and ignores the rest is correct too.
 */
function ecrErrors(avps: readonly RawAvp[], must: Set<number>, may: Set<number>): void {
  const session = first(avps, AVP.sessionId);
  if (session && !isUtf8(session.data)) must.add(RESULT.invalidAvpValue);
  for (const avp of avps) {
    if (avp.flags & AVP_FLAG.mandatory && !ECR_AVPS.has(`${avp.vendorId}/${avp.code}`))
      must.add(RESULT.avpUnsupported);
    if (avp.flags & 0x1f || ((avp.flags & AVP_FLAG.vendor) === 0 && avp.vendorId !== 0))
      may.add(RESULT.invalidAvpBits);
  }
  for (const [code, vendor] of ECR_REQUIRED) if (!has(avps, code, vendor)) must.add(RESULT.missingAvp);
  for (const [code, vendor] of ECR_SINGLE)
    if (avps.filter((a) => a.code === code && a.vendorId === vendor).length > 1) may.add(5009);
  for (const code of [AVP.authSessionState, AVP.drmp]) {
    const avp = first(avps, code);
    if (avp && avp.data.length !== 4) may.add(RESULT.invalidAvpLength);
    else if (avp && code === AVP.authSessionState && avp.data.readUInt32BE(0) > 1)
      may.add(RESULT.invalidAvpValue);
  }
  const terminals = avps.filter((a) => a.code === AVP.terminalInformation && a.vendorId === VENDOR_3GPP);
  terminals.forEach((terminal, i) => {
    const errors = i === 0 ? must : may;
    const inner = walkAvps(terminal.data);
    if (inner.broken) {
      errors.add(RESULT.invalidAvpValue);
      may.add(RESULT.invalidAvpLength);
      return;
    }
    for (const code of [AVP.imei, AVP.softwareVersion]) {
      const avp = first(inner.avps, code, VENDOR_3GPP);
      if (avp && !isUtf8(avp.data)) errors.add(RESULT.invalidAvpValue);
      if (inner.avps.filter((a) => a.code === code && a.vendorId === VENDOR_3GPP).length > 1) may.add(5009);
    }
    if (
      inner.avps.some(
        (a) =>
          a.flags & AVP_FLAG.mandatory &&
          !(
            a.vendorId === VENDOR_3GPP &&
            [AVP.imei, AVP.softwareVersion, AVP.meid3gpp2].includes(a.code as 1402)
          ),
      )
    )
      may.add(RESULT.avpUnsupported);
  });
  const user = first(avps, AVP.userName);
  if (user && !isUtf8(user.data)) must.add(RESULT.invalidAvpValue);
  if (avps.filter((a) => a.code === AVP.userName && a.vendorId === 0).some((a) => !isUtf8(a.data)))
    may.add(RESULT.invalidAvpValue);
}

/** The errors in a CER's AVPs that refuse it (RFC 6733 §5.3; read as the first occurrence of each). */
function cerErrors(avps: readonly RawAvp[], must: Set<number>): void {
  for (const code of [AVP.originHost, AVP.originRealm]) {
    const avp = first(avps, code);
    if (!avp) must.add(RESULT.missingAvp);
    else if (!isUtf8(avp.data)) must.add(RESULT.invalidAvpValue);
  }
  const ids: RawAvp[] = avps.filter(
    (a) => a.vendorId === 0 && (a.code === AVP.authApplicationId || a.code === AVP.acctApplicationId),
  );
  for (const vsai of avps.filter((a) => a.code === AVP.vendorSpecificApplicationId && a.vendorId === 0)) {
    const inner = walkAvps(vsai.data);
    if (inner.broken) must.add(RESULT.invalidAvpValue);
    ids.push(...inner.avps.filter((a) => a.code === AVP.authApplicationId && a.vendorId === 0));
  }
  if (ids.some((a) => a.data.length !== 4)) must.add(RESULT.invalidAvpLength);
  if (must.size === 0 && !ids.some((a) => [APP_S13, APP_RELAY].includes(a.data.readUInt32BE(0))))
    must.add(RESULT.noCommonApplication);
}

/** The expectation for one framed message in `state`, and the state after it. */
export function judge(
  frame: Buffer,
  state: PeerState,
): { expectation: Expectation; next: PeerState | 'closed' } {
  if (state === 'closing') return { expectation: { kind: 'silent' }, next: 'closing' };
  const flags = frame[4]!;
  const command = frame.readUIntBE(5, 3);
  const applicationId = frame.readUInt32BE(8);
  if ((flags & FLAG.request) === 0) return { expectation: { kind: 'silent' }, next: state };
  const errorBit = (flags & FLAG.error) !== 0;
  const { avps, broken } = walkAvps(frame.subarray(20));
  const readable = !errorBit && !broken;
  if (state === 'wait-cer' && (!readable || command !== CMD.capabilitiesExchange))
    return { expectation: { kind: 'drop' }, next: 'closed' };

  const must = new Set<number>();
  const may = new Set<number>();
  let next: PeerState = state;
  if (errorBit) must.add(RESULT.invalidHeaderBits);
  if (broken) must.add(RESULT.invalidAvpLength);
  if (state === 'wait-cer') {
    cerErrors(avps, must);
    next = must.size === 0 ? 'open' : 'closing';
  } else if (command === CMD.capabilitiesExchange) must.add(RESULT.unableToComply);
  else if (command === CMD.disconnectPeer) next = readable ? 'closing' : 'open';
  else if (command === CMD.meIdentityCheck) {
    if (applicationId !== APP_S13) must.add(RESULT.applicationUnsupported);
    else if (readable) ecrErrors(avps, must, may);
  } else if (command !== CMD.deviceWatchdog) must.add(RESULT.commandUnsupported);

  const session = readable ? first(avps, AVP.sessionId) : undefined;
  const base = [CMD.capabilitiesExchange, CMD.deviceWatchdog, CMD.disconnectPeer].includes(command as 257);
  return {
    expectation: {
      kind: 'answer',
      hopByHop: frame.readUInt32BE(12),
      endToEnd: frame.readUInt32BE(16),
      command,
      applicationId,
      proxiable: (flags & FLAG.proxiable) !== 0,
      codes: new Set([...must, ...may]),
      success: must.size === 0,
      sessionId: session && !base && isUtf8(session.data) ? session.data.toString('utf8') : null,
      proxyInfo: readable ? avps.filter((a) => a.code === AVP.proxyInfo && a.vendorId === 0) : [],
    },
    next,
  };
}

export interface StreamJudgement {
  readonly expectations: Expectation[];
  /** Whether the responder keeps the connection after this stream (else it closes or waits for more bytes). */
  readonly end: 'clean' | 'unframeable' | 'incomplete';
  readonly state: PeerState | 'closed';
}

/** Frames a stream as the responder will and judges every message in order. */
export function judgeStream(bytes: Buffer, start: PeerState): StreamJudgement {
  const { frames, end } = frameStream(bytes);
  const expectations: Expectation[] = [];
  let state: PeerState | 'closed' = start;
  for (const frame of frames) {
    if (state === 'closed') break;
    const judged = judge(frame, state);
    expectations.push(judged.expectation);
    state = judged.next;
  }
  return { expectations, end, state };
}

/** Failed-AVP is a MUST for these (RFC 6733 §7.1.5; 5001 and 5009 by §7.5). */
const NEEDS_FAILED_AVP = new Set([
  RESULT.avpUnsupported,
  RESULT.invalidAvpValue,
  RESULT.missingAvp,
  5009,
  RESULT.invalidAvpLength,
]);

/** Why `bytes` is not a correct answer to the request `expected` describes; null when it is. */
export function answerProblem(bytes: Buffer, expected: Answerable): string | null {
  if (bytes.length < 20 || bytes.readUIntBE(1, 3) !== bytes.length)
    return 'the answer is not one whole message';
  const flags = bytes[4]!;
  const { avps, broken } = walkAvps(bytes.subarray(20));
  if (broken) return 'the answer has an AVP whose length does not fit';
  if (flags & FLAG.request) return 'the answer has the R bit';
  if (flags & (FLAG.retransmit | 0x0f)) return 'the answer sets the T or reserved bits';
  if (((flags & FLAG.proxiable) !== 0) !== expected.proxiable) return 'the answer does not copy the P bit';
  if (bytes.readUIntBE(5, 3) !== expected.command) return 'the answer has another command code';
  if (bytes.readUInt32BE(8) !== expected.applicationId) return 'the answer has another Application-Id';
  if (bytes.readUInt32BE(16) !== expected.endToEnd) return 'the answer has another End-to-End identifier';
  for (const code of [AVP.originHost, AVP.originRealm]) {
    const avp = first(avps, code);
    if (!avp || !isUtf8(avp.data)) return `the answer has no readable AVP ${code}`;
  }
  if (has(avps, AVP.destinationHost) || has(avps, AVP.destinationRealm))
    return 'the answer has Destination-* AVPs';
  const error = first(avps, AVP.errorMessage);
  if (error && error.flags & AVP_FLAG.mandatory) return 'Error-Message has the M bit';

  const resultCode = first(avps, AVP.resultCode);
  const experimental = first(avps, AVP.experimentalResult);
  if ((resultCode === undefined) === (experimental === undefined))
    return 'the answer needs exactly one of Result-Code and Experimental-Result';
  let code: number;
  if (resultCode) {
    if (resultCode.data.length !== 4) return 'Result-Code is not 4 bytes';
    code = resultCode.data.readUInt32BE(0);
  } else {
    const inner = walkAvps(experimental!.data);
    const value = first(inner.avps, AVP.experimentalResultCode);
    const vendor = first(inner.avps, AVP.vendorId);
    if (
      inner.broken ||
      value?.data.length !== 4 ||
      vendor?.data.length !== 4 ||
      vendor.data.readUInt32BE(0) !== VENDOR_3GPP
    )
      return 'Experimental-Result is not Vendor-Id 10415 with a 4-byte Experimental-Result-Code';
    code = value.data.readUInt32BE(0);
    if (code !== RESULT.equipmentUnknown || expected.command !== CMD.meIdentityCheck)
      return `Experimental-Result-Code ${code} where only an ECA may carry 5422`;
  }
  const success = code === RESULT.success || (experimental !== undefined && code === RESULT.equipmentUnknown);
  if (success ? !expected.success : !expected.codes.has(code))
    return `Result-Code ${code}, expected ${[...(expected.success ? ['2001'] : []), ...expected.codes].join(' or ')}`;
  if (((flags & FLAG.error) !== 0) !== (code >= 3000 && code < 4000))
    return `the E bit does not match Result-Code ${code}`;
  if (NEEDS_FAILED_AVP.has(code)) {
    const failed = first(avps, AVP.failedAvp);
    const inner = failed ? walkAvps(failed.data) : null;
    if (!inner || inner.broken || inner.avps.length === 0)
      return `Result-Code ${code} without a readable Failed-AVP`;
  }
  if (expected.sessionId !== null) {
    const session = avps[0];
    if (session?.code !== AVP.sessionId || session.data.toString('utf8') !== expected.sessionId)
      return 'the answer does not carry the request’s Session-Id first';
  }
  const proxies = avps.filter((a) => a.code === AVP.proxyInfo && a.vendorId === 0);
  if (
    proxies.length !== expected.proxyInfo.length ||
    proxies.some((p, i) => !p.data.equals(expected.proxyInfo[i]!.data))
  )
    return 'the answer does not copy the request’s Proxy-Info AVPs in order';
  if (
    expected.command === CMD.meIdentityCheck &&
    expected.applicationId === APP_S13 &&
    (flags & FLAG.error) === 0
  ) {
    // ECA (TS 29.272 §7.2.20): Auth-Session-State always; Equipment-Status exactly with 2001.
    if (first(avps, AVP.authSessionState)?.data.length !== 4) return 'the ECA has no Auth-Session-State';
    const status = first(avps, AVP.equipmentStatus, VENDOR_3GPP);
    if (code === RESULT.success ? status?.data.length !== 4 || status.data.readUInt32BE(0) > 2 : status)
      return `the ECA with ${code} has ${status ? 'an' : 'no'} Equipment-Status`;
  }
  return null;
}
