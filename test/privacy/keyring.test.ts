/**
 * The privacy keyring: a key file is created on a fresh database and its id recorded; the same file opens
 * again; a missing key file for a database that holds sealed values is refused, naming the setting; a
 * retired key file that does not exist is refused too.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { openSealer } from '../../src/privacy/keyring.ts';
import { query } from '../../src/store/index.ts';
import { describeStores } from '../support/stores.ts';

describeStores('privacy keyring', (getStore) => {
  it('creates and records a key once, opens it again, and never makes a second key for sealed data', async () => {
    const store = getStore();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-keyring-'));
    const keyFile = path.join(dir, 'privacy-key');
    const first = await openSealer(store.db, { keyFile, retiredKeyFiles: [] });
    const again = await openSealer(store.db, { keyFile, retiredKeyFiles: [] });
    expect(again.keyId).toBe(first.keyId);
    const ids = await query<{ key_id: string }>(store.db, sql`select key_id from privacy_key`);
    expect(ids.map((r) => r.key_id)).toEqual([first.keyId]);
    await expect(
      openSealer(store.db, { keyFile: path.join(dir, 'elsewhere', 'privacy-key'), retiredKeyFiles: [] }),
    ).rejects.toThrow(
      new RegExp(
        `^privacy.key_file: .* does not exist, but this database holds values sealed under key ${first.keyId}`,
      ),
    );
    await expect(
      openSealer(store.db, { keyFile, retiredKeyFiles: [path.join(dir, 'old-key')] }),
    ).rejects.toThrow(/privacy.retired_key_files: .*old-key does not exist/);
  });
});
