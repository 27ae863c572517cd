/**
 * `identify(text)`: which identifier is this, is it valid, and what do its parts say? The answer of
 * `openceir identify --json` and `GET /api/v1/identify`. Detection guesses from the shape of the
 * text, most likely type first; `type` is the first guess and `candidates` the others that also parse.
 */
import type { CheckDigitState, DeviceKey, InputSource } from './imei.ts';
import { compactDigits, fullImei, parseImei, reportingBodyOf, snrOf, tacOf } from './imei.ts';
import type { Imsi } from './imsi.ts';
import { esnDecimal, meidDecimal, pseudoEsn } from './meid.ts';
import type { Rbi, ReportingBody } from './rbi.ts';
import { reportingBody } from './rbi.ts';
import type { ParseError } from './result.ts';
import { type SuspicionFlag, suspicionFlags } from './suspicion.ts';
import { codecs, type IdentifierType, type IdentifierValues } from './types.ts';

export interface Identification {
  readonly input: string;
  readonly type: IdentifierType | 'unknown';
  readonly valid: boolean;
  /** The canonical text of the identifier itself (without a PEI/SUPI/GPSI prefix), or null if invalid. */
  readonly normalized: string | null;
  readonly errors: readonly ParseError[];
  readonly flags: readonly SuspicionFlag[];
  /** Other types the same text also parses as. */
  readonly candidates: readonly IdentifierType[];
  /** The 3GPP wrapper the value came in, and its canonical text. */
  readonly wrapper?: { readonly form: 'pei' | 'supi' | 'gpsi'; readonly text: string };
  // The IMEI family (imei, imeisv, device-key, and PEIs carrying them):
  readonly deviceKey?: string;
  readonly tac?: string;
  readonly snr?: string;
  readonly rbi?: string;
  readonly reportingBody?: ReportingBody;
  readonly svn?: string | null;
  readonly checkDigit?: string | null;
  readonly expectedCheckDigit?: string;
  readonly checkDigitState?: CheckDigitState;
  /** The 15-digit IMEI with its Luhn digit, for labels and DIRBS `generate_check_digit`. */
  readonly fullImei?: string;
  /** Type-specific facts (MCC/MNC, number plan, MEID forms, address bits, …). */
  readonly details?: Record<string, unknown>;
}

export interface IdentifyOptions {
  /** Parse as this type only, skipping detection. */
  readonly type?: IdentifierType;
  /** Default `person`: typed input, where a wrong IMEI check digit is an error. */
  readonly source?: InputSource;
}

const HEX = /^[0-9A-Fa-f]+$/;

/** The types a text may be, most likely first (a CEIR mostly meets IMEIs, then subscriber numbers). */
export function guessTypes(text: string): IdentifierType[] {
  const value = text.trim();
  if (/^(imei|imeisv|mac|eui)-/i.test(value)) return ['pei'];
  if (/^(imsi|nai|gci|gli)-/i.test(value)) return ['supi'];
  if (/^(msisdn|extid)-/i.test(value)) return ['gpsi'];
  if (value.startsWith('+')) return ['msisdn'];
  if (value.includes('@')) return ['nai'];
  if (/^[0-9A-Fa-f]{2}([-:])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$/.test(value)) return ['mac-48'];
  if (/^[0-9A-Fa-f]{2}([-:])(?:[0-9A-Fa-f]{2}\1){6}[0-9A-Fa-f]{2}$/.test(value)) return ['eui-64'];
  if (/^[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4}){2}$/.test(value)) return ['mac-48'];
  const digits = compactDigits(value);
  if (digits !== null) return guessDigits(digits);
  if (HEX.test(value)) {
    switch (value.length) {
      case 14:
      case 15:
        return ['meid'];
      case 8:
        return ['esn'];
      case 12:
        return ['mac-48'];
      case 16:
        return ['eui-64'];
    }
  }
  return [];
}

