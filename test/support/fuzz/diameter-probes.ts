/**
 * The fuzzer's own valid requests, whose answers are known exactly: the CER that opens a connection,
 * the liveness probes after each batch (ECR for a blocked, tracked, allowed and unknown IMEI, DWR) and
 * the DPR that ends the run. Their identifiers are above 2^31; mutants use their index.
 */
import {
  encodeMessage,
  find,
  grouped,
  type Message,
  u32,
  utf8,
} from '../../../src/protocols/diameter/codec.ts';
import { APP_S13, AVP, CMD, FLAG, VENDOR_3GPP } from '../../../src/protocols/diameter/dictionary.ts';
import { ALLOWED, BLOCKED, TRACKED } from '../check.ts';
import { PEER } from './diameter-seeds.ts';

// Identifiers above 2^31 belong to the fuzzer's own valid requests; mutants use their index.
const PROBE_ID = 0x8000_0000;
const CER_ID = 0xc000_0000;

/** Valid requests whose answers are known exactly. */
export const PROBES: readonly {
  readonly imei: string | null;
  readonly status: number | 'unknown' | 'dwa';
}[] = [
  { imei: BLOCKED, status: 1 },
  { imei: TRACKED, status: 2 },
  { imei: ALLOWED, status: 0 },
  { imei: '49015420323751', status: 'unknown' },
  { imei: null, status: 'dwa' },
];

export const origin = () => [utf8(AVP.originHost, PEER.originHost), utf8(AVP.originRealm, PEER.originRealm)];

export interface Probe {
  readonly bytes: Buffer;
  readonly status: number | 'unknown' | 'dwa' | 'cea';
}

export function probe(n: number): Probe {
  const { imei, status } = PROBES[n % PROBES.length]!;
  const id = (PROBE_ID + (n % 0x4000_0000)) >>> 0;
  const header = { hopByHop: id, endToEnd: id };
  if (imei === null)
    return {
      bytes: encodeMessage({
        ...header,
        flags: FLAG.request,
        command: CMD.deviceWatchdog,
        applicationId: 0,
        avps: origin(),
      }),
      status,
    };
  const avps = [
    utf8(AVP.sessionId, `${PEER.originHost};probe;${n}`),
    u32(AVP.authSessionState, 1),
    ...origin(),
    utf8(AVP.destinationRealm, PEER.destinationRealm),
    grouped(
      AVP.terminalInformation,
      [
        utf8(AVP.imei, imei, { vendorId: VENDOR_3GPP }),
        utf8(AVP.softwareVersion, '01', { vendorId: VENDOR_3GPP }),
      ],
      {
        vendorId: VENDOR_3GPP,
      },
    ),
  ];
  const flags = FLAG.request | FLAG.proxiable;
  return {
    bytes: encodeMessage({ ...header, flags, command: CMD.meIdentityCheck, applicationId: APP_S13, avps }),
    status,
  };
}

export function cer(n: number): Probe {
  const id = (CER_ID + (n % 0x4000_0000)) >>> 0;
  return {
    bytes: encodeMessage({
      flags: FLAG.request,
      command: CMD.capabilitiesExchange,
      applicationId: 0,
      hopByHop: id,
      endToEnd: id,
      avps: [
        ...origin(),
        u32(AVP.vendorId, 0),
        utf8(AVP.productName, 'openceir-fuzz', { mandatory: false }),
        grouped(AVP.vendorSpecificApplicationId, [
          u32(AVP.vendorId, VENDOR_3GPP),
          u32(AVP.authApplicationId, APP_S13),
        ]),
      ],
    }),
    status: 'cea',
  };
}

/** What a probe's answer must say, beyond being a correct answer. */
export function probeProblem(answer: Message, status: Probe['status']): string | null {
  const result = find(answer.avps, AVP.resultCode)?.data.readUInt32BE(0) ?? null;
  const equipment = find(answer.avps, AVP.equipmentStatus, VENDOR_3GPP)?.data.readUInt32BE(0) ?? null;
  if (status === 'unknown')
    return result === null && equipment === null ? null : 'an unknown IMEI is not answered 5422';
  if (result !== 2001)
    return `a valid ${status === 'cea' ? 'CER' : status === 'dwa' ? 'DWR' : 'ECR'} is answered ${result}`;
  if (typeof status === 'number' && equipment !== status)
    return `Equipment-Status ${equipment}, expected ${status}`;
  return null;
}

/** DPR (cause REBOOTING): DPA, then the connection ends. */
export function dpr(): Probe {
  const id = PROBE_ID - 1;
  const avps = [...origin(), u32(AVP.disconnectCause, 0)];
  return {
    bytes: encodeMessage({
      flags: FLAG.request,
      command: CMD.disconnectPeer,
      applicationId: 0,
      hopByHop: id,
      endToEnd: id,
      avps,
    }),
    status: 'dwa',
  };
}
