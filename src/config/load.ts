/**
 * Reads the configuration: defaults, then the YAML file, then environment variables. Every value
 * is checked against its setting's type; a bad one stops the start with a message that names the
 * setting, where the value came from, and the rule.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SETTINGS, type Setting, type SettingKey } from './settings.ts';

export interface Config {
  readonly httpPort: number;
  readonly sbiPort: number;
  readonly diameterPort: number;
  readonly host: string;
  /** Absolute. */
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly adminApiKey: string | null;
  readonly demo: boolean;
  readonly logLevel: string;
  readonly role: 'all-in-one' | 'registry' | 'check-node';
  readonly nodeName: string;
  readonly follow: {
    readonly url: string | null;
    readonly apiKey: string | null;
    readonly publicKeyFile: string | null;
  };
  /** The optional ledger push over NATS JetStream (docs/follower-protocol.md). */
  readonly nats: { readonly url: string | null };
  readonly check: { readonly recordAll: boolean };
  readonly overload: {
    readonly maxDelayMs: number;
    readonly maxRate: number;
    readonly maxApiInFlight: number;
    readonly maxPendingPerConnection: number;
  };
  /** HTTPS for the HTTP listener; with `clientCaFile`, operators' client certificates (src/web/access.ts). */
  readonly tls: {
    readonly certFile: string | null;
    readonly keyFile: string | null;
    readonly clientCaFile: string | null;
  };
  readonly sbi: {
    readonly tlsCertFile: string | null;
    readonly tlsKeyFile: string | null;
    readonly tlsClientCaFile: string | null;
    readonly oauthKeyFile: string | null;
    readonly oauthIssuer: string | null;
    readonly oauthAudiences: readonly string[];
    readonly nfInstanceId: string | null;
  };
  readonly diameter: {
    readonly originHost: string;
    readonly originRealm: string;
    readonly allowedHosts: readonly string[];
    readonly allowedRealms: readonly string[];
    readonly allowedAddresses: readonly string[];
    readonly watchdogSeconds: number;
  };
  /** Where people reach the portal (links in SMS, certificate QR codes); null: the HTTP listener. */
  readonly publicUrl: string | null;
  readonly portal: { readonly rateLimitPerMinute: number };
  readonly cases: {
    readonly verificationMinutes: number;
    readonly appealDays: number;
    readonly suspendOverdueAppeals: boolean;
  };
  /** How long personal data is kept, in days (docs/security.md, Privacy). */
  readonly retention: {
    readonly sightingsDays: number;
    readonly closedCasesDays: number;
    readonly accessLogDays: number;
  };
  /** Encryption at rest of personal data outside the ledger (src/privacy/seal.ts). */
  readonly privacy: { readonly keyFile: string; readonly retiredKeyFiles: readonly string[] };
  /** Open statistics: counts below `minCell` are withheld (docs/statistics.md). */
  readonly openData: { readonly minCell: number };
  readonly staff: { readonly sessionHours: number };
  readonly sms: {
    readonly smscUrl: string | null;
    readonly systemId: string;
    readonly password: string | null;
    readonly shortCode: string;
    /** `prefix=language` rules, e.g. `213=ar`. */
    readonly languages: readonly string[];
    readonly simulatorPort: number;
  };
  readonly analytics: { readonly engine: 'duckdb' | 'postgres'; readonly configFile: string | null };
  /** Absolute path of the ledger signing key. */
  readonly ledgerKeyFile: string;
  readonly policy: {
    readonly mode: 'permissive' | 'restrictive';
    readonly unlisted: 'allowed' | 'tracked' | 'blocked' | 'unknown' | null;
    readonly malformed: 'allowed' | 'tracked' | 'blocked' | 'unknown';
    readonly pairingExemptsNot: readonly string[];
  };
  /** The YAML file that was read, if any. */
  readonly configFile: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** Path of the YAML file; when absent, OPENCEIR_CONFIG, then ./openceir.yaml if it exists. */
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Directory that relative paths are resolved against. */
  readonly cwd?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Value = string | number | boolean | null | readonly string[];

/**
 * The text of a YAML scalar, '' for a mapping or list: String() on a mapping with a `toString` key
 * throws (found by fuzzing), and no setting takes one where a scalar belongs.
 */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

