/** `openceir start`: runs the whole system until SIGTERM or SIGINT, then shuts down cleanly. */
import type { Command } from 'commander';
import { pino } from 'pino';
import { type Config, loadConfig } from '../../config/load.ts';
import { type RunningSystem, startSystem } from '../../server.ts';
import { VERSION } from '../../version.ts';

function banner(config: Config, system: RunningSystem): string {
  const { httpUrl } = system;
  const storage = `${system.store.kind} ${system.store.location}`;
  const demo = system.demo
    ? [
        `  Demo data       loaded: ${system.demo.devices} devices, ${system.demo.tacs} TACs, ${system.demo.entries} ledger entries`,
      ]
    : [];
  const examples = system.examples.map(
    (e) => `                  ${e.label.padEnd(20)} node bin/openceir.js device status ${e.imei}`,
  );
  return [
    `OpenCEIR ${VERSION} is running (storage: ${storage}).`,
    '',
    `  Home            ${httpUrl}/`,
    `  API docs        ${httpUrl}/docs`,
    `  OpenAPI         ${httpUrl}/openapi.json`,
    `  Identify        ${httpUrl}/api/v1/identify?value=imeisv-4370816125816151`,
    `  Health          ${httpUrl}/healthz   ready: ${httpUrl}/readyz`,
    `  Metrics         ${httpUrl}/metrics`,
    `  Ledger head     ${httpUrl}/ledger/v1/head`,
    `  Admin API key   ${system.adminApiKeyFile ?? '(OPENCEIR_ADMIN_API_KEY)'}`,
    ...demo,
    ...(examples.length > 0 ? ['  Try', ...examples] : []),
    '',
    `  Data directory  ${config.dataDir}`,
    `  Configuration   ${config.configFile ?? '(defaults and environment)'}`,
    '',
    'Stop with Ctrl+C (SIGINT) or SIGTERM.',
    '',
  ].join('\n');
}

export function startCommand(program: Command): void {
  program
    .command('start')
    .description(
      'start the all-in-one system: REST API, OpenAPI UI, health and metrics, on PGlite or PostgreSQL',
    )
    .option(
      '-c, --config <file>',
      'YAML configuration file (default: $OPENCEIR_CONFIG, then ./openceir.yaml)',
    )
    .action(async (options: { config?: string }) => {
      const config = loadConfig({ file: options.config });
      const logger = pino({ level: config.logLevel, base: { service: 'openceir' } });
      const system = await startSystem(config, logger);
      process.stdout.write(banner(config, system));

      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          logger.warn({ signal }, 'second signal: exiting without waiting');
          process.exit(130);
        }
        stopping = true;
        logger.info({ signal }, 'shutting down');
        // A close that hangs must not keep the process alive forever.
        const deadline = setTimeout(() => {
          logger.error('shutdown took longer than 15 s: exiting');
          process.exit(1);
        }, 15_000);
        deadline.unref();
        system.close().then(
          () => {
            logger.info('stopped');
            process.exit(0);
          },
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}
