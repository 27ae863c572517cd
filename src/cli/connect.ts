/**
 * How a CLI command reaches the registry: through `--server` when given; otherwise it opens the
 * database itself, unless a running OpenCEIR holds the embedded database (PGlite serves one process),
 * in which case it goes through that server's API on this machine with the admin key.
 */
import os from 'node:os';
import { type Config, loadConfig } from '../config/load.ts';
import { RegistryOperations } from '../registry/operations.ts';
import { openRegistry, resolveAdminApiKey } from '../server.ts';
import { openStore } from '../store/index.ts';
import { DirectoryLockedError } from '../store/lock.ts';
import { type RegistryApi, RemoteRegistry } from './remote.ts';

export interface ConnectOptions {
  readonly server?: string;
  readonly apiKey?: string;
  readonly config?: string;
}

export interface Connection {
  readonly api: RegistryApi;
  /** Where the commands go: "server <url>" or "database <location>". */
  readonly via: string;
  close(): Promise<void>;
}

function localUrl(config: Config): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.httpPort}`;
}

export async function connect(options: ConnectOptions): Promise<Connection> {
  const config = loadConfig({ file: options.config });
  const key = () => options.apiKey ?? process.env.OPENCEIR_ADMIN_API_KEY ?? resolveAdminApiKey(config).key;
  if (options.server) {
    return {
      api: new RemoteRegistry(options.server.replace(/\/$/, ''), key()),
      via: `server ${options.server}`,
      close: async () => {},
    };
  }
  try {
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      await store.migrate();
      const { ledger, policy } = await openRegistry(store, config);
      const actor = `cli:${os.userInfo().username}`;
      return {
        api: new RegistryOperations(ledger, policy, actor),
        via: `database ${store.location}`,
        close: () => store.close(),
      };
    } catch (error) {
      await store.close();
      throw error;
    }
  } catch (error) {
    if (!(error instanceof DirectoryLockedError)) throw error;
    const url = localUrl(config);
    return {
      api: new RemoteRegistry(url, key()),
      via: `server ${url} (it holds ${config.dataDir})`,
      close: async () => {},
    };
  }
}
