/**
 * The valid Diameter messages the mutator starts from, as AVP trees it can change: CER, ECR (IMEI,
 * IMEI + Software-Version, User-Name, every optional AVP), DWR, DPR, answers, unknown commands, and
 * unknown or vendor AVPs with and without the M bit. `encode` writes a tree as it stands (flags as
 * given, V deciding the header size) and says where every AVP header starts.
 */
import {
  APP_RELAY,
  APP_S13,
  AVP,
  AVP_FLAG,
  CMD,
  FLAG,
  VENDOR_3GPP,
} from '../../../src/protocols/diameter/dictionary.ts';
import { ALLOWED, BLOCKED, PAIRED_IMSI, TRACKED } from '../check.ts';
import type { Random } from './random.ts';

/** The identity the fuzzing peer announces; the target admits any peer. */
export const PEER = {
  originHost: 'fuzz.mme.epc.mnc001.mcc001.3gppnetwork.org',
  originRealm: 'epc.mnc001.mcc001.3gppnetwork.org',
  destinationRealm: 'openceir.localdomain',
} as const;

const PROXY_HOST = 280;
const PROXY_STATE = 33;
const MEID = AVP.meid3gpp2;

/** An AVP as the mutator sees it: flags as sent (V decides the header size), children for Grouped. */
export interface Node {
  code: number;
  flags: number;
  vendorId: number;
  data: Buffer;
  children: Node[] | null;
}

export interface Draft {
  flags: number;
  command: number;
  applicationId: number;
  avps: Node[];
}

export const M = AVP_FLAG.mandatory;
export const V = AVP_FLAG.vendor;
const leaf = (code: number, data: Buffer | string, flags: number = M, vendorId = 0): Node => ({
  code,
  flags: vendorId !== 0 ? flags | V : flags,
  vendorId,
  data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
  children: null,
});
const u32 = (code: number, value: number, flags: number = M, vendorId = 0): Node => {
  const data = Buffer.alloc(4);
  data.writeUInt32BE(value >>> 0);
  return leaf(code, data, flags, vendorId);
};
const group = (code: number, children: Node[], flags: number = M, vendorId = 0): Node => ({
  ...leaf(code, Buffer.alloc(0), flags, vendorId),
  children,
});
const origin = () => [leaf(AVP.originHost, PEER.originHost), leaf(AVP.originRealm, PEER.originRealm)];

const IMEIS = [BLOCKED, TRACKED, ALLOWED, '49015420323751', `${BLOCKED}1`, `${ALLOWED}0`];

function ecr(r: Random, variant: 'imei' | 'imei-sv' | 'user' | 'full'): Draft {
  const imei = r.chance(0.8) ? r.pick(IMEIS) : r.digits(r.pick([14, 15, 16]));
  const terminal = [leaf(AVP.imei, imei, M, VENDOR_3GPP)];
  if (variant !== 'imei') terminal.push(leaf(AVP.softwareVersion, r.digits(2), M, VENDOR_3GPP));
  if (variant === 'full' && r.chance(0.3)) terminal.push(leaf(MEID, r.bytes(7), M, VENDOR_3GPP));
  const avps = [
    leaf(AVP.sessionId, `${PEER.originHost};${r.next()};${r.int(1000)}`),
    ...(variant === 'full' ? [u32(AVP.drmp, r.int(16), 0)] : []),
    ...(variant === 'full'
      ? [
          group(AVP.vendorSpecificApplicationId, [
            u32(AVP.vendorId, VENDOR_3GPP),
            u32(AVP.authApplicationId, APP_S13),
          ]),
        ]
      : []),
    u32(AVP.authSessionState, 1),
    ...origin(),
    ...(variant === 'full' ? [leaf(AVP.destinationHost, 'eir.openceir.localdomain')] : []),
    leaf(AVP.destinationRealm, PEER.destinationRealm),
    group(AVP.terminalInformation, terminal, M, VENDOR_3GPP),
  ];
  if (variant === 'user' || variant === 'full')
    avps.push(leaf(AVP.userName, r.chance(0.5) ? PAIRED_IMSI : `00101${r.digits(10)}`));
  if (variant === 'full') {
    for (let i = r.int(3); i > 0; i--)
      avps.push(
        group(AVP.proxyInfo, [leaf(PROXY_HOST, `dra${i}.example`), leaf(PROXY_STATE, r.bytes(r.int(9)))]),
      );
    avps.push(leaf(AVP.routeRecord, 'dra1.example'));
  }
  return { flags: FLAG.request | FLAG.proxiable, command: CMD.meIdentityCheck, applicationId: APP_S13, avps };
}

