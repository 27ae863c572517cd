/**
 * Fuzzes the SMS text commands (src/protocols/sms): random and mutated mobile-originated texts
 * through parseCommand, the sender's number through languageOf, `prefix=language` rules through
 * parseLanguageRules, and the answers that need no registry (help, invalid IMEI) through reply().
 * The parser never throws; each command holds what its kind promises; the answer is short enough
 * for a few SMS parts and comes in a supported language; the rules parser throws only its
 * documented `sms.languages:` error.
 */
import { isLanguage, LANGUAGES } from '../../../src/i18n/index.ts';
import {
  type Command,
  MAX_GROUNDS,
  MAX_REPORT_IMEIS,
  parseCommand,
} from '../../../src/protocols/sms/commands.ts';
import { planMessage } from '../../../src/protocols/sms/encoding.ts';
import { languageOf, parseLanguageRules } from '../../../src/protocols/sms/language.ts';
import { reply } from '../../../src/protocols/sms/replies.ts';
import type { SmsActions } from '../../../src/protocols/sms/types.ts';
import type { CaseResult, ParserFuzzer } from './parser-run.ts';
import type { Random } from './random.ts';
import { textCase } from './texts.ts';

const TEXTS = [
  'KYM 352099001761481',
  'kym:35-209900-176148-1',
  'KYM ３５２０９９００１７６１４８１',
  'KYM ٣٥٢٠٩٩٠٠١٧٦١٤٨١',
  'LOST 35209900176148 1',
  'STOLEN 352099001761481 356938035643809',
  'stolen 35 209900 176148 1 35.693803.564380.9',
  'VERIFY C-7K2M9Q 482913',
  'verify c 7k2m9q 4829',
  'STATUS C-7K2M9Q',
  'STATUS A-00000001',
  'APPEAL 352099001761481 I bought it new in a shop, receipt attached',
  'APPEAL 35209900176148 1 اشتريته جديدا',
  'HELP',
  '',
];
const TOKENS = ['KYM', 'LOST', 'STOLEN', 'VERIFY', 'STATUS', 'APPEAL', ' ', ':', '-', '/', '.', '  ', '\n'];
const NUMBERS = [
  '+213555123456',
  '00 86 138 0013 8000',
  '7 (912) 345-67-89',
  '+1418 555 0100',
  '33612345678',
  '',
];
const RULES = ['213=ar', '+86=zh', '7=ru', '1=en', '1418=fr', '34=es', ' 33 = fr '];

const IMEI = /^[0-9]{14,16}$/;
const TOPICS = new Set(['general', 'kym', 'report', 'verify', 'status', 'appeal']);
/** The longest catalogue message is under 200 characters, and an echoed input is cut at 24. */
const MAX_ANSWER = 400;
const MAX_ANSWER_PARTS = 4;

/** What each kind of command promises (src/protocols/sms/commands.ts). */
export function commandProblems(command: Command): string[] {
  switch (command.kind) {
    case 'kym':
      return IMEI.test(command.imei) ? [] : [`kym with IMEI ${JSON.stringify(command.imei)}`];
    case 'report':
      return command.imeis.length < 1 || command.imeis.length > MAX_REPORT_IMEIS
        ? [`report with ${command.imeis.length} IMEIs`]
        : command.imeis.filter((i) => !IMEI.test(i)).map((i) => `report with IMEI ${JSON.stringify(i)}`);
    case 'verify':
      return [
        ...(/^[0-9]{4,8}$/.test(command.code) ? [] : [`verify with code ${JSON.stringify(command.code)}`]),
        ...(command.reference === '' ||
        /\s/.test(command.reference) ||
        command.reference !== command.reference.toUpperCase()
          ? [`verify with reference ${JSON.stringify(command.reference)}`]
          : []),
      ];
    case 'status':
      return command.reference === '' || /\s/.test(command.reference)
        ? [`status with reference ${JSON.stringify(command.reference)}`]
        : [];
    case 'appeal':
      return [
        ...(IMEI.test(command.imei) ? [] : [`appeal with IMEI ${JSON.stringify(command.imei)}`]),
        ...(command.grounds === '' || command.grounds.length > MAX_GROUNDS
          ? [`appeal with ${command.grounds.length} characters of grounds`]
          : []),
      ];
    case 'invalid-imei':
      return command.input === '' ? ['invalid-imei with an empty input'] : [];
    case 'help':
      return TOPICS.has(command.topic) ? [] : [`help on topic ${JSON.stringify(command.topic)}`];
    default:
      return [`unknown command kind ${JSON.stringify((command as { kind: unknown }).kind)}`];
  }
}

