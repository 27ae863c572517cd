/**
 * Subject access (GDPR Art. 15): everything the registry holds about one case's owner, as one JSON
 * document — the case and its history, its devices, the police alerts on those devices, the appeals
 * filed with the reporter's phone or e-mail (or on the case), and the sightings of its devices. The
 * export is itself a staff read of personal data, so it is written to the access log before it is given.
 * Every value sealed at rest (seal.ts) is given opened: the subject receives their data, not ciphertext.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, or } from 'drizzle-orm';
import { recordRead } from '../accounts/access-log.ts';
import {
  APPELLANT_EMAIL,
  APPELLANT_NAME,
  APPELLANT_PHONE,
  LAST_MSISDN,
  REPORTER_EMAIL,
  REPORTER_NAME,
  REPORTER_PHONE,
} from '../cases/contacts.ts';
import { normaliseReference } from '../cases/reference.ts';
import { alert, appeal, caseDevice, caseEvent, caseReport } from '../cases/schema.ts';
import { sighting } from '../check/schema.ts';
import type { Database } from '../store/index.ts';
import { IMSI_FIELD, MSISDN_FIELD } from './columns.ts';
import type { Sealer } from './seal.ts';

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

/** Appeals read at a time when looking for the reporter's contact among them (it is sealed, so opened). */
const APPEAL_SCAN_BATCH = 1000;

type AppealRow = typeof appeal.$inferSelect;

function openAppeal(sealer: Sealer, row: AppealRow): AppealRow {
  return {
    ...row,
    appellantName: sealer.open(APPELLANT_NAME, row.appellantName),
    appellantPhone: sealer.open(APPELLANT_PHONE, row.appellantPhone),
    appellantEmail: sealer.open(APPELLANT_EMAIL, row.appellantEmail),
  };
}

/** The SIM numbers of a sighting or an alert, opened. */
function openSim<T extends { imsi: string | null; msisdn: string | null }>(sealer: Sealer, row: T): T {
  return { ...row, imsi: sealer.open(IMSI_FIELD, row.imsi), msisdn: sealer.open(MSISDN_FIELD, row.msisdn) };
}

/**
 * Appeals on the case, or filed with the reporter's phone or e-mail. The contacts are sealed with random
 * nonces, so the database cannot compare them: every appeal that has a contact is opened, in batches.
 */
async function appealsOf(
  db: Database,
  sealer: Sealer,
  caseId: string,
  phone: string | null,
  email: string | null,
): Promise<AppealRow[]> {
  const found: AppealRow[] = [];
  let after = '';
  for (;;) {
    const rows = await db
      .select()
      .from(appeal)
      .where(
        and(
          gt(appeal.reference, after),
          or(eq(appeal.caseId, caseId), isNotNull(appeal.appellantPhone), isNotNull(appeal.appellantEmail)),
        ),
      )
      .orderBy(asc(appeal.reference))
      .limit(APPEAL_SCAN_BATCH);
    for (const row of rows) {
      const opened = openAppeal(sealer, row);
      if (
        row.caseId === caseId ||
        (phone !== null && opened.appellantPhone === phone) ||
        (email !== null && opened.appellantEmail === email)
      )
        found.push(opened);
    }
    if (rows.length < APPEAL_SCAN_BATCH) break;
    after = rows[rows.length - 1]!.reference;
  }
  return found.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export async function exportSubject(
  db: Database,
  sealer: Sealer,
  reference: string,
  reader: ExportReader,
): Promise<SubjectExport> {
  const [stored] = await db.select().from(caseReport).where(eq(caseReport.reference, reference));
  if (!stored) throw new SubjectNotFoundError(reference);
  const record = {
    ...stored,
    reporterName: sealer.open(REPORTER_NAME, stored.reporterName),
    reporterPhone: sealer.open(REPORTER_PHONE, stored.reporterPhone),
    reporterEmail: sealer.open(REPORTER_EMAIL, stored.reporterEmail),
    lastMsisdn: sealer.open(LAST_MSISDN, stored.lastMsisdn),
  };
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
  const appeals = await appealsOf(db, sealer, record.id, record.reporterPhone, record.reporterEmail);
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
    alerts: alerts.map((a) => openSim(sealer, a)),
    appeals,
    sightings: sightings.slice(0, EXPORT_SIGHTINGS_LIMIT).map((s) => openSim(sealer, s)),
    sightingsTruncated: sightings.length > EXPORT_SIGHTINGS_LIMIT,
  };
}
