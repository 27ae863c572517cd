import { describe, expect, it } from 'vitest';
import { parseEid } from './eid.ts';
import { parseIccid } from './iccid.ts';
import { lookupNetwork, parseImsi } from './imsi.ts';
import { formatMac48, parseEui64, parseMac48 } from './mac.ts';
import { parseMsisdn } from './msisdn.ts';
import { formatPei, parsePei } from './pei.ts';
import { formatGpsi, formatSupi, parseGpsi, parseSupi } from './subscriber.ts';

describe('IMSI split by the MCC–MNC table', () => {
  it.each([
    ['001010000000001', '001', '01', 'Test network'],
    ['310260123456789', '310', '260', 'T-Mobile US'],
    ['262011234567890', '262', '01', null],
  ])('%s → MCC %s MNC %s', (digits, mcc, mnc, operator) => {
    const imsi = parseImsi(digits);
    expect(imsi.ok).toBe(true);
    if (!imsi.ok) return;
    expect(imsi.value.mcc).toBe(mcc);
    expect(imsi.value.mnc).toBe(mnc);
    expect(imsi.value.msin).toBe(digits.slice(3 + mnc.length));
    if (operator) expect(imsi.value.network?.operator).toBe(operator);
  });

  it('marks test and private networks', () => {
    expect(parseImsi('001010000000001')).toMatchObject({ ok: true, value: { testNetwork: true } });
    expect(parseImsi('999700000000001')).toMatchObject({ ok: true, value: { testNetwork: true } });
  });

  it('an unknown MCC is an error when typed, accepted from the network', () => {
    expect(parseImsi('000011234567890')).toMatchObject({ ok: false, error: { code: 'IMSI_MCC_UNKNOWN' } });
    expect(parseImsi('000011234567890', { source: 'network' })).toMatchObject({
      ok: true,
      value: { mnc: null },
    });
  });

  it('prefers the main country of an MCC shared by territories', () => {
    expect(lookupNetwork('310260')?.countryCode).toBe('US');
  });
});

describe('MSISDN (E.164, libphonenumber)', () => {
  it('normalises + and groups', () => {
    expect(parseMsisdn('+49 151 1234 5678')).toMatchObject({
      ok: true,
      value: { digits: '4915112345678', country: 'DE', numberType: 'MOBILE' },
    });
  });

  it('checks the numbering plan for people, not for networks', () => {
    expect(parseMsisdn('447700900123')).toMatchObject({ ok: false, error: { code: 'MSISDN_NUMBER_PLAN' } });
    expect(parseMsisdn('447700900123', { source: 'network' })).toMatchObject({
      ok: true,
      value: { validInNumberPlan: false },
    });
  });
});

describe('PEI (TS 29.571)', () => {
  it.each([
    'imei-490154203237518',
    'imeisv-4370816125816151',
    'mac-00-11-22-33-44-55',
    'mac-00-11-22-33-44-55-untrusted',
    'eui-00-11-22-FF-FE-33-44-55',
  ])('%s round-trips', (text) => {
    const pei = parsePei(text);
    expect(pei.ok && formatPei(pei.value)).toBe(text);
  });

  it('an AMF-sent IMEI with a wrong 15th digit is still a PEI', () => {
    expect(parsePei('imei-490154203237517')).toMatchObject({
      ok: true,
      value: { imei: { checkDigitState: 'mismatch' } },
    });
  });

  it('refuses what it cannot interpret, naming the form', () => {
    expect(parsePei('imei-4901542032375')).toMatchObject({ ok: false, error: { code: 'PEI_FORMAT' } });
    expect(parsePei('4370816125816151')).toMatchObject({ ok: false, error: { code: 'PEI_TYPE' } });
    expect(parsePei('mac-00-11-22-33-44')).toMatchObject({ ok: false, error: { code: 'PEI_FORMAT' } });
  });
});

describe('SUPI and GPSI', () => {
  it.each(['imsi-001010000000001', 'nai-user@example.org', 'gci-abc123'])('SUPI %s round-trips', (text) => {
    const supi = parseSupi(text);
    expect(supi.ok && formatSupi(supi.value)).toBe(text);
  });

  it.each(['msisdn-4915112345678', 'extid-meter7@iot.example.net'])('GPSI %s round-trips', (text) => {
    const gpsi = parseGpsi(text);
    expect(gpsi.ok && formatGpsi(gpsi.value)).toBe(text);
  });

  it('refuses malformed forms', () => {
    expect(parseSupi('imsi-12')).toMatchObject({ ok: false, error: { code: 'SUPI_FORMAT' } });
    expect(parseSupi('nai-nobody')).toMatchObject({ ok: false, error: { code: 'NAI_FORMAT' } });
    expect(parseSupi('tmsi-1234')).toMatchObject({ ok: false, error: { code: 'SUPI_TYPE' } });
    expect(parseGpsi('extid-@example.org')).toMatchObject({ ok: false, error: { code: 'GPSI_FORMAT' } });
  });
});

describe('MAC-48 and EUI-64', () => {
  it('accepts the usual spellings and writes IEEE form', () => {
    for (const text of ['00-1a-2b-3c-4d-5e', '00:1A:2B:3C:4D:5E', '001a.2b3c.4d5e', '001A2B3C4D5E']) {
      const mac = parseMac48(text);
      expect(mac.ok && formatMac48(mac.value)).toBe('00-1A-2B-3C-4D-5E');
    }
    expect(parseMac48('00-1a:2b-3c-4d-5e').ok).toBe(false);
  });

  it('reads the group and local bits', () => {
    expect(parseMac48('01-00-5E-00-00-01')).toMatchObject({ ok: true, value: { multicast: true } });
    expect(parseMac48('02-00-00-00-00-01')).toMatchObject({ ok: true, value: { locallyAdministered: true } });
    expect(parseEui64('00-11-22-FF-FE-33-44-55').ok).toBe(true);
  });
});

describe('EID and ICCID', () => {
  it('EID MOD 97-10 (identifiers.md §5 vectors)', () => {
    expect(parseEid('89049032123451234512345678901235').ok).toBe(true);
    expect(parseEid('89044000000000000000000000000136').ok).toBe(true);
    const bad = parseEid('89049032123451234512345678901234');
    expect(bad).toMatchObject({ ok: false, error: { code: 'EID_CHECK_DIGITS' } });
    expect(!bad.ok && bad.error.message).toContain('35');
  });

  it('ICCID with Luhn and the country calling code', () => {
    expect(parseIccid('8944110068256270054')).toMatchObject({
      ok: true,
      value: { countryCallingCode: '44' },
    });
    expect(parseIccid('89012601234567890121')).toMatchObject({
      ok: true,
      value: { countryCallingCode: '1' },
    });
    expect(parseIccid('8944110068256270055')).toMatchObject({
      ok: false,
      error: { code: 'ICCID_CHECK_DIGIT' },
    });
  });
});
