/**
 * The permission table: who may call each HTTP route, and why, in one place. Routes enforce their own
 * `config.access` (access.ts); `test/web/permissions.test.ts` reads every route from the built app and
 * fails when a route has no row here, when a row's access differs from the route's declaration, or
 * when a row names a route that no longer exists. `scripts/permissions-doc.ts` prints the table for
 * docs/security.md, together with the CLI and the protocol ports described below.
 *
 * HEAD follows the GET of the same path (Fastify answers HEAD for every GET route).
 */
import type { Role } from '../accounts/model.ts';
import type { Access } from './access.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Who calls, in the words of the issue: people and systems, not only staff roles. */
export type Caller =
  | 'public'
  | 'owner'
  | 'police'
  | 'operator'
  | 'regulator'
  | 'auditor'
  | 'check node'
  | 'peer registry'
  | 'network function';

/**
 * What a public route's handler checks itself: `case` — the case reference and the one-time code sent
 * to the owner's phone; `feed-key` — the feed key this registry issued a peer. Without it the handler
 * refuses (the feed with 401; a case page shows no personal data).
 */
export type HandlerProof = 'case' | 'feed-key';

export interface RoutePermission {
  readonly method: HttpMethod;
  /** The path as registered, with `:param` placeholders. */
  readonly url: string;
  /** Exactly the route's `config.access`. */
  readonly access: Access;
  readonly proof?: HandlerProof;
  readonly why: string;
  /** Who calls it, when more precise than the access says (a network function holds an operator or regulator key). */
  readonly who?: readonly Caller[];
}

const STAFF = ['police', 'operator', 'regulator', 'auditor'] as const satisfies readonly Role[];
const CASE_STAFF = ['police', 'operator', 'regulator'] as const satisfies readonly Role[];
const POLICE = ['police', 'regulator'] as const satisfies readonly Role[];
const CARE = ['operator', 'regulator'] as const satisfies readonly Role[];
const REGULATOR = ['regulator'] as const satisfies readonly Role[];
const OVERSIGHT = ['regulator', 'auditor'] as const satisfies readonly Role[];
/** REST checks read the check index only: operators' systems check with their own key. */
const CHECKS = ['operator', 'regulator'] as const satisfies readonly Role[];
const CHECK_READS = ['operator', 'regulator', 'auditor'] as const satisfies readonly Role[];
/**
 * The whole ledger names every operator's subscribers, staff and cases: check nodes (and a registry's
 * own instances) follow it with a follower key that can write nothing. A peer registry reads only its
 * feed (`/exchange/v1/feed`: what its trust policy shares), never the ledger.
 */
const LEDGER_FOLLOWERS = ['follower', 'regulator', 'auditor'] as const satisfies readonly Role[];
/** Check nodes send their sightings; an operator's EIR sends its own (stored as its network's). */
const SIGHTING_SOURCES = ['follower', 'operator', 'regulator'] as const satisfies readonly Role[];
/** A peer key matches keyed tokens (no identifiers cross); its shared entries come by the feed key. */
const PEER = ['peer', 'regulator'] as const satisfies readonly Role[];

type Row = [HttpMethod, string, string, (readonly Caller[])?];

function rows(access: Access, list: Row[], proof?: HandlerProof): RoutePermission[] {
  return list.map(([method, url, why, who]) => ({
    method,
    url,
    access,
    why,
    ...(proof ? { proof } : {}),
    ...(who ? { who } : {}),
  }));
}

/** How machine roles read in the table: the systems that hold them. */
const MACHINE_CALLER: Partial<Record<Role, Caller>> = { follower: 'check node', peer: 'peer registry' };

