/**
 * The access log: every read of personal data by staff (a reporter's contact, the IMSI and MSISDN
 * of a sighting, …) with who read it, in which role and organisation, what was shown and why.
 * Rows are never changed: triggers in the migration refuse UPDATE, DELETE and TRUNCATE, so the log
 * is evidence an auditor can rely on (GDPR Art. 30 and 32, ITU-T Q.5055's privacy requirements).
 */
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Database } from '../store/index.ts';
import { accessLog } from './schema.ts';

export interface AccessRead {
  /** The username (or `api-key:<id>`, `admin`) of the reader. */
  readonly actor: string;
  readonly role: string;
  readonly organisation: string | null;
  /** What was read: case, alert, appeal, sighting, subject-export, … */
  readonly subjectKind: string;
  readonly subjectId: string;
  /** The personal fields shown: reporter-phone, imsi, msisdn, … */
  readonly fields: readonly string[];
  /** The purpose, given by the reader or implied by the screen (e.g. "alert follow-up"). */
  readonly why: string;
  readonly route?: string | null;
}

export interface AccessLogRow extends Omit<AccessRead, 'route'> {
  readonly id: number;
  readonly at: Date;
  readonly route: string | null;
}

export interface AccessLogFilter {
  readonly actor?: string;
  readonly subjectKind?: string;
  readonly subjectId?: string;
  /** Included. */
  readonly from?: Date;
  /** Excluded. */
  readonly to?: Date;
  /** At most this many rows, newest first (capped at 1,000). */
  readonly limit?: number;
}

export async function recordRead(db: Pick<Database, 'insert'>, read: AccessRead): Promise<void> {
  if (!read.actor || !read.subjectKind || !read.subjectId || !read.why)
    throw new Error('an access log row needs actor, subjectKind, subjectId and why');
  await db.insert(accessLog).values({
    actor: read.actor,
    role: read.role,
    organisation: read.organisation,
    subjectKind: read.subjectKind,
    subjectId: read.subjectId,
    fields: [...read.fields],
    why: read.why,
    route: read.route ?? null,
  });
}

export async function queryAccessLog(db: Database, filter: AccessLogFilter = {}): Promise<AccessLogRow[]> {
  const conditions: SQL[] = [];
  if (filter.actor) conditions.push(eq(accessLog.actor, filter.actor));
  if (filter.subjectKind) conditions.push(eq(accessLog.subjectKind, filter.subjectKind));
  if (filter.subjectId) conditions.push(eq(accessLog.subjectId, filter.subjectId));
  if (filter.from) conditions.push(gte(accessLog.at, filter.from));
  if (filter.to) conditions.push(lt(accessLog.at, filter.to));
  const limit = Math.max(1, Math.min(filter.limit ?? 100, 1000));
  const rows = await db
    .select()
    .from(accessLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(accessLog.id))
    .limit(limit);
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
