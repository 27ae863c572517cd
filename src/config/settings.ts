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
  | 'integer'
  | 'string'
  | 'path'
  | 'url'
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
  /** What a `list` holds: lower-case codes (default), or names (hosts, realms, addresses, CIDR blocks). */
  readonly items?: 'codes' | 'names' | 'prefix-languages';
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
    key: 'role',
    env: 'OPENCEIR_ROLE',
    type: 'choice',
    choices: ['all-in-one', 'registry', 'check-node'],
    default: 'all-in-one',
    description:
      'all-in-one: registry and real-time checks in one process; registry: API, ledger and lists without the check ports; check-node: real-time checks following a registry (follow).',
  },
  {
    key: 'node_name',
    env: 'OPENCEIR_NODE_NAME',
    type: 'host',
    default: null,
    description: 'Name of this node in sightings and metrics. Unset: the host name.',
  },
  {
    key: 'follow',
    env: 'OPENCEIR_FOLLOW',
    type: 'url',
    default: null,
    description: 'check-node: base URL of the registry to follow, e.g. http://registry.example:8080.',
  },
  {
    key: 'follow_api_key',
    env: 'OPENCEIR_FOLLOW_API_KEY',
    type: 'string',
    default: null,
    description:
      'check-node: an API key of the registry with the follower role (reads entries and snapshots, sends sightings; docs/checks.md).',
    secret: true,
  },
  {
    key: 'follow_public_key_file',
    env: 'OPENCEIR_FOLLOW_PUBLIC_KEY_FILE',
    type: 'path',
    default: null,
    description:
      'check-node: the registry’s ledger signing key (PEM). Unset: fetched on first start and pinned in data_dir/registry-key.pem.',
  },
  {
    key: 'nats.url',
    env: 'OPENCEIR_NATS_URL',
    type: 'string',
    default: null,
    description:
      'Optional NATS JetStream push of ledger batches (nats://host:port): a registry publishes each commit, a check node with follow applies pushed batches after verifying them; HTTP stays the source of truth. Unset: off.',
  },
  {
    key: 'check.record_all',
    env: 'OPENCEIR_CHECK_RECORD_ALL',
    type: 'boolean',
    default: false,
    description: 'Record a sighting for every check, not only those that meet a blocked or tracked device.',
  },
  {
    key: 'overload.max_delay_ms',
    env: 'OPENCEIR_OVERLOAD_MAX_DELAY_MS',
    type: 'integer',
    default: 100,
    description:
      'Refuse new checks (SBI 503, S13 3004, REST 429) while the event loop runs this late (ms); 0 never.',
  },
  {
    key: 'overload.max_rate',
    env: 'OPENCEIR_OVERLOAD_MAX_RATE',
    type: 'integer',
    default: 0,
    description:
      'Checks admitted per second per process (a token bucket; a tenth of a second of burst); 0 means no limit. Set it a little under the capacity bench/overload.ts measures.',
  },
  {
    key: 'overload.max_api_in_flight',
    env: 'OPENCEIR_OVERLOAD_MAX_API_IN_FLIGHT',
    type: 'integer',
    default: 256,
    description:
      'REST API requests handled at once per process; more are refused with 429 and Retry-After (health and metrics excepted); 0 means no limit.',
  },
  {
    key: 'overload.max_pending_per_connection',
    env: 'OPENCEIR_OVERLOAD_MAX_PENDING_PER_CONNECTION',
    type: 'integer',
    default: 4096,
    description:
      'S13 ECRs pending on one Diameter connection (answers not yet written); more are answered 3004 DIAMETER_TOO_BUSY; 0 means no limit.',
  },
  {
    key: 'tls.cert_file',
    env: 'OPENCEIR_TLS_CERT_FILE',
    type: 'path',
    default: null,
    description:
      'HTTPS for the portal, REST API, health and metrics: certificate chain (PEM). Unset: plain HTTP.',
  },
  {
    key: 'tls.key_file',
    env: 'OPENCEIR_TLS_KEY_FILE',
    type: 'path',
    default: null,
    description: 'HTTPS: private key (PEM) of tls.cert_file.',
  },
  {
    key: 'tls.client_ca_file',
    env: 'OPENCEIR_TLS_CLIENT_CA_FILE',
    type: 'path',
    default: null,
    description:
      'HTTPS: CAs (PEM bundle) that sign operators’ client certificates. The listener asks for a certificate but does not require one; a verified certificate bound to an API key (apikey create --client-cert) acts as that key.',
  },
  {
    key: 'sbi.tls_cert_file',
    env: 'OPENCEIR_SBI_TLS_CERT_FILE',
    type: 'path',
    default: null,
    description: 'N5g-eir over TLS (ALPN h2): certificate (PEM). Unset: h2c with prior knowledge.',
  },
  {
    key: 'sbi.tls_key_file',
    env: 'OPENCEIR_SBI_TLS_KEY_FILE',
    type: 'path',
    default: null,
    description: 'N5g-eir over TLS: private key (PEM).',
  },
  {
    key: 'sbi.tls_client_ca_file',
    env: 'OPENCEIR_SBI_TLS_CLIENT_CA_FILE',
    type: 'path',
    default: null,
    description:
      'N5g-eir mutual TLS (TS 33.501 §13.1): CAs (PEM bundle) of the NF consumers’ certificates; the handshake fails without one. Unset: no client certificate asked.',
  },
  {
    key: 'sbi.oauth_key_file',
    env: 'OPENCEIR_SBI_OAUTH_KEY_FILE',
    type: 'path',
    default: null,
    description: 'N5g-eir OAuth2: the NRF’s token-signing keys (JWKS file or PEM). Unset: no token required.',
  },
  {
    key: 'sbi.oauth_issuer',
    env: 'OPENCEIR_SBI_OAUTH_ISSUER',
    type: 'string',
    default: null,
    description: 'N5g-eir OAuth2: the expected token issuer (the NRF); unset: not checked.',
  },
  {
    key: 'sbi.nf_instance_id',
    env: 'OPENCEIR_SBI_NF_INSTANCE_ID',
    type: 'string',
    default: null,
    description:
      'This EIR’s NF instance id (UUID, as registered in the NRF): the scope of the 3gpp-Sbi-Lci load information on 503 NF_CONGESTION; unset: no load information.',
  },
  {
    key: 'sbi.oauth_audiences',
    env: 'OPENCEIR_SBI_OAUTH_AUDIENCES',
    type: 'list',
    items: 'names',
    default: '5G_EIR',
    description: 'N5g-eir OAuth2: accepted token audiences (NF type 5G_EIR, or this EIR’s NF instance id).',
  },
  {
    key: 'diameter.origin_host',
    env: 'OPENCEIR_DIAMETER_ORIGIN_HOST',
    type: 'host',
    default: 'eir.openceir.localdomain',
    description: 'S13: this EIR’s Origin-Host.',
  },
  {
    key: 'diameter.origin_realm',
    env: 'OPENCEIR_DIAMETER_ORIGIN_REALM',
    type: 'host',
    default: 'openceir.localdomain',
    description: 'S13: this EIR’s Origin-Realm.',
  },
  {
    key: 'diameter.allowed_hosts',
    env: 'OPENCEIR_DIAMETER_ALLOWED_HOSTS',
    type: 'list',
    items: 'names',
    default: '*',
    description: 'S13 peers admitted by Origin-Host (comma-separated; * any).',
  },
  {
    key: 'diameter.allowed_realms',
    env: 'OPENCEIR_DIAMETER_ALLOWED_REALMS',
    type: 'list',
    items: 'names',
    default: '*',
    description: 'S13 peers admitted by Origin-Realm (comma-separated; * any).',
  },
  {
    key: 'diameter.allowed_addresses',
    env: 'OPENCEIR_DIAMETER_ALLOWED_ADDRESSES',
    type: 'list',
    items: 'names',
    default: '127.0.0.1,::1',
    description:
      'S13 peers admitted by source address: IPs or CIDR blocks (comma-separated; * any). The default admits loopback only.',
  },
  {
    key: 'diameter.watchdog_seconds',
    env: 'OPENCEIR_DIAMETER_WATCHDOG_SECONDS',
    type: 'integer',
    default: 30,
    description: 'S13 watchdog Tw (RFC 3539): DWR after this many silent seconds.',
  },
  {
    key: 'public_url',
    env: 'OPENCEIR_PUBLIC_URL',
    type: 'url',
    default: null,
    description:
      'Address people reach the portal at, for links in SMS and on certificates (QR codes). Unset: the HTTP listener.',
  },
  {
    key: 'portal.rate_limit_per_minute',
    env: 'OPENCEIR_PORTAL_RATE_LIMIT_PER_MINUTE',
    type: 'integer',
    default: 60,
    description: 'Public checks, reports, certificates and appeals admitted per client address per minute.',
  },
  {
    key: 'cases.verification_minutes',
    env: 'OPENCEIR_CASES_VERIFICATION_MINUTES',
    type: 'integer',
    default: 15,
    description: 'How long a one-time code sent to a reporter stays valid.',
  },
  {
    key: 'cases.appeal_days',
    env: 'OPENCEIR_CASES_APPEAL_DAYS',
    type: 'integer',
    default: 14,
    description: 'Days the registry has to decide an appeal before it is overdue and escalates.',
  },
  {
    key: 'cases.suspend_overdue_appeals',
    env: 'OPENCEIR_CASES_SUSPEND_OVERDUE_APPEALS',
    type: 'boolean',
    default: true,
    description: 'When an appeal is overdue, suspend the block to tracked until it is decided.',
  },
  {
    key: 'retention.sightings_days',
    env: 'OPENCEIR_RETENTION_SIGHTINGS_DAYS',
    type: 'integer',
    default: 365,
    description:
      'Days sightings (IMSI, MSISDN, network) are kept; `openceir privacy prune` deletes older ones except those an open alert refers to.',
  },
  {
    key: 'retention.closed_cases_days',
    env: 'OPENCEIR_RETENTION_CLOSED_CASES_DAYS',
    type: 'integer',
    default: 730,
    description:
      'Days after a case is closed, withdrawn or rejected before prune blanks its personal fields (the case, its events and ledger entries stay).',
  },
  {
    key: 'retention.access_log_days',
    env: 'OPENCEIR_RETENTION_ACCESS_LOG_DAYS',
    type: 'integer',
    default: 730,
    description: 'Days access-log rows are kept before prune deletes them.',
  },
  {
    key: 'privacy.key_file',
    env: 'OPENCEIR_PRIVACY_KEY_FILE',
    type: 'path',
    default: null,
    description:
      'AES-256 key (base64 of 32 bytes) that encrypts contacts, the IMSI and MSISDN of sightings and alerts, and the IMSIs of the analytics stores at rest; created on first start. Unset: <data_dir>/privacy-key.',
  },
  {
    key: 'privacy.retired_key_files',
    env: 'OPENCEIR_PRIVACY_RETIRED_KEY_FILES',
    type: 'string',
    default: null,
    description:
      'Comma-separated key files of earlier privacy keys, still read after a rotation until `openceir privacy reseal` has moved every value to the current key.',
  },
  {
    key: 'open_data.min_cell',
    env: 'OPENCEIR_OPEN_DATA_MIN_CELL',
    type: 'integer',
    default: 10,
    description:
      'Open statistics: counts below this are withheld, with further cells so none can be derived (docs/statistics.md).',
  },
  {
    key: 'staff.session_hours',
    env: 'OPENCEIR_STAFF_SESSION_HOURS',
    type: 'integer',
    default: 8,
    description: 'Staff console sessions end after this many hours.',
  },
  {
    key: 'sms.smsc_url',
    env: 'OPENCEIR_SMS_SMSC_URL',
    type: 'string',
    default: null,
    description:
      'SMSC to bind to as an ESME (smpp://host:port). Unset: the demo starts its own SMSC simulator; otherwise no SMS.',
  },
  {
    key: 'sms.system_id',
    env: 'OPENCEIR_SMS_SYSTEM_ID',
    type: 'string',
    default: 'openceir',
    description: 'SMPP system_id of the bind.',
  },
  {
    key: 'sms.password',
    env: 'OPENCEIR_SMS_PASSWORD',
    type: 'string',
    default: null,
    secret: true,
    description: 'SMPP password of the bind (the simulator accepts the one configured, or any when unset).',
  },
  {
    key: 'sms.short_code',
    env: 'OPENCEIR_SMS_SHORT_CODE',
    type: 'string',
    default: '14422',
    description: 'Short code people send KYM and other commands to; source address of our messages.',
  },
  {
    key: 'sms.languages',
    env: 'OPENCEIR_SMS_LANGUAGES',
    type: 'list',
    items: 'prefix-languages',
    default: null,
    description:
      'Language of SMS replies by number prefix, e.g. 213=ar,7=ru,86=zh (longest prefix wins; else English).',
  },
  {
    key: 'sms.simulator_port',
    env: 'OPENCEIR_SMS_SIMULATOR_PORT',
    type: 'port',
    default: 2775,
    description:
      'Port of the demo SMSC simulator (started when demo is on and no SMSC is configured). 0 picks a free port.',
  },
  {
    key: 'analytics.engine',
    env: 'OPENCEIR_ANALYTICS_ENGINE',
    type: 'choice',
    choices: ['duckdb', 'postgres'],
    default: 'duckdb',
    description:
      'Engine for network-data analytics: duckdb (embedded, files in <data_dir>/analytics) or postgres (the registry database).',
  },
  {
    key: 'analytics.config_file',
    env: 'OPENCEIR_ANALYTICS_CONFIG_FILE',
    type: 'path',
    default: null,
    description:
      'Analytics YAML (operators, import thresholds, conditions, amnesty, listgen; DIRBS key names). Unset: ./openceir-analytics.yaml if present.',
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