export const ROUTE_PERMISSIONS: readonly RoutePermission[] = [
  ...rows('public', [
    ['GET', '/docs', 'API documentation UI: describes the API, holds no data'],
    ['GET', '/docs/static/index.html', 'API documentation UI'],
    ['GET', '/docs/static/swagger-initializer.js', 'API documentation UI'],
    ['GET', '/docs/static/*', 'API documentation UI assets'],
    ['GET', '/docs/json', 'the OpenAPI document, as the UI loads it'],
    ['GET', '/docs/yaml', 'the OpenAPI document in YAML'],
    ['GET', '/openapi.json', 'the OpenAPI document: what the API offers is no secret'],
    ['GET', '/metrics', 'Prometheus scrape: counters only, no identifiers; restrict by network'],
    ['GET', '/healthz', 'liveness for orchestrators'],
    ['GET', '/readyz', 'readiness for orchestrators and load balancers'],
    ['GET', '/assets/portal.css', 'portal stylesheet'],
    ['GET', '/', 'public portal home'],
    ['GET', '/check', 'anyone checks a device before buying it (status only, no owner data)'],
    ['GET', '/check/certificate', 'a signed check certificate for a buyer'],
    ['GET', '/certificates/verify', 'anyone verifies a check certificate'],
    ['POST', '/certificates/verify', 'anyone verifies a check certificate'],
    ['GET', '/certificates/key', 'the public key certificates are signed with'],
    ['GET', '/report', 'the theft and loss report form'],
    ['POST', '/report', 'anyone reports a theft or loss; the case waits for the phone’s one-time code'],
    ['GET', '/open-data', 'published statistics page: aggregated, small cells suppressed'],
    ['GET', '/api/v1/open-data/statistics', 'published statistics: aggregated, small cells suppressed'],
    ['GET', '/api/v1/open-data/statistics.schema.json', 'the JSON Schema of the published statistics'],
    ['GET', '/api/v1/identifiers', 'the identifier catalogue: documentation, no data'],
    ['GET', '/api/v1/identify', 'validates and classifies a typed identifier; reads no register'],
    ['GET', '/api/v1/reasons', 'reason codes: a reference table'],
    ['GET', '/api/v1/tacs/:tac', 'the TAC database: device models, public GSMA/Osmocom data'],
    ['GET', '/ledger/v1/head', 'signed tree heads hold hashes only: anyone may audit the ledger'],
    ['GET', '/ledger/v1/heads', 'signed tree heads: hashes only'],
    ['GET', '/ledger/v1/proofs/inclusion', 'Merkle proofs: hashes only'],
    ['GET', '/ledger/v1/proofs/consistency', 'Merkle proofs: hashes only'],
    ['GET', '/ledger/v1/public-key', 'the key followers pin to verify heads'],
    ['GET', '/console', 'redirects to the console login'],
    ['GET', '/console/login', 'the staff login form'],
    ['POST', '/console/login', 'staff log in (password, TOTP; throttled)'],
    ['GET', '/demo/phone', 'demo only (built-in SMSC simulator): the demo handset’s inbox'],
    ['POST', '/demo/phone', 'demo only (built-in SMSC simulator): an SMS from the demo handset'],
  ]),
  ...rows(
    'public',
    [
      ['GET', '/cases', 'the owner’s case lookup form'],
      ['GET', '/cases/:reference', 'the owner’s case page; details only after the one-time code'],
      ['POST', '/cases/:reference/verify', 'the owner confirms a report with the code sent to the phone'],
      ['POST', '/cases/:reference/code', 'the owner asks for a new one-time code (throttled)'],
      ['POST', '/cases/:reference/act', 'the owner recovers or closes the case with a one-time code'],
      ['GET', '/appeal', 'the appeal form for a blocked device'],
      ['POST', '/appeal', 'the holder of a blocked device appeals with its case reference and code'],
    ],
    'case',
  ),
  ...rows(
    'public',
    [['GET', '/exchange/v1/feed', 'a peer registry reads its shared entries with the feed key we issued it']],
    'feed-key',
  ),
  ...rows(STAFF, [
    ['GET', '/console/', 'every staff member’s console home, showing what the role may use'],
    ['POST', '/console/logout', 'every staff member logs out'],
  ]),
  ...rows(OVERSIGHT, [
    ['GET', '/console/access-log', 'who read personal data: the regulator and the auditor oversee staff'],
    ['GET', '/console/policy', 'the check policy in force, read-only'],
    ['GET', '/console/statistics', 'registry statistics: the regulator, and the auditor reads them'],
    ['GET', '/console/statistics/:chart.csv', 'registry statistics as CSV: the regulator and the auditor'],
    [
      'POST',
      '/api/v1/ledger/verify',
      'recomputes the tree and checks every head; changes nothing, so the auditor too',
    ],
  ]),
  ...rows(REGULATOR, [
    ['GET', '/console/users', 'the regulator administers staff accounts'],
    ['POST', '/console/users', 'the regulator creates staff accounts'],
    ['POST', '/console/users/:username/disable', 'the regulator disables staff accounts'],
    ['POST', '/console/api-keys', 'the regulator issues organisations’ API keys'],
    ['POST', '/console/api-keys/:id/revoke', 'the regulator revokes API keys'],
    ['GET', '/console/appeals', 'the regulator decides appeals'],
    ['GET', '/console/appeals/:reference', 'the regulator decides appeals'],
    ['POST', '/console/appeals/:reference/decision', 'the regulator decides appeals'],
    ['GET', '/api/v1/appeals', 'the regulator’s systems list appeals'],
    ['POST', '/api/v1/appeals/:reference/decision', 'the regulator decides appeals'],
  ]),
  ...rows(PEER, [
    [
      'POST',
      '/exchange/v1/match',
      'a peer registry matches keyed tokens with a peer key (bound to its organisation by the match key)',
      ['peer registry', 'regulator'],
    ],
  ]),
  ...rows(CHECK_READS, [
    [
      'GET',
      '/api/v1/devices/:id/status',
      'REST check: reads the check index only; network functions and core systems with an operator key',
      ['network function', 'operator', 'regulator', 'auditor'],
    ],
  ]),
  ...rows(CHECKS, [
    [
      'POST',
      '/api/v1/check/bulk',
      'bulk checks: read the check index only; operators’ and the regulator’s systems',
      ['network function', 'operator', 'regulator'],
    ],
  ]),
  ...rows(SIGHTING_SOURCES, [
    [
      'POST',
      '/api/v1/sightings',
      'check nodes and operators’ EIRs send sightings; an operator’s are stored with its network',
      ['check node', 'operator', 'regulator'],
    ],
  ]),
  ...rows(LEDGER_FOLLOWERS, [
    [
      'GET',
      '/ledger/v1/entries',
      'entries name devices, subscribers, staff and cases: check nodes with a follower key; a peer reads its feed',
    ],
    ['GET', '/ledger/v1/snapshot', 'the lists as a snapshot, for check nodes with a follower key; not peers'],
  ]),
  ...rows(CASE_STAFF, [
    ['GET', '/console/cases', 'police, operator care and the regulator work cases (scoped by organisation)'],
    ['POST', '/console/cases', 'staff open a case for an owner at the counter'],
    ['GET', '/console/cases/:reference', 'a case, within the organisation’s scope'],
    ['POST', '/console/cases/:reference/actions', 'staff act on a case within their scope'],
    ['POST', '/api/v1/cases', 'police, operator and regulator systems open cases'],
    ['GET', '/api/v1/cases', 'cases within the organisation’s scope'],
    ['GET', '/api/v1/cases/:reference', 'a case within the organisation’s scope'],
    ['POST', '/api/v1/cases/:reference/actions', 'act on a case within the organisation’s scope'],
  ]),
  ...rows(POLICE, [
    ['POST', '/console/cases/import', 'police units import theft reports in bulk'],
    ['POST', '/console/cases/recoveries', 'police units record recovered devices in bulk'],
    ['GET', '/console/alerts', 'a police unit’s sighting alerts (its regions)'],
    ['POST', '/console/alerts/:id', 'a police unit handles its alerts'],
    ['POST', '/api/v1/cases/import', 'police systems import theft reports in bulk'],
    ['POST', '/api/v1/cases/recoveries', 'police systems record recoveries in bulk'],
    ['GET', '/api/v1/alerts', 'a police unit’s sighting alerts'],
    ['POST', '/api/v1/alerts/:id', 'a police unit handles its alerts'],
  ]),
  ...rows(CARE, [
    ['GET', '/console/care', 'operator customer care looks up a subscriber’s device'],
    ['POST', '/console/care/pairings', 'operator care pairs a device with its subscriber'],
    ['POST', '/console/care/report', 'operator care reports a theft for a subscriber'],
    [
      'GET',
      '/api/v1/exchange/changes',
      'an operator’s system pulls its list changes (API key); the regulator any',
    ],
    ['POST', '/api/v1/exchange/ack', 'an operator’s system acknowledges applied changes'],
  ]),
  ...rows('admin', [
    ['POST', '/api/v1/devices/:id/block', 'list changes: the regulator’s systems (admin or regulator key)'],
    ['POST', '/api/v1/devices/:id/unblock', 'list changes: the regulator'],
    ['POST', '/api/v1/devices/:id/track', 'list changes: the regulator'],
    ['POST', '/api/v1/devices/:id/untrack', 'list changes: the regulator'],
    ['POST', '/api/v1/devices/:id/allow', 'list changes: the regulator'],
    ['POST', '/api/v1/devices/:id/disallow', 'list changes: the regulator'],
    ['POST', '/api/v1/devices/:id/pair', 'IMEI–IMSI exceptions: the regulator'],
    ['POST', '/api/v1/devices/:id/unpair', 'IMEI–IMSI exceptions: the regulator'],
    ['GET', '/api/v1/devices/:id', 'a device’s status and history (IMSIs): regulator; auditor reads'],
    [
      'GET',
      '/api/v1/devices/:id/sightings',
      'where a device was seen (personal data): regulator; auditor reads',
    ],
    ['GET', '/api/v1/rules', 'TAC, range and IMSI rules: regulator; auditor reads'],
    ['POST', '/api/v1/rules', 'rule changes: the regulator'],
    ['DELETE', '/api/v1/rules/:ruleKey', 'rule changes: the regulator'],
    ['POST', '/api/v1/lists/:type/import', 'bulk list import: the regulator'],
    ['GET', '/api/v1/lists/:list/export', 'list export (identifiers): regulator; auditor reads'],
    ['POST', '/api/v1/tacs/import', 'TAC database import: the regulator'],
    ['GET', '/api/v1/exchange/match-keys', 'peers’ match keys (no secrets): regulator; auditor reads'],
    ['PUT', '/api/v1/exchange/match-keys/:peerId', 'agreeing a match key with a peer: the regulator'],
    ['DELETE', '/api/v1/exchange/match-keys/:peerId', 'withdrawing a match key: the regulator'],
    ['POST', '/api/v1/exchange/matches', 'matching our devices against a peer: the regulator'],
    ['GET', '/api/v1/exchange/peers', 'peer registries and their trust policy: regulator; auditor reads'],
    ['POST', '/api/v1/exchange/peers', 'adding a peer registry: the regulator'],
    ['GET', '/api/v1/exchange/peers/:id', 'a peer registry’s sync state: regulator; auditor reads'],
    ['DELETE', '/api/v1/exchange/peers/:id', 'removing a peer registry: the regulator'],
    ['POST', '/api/v1/exchange/peers/:id/pause', 'pausing a peer: the regulator'],
    ['POST', '/api/v1/exchange/peers/:id/resume', 'resuming a peer: the regulator'],
    ['POST', '/api/v1/exchange/peers/:id/feed-key', 'issuing a peer’s feed key: the regulator'],
    ['GET', '/api/v1/exchange/operators', 'delivery status per operator: regulator; auditor reads'],
    ['PUT', '/api/v1/exchange/operators/:operator/webhook', 'an operator’s webhook: the regulator'],
    ['DELETE', '/api/v1/exchange/operators/:operator/webhook', 'an operator’s webhook: the regulator'],
    ['PUT', '/api/v1/exchange/operators/:operator/eir', 'an operator EIR’s address: the regulator'],
    ['DELETE', '/api/v1/exchange/operators/:operator/eir', 'an operator EIR’s address: the regulator'],
    ['POST', '/api/v1/exchange/audit', 'auditing an operator EIR against the lists: the regulator'],
  ]),
];

