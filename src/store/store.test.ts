import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, describeStores } from '../../test/support/stores.ts';
import { ensureInstallation, openPglite, openPostgres, redactUrl } from './index.ts';
import { DirectoryLockedError } from './lock.ts';

describeStores('store', (store) => {
  it('applies the migrations and answers', async () => {
    await store().ping();
    const tables = await store().db.execute(
      sql`select table_name from information_schema.tables where table_name = 'installation'`,
    );
    expect((tables as unknown as { rows: unknown[] }).rows).toHaveLength(1);
  });

  it('migrating again changes nothing', async () => {
    await store().migrate();
    await store().migrate();
  });

  it('writes one installation row, whoever asks and how often', async () => {
    const results = await Promise.all([1, 2, 3].map(() => ensureInstallation(store(), '9.9.9')));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results[0]!.createdBy).toBe('9.9.9');
    await expect(
      store().db.execute(sql`insert into installation (created_by, singleton) values ('x', false)`),
    ).rejects.toThrow();
  });
});

describe('PostgreSQL: processes starting together', () => {
  it('migrate concurrently without error, one schema', async () => {
    const database = await createTestDatabase();
    try {
      const stores = await Promise.all(
        [1, 2, 3].map(() => openPostgres({ url: database.url, maxConnections: 2 })),
      );
      await Promise.all(stores.map((s) => s.migrate()));
      const ids = await Promise.all(stores.map((s) => ensureInstallation(s, '1.0.0')));
      expect(new Set(ids.map((i) => i.id)).size).toBe(1);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await database.drop();
    }
  });

  it('an unreachable server fails at open with the reason', async () => {
    await expect(openPostgres({ url: 'postgres://postgres@127.0.0.1:1/none' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });

  it('redacts passwords in printed URLs', () => {
    expect(redactUrl('postgres://u:secret@h:5432/db')).toBe('postgres://u:***@h:5432/db');
  });
});

describe('PGlite in a data directory', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across reopen and refuses a second opener', async () => {
    const first = await openPglite({ dir: path.join(dir, 'pglite') });
    await first.migrate();
    const created = await ensureInstallation(first, '1.2.3');
    await expect(openPglite({ dir: path.join(dir, 'pglite') })).rejects.toBeInstanceOf(DirectoryLockedError);
    await first.close();
    const again = await openPglite({ dir: path.join(dir, 'pglite') });
    await again.migrate();
    expect((await ensureInstallation(again, '2.0.0')).id).toBe(created.id);
    await again.close();
  });
});
