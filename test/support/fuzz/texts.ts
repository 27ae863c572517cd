/**
 * Random and mutated text for the parser fuzzers: the characters people's phones and spreadsheets
 * send (full-width and Arabic-Indic digits, BOMs, control characters, lone surrogates), and
 * mutations of valid inputs (insert, delete, duplicate, splice, truncate), each named in a recipe.
 */
import type { Random } from './random.ts';

const ALPHABETS = [
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  '0123456789',
  '0123456789-./ ',
  ' \t\r\n',
  ',;|"\':=#*&!%@`{}[]()<>?\\+~^$',
  '０１２３４５６７８９ＫＹＭＬＯＳＴ：',
  '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹',
  '\u0000\u0001\u0008\u000b\u000c\u001b\u007f\u0085\u00a0\u2028\u3000',
  'éßжщ中文字العربية😀\u200b\u200f\ufeff\ufffd',
];
const LONE_SURROGATES = ['\ud800', '\udfff', '\udc00x'];

/** One random character, from one alphabet picked at random (lone surrogates now and then). */
export function randomChar(r: Random): string {
  if (r.chance(0.01)) return r.pick(LONE_SURROGATES);
  return r.pick([...r.pick(ALPHABETS)]);
}

/** A random string of up to `max` characters, mostly from one alphabet (so digits come in runs). */
export function randomText(r: Random, max: number): string {
  const alphabet = [...r.pick(ALPHABETS)];
  const n = r.int(max + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += r.chance(0.85) ? r.pick(alphabet) : randomChar(r);
  return s;
}

export interface Mutated {
  readonly text: string;
  readonly recipe: string;
}

/**
 * Applies 1–4 mutations to `text`: character edits, span deletes and duplicates, splices with
 * `others`, insertion of `tokens` (words the parser looks for), truncation. Never longer than `max`.
 */
export function mutateText(
  r: Random,
  text: string,
  options: { others?: readonly string[]; tokens?: readonly string[]; max: number },
): Mutated {
  let s = text;
  const steps: string[] = [];
  const rounds = r.between(1, 4);
  for (let k = 0; k < rounds; k++) {
    const at = r.int(s.length + 1);
    const span = r.between(1, Math.max(1, Math.min(16, s.length - at)));
    const kind = r.weighted<string>([
      [4, 'insert'],
      [3, 'replace'],
      [3, 'delete'],
      [2, 'duplicate'],
      [2, 'token'],
      [1, 'splice'],
      [1, 'truncate'],
      [1, 'digits'],
      [1, 'case'],
    ]);
    switch (kind) {
      case 'insert':
        s = s.slice(0, at) + randomText(r, 4) + s.slice(at);
        break;
      case 'replace':
        s = s.slice(0, at) + randomChar(r) + s.slice(at + 1);
        break;
      case 'delete':
        s = s.slice(0, at) + s.slice(at + span);
        break;
      case 'duplicate':
        s = s.slice(0, at + span) + s.slice(at, at + span).repeat(r.between(1, 8)) + s.slice(at + span);
        break;
      case 'token':
        s = s.slice(0, at) + (options.tokens?.length ? r.pick(options.tokens) : randomChar(r)) + s.slice(at);
        break;
      case 'splice': {
        const other = options.others?.length ? r.pick(options.others) : randomText(r, 32);
        s = s.slice(0, at) + other.slice(r.int(other.length + 1));
        break;
      }
      case 'truncate':
        s = s.slice(0, at);
        break;
      case 'digits':
        s = s.slice(0, at) + r.digits(r.between(0, 20)) + s.slice(at + span);
        break;
      case 'case':
        s = s.slice(0, at) + s.slice(at, at + span).toUpperCase() + s.slice(at + span).toLowerCase();
        break;
    }
    steps.push(`${kind}@${at}`);
  }
  return { text: s.length > options.max ? s.slice(0, options.max) : s, recipe: steps.join(' ') };
}

/** A mutant of one of `seeds` (or, one time in `randomShare`, random text). */
export function textCase(
  r: Random,
  seeds: readonly string[],
  options: { tokens?: readonly string[]; max: number; randomShare?: number },
): Mutated {
  if (r.chance(options.randomShare ?? 0.15)) return { text: randomText(r, options.max), recipe: 'random' };
  const i = r.int(seeds.length);
  const m = mutateText(r, seeds[i]!, { others: seeds, ...options });
  return { text: m.text, recipe: `seed ${i}: ${m.recipe}` };
}
