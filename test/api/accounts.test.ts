/** Staff accounts over real HTTP, on PGlite and PostgreSQL: login, sessions, roles, CSRF, TOTP, API keys, access log. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../src/accounts/demo.ts';
import { base32Decode, totp } from '../../src/accounts/totp.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ENGINES } from '../support/stores.ts';

const DEVICE = '/api/v1/devices/352099001761481';

describe.each(ENGINES)('staff accounts [%s]', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemoAccounts(t.context.store, t.accounts);
  });
  afterAll(async () => {
    await t.dispose();
  });

  const get = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
    t.call(path, { auth: false, redirect: 'manual', headers: { ...headers, ...(cookie ? { cookie } : {}) } });
  const post = (path: string, form: Record<string, string>, cookie?: string) =>
    t.call(path, {
      auth: false,
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(form).toString(),
    });
  const sessionOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .find((c) => c.startsWith('openceir_session='))
      ?.split(';')[0];
  async function login(username: string, password = DEMO_PASSWORD, extra: Record<string, string> = {}) {
    const response = await post('/console/login', { username, password, ...extra });
    expect(response.status, await response.clone().text()).toBe(303);
    return sessionOf(response)!;
  }
  const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1];

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await post('/console/login', { username: 'police.capital', password: 'not the password!' });
    const unknown = await post('/console/login', { username: 'nobody.here', password: 'not the password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = (page: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(page)?.[0];
    const [a, b] = [message(await wrong.text()), message(await unknown.text())];
    expect(a).toContain('The username or the password is wrong.');
    expect(a).toBe(b);
    expect(sessionOf(wrong)).toBeUndefined();
  });

  it('logs in with a session cookie that reaches the console home, listing what the role may open', async () => {
    const response = await post('/console/login', { username: 'police.capital', password: DEMO_PASSWORD });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console/');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('openceir_session='))!;
    expect(cookie).toMatch(/^openceir_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(cookie).not.toContain('Secure'); // plain HTTP on loopback
    const home = await get('/console/', cookie.split(';')[0]);
    expect(home.status).toBe(200);
    expect(home.headers.get('cache-control')).toBe('no-store');
    const page = await home.text();
    expect(page).toContain('Capital police officer');
    expect(page).toContain('href="/console/cases"');
    expect(page).toContain('href="/console/alerts"');
    expect(page).not.toContain('href="/console/users"');
  });

  it('sends a visitor without a session to the login page, and back where they were going', async () => {
    const redirected = await get('/console/users?x=1');
    expect(redirected.status).toBe(303);
    expect(redirected.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Fusers%3Fx%3D1');
    const back = await post('/console/login', {
      username: 'regulator',
      password: DEMO_PASSWORD,
      next: '/console/users?x=1',
    });
    expect(back.headers.get('location')).toBe('/console/users?x=1');
    for (const next of [
      '//evil.example/console/',
      'https://evil.example/console/',
      '/\\evil.example',
      '/portal',
    ])
      expect(
        (await post('/console/login', { username: 'regulator', password: DEMO_PASSWORD, next })).headers.get(
          'location',
        ),
      ).toBe('/console/');
  });

  it('shows a police user a 403 page on the regulator pages, and an API caller a problem', async () => {
    const police = await login('police.north');
    const page = await get('/console/users', police, { 'accept-language': 'ar' });
    expect(page.status).toBe(403);
    const text = await page.text();
    expect(text).toContain('<html lang="ar" dir="rtl">');
    expect(text).toContain('لا يسمح دورك (الشرطة) بفتح هذه الصفحة.');
    const api = await get(DEVICE, police);
    expect(api.status).toBe(403);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a console form without the CSRF token of the session, and accepts it with one', async () => {
    const regulator = await login('regulator');
    const form = {
      username: 'care.gamma',
      displayName: 'Gamma care',
      role: 'operator',
      organisation: 'operator-alpha',
      password: 'a long enough password',
    };
    const refused = await post('/console/users', form, regulator);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('The form has expired');
    const other = csrfOf(await (await get('/console/users', await login('regulator'))).text())!;
    expect((await post('/console/users', { ...form, _csrf: other }, regulator)).status).toBe(403);
    expect(await t.accounts.user('care.gamma')).toBeNull();

    const token = csrfOf(await (await get('/console/users', regulator)).text())!;
    const added = await post('/console/users', { ...form, _csrf: token }, regulator);
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/console/users?added=care.gamma');
    expect(await t.accounts.user('care.gamma')).toMatchObject({
      role: 'operator',
      organisationId: 'operator-alpha',
    });

    const refusedInput = await post(
      '/console/users',
      { ...form, username: 'care.delta', password: 'short', _csrf: token },
      regulator,
    );
    expect(refusedInput.status).toBe(400);
    expect(await refusedInput.text()).toContain('Enter a password of at least 12 characters.');
  });

  it('requires the TOTP code once two-factor login is on', async () => {
    const { secret } = await t.accounts.enableTotp('care.beta');
    const without = await post('/console/login', { username: 'care.beta', password: DEMO_PASSWORD });
    expect(without.status).toBe(401);
    expect(await without.text()).toContain('needs the six-digit code');
    const code = totp(base32Decode(secret), Date.now());
    const wrongCode = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    const wrong = await post('/console/login', {
      username: 'care.beta',
      password: DEMO_PASSWORD,
      totp: wrongCode,
    });
    expect(wrong.status).toBe(401);
    expect(sessionOf(wrong)).toBeUndefined();
    const cookie = await login('care.beta', DEMO_PASSWORD, { totp: code });
    expect((await get('/console/', cookie)).status).toBe(200);
  });

  it('accepts an API key as bearer on an admin route only with the regulator role, and not after revocation', async () => {
    const regulatorKey = await t.accounts.createApiKey('regulator', 'regulator', 'regulator tooling');
    const operatorKey = await t.accounts.createApiKey('operator-alpha', 'operator', 'Alpha EIR sync');
    expect(regulatorKey.key).toMatch(/^ok_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
    expect((await get(DEVICE, undefined, bearer(regulatorKey.key))).status).toBe(200);
    const forbidden = await get(DEVICE, undefined, bearer(operatorKey.key));
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { cause: string }).cause).toBe('FORBIDDEN');
    const tampered = `${regulatorKey.key.slice(0, -2)}xx`;
    expect((await get(DEVICE, undefined, bearer(tampered))).status).toBe(401);
    expect(await t.accounts.revokeApiKey(regulatorKey.id)).toBe(true);
    expect((await get(DEVICE, undefined, bearer(regulatorKey.key))).status).toBe(401);
    // The admin key keeps working as before.
    expect((await t.call(DEVICE)).status).toBe(200);
  });

  it('shows a new API key once in the regulator console and revokes it there', async () => {
    const regulator = await login('regulator');
    const token = csrfOf(await (await get('/console/users', regulator)).text())!;
    const created = await post(
      '/console/api-keys',
      { 'key-organisation': 'operator-beta', 'key-role': 'operator', label: 'Beta EIR', _csrf: token },
      regulator,
    );
    expect(created.status).toBe(200);
    const key = /id="new-api-key">(ok_[^<]+)</.exec(await created.text())?.[1];
    expect(key).toMatch(/^ok_/);
    expect(await t.accounts.verifyApiKey(key!)).toMatchObject({ organisation: { id: 'operator-beta' } });
    const id = key!.slice(3, 19);
    expect((await post(`/console/api-keys/${id}/revoke`, { _csrf: token }, regulator)).status).toBe(303);
    expect(await t.accounts.verifyApiKey(key!)).toBeNull();
    expect(await (await get('/console/users', regulator)).text()).not.toContain(key!);
  });

  it('ends sessions at logout and when a user is disabled', async () => {
    const cookie = await login('police.capital');
    const token = csrfOf(await (await get('/console/', cookie)).text())!;
    const out = await post('/console/logout', { _csrf: token }, cookie);
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().join()).toContain(
      'openceir_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    );
    expect((await get('/console/', cookie)).status).toBe(303);

    const again = await login('police.capital');
    await t.accounts.disableUser('police.capital');
    expect((await get('/console/', again)).status).toBe(303);
    const refused = await post('/console/login', { username: 'police.capital', password: DEMO_PASSWORD });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('The username or the password is wrong.');
  });

  it('locks a username after 10 failed logins, whatever the password', async () => {
    const failures = await Promise.all(
      Array.from({ length: 10 }, () =>
        post('/console/login', { username: 'care.alpha', password: 'wrong password!' }),
      ),
    );
    expect(failures.map((r) => r.status)).toEqual(Array(10).fill(401));
    const locked = await post('/console/login', { username: 'care.alpha', password: DEMO_PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(await locked.text()).toContain('Too many failed logins');
  });

  it('keeps an append-only access log that auditors filter in the console', async () => {
    await t.accounts.recordRead({
      actor: 'police.north',
      role: 'police',
      organisation: 'police-north',
      subjectKind: 'alert',
      subjectId: 'a-1',
      fields: ['imsi', 'msisdn'],
      why: 'alert follow-up',
      route: '/console/alerts/:id',
    });
    const db = t.context.store.db;
    await expect(db.execute(sql`update access_log set why = 'nothing to see'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from access_log`)).rejects.toThrow();
    await expect(db.execute(sql`truncate access_log`)).rejects.toThrow();
    const rows = await t.accounts.queryAccessLog({ subjectKind: 'alert', subjectId: 'a-1', limit: 10 });
    expect(rows).toEqual([
      expect.objectContaining({ actor: 'police.north', fields: ['imsi', 'msisdn'], why: 'alert follow-up' }),
    ]);

    const auditor = await login('auditor');
    const today = new Date().toISOString().slice(0, 10);
    const page = await get(`/console/access-log?actor=police.north&from=${today}&to=${today}`, auditor);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('alert follow-up');
    expect(text).toContain('imsi, msisdn');
    const none = await get('/console/access-log?actor=someone.else', auditor);
    expect(await none.text()).toContain('No entry matches.');
    expect((await get('/console/access-log?from=yesterday', auditor)).status).toBe(400);
    expect((await get('/console/access-log', await login('police.north'))).status).toBe(403);
  });
});
