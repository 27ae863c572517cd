/**
 * The permission table (src/web/permissions.ts) against the real router and real HTTP on loopback
 * (PGlite): every route has exactly one decision, every decision a route, and requests without
 * credentials and with each role's API key (and console session) are refused or admitted as the
 * table says. Access control does not depend on the engine, so one engine is enough here.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/accounts/model.ts';
import { SmscSimulator } from '../../src/protocols/sms/index.ts';
import { type Access, type DeclaredRoute, declaredRoutes } from '../../src/web/access.ts';
import { buildApp, buildCheckNodeApp } from '../../src/web/app.ts';
import { CONSOLE_LINKS } from '../../src/web/console/auth.ts';
import {
  describeAccess,
  permissionsMarkdown,
  ROUTE_PERMISSIONS,
  type RoutePermission,
} from '../../src/web/permissions.ts';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/app.ts';

const WHERE =
  'add a row to ROUTE_PERMISSIONS in src/web/permissions.ts (method, path, access as declared, why)';
const PASSWORD = 'permissions test password 1';

/** A caller: an organisation's API key with its role, or the admin key (the regulator's own systems). */
interface Principal {
  readonly name: string;
  readonly role: Role;
  readonly authorization: string;
  /** A console session of a user with the same role. */
  readonly cookie: string | null;
}

const sameAccess = (a: Access, b: Access) =>
  typeof a === 'string' || typeof b === 'string'
    ? a === b
    : a.length === b.length && a.every((role) => b.includes(role));

const key = (method: string, url: string) => `${method} ${url}`;

/** The routes to decide on: HEAD follows the GET of its path (or of the path without its trailing slash). */
function decidable(routes: readonly DeclaredRoute[]): DeclaredRoute[] {
  const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
  return routes.filter(
    (r) => r.method !== 'HEAD' || !(gets.has(r.url) || gets.has(r.url.replace(/\/$/, ''))),
  );
}

/** Route problems: missing rows and declarations that differ from the table, each saying what to do. */
function mismatches(routes: readonly DeclaredRoute[], app: string): string[] {
  const table = new Map(ROUTE_PERMISSIONS.map((row) => [key(row.method, row.url), row]));
  const problems: string[] = [];
  for (const route of decidable(routes)) {
    const row = table.get(key(route.method, route.url));
    if (!row) problems.push(`${route.method} ${route.url} (${app}) has no access decision: ${WHERE}`);
    else if (!sameAccess(row.access, route.access))
      problems.push(
        `${route.method} ${route.url} (${app}) declares access ${describeAccess(route.access)} but the table ` +
          `says ${describeAccess(row.access)}: change the route's config.access or its row in src/web/permissions.ts`,
      );
  }
  return problems;
}

/** The independent oracle: who the table admits (admin = regulator; the auditor also on GET). */
function admits(row: RoutePermission, role: Role): boolean {
  if (row.access === 'public') return true;
  if (row.access === 'admin') return role === 'regulator' || (role === 'auditor' && row.method === 'GET');
  return row.access.includes(role);
}

/** Queries a handler validates before it checks its own proof (so that the proof is what answers). */
const SAMPLE_QUERY: Record<string, string> = { '/exchange/v1/feed': '?after=0' };

const concrete = (url: string) => url.replace(/:(\w+)/g, 'x1').replace('*', 'x1') + (SAMPLE_QUERY[url] ?? '');

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

