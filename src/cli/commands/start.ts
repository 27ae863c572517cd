/** `openceir start`: runs OpenCEIR in its role until SIGTERM or SIGINT, then shuts down cleanly. */
import { type Command, Option } from 'commander';
import { pino } from 'pino';
import { type Config, loadConfig } from '../../config/load.ts';
import { loggerOptions } from '../../privacy/logging.ts';
import { type RunningSystem, startSystem } from '../../server.ts';
import { VERSION } from '../../version.ts';

function banner(config: Config, system: RunningSystem): string {
  const { httpUrl } = system;
  const storage = system.store
    ? `storage: ${system.store.kind} ${system.store.location}`
    : `following ${config.follow.url}`;
  const demo = system.demo
    ? [
        `  Demo data       loaded: ${system.demo.devices} devices, ${system.demo.tacs} TACs, ${system.demo.entries} ledger entries`,
      ]
    : [];
  const examples = system.examples.map(
    (e) => `                  ${e.label.padEnd(20)} node bin/openceir.js device status ${e.imei}`,
  );
  const checks = [
    ...(system.sbiUrl
      ? [`  N5g-eir (5G)    ${system.sbiUrl}/n5g-eir-eic/v1/equipment-status?pei=imeisv-4370816125816151`]
      : []),
    ...(system.diameter
      ? [
          `  S13 (4G)        TCP ${system.diameter.host}:${system.diameter.port}, Origin-Host ${config.diameter.originHost}`,
        ]
      : []),
  ];
  const people = system.demoPeople
    ? [
        `  Consoles        ${httpUrl}/console/  demo users: ${system.demoPeople.accounts.users.map((u) => u.username).join(', ') || 'regulator, police.capital, police.north, care.alpha, auditor'}`,
        `                  demo password: ${system.demoPeople.accounts.password}`,
        ...(system.demoPeople.cases
          ? [
              `  Demo cases      ${system.demoPeople.cases.cases.map((c) => `${c.reference} (${c.state})`).join(', ')}`,
            ]
          : []),
      ]
    : [`  Consoles        ${httpUrl}/console/`];
  const sms = system.sms
    ? [
        system.sms.simulator
          ? `  SMS             built-in SMSC simulator ${system.sms.smscUrl}; messages to a number: ${httpUrl}/demo/phone?number=254712000002`
          : `  SMS             bound to ${system.sms.smscUrl}`,
        `                  send KYM <IMEI> to ${config.sms.shortCode}`,
      ]
    : [];
  const registry = system.store
    ? [
        `  Portal          ${httpUrl}/check  report: ${httpUrl}/report  appeal: ${httpUrl}/appeal`,
        `  Open data       ${httpUrl}/open-data`,
        `  Statistics      ${httpUrl}/console/statistics  (the regulator's dashboard)`,
        ...people,
        ...sms,
        `  API docs        ${httpUrl}/docs`,
        `  OpenAPI         ${httpUrl}/openapi.json`,
        `  Identify        ${httpUrl}/api/v1/identify?value=imeisv-4370816125816151`,
        `  Ledger head     ${httpUrl}/ledger/v1/head`,
      ]
    : [];
  return [
    `OpenCEIR ${VERSION} is running as ${system.role} (${storage}).`,
    '',
    `  Home            ${httpUrl}/`,
    ...registry,
    `  Check (REST)    ${httpUrl}/api/v1/devices/{imei}/status`,
    ...checks,
    `  Health          ${httpUrl}/healthz   ready: ${httpUrl}/readyz`,
    `  Metrics         ${httpUrl}/metrics`,
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
      'start OpenCEIR: all-in-one (registry, REST, N5g-eir, S13) by default, or --role registry / check-node',
    )
    .option(
      '-c, --config <file>',
      'YAML configuration file (default: $OPENCEIR_CONFIG, then ./openceir.yaml)',
    )
    .addOption(
      new Option('--role <role>', 'all-in-one, registry, or check-node (OPENCEIR_ROLE)').choices([
        'all-in-one',
        'registry',
        'check-node',
      ]),
    )
    .option('--follow <url>', 'check-node: the registry to follow (OPENCEIR_FOLLOW)')
    .action(async (options: { config?: string; role?: string; follow?: string }) => {
      const env = {
        ...process.env,
        ...(options.role ? { OPENCEIR_ROLE: options.role } : {}),
        ...(options.follow ? { OPENCEIR_FOLLOW: options.follow } : {}),
      };
      const config = loadConfig({ file: options.config, env });
      const logger = pino(loggerOptions(config.logLevel, { service: 'openceir', node: config.nodeName }));
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
