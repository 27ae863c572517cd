/**
 * `inconsistent_rat` (dirbs-compat.md §1.3, §3.2): network IMEIs seen on a radio generation their
 * *model* cannot use. The model's capability is the OR of the GSMA RAT bits of every TAC with the
 * same (manufacturer, model_name); TACs without either are skipped, as are IMEIs whose TAC is not
 * in the GSMA data, whose seen-RAT mask is null, or whose model capability is null.
 *
 * The bits are DIRBS's: a RAT code sets `1 << operator_rank` in the seen mask; GSMA bands set
 * bits 3 (non-cellular), 6 (2G), 9 (3G), 12 (4G). They are defined here until the shared RAT
 * module (src/analytics/rat.ts) exists; then these constants should come from there.
 */
import type { Dimension, Matches } from './dimension.ts';
import { type NoParameters, noParameters } from './no-parameters.ts';

/** Operator-rank bits per generation, and the GSMA capability bit that allows them. */
export const RAT_GENERATIONS = [
  { generation: '2G', seenBits: (1 << 4) | (1 << 5), gsmaBit: 1 << 6 },
  { generation: '3G', seenBits: (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9), gsmaBit: 1 << 9 },
  { generation: '4G', seenBits: (1 << 10) | (1 << 11) | (1 << 12), gsmaBit: 1 << 12 },
] as const;

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
};
