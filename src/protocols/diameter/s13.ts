/**
 * S13 ME-Identity-Check (TS 29.272 §5.3.2.1, §7.2.19–20): ECR in, ECA out. The IMEI is read like every
 * network identity (14, 15 or 16 digits; a wrong 15th digit is no reason to fail); an unknown device is
 * Experimental-Result 5422 with no Result-Code; a missing Terminal-Information is 5005 with Failed-AVP.
 */
import type { CheckService } from '../../check/service.ts';
import {
  type Avp,
  DecodeError,
  find,
  grouped,
  type Message,
  octets,
  readGrouped,
  readUtf8,
  u32,
  utf8,
} from './codec.ts';
import { AVP, AVP_FLAG, CMD, EQUIPMENT_STATUS, RESULT, VENDOR_3GPP } from './dictionary.ts';

export interface Identity {
  readonly originHost: string;
  readonly originRealm: string;
}

/** AVPs an ECR may carry at its top level (TS 29.272 §7.2.19); any other with the M bit is refused (5001). */
const KNOWN_ECR_AVPS = new Set<number>([
  AVP.sessionId,
  AVP.drmp,
  AVP.vendorSpecificApplicationId,
  AVP.authSessionState,
  AVP.originHost,
  AVP.originRealm,
  AVP.destinationHost,
  AVP.destinationRealm,
  AVP.userName,
  AVP.proxyInfo,
  AVP.routeRecord,
]);
const knownInEcr = (avp: Avp) =>
  avp.vendorId === 0
    ? KNOWN_ECR_AVPS.has(avp.code)
    : avp.vendorId === VENDOR_3GPP && avp.code === AVP.terminalInformation;

/** The AVPs every ECA from this EIR carries, encoded once per local identity. */
interface Constants {
  readonly success: Avp;
  readonly unknown: Avp;
  readonly authSessionState: Avp;
  readonly originHost: Avp;
  readonly originRealm: Avp;
  readonly status: Record<keyof typeof EQUIPMENT_STATUS, Avp>;
}
const constants = new WeakMap<Identity, Constants>();
function constantsOf(local: Identity): Constants {
  let c = constants.get(local);
  if (!c) {
    const status = (value: number) => u32(AVP.equipmentStatus, value, { vendorId: VENDOR_3GPP });
    c = {
      success: u32(AVP.resultCode, RESULT.success),
      unknown: grouped(AVP.experimentalResult, [
        u32(AVP.vendorId, VENDOR_3GPP),
        u32(AVP.experimentalResultCode, RESULT.equipmentUnknown),
      ]),
      authSessionState: u32(AVP.authSessionState, 1),
      originHost: utf8(AVP.originHost, local.originHost),
      originRealm: utf8(AVP.originRealm, local.originRealm),
      status: {
        allowed: status(EQUIPMENT_STATUS.allowed),
        blocked: status(EQUIPMENT_STATUS.blocked),
        tracked: status(EQUIPMENT_STATUS.tracked),
      },
    };
    constants.set(local, c);
  }
  return c;
}
const IMEI14 = /^[0-9]{14}$/;
const SVN = /^[0-9]{2}$/;

const REQUIRED: readonly [number, number, string][] = [
  [AVP.sessionId, 0, 'Session-Id'],
  [AVP.authSessionState, 0, 'Auth-Session-State'],
  [AVP.originHost, 0, 'Origin-Host'],
  [AVP.originRealm, 0, 'Origin-Realm'],
  [AVP.destinationRealm, 0, 'Destination-Realm'],
  [AVP.terminalInformation, VENDOR_3GPP, 'Terminal-Information'],
];

export type EcrOutcome =
  | { readonly kind: 'answer'; readonly avps: Avp[]; readonly error: false }
  /** A failure answered with Result-Code (and Failed-AVP); E bit set for 3xxx. */
  | {
      readonly kind: 'failure';
      readonly resultCode: number;
      readonly failedAvp: Avp | null;
      readonly sessionId: string | null;
      readonly message: string;
    };

const failure = (
  resultCode: number,
  message: string,
  failedAvp: Avp | null,
  sessionId: string | null,
): EcrOutcome => ({
  kind: 'failure',
  resultCode,
  failedAvp,
  sessionId,
  message,
});

export function handleEcr(
  request: Message,
  service: CheckService,
  local: Identity,
  peer: Identity,
): EcrOutcome {
  const session = find(request.avps, AVP.sessionId);
  let sessionId: string | null = null;
  try {
    sessionId = session ? readUtf8(session) : null;
    for (const avp of request.avps) {
      if ((avp.flags & AVP_FLAG.mandatory) !== 0 && !knownInEcr(avp)) {
        return failure(
          RESULT.avpUnsupported,
          `AVP ${avp.code} (vendor ${avp.vendorId}) is not part of an ECR and has the M bit`,
          avp,
          sessionId,
        );
      }
    }
    for (const [code, vendor, name] of REQUIRED) {
      if (!find(request.avps, code, vendor)) {
        // Failed-AVP holds an example of the missing AVP with empty data (RFC 6733 §7.5).
        return failure(
          RESULT.missingAvp,
          `the ECR has no ${name}`,
          octets(code, Buffer.alloc(0), { vendorId: vendor }),
          sessionId,
        );
      }
    }
    if (service.refuse('s13')) return failure(RESULT.tooBusy, 'the EIR is overloaded', null, sessionId);

    const terminal = readGrouped(find(request.avps, AVP.terminalInformation, VENDOR_3GPP)!);
    const imeiAvp = find(terminal, AVP.imei, VENDOR_3GPP);
    const svnAvp = find(terminal, AVP.softwareVersion, VENDOR_3GPP);
    const imei = imeiAvp ? readUtf8(imeiAvp).trim() : '';
    const svn = svnAvp ? readUtf8(svnAvp).trim() : '';
    // IMEI 14 digits + Software-Version 2 digits (what MMEs send) is an IMEISV; read it as one.
    const equipment = IMEI14.test(imei) && SVN.test(svn) ? imei + svn : imei;
    const user = find(request.avps, AVP.userName);
    const imsi = user ? readUtf8(user) : null;
    const result = service.check(
      { equipment, imsi },
      { protocol: 's13', equipment: imei, peer: peer.originHost, network: peer.originRealm },
    );

    // The Session-Id goes back as it came (its bytes were just read as UTF-8).
    const c = constantsOf(local);
    const sessionAvp = octets(AVP.sessionId, session!.data);
    const avps: Avp[] =
      result.status === 'unknown'
        ? [sessionAvp, c.unknown, c.authSessionState, c.originHost, c.originRealm]
        : [sessionAvp, c.success, c.authSessionState, c.originHost, c.originRealm, c.status[result.status]];
    return { kind: 'answer', avps, error: false };
  } catch (error) {
    if (error instanceof DecodeError)
      return failure(error.resultCode, error.message, error.failedAvp, sessionId);
    throw error;
  }
}

export const isEcr = (m: Message) => m.command === CMD.meIdentityCheck;
