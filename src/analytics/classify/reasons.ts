/**
 * The ledger reason of a blocking condition. A condition's `reason` is free text for people (DIRBS
 * writes it to the lists); the ledger needs one of its reason codes (ledger/reasons.ts), so:
 *
 * 1. a condition whose `reason` is itself a code that can justify a block (`reason: stolen`) uses it;
 * 2. otherwise the first dimension that is not inverted and has a mapping below decides, so
 *    "stolen AND NOT duplicate" is `stolen` and "duplicate AND used_by_dirbs_subscriber" is `duplicate`;
 * 3. otherwise `counterfeit` (a device the network data says should not be there).
 */

import { reasonInfo } from '../../ledger/reasons.ts';
import type { ConditionConfig } from '../config.ts';

/** Dimension module → ledger reason code (docs/analytics.md, "Classification"). */
export const DIMENSION_REASONS: Readonly<Record<string, string>> = {
  duplicate_threshold: 'duplicate',
  duplicate_daily_avg: 'duplicate',
  daily_avg_uid: 'duplicate',
  transient_imei: 'duplicate',
  malformed_imei: 'invalid-identifier',
  gsma_not_found: 'invalid-identifier',
  bad_check_digit: 'invalid-identifier',
  is_test_tac: 'invalid-identifier',
  exists_in_barred_list: 'barred',
  is_barred_tac: 'barred',
  stolen_list: 'stolen',
  not_on_registration_list: 'unregistered',
  not_on_association_list: 'unregistered',
  impossible_travel: 'tampered',
  inconsistent_rat: 'tampered',
};

export const FALLBACK_REASON = 'counterfeit';

export function ledgerReasonOf(condition: Pick<ConditionConfig, 'reason' | 'dimensions'>): string {
  const own = condition.reason.trim().toLowerCase();
  if (reasonInfo(own)?.statuses.includes('blocked')) return own;
  for (const dimension of condition.dimensions) {
    const code = dimension.invert ? undefined : DIMENSION_REASONS[dimension.module];
    if (code) return code;
  }
  return FALLBACK_REASON;
}