/** Converts one raw value to its setting's type, or explains why it cannot be. */
function convert(setting: Setting, raw: unknown): { value: Value } | { problem: string } {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (setting.type) {
    case 'port': {
      const n = typeof text === 'number' ? text : /^[0-9]+$/.test(scalar(text)) ? Number(text) : Number.NaN;
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        return { problem: 'must be a whole number from 0 to 65535' };
      return { value: n };
    }
    case 'boolean': {
      if (typeof text === 'boolean') return { value: text };
      const word = scalar(text).toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(word)) return { value: true };
      if (['0', 'false', 'no', 'off'].includes(word)) return { value: false };
      return { problem: 'must be 1/0, true/false, yes/no or on/off' };
    }
    case 'log-level':
      if (typeof text !== 'string' || !LOG_LEVELS.includes(text))
        return { problem: `must be one of ${LOG_LEVELS.join(', ')}` };
      return { value: text };
    case 'postgres-url': {
      if (typeof text !== 'string') return { problem: 'must be text' };
      if (text === '') return { value: null };
      try {
        const url = new URL(text);
        if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
          return { problem: 'must be a postgres:// or postgresql:// URL' };
        }
      } catch {
        return { problem: 'must be a URL such as postgres://user@127.0.0.1:5432/openceir' };
      }
      return { value: text };
    }
    case 'host':
      if (typeof text !== 'string' || !/^[A-Za-z0-9.:[\]-]+$/.test(text)) {
        return { problem: 'must be a host name or an IP address such as 127.0.0.1 or 0.0.0.0' };
      }
      return { value: text };
    case 'integer': {
      const n = typeof text === 'number' ? text : /^[0-9]+$/.test(scalar(text)) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < 0) return { problem: 'must be a whole number, 0 or more' };
      return { value: n };
    }
    case 'url': {
      if (typeof text !== 'string') return { problem: 'must be text' };
      if (text === '') return { value: null };
      try {
        const url = new URL(text);
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          return { problem: 'must be an http:// or https:// URL' };
      } catch {
        return { problem: 'must be a URL such as http://registry.example:8080' };
      }
      return { value: text.replace(/\/+$/, '') };
    }
    case 'choice':
      if (typeof text !== 'string' || !setting.choices?.includes(text))
        return { problem: `must be one of ${setting.choices?.join(', ')}` };
      return { value: text };
    case 'list': {
      const items = Array.isArray(text)
        ? text.every((i) => i === null || typeof i !== 'object')
          ? text.map(String)
          : null
        : typeof text === 'string'
          ? text.split(',')
          : null;
      if (!items) return { problem: 'must be a list (YAML) or comma-separated text' };
      const cleaned = items.map((i) => i.trim()).filter((i) => i !== '');
      if (setting.items === 'prefix-languages') {
        if (cleaned.some((i) => !/^\+?\d{1,6}=(en|ar|zh|fr|ru|es)$/.test(i))) {
          return { problem: 'items are prefix=language, e.g. 213=ar (languages: en ar zh fr ru es)' };
        }
      } else if (setting.items === 'names') {
        if (cleaned.some((i) => !/^[A-Za-z0-9*._:/-]+$/.test(i))) {
          return { problem: 'items are names, addresses or CIDR blocks (letters, digits, * . _ : / -)' };
        }
      } else if (cleaned.some((i) => !/^[a-z0-9][a-z0-9-]*$/.test(i))) {
        return { problem: 'items are lower-case codes (a-z, 0-9, -)' };
      }
      return { value: cleaned };
    }
    case 'path':
    case 'string':
      if (typeof text !== 'string' && typeof text !== 'number') return { problem: 'must be text' };
      if (String(text) === '') return { value: null };
      return { value: String(text) };
  }
}

function shown(setting: Setting, raw: unknown): string {
  return setting.secret ? '(hidden)' : JSON.stringify(raw);
}

