/**
 * Which key sealed the IMSIs of an analytics store (../subscriber-seal.ts), recorded in the store
 * itself (`analytics_sealing`), so that IMSIs sealed under two keys, or sealed and clear ones, never
 * meet in one table: an engine given a key refuses a store that holds clear IMSIs or IMSIs under another
 * key, and an engine given no key refuses a sealed store. Checked before each write.
 */
import type { ImsiSealer } from '../subscriber-seal.ts';

export class AnalyticsSealingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalyticsSealingError';
  }
}

type Query = (text: string) => Promise<Record<string, string | null>[]>;

/** Tables that hold IMSIs written by an engine; any row in one means the store is not empty. */
const HOLDING_IMSIS = ['monthly_triplet', 'timed_sighting', 'ref_subscribers', 'ref_pairing'];

export async function checkSealing(query: Query, sealer: ImsiSealer | null, where: string): Promise<void> {
  const recorded =
    (await query(`select key_id from analytics_sealing where what = 'imsi'`))[0]?.key_id ?? null;
  if (sealer === null) {
    if (recorded !== null)
      throw new AnalyticsSealingError(
        `${where}: its IMSIs are sealed under privacy key ${recorded}; open it with that privacy.key_file`,
      );
    return;
  }
  if (recorded === sealer.keyId) return;
  if (recorded !== null)
    throw new AnalyticsSealingError(
      `${where}: its IMSIs are sealed under privacy key ${recorded}, not under privacy.key_file's key ${sealer.keyId}; ` +
        'set privacy.key_file to the key that sealed them, or, after a key rotation, move the analytics data aside ' +
        'and import the operator files again (privacy reseal does not cover analytics data)',
    );
  for (const table of HOLDING_IMSIS) {
    if ((await query(`select 1 as found from ${table} limit 1`)).length > 0)
      throw new AnalyticsSealingError(
        `${where}: it holds IMSIs in clear (imported before sealing at rest); ` +
          'move it aside and import the operator files again, so that every IMSI is sealed',
      );
  }
  await query(`insert into analytics_sealing (what, key_id) values ('imsi', '${sealer.keyId}')`);
}