function cer(r: Random): Draft {
  const apps = [
    group(AVP.vendorSpecificApplicationId, [
      u32(AVP.vendorId, VENDOR_3GPP),
      u32(AVP.authApplicationId, APP_S13),
    ]),
  ];
  if (r.chance(0.3)) apps.push(u32(AVP.authApplicationId, r.pick([APP_S13, APP_RELAY, 16777251])));
  if (r.chance(0.2)) apps.push(u32(AVP.acctApplicationId, r.pick([3, APP_RELAY])));
  return {
    flags: FLAG.request,
    command: CMD.capabilitiesExchange,
    applicationId: 0,
    avps: [
      ...origin(),
      leaf(
        AVP.hostIpAddress,
        r.chance(0.8) ? Buffer.from([0, 1, 127, 0, 0, 1]) : Buffer.from([0, 2, ...r.bytes(16)]),
      ),
      u32(AVP.vendorId, 0),
      leaf(AVP.productName, 'fuzz', 0),
      u32(AVP.originStateId, r.next()),
      u32(AVP.supportedVendorId, VENDOR_3GPP),
      ...apps,
      u32(AVP.firmwareRevision, 1, 0),
      ...(r.chance(0.2) ? [u32(AVP.inbandSecurityId, 0)] : []),
    ],
  };
}

export const SEEDS: readonly (readonly [number, string, (r: Random) => Draft])[] = [
  [4, 'ecr-imei', (r) => ecr(r, 'imei')],
  [4, 'ecr-imei-sv', (r) => ecr(r, 'imei-sv')],
  [3, 'ecr-user', (r) => ecr(r, 'user')],
  [4, 'ecr-full', (r) => ecr(r, 'full')],
  [2, 'cer', cer],
  [2, 'dwr', () => ({ flags: FLAG.request, command: CMD.deviceWatchdog, applicationId: 0, avps: origin() })],
  [
    0.3,
    'dpr',
    (r) => ({
      flags: FLAG.request,
      command: CMD.disconnectPeer,
      applicationId: 0,
      avps: [...origin(), u32(AVP.disconnectCause, r.int(3))],
    }),
  ],
  [
    2,
    'unknown-command',
    (r) => ({
      ...ecr(r, 'imei'),
      command: r.pick([316, 318, 272, 8388620, r.int(0x1000000)]),
      applicationId: r.pick([APP_S13, 0, 16777251, r.next()]),
    }),
  ],
  [
    1,
    'answer',
    (r) => ({
      flags: r.pick([0, FLAG.proxiable, FLAG.error]),
      command: r.pick([CMD.deviceWatchdog, CMD.meIdentityCheck, CMD.capabilitiesExchange]),
      applicationId: r.pick([0, APP_S13]),
      avps: [u32(AVP.resultCode, 2001), ...origin()],
    }),
  ],
  [
    2,
    'ecr-unknown-avps',
    (r) => insertUnknown(r, insertUnknown(r, ecr(r, r.pick(['imei', 'imei-sv'])), 0), M),
  ],
];

/** An AVP nobody defined, with or without the M bit, 3GPP-vendor or not. */
export function insertUnknown(r: Random, draft: Draft, flags: number = r.chance(0.5) ? M : 0): Draft {
  const vendor = r.pick([0, VENDOR_3GPP, 5535, r.next()]);
  const code = r.pick([99999, 1400, 1499, 65535, r.next()]);
  const node = r.chance(0.3)
    ? group(code, [u32(r.next(), r.next(), flags, vendor)], flags, vendor)
    : leaf(code, r.bytes(r.int(12)), flags, vendor);
  draft.avps.splice(r.int(draft.avps.length + 1), 0, node);
  return draft;
}

// Encoding, keeping where every AVP header starts (for length lies).

export function encodeAvps(
  avps: readonly Node[],
  base = 0,
  headers: number[] = [],
): { bytes: Buffer; headers: number[] } {
  const parts: Buffer[] = [];
  let offset = base;
  for (const node of avps) {
    const vendor = (node.flags & V) !== 0;
    const size = vendor ? 12 : 8;
    headers.push(offset);
    const data = node.children ? encodeAvps(node.children, offset + size, headers).bytes : node.data;
    const length = size + data.length;
    const out = Buffer.alloc(length + ((4 - (length % 4)) % 4));
    out.writeUInt32BE(node.code >>> 0, 0);
    out.writeUInt8(node.flags & 0xff, 4);
    out.writeUIntBE(Math.min(length, 0xffffff), 5, 3);
    if (vendor) out.writeUInt32BE(node.vendorId >>> 0, 8);
    data.copy(out, size);
    parts.push(out);
    offset += out.length;
  }
  return { bytes: Buffer.concat(parts), headers };
}

export function encode(draft: Draft): { bytes: Buffer; headers: number[] } {
  const { bytes: body, headers } = encodeAvps(draft.avps, 20);
  const out = Buffer.alloc(20 + body.length);
  out.writeUInt8(1, 0);
  out.writeUIntBE(Math.min(out.length, 0xffffff), 1, 3);
  out.writeUInt8(draft.flags, 4);
  out.writeUIntBE(draft.command & 0xffffff, 5, 3);
  out.writeUInt32BE(draft.applicationId >>> 0, 8);
  body.copy(out, 20);
  return { bytes: out, headers };
}
