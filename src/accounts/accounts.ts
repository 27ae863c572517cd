/**
 * Staff accounts over the store: organisations, users, console sessions, API keys, login with an
 * optional second factor, and the access log. The web layer and the CLI both go through this class.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { type Database, databaseError, type Store } from '../store/index.ts';
import {
  type AccessLogFilter,
  type AccessLogRow,
  type AccessRead,
  queryAccessLog,
  recordRead,
} from './access-log.ts';
import { isFingerprint, newApiKey, parseApiKey, secretHash } from './api-keys.ts';
import {
  AccountError,
  isOrganisationKind,
  isRole,
  isStaffRole,
  type Organisation,
  type OrganisationKind,
  ROLE_ORGANISATION,
  type Role,
  type Staff,
  type StaffUser,
} from './model.ts';
import { checkPasswordQuality, hashPassword, verifyPassword } from './passwords.ts';
import { apiKey, organisation, staffSession, staffUser } from './schema.ts';
import { LoginThrottle } from './throttle.ts';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.ts';

export interface AccountsOptions {
  /** Console sessions end this many hours after login (`staff.session_hours`). */
  readonly sessionHours?: number;
  readonly throttle?: LoginThrottle;
  readonly now?: () => Date;
}

/** Why a login was refused. `credentials` covers unknown users, wrong passwords and disabled users alike. */
export type LoginFailure = 'credentials' | 'totp-required' | 'totp-invalid' | 'locked';

export class LoginError extends Error {
  constructor(
    readonly reason: LoginFailure,
    /** For `locked`: seconds until the next try is accepted. */
    readonly retryAfterSeconds = 0,
  ) {
    super(
      reason === 'credentials'
        ? 'the username or the password is wrong'
        : reason === 'totp-required'
          ? 'this account needs the code from its authenticator app'
          : reason === 'totp-invalid'
            ? 'the authenticator code is wrong or has expired'
            : `too many failed logins: try again in ${Math.ceil(retryAfterSeconds / 60)} minutes`,
    );
    this.name = 'LoginError';
  }
}

export interface LoginResult {
  /** The session token for the cookie; only its SHA-256 is stored. */
  readonly token: string;
  readonly expiresAt: Date;
  readonly staff: Staff;
}

export interface ApiKeyInfo {
  readonly id: string;
  readonly organisationId: string;
  readonly role: Role;
  readonly label: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
  /** SHA-256 fingerprint of the client certificate the key is bound to (RFC 8705 §3); null: none. */
  readonly clientCertSha256: string | null;
}

/** A valid key presented without the client certificate it is bound to. */
export const CERTIFICATE_REQUIRED = 'certificate-required';

export interface NewOrganisation {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly regions?: readonly string[];
  readonly operatorId?: string | null;
}

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
  readonly organisationId?: string | null;
  readonly password: string;
}

const ORGANISATION_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

type OrganisationRow = typeof organisation.$inferSelect;
type UserRow = typeof staffUser.$inferSelect;

function checkFingerprint(fingerprint: string | null): void {
  if (fingerprint !== null && !isFingerprint(fingerprint))
    throw new AccountError('client-cert', 'a certificate fingerprint is SHA-256 as AB:CD:… (32 bytes)');
}

function toOrganisation(row: OrganisationRow): Organisation {
  return {
    id: row.id,
    kind: row.kind as OrganisationKind,
    name: row.name,
    regions: row.regions,
    operatorId: row.operatorId,
  };
}

function toUser(row: UserRow): StaffUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role as Role,
    organisationId: row.organisationId,
    disabled: row.disabled,
    totp: row.totpSecret !== null,
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
  };
}

export class Accounts {
  private readonly db: Database;
  private readonly sessionMs: number;
  private readonly throttle: LoginThrottle;
  private readonly now: () => Date;
  /** Verified against when the username is unknown, so that both answers take the same time. */
  private decoy: Promise<string> | null = null;

  constructor(store: Store | Database, options: AccountsOptions = {}) {
    this.db = 'db' in store ? store.db : store;
    this.sessionMs = (options.sessionHours ?? 8) * 3_600_000;
    this.throttle = options.throttle ?? new LoginThrottle();
    this.now = options.now ?? (() => new Date());
  }

  // Organisations