/** Help and invalid-IMEI answers call nothing behind the channel: any call here is a violation. */
function noRegistry(calls: string[]): SmsActions {
  const called = (name: string) => {
    calls.push(name);
    throw new Error(`the registry was asked (${name}) for an answer that needs none`);
  };
  return {
    status: async () => called('status'),
    report: async () => called('report'),
    verify: async () => called('verify'),
    caseStatus: async () => called('caseStatus'),
    appeal: async () => called('appeal'),
  };
}

async function commandCase(r: Random): Promise<CaseResult> {
  const { text, recipe } = textCase(r, TEXTS, { tokens: TOKENS, max: 1_000 });
  const from = textCase(r, NUMBERS, { max: 24 }).text;
  const violations: string[] = [];
  let command: Command;
  try {
    command = parseCommand(text);
  } catch (error) {
    return {
      outcome: 'threw',
      violations: [`parseCommand threw ${(error as Error).message}`],
      input: text,
      recipe,
    };
  }
  violations.push(...commandProblems(command));
  const rules = parseLanguageRules(RULES);
  const language = languageOf(from, rules, r.pick(LANGUAGES));
  if (!isLanguage(language)) violations.push(`languageOf(${JSON.stringify(from)}) gave ${language}`);
  if ((command.kind === 'help' || command.kind === 'invalid-imei') && isLanguage(language)) {
    const calls: string[] = [];
    const answer = await reply(command, from, language, noRegistry(calls));
    if (typeof answer !== 'string' || answer.trim() === '')
      violations.push(`an empty ${command.kind} answer`);
    else if (answer.length > MAX_ANSWER)
      violations.push(`a ${command.kind} answer of ${answer.length} characters`);
    else if (planMessage(answer, 0).parts.length > MAX_ANSWER_PARTS)
      violations.push(`a ${command.kind} answer in ${planMessage(answer, 0).parts.length} parts`);
    else if (/\{[a-z]+\}|undefined|\[object/.test(answer))
      violations.push(`a ${command.kind} answer with a hole: ${JSON.stringify(answer)}`);
  }
  return { outcome: command.kind, violations, input: text, recipe };
}

function rulesCase(r: Random): CaseResult {
  const items = Array.from({ length: r.between(0, 4) }, () => textCase(r, RULES, { max: 24 }).text);
  const input = JSON.stringify(items);
  try {
    const rules = parseLanguageRules(items);
    const bad = rules.filter((rule) => !isLanguage(rule.language) || !/^[0-9]{1,6}$/.test(rule.prefix));
    return {
      outcome: 'language rules accepted',
      violations: bad.map((rule) => `accepted rule ${JSON.stringify(rule)}`),
      input,
    };
  } catch (error) {
    const message = (error as Error).message;
    return {
      outcome: 'language rules refused',
      violations: message.startsWith('sms.languages: ') ? [] : [`parseLanguageRules threw ${message}`],
      input,
    };
  }
}

export const smppFuzzer: ParserFuzzer = {
  area: 'smpp',
  stream: 11,
  run: (r) => (r.chance(0.9) ? commandCase(r) : rulesCase(r)),
};
