/**
 * The database connection: embedded PGlite in the data directory by default, PostgreSQL when a URL
 * is given. One SQL dialect (kept to what PostgreSQL 15 supports) and one migration folder for both.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { lockFile } from './lock.ts';

export type Database = PgDatabase<PgQueryResultHKT>;

/** What runs a statement: the database itself or a transaction. */
export type Executor = Pick<Database, 'execute'>;

/**
 * Runs a statement and returns its rows, the same way for both drivers. Note the driver
 * differences the callers smooth over: int8 comes back as a string from pg and a number from PGlite,
 * bytea as Buffer or Uint8Array.
 */
export async function query<T = Record<string, unknown>>(db: Executor, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}

export interface Store {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Database;
  /** Where the data lives, safe to print: the PGlite directory, or the URL without its password. */
  readonly location: string;
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any lock key will do as long as every OpenCEIR process uses the same one ("OCEIR" in ASCII). */
const MIGRATION_LOCK = 0x4f43454952;

/**
 * The database's own error under drizzle's wrapper (which puts the SQL text first): its SQLSTATE
 * code and message, for callers that map constraint violations to answers.
 */
export function databaseError(error: unknown): { code: string | null; message: string } {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const code = (current as { code?: unknown }).code;
  return {
    code: typeof code === 'string' ? code : null,
    message: current instanceof Error ? current.message : String(current),
  };
}

/** The URL with its password masked, for logs and start-up messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export interface PgliteOptions {
  /** Directory of the database files; absent: in memory (tests). */
  readonly dir?: string;
}

export async function openPglite(options: PgliteOptions = {}): Promise<Store> {
  let release = () => {};
  if (options.dir) {
    mkdirSync(options.dir, { recursive: true });
    release = lockFile(path.join(options.dir, '..', `${path.basename(options.dir)}.lock`));
  }
  let client: PGlite;
  try {
    client = options.dir ? await PGlite.create(options.dir) : await PGlite.create();
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzlePglite(client) as unknown as Database;
  return {
    kind: 'pglite',
    db,
    location: options.dir ?? '(in memory)',
    // PGlite serves one connection in one process, so nothing can migrate concurrently.
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        release();
      }
    },
  };
}

export interface PostgresOptions {
  readonly url: string;
  readonly maxConnections?: number;
}

export async function openPostgres(options: PostgresOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    application_name: 'openceir',
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = drizzlePg(pool) as unknown as Database;
  // Fail at open, with the server's own words, rather than at the first request.
  const probe = await pool.connect();
  probe.release();
  return {
    kind: 'postgres',
    db,
    location: redactUrl(options.url),
    migrate: async () => {
      // Several registry processes may start together: one migrates, the others wait for it.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg(pool), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

export interface OpenOptions {
  readonly databaseUrl: string | null;
  readonly dataDir: string;
}

/** PostgreSQL when a URL is configured, otherwise PGlite under `<dataDir>/pglite`. */
export function openStore(options: OpenOptions): Promise<Store> {
  return options.databaseUrl
    ? openPostgres({ url: options.databaseUrl })
    : openPglite({ dir: path.join(options.dataDir, 'pglite') });
}

export interface InstallationInfo {
  readonly id: string;
  readonly createdAt: Date;
  readonly createdBy: string;
}

/** The row that names this installation, written by whichever process starts first. */
export async function ensureInstallation(store: Store, version: string): Promise<InstallationInfo> {
  await store.db.execute(
    sql`insert into installation (created_by) values (${version}) on conflict (singleton) do nothing`,
  );
  const [row] = await query(store.db, sql`select id, created_at, created_by from installation`);
  if (!row) throw new Error('the installation row is missing');
  return {
    id: String(row.id),
    createdAt: new Date(row.created_at as string),
    createdBy: String(row.created_by),
  };
}
