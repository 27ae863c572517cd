/**
 * The composition root (ARCHITECTURE.md §5): wires the parts for a role and starts its listeners.
 *
 * - all-in-one: registry (database, ledger, admin API) and real-time checks (N5g-eir, S13, REST) in one
 *   process; the check index follows the ledger in memory.
 * - registry: the same without the N5g-eir and S13 ports.
 * - check-node: no database; the check index comes from the registry (a snapshot, then the ledger over
 *   HTTP, every entry verified against a signed tree head) and from its own snapshot file on restart;
 *   sightings wait on disk until the registry takes them. It answers from its last index when the
 *   registry is unreachable (fail-static).
 *
 * Closing runs in the reverse order of opening, so no request meets a closed database.
 */
import { createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { Accounts, type DemoAccounts, seedDemoAccounts } from './accounts/index.ts';
import { type DemoCases, seedDemoCases } from './cases/demo.ts';
import { CaseDesk } from './cases/index.ts';
import { buildIndex } from './check/build.ts';
import { IndexFollower } from './check/follow.ts';
import { OverloadGuard } from './check/overload.ts';
import { type Policy, policyFrom } from './check/policy.ts';
import { CheckService } from './check/service.ts';
import { SightingRecorder } from './check/sightings.ts';
import { deserializeIndex, readSnapshot, writeSnapshot } from './check/snapshot.ts';
import { storeSightings } from './check/store.ts';
import type { Config } from './config/load.ts';
import { startOperatorSync } from './exchange/operators/index.ts';
import { PeerFollower } from './exchange/peers/follow.ts';
import type { PushSubscriber } from './exchange/push/subscriber.ts';
import { registerInsightMetrics } from './insight/metrics.ts';
import { Ledger, refuseNewSigningKey } from './ledger/ledger.ts';
import { foldNodes, verifyConsistency } from './ledger/merkle.ts';
import { RemoteLedger } from './ledger/remote.ts';
import { HeadSigner, keyIdOf, loadOrCreateSigningKey } from './ledger/signing.ts';
import { openSealer } from './privacy/keyring.ts';
import { reseal } from './privacy/reseal.ts';
import { startDailyPrune } from './privacy/schedule.ts';
import { DiameterServer } from './protocols/diameter/server.ts';
import { TokenValidator } from './protocols/sbi/oauth.ts';
import { SbiServer } from './protocols/sbi/server.ts';
import { SmsChannel, SmscSimulator } from './protocols/sms/index.ts';
import { registryActions } from './protocols/sms/registry-actions.ts';
import { type DemoSummary, demoExamples, seedDemo } from './registry/demo.ts';
import { RegistryOperations } from './registry/operations.ts';
import { ensureInstallation, type InstallationInfo, openStore, type Store } from './store/index.ts';
import { VERSION } from './version.ts';
import { buildApp, buildCheckNodeApp } from './web/app.ts';

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
): Promise<{ ledger: Ledger; policy: Policy }> {
  if (!existsSync(config.ledgerKeyFile)) await refuseNewSigningKey(store.db, config.ledgerKeyFile);
  const ledger = new Ledger(store, new HeadSigner(loadOrCreateSigningKey(config.ledgerKeyFile)));
  await ledger.init();
  return { ledger, policy: policyFrom(config.policy) };
}

export interface RunningSystem {
  readonly role: Config['role'];
  /** Base URL of the HTTP listener, with the port actually bound. */
  readonly httpUrl: string;
  readonly sbiUrl: string | null;
  readonly diameter: { readonly host: string; readonly port: number } | null;
  readonly store: Store | null;
  readonly ledger: Ledger | null;
  readonly checks: CheckService;
  readonly follower: IndexFollower | null;
  readonly installation: InstallationInfo | null;
  /** Where the admin API key is kept, when it was not configured. */
  readonly adminApiKeyFile: string | null;
  /** What the demo seeding loaded on this start (null when it did not run). */
  readonly demo: DemoSummary | null;
  /** The SMS channel's SMSC (the built-in simulator in the demo), or null without SMS. */
  readonly sms: { readonly smscUrl: string; readonly simulator: SmscSimulator | null } | null;
  /** Cases, alerts and appeals (registry roles). */
  readonly desk: CaseDesk | null;
  /** Demo staff accounts and cases created on this start. */
  readonly demoPeople: { readonly accounts: DemoAccounts; readonly cases: DemoCases | null } | null;
  /** Devices worth looking at (demo data), for the start banner. */
  readonly examples: readonly { label: string; imei: string }[];
  close(): Promise<void>;
}