/** Who may call a route, as the table and docs/security.md say it. */
export function callers(row: RoutePermission): readonly Caller[] {
  if (row.who) return row.who;
  if (row.access === 'public') {
    if (row.proof === 'case') return ['owner'];
    if (row.proof === 'feed-key') return ['peer registry'];
    return ['public'];
  }
  if (row.access === 'admin') return row.method === 'GET' ? ['regulator', 'auditor'] : ['regulator'];
  return row.access.map((role) => MACHINE_CALLER[role] ?? (role as Caller));
}

export function describeAccess(access: Access): string {
  if (access === 'public') return 'public';
  if (access === 'admin') return 'admin';
  return access.join(', ');
}

/** A way in that is not an HTTP route: a CLI command group or a protocol port. */
export interface Entrance {
  readonly name: string;
  readonly who: string;
  readonly proof: string;
}

/**
 * The `openceir` command. Run on the registry's machine it opens the data directory (or the database
 * URL) itself, so it serves whoever the machine lets read them; with `--server` it calls the API and
 * the routes above decide, with the key given (`--api-key`, `$OPENCEIR_ADMIN_API_KEY`, then
 * `<data_dir>/admin-api-key`).
 */
export const CLI_ACCESS: readonly Entrance[] = [
  {
    name: 'openceir identify, openceir config',
    who: 'anyone with the program',
    proof: 'none: parses identifiers, prints settings; reads no register',
  },
  {
    name: 'openceir start',
    who: 'the operator of the machine',
    proof: 'the data directory and the settings file (file permissions), the database URL’s credentials',
  },
  {
    name: 'openceir device, rules, lists, tac, ledger, report, audit, analytics, exchange, peer',
    who: 'the operator of the machine; remotely the regulator (auditor: reads)',
    proof: 'the data directory, or `--server` with the admin key or an API key (the route table decides)',
  },
  {
    name: 'openceir org, user, apikey',
    who: 'the operator of the machine',
    proof: 'the data directory: staff accounts and API keys are created where the database is',
  },
  {
    name: 'openceir privacy',
    who: 'the operator of the machine (a running registry also prunes daily by itself)',
    proof: 'the data directory or the database URL’s credentials; each export is written to the access log',
  },
];

