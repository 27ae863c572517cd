/**
 * What the SMS channel needs from the rest of the registry. The channel only translates SMS ⇄ these
 * calls; every decision (status, cases, codes, appeals) is made behind them, by `check/` and `cases/`.
 */
import type { Language } from '../../i18n/index.ts';

/** The public status vocabulary (ARCHITECTURE.md §6), plus `unknown` for a device in no list. */
export type SmsStatus = 'allowed' | 'tracked' | 'blocked' | 'unknown';

export type StatusAnswer =
  | { ok: true; status: SmsStatus; reasons: readonly string[]; model?: string }
  | { ok: false; error: 'invalid-imei'; detail: string };

/** `detail` is for logs only: people read a catalogue message chosen by `error`. */
export type Refusal = { ok: false; error: string; detail: string };

export type VerifyOutcome =
  | 'verified'
  | 'wrong-code'
  | 'expired'
  | 'too-many-attempts'
  | 'unknown-case'
  | 'no-code';

export interface SmsActions {
  /** KYM: the status of a device as the public sees it (no personal data). */
  status(imei: string): Promise<StatusAnswer>;
  /** LOST / STOLEN <IMEI> [<IMEI2>]: opens (or returns the open) case for the sender's number. */
  report(
    from: string,
    kind: 'lost' | 'stolen',
    imeis: readonly string[],
    language: Language,
  ): Promise<{ ok: true; reference: string; existing: boolean } | Refusal>;
  /** VERIFY <reference> <code>: the one-time code sent to the reporter's number. */
  verify(from: string, reference: string, code: string): Promise<VerifyOutcome>;
  /**
   * STATUS <reference>: the state of a case (C-…) or an appeal (A-…), only to the number that
   * filed it; null when there is none for this number (never says whether it exists for another).
   */
  caseStatus(from: string, reference: string): Promise<{ reference: string; state: string } | null>;
  /** APPEAL <IMEI> <grounds…>: an appeal against a block or flag. */
  appeal(
    from: string,
    imei: string,
    grounds: string,
    language: Language,
  ): Promise<{ ok: true; reference: string; existing: boolean } | Refusal>;
}

/** Outgoing messages queued durably by the cases part (verification codes, notifications). */
export interface OutgoingSms {
  readonly id: string;
  readonly to: string;
  readonly text: string;
}

/** The outbox as the cases part keeps it (`cases/outbox.ts` fits this shape). */
export interface SmsOutbox {
  /** Claims up to `limit` due messages. */
  take(limit: number): Promise<OutgoingSms[]>;
  sent(id: string, smscMessageId: string): Promise<void>;
  /** The cases part decides when to retry and when to give up. */
  failed(id: string, error: string): Promise<void>;
}