const urlOf = (scheme: string, host: string, port: number) => {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `${scheme}://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
};

/**
 * The PEM files of a TLS listener, read and checked at start so that a wrong file is named by its
 * setting (`cert`, `key`, `ca`: the setting names), not found later in the first handshake.
 */
function readTls(
  files: { cert: string; key: string; ca: string | null },
  names: { cert: string; key: string; ca: string },
): { cert: Buffer; key: Buffer; clientCa: Buffer | null } {
  const read = (name: string, file: string, check: (pem: Buffer) => unknown, what: string) => {
    let pem: Buffer;
    try {
      pem = readFileSync(file);
    } catch (error) {
      throw new Error(`${name}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
    try {
      check(pem);
    } catch {
      throw new Error(`${name}: ${file} must hold ${what} in PEM`);
    }
    return pem;
  };
  return {
    cert: read(names.cert, files.cert, (pem) => new X509Certificate(pem), 'a certificate'),
    key: read(names.key, files.key, (pem) => createPrivateKey(pem), 'a private key'),
    clientCa: files.ca
      ? read(names.ca, files.ca, (pem) => new X509Certificate(pem), 'one or more CA certificates')
      : null,
  };
}

/** HTTPS for the HTTP listener, from the `tls.*` settings; null: plain HTTP. */
function httpTls(config: Config) {
  const { certFile, keyFile, clientCaFile } = config.tls;
  if (!certFile || !keyFile) return null;
  return readTls(
    { cert: certFile, key: keyFile, ca: clientCaFile },
    { cert: 'tls.cert_file', key: 'tls.key_file', ca: 'tls.client_ca_file' },
  );
}

/** The N5g-eir and S13 front ends over a check service. */
async function startProtocols(config: Config, checks: CheckService, closers: (() => Promise<void>)[]) {
  const oauth = config.sbi.oauthKeyFile
    ? new TokenValidator({
        keyFile: config.sbi.oauthKeyFile,
        issuer: config.sbi.oauthIssuer,
        audiences: config.sbi.oauthAudiences,
      })
    : null;
  const tls =
    config.sbi.tlsCertFile && config.sbi.tlsKeyFile
      ? readTls(
          { cert: config.sbi.tlsCertFile, key: config.sbi.tlsKeyFile, ca: config.sbi.tlsClientCaFile },
          { cert: 'sbi.tls_cert_file', key: 'sbi.tls_key_file', ca: 'sbi.tls_client_ca_file' },
        )
      : null;
  const sbi = new SbiServer(checks, {
    host: config.host,
    port: config.sbiPort,
    tls,
    oauth,
    nfInstanceId: config.sbi.nfInstanceId,
  });
  const sbiUrl = await sbi.listen();
  closers.push(() => sbi.close());
  const diameter = new DiameterServer(checks, {
    host: config.host,
    port: config.diameterPort,
    originHost: config.diameter.originHost,
    originRealm: config.diameter.originRealm,
    allowedHosts: config.diameter.allowedHosts,
    allowedRealms: config.diameter.allowedRealms,
    allowedAddresses: config.diameter.allowedAddresses,
    watchdogMs: config.diameter.watchdogSeconds * 1000,
    maxPending: config.overload.maxPendingPerConnection,
    firmwareRevision: Number(VERSION.split('.').join('').slice(0, 6)) || 1,
  });
  const address = await diameter.listen();
  closers.push(() => diameter.close());
  return { sbiUrl, diameter: address };
}

