import { describe, expect, it } from 'vitest';
import { isDeviceKeyNorm, normaliseImei } from './normalise.ts';

describe('DIRBS IMEI normalisation (dirbs-compat.md §2.1)', () => {
  it.each([
    ['352099001761481', '35209900176148'],
    ['3520990017614823', '35209900176148'],
    ['35209900176148ff', '35209900176148'],
    ['35209900176148#', '35209900176148'],
    ['3520990017614a', '3520990017614A'],
    ['ab12', 'AB12'],
    ['12345', '12345'],
    ['  352099001761480 ', '35209900176148'],
  ])('%s → %s', (raw, norm) => {
    expect(normaliseImei(raw)).toBe(norm);
  });

  it('empty or blank is null', () => {
    expect(normaliseImei('')).toBeNull();
    expect(normaliseImei('   ')).toBeNull();
    expect(normaliseImei(null)).toBeNull();
  });

  it('tells device keys from the rest', () => {
    expect(isDeviceKeyNorm('35209900176148')).toBe(true);
    expect(isDeviceKeyNorm('3520990017614A')).toBe(false);
    expect(isDeviceKeyNorm('12345')).toBe(false);
  });
});