/** YAML sections become dotted keys (`policy: {mode: x}` → `policy.mode`), except under list settings. */
function flatten(document: Record<string, unknown> | null, prefix = ''): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  for (const [key, value] of Object.entries(document ?? {})) {
    const full = prefix + key;
    const isSection = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (isSection && !SETTINGS.some((s) => s.key === full))
      pairs.push(...flatten(value as Record<string, unknown>, `${full}.`));
    else pairs.push([full, value]);
  }
  return pairs;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];
  const values = new Map<SettingKey, Value>();
  for (const setting of SETTINGS) {
    const initial = setting.default === null ? null : convert(setting, setting.default);
    values.set(setting.key, initial && 'value' in initial ? initial.value : null);
  }

  const requested = options.file ?? env.OPENCEIR_CONFIG;
  const fallback = path.resolve(cwd, 'openceir.yaml');
  const file = requested ? path.resolve(cwd, requested) : existsSync(fallback) ? fallback : null;
  if (file) {
    let document: unknown;
    try {
      document = parseYaml(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError([`${file}: ${(error as Error).message.split('\n')[0]}`]);
    }
    if (document !== null && (typeof document !== 'object' || Array.isArray(document))) {
      throw new ConfigError([`${file}: must be a mapping of setting names to values`]);
    }
    for (const [key, raw] of flatten(document as Record<string, unknown> | null)) {
      const setting = SETTINGS.find((s) => s.key === key);
      if (!setting) {
        problems.push(`${file}: unknown setting "${key}" (known: ${SETTINGS.map((s) => s.key).join(', ')})`);
        continue;
      }
      const converted = convert(setting, raw);
      if ('problem' in converted)
        problems.push(`${setting.key} in ${file} ${converted.problem}; got ${shown(setting, raw)}`);
      else values.set(setting.key, converted.value);
    }
  }

  for (const setting of SETTINGS) {
    const raw = env[setting.env];
    if (raw === undefined) continue;
    const converted = convert(setting, raw);
    if ('problem' in converted) {
      problems.push(
        `${setting.env} (setting ${setting.key}) ${converted.problem}; got ${shown(setting, raw)}`,
      );
    } else values.set(setting.key, converted.value);
  }

  // Settings that only make sense together.
  if (values.get('role') === 'check-node' && !values.get('follow')) {
    problems.push('role check-node needs follow (OPENCEIR_FOLLOW): the URL of the registry to follow');
  }
  if (Boolean(values.get('sbi.tls_cert_file')) !== Boolean(values.get('sbi.tls_key_file'))) {
    problems.push('sbi.tls_cert_file and sbi.tls_key_file go together: set both for TLS, or neither for h2c');
  }
  if (values.get('sbi.tls_client_ca_file') && !values.get('sbi.tls_cert_file')) {
    problems.push(
      'sbi.tls_client_ca_file needs sbi.tls_cert_file and sbi.tls_key_file: mutual TLS is TLS first',
    );
  }
  if (Boolean(values.get('tls.cert_file')) !== Boolean(values.get('tls.key_file'))) {
    problems.push(
      'tls.cert_file and tls.key_file go together: set both for HTTPS, or neither for plain HTTP',
    );
  }
  if (values.get('tls.client_ca_file') && !values.get('tls.cert_file')) {
    problems.push('tls.client_ca_file needs tls.cert_file and tls.key_file: client certificates need HTTPS');
  }
  const smsc = values.get('sms.smsc_url');
  if (typeof smsc === 'string' && !/^smpp:\/\/[^/:]+:\d{1,5}$/.test(smsc)) {
    problems.push(`sms.smsc_url must be smpp://host:port; got ${smsc}`);
  }
  const nats = values.get('nats.url');
  if (typeof nats === 'string' && !/^nats:\/\/[^/:\s]+(:\d{1,5})?$/.test(nats)) {
    problems.push(`nats.url must be nats://host:port; got ${nats}`);
  }
  if (values.get('open_data.min_cell') === 0) problems.push('open_data.min_cell must be 1 or more');
  if (problems.length > 0) throw new ConfigError(problems);
  const get = <T extends Value>(key: SettingKey) => values.get(key) as T;
  const dataDir = path.resolve(cwd, get<string | null>('data_dir') ?? './data');
  const keyFile = get<string | null>('ledger_key_file');
  const resolvePath = (key: SettingKey) => {
    const value = get<string | null>(key);
    return value ? path.resolve(cwd, value) : null;
  };
  return {
    httpPort: get<number>('http_port'),
    sbiPort: get<number>('sbi_port'),
    diameterPort: get<number>('diameter_port'),
    host: get<string>('host'),
    dataDir,
    databaseUrl: get<string | null>('database_url'),
    adminApiKey: get<string | null>('admin_api_key'),
    demo: get<boolean>('demo'),
    logLevel: get<string>('log_level'),
    ledgerKeyFile: keyFile ? path.resolve(cwd, keyFile) : path.join(dataDir, 'ledger-key.pem'),
    role: get<'all-in-one' | 'registry' | 'check-node'>('role'),
    nodeName: get<string | null>('node_name') ?? os.hostname(),
    follow: {
      url: get<string | null>('follow'),
      apiKey: get<string | null>('follow_api_key'),
      publicKeyFile: resolvePath('follow_public_key_file'),
    },
    nats: { url: get<string | null>('nats.url') },
    check: { recordAll: get<boolean>('check.record_all') },
    overload: {
      maxDelayMs: get<number>('overload.max_delay_ms'),
      maxRate: get<number>('overload.max_rate'),
      maxApiInFlight: get<number>('overload.max_api_in_flight'),
      maxPendingPerConnection: get<number>('overload.max_pending_per_connection'),
    },
    tls: {
      certFile: resolvePath('tls.cert_file'),
      keyFile: resolvePath('tls.key_file'),
      clientCaFile: resolvePath('tls.client_ca_file'),
    },
    sbi: {
      tlsCertFile: resolvePath('sbi.tls_cert_file'),
      tlsKeyFile: resolvePath('sbi.tls_key_file'),
      tlsClientCaFile: resolvePath('sbi.tls_client_ca_file'),
      oauthKeyFile: resolvePath('sbi.oauth_key_file'),
      oauthIssuer: get<string | null>('sbi.oauth_issuer'),
      oauthAudiences: get<readonly string[]>('sbi.oauth_audiences'),
      nfInstanceId: get<string | null>('sbi.nf_instance_id'),
    },
    diameter: {
      originHost: get<string>('diameter.origin_host'),
      originRealm: get<string>('diameter.origin_realm'),
      allowedHosts: get<readonly string[]>('diameter.allowed_hosts'),
      allowedRealms: get<readonly string[]>('diameter.allowed_realms'),
      allowedAddresses: get<readonly string[]>('diameter.allowed_addresses'),
      watchdogSeconds: get<number>('diameter.watchdog_seconds'),
    },
    policy: {
      mode: get<'permissive' | 'restrictive'>('policy.mode'),
      unlisted: get<'allowed' | 'tracked' | 'blocked' | 'unknown' | null>('policy.unlisted'),
      malformed: get<'allowed' | 'tracked' | 'blocked' | 'unknown'>('policy.malformed'),
      pairingExemptsNot: get<readonly string[]>('policy.pairing_exempts_not'),
    },
    publicUrl: get<string | null>('public_url'),
    portal: { rateLimitPerMinute: get<number>('portal.rate_limit_per_minute') },
    cases: {
      verificationMinutes: get<number>('cases.verification_minutes'),
      appealDays: get<number>('cases.appeal_days'),
      suspendOverdueAppeals: get<boolean>('cases.suspend_overdue_appeals'),
    },
    retention: {
      sightingsDays: get<number>('retention.sightings_days'),
      closedCasesDays: get<number>('retention.closed_cases_days'),
      accessLogDays: get<number>('retention.access_log_days'),
    },
    privacy: {
      keyFile: resolvePath('privacy.key_file') ?? path.join(dataDir, 'privacy-key'),
      retiredKeyFiles: (get<string | null>('privacy.retired_key_files') ?? '')
        .split(',')
        .map((file) => file.trim())
        .filter((file) => file.length > 0)
        .map((file) => path.resolve(cwd, file)),
    },
    openData: { minCell: get<number>('open_data.min_cell') },
    staff: { sessionHours: get<number>('staff.session_hours') },
    sms: {
      smscUrl: get<string | null>('sms.smsc_url'),
      systemId: get<string>('sms.system_id'),
      password: get<string | null>('sms.password'),
      shortCode: get<string>('sms.short_code'),
      languages: get<readonly string[] | null>('sms.languages') ?? [],
      simulatorPort: get<number>('sms.simulator_port'),
    },
    analytics: {
      engine: get<'duckdb' | 'postgres'>('analytics.engine'),
      configFile:
        resolvePath('analytics.config_file') ??
        (existsSync(path.resolve(cwd, 'openceir-analytics.yaml'))
          ? path.resolve(cwd, 'openceir-analytics.yaml')
          : null),
    },
    configFile: file,
  };
}
