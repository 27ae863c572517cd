/**
 * Test harness: a fresh, migrated database per test file, on both engines OpenCEIR supports.
 *
 * - PostgreSQL: a new database on the server at OPENCEIR_TEST_DATABASE_URL (default
 *   postgres://postgres@127.0.0.1:5432/test), dropped afterwards. A server that cannot be reached
 *   fails the test with the reason: `.ci/run` starts one.
 * - PGlite: an in-memory instance.
 *
 * `describeStores('ledger', (store) => { … })` runs the same tests on each engine.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPglite, openPostgres, type Store } from '../../src/store/index.ts';

export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

export const TEST_DATABASE_URL =
  process.env.OPENCEIR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** URL of the new, empty database (PostgreSQL only). */
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database with a unique name on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `openceir_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL test server not reachable at ${TEST_DATABASE_URL} (${(error as Error).message}); ` +
        'run scripts/test-deps.sh or set OPENCEIR_TEST_DATABASE_URL',
    );
  }
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export interface TestStore {
  readonly store: Store;
  dispose(): Promise<void>;
}

/** A migrated store on a fresh database of the given engine. */
export async function createTestStore(engine: Engine): Promise<TestStore> {
  if (engine === 'pglite') {
    const store = await openPglite();
    await store.migrate();
    return { store, dispose: () => store.close() };
  }
  const database = await createTestDatabase();
  const store = await openPostgres({ url: database.url, maxConnections: 4 });
  await store.migrate();
  return {
    store,
    dispose: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/**
 * Declares `body` once per engine, each with its own fresh database for the whole describe block.
 * `body` receives a getter because the store exists only once beforeAll has run.
 */
export function describeStores(name: string, body: (store: () => Store, engine: Engine) => void): void {
  describe.each(ENGINES)(`${name} [%s]`, (engine) => {
    let testStore: TestStore | undefined;
    beforeAll(async () => {
      testStore = await createTestStore(engine);
    });
    afterAll(async () => {
      await testStore?.dispose();
    });
    body(() => {
      if (!testStore) throw new Error(`the ${engine} test store is not open`);
      return testStore.store;
    }, engine);
  });
}
