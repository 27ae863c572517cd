/**
 * The people and systems that act in the registry: organisations (a police unit, an operator, the
 * regulator), their staff with one role each, and the principal a request carries once its
 * credentials are checked (a console session, an operator system's API key, or the admin key).
 */

/** People's roles. police: cases and alerts of its unit; operator: customer care, pairings and checks; regulator: everything; auditor: reads, never writes. */
export const ROLES = ['police', 'operator', 'regulator', 'auditor'] as const;
export type StaffRole = (typeof ROLES)[number];

/**
 * Machines' roles, for API keys only (least privilege, docs/security.md): follower — a check node
 * reads the ledger's entries and snapshots and sends its sightings; peer — a peer registry reads the
 * ledger and matches keyed tokens (POST /exchange/v1/match). Neither can change anything else.
 */
export const MACHINE_ROLES = ['follower', 'peer'] as const;

/** Every role an API key can carry. */
export const API_KEY_ROLES = [...ROLES, ...MACHINE_ROLES] as const;
export type Role = (typeof API_KEY_ROLES)[number];

export const ORGANISATION_KINDS = ['police', 'operator', 'regulator'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (API_KEY_ROLES as readonly string[]).includes(value);
}

/** Whether a role is one of people (a console user's); machine roles exist only on API keys. */
export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isOrganisationKind(value: unknown): value is OrganisationKind {
  return typeof value === 'string' && (ORGANISATION_KINDS as readonly string[]).includes(value);
}

/**
 * The organisation kind a role belongs to: police staff work in a police unit, care staff at an
 * operator. Check nodes and peer registries are keyed to a regulator-kind organisation: the
 * regulator's own for its check nodes, one per peer registry (the peer's match key binds to it).
 */
export const ROLE_ORGANISATION: Readonly<Record<Role, OrganisationKind>> = {
  police: 'police',
  operator: 'operator',
  regulator: 'regulator',
  auditor: 'regulator',
  follower: 'regulator',
  peer: 'regulator',
};

export interface Organisation {
  readonly id: string;
  readonly kind: OrganisationKind;
  readonly name: string;
  /** Police units: the regions whose cases and alerts they receive. */
  readonly regions: readonly string[];
  /** Operators: the id in ledger sources (`operator:<id>`) and in sightings' network. */
  readonly operatorId: string | null;
}

/** A staff user as lists show it (never the password hash or the TOTP secret). */
export interface StaffUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly organisationId: string | null;
  readonly disabled: boolean;
  readonly totp: boolean;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
}

/** Who is acting on a request: what access control decides on and the access log records. */
export interface Staff {
  /** The user's id; `api-key:<id>` for an API key; `admin` for the admin key. */
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly organisation: Organisation | null;
  /** How the request proved it: a console session, an API key, or the configured admin key. */
  readonly via: 'session' | 'api-key' | 'admin-key';
}

/** The built-in principal of the configured admin API key: the regulator's own systems. */
export const ADMIN_PRINCIPAL: Staff = {
  userId: 'admin',
  username: 'admin',
  displayName: 'Admin API key',
  role: 'regulator',
  organisation: null,
  via: 'admin-key',
};

/** A refused input, naming the field and the rule (shown by the CLI and the console). */
export class AccountError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}
