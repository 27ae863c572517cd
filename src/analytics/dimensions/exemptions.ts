/**
 * Exempted device types (`region.exempted_device_types`) for `not_on_registration_list` and
 * `not_on_association_list`. DIRBS joins the result to `gsma_data` with an inner join and
 * `device_type NOT IN (…)`, so IMEIs whose TAC is unknown to GSMA, or whose GSMA device type is
 * blank, drop out too whenever any exemption is configured (dirbs-compat.md §3.2 [obs], confirmed
 * in DIRBS-Core `utils.filter_imei_list_sql_by_device_type`). `keep-unknown` drops only IMEIs whose
 * GSMA device type is exempted.
 */
import type { EvaluationContext, Matches } from './dimension.ts';
import type { Dataset } from './model.ts';

export function withoutExemptedDeviceTypes(
  dataset: Dataset,
  matches: Matches,
  context: Pick<EvaluationContext, 'exemptionJoin'>,
): Matches {
  const exempted = dataset.config.exemptedDeviceTypes;
  if (exempted.length === 0) return matches;
  const kept: Matches = new Map();
  for (const [imei, evidence] of matches) {
    const deviceType = dataset.gsma.get(imei.slice(0, 8))?.deviceType ?? null;
    if (deviceType !== null && exempted.includes(deviceType)) continue;
    if (deviceType === null && context.exemptionJoin === 'dirbs') continue;
    kept.set(
      imei,
      deviceType === null
        ? `${evidence}; device type unknown to GSMA`
        : `${evidence}; device type ${deviceType}`,
    );
  }
  return kept;
}
