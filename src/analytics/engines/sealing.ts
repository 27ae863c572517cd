/**
 * Which key sealed the IMSIs and MSISDNs of an analytics store (../subscriber-seal.ts), recorded in the
 * store itself (`analytics_sealing`, one row per kind), so that values sealed under two keys, or sealed
 * and clear ones, never meet in one table: an engine given a key refuses a store that holds clear values
 * (a store sealed before MSISDNs were: IMSIs recorded, MSISDNs not) or values under another key, and an
 * engine given no key refuses a sealed store. Checked before each write.
 */
import type { ImsiSealer } from '../subscriber-seal.ts';

export class AnalyticsSealingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalyticsSealingError';
  }
}

type Query = (text: string) => Promise<Record<string, string | null>[]>;

/** Per kind, the tables that hold it as written by an engine; any row in one means it is not empty. */
const HOLDING = {
  imsi: { noun: 'IMSIs', tables: ['monthly_triplet', 'timed_sighting', 'ref_subscribers', 'ref_pairing'] },
  msisdn: { noun: 'MSISDNs', tables: ['monthly_triplet', 'ref_pairing'] },
} as const;

export async function checkSealing(query: Query, sealer: ImsiSealer | null, where: string): Promise<void> {
  const recorded = new Map(
    (await query('select what, key_id from analytics_sealing')).map((r) => [r.what, r.key_id]),
  );
  for (const [what, { noun, tables }] of Object.entries(HOLDING)) {
    const key = recorded.get(what) ?? null;
    if (sealer === null) {
      if (key !== null)
        throw new AnalyticsSealingError(
          `${where}: its ${noun} are sealed under privacy key ${key}; open it with that privacy.key_file`,
        );
      continue;
    }
    if (key === sealer.keyId) continue;
    if (key !== null)
      throw new AnalyticsSealingError(
        `${where}: its ${noun} are sealed under privacy key ${key}, not under privacy.key_file's key ${sealer.keyId}; ` +
          'set privacy.key_file to the key that sealed them, or, after a key rotation, move the analytics data aside ' +
          'and import the operator files again (privacy reseal does not cover analytics data)',
      );
    for (const table of tables) {
      if ((await query(`select 1 as found from ${table} limit 1`)).length > 0)
        throw new AnalyticsSealingError(
          `${where}: it holds ${noun} in clear (imported before they were sealed at rest); ` +
            `move it aside and import the operator files again, so that every one is sealed`,
        );
    }
  }
  if (sealer === null) return;
  for (const what of Object.keys(HOLDING))
    if (!recorded.has(what))
      await query(`insert into analytics_sealing (what, key_id) values ('${what}', '${sealer.keyId}')`);
}
