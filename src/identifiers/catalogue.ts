/**
 * The identifier catalogue (Res. 97: "a list of identifiers for mobile/ICT devices"): one
 * machine-readable description per identifier type. Every example here is parsed by the tests, so
 * the catalogue cannot drift from the parsers.
 */
import type { IdentifierType } from './types.ts';

/** Where an identifier is met: signalling interfaces, operator records, the device's label. */
export type Channel = 'S13' | 'N5g-eir' | 'MAP' | 'GSUP' | 'CDR' | 'label' | 'SIM' | 'eSIM';

export type CheckAlgorithm = 'luhn' | 'luhn-16' | 'iso7064-mod97-10' | 'none';

export interface StructurePart {
  readonly name: string;
  readonly length: string;
  readonly meaning: string;
}

export interface CatalogueEntry {
  readonly type: IdentifierType;
  readonly name: string;
  readonly standards: readonly string[];
  readonly structure: readonly StructurePart[];
  readonly length: { readonly min: number; readonly max: number };
  readonly alphabet: 'decimal' | 'hexadecimal' | 'text';
  readonly check: { readonly algorithm: CheckAlgorithm; readonly note: string };
  readonly examples: {
    readonly valid: readonly string[];
    readonly invalid: readonly { readonly value: string; readonly code: string }[];
  };
  readonly travels: readonly Channel[];
  /** Whether OpenCEIR keys a list on it (only the device key is). */
  readonly listKey: boolean;
  readonly notes: string;
}

