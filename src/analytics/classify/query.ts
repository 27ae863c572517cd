/**
 * A condition as one SQL query over an engine's tables (dirbs-compat.md §3.1): each dimension's own
 * query, `invert` taken against `network_imei`, the dimensions INTERSECTed by joining on imei_norm,
 * the evidence of every dimension kept side by side. The same text runs on DuckDB and PostgreSQL.
 */
import type { AnalyticsConfig, ConditionConfig } from '../config.ts';
import {
  type AnyDimension,
  dimensionByName,
  type EvaluationContext,
  type RegionConfig,
} from '../dimensions/index.ts';
import * as SQL from '../dimensions/sql.ts';
import type { AnalyticsEngine } from '../engines/engine.ts';

export class ConditionError extends Error {
  constructor(
    readonly condition: string,
    message: string,
  ) {
    super(`condition ${condition}: ${message}`);
    this.name = 'ConditionError';
  }
}

/** The dimensions' view of the region (dimensions/model.ts). */
export function regionOf(config: AnalyticsConfig): RegionConfig {
  return {
    operators: config.region.operators.map((o) => ({ id: o.id, mccMnc: o.mccMncPairs })),
    countryCodes: config.region.countryCodes,
    exemptedDeviceTypes: config.region.exemptedDeviceTypes,
  };
}

/**
 * One dimension's `select imei_norm, evidence` on this engine: its SQL, or, when the engine seals
 * MSISDNs and the dimension needs them opened (dimension.ts `opened`), its matches decided in code.
 */
export async function dimensionQuery(
  engine: AnalyticsEngine,
  dimension: AnyDimension,
  params: unknown,
  context: EvaluationContext,
  region: RegionConfig,
): Promise<string> {
  const sealer = engine.imsiSealer ?? null;
  if (!dimension.opened || sealer === null) return dimension.sql(params, context, region);
  const rows = await engine.query(dimension.opened.candidates(params, context, region));
  return SQL.matchesQuery(dimension.opened.decide(rows, params, (stored) => sealer.msisdn.open(stored)));
}

/** `select imei_norm, evidence`: the IMEIs matching every dimension of the condition, on this engine. */
export async function conditionSql(
  engine: AnalyticsEngine,
  condition: ConditionConfig,
  context: EvaluationContext,
  region: RegionConfig,
): Promise<string> {
  if (condition.dimensions.length === 0) throw new ConditionError(condition.label, 'has no dimension');
  const parts: string[] = [];
  for (const [i, spec] of condition.dimensions.entries()) {
    const dimension = dimensionByName(spec.module);
    if (!dimension) throw new ConditionError(condition.label, `unknown dimension ${spec.module}`);
    const params = dimension.parameters.validate(spec.parameters);
    if (!params.ok)
      throw new ConditionError(
        condition.label,
        params.errors.map((e) => `${spec.module}.${e.field}: ${e.message}`).join('; '),
      );
    const inner = await dimensionQuery(engine, dimension, params.value, context, region);
    const body = spec.invert
      ? `select n.imei_norm, ${SQL.text(`not ${dimension.name}: does not meet "${dimension.describe}"`)} as evidence
         from network_imei n where not exists (select 1 from (${inner}) m where m.imei_norm = n.imei_norm)`
      : `select m.imei_norm, ${SQL.text(`${dimension.name}: `)} || coalesce(m.evidence, '') as evidence from (${inner}) m`;
    parts.push(`d${i} as (${body})`);
  }
  const evidence = condition.dimensions.map((_, i) => `d${i}.evidence`).join(` || '; ' || `);
  const joins = condition.dimensions
    .slice(1)
    .map((_, i) => `join d${i + 1} on d${i + 1}.imei_norm = d0.imei_norm`)
    .join(' ');
  return `with ${parts.join(',\n')}\nselect d0.imei_norm, ${evidence} as evidence from d0 ${joins}`;
}

/**
 * DIRBS's analysis end date without `--curr-date`: the latest last_seen in the latest month of
 * operator data (dimensions/model.ts `defaultAnalysisEnd`, here over the engine's monthly_triplet).
 */
export const ANALYSIS_END_SQL = `select cast(max(last_seen) as varchar) as analysis_end from monthly_triplet
  where month = (select max(month) from monthly_triplet)`;

export const NETWORK_IMEI_COUNT_SQL = `select cast(count(*) as varchar) as total from network_imei`;
