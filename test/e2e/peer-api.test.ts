/**
 * The peer API over real HTTP on PostgreSQL: adding a peer names every bad field; pause, resume,
 * remove and unknown peers; the feed answers only with the feed key we issued, holds only what the
 * policy shares, and each entry's inclusion proof checks against the signed head it comes with.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Entry, entryLeafHash } from '../../src/ledger/entry.ts';
import { verifyInclusion } from '../../src/ledger/merkle.ts';
import { headFromJson, type TreeHeadJson, verifyHead } from '../../src/ledger/signing.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const PEM = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('peer API [postgres]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres');
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('refuses a bad peer naming each field, and manages a good one', async () => {
    const bad = await t.call('/api/v1/exchange/peers', {
      method: 'POST',
      json: {
        id: 'Country B!',
        url: 'ftp://x',
        publicKey: 'not a key',
        policy: { apply: { stolen: { action: 'block', reason: 'registered' } } },
      },
    });
    expect(bad.status).toBe(400);
    const params = ((await bad.json()) as { invalidParams: { param: string }[] }).invalidParams.map(
      (p) => p.param,
    );
    expect(params).toEqual(['id', 'url', 'publicKey', 'policy.apply.stolen.reason']);
    const via = await t.call('/api/v1/exchange/peers', {
      method: 'POST',
      json: { id: 'country-b', url: 'http://127.0.0.1:9', publicKey: PEM, via: 'carrier-pigeon' },
    });
    expect(via.status).toBe(400);
    expect(JSON.stringify(await via.json())).toContain('body via');

    const added = await t.call('/api/v1/exchange/peers', {
      method: 'POST',
      json: { id: 'country-b', url: 'http://127.0.0.1:9/', publicKey: PEM },
    });
    expect(added.status).toBe(201);
    // Read through the feed it keeps for us unless said otherwise: a peer key reads no ledger entries.
    expect(await added.json()).toMatchObject({
      id: 'country-b',
      url: 'http://127.0.0.1:9',
      state: 'active',
      via: 'feed',
      feedKey: false,
      position: 0,
      policy: { share: { reasons: ['stolen', 'lost'] } },
    });
    const again = await t.call('/api/v1/exchange/peers', {
      method: 'POST',
      json: { id: 'country-b', url: 'http://127.0.0.1:9', publicKey: PEM },
    });
    expect(again.status).toBe(400);
    expect((await t.call('/api/v1/exchange/peers/country-b/pause', { method: 'POST' })).status).toBe(200);
    expect(await (await t.call('/api/v1/exchange/peers/country-b')).json()).toMatchObject({
      state: 'paused',
    });
    expect((await t.call('/api/v1/exchange/peers/nope/resume', { method: 'POST' })).status).toBe(404);
    expect((await t.call('/api/v1/exchange/peers', { auth: false })).status).toBe(401);
  });

  it('serves a peer its feed: only with its key, only what is shared, every entry proven', async () => {
    await t.call('/api/v1/exchange/peers', {
      method: 'POST',
      json: {
        id: 'country-c',
        url: 'http://127.0.0.1:9',
        publicKey: PEM,
        policy: { share: { reasons: ['stolen'] } },
      },
    });
    const issued = await t.call('/api/v1/exchange/peers/country-c/feed-key', { method: 'POST' });
    const { feedKey } = (await issued.json()) as { feedKey: string };
    expect(feedKey).toMatch(/^pf_/);
    const block = (imei: string, reason: string) =>
      t.call(`/api/v1/devices/${imei}/block`, { method: 'POST', json: { reason, source: 'police' } });
    expect((await block('356938035643809', 'stolen')).status).toBe(200);
    expect((await block('353918057000016', 'counterfeit')).status).toBe(200);
    expect(
      (
        await t.call('/api/v1/devices/356938035643809/unblock', {
          method: 'POST',
          json: { source: 'police' },
        })
      ).status,
    ).toBe(200);

    expect((await t.call('/exchange/v1/feed?after=0', { auth: false })).status).toBe(401);
    const wrong = await t.call('/exchange/v1/feed?after=0', {
      auth: false,
      headers: { authorization: `Bearer ${feedKey.slice(0, -2)}xx` },
    });
    expect(wrong.status).toBe(401);
    const response = await t.call('/exchange/v1/feed?after=0', {
      auth: false,
      headers: { authorization: `Bearer ${feedKey}` },
    });
    expect(response.status).toBe(200);
    const feed = (await response.json()) as {
      head: TreeHeadJson;
      entries: { entry: Entry; proof: string[] }[];
      next: number;
    };
    const head = headFromJson(feed.head);
    expect(verifyHead(head, t.context.ledger.signer.publicKeyPem)).toBe(true);
    expect(feed.next).toBe(head.size);
    expect(feed.entries.map((e) => [e.entry.action, e.entry.reasons])).toEqual([
      ['block', ['stolen']],
      ['unblock', []],
    ]);
    for (const { entry, proof } of feed.entries)
      expect(
        verifyInclusion(
          entryLeafHash(entry),
          entry.seq,
          head.size,
          proof.map((p) => Buffer.from(p, 'base64')),
          head.rootHash,
        ),
      ).toBe(true);
    const beyond = await t.call(`/exchange/v1/feed?after=${head.size + 5}`, {
      auth: false,
      headers: { authorization: `Bearer ${feedKey}` },
    });
    expect(beyond.status).toBe(400);
  });
});
