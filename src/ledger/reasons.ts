/**
 * Reason codes: why a device or rule has a status. One vocabulary for the API, the portal, lists and
 * peers (ARCHITECTURE.md §6). Each reason says which statuses it may justify.
 */
import type { DeviceStatus } from './entry.ts';

export interface ReasonInfo {
  readonly code: string;
  readonly statuses: readonly DeviceStatus[];
  readonly description: string;
}

const B: DeviceStatus[] = ['blocked'];
const BT: DeviceStatus[] = ['blocked', 'tracked'];
const T: DeviceStatus[] = ['tracked'];
const A: DeviceStatus[] = ['allowed'];

export const REASONS: readonly ReasonInfo[] = [
  {
    code: 'stolen',
    statuses: BT,
    description: 'Reported stolen (tracked: recovery mode, the device works and every use raises an alert)',
  },
  { code: 'lost', statuses: BT, description: 'Reported lost by its owner' },
  { code: 'counterfeit', statuses: BT, description: 'Counterfeit or non-type-approved device' },
  {
    code: 'invalid-identifier',
    statuses: BT,
    description: 'IMEI not allocated, malformed or from a test range',
  },
  { code: 'duplicate', statuses: BT, description: 'IMEI used by more than one device (clone)' },
  { code: 'tampered', statuses: BT, description: 'IMEI re-programmed or tampered with' },
  {
    code: 'unregistered',
    statuses: BT,
    description: 'Not registered where registration is required (restrictive policy)',
  },
  { code: 'barred', statuses: B, description: 'On the regulator’s barred list; pairing does not exempt it' },
  { code: 'court-order', statuses: BT, description: 'Ordered by a court or competent authority' },
  { code: 'fraud', statuses: BT, description: 'Used for fraud (subscription or payment fraud, scams)' },
  {
    code: 'foreign-stolen',
    statuses: BT,
    description: 'Reported stolen in another country, received from a peer registry',
  },
  {
    code: 'foreign-lost',
    statuses: BT,
    description: 'Reported lost in another country, received from a peer registry',
  },
  { code: 'test-device', statuses: BT, description: 'Test IMEI seen on a commercial network' },
  { code: 'monitoring', statuses: T, description: 'Watched: uses are recorded, nothing is refused' },
  { code: 'investigation', statuses: T, description: 'Tracked for an investigation' },
  {
    code: 'registered',
    statuses: A,
    description: 'Registered (registration / import list, or by its owner)',
  },
  { code: 'type-approved', statuses: A, description: 'Model type-approved for the national market' },
  { code: 'exempt', statuses: A, description: 'Exempted by the regulator (diplomatic, research, VIP, …)' },
  { code: 'amnesty', statuses: A, description: 'Allowed during an amnesty (grandfathered) period' },
  { code: 'golden', statuses: A, description: 'On the golden list: never blocked' },
];

const BY_CODE = new Map(REASONS.map((r) => [r.code, r]));

export function reasonInfo(code: string): ReasonInfo | undefined {
  return BY_CODE.get(code);
}
