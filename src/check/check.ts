/**
 * One equipment check, as the protocols ask it: an equipment identity in any form (PEI `imei-…`,
 * `imeisv-…`, `mac-…`, `eui-…`, or 14/15/16 digits), optionally the subscriber (IMSI or SUPI) and
 * number (MSISDN or GPSI). Network input: a wrong 15th digit is never a reason to fail (TS 23.003
 * §6.2.1), and every form of one device gives one answer.
 */
import { parseEquipment, parsePei } from '../identifiers/index.ts';
import { decide, type Verdict } from './decide.ts';
import type { CheckIndex } from './index.ts';
import type { Policy } from './policy.ts';

export interface Identity {
  readonly equipment: string;
  /** IMSI digits, or a SUPI `imsi-…` (other SUPI forms carry no IMSI). */
  readonly imsi?: string | null;
  /** MSISDN digits, or a GPSI `msisdn-…`. */
  readonly msisdn?: string | null;
}

export interface CheckResult extends Verdict {
  /** The 14-digit key the equipment identity reduced to; null when it is not an IMEI. */
  readonly deviceKey: string | null;
  readonly svn: string | null;
  readonly imsi: string | null;
  readonly msisdn: string | null;
}

const FAST_FORM = /^(imei-|imeisv-)?([0-9]{14,16})$/i;
const IMSI = /^(?:imsi-)?([0-9]{5,15})$/;
const MSISDN = /^(?:msisdn-)?\+?([0-9]{5,15})$/;

/** Reads the equipment identity: its key and SVN, or not an IMEI (MAC/EUI PEI), or unreadable. */
export function readEquipment(text: string): {
  deviceKey: string | null;
  svn: string | null;
  malformed: boolean;
} {
  const value = text.trim();
  // The forms networks send, read without a full parse (the answer is the same as below's).
  const plain = FAST_FORM.exec(value);
  if (plain) {
    const prefix = plain[1]?.toLowerCase();
    const digits = plain[2]!;
    const n = digits.length;
    if (prefix === undefined || (prefix === 'imei-' && n === 15) || (prefix === 'imeisv-' && n === 16))
      return { deviceKey: digits.slice(0, 14), svn: n === 16 ? digits.slice(14) : null, malformed: false };
  }
  if (/^(imei|imeisv|mac|eui)-/i.test(value)) {
    const pei = parsePei(value, { source: 'network' });
    if (!pei.ok) return { deviceKey: null, svn: null, malformed: true };
    if (pei.value.form === 'imei')
      return { deviceKey: pei.value.imei.deviceKey, svn: null, malformed: false };
    if (pei.value.form === 'imeisv')
      return { deviceKey: pei.value.imeisv.deviceKey, svn: pei.value.imeisv.svn, malformed: false };
    return { deviceKey: null, svn: null, malformed: false };
  }
  const parsed = parseEquipment(value, { source: 'network' });
  if (!parsed.ok) return { deviceKey: null, svn: null, malformed: true };
  return {
    deviceKey: parsed.value.deviceKey,
    svn: parsed.value.kind === 'imeisv' ? parsed.value.svn : null,
    malformed: false,
  };
}

export function check(index: CheckIndex, policy: Policy, identity: Identity, now = Date.now()): CheckResult {
  const equipment = readEquipment(identity.equipment);
  const imsi = identity.imsi ? (IMSI.exec(identity.imsi.trim())?.[1] ?? null) : null;
  const msisdn = identity.msisdn ? (MSISDN.exec(identity.msisdn.trim())?.[1] ?? null) : null;
  const verdict = decide(index.facts(equipment.deviceKey, imsi, now, equipment.malformed), policy);
  return {
    status: verdict.status,
    matched: verdict.matched,
    reasons: verdict.reasons,
    rule: verdict.rule,
    deviceKey: equipment.deviceKey,
    svn: equipment.svn,
    imsi,
    msisdn,
  };
}
