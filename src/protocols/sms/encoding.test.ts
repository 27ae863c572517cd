import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatInfo, Reassembler } from './concat.ts';
import {
  DATA_CODING_GSM,
  DATA_CODING_UCS2,
  decodeGsm,
  decodeUcs2,
  ESM_CLASS_UDHI,
  encodeGsm,
  gsmLength,
  planMessage,
} from './encoding.ts';

const RUNS = Math.min(Number(process.env.OPENCEIR_FUZZ_RUNS ?? 500), 5000);

/** The text of each part back from its octets, as a handset reads it. */
function readParts(plan: ReturnType<typeof planMessage>): string[] {
  return plan.parts.map((part) => {
    const body = plan.esmClass & ESM_CLASS_UDHI ? part.subarray(part[0]! + 1) : part;
    return plan.dataCoding === DATA_CODING_GSM ? decodeGsm(body) : decodeUcs2(body);
  });
}

describe('GSM 7-bit or UCS-2', () => {
  it('counts extension characters twice and knows what is not GSM', () => {
    expect(gsmLength('Hello @£$¥')).toBe(10);
    expect(gsmLength('5€ [x]')).toBe(9);
    expect(gsmLength('ÄÖÑÜ§¿äöñüà')).toBe(11);
    expect(gsmLength('ç')).toBeNull(); // only Ç is in the default alphabet
    expect(gsmLength('محظور')).toBeNull();
    expect(gsmLength('封锁')).toBeNull();
    expect(gsmLength('Привет')).toBeNull();
    expect([...encodeGsm('@€')]).toEqual([0x00, 0x1b, 0x65]);
    expect(decodeGsm(encodeGsm('{a}~\\|^[]\f'))).toBe('{a}~\\|^[]\f');
  });

  it('sends one part up to 160 septets or 70 UCS-2 characters', () => {
    expect(planMessage('a'.repeat(160), 1).parts).toHaveLength(1);
    expect(planMessage('a'.repeat(161), 1).parts).toHaveLength(2);
    expect(planMessage('€'.repeat(80), 1).parts).toHaveLength(1);
    expect(planMessage('€'.repeat(81), 1).parts).toHaveLength(2);
    const arabic = planMessage('ح'.repeat(70), 1);
    expect(arabic).toMatchObject({ dataCoding: DATA_CODING_UCS2, esmClass: 0 });
    expect(arabic.parts[0]).toHaveLength(140);
    expect(planMessage('ح'.repeat(71), 1).parts).toHaveLength(2);
  });

  it('splits Arabic, Chinese and Russian into 67-character parts with a UDH', () => {
    for (const text of [
      'تم التحقق من البلاغ. الهاتف محظور الآن على جميع الشبكات. '.repeat(4),
      '您的手机已在所有网络上被封锁。'.repeat(10),
      'Телефон заблокирован во всех сетях. '.repeat(5),
    ]) {
      const plan = planMessage(text, 0x2a);
      expect(plan.dataCoding).toBe(DATA_CODING_UCS2);
      expect(plan.esmClass).toBe(ESM_CLASS_UDHI);
      expect(plan.parts.length).toBe(Math.ceil(text.length / 67));
      plan.parts.forEach((part, i) => {
        expect([...part.subarray(0, 6)]).toEqual([5, 0, 3, 0x2a, plan.parts.length, i + 1]);
        expect(part.length).toBeLessThanOrEqual(140);
      });
      expect(readParts(plan).join('')).toBe(text);
    }
  });

  it('never cuts an escape pair or a surrogate pair between parts', () => {
    const gsm = planMessage(`${'a'.repeat(152)}€${'b'.repeat(10)}`, 1);
    expect(gsm.texts).toEqual(['a'.repeat(152), `€${'b'.repeat(10)}`]);
    const emoji = planMessage(`${'x'.repeat(66)}😀y`.repeat(2), 1);
    expect(emoji.texts.every((t) => !/[\ud800-\udbff]$/.test(t))).toBe(true);
    expect(emoji.texts.join('')).toBe(`${'x'.repeat(66)}😀y`.repeat(2));
  });

  it('property: the parts join back to the text, each within 140 octets', () => {
    const alphabet = fc.constantFrom('a', 'Z', ' ', '€', '{', '@', 'é', 'ж', 'ع', '中', '😀', '\n');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 600 }), fc.integer({ min: 0, max: 255 }), (chars, ref) => {
        const text = chars.join('');
        const plan = planMessage(text, ref);
        expect(readParts(plan).join('')).toBe(text);
        for (const part of plan.parts)
          expect(part.length).toBeLessThanOrEqual(plan.parts.length > 1 ? 140 : 160);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('concatenated messages reassembled', () => {
  it('joins parts in any order and keys them by sender and reference', () => {
    const r = new Reassembler();
    expect(r.add('a', { reference: 7, total: 3, sequence: 3 }, 'C')).toBeNull();
    expect(r.add('b', { reference: 7, total: 3, sequence: 1 }, 'x')).toBeNull();
    expect(r.add('a', { reference: 7, total: 3, sequence: 1 }, 'A')).toBeNull();
    expect(r.add('a', { reference: 7, total: 3, sequence: 1 }, 'A')).toBeNull(); // a repeat
    expect(r.add('a', { reference: 7, total: 3, sequence: 2 }, 'B')).toBe('ABC');
    expect(r.size).toBe(1);
  });

  it('drops an incomplete message after its time', () => {
    const r = new Reassembler(1000);
    r.add('a', { reference: 1, total: 2, sequence: 1 }, 'A', 0);
    expect(r.add('a', { reference: 1, total: 2, sequence: 2 }, 'B', 2000)).toBeNull();
    expect(r.size).toBe(1);
  });

  it('reads 8- and 16-bit concatenation elements and ignores malformed ones', () => {
    expect(concatInfo([Buffer.from([0, 3, 9, 2, 1])])).toEqual({ reference: 9, total: 2, sequence: 1 });
    expect(concatInfo([Buffer.from([8, 4, 1, 2, 3, 3])])).toEqual({ reference: 258, total: 3, sequence: 3 });
    expect(concatInfo([Buffer.from([0, 3, 9, 2, 3])])).toBeNull();
    expect(concatInfo([Buffer.from([0, 3, 9, 0, 0])])).toBeNull();
    expect(concatInfo(undefined)).toBeNull();
  });
});
