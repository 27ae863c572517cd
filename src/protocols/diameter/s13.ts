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
const KNOWN_ECR_AVPS = new Set(
  [
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
  ].map((c) => `0/${c}`),
).add(`${VENDOR_3GPP}/${AVP.terminalInformation}`);

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
      if ((avp.flags & AVP_FLAG.mandatory) !== 0 && !KNOWN_ECR_AVPS.has(`${avp.vendorId}/${avp.code}`)) {
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
    const equipment = /^[0-9]{14}$/.test(imei) && /^[0-9]{2}$/.test(svn) ? imei + svn : imei;
    const user = find(request.avps, AVP.userName);
    const imsi = user ? readUtf8(user) : null;
    const result = service.check(
      { equipment, imsi },
      { protocol: 's13', equipment: imei, peer: peer.originHost, network: peer.originRealm },
    );

    const avps: Avp[] = [utf8(AVP.sessionId, sessionId!)];
    if (result.status === 'unknown') {
      avps.push(
        grouped(AVP.experimentalResult, [
          u32(AVP.vendorId, VENDOR_3GPP),
          u32(AVP.experimentalResultCode, RESULT.equipmentUnknown),
        ]),
      );
    } else {
      avps.push(u32(AVP.resultCode, RESULT.success));
    }
    avps.push(
      u32(AVP.authSessionState, 1),
      utf8(AVP.originHost, local.originHost),
      utf8(AVP.originRealm, local.originRealm),
    );
    if (result.status !== 'unknown') {
      avps.push(u32(AVP.equipmentStatus, EQUIPMENT_STATUS[result.status], { vendorId: VENDOR_3GPP }));
    }
    return { kind: 'answer', avps, error: false };
  } catch (error) {
    if (error instanceof DecodeError)
      return failure(error.resultCode, error.message, error.failedAvp, sessionId);
    throw error;
  }
}

export const isEcr = (m: Message) => m.command === CMD.meIdentityCheck;
