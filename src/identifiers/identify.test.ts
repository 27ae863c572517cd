import { describe, expect, it } from 'vitest';
import { identify } from './identify.ts';

describe('identify (acceptance of [1 of 8])', () => {
  it('an IMEISV PEI gives its device key and SVN', () => {
    expect(identify('imeisv-4370816125816151')).toMatchObject({
      type: 'imeisv',
      valid: true,
      deviceKey: '43708161258161',
      svn: '51',
      wrapper: { form: 'pei', text: 'imeisv-4370816125816151' },
    });
  });

  it('490154203237518 is valid; 490154203237517 is invalid with expected check digit 8', () => {
    expect(identify('490154203237518')).toMatchObject({
      type: 'imei',
      valid: true,
      checkDigit: '8',
      expectedCheckDigit: '8',
    });
    const bad = identify('490154203237517');
    expect(bad).toMatchObject({
      type: 'imei',
      valid: false,
      deviceKey: '49015420323751',
      checkDigit: '7',
      expectedCheckDigit: '8',
      errors: [{ code: 'IMEI_CHECK_DIGIT' }],
    });
    expect(bad.flags).toContain('bad-check-digit');
  });

  it('the 14-digit TS 23.003 example gives expected check digit 7', () => {
    expect(identify('26053179311383')).toMatchObject({
      type: 'imei',
      valid: true,
      checkDigit: null,
      expectedCheckDigit: '7',
    });
  });

  it('recognises a MEID (hex and decimal), an EID and an IMSI', () => {
    expect(identify('AF0123450ABCDE')).toMatchObject({
      type: 'meid',
      valid: true,
      details: { pseudoEsn: '8016B128' },
    });
    expect(identify('293608736500703710')).toMatchObject({ type: 'meid', valid: true });
    expect(identify('89049032123451234512345678901235')).toMatchObject({ type: 'eid', valid: true });
    expect(identify('imsi-310260123456789')).toMatchObject({
      type: 'imsi',
      valid: true,
      details: { mcc: '310', mnc: '260' },
    });
    expect(identify('310260123456789')).toMatchObject({ type: 'imsi', valid: true });
  });

  it('network source accepts a wrong check digit and flags it', () => {
    const answer = identify('490154203237517', { source: 'network' });
    expect(answer).toMatchObject({ type: 'imei', valid: true, checkDigitState: 'mismatch' });
    expect(answer.flags).toContain('bad-check-digit');
  });

  it('lists the other types the same digits fit', () => {
    expect(identify('26053179311383').candidates).toContain('imsi');
    expect(identify('+4915112345678')).toMatchObject({
      type: 'msisdn',
      valid: true,
      normalized: '4915112345678',
    });
  });

  it('a forced type overrides detection', () => {
    expect(identify('35209900', { type: 'esn' })).toMatchObject({ type: 'esn', valid: true });
    expect(identify('35209900')).toMatchObject({ type: 'tac', reportingBody: { status: 'active' } });
  });

  it('unknown and empty input get a clear error', () => {
    expect(identify('hello world')).toMatchObject({
      type: 'unknown',
      valid: false,
      errors: [{ code: 'UNRECOGNISED' }],
    });
    expect(identify('  ')).toMatchObject({ type: 'unknown', valid: false, errors: [{ code: 'EMPTY' }] });
  });

  it('keys come in one order for every type', () => {
    expect(Object.keys(identify('AF0123450ABCDE')).slice(0, 7)).toEqual([
      'input',
      'type',
      'valid',
      'normalized',
      'errors',
      'flags',
      'candidates',
    ]);
  });
});