const TAC: StructurePart = {
  name: 'TAC',
  length: '8',
  meaning: 'Type Allocation Code; digits 1–2 are the reporting body (RBI)',
};
const SNR: StructurePart = { name: 'SNR', length: '6', meaning: 'serial number within the TAC' };

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    type: 'imei',
    name: 'International Mobile Equipment Identity',
    standards: ['3GPP TS 23.003 §6.2.1', '3GPP TS 22.016', 'GSMA TS.06'],
    structure: [
      TAC,
      SNR,
      { name: 'CD/SD', length: '0–1', meaning: 'Luhn check digit, or spare digit 0 when sent by the device' },
    ],
    length: { min: 14, max: 15 },
    alphabet: 'decimal',
    check: {
      algorithm: 'luhn',
      note: 'TS 23.003 Annex B. Verified on input typed by people only; networks send a spare 0 or nothing.',
    },
    examples: {
      valid: [
        '490154203237518',
        '260531793113837',
        '26053179311383',
        '35-209900-176148-1',
        'imei-352099001761481',
      ],
      invalid: [
        { value: '490154203237517', code: 'IMEI_CHECK_DIGIT' },
        { value: '4901542032375', code: 'IMEI_LENGTH' },
        { value: '35209900176A48', code: 'IMEI_CHARACTERS' },
      ],
    },
    travels: ['S13', 'N5g-eir', 'MAP', 'GSUP', 'CDR', 'label'],
    listKey: false,
    notes: 'Every form of an IMEI reduces to its 14-digit device key; dual-SIM devices carry two IMEIs.',
  },
  {
    type: 'imeisv',
    name: 'IMEI and Software Version',
    standards: ['3GPP TS 23.003 §6.2.2'],
    structure: [TAC, SNR, { name: 'SVN', length: '2', meaning: 'software version number; 99 is reserved' }],
    length: { min: 16, max: 16 },
    alphabet: 'decimal',
    check: { algorithm: 'none', note: 'The IMEISV has no check digit.' },
    examples: {
      valid: ['4370816125816151', '3520990017614823', 'imeisv-3520990017614823'],
      invalid: [{ value: '352099001761481', code: 'IMEISV_LENGTH' }],
    },
    travels: ['S13', 'N5g-eir', 'MAP'],
    listKey: false,
    notes:
      'What AMFs send as the PEI (imeisv-…) after Security Mode Complete; S13 carries IMEI + Software-Version.',
  },
  {
    type: 'device-key',
    name: 'Device key (TAC + SNR)',
    standards: ['3GPP TS 23.003 §6.2.1', 'OpenCEIR identifiers.md §10'],
    structure: [TAC, SNR],
    length: { min: 14, max: 14 },
    alphabet: 'decimal',
    check: { algorithm: 'none', note: 'Check digit and SVN are stripped; the Luhn digit can be derived.' },
    examples: {
      valid: ['35209900176148', '01234567890123'],
      invalid: [{ value: '352099001761481', code: 'DEVICE_KEY_FORMAT' }],
    },
    travels: ['S13', 'GSUP', 'CDR'],
    listKey: true,
    notes:
      'The unit of every OpenCEIR list. Fits exactly in a float64 (< 2^47); always written with 14 digits.',
  },
  {
    type: 'tac',
    name: 'Type Allocation Code',
    standards: ['GSMA TS.06', '3GPP TS 23.003 §6.2.1'],
    structure: [
      { name: 'RBI', length: '2', meaning: 'reporting body identifier' },
      { name: 'type', length: '6', meaning: 'model allocation' },
    ],
    length: { min: 8, max: 8 },
    alphabet: 'decimal',
    check: { algorithm: 'none', note: '' },
    examples: { valid: ['35209900', '86123456'], invalid: [{ value: '3520990', code: 'TAC_FORMAT' }] },
    travels: ['label', 'CDR'],
    listKey: false,
    notes:
      'Identifies the device model through the GSMA TAC database; TAC rules block or track whole models.',
  },
  {
    type: 'snr',
    name: 'Serial Number',
    standards: ['3GPP TS 23.003 §6.2.1'],
    structure: [SNR],
    length: { min: 6, max: 6 },
    alphabet: 'decimal',
    check: { algorithm: 'none', note: '' },
    examples: { valid: ['176148'], invalid: [{ value: '17614', code: 'SNR_FORMAT' }] },
    travels: [],
    listKey: false,
    notes: 'Allocated by the manufacturer within a TAC.',
  },
  {
    type: 'svn',
    name: 'Software Version Number',
    standards: ['3GPP TS 23.003 §6.2.2'],
    structure: [{ name: 'SVN', length: '2', meaning: 'software version; 99 reserved for future use' }],
    length: { min: 2, max: 2 },
    alphabet: 'decimal',
    check: { algorithm: 'none', note: '' },
    examples: { valid: ['23', '01'], invalid: [{ value: '123', code: 'SVN_FORMAT' }] },
    travels: ['S13', 'N5g-eir', 'MAP'],
    listKey: false,
    notes: 'Carried in the IMEISV and the S13 Software-Version AVP (1403).',
  },
  {
    type: 'rbi',
    name: 'Reporting Body Identifier',
    standards: ['GSMA TS.06 v25.0'],
    structure: [
      { name: 'RBI', length: '2', meaning: 'body that allocated the TAC: active, test, retired or reserved' },
    ],
    length: { min: 2, max: 2 },
    alphabet: 'decimal',
    check: { algorithm: 'none', note: '' },
    examples: { valid: ['35', '86', '00'], invalid: [{ value: '3', code: 'RBI_FORMAT' }] },
    travels: [],
    listKey: false,
    notes:
      'Test ranges 00 and 02–09 and retired bodies are suspicion flags; DIRBS delays gsma_not_found per RBI.',
  },
  {
    type: 'pei',
    name: 'Permanent Equipment Identifier (5GS)',
    standards: ['3GPP TS 23.003 §6.4', '3GPP TS 29.571 (Pei)', '3GPP TS 23.316 §4.7.7'],
    structure: [
      { name: 'type', length: 'prefix', meaning: 'imei-, imeisv-, mac- or eui-' },
      {
        name: 'value',
        length: '15 / 16 digits, 6 / 8 hex octets',
        meaning: 'the identifier; mac- may end -untrusted',
      },
    ],
    length: { min: 20, max: 34 },
    alphabet: 'text',
    check: {
      algorithm: 'none',
      note: 'The embedded IMEI keeps its Luhn digit but a wrong one is not refused.',
    },
    examples: {
      valid: [
        'imeisv-4370816125816151',
        'imei-490154203237518',
        'mac-00-11-22-33-44-55-untrusted',
        'eui-00-11-22-FF-FE-33-44-55',
      ],
      invalid: [
        { value: 'imei-49015420323751', code: 'PEI_FORMAT' },
        { value: 'serial-12345', code: 'PEI_TYPE' },
      ],
    },
    travels: ['N5g-eir'],
    listKey: false,
    notes:
      'The pei query parameter of N5g-eir GetEquipmentStatus. An untrusted MAC carries no regulatory weight.',
  },
  {
    type: 'supi',
    name: 'Subscription Permanent Identifier',
    standards: ['3GPP TS 23.003 §2.2A', '3GPP TS 29.571 (Supi)'],
    structure: [
      { name: 'type', length: 'prefix', meaning: 'imsi-, nai-, gci- or gli-' },
      { name: 'value', length: 'variable', meaning: 'IMSI digits, or a NAI user@realm' },
    ],
    length: { min: 10, max: 260 },
    alphabet: 'text',
    check: { algorithm: 'none', note: '' },
    examples: {
      valid: ['imsi-001010000000001', 'imsi-262011234567890', 'nai-user@example.org'],
      invalid: [{ value: 'imsi-12', code: 'SUPI_FORMAT' }],
    },
    travels: ['N5g-eir'],
    listKey: false,
    notes: 'Optional supi parameter of N5g-eir; used for IMEI–IMSI pairing exceptions and sightings.',
  },
  {
    type: 'gpsi',
    name: 'Generic Public Subscription Identifier',
    standards: ['3GPP TS 23.003 §2.2B', '3GPP TS 29.571 (Gpsi)'],
    structure: [
      { name: 'type', length: 'prefix', meaning: 'msisdn- or extid-' },
      { name: 'value', length: 'variable', meaning: 'E.164 digits, or local-id@domain' },
    ],
    length: { min: 12, max: 260 },
    alphabet: 'text',
    check: { algorithm: 'none', note: '' },
    examples: {
      valid: ['msisdn-4915112345678', 'extid-meter7@iot.example.net'],
      invalid: [{ value: 'msisdn-12a', code: 'GPSI_FORMAT' }],
    },
    travels: ['N5g-eir'],
    listKey: false,
    notes: 'Optional gpsi parameter of N5g-eir.',
  },
  {
    type: 'imsi',
    name: 'International Mobile Subscriber Identity',
    standards: ['3GPP TS 23.003 §2.2', 'ITU-T E.212'],
    structure: [
      { name: 'MCC', length: '3', meaning: 'mobile country code' },
      { name: 'MNC', length: '2–3', meaning: 'mobile network code (length from the MCC–MNC table)' },
      { name: 'MSIN', length: '≤ 10', meaning: 'subscriber number within the network' },
    ],
    length: { min: 5, max: 15 },
    alphabet: 'decimal',
    check: { algorithm: 'none', note: '' },
    examples: {
      valid: ['001010000000001', '310260123456789', '262011234567890'],
      invalid: [
        { value: '0010100000000012345', code: 'IMSI_LENGTH' },
        { value: '000010000000001', code: 'IMSI_MCC_UNKNOWN' },
      ],
    },
    travels: ['S13', 'N5g-eir', 'MAP', 'GSUP', 'CDR', 'SIM'],
    listKey: false,
    notes:
      'S13 User-Name; SUPI imsi-. Personal data: stored and exported minimised. MCC 001 and 999 are test/private.',
  },
  {
    type: 'msisdn',
    name: 'Mobile Station International ISDN Number',
    standards: ['ITU-T E.164', '3GPP TS 23.003 §3.3'],
    structure: [
      { name: 'CC', length: '1–3', meaning: 'country calling code' },
      { name: 'NDC + SN', length: '≤ 14', meaning: 'national destination code and subscriber number' },
    ],
    length: { min: 5, max: 15 },
    alphabet: 'decimal',
    check: {
      algorithm: 'none',
      note: 'Validated against the national numbering plan (libphonenumber metadata).',
    },
    examples: {
      valid: ['4915112345678', '+255 712 345 678', '919876543210'],
      invalid: [
        { value: '4912', code: 'MSISDN_LENGTH' },
        { value: '447700900123', code: 'MSISDN_NUMBER_PLAN' },
      ],
    },
    travels: ['N5g-eir', 'MAP', 'CDR', 'SIM'],
    listKey: false,
    notes: 'Stored without +. GPSI msisdn-. Personal data; used for owner notifications and one-time codes.',
  },
  {
    type: 'nai',
    name: 'Network Access Identifier',
    standards: ['IETF RFC 7542', '3GPP TS 23.003 §28.7.2'],
    structure: [
      { name: 'user', length: 'variable', meaning: 'username part' },
      { name: 'realm', length: 'variable', meaning: 'domain name of the home network' },
    ],
    length: { min: 3, max: 253 },
    alphabet: 'text',
    check: { algorithm: 'none', note: '' },
    examples: {
      valid: ['user@example.org', '0999999999@nai.5gc.mnc001.mcc001.3gppnetwork.org'],
      invalid: [{ value: 'no-realm', code: 'NAI_FORMAT' }],
    },
    travels: ['N5g-eir'],
    listKey: false,
    notes: 'SUPI of non-3GPP access (nai-).',
  },
  {
    type: 'meid',
    name: 'Mobile Equipment Identifier',
    standards: ['3GPP2 S.R0048', '3GPP2 X.S0008'],
    structure: [
      {
        name: 'RR',
        length: '2 hex',
        meaning: 'region code: A0–FF hex-administered (TIA); 99 IMEI-compatible (GSMA)',
      },
      { name: 'XXXXXX', length: '6 hex', meaning: 'manufacturer code' },
      { name: 'ZZZZZZ', length: '6 hex', meaning: 'serial number' },
    ],
    length: { min: 14, max: 19 },
    alphabet: 'hexadecimal',
    check: {
      algorithm: 'luhn-16',
      note: 'Optional and not part of the MEID: base-16 Luhn over the hex form, decimal Luhn over the 18-digit form.',
    },
    examples: {
      valid: ['AF0123450ABCDE', 'AF0123450ABCDEC', '293608736500703710', 'A10000009296F2'],
      invalid: [
        { value: 'AF0123450ABCDE1', code: 'MEID_CHECK_DIGIT' },
        { value: '12ABCDEF123456', code: 'MEID_REGION' },
      ],
    },
    travels: ['S13', 'label'],
    listKey: false,
    notes: 'CDMA devices. The S13 3GPP2-MEID AVP (1471) exists but is rare. Decimal form: 10 + 8 digits.',
  },
  {
    type: 'esn',
    name: 'Electronic Serial Number',
    standards: ['3GPP2 S.R0048', 'TIA/EIA-95'],
    structure: [
      {
        name: 'manufacturer',
        length: '2 hex (3 decimal)',
        meaning: 'manufacturer code; 80 is reserved for pseudo-ESNs',
      },
      { name: 'serial', length: '6 hex (8 decimal)', meaning: 'serial number' },
    ],
    length: { min: 8, max: 11 },
    alphabet: 'hexadecimal',
    check: { algorithm: 'none', note: '' },
    examples: {
      valid: ['12345678', '02512345678', '8016B128'],
      invalid: [{ value: '1234567', code: 'ESN_FORMAT' }],
    },
    travels: ['label'],
    listKey: false,
    notes: 'Legacy 32-bit CDMA identifier, exhausted and replaced by the MEID.',
  },
  {
    type: 'pesn',
    name: 'Pseudo-ESN',
    standards: ['3GPP2 X.S0008'],
    structure: [
      { name: 'prefix', length: '2 hex', meaning: 'always 80' },
      { name: 'hash', length: '6 hex', meaning: 'low 24 bits of SHA-1 over the 7 MEID octets' },
    ],
    length: { min: 8, max: 11 },
    alphabet: 'hexadecimal',
    check: { algorithm: 'none', note: '' },
    examples: { valid: ['8016B128', '8051F1AB'], invalid: [{ value: '12345678', code: 'PESN_PREFIX' }] },
    travels: ['label'],
    listKey: false,
    notes: 'Derived from a MEID and not unique: never a key.',
  },
  {
    type: 'eid',
    name: 'eUICC Identifier',
    standards: ['GSMA SGP.02', 'GSMA SGP.22', 'GSMA SGP.29'],
    structure: [
      {
        name: 'EIN',
        length: 'N',
        meaning: 'eUICC issuer number (classic: 89 + country + issuer + platform info)',
      },
      { name: 'ESIN', length: '30 − N', meaning: 'individual identification number' },
      { name: 'CD', length: '2', meaning: 'ISO/IEC 7064 MOD 97-10 check digits' },
    ],
    length: { min: 32, max: 32 },
    alphabet: 'decimal',
    check: { algorithm: 'iso7064-mod97-10', note: 'The whole number mod 97 is 1.' },
    examples: {
      valid: ['89049032123451234512345678901235', '89044000000000000000000000000136'],
      invalid: [{ value: '89049032123451234512345678901234', code: 'EID_CHECK_DIGITS' }],
    },
    travels: ['eSIM', 'label'],
    listKey: false,
    notes: 'Not on S13 or N5g-eir; used for device registration and eSIM pairing.',
  },
  {
    type: 'iccid',
    name: 'Integrated Circuit Card Identifier',
    standards: ['ITU-T E.118', 'ISO/IEC 7812'],
    structure: [
      { name: 'MII', length: '2', meaning: '89, telecommunications' },
      { name: 'CC', length: '1–3', meaning: 'E.164 country calling code' },
      { name: 'issuer + account', length: 'variable', meaning: 'issuer identifier and card number' },
      { name: 'CD', length: '1', meaning: 'Luhn check digit' },
    ],
    length: { min: 18, max: 20 },
    alphabet: 'decimal',
    check: { algorithm: 'luhn', note: 'Over all preceding digits.' },
    examples: {
      valid: ['8944110068256270054', '89012601234567890121'],
      invalid: [
        { value: '8944110068256270055', code: 'ICCID_CHECK_DIGIT' },
        { value: '9944110068256270054', code: 'ICCID_PREFIX' },
      ],
    },
    travels: ['SIM', 'CDR'],
    listKey: false,
    notes: 'Identifies the SIM card, not the device; useful evidence in theft reports.',
  },
  {
    type: 'mac-48',
    name: 'MAC-48 address',
    standards: ['IEEE 802', '3GPP TS 23.316 §4.7.7'],
    structure: [
      { name: 'OUI', length: '3 octets', meaning: 'organisationally unique identifier of the vendor' },
      { name: 'NIC', length: '3 octets', meaning: 'vendor-assigned' },
    ],
    length: { min: 12, max: 17 },
    alphabet: 'hexadecimal',
    check: { algorithm: 'none', note: '' },
    examples: {
      valid: ['00-11-22-33-44-55', '00:1A:2B:3C:4D:5E', '001a.2b3c.4d5e'],
      invalid: [{ value: '00-11-22-33-44', code: 'MAC_FORMAT' }],
    },
    travels: ['N5g-eir', 'label'],
    listKey: false,
    notes: 'PEI of wireline 5G residential gateways (mac-…); -untrusted MACs have no regulatory weight.',
  },
  {
    type: 'eui-64',
    name: 'EUI-64 address',
    standards: ['IEEE 802', '3GPP TS 23.003 §6.4'],
    structure: [
      { name: 'OUI', length: '3 octets', meaning: 'organisationally unique identifier' },
      { name: 'extension', length: '5 octets', meaning: 'vendor-assigned' },
    ],
    length: { min: 16, max: 23 },
    alphabet: 'hexadecimal',
    check: { algorithm: 'none', note: '' },
    examples: {
      valid: ['00-11-22-FF-FE-33-44-55'],
      invalid: [{ value: '00-11-22-33-44-55', code: 'EUI64_FORMAT' }],
    },
    travels: ['N5g-eir'],
    listKey: false,
    notes: 'PEI form eui-… (Rel-17 onwards).',
  },
];
