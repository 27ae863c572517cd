/** Messages to people about their cases and appeals (sent by SMS), in English: the reference catalogue. */
export const en = {
  verification: 'OpenCEIR code {code} for report {reference}. Valid {minutes} min. Do not share it.',
  blocked: 'OpenCEIR: report {reference} is verified. The phone is now blocked on all networks. {link}',
  tracked:
    'OpenCEIR: report {reference} is verified. The phone keeps working and every use is reported to the police. {link}',
  seen: 'OpenCEIR: your phone in report {reference} was used on a network at {time} UTC. The police are informed. {link}',
  recovered: 'OpenCEIR: the phone in report {reference} is marked recovered. To unblock it: {link}',
  closed: 'OpenCEIR: report {reference} is closed and the phone is no longer blocked.',
  'appeal-received':
    'OpenCEIR: appeal {reference} received. A decision is due within {days} days. Follow it: {link}',
  'appeal-decided': 'OpenCEIR: appeal {reference} is decided: {outcome}. Details: {link}',
  'outcome.upheld': 'the block stays',
  'outcome.overturned': 'the block is lifted',
  'outcome.partly-overturned': 'the block is partly lifted',
} as const;
