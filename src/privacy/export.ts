/**
 * Subject access (GDPR Art. 15): everything the registry holds about one case's owner, as one JSON
 * document — the case and its history, its devices, the police alerts on those devices, the appeals
 * filed with the reporter's phone or e-mail (or on the case), and the sightings of its devices. The
 * export is itself a staff read of personal data, so it is written to the access log before it is given.
 */
import { and, asc, desc, eq, inArray, isNotNull, or, type SQL } from 'drizzle-orm';
import { recordRead } from '../accounts/access-log.ts';
import { normaliseReference } from '../cases/reference.ts';
import { alert, appeal, caseDevice, caseEvent, caseReport } from '../cases/schema.ts';
import { sighting } from '../check/schema.ts';
import type { Database } from '../store/index.ts';

/** Sightings in one export at most; `sightingsTruncated` says when there were more. */
export const EXPORT_SIGHTINGS_LIMIT = 10_000;

export interface SubjectExport {
  readonly exportedAt: string;
  readonly case: typeof caseReport.$inferSelect;
  readonly events: (typeof caseEvent.$inferSelect)[];
  readonly devices: (typeof caseDevice.$inferSelect)[];
  readonly alerts: (typeof alert.$inferSelect)[];
  readonly appeals: (typeof appeal.$inferSelect)[];
  readonly sightings: (typeof sighting.$inferSelect)[];
  readonly sightingsTruncated: boolean;
}

export interface ExportReader {
  /** Who asks (`cli:<user>`, a staff username). */
  readonly actor: string;
  readonly role: string;
  readonly organisation: string | null;
  /** Why: the request it answers. */
  readonly why: string;
}

export class SubjectNotFoundError extends Error {
  constructor(readonly reference: string) {
    super(`reference: there is no case ${reference}`);
    this.name = 'SubjectNotFoundError';
  }
}

/** A case reference as people type it (`normaliseReference`), or an error naming the rule. */
export function parseCaseReference(text: string): string {
  const reference = normaliseReference(text);
  if (!reference?.startsWith('C-'))
    throw new RangeError(`reference: "${text}" is not a case reference (it looks like C-7KQ4-9XZ2)`);
  return reference;
}

export async function exportSubject(
  db: Database,
  reference: string,
  reader: ExportReader,
): Promise<SubjectExport> {
  const [record] = await db.select().from(caseReport).where(eq(caseReport.reference, reference));
  if (!record) throw new SubjectNotFoundError(reference);
  const events = await db
    .select()
    .from(caseEvent)
    .where(eq(caseEvent.caseId, record.id))
    .orderBy(asc(caseEvent.id));
  const devices = await db.select().from(caseDevice).where(eq(caseDevice.caseId, record.id));
  const keys = devices.map((d) => d.deviceKey);
  const alerts = keys.length
    ? await db.select().from(alert).where(inArray(alert.deviceKey, keys)).orderBy(asc(alert.firstSeenAt))
    : [];
  const sameReporter: SQL[] = [eq(appeal.caseId, record.id)];
  if (record.reporterPhone) sameReporter.push(eq(appeal.appellantPhone, record.reporterPhone));
  if (record.reporterEmail) sameReporter.push(eq(appeal.appellantEmail, record.reporterEmail));
  const appeals = await db
    .select()
    .from(appeal)
    .where(or(...sameReporter))
    .orderBy(asc(appeal.createdAt));
  const sightings = keys.length
    ? await db
        .select()
        .from(sighting)
        .where(and(isNotNull(sighting.deviceKey), inArray(sighting.deviceKey, keys)))
        .orderBy(desc(sighting.time))
        .limit(EXPORT_SIGHTINGS_LIMIT + 1)
    : [];
  await recordRead(db, {
    ...reader,
    subjectKind: 'subject-export',
    subjectId: record.reference,
    fields: ['reporter-name', 'reporter-phone', 'reporter-email', 'imsi', 'msisdn', 'appellant-contact'],
  });
  return {
    exportedAt: new Date().toISOString(),
    case: record,
    events,
    devices,
    alerts,
    appeals,
    sightings: sightings.slice(0, EXPORT_SIGHTINGS_LIMIT),
    sightingsTruncated: sightings.length > EXPORT_SIGHTINGS_LIMIT,
  };
}
