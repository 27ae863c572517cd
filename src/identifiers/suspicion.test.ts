import { describe, expect, it } from 'vitest';
import type { DeviceKey } from './imei.ts';
import { suspicionFlags } from './suspicion.ts';

const flags = (key: string, state?: 'mismatch') => suspicionFlags(key as DeviceKey, state);

describe('suspicion flags (identifiers.md §11)', () => {
  it('a plain current IMEI has none', () => {
    expect(flags('35209900176148')).toEqual([]);
    expect(flags('86123456789013')).toEqual([]);
  });

  it('all zeros is flagged (and is a test RBI)', () => {
    expect(flags('00000000000000')).toEqual(['all-zeros', 'test-rbi']);
  });

  it('repeated digits in the key or the serial number', () => {
    expect(flags('11111111111111')).toContain('repeated-digits');
    expect(flags('35209900000000')).toContain('repeated-digits');
  });

  it('sequential runs up or down, wrapping 9 → 0', () => {
    expect(flags('35209900123456')).toContain('sequential-digits');
    expect(flags('35209900987654')).toContain('sequential-digits');
    expect(flags('89012345678901')).toContain('sequential-digits');
    expect(flags('35209900123457')).not.toContain('sequential-digits');
  });

  it('RBI status: test, retired, reserved, unassigned', () => {
    expect(flags('05123456789012')).toContain('test-rbi');
    expect(flags('49015420323751')).toContain('retired-rbi');
    expect(flags('98000100123456')).toContain('reserved-rbi');
    expect(flags('43708161258162')).toContain('unassigned-rbi');
  });

  it('DIRBS is_test_tac', () => {
    expect(flags('00100112345678')).toContain('test-tac');
    expect(flags('00101712345678')).toContain('test-tac');
    expect(flags('00101812345678')).not.toContain('test-tac');
    expect(flags('00441234567890')).toContain('test-tac');
    expect(flags('00861234567890')).toContain('test-tac');
    expect(flags('00911234567890')).toContain('test-tac');
    expect(flags('00921234567890')).not.toContain('test-tac');
  });

  it('published example values and a bad check digit', () => {
    expect(flags('43708161258161')).toContain('documentation-example');
    expect(flags('35209900176148', 'mismatch')).toContain('bad-check-digit');
  });
});
