/**
 * Every classification dimension by its DIRBS module name (dirbs-compat.md §3.2), plus OpenCEIR's
 * `impossible_travel` and `bad_check_digit`. The reference semantics that the SQL engines are
 * tested against: see docs/analytics-dimensions.md.
 */
import { badCheckDigit } from './bad_check_digit.ts';
import { dailyAvgUid } from './daily_avg_uid.ts';
import type { AnyDimension } from './dimension.ts';
import { duplicateDailyAvg } from './duplicate_daily_avg.ts';
import { duplicateThreshold } from './duplicate_threshold.ts';
import { existsInBarredList } from './exists_in_barred_list.ts';
import { existsInMonitoringList } from './exists_in_monitoring_list.ts';
import { gsmaNotFound } from './gsma_not_found.ts';
import { impossibleTravel } from './impossible_travel.ts';
import { inconsistentRat } from './inconsistent_rat.ts';
import { isBarredTac } from './is_barred_tac.ts';
import { isTestTac } from './is_test_tac.ts';
import { malformedImei } from './malformed_imei.ts';
import { notOnAssociationList } from './not_on_association_list.ts';
import { notOnRegistrationList } from './not_on_registration_list.ts';
import { stolenList } from './stolen_list.ts';
import { transientImei } from './transient_imei.ts';
import { usedByDirbsSubscriber } from './used_by_dirbs_subscriber.ts';
import { usedByInternationalRoamer } from './used_by_international_roamer.ts';
import { usedByLocalNonDirbsRoamer } from './used_by_local_non_dirbs_roamer.ts';

export const DIMENSIONS: ReadonlyMap<string, AnyDimension> = new Map(
  [
    gsmaNotFound,
    stolenList,
    existsInBarredList,
    isBarredTac,
    existsInMonitoringList,
    malformedImei,
    isTestTac,
    notOnRegistrationList,
    notOnAssociationList,
    inconsistentRat,
    duplicateThreshold,
    duplicateDailyAvg,
    dailyAvgUid,
    transientImei,
    usedByDirbsSubscriber,
    usedByInternationalRoamer,
    usedByLocalNonDirbsRoamer,
    impossibleTravel,
    badCheckDigit,
  ].map((dimension): [string, AnyDimension] => [dimension.name, dimension]),
);

/** The dimension with this DIRBS module name, or undefined. */
export function dimensionByName(module: string): AnyDimension | undefined {
  return DIMENSIONS.get(module);
}

export * from './dimension.ts';
export * from './model.ts';
export type { ParameterError, ParameterField, Period, Validated } from './parameters.ts';
export {
  badCheckDigit,
  dailyAvgUid,
  duplicateDailyAvg,
  duplicateThreshold,
  existsInBarredList,
  existsInMonitoringList,
  gsmaNotFound,
  impossibleTravel,
  inconsistentRat,
  isBarredTac,
  isTestTac,
  malformedImei,
  notOnAssociationList,
  notOnRegistrationList,
  stolenList,
  transientImei,
  usedByDirbsSubscriber,
  usedByInternationalRoamer,
  usedByLocalNonDirbsRoamer,
};
