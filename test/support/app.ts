/** A running registry app on a fresh database, for API tests: real HTTP on loopback. */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { Registry } from 'prom-client';
import { Accounts } from '../../src/accounts/accounts.ts';
import { CaseDesk } from '../../src/cases/index.ts';
import { buildIndex } from '../../src/check/build.ts';
import { IndexFollower } from '../../src/check/follow.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/check/policy.ts';
import { CheckService } from '../../src/check/service.ts';
import { SightingRecorder } from '../../src/check/sightings.ts';
import { storeSightings } from '../../src/check/store.ts';
import { loadConfig } from '../../src/config/load.ts';
import { Ledger } from '../../src/ledger/ledger.ts';
import { HeadSigner } from '../../src/ledger/signing.ts';
import { openSealer } from '../../src/privacy/keyring.ts';
import { Sealer } from '../../src/privacy/seal.ts';
import { RegistryOperations } from '../../src/registry/operations.ts';
import { ensureInstallation } from '../../src/store/index.ts';
import { buildApp } from '../../src/web/app.ts';
import type { AppContext } from '../../src/web/context.ts';
import { createTestStore, type Engine, type TestStore } from './stores.ts';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly context: AppContext;
  readonly base: string;
  /** The staff accounts the app's access control and console use. */
  readonly accounts: Accounts;
  /** fetch against the app, with the admin key unless `auth: false`. */
  call(path: string, init?: RequestInit & { auth?: boolean; json?: unknown }): Promise<Response>;
  dispose(): Promise<void>;
  /** Ships the sightings recorded so far to the database (with `sightings: true`). */
  shipSightings(): Promise<void>;
  /** Waits until the check index reflects every ledger entry. */
  caughtUp(): Promise<void>;
}

export async function createTestApp(
  engine: Engine,
  options: {
    policy?: Policy;
    store?: TestStore;
    sightings?: boolean;
    /** Settings as environment variables (OPENCEIR_…), over the defaults. */
    env?: Record<string, string>;
    /** Where the app logs (silent by default). */
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const testStore = options.store ?? (await createTestStore(engine));
  const installation = await ensureInstallation(testStore.store, '0.0.0-test');
  const ledger = new Ledger(testStore.store, new HeadSigner(generateKeyPairSync('ed25519').privateKey));
  await ledger.init();
  const policy = options.policy ?? DEFAULT_POLICY;
  const { index } = await buildIndex(testStore.store.db);
  const config = loadConfig({ env: { OPENCEIR_DEMO: '0', ...options.env }, cwd: os.tmpdir() });
  // The public URL is only known once listening; messages built before that use the configured one.
  const publicUrl = { value: config.publicUrl ?? 'http://127.0.0.1' };
  // A fresh privacy key, unless the test names a key file: a CLI run on the same database then opens what the app sealed.
  const sealer = options.env?.OPENCEIR_PRIVACY_KEY_FILE
    ? await openSealer(testStore.store.db, config.privacy)
    : new Sealer(randomBytes(32));
  const desk = new CaseDesk(ledger, {
    verificationMinutes: config.cases.verificationMinutes,
    appealDays: config.cases.appealDays,
    suspendOverdueAppeals: config.cases.suspendOverdueAppeals,
    publicUrl: () => publicUrl.value,
    sealer,
    alertIntervalMs: 200,
  }).start();
  // Sightings as the all-in-one server keeps them: written ahead to a directory, shipped to the database.
  const sightingDir = options.sightings ? mkdtempSync(path.join(os.tmpdir(), 'openceir-sightings-')) : null;
  const recorder = sightingDir
    ? new SightingRecorder({
        dir: sightingDir,
        node: 'test-node',
        intervalMs: 50,
        ship: async (batch) => {
          await storeSightings(testStore.store.db, sealer, batch);
          desk.raiser.wake();
        },
      })
    : null;
  recorder?.start();
  const checks = new CheckService({ policy, index, recorder, overload: null });
  const follower = new IndexFollower(checks, ledger);
  ledger.subscribe(() => follower.wake());
  const accounts = new Accounts(testStore.store, { sessionHours: config.staff.sessionHours });
  const context: AppContext = {
    accounts,
    store: testStore.store,
    config,
    desk,
    get publicUrl() {
      return publicUrl.value;
    },
    logger: options.logger ?? pino({ level: 'silent' }),
    metrics: new Registry(),
    version: '0.0.0-test',
    installation,
    ledger,
    policy: options.policy ?? DEFAULT_POLICY,
    registry: new RegistryOperations(ledger, options.policy ?? DEFAULT_POLICY, 'admin-api'),
    adminApiKey: TEST_ADMIN_KEY,
    checks,
    sealer,
    readiness: async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
      try {
        await testStore.store.ping();
        return { ready: true, checks: { database: 'ok' } };
      } catch (error) {
        return { ready: false, checks: { database: (error as Error).message } };
      }
    },
  };
  const app = await buildApp(context);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  if (!config.publicUrl) publicUrl.value = base;
  return {
    app,
    context,
    base,
    accounts,
    call: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (init.auth !== false) headers.set('authorization', `Bearer ${TEST_ADMIN_KEY}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(`${base}${path}`, { ...init, headers, body });
    },
    caughtUp: () => follower.catchUp(),
    shipSightings: async () => {
      await recorder?.shipPending();
    },
    dispose: async () => {
      await app.close();
      await desk.stop();
      await recorder?.close();
      if (sightingDir) rmSync(sightingDir, { recursive: true, force: true });
      if (!options.store) await testStore.dispose();
    },
  };
}
