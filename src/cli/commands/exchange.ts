/**
 * `openceir exchange …`, `openceir peer …`, `openceir audit …`: the groups are made in main.ts; each
 * exchange part (operator files, operator sync and audit, peers, pseudonymised matching) adds its own
 * subcommands here, from its own file, so that the parts compose without editing one another.
 */
import type { Command } from 'commander';
import { auditCommands } from './audit.ts';
import { exchangeFilesCommands } from './exchange-files.ts';
import { exchangeMatchingCommands } from './exchange-matching.ts';
import { exchangeOperatorCommands } from './exchange-operators.ts';
import { peerCommands } from './peer.ts';

export interface ExchangeGroups {
  /** `openceir exchange`: list files, operator sync, matching. */
  readonly exchange: Command;
  /** `openceir peer`: peer registries. */
  readonly peer: Command;
  /** `openceir audit`: compliance audits. */
  readonly audit: Command;
}

export function exchangeGroups(groups: ExchangeGroups): void {
  exchangeFilesCommands(groups.exchange);
  exchangeMatchingCommands(groups.exchange);
  peerCommands(groups.peer);
  exchangeOperatorCommands(groups.exchange);
  auditCommands(groups.audit);
  void groups;
}