function indexMetrics(metrics: Registry, checks: CheckService, follower: () => IndexFollower | null): void {
  new Gauge({
    name: 'openceir_check_index_position',
    help: 'Ledger entries the check index reflects',
    registers: [metrics],
    collect() {
      this.set(checks.index.position);
    },
  });
  new Gauge({
    name: 'openceir_check_index_lag_entries',
    help: 'Ledger entries the registry has and the check index has not applied yet',
    registers: [metrics],
    collect() {
      const f = follower();
      this.set(f ? Math.max(0, f.status.registrySize - f.status.position) : 0);
    },
  });
  new Gauge({
    name: 'openceir_check_index_stale',
    help: '1 while the check index cannot reach or believe its registry and answers from what it has (fail-static)',
    registers: [metrics],
    collect() {
      this.set(follower()?.status.problem ? 1 : 0);
    },
  });
  new Gauge({
    name: 'openceir_check_index_devices',
    help: 'Devices in the compact part of the check index',
    registers: [metrics],
    collect() {
      this.set(checks.index.stats().devices);
    },
  });
}

/**
 * The SMS channel: bound to the configured SMSC, or, for the demo, to a built-in SMSC simulator
 * (so the quick start shows codes and KYM answers without an operator). None otherwise.
 */
async function startSms(
  config: Config,
  logger: Logger,
  metrics: Registry,
  desk: CaseDesk,
  checks: () => CheckService,
  store: Store,
  closers: (() => Promise<void>)[],
): Promise<{ simulator: SmscSimulator | null; smscUrl: string } | null> {
  let smscUrl = config.sms.smscUrl;
  let simulator: SmscSimulator | null = null;
  const password = config.sms.password ?? '';
  if (!smscUrl && config.demo) {
    simulator = await SmscSimulator.start({
      port: config.sms.simulatorPort,
      host: '127.0.0.1',
      systemId: config.sms.systemId,
      password,
    });
    const running = simulator;
    closers.push(() => running.close());
    smscUrl = simulator.url;
  }
  if (!smscUrl) return null;
  const channel = new SmsChannel({
    smscUrl,
    systemId: config.sms.systemId,
    password,
    shortCode: config.sms.shortCode,
    languages: config.sms.languages,
    actions: registryActions({
      get checks() {
        return checks();
      },
      db: store.db,
      desk,
    }),
    outbox: desk.outbox,
    metrics,
    onError: (error, context) => logger.warn({ err: error, context }, 'SMS channel'),
    onStateChange: (state, detail) => logger.info({ state, detail }, 'SMS channel'),
  }).start();
  const unsubscribe = desk.outbox.onQueued(() => channel.wake());
  closers.push(async () => {
    unsubscribe();
    await channel.close();
  });
  return { simulator, smscUrl };
}

