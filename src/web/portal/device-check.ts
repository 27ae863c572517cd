/**
 * A check by a person on the portal: the identifier read as a person types it (a wrong check digit
 * is an error here, TS 23.003 Annex B, unlike on the network), answered from the same check index the
 * networks are answered from, and NEVER recorded as a sighting: a buyer looking at a phone is not a
 * network use of it. The answer holds the status, reason codes and model only: no personal data.
 */
import { type CheckResult, check } from '../../check/check.ts';
import type { CheckIndex } from '../../check/index.ts';
import type { PortalKey } from '../../i18n/portal/index.ts';
import { checkDigitOf, compactDigits, type DeviceKey, parseEquipment } from '../../identifiers/index.ts';
import type { TreeHead } from '../../ledger/signing.ts';
import { findTac } from '../../tacdb/tacdb.ts';
import type { AppContext } from '../context.ts';

export interface InputProblem {
  readonly key: PortalKey;
  readonly params?: Readonly<Record<string, string | number>>;
}

export interface DeviceAnswer {
  /** The identifier as checked, digits only. */
  readonly identifier: string;
  readonly deviceKey: string;
  readonly status: CheckResult['status'];
  readonly reasons: readonly string[];
  readonly model: { readonly brand: string | null; readonly model: string | null } | null;
  readonly checkedAt: Date;
}

/** Reads an identifier typed by a person: its digits, or the rule it breaks, for the error message. */
export function readIdentifier(
  input: string,
): { ok: true; identifier: string } | { ok: false; problem: InputProblem } {
  const parsed = parseEquipment(input, { source: 'person' });
  if (parsed.ok) {
    const v = parsed.value;
    const identifier = v.kind === 'imeisv' ? v.deviceKey + v.svn : v.deviceKey + (v.checkDigit ?? '');
    return { ok: true, identifier };
  }
  const code = parsed.error.code;
  const digits = compactDigits(input.trim().replace(/^imei(sv)?-/i, ''));
  if (code.endsWith('_EMPTY')) return { ok: false, problem: { key: 'error.empty' } };
  if (code.endsWith('_CHARACTERS') || digits === null)
    return { ok: false, problem: { key: 'error.characters' } };
  if (code === 'IMEI_CHECK_DIGIT')
    return {
      ok: false,
      problem: {
        key: 'error.checkDigit',
        params: { expected: checkDigitOf(digits.slice(0, 14) as DeviceKey), given: digits.charAt(14) },
      },
    };
  if (code.endsWith('_LENGTH'))
    return { ok: false, problem: { key: 'error.length', params: { count: digits.length } } };
  return { ok: false, problem: { key: 'error.invalid' } };
}

/** The answer for one identifier from `index`, with the model from the TAC database. */
export async function answerFor(
  context: AppContext,
  index: CheckIndex,
  identifier: string,
): Promise<DeviceAnswer> {
  const result = check(index, context.checks.policy, { equipment: identifier });
  const deviceKey = result.deviceKey ?? identifier.slice(0, 14);
  const tac = await findTac(context.store.db, deviceKey.slice(0, 8));
  return {
    identifier,
    deviceKey,
    status: result.status,
    reasons: [...new Set(result.reasons.map((r) => r.code))],
    model: tac && (tac.brand || tac.model) ? { brand: tac.brand, model: tac.model } : null,
    checkedAt: new Date(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The check index together with the signed head of exactly the entries it holds, so that a
 * certificate names the ledger position its answer reflects. The index follows the ledger within
 * milliseconds; null when it did not meet a head within about two seconds (the caller answers 503).
 */
export async function indexAtHead(
  context: AppContext,
  tries = 80,
): Promise<{ index: CheckIndex; head: TreeHead } | null> {
  for (let i = 0; i < tries; i++) {
    const head = await context.ledger.head();
    const index = context.checks.index;
    if (index.position === head.size) return { index, head };
    await sleep(25);
  }
  return null;
}
