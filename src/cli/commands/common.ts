/** What every registry command shares: how to reach the registry, and how to print an answer. */
import type { Command } from 'commander';
import { RegistryInputError } from '../../registry/operations.ts';
import { type ConnectOptions, connect } from '../connect.ts';
import { type RegistryApi, RemoteError } from '../remote.ts';

export interface CommonOptions extends ConnectOptions {
  readonly json?: boolean;
}

export function withConnectionOptions(command: Command): Command {
  return command
    .option(
      '--server <url>',
      'talk to this OpenCEIR server (default: open the database, or the local server when it holds it)',
    )
    .option(
      '--api-key <key>',
      'admin API key for --server (default: $OPENCEIR_ADMIN_API_KEY, then <data_dir>/admin-api-key)',
    )
    .option('-c, --config <file>', 'YAML configuration file')
    .option('--json', 'print JSON');
}

/** Runs `work` against the registry; a refused input prints its fields and exits 1. */
export async function withRegistry(
  options: CommonOptions,
  work: (api: RegistryApi) => Promise<void>,
): Promise<void> {
  const connection = await connect(options);
  try {
    await work(connection.api);
  } catch (error) {
    if (error instanceof RegistryInputError || (error instanceof RemoteError && error.status < 500)) {
      const problems =
        error instanceof RegistryInputError
          ? error.problems
          : (error.body.invalidParams ?? [
              { param: error.body.cause ?? 'request', reason: error.body.detail ?? error.message },
            ]);
      process.stderr.write(
        `openceir: refused:\n${problems.map((p) => `  ${p.param}: ${p.reason}`).join('\n')}\n`,
      );
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await connection.close();
  }
}

export function print(options: CommonOptions, value: unknown, text: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : text());
}

/** Collects a repeatable option into a list (`--reason a --reason b`). */
export const collect = (value: string, previous: string[] = []) => [...previous, value];