async function startRegistry(config: Config, logger: Logger): Promise<RunningSystem> {
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
    // Personal data outside the ledger is sealed at rest under the privacy key (src/privacy/seal.ts).
    const sealer = await openSealer(store.db, config.privacy);
    const demo = config.demo ? await seedDemo(ledger) : null;
    if (demo) logger.info(demo, 'demo data loaded');
    const admin = resolveAdminApiKey(config);
    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics, prefix: 'openceir_' });

    const { index } = await buildIndex(store.db);
    logger.info(index.stats(), 'check index built');
    // The public URL is known once the HTTP port is bound (it may be 0, "any free port").
    let publicUrl = config.publicUrl ?? urlOf('http', config.host, config.httpPort);
    const desk = new CaseDesk(ledger, {
      verificationMinutes: config.cases.verificationMinutes,
      appealDays: config.cases.appealDays,
      suspendOverdueAppeals: config.cases.suspendOverdueAppeals,
      publicUrl: () => publicUrl,
      sealer,
      onError: (error, job) => logger.warn({ err: error, job }, 'cases job failed; retrying'),
    }).start();
    closers.push(() => desk.stop());
    const recorder = new SightingRecorder({
      dir: path.join(config.dataDir, 'sightings'),
      node: config.nodeName,
      recordAll: config.check.recordAll,
      ship: async (batch) => {
        await storeSightings(store.db, sealer, batch);
        desk.raiser.wake();
      },
      onError: (error) => logger.warn({ err: error }, 'sightings not stored yet'),
    });
    recorder.start();
    closers.push(() => recorder.close());
    // Retention (docs/security.md, Privacy): the registry prunes personal data past its period once a day.
    const dailyPrune = startDailyPrune(store.db, config.retention, {
      onDone: (report) => logger.info(report, 'privacy prune'),
      onError: (error) => logger.warn({ err: error }, 'privacy prune failed; next run in a day'),
    });
    closers.push(() => dailyPrune.stop());
    // Values written in clear before sealing, or under a retired key, are sealed under the current key once
    // after each start, in the background (src/privacy/reseal.ts).
    let stopping = false;
    const resealing = reseal(store.db, sealer, { stopped: () => stopping })
      .then((report) => {
        if (report.tables.some((t) => t.rows > 0 || t.unreadable > 0)) logger.info(report, 'privacy reseal');
      })
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'privacy reseal failed; it runs again on the next start'),
      );
    closers.push(async () => {
      stopping = true;
      await resealing;
    });
    const overload = new OverloadGuard({
      maxDelayMs: config.overload.maxDelayMs,
      maxRate: config.overload.maxRate,
    }).start();
    closers.push(async () => overload.stop());
    const checks = new CheckService({ policy, index, recorder, overload, metrics });
    const sms = await startSms(config, logger, metrics, desk, () => checks, store, closers);
    const accounts = new Accounts(store, { sessionHours: config.staff.sessionHours });
    const demoPeople = config.demo
      ? { accounts: await seedDemoAccounts(store, accounts), cases: await seedDemoCases(desk, store) }
      : null;
    if (demoPeople?.cases) logger.info({ cases: demoPeople.cases.cases.length }, 'demo cases loaded');
    // The index follows the ledger: woken by every append in this process, and polling for other processes'.
    const follower = new IndexFollower(checks, ledger, {
      intervalMs: 1_000,
      onProblem: (problem) => logger.warn({ problem }, 'check index follower'),
    });
    const unsubscribe = ledger.subscribe(() => follower.wake());
    follower.start();
    closers.push(async () => {
      unsubscribe();
      follower.stop();
    });
    indexMetrics(metrics, checks, () => follower);
    closers.push(startOperatorSync(ledger, config, logger));
    registerInsightMetrics(metrics, store.db, {
      onError: (error, source) => logger.warn({ err: error, source }, 'metrics'),
    });
    if (config.nats.url) {
      // Optional push of each commit to check nodes; never on a commit's path (docs/follower-protocol.md).
      // Loaded only when configured: the NATS client stays out of every other start.
      const { LedgerPublisher } = await import('./exchange/push/publisher.ts');
      const publisher = new LedgerPublisher(ledger, {
        url: config.nats.url,
        onProblem: (problem) => logger.warn({ problem }, 'ledger push'),
      });
      await publisher.start();
      closers.push(() => publisher.close());
      logger.info({ nats: config.nats.url, subject: publisher.subject }, 'ledger push over NATS');
    }

    // Peer registries' ledgers, verified and applied by their trust policies (docs/exchange-peers.md).
    const peers = new PeerFollower(ledger, {
      onProblem: (peer, problem, stopped) =>
        logger[stopped ? 'error' : 'warn']({ peer, problem }, 'peer registry'),
    });
    peers.start();
    closers.push(() => peers.stop());

    const registry = new RegistryOperations(ledger, policy, 'admin-api');
    const app = await buildApp({
      store,
      config,
      desk,
      accounts,
      smsSimulator: sms?.simulator ?? null,
      get publicUrl() {
        return publicUrl;
      },
      logger,
      metrics,
      version: VERSION,
      installation,
      ledger,
      policy,
      registry,
      checks,
      sealer,
      adminApiKey: admin.key,
      tls: httpTls(config),
      maxInFlight: config.overload.maxApiInFlight,
      readiness: async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
        try {
          await store.ping();
          return { ready: true, checks: { database: 'ok', checkIndex: `position ${checks.index.position}` } };
        } catch (error) {
          return { ready: false, checks: { database: (error as Error).message } };
        }
      },
    });
    await app.listen({ port: config.httpPort, host: config.host });
    closers.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.httpPort;
    const scheme = config.tls.certFile ? 'https' : 'http';
    if (!config.publicUrl) publicUrl = urlOf(scheme, config.host, port);

    const protocols = config.role === 'all-in-one' ? await startProtocols(config, checks, closers) : null;
    return {
      role: config.role,
      httpUrl: urlOf(scheme, config.host, port),
      sbiUrl: protocols?.sbiUrl ?? null,
      diameter: protocols?.diameter ?? null,
      store,
      ledger,
      checks,
      follower,
      installation,
      adminApiKeyFile: admin.file,
      demo,
      sms,
      desk,
      demoPeople,
      examples: config.demo ? await demoExamples(ledger) : [],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The registry's signing key for a check node: configured, or pinned on first contact. */
async function registryKey(config: Config, url: string): Promise<string> {
  if (config.follow.publicKeyFile) return readFileSync(config.follow.publicKeyFile, 'utf8');
  const pinned = path.join(config.dataDir, 'registry-key.pem');
  if (existsSync(pinned)) return readFileSync(pinned, 'utf8');
  const pem = await RemoteLedger.publicKey(url);
  writeFileSync(pinned, pem);
  return pem;
}

/** The ledger push's counters, for the check node's readiness (docs/follower-protocol.md). */
function pushText(stats: PushSubscriber['stats']): string {
  return `${stats.connected ? 'subscribed' : 'not subscribed (HTTP only)'}; received ${stats.received}, applied ${stats.applied}, duplicates ${stats.duplicates}, left to HTTP ${stats.fallbacks}`;
}

async function startCheckNode(config: Config, logger: Logger): Promise<RunningSystem> {
  const url = config.follow.url!;
  mkdirSync(config.dataDir, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const publicKeyPem = await registryKey(config, url);
    const source = new RemoteLedger(url, config.follow.apiKey, publicKeyPem);
    const snapshotFile = path.join(config.dataDir, 'check-index.snapshot');
    const loaded = existsSync(snapshotFile)
      ? await readSnapshot(snapshotFile)
      : deserializeIndex(await source.snapshot());
    const { index, frontier } = loaded;
    // Before answering from it: the index's ledger position must be consistent with a signed head.
    const head = await source.head().catch((error: Error) => {
      if (existsSync(snapshotFile)) return null; // Registry down at restart: answer from the saved index (fail-static).
      throw error;
    });
    if (head) {
      const root = foldNodes(frontier.map((h) => Buffer.from(h, 'hex')));
      const consistent =
        head.size === index.position
          ? Buffer.compare(root, head.rootHash) === 0
          : head.size > index.position &&
            verifyConsistency(
              index.position,
              head.size,
              root,
              head.rootHash,
              (
                (await (
                  await fetch(
                    `${url}/ledger/v1/proofs/consistency?first=${index.position}&second=${head.size}`,
                  )
                ).json()) as { proof: string[] }
              ).proof.map((p) => Buffer.from(p, 'base64')),
            );
      if (!consistent)
        throw new Error(
          `the index at ledger position ${index.position} is not consistent with the registry's signed head of size ${head.size}`,
        );
    }
    logger.info({ ...index.stats(), registry: url }, 'check index loaded');

    const policy = policyFrom(config.policy);
    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics, prefix: 'openceir_' });
    const recorder = new SightingRecorder({
      dir: path.join(config.dataDir, 'sightings'),
      node: config.nodeName,
      recordAll: config.check.recordAll,
      // The log's lines are sightings in JSON already: the body is built without parsing them.
      shipLines: async (lines) => {
        const response = await fetch(`${url}/api/v1/sightings`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(config.follow.apiKey ? { authorization: `Bearer ${config.follow.apiKey}` } : {}),
          },
          body: `{"sightings":[${lines.join(',')}]}`,
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new Error(`the registry answered ${response.status} to sightings`);
      },
      onError: (error) => logger.warn({ err: error }, 'sightings wait on disk'),
    });
    recorder.start();
    closers.push(() => recorder.close());
    const overload = new OverloadGuard({
      maxDelayMs: config.overload.maxDelayMs,
      maxRate: config.overload.maxRate,
    }).start();
    closers.push(async () => overload.stop());
    const checks = new CheckService({ policy, index, recorder, overload, metrics });
    const follower = new IndexFollower(checks, source, {
      frontier,
      intervalMs: 250,
      longPollMs: 20_000,
      onProblem: (problem) => logger.warn({ problem }, 'following the registry'),
    });
    follower.start();
    let push: PushSubscriber | null = null;
    if (config.nats.url) {
      const { PushSubscriber } = await import('./exchange/push/subscriber.ts');
      const { registryIdOf } = await import('./exchange/push/message.ts');
      push = new PushSubscriber(follower, {
        url: config.nats.url,
        registryId: registryIdOf(keyIdOf(createPublicKey(publicKeyPem))),
        publicKeyPem,
        onProblem: (problem) => logger.warn({ problem }, 'ledger push'),
      });
      const subscriber = push;
      subscriber.start();
      closers.push(() => subscriber.close());
    }
    // The index is saved now and then, so that a restart answers in seconds from where it stood.
    let saved = index.position;
    const save = async () => {
      if (checks.index.position === saved && existsSync(snapshotFile)) return;
      saved = checks.index.position;
      await writeSnapshot(snapshotFile, checks.index, follower.frontierHex());
    };
    await save();
    const saver = setInterval(
      () => void save().catch((error: unknown) => logger.warn({ err: error }, 'saving the check index')),
      60_000,
    );
    saver.unref();
    closers.push(async () => {
      clearInterval(saver);
      follower.stop();
      await save();
    });
    indexMetrics(metrics, checks, () => follower);

    const admin = resolveAdminApiKey(config);
    const app = await buildCheckNodeApp({
      logger,
      metrics,
      version: VERSION,
      adminApiKey: admin.key,
      tls: httpTls(config),
      maxInFlight: config.overload.maxApiInFlight,
      checks,
      readiness: async () => {
        const status = follower.status;
        const registry = status.problem
          ? `answering from the last index (fail-static): ${status.problem}`
          : 'ok';
        return {
          ready: true,
          checks: {
            checkIndex: `position ${checks.index.position} of ${status.registrySize}`,
            registry,
            lastContact: status.lastContact ?? 'never',
            ...(push ? { ledgerPush: pushText(push.stats) } : {}),
          },
        };
      },
    });
    await app.listen({ port: config.httpPort, host: config.host });
    closers.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.httpPort;
    const protocols = await startProtocols(config, checks, closers);
    return {
      role: 'check-node',
      httpUrl: urlOf(config.tls.certFile ? 'https' : 'http', config.host, port),
      sbiUrl: protocols.sbiUrl,
      diameter: protocols.diameter,
      store: null,
      ledger: null,
      checks,
      follower,
      installation: null,
      adminApiKeyFile: admin.file,
      demo: null,
      sms: null,
      desk: null,
      demoPeople: null,
      examples: [],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export function startSystem(config: Config, logger: Logger): Promise<RunningSystem> {
  return config.role === 'check-node' ? startCheckNode(config, logger) : startRegistry(config, logger);
}
