/**
 * Opens the privacy keyring for a database: the current key from `privacy.key_file` (created on first
 * start) and the retired ones, and records the current key's id in `privacy_key`.
 *
 * Like the ledger signing key, a new key is never created for a database that already holds values
 * sealed under another key: that is a process pointed at the wrong data directory, and everything it
 * sealed would be unreadable by the registry. Rotating is deliberate: put the new key file in place,
 * list the old one in `privacy.retired_key_files`, then run `openceir privacy reseal`.
 */
import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../store/index.ts';
import { loadOrCreatePrivacyKey, SealError, Sealer } from './seal.ts';

export interface KeyringFiles {
  readonly keyFile: string;
  readonly retiredKeyFiles: readonly string[];
}

export async function openSealer(db: Executor, files: KeyringFiles): Promise<Sealer> {
  const known = await query<{ key_id: string }>(db, sql`select key_id from privacy_key order by created_at`);
  if (!existsSync(files.keyFile) && known.length > 0) {
    throw new SealError(
      `privacy.key_file: ${files.keyFile} does not exist, but this database holds values sealed under key ` +
        `${known.map((k) => k.key_id).join(', ')}; use the registry's key file (the same data_dir or ` +
        'privacy.key_file as its server). To rotate the key on purpose, create the new key file first.',
    );
  }
  const retired = files.retiredKeyFiles.map((file) =>
    loadOrCreatePrivacyKey(file, false, 'privacy.retired_key_files'),
  );
  const sealer = new Sealer(loadOrCreatePrivacyKey(files.keyFile), retired);
  await db.execute(
    sql`insert into privacy_key (key_id) values (${sealer.keyId}) on conflict (key_id) do nothing`,
  );
  return sealer;
}