  async addOrganisation(input: NewOrganisation): Promise<Organisation> {
    if (!ORGANISATION_ID.test(input.id))
      throw new AccountError('id', 'an organisation id has 2–63 lower-case letters, digits or dashes');
    if (!isOrganisationKind(input.kind))
      throw new AccountError('kind', 'the kind is police, operator or regulator');
    if (!input.name.trim()) throw new AccountError('name', 'the name is required');
    if (input.kind === 'operator' && !input.operatorId)
      throw new AccountError(
        'operatorId',
        'an operator needs its operator id (as in ledger sources operator:<id>)',
      );
    const regions = (input.regions ?? []).map((r) => r.trim()).filter(Boolean);
    if (input.kind === 'police' && regions.length === 0)
      throw new AccountError('regions', 'a police unit covers at least one region');
    const rows = await this.db
      .insert(organisation)
      .values({
        id: input.id,
        kind: input.kind,
        name: input.name.trim(),
        regions,
        operatorId: input.operatorId ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!rows[0]) throw new AccountError('id', `the organisation ${input.id} exists already`);
    return toOrganisation(rows[0]);
  }

  async organisations(): Promise<Organisation[]> {
    const rows = await this.db
      .select()
      .from(organisation)
      .orderBy(asc(organisation.kind), asc(organisation.id));
    return rows.map(toOrganisation);
  }

  async organisation(id: string): Promise<Organisation | null> {
    const [row] = await this.db.select().from(organisation).where(eq(organisation.id, id));
    return row ? toOrganisation(row) : null;
  }

  /** The organisation a role needs, checked: police staff in a police unit, care staff at an operator. */
  private async organisationFor(
    role: Role,
    organisationId: string | null | undefined,
  ): Promise<Organisation | null> {
    const wanted = ROLE_ORGANISATION[role];
    if (!organisationId) {
      if (wanted === 'regulator') return null;
      throw new AccountError('organisation', `the role ${role} needs an organisation of kind ${wanted}`);
    }
    const org = await this.organisation(organisationId);
    if (!org) throw new AccountError('organisation', `no organisation ${organisationId}`);
    if (org.kind !== wanted)
      throw new AccountError(
        'organisation',
        `the role ${role} needs an organisation of kind ${wanted}; ${org.id} is ${org.kind}`,
      );
    return org;
  }

  // Users

  async addUser(input: NewUser): Promise<StaffUser> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME.test(username))
      throw new AccountError('username', 'a username has 2–63 letters, digits, dots, dashes or underscores');
    if (!input.displayName.trim()) throw new AccountError('displayName', 'the display name is required');
    if (!isStaffRole(input.role))
      throw new AccountError(
        'role',
        'a console user is police, operator, regulator or auditor (follower and peer are for API keys only)',
      );
    const org = await this.organisationFor(input.role, input.organisationId);
    const passwordHash = await hashPassword(input.password);
    try {
      const rows = await this.db
        .insert(staffUser)
        .values({
          username,
          displayName: input.displayName.trim(),
          role: input.role,
          organisationId: org?.id ?? null,
          passwordHash,
        })
        .onConflictDoNothing({ target: staffUser.username })
        .returning();
      if (!rows[0]) throw new AccountError('username', `the username ${username} is taken`);
      return toUser(rows[0]);
    } catch (error) {
      if (error instanceof AccountError) throw error;
      throw new Error(`adding the user failed: ${databaseError(error).message}`);
    }
  }

  async users(): Promise<StaffUser[]> {
    const rows = await this.db.select().from(staffUser).orderBy(asc(staffUser.username));
    return rows.map(toUser);
  }

  async user(username: string): Promise<StaffUser | null> {
    const row = await this.userRow(username);
    return row ? toUser(row) : null;
  }

  private async userRow(username: string): Promise<UserRow | undefined> {
    const [row] = await this.db
      .select()
      .from(staffUser)
      .where(eq(staffUser.username, username.trim().toLowerCase()));
    return row;
  }

  private async existing(username: string): Promise<UserRow> {
    const row = await this.userRow(username);
    if (!row) throw new AccountError('username', `no user ${username}`);
    return row;
  }

  /** Disables a user and ends their sessions at once. */
  async disableUser(username: string): Promise<void> {
    const row = await this.existing(username);
    await this.db.update(staffUser).set({ disabled: true }).where(eq(staffUser.id, row.id));
    await this.db.delete(staffSession).where(eq(staffSession.userId, row.id));
  }

  async enableUser(username: string): Promise<void> {
    const row = await this.existing(username);
    await this.db.update(staffUser).set({ disabled: false }).where(eq(staffUser.id, row.id));
  }

  /** Sets a new password; sessions opened with the old one end. */
  async setPassword(username: string, password: string): Promise<void> {
    const row = await this.existing(username);
    checkPasswordQuality(password);
    await this.db
      .update(staffUser)
      .set({ passwordHash: await hashPassword(password) })
      .where(eq(staffUser.id, row.id));
    await this.db.delete(staffSession).where(eq(staffSession.userId, row.id));
  }

  /** Turns two-factor login on with a new secret; the caller shows the secret and URI once. */
  async enableTotp(username: string): Promise<{ secret: string; uri: string }> {
    const row = await this.existing(username);
    const secret = newTotpSecret();
    await this.db.update(staffUser).set({ totpSecret: secret }).where(eq(staffUser.id, row.id));
    return { secret, uri: otpauthUri(secret, row.username) };
  }

  async disableTotp(username: string): Promise<void> {
    const row = await this.existing(username);
    await this.db.update(staffUser).set({ totpSecret: null }).where(eq(staffUser.id, row.id));
  }

  // Login and sessions

  /**
   * Checks the password (and the TOTP code when the account has one) and opens a session. An unknown
   * user, a wrong password and a disabled account give the same error after the same work.
   */
  async login(username: string, password: string, totpCode?: string | null): Promise<LoginResult> {
    const lockedMs = this.throttle.lockedFor(username);
    if (lockedMs > 0) throw new LoginError('locked', Math.ceil(lockedMs / 1000));
    const row = await this.userRow(username);
    this.decoy ??= hashPassword(randomBytes(18).toString('base64'));
    const matches = await verifyPassword(password, row?.passwordHash ?? (await this.decoy));
    if (!row || !matches || row.disabled) {
      this.throttle.failed(username);
      throw new LoginError('credentials');
    }
    if (row.totpSecret) {
      if (!totpCode?.trim()) throw new LoginError('totp-required');
      if (!verifyTotp(row.totpSecret, totpCode, this.now().getTime())) {
        this.throttle.failed(username);
        throw new LoginError('totp-invalid');
      }
    }
    this.throttle.succeeded(username);
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.sessionMs);
    await this.db.insert(staffSession).values({ tokenHash: tokenHash(token), userId: row.id, expiresAt });
    await this.db.update(staffUser).set({ lastLoginAt: now }).where(eq(staffUser.id, row.id));
    const org = row.organisationId ? await this.organisation(row.organisationId) : null;
    return { token, expiresAt, staff: this.staffOf(row, org) };
  }

  private staffOf(row: UserRow, org: Organisation | null): Staff {
    return {
      userId: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role as Role,
      organisation: org,
      via: 'session',
    };
  }

  /** The staff member of a live session, or null (unknown, expired, or the user was disabled). */
  async session(token: string): Promise<Staff | null> {
    if (!token) return null;
    const now = this.now();
    const [found] = await this.db
      .select({ user: staffUser, org: organisation })
      .from(staffSession)
      .innerJoin(staffUser, eq(staffUser.id, staffSession.userId))
      .leftJoin(organisation, eq(organisation.id, staffUser.organisationId))
      .where(and(eq(staffSession.tokenHash, tokenHash(token)), gt(staffSession.expiresAt, now)));
    if (!found || found.user.disabled) return null;
    await this.db
      .update(staffSession)
      .set({ lastSeenAt: now })
      .where(eq(staffSession.tokenHash, tokenHash(token)));
    return this.staffOf(found.user, found.org ? toOrganisation(found.org) : null);
  }

  async logout(token: string): Promise<void> {
    await this.db.delete(staffSession).where(eq(staffSession.tokenHash, tokenHash(token)));
  }

  // API keys

  /**
   * A new key for an organisation's system; the returned `key` is shown once and never stored. With a
   * client certificate fingerprint the key is bound to it (see `bindApiKey`).
   */
  async createApiKey(
    organisationId: string,
    role: string,
    label: string,
    clientCertSha256: string | null = null,
  ): Promise<{ id: string; key: string }> {
    if (!isRole(role))
      throw new AccountError('role', 'the role is police, operator, regulator, auditor, follower or peer');
    if (!label.trim()) throw new AccountError('label', 'a label says which system holds the key');
    checkFingerprint(clientCertSha256);
    const org = await this.organisationFor(role, organisationId);
    if (!org) throw new AccountError('organisation', 'an API key belongs to an organisation');
    const created = newApiKey();
    try {
      await this.db.insert(apiKey).values({
        id: created.id,
        secretHash: secretHash(created.secret),
        organisationId: org.id,
        role,
        label: label.trim(),
        clientCertSha256,
      });
    } catch (error) {
      throw await this.certificateTaken(error, clientCertSha256);
    }
    return { id: created.id, key: created.key };
  }

  /**
   * Binds an active key to a client certificate (RFC 8705 §3, sender-constrained): from then on the
   * certificate alone, verified by `tls.client_ca_file`, acts as the key, and the key presented without
   * it is refused. null unbinds. False when there is no such active key.
   */
  async bindApiKey(id: string, clientCertSha256: string | null): Promise<boolean> {
    checkFingerprint(clientCertSha256);
    try {
      const rows = await this.db
        .update(apiKey)
        .set({ clientCertSha256 })
        .where(and(eq(apiKey.id, id.replace(/^ok_/, '')), isNull(apiKey.revokedAt)))
        .returning({ id: apiKey.id });
      return rows.length > 0;
    } catch (error) {
      throw await this.certificateTaken(error, clientCertSha256);
    }
  }

  /** The refusal for a certificate already bound to another active key (the unique index). */
  private async certificateTaken(error: unknown, fingerprint: string | null): Promise<Error> {
    if (databaseError(error).code !== '23505' || !fingerprint) return error as Error;
    const [holder] = await this.db
      .select({ id: apiKey.id })
      .from(apiKey)
      .where(and(eq(apiKey.clientCertSha256, fingerprint), isNull(apiKey.revokedAt)));
    return new AccountError(
      'client-cert',
      `the certificate is already bound to the active key ok_${holder?.id ?? '?'}: one certificate, one key`,
    );
  }

  async apiKeys(): Promise<ApiKeyInfo[]> {
    const rows = await this.db
      .select()
      .from(apiKey)
      .orderBy(asc(apiKey.organisationId), asc(apiKey.createdAt));
    return rows.map(({ secretHash: _, ...row }) => ({ ...row, role: row.role as Role }));
  }

  /**
   * The principal of a valid, unrevoked key, or null. A key bound to a client certificate is valid only
   * with that certificate (`clientCert`: the fingerprint of the verified certificate the request came
   * with); without it the answer is CERTIFICATE_REQUIRED, so a stolen key alone is useless.
   */
  async verifyApiKey(
    text: string,
    clientCert: string | null = null,
  ): Promise<Staff | null | typeof CERTIFICATE_REQUIRED> {
    const parsed = parseApiKey(text);
    if (!parsed) return null;
    const [found] = await this.db
      .select({ key: apiKey, org: organisation })
      .from(apiKey)
      .innerJoin(organisation, eq(organisation.id, apiKey.organisationId))
      .where(and(eq(apiKey.id, parsed.id), isNull(apiKey.revokedAt)));
    // Both hashes are hex of the same length; the id lookup already told whether the key exists.
    if (!found || found.key.secretHash !== secretHash(parsed.secret)) return null;
    if (found.key.clientCertSha256 !== null && found.key.clientCertSha256 !== clientCert)
      return CERTIFICATE_REQUIRED;
    return this.keyPrincipal(found);
  }

  /** The principal of the active key bound to a verified client certificate, or null. */
  async apiKeyForCertificate(fingerprint: string): Promise<Staff | null> {
    const [found] = await this.db
      .select({ key: apiKey, org: organisation })
      .from(apiKey)
      .innerJoin(organisation, eq(organisation.id, apiKey.organisationId))
      .where(and(eq(apiKey.clientCertSha256, fingerprint), isNull(apiKey.revokedAt)));
    return found ? this.keyPrincipal(found) : null;
  }

  private async keyPrincipal(found: {
    key: typeof apiKey.$inferSelect;
    org: OrganisationRow;
  }): Promise<Staff> {
    await this.db.update(apiKey).set({ lastUsedAt: this.now() }).where(eq(apiKey.id, found.key.id));
    return {
      userId: `api-key:${found.key.id}`,
      username: `api-key:${found.key.id}`,
      displayName: found.key.label,
      role: found.key.role as Role,
      organisation: toOrganisation(found.org),
      via: 'api-key',
    };
  }

  /** Revokes a key at once; false when there is no such unrevoked key. */
  async revokeApiKey(id: string): Promise<boolean> {
    const rows = await this.db
      .update(apiKey)
      .set({ revokedAt: this.now() })
      .where(and(eq(apiKey.id, id.replace(/^ok_/, '')), isNull(apiKey.revokedAt)))
      .returning({ id: apiKey.id });
    return rows.length > 0;
  }

  // Access log

  recordRead(read: AccessRead): Promise<void> {
    return recordRead(this.db, read);
  }

  queryAccessLog(filter: AccessLogFilter): Promise<AccessLogRow[]> {
    return queryAccessLog(this.db, filter);
  }
}
