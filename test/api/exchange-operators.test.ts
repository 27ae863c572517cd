/**
 * The operator pull API over real HTTP: an operator system pages its feed with its organisation's
 * API key and acknowledges what it applied; another operator's key is refused that feed (403); the
 * regulator sees the delivery status and sets webhooks and EIR endpoints; the OpenAPI document
 * describes the routes. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headFromJson, type TreeHeadJson, verifyHead } from '../../src/ledger/signing.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ENGINES } from '../support/stores.ts';

describe.each(ENGINES)('operator exchange API [%s]', (engine) => {
  let t: TestApp;
  let alphaKey = '';
  let betaKey = '';

  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.accounts.addOrganisation({
      id: 'operator-alpha',
      kind: 'operator',
      name: 'Alpha',
      operatorId: 'alpha',
    });
    await t.accounts.addOrganisation({
      id: 'operator-beta',
      kind: 'operator',
      name: 'Beta',
      operatorId: 'beta',
    });
    alphaKey = (await t.accounts.createApiKey('operator-alpha', 'operator', 'alpha EIR')).key;
    betaKey = (await t.accounts.createApiKey('operator-beta', 'operator', 'beta EIR')).key;
    const draft = (deviceKey: string, action: 'block' | 'unblock' | 'track') => ({
      actor: 'test',
      source: 'police',
      action,
      target: { kind: 'device' as const, deviceKey },
      reasons: action === 'unblock' ? [] : ['stolen'],
    });
    await t.context.ledger.append([draft('35693803564380', 'block'), draft('35391805700001', 'track')]);
    await t.context.ledger.append([
      {
        actor: 'test',
        source: 'operator:alpha',
        action: 'pair',
        target: { kind: 'pair', deviceKey: '35693803564380', imsi: '639020000000001', msisdn: null },
      },
      {
        actor: 'test',
        source: 'operator:beta',
        action: 'pair',
        target: { kind: 'pair', deviceKey: '35693803564380', imsi: '639030000000001', msisdn: null },
      },
    ]);
    await t.context.ledger.append([draft('35693803564380', 'unblock')]);
  });
  afterAll(() => t.dispose());

  /** A request with an operator's API key (and JSON when `json` is given). */
  const as = (key: string, path: string, init: { method?: string; json?: unknown } = {}) =>
    t.call(path, {
      method: init.method,
      json: init.json,
      auth: false,
      headers: { authorization: `Bearer ${key}` },
    });

  it('pages an operator’s own feed with a covering signed head, and records its ack', async () => {
    const first = await as(alphaKey, '/api/v1/exchange/changes?since=0&limit=2');
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as {
      operator: string;
      next: number;
      changes: { position: number; list: string; op: string }[];
      head: { treeSize: number };
    };
    expect(page1.operator).toBe('alpha');
    expect(page1.changes.map((c) => [c.position, c.list, c.op])).toEqual([
      [0, 'blocked', 'add'],
      [1, 'tracked', 'add'],
    ]);
    expect(page1.next).toBe(2);
    const page2 = (await (
      await as(alphaKey, `/api/v1/exchange/changes?since=${page1.next}`)
    ).json()) as typeof page1;
    // Beta's pair (position 3) is not in alpha's feed.
    expect(page2.changes.map((c) => [c.position, c.list, c.op])).toEqual([
      [2, 'exceptions', 'add'],
      [4, 'blocked', 'remove'],
    ]);
    expect(page2.next).toBe(5);
    expect(page2.head.treeSize).toBe(5);
    const head = await (await t.call('/ledger/v1/head')).json();
    expect(page2.head).toEqual(head);
    expect(verifyHead(headFromJson(page2.head as TreeHeadJson), t.context.ledger.signer.publicKeyPem)).toBe(
      true,
    );

    const ack = await as(alphaKey, '/api/v1/exchange/ack', {
      method: 'POST',
      json: { position: page2.next },
    });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toEqual({ operator: 'alpha', acknowledgedPosition: 5 });
  });

  it('refuses another operator’s feed (403), a missing key (401) and a bad position (400)', async () => {
    const other = await as(betaKey, '/api/v1/exchange/changes?since=0&operator=alpha');
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await other.json()) as Record<string, unknown>).detail).toMatch(
      /only its own feed \(beta\), not alpha/,
    );
    const otherAck = await as(betaKey, '/api/v1/exchange/ack', {
      method: 'POST',
      json: { position: 1, operator: 'alpha' },
    });
    expect(otherAck.status).toBe(403);
    expect((await t.call('/api/v1/exchange/changes?since=0', { auth: false })).status).toBe(401);
    const beyond = await as(betaKey, '/api/v1/exchange/changes?since=99');
    expect(beyond.status).toBe(400);
    expect(((await beyond.json()) as Record<string, unknown>).detail).toMatch(
      /since 99 is not between 0 and the ledger size 5/,
    );
    const badAck = await as(betaKey, '/api/v1/exchange/ack', {
      method: 'POST',
      json: { position: 6 },
    });
    expect(badAck.status).toBe(400);
    expect(((await badAck.json()) as Record<string, unknown>).invalidParams).toEqual([
      { param: 'body position', reason: 'must be between 0 and the ledger size 5' },
    ]);
    const negative = await as(betaKey, '/api/v1/exchange/changes?since=-1');
    expect(negative.status).toBe(400);
    // Beta's own feed has its pair, not alpha's.
    const beta = (await (await as(betaKey, '/api/v1/exchange/changes?since=0')).json()) as {
      changes: { position: number }[];
    };
    expect(beta.changes.map((c) => c.position)).toEqual([0, 1, 3, 4]);
    // The regulator names the operator.
    expect((await t.call('/api/v1/exchange/changes?since=0')).status).toBe(400);
    expect((await t.call('/api/v1/exchange/changes?since=0&operator=beta')).status).toBe(200);
    // Operator keys do not reach the regulator's routes.
    expect((await as(alphaKey, '/api/v1/exchange/operators')).status).toBe(403);
  });

  it('shows the delivery status and sets endpoints (regulator)', async () => {
    const set = await t.call('/api/v1/exchange/operators/beta/webhook', {
      method: 'PUT',
      json: { url: 'http://127.0.0.1:9/hook' },
    });
    expect(set.status).toBe(200);
    expect(((await set.json()) as Record<string, unknown>).secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const bad = await t.call('/api/v1/exchange/operators/beta/eir', {
      method: 'PUT',
      json: { url: 'mailto:x@y' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Record<string, unknown>).invalidParams).toEqual([
      { param: 'body url', reason: 'the URL scheme is http or https' },
    ]);
    expect(
      (
        await t.call('/api/v1/exchange/operators/beta/eir', {
          method: 'PUT',
          json: { url: 'http://127.0.0.1:9' },
        })
      ).status,
    ).toBe(200);
    const status = (await (await t.call('/api/v1/exchange/operators')).json()) as {
      operators: {
        operator: string;
        acknowledgedPosition: number;
        entriesBehind: number;
        timeBehindMs: number;
        webhookUrl: string | null;
        eirUrl: string | null;
      }[];
    };
    const byId = new Map(status.operators.map((o) => [o.operator, o]));
    expect(byId.get('alpha')).toMatchObject({ acknowledgedPosition: 5, entriesBehind: 0, timeBehindMs: 0 });
    expect(byId.get('beta')).toMatchObject({
      acknowledgedPosition: 0,
      entriesBehind: 5,
      webhookUrl: 'http://127.0.0.1:9/hook',
      eirUrl: 'http://127.0.0.1:9',
    });
    expect(byId.get('beta')!.timeBehindMs).toBeGreaterThanOrEqual(0);
    const removed = await t.call('/api/v1/exchange/operators/beta/webhook', { method: 'DELETE' });
    expect(await removed.json()).toEqual({ operator: 'beta', removed: true });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await (await t.call('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { tags: string[] }>>;
    };
    for (const [path, method] of [
      ['/api/v1/exchange/changes', 'get'],
      ['/api/v1/exchange/ack', 'post'],
      ['/api/v1/exchange/operators', 'get'],
      ['/api/v1/exchange/audit', 'post'],
    ] as const)
      expect(doc.paths[path]?.[method]?.tags).toEqual(['exchange']);
  });
});
