import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { InstallationInfo, Store } from '../store/index.ts';

/** What the web layer is given by the composition root. */
export interface AppContext {
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly version: string;
  readonly installation: InstallationInfo;
}