/** The protocol ports besides HTTP, and what each admits. */
export const PORT_ACCESS: readonly Entrance[] = [
  {
    name: 'HTTP (`http_port`): REST API, portal, consoles, `/ledger/v1`, `/exchange/v1`',
    who: 'per route, as in the table',
    proof: 'admin key, an organisation’s API key (`ok_…`), a console session, or a handler’s own proof',
  },
  {
    name: 'Follower protocol `/ledger/v1` (on the HTTP port)',
    who: 'public: heads, proofs, public key; check nodes: entries, snapshot (peer registries read `/exchange/v1/feed`)',
    proof:
      'none for hashes; for entries and snapshots a follower API key (or regulator, auditor, admin key); a peer key is refused',
  },
  {
    name: 'N5g-eir (`sbi_port`, TS 29.511)',
    who: 'network function (AMF)',
    proof:
      'OAuth2 (TS 33.501 §13.4.1) when `sbi.oauth_key_file` is set: a bearer token with scope `n5g-eir-eic`, ' +
      'the configured issuer and audience; without it, whoever reaches the port (keep it on the SBI network)',
  },
  {
    name: 'S13 Diameter (`diameter_port`)',
    who: 'network function (MME, SGSN)',
    proof:
      'peer allow-list at CER: `diameter.allowed_hosts`, `diameter.allowed_realms`, ' +
      '`diameter.allowed_addresses` (default loopback only); others get 3010 UNKNOWN_PEER',
  },
  {
    name: 'SMPP (the operator’s SMSC, `sms.smsc_url`)',
    who: 'owners and buyers, by SMS to the short code',
    proof:
      'OpenCEIR binds as an ESME with `sms.system_id` / `sms.password`; it opens no port. A sender’s number ' +
      'and the one-time codes sent to it prove ownership of a case',
  },
];

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The "Access control" tables of docs/security.md, generated here so the doc cannot drift. */
export function permissionsMarkdown(): string {
  const routes = [...ROUTE_PERMISSIONS]
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))
    .map(
      (row) =>
        `| ${row.method} | \`${cell(row.url)}\` | ${describeAccess(row.access)} | ${callers(row).join(', ')} | ${cell(row.why)} |`,
    );
  const entrances = (list: readonly Entrance[]) =>
    list.map((entry) => `| ${cell(entry.name)} | ${cell(entry.who)} | ${cell(entry.proof)} |`);
  return [
    '### HTTP routes',
    '',
    '`access` is the route’s `config.access`: `admin` is the regulator (admin key, regulator API key or',
    'session), and on GET also the auditor; a list names the roles. HEAD follows GET. `follower` and',
    '`peer` are API-key-only roles for machines: a check node and a peer registry (least privilege).',
    '',
    '| method | path | access | who | why |',
    '| ------ | ---- | ------ | --- | --- |',
    ...routes,
    '',
    '### CLI',
    '',
    '| command | who | proof |',
    '| ------- | --- | ----- |',
    ...entrances(CLI_ACCESS),
    '',
    '### Protocol ports',
    '',
    '| port | who | proof |',
    '| ---- | --- | ----- |',
    ...entrances(PORT_ACCESS),
    '',
  ].join('\n');
}
