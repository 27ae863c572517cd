/**
 * `openceir audit operators [--sample N] [--max-lag-minutes M] [--json]`: the compliance audit of
 * operator EIRs (ITU-T Q.5053; docs/audit.md). Exit status 0 when no violation is found, 1 when
 * violations are found, 2 when the input is refused.
 */
import type { Command } from 'commander';
import { auditText } from '../../exchange/operators/audit.ts';
import { type CommonOptions, print, withConnectionOptions } from './common.ts';
import { withOperatorSync } from './exchange-operators.ts';

/** A whole number from 0 to max, or null (the caller refuses it, naming the option). */
function count(value: string, max: number): number | null {
  return /^\d{1,9}$/.test(value) && Number(value) <= max ? Number(value) : null;
}

export function auditCommands(audit: Command): void {
  withConnectionOptions(
    audit
      .command('operators')
      .description(
        'audit operator EIRs (Q.5053): list freshness, sampled checks through each EIR, blocked devices seen in network data; exit 1 on violations',
      )
      .option(
        '--sample <n>',
        'devices per list (blocked, tracked, other) checked through each EIR, 0 to 1000',
        '20',
      )
      .option(
        '--max-lag-minutes <m>',
        'an unacknowledged change older than this is a freshness violation',
        '60',
      ),
  ).action((options: CommonOptions & { sample: string; maxLagMinutes: string }) =>
    withOperatorSync(
      options,
      async (api) => {
        const sample = count(options.sample, 1000);
        const maxLagMinutes = count(options.maxLagMinutes, 525_600);
        if (sample === null || maxLagMinutes === null) {
          process.stderr.write(
            `openceir: refused:\n  ${sample === null ? '--sample: a whole number from 0 to 1000' : '--max-lag-minutes: a whole number from 0 to 525600'}\n`,
          );
          process.exitCode = 2;
          return;
        }
        const report = await api.audit({ sample, maxLagMinutes });
        print(options, report, () => auditText(report));
        if (report.violations > 0) process.exitCode = 1;
      },
      2,
    ),
  );
}
