/**
 * The answer to one command, in the sender's language. Everything people read comes from the `sms`
 * catalogue; what the registry says in English (`detail`) is for logs, never for the handset.
 */
import { type Language, translator } from '../../i18n/index.ts';
import { SMS, type SmsKey } from '../../i18n/sms/index.ts';
import type { Command } from './commands.ts';
import type { Refusal, SmsActions } from './types.ts';

/** Refusal codes with their own message; any other code gets the generic refusal. */
const REFUSALS: Readonly<Record<string, SmsKey>> = {
  'invalid-imei': 'invalid-imei',
  'not-listed': 'appeal.not-listed',
  'too-many': 'too-many',
};

const has = (key: string): key is SmsKey => key in SMS.en;

export async function reply(command: Command, from: string, language: Language, actions: SmsActions) {
  const t = translator(SMS, language);
  const refused = (refusal: Refusal, generic: SmsKey, params: Record<string, string>) => {
    const key = REFUSALS[refusal.error] ?? generic;
    return t(key, params);
  };

  switch (command.kind) {
    case 'kym': {
      const answer = await actions.status(command.imei);
      if (!answer.ok) return t('invalid-imei', { input: command.imei });
      const model = answer.model ? t('kym.model', { model: answer.model }) : '';
      const head = t(`kym.${answer.status}`, { imei: command.imei, model });
      if (answer.reasons.length === 0 || answer.status === 'unknown') return head;
      const reasons = answer.reasons
        .map((code) => (has(`reason.${code}`) ? t(`reason.${code}` as SmsKey) : code))
        .join(t('list.separator'));
      return `${head} ${t('kym.reasons', { reasons })}`;
    }
    case 'report': {
      const result = await actions.report(from, command.report, command.imeis, language);
      if (!result.ok) return refused(result, 'report.refused', { input: command.imeis.join(' ') });
      return t(result.existing ? 'report.existing' : 'report.accepted', { reference: result.reference });
    }
    case 'verify': {
      const outcome = await actions.verify(from, command.reference, command.code);
      return t(`verify.${outcome}`, { reference: command.reference });
    }
    case 'status': {
      const found = await actions.caseStatus(from, command.reference);
      if (!found) return t('case.unknown', { reference: command.reference });
      const state = has(`state.${found.state}`) ? t(`state.${found.state}` as SmsKey) : found.state;
      return t('case.state', { reference: found.reference, state });
    }
    case 'appeal': {
      const result = await actions.appeal(from, command.imei, command.grounds, language);
      if (!result.ok) return refused(result, 'appeal.refused', { input: command.imei, imei: command.imei });
      return t(result.existing ? 'appeal.existing' : 'appeal.received', { reference: result.reference });
    }
    case 'invalid-imei':
      // Echo enough for the sender to spot a typo, not a whole pasted message.
      return t('invalid-imei', { input: command.input.slice(0, 24) });
    case 'help':
      return t(command.topic === 'general' ? 'help' : `usage.${command.topic}`);
  }
}
