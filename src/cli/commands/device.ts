/** `openceir device …`: change a device's status, pair it, and show everything about it. */
import type { Command } from 'commander';
import { type ChangeResult, type DeviceReport, STATUS_ACTIONS } from '../../registry/operations.ts';
import { type CommonOptions, collect, print, withConnectionOptions, withRegistry } from './common.ts';

interface ChangeOptions extends CommonOptions {
  reason?: string[];
  source?: string;
  note?: string;
  reference?: string;
  expires?: string;
  idempotencyKey?: string;
}

function changed(result: ChangeResult): string {
  const e = result.entry;
  const reasons = e.reasons.length > 0 ? ` (${e.reasons.join(', ')})` : '';
  const replay = result.replayed ? ' — already done earlier with this idempotency key' : '';
  return `${e.action} ${e.target.kind === 'device' || e.target.kind === 'pair' ? e.target.deviceKey : ''}${reasons} by ${e.source}: ledger entry ${e.seq}${replay}\n`;
}

export function deviceReportText(report: DeviceReport): string {
  const lines = [
    `device ${report.deviceKey} (TAC ${report.tac}${report.model ? `: ${report.model.brand ?? '?'} ${report.model.model ?? ''}`.trimEnd() : ''})`,
    `status  ${report.verdict.status} (by ${report.verdict.matched}${report.verdict.rule ? ` ${report.verdict.rule}` : ''}) at ${report.at}`,
  ];
  for (const r of report.reasons) {
    lines.push(
      `  ${r.status.padEnd(8)} ${r.reason.padEnd(18)} ${r.source.padEnd(24)} since ${r.since}${r.expiresAt ? ` until ${r.expiresAt}` : ''}${r.list ? ` [${r.list}]` : ''}`,
    );
  }
  for (const p of report.pairings)
    lines.push(`  paired with IMSI ${p.imsi}${p.msisdn ? ` / MSISDN ${p.msisdn}` : ''} (${p.source})`);
  for (const r of report.rules) lines.push(`  rule ${r.key}: ${r.status} (${r.reasons.join(', ')})`);
  lines.push(`history (${report.history.length})`);
  for (const e of report.history) {
    lines.push(
      `  #${e.seq} ${e.time} ${e.action} ${e.reasons.join(',')} by ${e.source} (${e.actor})${e.reference ? ` ${e.reference}` : ''}${e.note ? ` — ${e.note}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function deviceCommands(program: Command): void {
  const device = program
    .command('device')
    .description('change a device’s status or pairing, or show its status and history');

  for (const action of STATUS_ACTIONS) {
    const lifting = action.startsWith('un') || action === 'disallow';
    withConnectionOptions(
      device
        .command(action)
        .description(
          lifting
            ? `lift reasons (--reason; none: all of --source's)`
            : `${action} a device (--reason, repeatable)`,
        )
        .argument('<id>', 'IMEI in any form: 14, 15 or 16 digits, imei-…, imeisv-…')
        .option('--reason <code>', 'reason code (see GET /api/v1/reasons); repeatable', collect)
        .option(
          '--source <source>',
          'owner, police, regulator (default), operator:<id>, rule:<name>, peer:<id>',
        )
        .option('--note <text>', 'free-text note kept in the ledger')
        .option('--reference <kind:id>', 'what it belongs to, e.g. case:2026-000123')
        .option('--expires <time>', 'ISO 8601 time when the status lapses by itself')
        .option('--idempotency-key <key>', 'a retry with the same key returns the first result'),
    ).action((id: string, options: ChangeOptions) =>
      withRegistry(options, async (api) => {
        const result = await api.changeStatus(id, action, {
          reasons: options.reason,
          source: options.source,
          note: options.note,
          reference: options.reference,
          expiresAt: options.expires,
          idempotencyKey: options.idempotencyKey,
        });
        print(options, result, () => changed(result));
      }),
    );
  }

  for (const action of ['pair', 'unpair'] as const) {
    withConnectionOptions(
      device
        .command(action)
        .description(
          action === 'pair'
            ? 'pair a device with a subscriber: exempts it from blocks, except barring'
            : 'remove a pairing',
        )
        .argument('<id>', 'IMEI in any form')
        .requiredOption('--imsi <imsi>', 'the subscriber’s IMSI')
        .option('--msisdn <msisdn>', 'the subscriber’s number (E.164)')
        .option('--source <source>', 'who pairs (default regulator)')
        .option('--note <text>', 'free-text note')
        .option('--reference <kind:id>', 'what it belongs to'),
    ).action(
      (
        id: string,
        options: CommonOptions & {
          imsi: string;
          msisdn?: string;
          source?: string;
          note?: string;
          reference?: string;
        },
      ) =>
        withRegistry(options, async (api) => {
          const result = await api.pair(id, action, options);
          print(options, result, () => changed(result));
        }),
    );
  }

  withConnectionOptions(
    device
      .command('status')
      .description('status, active reasons, pairings, matching rules and full history of a device')
      .argument('<id>', 'IMEI in any form')
      .option('--at <time>', 'the status at this past time (ISO 8601)')
      .option('--imsi <imsi>', 'the answer for this SIM (pairing exceptions, IMSI rules)'),
  ).action((id: string, options: CommonOptions & { at?: string; imsi?: string }) =>
    withRegistry(options, async (api) => {
      const report = await api.device(id, { at: options.at, imsi: options.imsi });
      print(options, report, () => deviceReportText(report));
    }),
  );
}
