/**
 * Demo organisations and one user per role, so that every console can be tried right after
 * `npm start`. Idempotent: what exists already is left as it is. Every demo user has the same
 * documented password; never run this on a production registry.
 */
import type { Store } from '../store/index.ts';
import { Accounts, type NewOrganisation } from './accounts.ts';
import type { Role } from './model.ts';

export const DEMO_PASSWORD = 'openceir-demo-password';

export const DEMO_ORGANISATIONS: readonly NewOrganisation[] = [
  { id: 'regulator', kind: 'regulator', name: 'National Telecommunications Regulator' },
  { id: 'police-capital', kind: 'police', name: 'Capital Police, Device Theft Unit', regions: ['capital'] },
  { id: 'police-north', kind: 'police', name: 'Northern Police', regions: ['north', 'coast'] },
  { id: 'operator-alpha', kind: 'operator', name: 'Alpha Mobile', operatorId: 'alpha' },
  { id: 'operator-beta', kind: 'operator', name: 'Beta Telecom', operatorId: 'beta' },
];

export const DEMO_USERS: readonly {
  username: string;
  displayName: string;
  role: Role;
  organisationId: string;
}[] = [
  {
    username: 'regulator',
    displayName: 'Registry administrator',
    role: 'regulator',
    organisationId: 'regulator',
  },
  {
    username: 'auditor',
    displayName: 'Data protection auditor',
    role: 'auditor',
    organisationId: 'regulator',
  },
  {
    username: 'police.capital',
    displayName: 'Capital police officer',
    role: 'police',
    organisationId: 'police-capital',
  },
  {
    username: 'police.north',
    displayName: 'Northern police officer',
    role: 'police',
    organisationId: 'police-north',
  },
  {
    username: 'care.alpha',
    displayName: 'Alpha customer care',
    role: 'operator',
    organisationId: 'operator-alpha',
  },
  {
    username: 'care.beta',
    displayName: 'Beta customer care',
    role: 'operator',
    organisationId: 'operator-beta',
  },
];

export interface DemoAccounts {
  /** Organisations created by this call (empty when they existed). */
  readonly organisations: readonly string[];
  /** Users created by this call, with their role. */
  readonly users: readonly { username: string; role: Role }[];
  readonly password: string;
}

export async function seedDemoAccounts(
  store: Store,
  accounts: Accounts = new Accounts(store),
): Promise<DemoAccounts> {
  const existingOrgs = new Set((await accounts.organisations()).map((o) => o.id));
  const organisations: string[] = [];
  for (const org of DEMO_ORGANISATIONS) {
    if (existingOrgs.has(org.id)) continue;
    await accounts.addOrganisation(org);
    organisations.push(org.id);
  }
  const existingUsers = new Set((await accounts.users()).map((u) => u.username));
  const users: { username: string; role: Role }[] = [];
  for (const user of DEMO_USERS) {
    if (existingUsers.has(user.username)) continue;
    await accounts.addUser({ ...user, password: DEMO_PASSWORD });
    users.push({ username: user.username, role: user.role });
  }
  return { organisations, users, password: DEMO_PASSWORD };
}
