/** SQL the cases part's queries share. */
import { sql } from 'drizzle-orm';

/** A timestamptz column as ISO 8601 UTC text with milliseconds, the same from pg and PGlite. */
export const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
