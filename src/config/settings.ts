/**
 * Every setting OpenCEIR reads, in one table: its YAML key, its environment variable, its type,
 * its default and what it does. `load.ts` validates against this table, the README's configuration
 * reference is checked against it by a test, and `openceir config` prints it.
 *
 * Naming rule: the YAML key is the environment variable without `OPENCEIR_`, in lower case
 * (`OPENCEIR_HTTP_PORT` ↔ `http_port`, `DATABASE_URL` ↔ `database_url`); a dot in the key is a YAML
 * section (`policy.mode` is `mode:` under `policy:`, environment `OPENCEIR_POLICY_MODE`).
 */

export type SettingType =
  | 'port'
  | 'string'
  | 'path'
  | 'boolean'
  | 'postgres-url'
  | 'log-level'
  | 'host'
  | 'choice'
  | 'list';

export interface Setting<K extends string = string> {
  readonly key: K;
  readonly env: string;
  readonly type: SettingType;
  readonly default: string | number | boolean | null;
  readonly description: string;
  /** Secrets are never printed back (config dump, errors, logs). */
  readonly secret?: boolean;
  /** The values a `choice` setting takes. */
  readonly choices?: readonly string[];
}

export const SETTINGS = [
  {
    key: 'http_port',
    env: 'OPENCEIR_HTTP_PORT',
    type: 'port',
    default: 8080,
    description:
      'Port of the portal, REST API, OpenAPI UI, health and metrics (HTTP/1.1). 0 picks a free port.',
  },
  {
    key: 'sbi_port',
    env: 'OPENCEIR_SBI_PORT',
    type: 'port',
    default: 8000,
    description: 'Port of the 5G N5g-eir service (HTTP/2 cleartext, prior knowledge).',
  },
  {
    key: 'diameter_port',
    env: 'OPENCEIR_DIAMETER_PORT',
    type: 'port',
    default: 3868,
    description: 'Port of the 4G S13 Diameter service (TCP).',
  },
  {
    key: 'host',
    env: 'OPENCEIR_HOST',
    type: 'host',
    default: '127.0.0.1',
    description: 'Address every listener binds to. Use 0.0.0.0 to serve other machines.',
  },
  {
    key: 'data_dir',
    env: 'OPENCEIR_DATA_DIR',
    type: 'path',
    default: './data',
    description: 'Directory for the embedded database (PGlite), keys, snapshots and analytics files.',
  },
  {
    key: 'database_url',
    env: 'DATABASE_URL',
    type: 'postgres-url',
    default: null,
    description:
      'PostgreSQL connection URL (postgres://user@host:port/db). Unset: embedded PGlite in data_dir.',
    secret: true,
  },
  {
    key: 'admin_api_key',
    env: 'OPENCEIR_ADMIN_API_KEY',
    type: 'string',
    default: null,
    description: 'Key that admin endpoints accept as "Authorization: Bearer <key>".',
    secret: true,
  },
  {
    key: 'demo',
    env: 'OPENCEIR_DEMO',
    type: 'boolean',
    default: true,
    description: 'Load demo data on start when the database is empty. 0 starts empty.',
  },
  {
    key: 'ledger_key_file',
    env: 'OPENCEIR_LEDGER_KEY_FILE',
    type: 'path',
    default: null,
    description:
      'Ed25519 key (PKCS#8 PEM) that signs ledger tree heads; created on first start. Unset: <data_dir>/ledger-key.pem.',
  },
  {
    key: 'policy.mode',
    env: 'OPENCEIR_POLICY_MODE',
    type: 'choice',
    choices: ['permissive', 'restrictive'],
    default: 'permissive',
    description:
      'National policy (ITU-T Q.Sup73): permissive lets unlisted devices work; restrictive only registered ones.',
  },
  {
    key: 'policy.unlisted',
    env: 'OPENCEIR_POLICY_UNLISTED',
    type: 'choice',
    choices: ['allowed', 'tracked', 'blocked', 'unknown'],
    default: null,
    description:
      'Answer for a device no list or rule mentions; unknown becomes 404 ERROR_EQUIPMENT_UNKNOWN / Diameter 5422. Unset: allowed when permissive, blocked when restrictive.',
  },
  {
    key: 'policy.malformed',
    env: 'OPENCEIR_POLICY_MALFORMED',
    type: 'choice',
    choices: ['allowed', 'tracked', 'blocked', 'unknown'],
    default: 'tracked',
    description:
      'Answer for an identifier that is not an IMEI (fewer than 14 digits, hex, …): tracked records every use.',
  },
  {
    key: 'policy.pairing_exempts_not',
    env: 'OPENCEIR_POLICY_PAIRING_EXEMPTS_NOT',
    type: 'list',
    default: 'barred,court-order',
    description:
      'Block reasons that an IMEI–IMSI pairing does not exempt (comma-separated; DIRBS: barring overrides pairing).',
  },
  {
    key: 'log_level',
    env: 'OPENCEIR_LOG_LEVEL',
    type: 'log-level',
    default: 'info',
    description: 'Log level of the structured (JSON) logs: fatal, error, warn, info, debug, trace or silent.',
  },
] as const satisfies readonly Setting[];

export type SettingKey = (typeof SETTINGS)[number]['key'];
