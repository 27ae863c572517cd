/**
 * `exists_in_monitoring_list` (dirbs-compat.md §2.9, §3.2): network IMEIs on the current monitoring
 * list. With `monitored_days` > 0, only those on the list for at least that many whole days,
 * counted as DIRBS does to the wall clock (`EXTRACT(DAY FROM now() − start_date)`), not to the
 * analysis end date; the `monitoringClock: 'analysis-end'` switch counts to 00:00 UTC of the end date.
 */
import type { Dimension, Matches } from './dimension.ts';
import { ParameterReader } from './parameters.ts';
import { timestamp } from './sql.ts';

export interface MonitoringParameters {
  readonly monitoredDays: number;
}

const DAY_MS = 86_400_000;

/** An ISO date (00:00 UTC) or instant as epoch milliseconds, or NaN. */
function instant(text: string): number {
  return /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
}

export const existsInMonitoringList: Dimension<MonitoringParameters> = {
  name: 'exists_in_monitoring_list',
  describe: 'seen on the network and on the monitoring list (for at least monitored_days)',
  parameters: {
    fields: [
      {
        name: 'monitored_days',
        type: 'integer',
        required: false,
        default: '0',
        rule: 'integer ≥ 0; 0 means any time on the list',
      },
    ],
    validate(raw) {
      const reader = new ParameterReader(raw, ['monitored_days']);
      const monitoredDays = reader.integer('monitored_days', { min: 0 }) ?? 0;
      return reader.result({ monitoredDays });
    },
  },
  evaluate(dataset, { monitoredDays }, context) {
    const matches: Matches = new Map();
    const clock =
      context.monitoringClock === 'wall-clock'
        ? { at: context.now.getTime(), name: 'by the wall clock' }
        : { at: instant(context.analysisEnd), name: `to ${context.analysisEnd}` };
    for (const [imei, { startDate }] of dataset.monitoring) {
      if (!dataset.networkImeis.has(imei)) continue;
      if (monitoredDays === 0) {
        matches.set(imei, `on the monitoring list since ${startDate}`);
        continue;
      }
      // EXTRACT(DAY FROM interval) is the whole-days part, truncated towards zero.
      const days = Math.trunc((clock.at - instant(startDate)) / DAY_MS);
      if (!(days >= monitoredDays)) continue;
      matches.set(
        imei,
        `on the monitoring list since ${startDate}: ${days} days ${clock.name} (at least ${monitoredDays} required)`,
      );
    }
    return matches;
  },
  sql({ monitoredDays }, context) {
    const since = 'cast(m.start_date as varchar)';
    const from = 'from ref_monitoring m join network_imei n on n.imei_norm = m.imei_norm';
    if (monitoredDays === 0) {
      return `select m.imei_norm, 'on the monitoring list since ' || ${since} as evidence ${from}`;
    }
    const clock =
      context.monitoringClock === 'wall-clock'
        ? { at: context.now, name: 'by the wall clock' }
        : { at: new Date(instant(context.analysisEnd)), name: `to ${context.analysisEnd}` };
    // Whole days (truncated) ≥ N, for N ≥ 1, is exactly: on the list since N days before the clock.
    const latest = new Date(clock.at.getTime() - monitoredDays * DAY_MS);
    const days = `cast(floor((extract(epoch from ${timestamp(clock.at)}) - extract(epoch from m.start_date)) / 86400) as bigint)`;
    return `select m.imei_norm, 'on the monitoring list since ' || ${since} || ': ' || cast(${days} as varchar) ||
        ' days ${clock.name} (at least ${monitoredDays} required)' as evidence
      ${from} where m.start_date <= ${timestamp(latest)}`;
  },
};