function guessDigits(digits: string): IdentifierType[] {
  switch (digits.length) {
    case 2:
      return ['rbi', 'svn'];
    case 8:
      return ['tac', 'esn'];
    case 11:
      return ['msisdn', 'imsi', 'esn'];
    case 14:
      return ['imei', 'meid', 'imsi', 'msisdn'];
    case 15:
      return looksLikeImsi(digits) ? ['imsi', 'imei', 'msisdn', 'meid'] : ['imei', 'imsi', 'msisdn', 'meid'];
    case 16:
      return ['imeisv'];
    case 18:
    case 19:
      return digits.startsWith('89') ? ['iccid', 'meid'] : ['meid', 'iccid'];
    case 20:
      return ['iccid'];
    case 32:
      return ['eid'];
  }
  return digits.length >= 5 && digits.length <= 15 ? ['msisdn', 'imsi'] : [];
}

/**
 * 15 digits are an IMEI unless the check digit fails, the TAC is not from a body that allocates
 * today, and the digits start with a known MCC+MNC: then a typed IMSI is the likelier reading.
 */
function looksLikeImsi(digits: string): boolean {
  const imei = parseImei(digits, { source: 'network' });
  if (!imei.ok || imei.value.checkDigitState !== 'mismatch') return false;
  const rbi = reportingBodyOf(imei.value.deviceKey).status;
  if (rbi === 'active' || rbi === 'test') return false;
  const imsi = codecs.imsi.parse(digits, 'person');
  return imsi.ok && imsi.value.network !== null;
}

function imeiFamily(
  key: DeviceKey,
  extra: { svn: string | null; checkDigit: string | null; state: CheckDigitState },
) {
  const body = reportingBodyOf(key);
  return {
    deviceKey: key as string,
    tac: tacOf(key) as string,
    snr: snrOf(key) as string,
    rbi: body.code as string,
    reportingBody: body,
    svn: extra.svn,
    checkDigit: extra.checkDigit,
    expectedCheckDigit: fullImei(key).slice(14),
    checkDigitState: extra.state,
    fullImei: fullImei(key),
    flags: suspicionFlags(key, extra.state),
  };
}

function imsiDetails(imsi: Imsi): Record<string, unknown> {
  return {
    mcc: imsi.mcc,
    mnc: imsi.mnc,
    msin: imsi.msin,
    countryCode: imsi.countryCode,
    network: imsi.network
      ? { brand: imsi.network.brand, operator: imsi.network.operator, status: imsi.network.status }
      : null,
    testNetwork: imsi.testNetwork,
  };
}

type Described = Omit<Identification, 'input' | 'valid' | 'errors' | 'candidates' | 'flags'> & {
  flags?: SuspicionFlag[];
};

/** Turns a parsed value into the facts `identify` reports; wrappers report the value they carry. */
function describe<K extends IdentifierType>(type: K, value: IdentifierValues[K]): Described {
  const normalized = codecs[type].format(value);
  if (typeof value === 'string') return describeDigits(type, value, normalized);
  const v = value as Exclude<IdentifierValues[IdentifierType], string>;
  switch (v.kind) {
    case 'imei':
      return {
        type: 'imei',
        normalized,
        ...imeiFamily(v.deviceKey, { svn: null, checkDigit: v.checkDigit, state: v.checkDigitState }),
      };
    case 'imeisv':
      return {
        type: 'imeisv',
        normalized,
        ...imeiFamily(v.deviceKey, { svn: v.svn, checkDigit: null, state: 'absent' }),
      };
    case 'pei': {
      const inner =
        v.form === 'imei'
          ? describe('imei', v.imei)
          : v.form === 'imeisv'
            ? describe('imeisv', v.imeisv)
            : v.form === 'mac'
              ? describe('mac-48', v.mac)
              : describe('eui-64', v.eui);
      const details = v.form === 'mac' ? { ...inner.details, untrusted: v.untrusted } : inner.details;
      return { ...inner, ...(details ? { details } : {}), wrapper: { form: 'pei', text: normalized } };
    }
    case 'supi': {
      const inner =
        v.form === 'imsi' ? describe('imsi', v.imsi) : v.form === 'nai' ? describe('nai', v.nai) : null;
      return {
        ...(inner ?? { type: 'supi', normalized, details: { form: v.form } }),
        wrapper: { form: 'supi', text: normalized },
      };
    }
    case 'gpsi': {
      const inner =
        v.form === 'msisdn'
          ? describe('msisdn', v.msisdn)
          : {
              type: 'gpsi' as const,
              normalized,
              details: { form: 'extid', localId: v.localId, domain: v.domain },
            };
      return { ...inner, wrapper: { form: 'gpsi', text: normalized } };
    }
    case 'imsi':
      return { type: 'imsi', normalized, details: imsiDetails(v) };
    case 'msisdn': {
      const { kind: _kind, digits: _digits, ...facts } = v;
      return { type: 'msisdn', normalized, details: facts };
    }
    case 'nai':
      return { type: 'nai', normalized, details: { user: v.user, realm: v.realm } };
    case 'meid':
      return {
        type: 'meid',
        normalized,
        details: {
          hex: v.hex,
          decimal: meidDecimal(v.hex),
          form: v.form,
          administration: v.administration,
          checkDigit: v.checkDigit,
          expectedCheckDigit: v.expectedCheckDigit,
          expectedDecimalCheckDigit: v.expectedDecimalCheckDigit,
          pseudoEsn: pseudoEsn(v).hex,
        },
      };
    case 'esn':
      return { type, normalized, details: { hex: v.hex, decimal: esnDecimal(v), pseudo: v.pseudo } };
    case 'eid':
      return { type: 'eid', normalized, details: { classicLayout: v.classicLayout } };
    case 'iccid':
      return { type: 'iccid', normalized, details: { countryCallingCode: v.countryCallingCode } };
    case 'mac-48':
    case 'eui-64':
      return {
        type: v.kind,
        normalized,
        details: { hex: v.hex, multicast: v.multicast, locallyAdministered: v.locallyAdministered },
      };
  }
}

