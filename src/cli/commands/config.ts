/** `openceir config`: every setting with its environment variable, default and meaning; `--check` validates. */
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { SETTINGS } from '../../config/settings.ts';

export function configCommand(program: Command): void {
  program
    .command('config')
    .description(
      'list every setting (YAML key, environment variable, default); --check validates the current configuration',
    )
    .option('-c, --config <file>', 'YAML configuration file to check')
    .option('--check', 'load and validate the configuration, print the effective values (secrets hidden)')
    .action((options: { config?: string; check?: boolean }) => {
      if (options.check) {
        const config = loadConfig({ file: options.config });
        const shown = {
          ...config,
          databaseUrl: config.databaseUrl && '(set)',
          adminApiKey: config.adminApiKey && '(set)',
        };
        process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      for (const setting of SETTINGS) {
        process.stdout.write(
          `${setting.key.padEnd(14)} ${setting.env.padEnd(24)} default ${JSON.stringify(setting.default)}\n` +
            `${''.padEnd(14)} ${setting.description}\n`,
        );
      }
    });
}
