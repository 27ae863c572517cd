/**
 * SMSC delivery receipts (SMPP v3.4 Appendix B): a deliver_sm with esm_class bits 5–2 = 0001 whose text
 * reads `id:… sub:… dlvrd:… submit date:… done date:… stat:DELIVRD err:… text:…`. The format is
 * "SMSC vendor specific" by the letter of the standard, so only `id` and `stat` are relied on, and the
 * receipted_message_id / message_state TLVs (§5.3.2.12, §5.3.2.35) are preferred when present.
 */

/** esm_class message type bits: SMSC delivery receipt (SMPP v3.4 §5.2.12). */
export const ESM_CLASS_RECEIPT = 0x04;
const MESSAGE_TYPE_MASK = 0x3c;

export const isReceipt = (esmClass: number): boolean => (esmClass & MESSAGE_TYPE_MASK) === ESM_CLASS_RECEIPT;

/** message_state values (SMPP v3.4 §5.2.28) and their receipt words. */
export const MESSAGE_STATES = {
  ENROUTE: 1,
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
} as const;
export type ReceiptState = keyof typeof MESSAGE_STATES;

export interface Receipt {
  readonly messageId: string;
  readonly state: ReceiptState;
}

const STATE_BY_VALUE = new Map<number, ReceiptState>(
  Object.entries(MESSAGE_STATES).map(([word, value]) => [value, word as ReceiptState]),
);

/** YYMMDDhhmm in UTC, as receipts carry dates. */
const receiptDate = (date: Date) => date.toISOString().replace(/[-:T]/g, '').slice(2, 12);

export function formatReceipt(
  messageId: string,
  state: ReceiptState,
  submitted: Date,
  done: Date,
  text: string,
) {
  const delivered = state === 'DELIVRD' ? '001' : '000';
  return (
    `id:${messageId} sub:001 dlvrd:${delivered} submit date:${receiptDate(submitted)} ` +
    `done date:${receiptDate(done)} stat:${state} err:000 text:${text.slice(0, 20)}`
  );
}

export function parseReceipt(
  text: string,
  tlvs: { receiptedMessageId?: unknown; messageState?: unknown } = {},
): Receipt | null {
  const id =
    typeof tlvs.receiptedMessageId === 'string' && tlvs.receiptedMessageId !== ''
      ? tlvs.receiptedMessageId
      : /(?:^|\s)id:(\S+)/i.exec(text)?.[1];
  const fromTlv = typeof tlvs.messageState === 'number' ? STATE_BY_VALUE.get(tlvs.messageState) : undefined;
  const word = /(?:^|\s)stat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  const state = fromTlv ?? (word && word in MESSAGE_STATES ? (word as ReceiptState) : undefined);
  return id && state ? { messageId: id, state } : null;
}
