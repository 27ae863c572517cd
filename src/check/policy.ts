/**
 * National policy (ITU-T Q.Sup73): permissive (a black list: devices work unless listed) or
 * restrictive (a white list: only registered devices work), and the answers for devices nothing
 * mentions and for identifiers that are not IMEIs. Read from the `policy` section of the configuration.
 */

export type Answer = 'allowed' | 'tracked' | 'blocked' | 'unknown';

export interface Policy {
  readonly mode: 'permissive' | 'restrictive';
  /** Answer for a device no list or rule mentions. */
  readonly unlisted: Answer;
  /** Answer for an identifier that is not an IMEI. */
  readonly malformed: Answer;
  /** Block reasons a pairing does not exempt (DIRBS: barring overrides pairing). */
  readonly pairingExemptsNot: readonly string[];
}

export interface PolicySettings {
  readonly mode: 'permissive' | 'restrictive';
  readonly unlisted: Answer | null;
  readonly malformed: Answer;
  readonly pairingExemptsNot: readonly string[];
}

export function policyFrom(settings: PolicySettings): Policy {
  return {
    mode: settings.mode,
    unlisted: settings.unlisted ?? (settings.mode === 'permissive' ? 'allowed' : 'blocked'),
    malformed: settings.malformed,
    pairingExemptsNot: settings.pairingExemptsNot,
  };
}

export const DEFAULT_POLICY: Policy = policyFrom({
  mode: 'permissive',
  unlisted: null,
  malformed: 'tracked',
  pairingExemptsNot: ['barred', 'court-order'],
});
