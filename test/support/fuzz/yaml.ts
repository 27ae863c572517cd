/**
 * Fuzzes the YAML configuration: the service configuration (loadConfig, src/config/load.ts), the
 * analytics configuration as the CLI reads it (readAnalyticsConfig with the real dimension
 * registry, src/analytics/config.ts) and peer trust policies (parsePolicyText,
 * src/exchange/peers/policy.ts), with random and mutated documents. Each either gives its value
 * or throws its own error (ConfigError, AnalyticsConfigError, PolicyError) with at least one
 * problem; a problem in a document that is valid YAML names the key at fault.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AnalyticsConfigError } from '../../../src/analytics/config.ts';
import { readAnalyticsConfig } from '../../../src/cli/commands/analytics.ts';
import { ConfigError, loadConfig } from '../../../src/config/load.ts';
import { SETTINGS } from '../../../src/config/settings.ts';
import { PolicyError, parsePolicyText } from '../../../src/exchange/peers/policy.ts';
import type { CaseResult, ParserFuzzer } from './parser-run.ts';
import type { Random } from './random.ts';
import { type Mutated, textCase } from './texts.ts';

const SERVICE = [
  `http_port: 8080
sbi_port: 8443
diameter_port: 3868
host: 127.0.0.1
data_dir: ./data
admin_api_key: change-me-to-a-long-secret
policy:
  mode: blocklist
  unlisted: allow
role: registry
check:
  record_all: true
overload:
  max_delay_ms: 50
  max_rate: 5000
diameter:
  origin_host: eir.example.org
  origin_realm: example.org
  allowed_hosts: [mme1.example.org, mme2.example.org]
  watchdog_seconds: 30
cases:
  verification_minutes: 15
  appeal_days: 30
open_data:
  min_cell: 10
sms:
  smsc_url: smpp://127.0.0.1:2775
  system_id: openceir
  languages: ['213=ar', '86=zh', '7=ru']
nats:
  url: nats://127.0.0.1:4222
log_level: info
`,
  'role: check-node\nfollow: http://127.0.0.1:8080\nnode_name: edge-1\n',
  'sbi:\n  tls_cert_file: cert.pem\n  tls_key_file: key.pem\n  oauth_audiences: [nnrf, neir]\n',
  '{}',
];
const ANALYTICS = [
  `region:
  name: Demo country
  country_codes: ['254']
  exempted_device_types: [Vehicle]
  operators:
    - id: Alpha
      name: Alpha Mobile
      mcc_mnc_pairs: [{mcc: '639', mnc: '02'}, {mcc: '639', mnc: '03'}]
    - id: beta
      mcc_mnc_pairs: [{mcc: '639', mnc: '07'}]
operator_threshold:
  null_imei_threshold: 0.02
conditions:
  - label: duplicate_mk1
    dimensions:
      - module: duplicate_threshold
        parameters: {threshold: 10, period_days: 120}
    grace_period_days: 60
    blocking: true
    sticky: true
    reason: Duplicate IMEI detected
  - label: local_stolen
    dimensions: [{module: stolen_list}, {module: duplicate_threshold, invert: true, parameters: {threshold: 2, period_days: 30}}]
    reason: Stolen
amnesty:
  amnesty_enabled: true
  evaluation_period_end_date: 2026-03-01
  amnesty_period_end_date: 2026-06-01
listgen:
  lookback_days: 90
  generate_check_digit: true
`,
  'conditions: []\n',
];
const POLICIES = [
  `apply:
  stolen: { action: block, reason: foreign-stolen }
  lost:
    action: track
    reason: foreign-lost
share:
  reasons: [stolen]
`,
  '{"apply": {"stolen": {"action": "block", "reason": "foreign-stolen"}}, "share": {"reasons": ["stolen", "lost"]}}',
];
/** What YAML readers trip on: indentation, flow collections, anchors and aliases, tags, merge keys, documents. */
const YAML_TOKENS = [
  ': ',
  '- ',
  '\n  ',
  '\n',
  '  ',
  '\t',
  '{',
  '}',
  '[',
  ']',
  ', ',
  '&a ',
  '*a',
  '<<: *a\n',
  '!!binary ',
  '!!str ',
  '!!int ',
  '!!float ',
  '!!map ',
  '!custom ',
  '? ',
  '|\n  ',
  '>-\n  ',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '# ',
  "'",
  '"',
  '~',
  'null',
  'true',
  '.nan',
  '.inf',
  '-.inf',
  '0x1F',
  '0o17',
  '1e309',
  '-0',
  '99999999999999999999',
  '__proto__: ',
  'constructor: ',
  'toString: ',
];

