/**
 * `gsma_not_found` (dirbs-compat.md §3.2): network IMEIs whose TAC (first 8 characters) is not in
 * the GSMA TAC database, once `first_seen + delay(RBI) < analysis end`. The delay per reporting
 * body (the first 2 characters) allows for TACs that appear in the GSMA data some days after they
 * are allocated; it is counted per IMEI, from its first sighting, so that squatting on an
 * unallocated TAC does not pay off. Applies to malformed IMEIs too (their RBI gets no delay).
 */
import type { Dimension, Matches } from './dimension.ts';
import { addDays } from './model.ts';
import { ParameterReader } from './parameters.ts';
import { date, tacOf, text } from './sql.ts';

/** DIRBS's defaults, from its GSMA allocation-to-appearance lag analysis. */
export const DEFAULT_RBI_DELAYS: Readonly<Record<string, number>> = {
  '00': 32,
  '01': 40,
  '35': 20,
  '86': 19,
  '91': 20,
  '99': 69,
};

export interface GsmaNotFoundParameters {
  /** The delay in days for each RBI; RBIs not listed get 0. */
  readonly delays: Readonly<Record<string, number>>;
}

export const gsmaNotFound: Dimension<GsmaNotFoundParameters> = {
  name: 'gsma_not_found',
  describe: 'seen on the network with a TAC not in the GSMA TAC database, after the RBI allocation delay',
  parameters: {
    fields: [
      {
        name: 'ignore_rbi_delays',
        type: 'boolean',
        required: false,
        default: 'false',
        rule: 'true: no delay for any RBI; not with per_rbi_delays',
      },
      {
        name: 'per_rbi_delays',
        type: 'map',
        required: false,
        default: '00: 32, 01: 40, 35: 20, 86: 19, 91: 20, 99: 69',
        rule: '2-digit RBI → integer days ≥ 0, merged over the defaults',
      },
    ],
    validate(raw) {
      const reader = new ParameterReader(raw, ['ignore_rbi_delays', 'per_rbi_delays']);
      const ignore = reader.boolean('ignore_rbi_delays', false);
      const given = reader.get('per_rbi_delays');
      const perRbi: Record<string, number> = {};
      if (given !== undefined && given !== null) {
        if (ignore) {
          reader.fail(
            'ignore_rbi_delays',
            'exclusive',
            'ignore_rbi_delays cannot be true when per_rbi_delays is set',
          );
        }
        if (typeof given !== 'object' || Array.isArray(given)) {
          reader.fail('per_rbi_delays', 'map', 'per_rbi_delays must map 2-digit RBIs to days');
        } else {
          for (const [rbi, days] of Object.entries(given)) {
            if (!/^[0-9]{2}$/.test(rbi)) {
              reader.fail(
                'per_rbi_delays',
                'rbi',
                `per_rbi_delays key ${JSON.stringify(rbi)} is not a 2-digit RBI`,
              );
            } else if (typeof days !== 'number' || !Number.isSafeInteger(days) || days < 0) {
              reader.fail(
                'per_rbi_delays',
                'delay',
                `per_rbi_delays.${rbi} must be an integer ≥ 0, got ${JSON.stringify(days)}`,
              );
            } else {
              perRbi[rbi] = days;
            }
          }
        }
      }
      return reader.result({ delays: ignore ? {} : { ...DEFAULT_RBI_DELAYS, ...perRbi } });
    },
  },
  evaluate(dataset, { delays }, { analysisEnd }) {
    const matches: Matches = new Map();
    for (const [imei, { firstSeen }] of dataset.networkImeis) {
      const tac = imei.slice(0, 8);
      if (dataset.gsma.has(tac)) continue;
      const rbi = imei.slice(0, 2);
      const delay = delays[rbi] ?? 0;
      const due = addDays(firstSeen, delay);
      if (due >= analysisEnd) continue;
      const grace = delay > 0 ? ` + ${delay}-day delay for RBI ${rbi} = ${due}` : '';
      matches.set(
        imei,
        `TAC ${tac} is not in the GSMA TAC database; first seen ${firstSeen}${grace}, before ${analysisEnd}`,
      );
    }
    return matches;
  },
  sql({ delays }, { analysisEnd }) {
    // first_seen + delay < end, written as first_seen < end − delay: one cut-off date per RBI.
    const delayed = Object.entries(delays).filter(([, days]) => days > 0);
    const rbi = 'substr(n.imei_norm, 1, 2)';
    const perRbi = (value: (days: number) => string, otherwise: string) =>
      delayed.length === 0
        ? otherwise
        : `case ${rbi} ${delayed.map(([r, days]) => `when ${text(r)} then ${value(days)}`).join(' ')} else ${otherwise} end`;
    const cutOff = perRbi((days) => date(addDays(analysisEnd, -days)), date(analysisEnd));
    const delay = perRbi((days) => `' + ${days}-day delay for RBI ' || ${rbi}`, "''");
    return `select n.imei_norm, 'TAC ' || ${tacOf('n.imei_norm')} || ' is not in the GSMA TAC database; first seen ' ||
        cast(n.first_seen as varchar) || ${delay} || ', before ${analysisEnd}' as evidence
      from network_imei n
      where not exists (select 1 from ref_gsma g where g.tac = ${tacOf('n.imei_norm')})
        and n.first_seen < ${cutOff}`;
  },
};
