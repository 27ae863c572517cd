/**
 * The composition root (ARCHITECTURE.md §4): wires the parts together for the all-in-one role.
 * Opening order: data directory → store → migrations → installation row → HTTP listener.
 * Closing order is the reverse, so no request meets a closed database.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { policyFrom } from './check/policy.ts';
import type { Config } from './config/load.ts';
import { Ledger } from './ledger/ledger.ts';
import { HeadSigner, loadOrCreateSigningKey } from './ledger/signing.ts';
import { type DemoSummary, demoExamples, seedDemo } from './registry/demo.ts';
import { RegistryOperations } from './registry/operations.ts';
import { ensureInstallation, type InstallationInfo, openStore, type Store } from './store/index.ts';
import { VERSION } from './version.ts';
import { buildApp } from './web/app.ts';

/**
 * The admin API key: configured, or created once in the data directory (mode 0600) so that the
 * quick start has one and the CLI on the same machine can read it.
 */
export function resolveAdminApiKey(config: Config): { key: string; file: string | null } {
  if (config.adminApiKey) return { key: config.adminApiKey, file: null };
  const file = path.join(config.dataDir, 'admin-api-key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return { key: readFileSync(file, 'utf8').trim(), file };
}

/** The registry's parts over an open store: the ledger with its signing key, and the policy. */
export async function openRegistry(
  store: Store,
  config: Config,
): Promise<{ ledger: Ledger; policy: ReturnType<typeof policyFrom> }> {
  const ledger = new Ledger(store, new HeadSigner(loadOrCreateSigningKey(config.ledgerKeyFile)));
  await ledger.init();
  return { ledger, policy: policyFrom(config.policy) };
}

export interface RunningSystem {
  readonly store: Store;
  readonly ledger: Ledger;
  /** Where the admin API key is kept, when it was not configured. */
  readonly adminApiKeyFile: string | null;
  /** What the demo seeding loaded on this start (null when it did not run). */
  readonly demo: DemoSummary | null;
  /** Devices worth looking at (demo data), for the start banner. */
  readonly examples: readonly { label: string; imei: string }[];
  readonly installation: InstallationInfo;
  /** Base URL of the HTTP listener, with the port actually bound. */
  readonly httpUrl: string;
  close(): Promise<void>;
}

export async function startSystem(config: Config, logger: Logger): Promise<RunningSystem> {
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    await store.migrate();
    const installation = await ensureInstallation(store, VERSION);
    logger.info(
      { storage: store.kind, location: store.location, installation: installation.id },
      'database ready',
    );

    const { ledger, policy } = await openRegistry(store, config);
    const demo = config.demo ? await seedDemo(ledger) : null;
    if (demo) logger.info(demo, 'demo data loaded');
    const admin = resolveAdminApiKey(config);
    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics, prefix: 'openceir_' });
    const registry = new RegistryOperations(ledger, policy, 'admin-api');
    const app = await buildApp({
      registry,
      store,
      logger,
      metrics,
      version: VERSION,
      installation,
      ledger,
      policy,
      adminApiKey: admin.key,
    });
    await app.listen({ port: config.httpPort, host: config.host });
    closers.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.httpPort;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      store,
      ledger,
      adminApiKeyFile: admin.file,
      demo,
      examples: config.demo ? await demoExamples(ledger) : [],
      installation,
      httpUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