const SETTING_NAMES = SETTINGS.map((s) => s.key);
/** A problem of a parsed document names a setting (or says which key is unknown, or that the file is no mapping). */
const namesSetting = (problem: string) =>
  SETTING_NAMES.some((k) => problem.includes(k)) ||
  problem.includes('unknown setting "') ||
  problem.includes('must be a mapping');
/**
 * An analytics problem starts with the path of its key (`surprise: …`, `region.operators[0].id: …`),
 * whose first step is a key of the document or a section the file may have.
 */
function namesKey(problem: string, document: unknown): boolean {
  if (problem === 'the file must be a mapping of sections') return true;
  const keys = [
    ...(document !== null && typeof document === 'object' ? Object.keys(document) : []),
    'region',
    'operator_threshold',
    'conditions',
    'amnesty',
    'listgen',
  ];
  return keys.some((k) => problem.startsWith(k) && /^[:.[]/.test(problem.slice(k.length)));
}

/** The document, or undefined when the text is not YAML (then one problem says what is wrong with the text). */
function yamlOf(text: string): { document: unknown } | undefined {
  try {
    return { document: parseYaml(text) };
  } catch {
    return undefined;
  }
}

/** The text as a UTF-8 file holds it (a lone surrogate becomes U+FFFD), so the oracle reads what the parser reads. */
const written = (m: Mutated): Mutated => ({
  text: Buffer.from(m.text, 'utf8').toString('utf8'),
  recipe: m.recipe,
});

export function yamlFuzzer(): ParserFuzzer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-fuzz-yaml-'));

  function serviceCase(r: Random): CaseResult {
    const { text, recipe } = written(textCase(r, SERVICE, { tokens: YAML_TOKENS, max: 4_000 }));
    const file = path.join(dir, 'openceir.yaml');
    writeFileSync(file, text);
    try {
      loadConfig({ file, env: {}, cwd: dir });
      return { outcome: 'config accepted', violations: [], input: text, recipe };
    } catch (error) {
      if (!(error instanceof ConfigError))
        return {
          outcome: 'config threw',
          violations: [`loadConfig threw ${(error as Error)?.name}: ${(error as Error)?.message}`],
          input: text,
          recipe,
        };
      const yaml = yamlOf(text) !== undefined;
      const violations = error.problems.length === 0 ? ['a ConfigError without a problem'] : [];
      for (const p of error.problems)
        if (yaml && !namesSetting(p)) violations.push(`a problem naming no setting: ${p}`);
      return { outcome: yaml ? 'config refused' : 'config not YAML', violations, input: text, recipe };
    }
  }

  function analyticsCase(r: Random): CaseResult {
    const { text, recipe } = written(textCase(r, ANALYTICS, { tokens: YAML_TOKENS, max: 6_000 }));
    const file = path.join(dir, 'analytics.yaml');
    writeFileSync(file, text);
    try {
      readAnalyticsConfig(file);
      return { outcome: 'analytics accepted', violations: [], input: text, recipe };
    } catch (error) {
      if (!(error instanceof AnalyticsConfigError))
        return {
          outcome: 'analytics threw',
          violations: [`readAnalyticsConfig threw ${(error as Error)?.name}: ${(error as Error)?.message}`],
          input: text,
          recipe,
        };
      const yaml = yamlOf(text);
      const violations = error.problems.length === 0 ? ['an AnalyticsConfigError without a problem'] : [];
      for (const p of error.problems)
        if (yaml && !namesKey(p, yaml.document)) violations.push(`a problem naming no key: ${p}`);
      return { outcome: yaml ? 'analytics refused' : 'analytics not YAML', violations, input: text, recipe };
    }
  }

  function policyCase(r: Random): CaseResult {
    const { text, recipe } = textCase(r, POLICIES, { tokens: YAML_TOKENS, max: 2_000 });
    try {
      parsePolicyText(text);
      return { outcome: 'policy accepted', violations: [], input: text, recipe };
    } catch (error) {
      if (!(error instanceof PolicyError))
        return {
          outcome: 'policy threw',
          violations: [`parsePolicyText threw ${(error as Error)?.name}: ${(error as Error)?.message}`],
          input: text,
          recipe,
        };
      const violations = error.problems.length === 0 ? ['a PolicyError without a problem'] : [];
      // The field is the key at fault, the empty string included (`'': x` gives field '').
      for (const p of error.problems)
        if (typeof p.field !== 'string' || typeof p.message !== 'string' || p.message === '')
          violations.push(`a problem without a field or message: ${JSON.stringify(p)}`);
      return { outcome: 'policy refused', violations, input: text, recipe };
    }
  }

  return {
    area: 'yaml',
    stream: 13,
    run: (r) =>
      r.weighted<(r: Random) => CaseResult>([
        [1, serviceCase],
        [1, analyticsCase],
        [1, policyCase],
      ])(r),
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