describe('route permissions', () => {
  let t: TestApp;
  let simulator: SmscSimulator;
  let app: FastifyInstance;
  let checkNode: FastifyInstance;
  let base: string;
  let checkBase: string;
  const principals: Principal[] = [];

  beforeAll(async () => {
    t = await createTestApp('pglite');
    // The demo handset's routes exist only with the built-in SMSC simulator: build the app with one.
    simulator = await SmscSimulator.start({ port: 0, systemId: 'permtest', password: 'permtest' });
    app = await buildApp({ ...t.context, metrics: new Registry(), smsSimulator: simulator });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    const { logger, version, adminApiKey, accounts, readiness, checks } = t.context;
    const metrics = new Registry();
    checkNode = await buildCheckNodeApp({
      logger,
      metrics,
      version,
      adminApiKey,
      accounts,
      readiness,
      checks,
    });
    checkBase = await checkNode.listen({ port: 0, host: '127.0.0.1' });

    const a = t.accounts;
    await a.addOrganisation({ id: 'police-north', kind: 'police', name: 'North police', regions: ['north'] });
    await a.addOrganisation({ id: 'op-one', kind: 'operator', name: 'Operator One', operatorId: 'op1' });
    await a.addOrganisation({ id: 'regulator', kind: 'regulator', name: 'The regulator' });
    const orgOf: Record<Role, string> = {
      police: 'police-north',
      operator: 'op-one',
      regulator: 'regulator',
      auditor: 'regulator',
      follower: 'regulator',
      peer: 'regulator',
    };
    // Machines' roles exist only on API keys: a check node's and a peer registry's.
    for (const role of ['follower', 'peer'] as const) {
      const { key: apiKey } = await a.createApiKey(orgOf[role], role, `${role} system`);
      principals.push({ name: `${role} API key`, role, authorization: `Bearer ${apiKey}`, cookie: null });
    }
    for (const role of ['police', 'operator', 'regulator', 'auditor'] as const) {
      const { key: apiKey } = await a.createApiKey(orgOf[role], role, `${role} system`);
      const username = `${role}.user`;
      await a.addUser({ username, displayName: role, role, organisationId: orgOf[role], password: PASSWORD });
      const { token } = await a.login(username, PASSWORD);
      principals.push({
        name: `${role} API key`,
        role,
        authorization: `Bearer ${apiKey}`,
        cookie: `openceir_session=${token}`,
      });
    }
    principals.push({
      name: 'admin key',
      role: 'regulator',
      authorization: `Bearer ${TEST_ADMIN_KEY}`,
      cookie: null,
    });
  }, 120_000);

  afterAll(async () => {
    await checkNode?.close();
    await app?.close();
    await simulator?.close();
    await t?.dispose();
  });

  const send = (row: RoutePermission, headers: Record<string, string>) =>
    fetch(`${base}${concrete(row.url)}`, {
      method: row.method,
      redirect: 'manual',
      headers: row.method === 'GET' ? headers : { ...headers, 'content-type': 'application/json' },
      body: row.method === 'GET' ? undefined : '{}',
    });

  it('has exactly one decision for every route of the registry and of a check node, as declared', () => {
    const rows = ROUTE_PERMISSIONS.map((row) => key(row.method, row.url));
    expect(
      rows.filter((row, i) => rows.indexOf(row) !== i),
      'rows listed twice',
    ).toEqual([]);
    expect([
      ...mismatches(declaredRoutes(app), 'registry'),
      ...mismatches(declaredRoutes(checkNode), 'check node'),
    ]).toEqual([]);
  });

  it('has no decision for a route that does not exist', () => {
    const routes = new Set(decidable(declaredRoutes(app)).map((r) => key(r.method, r.url)));
    const stale = ROUTE_PERMISSIONS.filter((row) => !routes.has(key(row.method, row.url))).map(
      (row) => `${row.method} ${row.url}: no such route; remove its row from src/web/permissions.ts`,
    );
    expect(stale).toEqual([]);
  });

  it('refuses every non-public route without credentials or with a bad key, and opens the public ones', async () => {
    const wrong: string[] = [];
    await inBatches(ROUTE_PERMISSIONS, 8, async (row) => {
      const none = await send(row, {});
      const forged = await send(row, { authorization: 'Bearer ok_0123456789abcdef.not-a-valid-secret' });
      const label = `${row.method} ${row.url}`;
      if (row.access === 'public' && !row.proof) {
        if (none.status === 401 || none.status === 403)
          wrong.push(`${label}: public but answered ${none.status}`);
        return;
      }
      const toLogin =
        row.url.startsWith('/console') &&
        none.status === 303 &&
        none.headers.get('location')?.startsWith('/console/login');
      if (row.access === 'public' && row.proof === 'case') {
        // The owner's pages are open; what they show is decided by the one-time code.
        if (none.status === 401 || none.status === 403)
          wrong.push(`${label}: owner page answered ${none.status}`);
        return;
      }
      if (none.status !== 401 && !toLogin)
        wrong.push(`${label}: without credentials answered ${none.status}`);
      if (forged.status !== 401) wrong.push(`${label}: with a forged key answered ${forged.status}`);
    });
    expect(wrong).toEqual([]);
  }, 120_000);

  it('refuses a check node’s non-public routes without credentials, and admits its admin key', async () => {
    const table = new Map(ROUTE_PERMISSIONS.map((row) => [key(row.method, row.url), row]));
    const rows = decidable(declaredRoutes(checkNode))
      .map((route) => table.get(key(route.method, route.url))!)
      .filter((row) => row.access !== 'public');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const request = (headers: Record<string, string>) =>
        fetch(`${checkBase}${concrete(row.url)}`, {
          method: row.method,
          headers: row.method === 'GET' ? headers : { ...headers, 'content-type': 'application/json' },
          body: row.method === 'GET' ? undefined : '{}',
        });
      expect((await request({})).status, `${row.method} ${row.url}`).toBe(401);
      const admitted = await request({ authorization: `Bearer ${TEST_ADMIN_KEY}` });
      expect([401, 403], `${row.method} ${row.url} with the admin key`).not.toContain(admitted.status);
    }
  });

  it('admits and refuses each role’s API key and the admin key as the table says', async () => {
    const wrong: string[] = [];
    const tally = { admitted: 0, refused: 0 };
    const rows = ROUTE_PERMISSIONS.filter((row) => row.access !== 'public');
    const cases = principals.flatMap((p) => rows.map((row) => ({ p, row })));
    await inBatches(cases, 8, async ({ p, row }) => {
      const answer = await send(row, { authorization: p.authorization });
      const body = await answer.text();
      const label = `${row.method} ${row.url} with the ${p.name}`;
      tally[admits(row, p.role) ? 'admitted' : 'refused'] += 1;
      if (admits(row, p.role)) {
        if (answer.status === 401 || answer.status === 403)
          wrong.push(`${label}: the table admits it, answered ${answer.status} ${body.slice(0, 160)}`);
      } else if (answer.status !== 403 || !body.includes('"FORBIDDEN"'))
        wrong.push(`${label}: the table refuses it, answered ${answer.status}`);
    });
    expect(wrong).toEqual([]);
    expect(tally.admitted).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(100);
  }, 240_000);

  it('admits and refuses each role’s console session on console pages as the table says', async () => {
    const wrong: string[] = [];
    const pages = ROUTE_PERMISSIONS.filter(
      (row) => row.method === 'GET' && row.url.startsWith('/console') && row.access !== 'public',
    );
    const cases = principals.filter((p) => p.cookie).flatMap((p) => pages.map((row) => ({ p, row })));
    await inBatches(cases, 8, async ({ p, row }) => {
      const answer = await send(row, { cookie: p.cookie! });
      await answer.arrayBuffer();
      const refused = answer.status === 403 || answer.status === 401 || answer.status === 303;
      if (admits(row, p.role) === refused)
        wrong.push(`${row.method} ${row.url} with a ${p.role} session: answered ${answer.status}`);
    });
    expect(wrong).toEqual([]);
  }, 120_000);

  it('lets the auditor read and never write', () => {
    // POSTs that change nothing the registry holds: verifying the ledger, ending one's own session.
    const harmless = new Set(['POST /api/v1/ledger/verify', 'POST /console/logout']);
    const writes = ROUTE_PERMISSIONS.filter(
      (row) => admits(row, 'auditor') && row.access !== 'public' && row.method !== 'GET',
    ).map((row) => key(row.method, row.url));
    expect(writes.filter((route) => !harmless.has(route))).toEqual([]);
    // What the role is for: the access log, statistics, audits of the ledger, the read API.
    const reads = ROUTE_PERMISSIONS.filter((row) => row.access !== 'public' && admits(row, 'auditor'));
    expect(reads.map((row) => key(row.method, row.url))).toEqual(
      expect.arrayContaining([
        'GET /console/access-log',
        'GET /console/statistics',
        'POST /api/v1/ledger/verify',
        'GET /ledger/v1/entries',
        'GET /api/v1/rules',
      ]),
    );
  });

  it('lets the machine roles do only what check nodes and peer registries need', () => {
    const allowed = (role: Role) =>
      ROUTE_PERMISSIONS.filter((row) => row.access !== 'public' && admits(row, role))
        .map((row) => key(row.method, row.url))
        .sort();
    expect(allowed('follower')).toEqual([
      'GET /ledger/v1/entries',
      'GET /ledger/v1/snapshot',
      'POST /api/v1/sightings',
    ]);
    // A peer registry matches keyed tokens; its shared entries come through its feed, never the ledger.
    expect(allowed('peer')).toEqual(['POST /exchange/v1/match']);
    // An operator's system runs REST checks with its own key: they read the check index only.
    expect(allowed('operator')).toEqual(
      expect.arrayContaining(['GET /api/v1/devices/:id/status', 'POST /api/v1/check/bulk']),
    );
  });

  it('refuses a peer key the ledger’s entries and snapshot, and serves the peer its feed with its feed key', async () => {
    const peerKey = principals.find((p) => p.role === 'peer')!.authorization;
    const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    const added = await t.call('/api/v1/exchange/peers', {
      method: 'POST',
      json: {
        id: 'country-p',
        url: 'http://127.0.0.1:9',
        publicKey,
        policy: { share: { reasons: ['stolen'] } },
      },
    });
    expect(added.status).toBe(201);
    const { feedKey } = (await (
      await t.call('/api/v1/exchange/peers/country-p/feed-key', { method: 'POST' })
    ).json()) as { feedKey: string };
    const imei = '356938035643809';
    const blocked = await t.call(`/api/v1/devices/${imei}/block`, {
      method: 'POST',
      json: { reason: 'stolen', source: 'police' },
    });
    expect(blocked.status).toBe(200);
    const read = (path: string, authorization: string) =>
      fetch(`${base}${path}`, { headers: { authorization } });

    for (const path of ['/ledger/v1/entries?start=0', '/ledger/v1/snapshot']) {
      const refused = await read(path, peerKey);
      expect(refused.status, `${path} with a peer key`).toBe(403);
      expect(await refused.text()).toContain('"FORBIDDEN"');
      // The same read with a follower key works: the refusal is the role's, not the request's.
      const follower = principals.find((p) => p.role === 'follower')!.authorization;
      const admitted = await read(path, follower);
      expect(admitted.status, `${path} with a follower key`).toBe(200);
      await admitted.arrayBuffer();
    }
    const feed = await read('/exchange/v1/feed?after=0', `Bearer ${feedKey}`);
    expect(feed.status).toBe(200);
    const page = (await feed.json()) as { entries: { entry: { target: { deviceKey: string } } }[] };
    expect(page.entries.map((e) => e.entry.target.deviceKey)).toContain(imei.slice(0, 14));
    // The peer key is not a feed key.
    expect((await read('/exchange/v1/feed?after=0', peerKey)).status).toBe(401);
  });

  it('offers on the console home exactly the pages each role may open', () => {
    const pages = new Map(
      ROUTE_PERMISSIONS.filter((row) => row.method === 'GET').map((row) => [row.url, row]),
    );
    for (const link of CONSOLE_LINKS) {
      const row = pages.get(link.href);
      expect(row, `${link.href} is in the table`).toBeDefined();
      const roles = (['police', 'operator', 'regulator', 'auditor'] as const).filter((role) =>
        admits(row!, role),
      );
      expect([...link.roles].sort(), `CONSOLE_LINKS roles of ${link.href}`).toEqual(roles.sort());
    }
  });

  it('keeps the access-control section of docs/security.md as the table generates it', () => {
    const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
    // The formatter aligns table columns: compare cells, not padding.
    const cells = (text: string) =>
      text
        .split('\n')
        .map((line) => (line.startsWith('|') ? line.replace(/ *\| */g, '|').replace(/-{3,}/g, '---') : line))
        .join('\n');
    expect(
      cells(doc).includes(cells(permissionsMarkdown())),
      'regenerate it: npx tsx scripts/permissions-doc.ts --write',
    ).toBe(true);
  });
});
