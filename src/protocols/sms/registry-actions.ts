/**
 * The registry behind the SMS commands: KYM answered from the check index (like the portal, never
 * recorded as a sighting: someone asking about a phone is not a network using it), reports, codes,
 * case and appeal status and appeals through the cases part. A case or appeal is only ever
 * described to the number that filed it (the contacts are sealed at rest; the records hold them opened).
 */

import { APPELLANT_PHONE, REPORTER_PHONE } from '../../cases/contacts.ts';
import type { CaseDesk } from '../../cases/index.ts';
import { CasesInputError } from '../../cases/index.ts';
import { check } from '../../check/check.ts';
import type { CheckService } from '../../check/service.ts';
import type { Language } from '../../i18n/index.ts';
import { parseEquipment } from '../../identifiers/index.ts';
import type { Database } from '../../store/index.ts';
import { findTac } from '../../tacdb/tacdb.ts';
import type { Refusal, SmsActions, StatusAnswer, VerifyOutcome } from './types.ts';

const digits = (number: string) => number.replace(/\D/g, '');

function refusal(error: unknown, fallback: string): Refusal {
  if (error instanceof CasesInputError) {
    const code = error.code === 'NOTHING_TO_APPEAL' ? 'not-listed' : 'refused';
    return { ok: false, error: code, detail: error.message };
  }
  if (error instanceof Error) return { ok: false, error: fallback, detail: error.message };
  throw error;
}

export function registryActions(deps: { checks: CheckService; db: Database; desk: CaseDesk }): SmsActions {
  const { checks, db, desk } = deps;
  return {
    async status(imei: string): Promise<StatusAnswer> {
      const parsed = parseEquipment(imei, { source: 'person' });
      if (!parsed.ok) return { ok: false, error: 'invalid-imei', detail: parsed.error.message };
      const result = check(checks.index, checks.policy, { equipment: parsed.value.deviceKey });
      const tac = await findTac(db, parsed.value.deviceKey.slice(0, 8));
      const model = [tac?.brand, tac?.model].filter(Boolean).join(' ');
      return {
        ok: true,
        status: result.status,
        reasons: [...new Set(result.reasons.map((r) => r.code))],
        ...(model ? { model } : {}),
      };
    },

    async report(from: string, kind: 'lost' | 'stolen', imeis: readonly string[], language: Language) {
      try {
        const { record, existing } = await desk.cases.report(
          { imeis: [...imeis], kind, reporterPhone: `+${digits(from)}`, language },
          // The sender's number is the case's (sealed) reporter phone; it is not repeated in the clear as
          // the actor of the case and of its ledger entries.
          { kind: 'owner', name: 'owner' },
          'sms',
        );
        return { ok: true as const, reference: record.reference, existing };
      } catch (error) {
        return refusal(error, 'refused');
      }
    },

    async verify(from: string, reference: string, code: string): Promise<VerifyOutcome> {
      return desk.cases.verify(reference, code, { phone: digits(from) });
    },

    async caseStatus(from: string, reference: string) {
      const number = digits(from);
      const record = await desk.cases.get(reference);
      if (record)
        return desk.sealer.matches(REPORTER_PHONE, record.reporterPhone, number)
          ? { reference: record.reference, state: record.state }
          : null;
      const appeal = await desk.appeals.get(reference);
      if (appeal && desk.sealer.matches(APPELLANT_PHONE, appeal.appellantPhone, number))
        return { reference: appeal.reference, state: appeal.state };
      return null;
    },

    async appeal(from: string, imei: string, grounds: string, language: Language) {
      try {
        const { record, existing } = await desk.appeals.file(
          { imei, ground: 'other', statement: grounds, appellantPhone: `+${digits(from)}`, language },
          'sms',
        );
        return { ok: true as const, reference: record.reference, existing };
      } catch (error) {
        return refusal(error, 'refused');
      }
    },
  };
}
