/**
 * Mobile-originated texts → commands. Pure. People type on small keyboards in many scripts, so the
 * parser forgives: any case, any whitespace, IMEIs grouped with spaces, hyphens, dots or slashes (as
 * printed on boxes), full-width letters and digits (Chinese input methods) and Arabic-Indic digits
 * (Arabic and Persian keyboards). It checks the shape only; whether an IMEI is valid is the registry's answer.
 */

export type HelpTopic = 'general' | 'kym' | 'report' | 'verify' | 'status' | 'appeal';

export type Command =
  | { readonly kind: 'kym'; readonly imei: string }
  | { readonly kind: 'report'; readonly report: 'lost' | 'stolen'; readonly imeis: readonly string[] }
  | { readonly kind: 'verify'; readonly reference: string; readonly code: string }
  | { readonly kind: 'status'; readonly reference: string }
  | { readonly kind: 'appeal'; readonly imei: string; readonly grounds: string }
  | { readonly kind: 'invalid-imei'; readonly input: string }
  | { readonly kind: 'help'; readonly topic: HelpTopic };

/** A device has at most 4 IMEIs (the cases part refuses more). */
export const MAX_REPORT_IMEIS = 4;
/** Longest text kept from the grounds of an appeal by SMS (a few concatenated parts). */
export const MAX_GROUNDS = 600;

const IMEI_DIGITS = /^[0-9]{14,16}$/;
/** A digit group as printed: digits, possibly joined by - . / (spaces split tokens already). */
const DIGIT_GROUP = /^[0-9]+(?:[-./][0-9]+)*$/;

/** Unicode forms people's phones send, folded to what the parser reads. */
export function normaliseText(text: string): string {
  return (
    text
      // Full-width ASCII forms (ＫＹＭ ３５…, U+FF01–FF5E) to ASCII; the rest (grounds of an appeal) stays as typed.
      .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      // Arabic-Indic (U+0660…) and Eastern Arabic-Indic (U+06F0…) digits.
      .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
      .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
      .replace(/\s+/g, ' ')
      .trim()
  );
}

const digitsOf = (token: string) => token.replace(/[-./]/g, '');

/**
 * Reads IMEIs from the front of `tokens`. A token of 14–16 digits is one IMEI; shorter groups are
 * joined until they reach 14 digits without passing 16 ("35 209900 176148"), and 14 digits take a
 * following single digit as their check digit ("… 176148 1"). Stops at the first token that is not
 * a digit group.
 */
function readImeis(tokens: readonly string[], max: number): { imeis: string[]; used: number } {
  const imeis: string[] = [];
  let i = 0;
  while (i < tokens.length && imeis.length < max && DIGIT_GROUP.test(tokens[i]!)) {
    let digits = digitsOf(tokens[i]!);
    i++;
    const next = () => (i < tokens.length && DIGIT_GROUP.test(tokens[i]!) ? digitsOf(tokens[i]!) : null);
    for (
      let group = next();
      digits.length < 14 && group && digits.length + group.length <= 16;
      group = next()
    ) {
      digits += group;
      i++;
    }
    if (digits.length === 14 && next()?.length === 1) digits += digitsOf(tokens[i++]!);
    imeis.push(digits);
  }
  return { imeis, used: i };
}

const reference = (tokens: readonly string[]) => tokens.join('').toUpperCase();

export function parseCommand(text: string): Command {
  const normalised = normaliseText(text);
  // The keyword may touch what follows ("KYM:35…", "kym352…").
  const match = /^([A-Za-z]+)[\s:]*(.*)$/.exec(normalised);
  if (!match) return { kind: 'help', topic: 'general' };
  const keyword = match[1]!.toUpperCase();
  const rest = match[2]!;
  const tokens = rest === '' ? [] : rest.split(' ');

  switch (keyword) {
    case 'KYM': {
      if (tokens.length === 0) return { kind: 'help', topic: 'kym' };
      const digits = rest.replace(/[\s\-./]/g, '');
      return IMEI_DIGITS.test(digits) ? { kind: 'kym', imei: digits } : { kind: 'invalid-imei', input: rest };
    }
    case 'LOST':
    case 'STOLEN': {
      const { imeis, used } = readImeis(tokens, MAX_REPORT_IMEIS);
      if (imeis.length === 0 || used < tokens.length) return { kind: 'help', topic: 'report' };
      const bad = imeis.find((imei) => !IMEI_DIGITS.test(imei));
      if (bad !== undefined) return { kind: 'invalid-imei', input: bad };
      return { kind: 'report', report: keyword === 'LOST' ? 'lost' : 'stolen', imeis };
    }
    case 'VERIFY': {
      const code = tokens.at(-1);
      if (tokens.length < 2 || !code || !/^[0-9]{4,8}$/.test(code)) return { kind: 'help', topic: 'verify' };
      return { kind: 'verify', reference: reference(tokens.slice(0, -1)), code };
    }
    case 'STATUS':
      return tokens.length === 0
        ? { kind: 'help', topic: 'status' }
        : { kind: 'status', reference: reference(tokens) };
    case 'APPEAL': {
      const { imeis, used } = readImeis(tokens, 1);
      const grounds = tokens.slice(used).join(' ').slice(0, MAX_GROUNDS);
      if (imeis.length === 0 || grounds === '') return { kind: 'help', topic: 'appeal' };
      if (!IMEI_DIGITS.test(imeis[0]!)) return { kind: 'invalid-imei', input: imeis[0]! };
      return { kind: 'appeal', imei: imeis[0]!, grounds };
    }
    default:
      return { kind: 'help', topic: 'general' };
  }
}
