import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Accounts } from '../accounts/accounts.ts';
import type { CaseDesk } from '../cases/index.ts';
import type { Policy } from '../check/policy.ts';
import type { CheckService } from '../check/service.ts';
import type { Config } from '../config/load.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { Sealer } from '../privacy/seal.ts';
import type { SmscSimulator } from '../protocols/sms/index.ts';
import type { RegistryOperations } from '../registry/operations.ts';
import type { InstallationInfo, Store } from '../store/index.ts';

/** What the web layer is given by the composition root. */
export interface AppContext {
  readonly store: Store;
  /** The loaded configuration (portal, cases, staff and SMS settings are read from it). */
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly version: string;
  readonly installation: InstallationInfo;
  readonly ledger: Ledger;
  readonly policy: Policy;
  readonly registry: RegistryOperations;
  /** The key admin endpoints accept as a bearer token. */
  readonly adminApiKey: string;
  /** REST requests handled at once; more are refused 429 (admission.ts). Absent or 0: no bound. */
  readonly maxInFlight?: number;
  /** HTTPS, and operators' client certificates (see BaseContext in app.ts). */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer; readonly clientCa: Buffer | null } | null;
  /** Staff accounts: console sessions, API keys, the access log. */
  readonly accounts: Accounts;
  /** Theft and loss cases, police alerts, appeals and the message outbox. */
  readonly desk: CaseDesk;
  /** The demo's SMSC simulator, when it runs: the demo handset routes are registered then. */
  readonly smsSimulator?: SmscSimulator | null;
  /** Where people reach the portal: configured, or this listener. */
  readonly publicUrl: string;
  /** The real-time checks (REST status and bulk), from the in-memory index. */
  readonly checks: CheckService;
  /** Seals personal data at rest and opens it to be shown (src/privacy/seal.ts). */
  readonly sealer: Sealer;
  readiness(): Promise<{ ready: boolean; checks: Record<string, string> }>;
}
