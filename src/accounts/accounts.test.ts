import { beforeAll, expect, it } from 'vitest';
import { describeStores } from '../../test/support/stores.ts';
import { Accounts, type LoginError } from './accounts.ts';
import { DEMO_PASSWORD, seedDemoAccounts } from './demo.ts';
import { AccountError } from './model.ts';

describeStores('accounts', (store) => {
  let now = new Date('2026-05-01T08:00:00Z');
  let accounts: Accounts;
  beforeAll(async () => {
    accounts = new Accounts(store(), { sessionHours: 8, now: () => now });
  });

  it('seeds the demo organisations and users once', async () => {
    const first = await seedDemoAccounts(store(), accounts);
    expect(first.organisations).toEqual([
      'regulator',
      'police-capital',
      'police-north',
      'operator-alpha',
      'operator-beta',
    ]);
    expect(first.users.map((u) => u.username)).toContain('police.capital');
    const again = await seedDemoAccounts(store(), accounts);
    expect(again).toEqual({ organisations: [], users: [], password: DEMO_PASSWORD });
    expect((await accounts.organisation('police-north'))?.regions).toEqual(['north', 'coast']);
  });

  it('refuses a session after its hours, and finds it before', async () => {
    const { token, expiresAt, staff } = await accounts.login('Police.North', DEMO_PASSWORD);
    expect(expiresAt.toISOString()).toBe('2026-05-01T16:00:00.000Z');
    expect(staff).toMatchObject({
      username: 'police.north',
      role: 'police',
      organisation: { id: 'police-north' },
    });
    now = new Date('2026-05-01T15:59:00Z');
    expect((await accounts.session(token))?.username).toBe('police.north');
    now = new Date('2026-05-01T16:00:01Z');
    expect(await accounts.session(token)).toBeNull();
    expect(await accounts.session('not-a-token')).toBeNull();
  });

  it('names the field and the rule of a refused input', async () => {
    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: unknown) => error,
      );
    const wrongKind = await refused(accounts.addOrganisation({ id: 'police-x', kind: 'army', name: 'X' }));
    expect(wrongKind).toBeInstanceOf(AccountError);
    expect(wrongKind).toMatchObject({ field: 'kind' });
    expect(
      await refused(accounts.addOrganisation({ id: 'police-y', kind: 'police', name: 'Y' })),
    ).toMatchObject({
      field: 'regions',
    });
    expect(
      await refused(
        accounts.addUser({
          username: 'x',
          displayName: 'X',
          role: 'police',
          password: 'long enough password',
        }),
      ),
    ).toMatchObject({ field: 'username' });
    expect(
      await refused(
        accounts.addUser({
          username: 'regulator',
          displayName: 'X',
          role: 'regulator',
          password: 'long enough password',
        }),
      ),
    ).toMatchObject({ field: 'username', message: 'the username regulator is taken' });
    expect(await refused(accounts.createApiKey('operator-alpha', 'police', 'x'))).toMatchObject({
      field: 'organisation',
    });
  });

  it('gives the same error to an unknown user, a wrong password and a disabled user', async () => {
    const reason = (promise: Promise<unknown>) =>
      promise.then(
        () => 'logged in',
        (error: LoginError) => `${error.reason}: ${error.message}`,
      );
    const expected = 'credentials: the username or the password is wrong';
    expect(await reason(accounts.login('nobody', DEMO_PASSWORD))).toBe(expected);
    expect(await reason(accounts.login('care.alpha', 'not the password'))).toBe(expected);
    await accounts.disableUser('care.beta');
    expect(await reason(accounts.login('care.beta', DEMO_PASSWORD))).toBe(expected);
    await accounts.enableUser('care.beta');
    expect(await reason(accounts.login('care.beta', DEMO_PASSWORD))).toBe('logged in');
  });

  it('ends sessions when the password changes', async () => {
    const { token } = await accounts.login('auditor', DEMO_PASSWORD);
    await accounts.setPassword('auditor', 'another long password');
    expect(await accounts.session(token)).toBeNull();
    await expect(accounts.login('auditor', 'another long password')).resolves.toBeTruthy();
  });
});
