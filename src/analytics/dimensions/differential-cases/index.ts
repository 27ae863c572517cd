/** Parameter sets per dimension for the differential test, one file per group of dimensions. */
import { duplicatesCases } from './duplicates.ts';
import { listsCases } from './lists.ts';
import { roamingCases } from './roaming.ts';

export const DIFFERENTIAL_CASES: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  ...listsCases,
  ...duplicatesCases,
  ...roamingCases,
};
