/**
 * What the API and the consoles share about staff acting on cases: the case actor a principal is,
 * which cases and alerts it may see (a police unit its own, an operator what it entered, the
 * regulator everything), and the access-log entry every read of personal data leaves.
 */
import type { FastifyRequest } from 'fastify';
import { recordRead } from '../accounts/access-log.ts';
import { ADMIN_PRINCIPAL, type Staff } from '../accounts/model.ts';
import type { CaseActor, CaseFilter, CaseRecord } from '../cases/cases.ts';
import type { Channel } from '../cases/model.ts';
import type { AppContext } from './context.ts';

/** The principal of an authenticated request (access control sets it; the admin key is the regulator). */
export function staffOf(request: FastifyRequest): Staff {
  return (request as FastifyRequest & { staff?: Staff }).staff ?? ADMIN_PRINCIPAL;
}

export function caseActor(staff: Staff): CaseActor {
  const kind = staff.role === 'police' || staff.role === 'operator' ? staff.role : 'regulator';
  const organisation = staff.organisation
    ? { id: staff.organisation.id, kind: staff.organisation.kind, operatorId: staff.organisation.operatorId }
    : { id: 'regulator', kind: 'regulator' as const, operatorId: null };
  return { kind, name: staff.username, organisation };
}

/** Staff enter cases on the police or operator channel; the regulator's count as police-entered. */
export function staffChannel(staff: Staff): Channel {
  return staff.role === 'operator' ? 'operator' : 'police';
}

/** The part of the case list a principal may see. */
export function caseScope(staff: Staff): Pick<CaseFilter, 'policeUnit' | 'organisation'> {
  if (staff.role === 'police') return { policeUnit: staff.organisation?.id ?? '-' };
  if (staff.role === 'operator') return { organisation: staff.organisation?.id ?? '-' };
  return {};
}

export function maySeeCase(staff: Staff, record: CaseRecord): boolean {
  if (staff.role === 'regulator') return true;
  const org = staff.organisation?.id;
  if (!org) return false;
  if (staff.role === 'police') return record.policeUnit === org || record.organisation === org;
  if (staff.role === 'operator') return record.organisation === org;
  return false;
}

/** The police unit whose alerts a principal sees (null: every unit, for the regulator). */
export function alertScope(staff: Staff): string | null {
  return staff.role === 'police' ? (staff.organisation?.id ?? '-') : null;
}

/** Records a staff read of personal data: who, in which role and organisation, what, and why. */
export async function logRead(
  context: Pick<AppContext, 'store'>,
  request: FastifyRequest,
  subject: { kind: string; id: string; fields: readonly string[]; why: string },
): Promise<void> {
  const staff = staffOf(request);
  const purpose = request.headers['x-purpose'];
  await recordRead(context.store.db, {
    actor: staff.username,
    role: staff.role,
    organisation: staff.organisation?.id ?? null,
    subjectKind: subject.kind,
    subjectId: subject.id,
    fields: subject.fields,
    why: typeof purpose === 'string' && purpose.trim() ? purpose.trim().slice(0, 200) : subject.why,
    route: request.routeOptions.url ?? null,
  });
}
