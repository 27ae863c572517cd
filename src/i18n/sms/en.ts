/**
 * Replies to SMS commands, in English: the reference catalogue. Each stays within one SMS (160 GSM
 * characters) where it can. Command words (KYM, LOST, STOLEN, VERIFY, STATUS, APPEAL) are what people
 * type, so they stay as they are in every language.
 */
export const en = {
  'kym.allowed': 'OpenCEIR: IMEI {imei}{model} is ALLOWED. There is no report against it.',
  'kym.tracked':
    'OpenCEIR: IMEI {imei}{model} is TRACKED. It has been reported and every use is recorded. Do not buy it.',
  'kym.blocked':
    'OpenCEIR: IMEI {imei}{model} is BLOCKED. It will not work on mobile networks. Do not buy it.',
  'kym.unknown':
    'OpenCEIR: IMEI {imei} is not in the register. Compare it with *#06# and the box, and ask the seller for a receipt.',
  'kym.model': ' ({model})',
  'kym.reasons': 'Why: {reasons}.',
  'list.separator': ', ',
  'reason.stolen': 'reported stolen',
  'reason.lost': 'reported lost',
  'reason.counterfeit': 'counterfeit',
  'reason.invalid-identifier': 'invalid IMEI',
  'reason.duplicate': 'cloned IMEI',
  'reason.tampered': 'IMEI tampered with',
  'reason.unregistered': 'not registered',
  'reason.barred': 'barred by the regulator',
  'reason.court-order': 'court order',
  'reason.fraud': 'fraud',
  'reason.foreign-stolen': 'stolen abroad',
  'reason.foreign-lost': 'lost abroad',
  'reason.test-device': 'test device',
  'reason.monitoring': 'monitored',
  'reason.investigation': 'investigation',
  'reason.registered': 'registered',
  'reason.type-approved': 'approved model',
  'reason.exempt': 'exempted',
  'reason.amnesty': 'amnesty',
  'reason.golden': 'never blocked',
  'invalid-imei': 'OpenCEIR: "{input}" is not a valid IMEI. An IMEI has 15 digits: dial *#06# to see it.',
  'report.accepted':
    'OpenCEIR: report {reference} received. A code is coming by SMS: send VERIFY {reference} and the code to confirm.',
  'report.existing':
    'OpenCEIR: this phone already has an open report, {reference}. Send STATUS {reference} to follow it.',
  'report.refused': 'OpenCEIR: the report could not be accepted. Check the IMEIs or report on the portal.',
  'verify.verified': 'OpenCEIR: report {reference} is confirmed. A message follows when it takes effect.',
  'verify.wrong-code':
    'OpenCEIR: wrong code for report {reference}. Check the last code we sent and try again.',
  'verify.expired':
    'OpenCEIR: the code for report {reference} has expired. Ask for a new code on the portal.',
  'verify.too-many-attempts':
    'OpenCEIR: too many wrong codes for report {reference}. Ask the police or your operator to confirm it.',
  'verify.unknown-case':
    'OpenCEIR: no report {reference} waits for a code from this number. Check the reference.',
  'verify.no-code': 'OpenCEIR: report {reference} needs no code now. Send STATUS {reference} to follow it.',
  'case.state': 'OpenCEIR: {reference}: {state}.',
  'case.unknown': 'OpenCEIR: no report or appeal {reference} for this number. Check the reference.',
  'state.submitted': 'received, waiting for the code',
  'state.verified': 'confirmed',
  'state.blocked': 'the phone is blocked on all networks',
  'state.tracked': 'the phone is tracked and every use is reported to the police',
  'state.recovered': 'the phone is recovered',
  'state.closed': 'closed',
  'state.withdrawn': 'withdrawn',
  'state.rejected': 'rejected',
  'state.open': 'under review',
  'state.escalated': 'under review by a senior officer',
  'state.upheld': 'decided, the block stays',
  'state.overturned': 'decided, the block is lifted',
  'state.partly-overturned': 'decided, the block is partly lifted',
  'appeal.received':
    'OpenCEIR: appeal {reference} received. The decision will come by SMS. Send STATUS {reference} to follow it.',
  'appeal.existing':
    'OpenCEIR: an appeal for this phone is already open, {reference}. Send STATUS {reference} to follow it.',
  'appeal.not-listed': 'OpenCEIR: IMEI {imei} is neither blocked nor tracked, so there is nothing to appeal.',
  'appeal.refused': 'OpenCEIR: the appeal could not be accepted. Check the IMEI or appeal on the portal.',
  'too-many': 'OpenCEIR: too many requests from this number. Please try again later.',
  unavailable: 'OpenCEIR: the service is busy. Please try again in a few minutes.',
  help: 'OpenCEIR: KYM <IMEI> checks a phone (dial *#06# for the IMEI). LOST or STOLEN <IMEI> reports one. Also VERIFY <ref> <code>, STATUS <ref>, APPEAL <IMEI> <why>.',
  'usage.kym':
    'OpenCEIR: to check a phone, send KYM and its IMEI, e.g. KYM 352099001761481. Dial *#06# to see the IMEI.',
  'usage.report':
    'OpenCEIR: to report a phone, send LOST or STOLEN and its IMEI, e.g. STOLEN 352099001761481. Dual-SIM: both IMEIs.',
  'usage.verify': 'OpenCEIR: send VERIFY, the report reference and the code, e.g. VERIFY C-7KQ4-9XZ2 123456.',
  'usage.status': 'OpenCEIR: send STATUS and the reference, e.g. STATUS C-7KQ4-9XZ2.',
  'usage.appeal':
    'OpenCEIR: send APPEAL, the IMEI and why, e.g. APPEAL 352099001761481 bought new with a receipt.',
} as const;
