/**
 * `inconsistent_rat` (dirbs-compat.md §1.3, §3.2): network IMEIs seen on a radio generation their
 * *model* cannot use. The model's capability is the OR of the GSMA RAT bits of every TAC with the
 * same (manufacturer, model_name); TACs without either are skipped, as are IMEIs whose TAC is not
 * in the GSMA data, whose seen-RAT mask is null, or whose model capability is null.
 *
 * The bits are DIRBS's (src/analytics/rat.ts): a RAT code sets `1 << operator_rank` in the seen
 * mask; GSMA bands set bits 3 (non-cellular), 6 (2G), 9 (3G), 12 (4G).
 */
import { GSMA_RAT_BIT, RAT_CODES } from '../rat.ts';
import type { Dimension, Matches } from './dimension.ts';
import { type NoParameters, noParameters } from './no-parameters.ts';
import { tacOf } from './sql.ts';

const seenBitsOf = (generation: '2G' | '3G' | '4G') =>
  RAT_CODES.filter((r) => r.generation === generation).reduce((mask, r) => mask | (1 << r.operatorRank), 0);

/** Operator-rank bits per generation, and the GSMA capability bit that allows them. */
export const RAT_GENERATIONS = (['2G', '3G', '4G'] as const).map((generation) => ({
  generation,
  seenBits: seenBitsOf(generation),
  gsmaBit: GSMA_RAT_BIT[generation],
}));

function capabilities(mask: number): string {
  const names = RAT_GENERATIONS.filter((g) => (mask & g.gsmaBit) !== 0).map((g) => g.generation);
  return names.length > 0 ? names.join('/') : 'no cellular generation';
}

export const inconsistentRat: Dimension<NoParameters> = {
  name: 'inconsistent_rat',
  describe: 'seen on a radio generation (2G, 3G, 4G) that its GSMA model cannot use',
  parameters: noParameters,
  evaluate(dataset) {
    const modelMasks = new Map<string, number | null>();
    for (const tac of dataset.gsma.values()) {
      if (tac.manufacturer === null || tac.modelName === null) continue;
      const key = JSON.stringify([tac.manufacturer, tac.modelName]);
      const known = modelMasks.get(key) ?? null;
      // bit_or ignores nulls; a model whose TACs all lack a RAT mask has a null capability.
      modelMasks.set(key, tac.ratMask === null ? known : (known ?? 0) | tac.ratMask);
    }
    const matches: Matches = new Map();
    for (const [imei, { seenRatMask }] of dataset.networkImeis) {
      if (seenRatMask === null) continue;
      const tac = dataset.gsma.get(imei.slice(0, 8));
      if (!tac || tac.manufacturer === null || tac.modelName === null) continue;
      const model = modelMasks.get(JSON.stringify([tac.manufacturer, tac.modelName])) ?? null;
      if (model === null) continue;
      const wrong = RAT_GENERATIONS.filter(
        (g) => (seenRatMask & g.seenBits) !== 0 && (model & g.gsmaBit) === 0,
      );
      if (wrong.length === 0) continue;
      matches.set(
        imei,
        `seen on ${wrong.map((g) => g.generation).join(' and ')}, but model ${tac.modelName} by ${tac.manufacturer} ` +
          `supports ${capabilities(model)} only`,
      );
    }
    return matches;
  },
  sql() {
    type Generation = (typeof RAT_GENERATIONS)[number];
    const wrong = (g: Generation) =>
      `((n.seen_rat_bitmask & ${g.seenBits}) <> 0 and (m.mask & ${g.gsmaBit}) = 0)`;
    const supports = (g: Generation) => `(m.mask & ${g.gsmaBit}) <> 0`;
    const named = (test: (g: Generation) => string) =>
      RAT_GENERATIONS.map((g) => `case when ${test(g)} then ' ${g.generation}' else '' end`).join(' || ');
    // network_imei keeps 0 where no RAT was reported (the reference's null): no bit, no match.
    return `select n.imei_norm, 'seen on' || ${named(wrong)} || ', but model ' || g.model_name || ' by ' ||
        g.manufacturer || ' supports only' || ${named(supports)} ||
        ' (GSMA RAT bits ' || cast(m.mask as varchar) || ')' as evidence
      from network_imei n
      join ref_gsma g on g.tac = ${tacOf('n.imei_norm')} and g.manufacturer is not null and g.model_name is not null
      join (select manufacturer, model_name, bit_or(rat_mask) as mask from ref_gsma
            where manufacturer is not null and model_name is not null group by manufacturer, model_name) m
        on m.manufacturer = g.manufacturer and m.model_name = g.model_name
      where m.mask is not null and (${RAT_GENERATIONS.map(wrong).join(' or ')})`;
  },
};
