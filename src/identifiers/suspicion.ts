/**
 * Suspicion flags: facts about an identifier's digits that make it unlikely to belong to one
 * genuine device. They are evidence for detection rules, never a verdict on their own.
 * Patterns: identifiers.md §11 (fake, test and abused IMEIs), DIRBS `is_test_tac`.
 */
import type { CheckDigitState, DeviceKey } from './imei.ts';
import { reportingBodyOf, snrOf } from './imei.ts';

export type SuspicionFlag =
  /** A 15th digit that is neither the Luhn digit nor a spare 0. */
  | 'bad-check-digit'
  /** The whole key is zeros (India's 2009 order: "no IMEI"). Passes Luhn. */
  | 'all-zeros'
  /** The key or its serial number is one digit repeated (e.g. 111111). */
  | 'repeated-digits'
  /** The key or its serial number is a run like 123456 or 987654. */
  | 'sequential-digits'
  /** RBI 00 or 02–09: ranges GSMA reserves for test IMEIs. */
  | 'test-rbi'
  /** A TAC that DIRBS-Core's `is_test_tac` dimension treats as a test TAC. */
  | 'test-tac'
  | 'retired-rbi'
  | 'reserved-rbi'
  | 'unassigned-rbi'
  /** A value from a specification example or a simulator's default configuration. */
  | 'documentation-example';

export const SUSPICION_FLAGS: readonly SuspicionFlag[] = [
  'bad-check-digit',
  'all-zeros',
  'repeated-digits',
  'sequential-digits',
  'test-rbi',
  'test-tac',
  'retired-rbi',
  'reserved-rbi',
  'unassigned-rbi',
  'documentation-example',
];

/** DIRBS-Core `src/dirbs/dimensions/is_test_tac.py`, applied to a key that starts with 8 digits. */
const DIRBS_TEST_TAC = /^00(?:10(?:0[1-9]|1[0-7])|44|86|91)/;

/**
 * Device keys of values published as examples: UERANSIM's default IMEISV 4370816125816151 and the
 * TS 29.571 `Pei` description examples imei-012345678901234 / imeisv-0123456789012345.
 */
const DOCUMENTATION_KEYS: ReadonlySet<string> = new Set(['43708161258161', '01234567890123']);

function isRepeated(digits: string): boolean {
  return /^(\d)\1*$/.test(digits);
}

function isSequential(digits: string): boolean {
  const step = (Number(digits.charAt(1)) - Number(digits.charAt(0)) + 10) % 10;
  if (step !== 1 && step !== 9) return false;
  for (let i = 1; i < digits.length; i++) {
    if ((Number(digits.charAt(i)) - Number(digits.charAt(i - 1)) + 10) % 10 !== step) return false;
  }
  return true;
}

/** The suspicion flags of a device key, given what is known of its check digit. */
export function suspicionFlags(key: DeviceKey, checkDigitState: CheckDigitState = 'absent'): SuspicionFlag[] {
  const flags: SuspicionFlag[] = [];
  if (checkDigitState === 'mismatch') flags.push('bad-check-digit');
  const snr = snrOf(key);
  if (/^0+$/.test(key)) flags.push('all-zeros');
  else if (isRepeated(key) || isRepeated(snr)) flags.push('repeated-digits');
  if (isSequential(key) || isSequential(snr)) flags.push('sequential-digits');
  const status = reportingBodyOf(key).status;
  if (status === 'test') flags.push('test-rbi');
  if (DIRBS_TEST_TAC.test(key)) flags.push('test-tac');
  if (status === 'retired') flags.push('retired-rbi');
  if (status === 'reserved') flags.push('reserved-rbi');
  if (status === 'unassigned') flags.push('unassigned-rbi');
  if (DOCUMENTATION_KEYS.has(key)) flags.push('documentation-example');
  return flags;
}
