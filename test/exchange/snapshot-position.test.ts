/**
 * `GET /ledger/v1/snapshot?position=N` on a registry (in-process app, PostgreSQL): the lists as they
 * stood after entries 0..N−1, with the frontier that gives the signed root of size N; a follower that
 * starts from it and applies entries N.. over the verified path ends with the registry's lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexFollower } from '../../src/check/follow.ts';
import { DEFAULT_POLICY } from '../../src/check/policy.ts';
import { CheckService } from '../../src/check/service.ts';
import { deserializeIndex } from '../../src/check/snapshot.ts';
import { luhnDigit } from '../../src/identifiers/checkdigits.ts';
import { foldNodes } from '../../src/ledger/merkle.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const key = (n: number) => `35209900${String(n).padStart(6, '0')}`;
const imei = (n: number) => `${key(n)}${luhnDigit(key(n))}`;

describe('ledger snapshot at a position (PostgreSQL)', () => {
  let t: TestApp;
  const post = async (path: string, json: unknown) =>
    expect((await t.call(path, { method: 'POST', json })).status).toBe(200);
  const snapshot = async (query: string) => {
    const response = await t.call(`/ledger/v1/snapshot${query}`);
    expect(response.status).toBe(200);
    const parsed = deserializeIndex(Buffer.from(await response.arrayBuffer()));
    expect(response.headers.get('x-ledger-position')).toBe(String(parsed.index.position));
    return parsed;
  };
  const statuses = (index: ReturnType<typeof deserializeIndex>['index']) =>
    [1, 2, 3].map((n) =>
      index
        .reasonsOf(Number(key(n)))
        .map((r) => `${r.status}:${r.reason}`)
        .join(','),
    );

  beforeAll(async () => {
    t = await createTestApp('postgres');
    await post(`/api/v1/devices/${imei(1)}/block`, { reason: 'stolen' });
    await post(`/api/v1/devices/${imei(2)}/track`, { reason: 'lost' });
    await post(`/api/v1/devices/${imei(3)}/block`, { reason: 'stolen' });
    await post(`/api/v1/devices/${imei(1)}/unblock`, { reason: 'stolen' });
  }, 60_000);
  afterAll(() => t?.dispose());

  it('gives the lists at each position with the frontier of the signed root', async () => {
    const size = await t.context.ledger.size();
    expect(size).toBe(4);
    for (const position of [0, 1, 2, 3, 4]) {
      const { index, frontier } = await snapshot(`?position=${position}`);
      expect(index.position).toBe(position);
      const root = foldNodes(frontier.map((h) => Buffer.from(h, 'hex')));
      expect(root.equals(await t.context.ledger.rootAt(position))).toBe(true);
    }
    expect(statuses((await snapshot('?position=1')).index)).toEqual(['blocked:stolen', '', '']);
    expect(statuses((await snapshot('?position=3')).index)).toEqual([
      'blocked:stolen',
      'tracked:lost',
      'blocked:stolen',
    ]);
    // The current snapshot and the one at the tree size agree.
    expect(statuses((await snapshot('')).index)).toEqual(['', 'tracked:lost', 'blocked:stolen']);
    expect(statuses((await snapshot('?position=4')).index)).toEqual(['', 'tracked:lost', 'blocked:stolen']);
  });

  it('lets a follower start at the position and catch up through verified entries', async () => {
    const { index, frontier } = await snapshot('?position=2');
    const service = new CheckService({ policy: DEFAULT_POLICY, index, recorder: null, overload: null });
    const follower = new IndexFollower(service, t.context.ledger, { frontier });
    await follower.catchUp();
    expect(follower.status.problem).toBeNull();
    expect(service.index.position).toBe(4);
    expect(statuses(service.index)).toEqual(['', 'tracked:lost', 'blocked:stolen']);
  });

  it('the OpenAPI document describes every /ledger/v1 route, the snapshot with its position', async () => {
    const doc = (await (await t.call('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[]; summary?: string }>>;
    };
    const ledgerPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/ledger/v1/'));
    expect(ledgerPaths.sort()).toEqual([
      '/ledger/v1/entries',
      '/ledger/v1/head',
      '/ledger/v1/heads',
      '/ledger/v1/proofs/consistency',
      '/ledger/v1/proofs/inclusion',
      '/ledger/v1/public-key',
      '/ledger/v1/snapshot',
    ]);
    for (const p of ledgerPaths) expect(doc.paths[p]!.get!.summary, p).toBeTruthy();
    expect(doc.paths['/ledger/v1/snapshot']!.get!.parameters!.map((x) => x.name)).toEqual(['position']);
  });

  it('refuses a position beyond the tree, naming the rule', async () => {
    const beyond = await t.call('/ledger/v1/snapshot?position=99');
    expect(beyond.status).toBe(400);
    expect(((await beyond.json()) as { detail: string }).detail).toBe(
      'position must be between 0 and the tree size 4; got 99',
    );
    expect((await t.call('/ledger/v1/snapshot?position=-1')).status).toBe(400);
  });
});
