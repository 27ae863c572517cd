/**
 * The composition root (ARCHITECTURE.md §4): wires the parts together for the all-in-one role.
 * Opening order: data directory → store → migrations → installation row → HTTP listener.
 * Closing order is the reverse, so no request meets a closed database.
 */
import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from './config/load.ts';
import { ensureInstallation, type InstallationInfo, openStore, type Store } from './store/index.ts';
import { VERSION } from './version.ts';
import { buildApp } from './web/app.ts';

export interface RunningSystem {
  readonly store: Store;
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

    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics, prefix: 'openceir_' });
    const app = await buildApp({ store, logger, metrics, version: VERSION, installation });
    await app.listen({ port: config.httpPort, host: config.host });
    closers.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.httpPort;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      store,
      installation,
      httpUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
