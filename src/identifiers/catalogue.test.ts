import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue.ts';
import { codecs, IDENTIFIER_TYPES } from './types.ts';

describe('identifier catalogue', () => {
  it('describes every identifier type once, and at least 12', () => {
    expect(CATALOGUE.map((entry) => entry.type).sort()).toEqual([...IDENTIFIER_TYPES].sort());
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(12);
  });

  describe.each(CATALOGUE.map((entry) => [entry.type, entry] as const))('%s', (type, entry) => {
    it.each(entry.examples.valid)('valid example %j parses', (example) => {
      const parsed = codecs[type].parse(example);
      expect(parsed).toMatchObject({ ok: true });
    });

    it.each(entry.examples.invalid.map((e) => [e.value, e.code]))(
      'invalid example %j fails with %s',
      (value, code) => {
        expect(codecs[type].parse(value)).toMatchObject({ ok: false, error: { code } });
      },
    );

    it('has the fields a reader needs', () => {
      expect(entry.name).not.toBe('');
      expect(entry.standards.length).toBeGreaterThan(0);
      expect(entry.structure.length).toBeGreaterThan(0);
      expect(entry.length.min).toBeLessThanOrEqual(entry.length.max);
      expect(entry.examples.invalid.length).toBeGreaterThan(0);
    });
  });
});
