/**
 * The life of a case (ITU-T Q.5051 §8, Q.5054): pure rules, no I/O.
 *
 *   submitted ──verify──► verified ──► blocked ⇄ tracked ──recover──► recovered ──unblock──► closed
 *       │                                  │                                 │
 *       ├──withdraw / reject               └──withdraw / reject / unblock ───┘
 *
 * `verified` is passed through at once: verification applies the case's mode (block, or track for
 * "recovery mode", where the device keeps working and every use raises an alert). Each transition
 * says what it writes to the ledger: the case's reasons are set and lifted under the case's own source
 * (owner, police or operator:<id>), with the case reference, so a device blocked for other reasons
 * stays blocked when the case ends.
 */

export const CASE_STATES = [
  'submitted',
  'verified',
  'blocked',
  'tracked',
  'recovered',
  'closed',
  'withdrawn',
  'rejected',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const OPEN_STATES: readonly CaseState[] = ['submitted', 'verified', 'blocked', 'tracked', 'recovered'];
/** States in which a sighting of the device raises a police alert. */
export const ALERTING_STATES: readonly CaseState[] = ['blocked', 'tracked'];

export const CASE_KINDS = ['stolen', 'lost'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_MODES = ['block', 'track'] as const;
export type CaseMode = (typeof CASE_MODES)[number];

export const CHANNELS = ['portal', 'sms', 'police', 'operator', 'bulk'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What people and systems do to a case. */
export const CASE_ACTIONS = ['verify', 'block', 'track', 'recover', 'unblock', 'withdraw', 'reject'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Who acts: the owner (proved by a one-time code) or staff of an organisation kind. */
export type ActorKind = 'owner' | 'police' | 'operator' | 'regulator' | 'system';

export type LedgerEffect = 'block' | 'track' | 'unblock' | 'untrack';

export interface Transition {
  readonly to: CaseState;
  /** Ledger entries for every device of the case, in order. */
  readonly effects: readonly LedgerEffect[];
}

export class CaseTransitionError extends Error {
  constructor(
    readonly code: 'NOT_ALLOWED' | 'WRONG_STATE',
    message: string,
  ) {
    super(message);
    this.name = 'CaseTransitionError';
  }
}

/** The ledger effect that lifts what a state set. */
function lift(state: CaseState): LedgerEffect[] {
  if (state === 'blocked') return ['unblock'];
  if (state === 'tracked') return ['untrack'];
  // recovered keeps whatever the case had set; both lifts are harmless when nothing is active.
  if (state === 'recovered') return ['unblock', 'untrack'];
  return [];
}

const WHO: Readonly<Record<CaseAction, readonly ActorKind[]>> = {
  verify: ['owner', 'police', 'operator', 'regulator'],
  block: ['owner', 'police', 'operator', 'regulator'],
  track: ['owner', 'police', 'operator', 'regulator'],
  recover: ['owner', 'police', 'regulator'],
  unblock: ['owner', 'police', 'regulator'],
  withdraw: ['owner', 'police', 'operator', 'regulator'],
  reject: ['police', 'regulator'],
};

/**
 * The transition `action` makes from `state` for `actor`, or why not. `mode` is the case's mode,
 * applied on verification.
 */
export function transition(
  state: CaseState,
  action: CaseAction,
  actor: ActorKind,
  mode: CaseMode,
): Transition {
  if (actor !== 'system' && !WHO[action].includes(actor)) {
    throw new CaseTransitionError('NOT_ALLOWED', `${actor} may not ${action} a case`);
  }
  const wrong = () =>
    new CaseTransitionError('WRONG_STATE', `a case that is ${state} cannot be ${PAST[action]}`);
  switch (action) {
    case 'verify':
      if (state !== 'submitted') throw wrong();
      return mode === 'block' ? { to: 'blocked', effects: ['block'] } : { to: 'tracked', effects: ['track'] };
    case 'block':
      if (state === 'tracked') return { to: 'blocked', effects: ['block', 'untrack'] };
      throw wrong();
    case 'track':
      if (state === 'blocked') return { to: 'tracked', effects: ['track', 'unblock'] };
      throw wrong();
    case 'recover':
      if (state === 'blocked' || state === 'tracked') return { to: 'recovered', effects: [] };
      throw wrong();
    case 'unblock':
      if (state === 'blocked' || state === 'tracked' || state === 'recovered')
        return { to: 'closed', effects: lift(state) };
      throw wrong();
    case 'withdraw':
    case 'reject':
      if (state === 'submitted') return { to: action === 'withdraw' ? 'withdrawn' : 'rejected', effects: [] };
      if (state === 'blocked' || state === 'tracked' || state === 'recovered')
        return { to: action === 'withdraw' ? 'withdrawn' : 'rejected', effects: lift(state) };
      throw wrong();
  }
}

const PAST: Readonly<Record<CaseAction, string>> = {
  verify: 'verified',
  block: 'blocked',
  track: 'switched to tracking',
  recover: 'marked recovered',
  unblock: 'unblocked',
  withdraw: 'withdrawn',
  reject: 'rejected',
};

export function isOpen(state: CaseState): boolean {
  return OPEN_STATES.includes(state);
}

/** The ledger source a case writes under, from who entered it. */
export function caseSource(
  channel: Channel,
  organisation: { kind: string; operatorId: string | null } | null,
): string {
  if (channel === 'portal' || channel === 'sms') return 'owner';
  if (organisation?.kind === 'operator' && organisation.operatorId)
    return `operator:${organisation.operatorId}`;
  if (organisation?.kind === 'regulator') return 'regulator';
  return 'police';
}
