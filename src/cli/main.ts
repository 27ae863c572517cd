/** The `openceir` command. Each command lives in `commands/`; this file only assembles them. */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.ts';
import { VERSION } from '../version.ts';
import { accountCommands } from './commands/accounts.ts';
import { analyticsCommands } from './commands/analytics.ts';
import { configCommand } from './commands/config.ts';
import { deviceCommands } from './commands/device.ts';
import { exchangeGroups } from './commands/exchange.ts';
import { identifyCommands } from './commands/identify.ts';
import { privacyCommands } from './commands/privacy.ts';
import { registryCommands } from './commands/registry.ts';
import { reportCommands } from './commands/report.ts';
import { startCommand } from './commands/start.ts';

export function buildProgram(): Command {
  const program = new Command('openceir')
    .description('OpenCEIR: open-source Central Equipment Identity Register')
    .version(VERSION)
    .showHelpAfterError();
  startCommand(program);
  identifyCommands(program);
  deviceCommands(program);
  registryCommands(program);
  accountCommands(program);
  analyticsCommands(program);
  // List distribution and cross-border exchange: each part adds its subcommands to these groups.
  const exchange = program
    .command('exchange')
    .description('list distribution to operator EIRs and exchange with peer registries');
  const peer = program.command('peer').description('peer registries: agreements, trust policies, following');
  const audit = program.command('audit').description('compliance audits (ITU-T Q.5053)');
  exchangeGroups({ exchange, peer, audit });
  reportCommands(program);
  privacyCommands(program);
  configCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) throw error;
    // Errors a user can meet are printed as one clear message, never a stack trace.
    const message = error instanceof ConfigError ? error.message : `openceir: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exitCode = 2;
  }
}