/** The plain branded strings: device key, TAC, SNR, SVN, RBI. */
function describeDigits(type: IdentifierType, text: string, normalized: string): Described {
  if (type === 'device-key') {
    return {
      type,
      normalized,
      ...imeiFamily(text as DeviceKey, { svn: null, checkDigit: null, state: 'absent' }),
    };
  }
  if (type === 'tac' || type === 'rbi') {
    const body = reportingBody(text.slice(0, 2) as Rbi);
    return { type, normalized, rbi: body.code, reportingBody: body };
  }
  return { type, normalized };
}

/** Builds the answer with its keys in one order, so JSON output reads the same for every type. */
function answer(
  input: string,
  head: {
    type: Identification['type'];
    valid: boolean;
    normalized: string | null;
    errors: readonly ParseError[];
  },
  described: Described | null,
  candidates: readonly IdentifierType[] = [],
): Identification {
  const {
    type: _type,
    normalized: _normalized,
    flags = [],
    ...facts
  } = described ?? { type: head.type, normalized: null };
  return { input, ...head, flags, candidates, ...facts };
}

function identifyAs(input: string, type: IdentifierType, source: InputSource): Identification {
  const parsed = codecs[type].parse(input, source);
  if (parsed.ok) {
    const described = describe(type, parsed.value);
    return answer(
      input,
      { type: described.type, valid: true, normalized: described.normalized, errors: [] },
      described,
    );
  }
  // A typed IMEI with a wrong check digit still has a device key worth showing, with the digit it should have.
  if (parsed.error.code === 'IMEI_CHECK_DIGIT') {
    const lenient = codecs[type].parse(input, 'network');
    if (lenient.ok) {
      const described = describe(type, lenient.value);
      return answer(
        input,
        { type: described.type, valid: false, normalized: null, errors: [parsed.error] },
        described,
      );
    }
  }
  return answer(input, { type, valid: false, normalized: null, errors: [parsed.error] }, null);
}

function unknown(input: string, code: string, message: string): Identification {
  return answer(
    input,
    { type: 'unknown', valid: false, normalized: null, errors: [{ code, message }] },
    null,
  );
}

export function identify(input: string, options: IdentifyOptions = {}): Identification {
  const source = options.source ?? 'person';
  if (options.type) return identifyAs(input, options.type, source);
  if (input.trim() === '') return unknown(input, 'EMPTY', 'the value is empty');
  const [first, ...others] = guessTypes(input);
  if (!first) {
    return unknown(
      input,
      'UNRECOGNISED',
      'the value does not have the shape of any identifier in the catalogue',
    );
  }
  const result = identifyAs(input, first, source);
  const candidates = others.filter((type) => codecs[type].parse(input, source).ok);
  return { ...result, candidates };
}
