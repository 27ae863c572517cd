/**
 * The peer follower between two ledgers in two databases (PGlite and PostgreSQL): their stolen
 * becomes our blocked/foreign-stolen with the origin kept, a lift at the origin lifts ours, echoes of
 * our own entries are not re-imported; a forged entry, a rewritten history or a head signed by another
 * key stops the peer with nothing of it applied, until a person resumes it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStore, ENGINES, type TestStore } from '../../../test/support/stores.ts';
import type { EntryDraft } from '../../ledger/entry.ts';
import { Ledger } from '../../ledger/ledger.ts';
import { HeadSigner, headFromJson } from '../../ledger/signing.ts';
import { verifyLedger } from '../../ledger/verify.ts';
import { query } from '../../store/index.ts';
import { PeerDirectory, type PeerRecord } from './directory.ts';
import { feedFor, issueFeedKey, peerOfFeedKey } from './feed.ts';
import { PeerFollower, type PeerSource } from './follow.ts';

const DEVICE = '35693803564380';
const OTHER = '35391805700001';

const local = (ledger: Ledger): PeerSource => ({
  head: () => ledger.head(),
  entries: (start, limit) => ledger.entries(start, limit),
  consistency: (first, second) => ledger.consistencyProof(first, second),
});

const block = (deviceKey: string, reason: string, action: EntryDraft['action'] = 'block'): EntryDraft => ({
  actor: 'police-desk',
  source: 'police',
  action,
  target: { kind: 'device', deviceKey },
  reasons: action === 'block' || action === 'track' ? [reason] : [reason],
});

async function reasonsOf(ledger: Ledger, deviceKey: string) {
  return query(
    ledger.db,
    sql`select status, reason, source from device_reason where device_key = ${deviceKey} order by status, reason`,
  );
}

describe.each(ENGINES)('peer follower [%s]', (engine) => {
  let ours: TestStore;
  let other: TestStore;
  const store = () => ours.store;
  let a: Ledger;
  let b: Ledger;
  let sourceOf: (peer: PeerRecord) => PeerSource;
  let follower: PeerFollower;
  let directory: PeerDirectory;
  const problems: string[] = [];

  beforeEach(async () => {
    ours = await createTestStore(engine);
    other = await createTestStore(engine);
    a = new Ledger(store(), new HeadSigner(generateKeyPairSync('ed25519').privateKey));
    b = new Ledger(other.store, new HeadSigner(generateKeyPairSync('ed25519').privateKey));
    await a.init();
    await b.init();
    sourceOf = () => local(b);
    follower = new PeerFollower(a, {
      sourceOf: (peer) => sourceOf(peer),
      chunk: 7,
      onProblem: (_id, problem) => problems.push(problem),
    });
    directory = new PeerDirectory(a.db);
    problems.length = 0;
    // Its whole ledger: the case of a registry that issued us a follower key (its own regional instance).
    await directory.add({
      id: 'country-b',
      url: 'http://127.0.0.1:1',
      publicKeyPem: b.signer.publicKeyPem,
      via: 'ledger',
      policy: {
        apply: {
          stolen: { action: 'block', reason: 'foreign-stolen' },
          lost: { action: 'track', reason: 'foreign-lost' },
        },
      },
    });
  });
  afterEach(async () => {
    await other.dispose();
    await ours.dispose();
  });

  it('applies their stolen and lost by the policy, keeps the origin, lifts when they lift, ignores the rest', async () => {
    await b.append([block(DEVICE, 'stolen'), block(OTHER, 'lost'), block('35000000000001', 'counterfeit')]);
    await follower.roundAll();
    expect(await reasonsOf(a, DEVICE)).toEqual([
      { status: 'blocked', reason: 'foreign-stolen', source: 'peer:country-b' },
    ]);
    expect(await reasonsOf(a, OTHER)).toEqual([
      { status: 'tracked', reason: 'foreign-lost', source: 'peer:country-b' },
    ]);
    expect(await reasonsOf(a, '35000000000001')).toEqual([]);
    const [ours] = (await a.entries(0, 10)).filter((e) => e.source === 'peer:country-b');
    expect(ours).toMatchObject({
      reference: 'peer:country-b:0',
      attributes: { peerSeq: '0', originKey: b.signer.keyId, originReasons: 'stolen' },
    });
    const peer = await directory.get('country-b');
    expect(peer).toMatchObject({ position: 3, state: 'active', problem: null, head: { size: 3 } });

    // The same device also reported lost there: both statuses of theirs stand behind ours.
    await b.append([block(DEVICE, 'lost', 'track')]);
    await follower.roundAll();
    expect((await reasonsOf(a, DEVICE)).map((r) => r.status)).toEqual(['blocked', 'tracked']);
    // Recovered at the origin: their unblock lifts our block, their track stays.
    await b.append([{ ...block(DEVICE, 'stolen', 'unblock') }]);
    await follower.roundAll();
    expect(await reasonsOf(a, DEVICE)).toEqual([
      { status: 'tracked', reason: 'foreign-lost', source: 'peer:country-b' },
    ]);
    // A second round with nothing new applies nothing twice.
    const size = await a.size();
    await follower.roundAll();
    expect(await a.size()).toBe(size);
    expect((await verifyLedger(a.db)).ok).toBe(true);
  });

  it('does not re-import our own entries echoed by a peer that follows us', async () => {
    // B follows A too, with the same policy: our block comes back to us from B as theirs.
    const bDirectory = new PeerDirectory(b.db);
    await bDirectory.add({
      id: 'country-a',
      url: 'http://127.0.0.1:1',
      publicKeyPem: a.signer.publicKeyPem,
      via: 'ledger',
    });
    const bFollower = new PeerFollower(b, { sourceOf: () => local(a) });
    await a.append([block(DEVICE, 'stolen')]);
    await bFollower.roundAll();
    expect(await reasonsOf(b, DEVICE)).toEqual([
      { status: 'blocked', reason: 'foreign-stolen', source: 'peer:country-a' },
    ]);
    // Even a policy that applies foreign-stolen does not bring it back.
    await store().db.execute(
      sql`update peer set policy = '{"apply":{"foreign-stolen":{"action":"block","reason":"foreign-stolen"}}}'::jsonb`,
    );
    await follower.roundAll();
    expect(await reasonsOf(a, DEVICE)).toEqual([{ status: 'blocked', reason: 'stolen', source: 'police' }]);
    expect((await directory.get('country-b')).position).toBe(await b.size());
  });

  it('stops at a forged entry with nothing of it applied, and only a person resumes it', async () => {
    await b.append([block(DEVICE, 'stolen')]);
    await follower.roundAll();
    await directory.pause('country-b');
    await b.append([block(OTHER, 'stolen')]);
    await b.append([block('35000000000001', 'stolen')]);
    // Someone with access to B's database rewrites the report (migration 0002's trigger set aside).
    await other.store.db.execute(sql`alter table ledger_entry disable trigger ledger_entry_append_only`);
    await other.store.db.execute(
      sql`update ledger_entry set target = '{"kind":"device","deviceKey":"35999999999999"}'::jsonb where seq = 1`,
    );
    await follower.roundAll();
    expect(await reasonsOf(a, OTHER)).toEqual([]); // paused: nothing read
    const before = await a.size();
    await directory.resume('country-b');
    await follower.roundAll();
    const peer = await directory.get('country-b');
    expect(peer.state).toBe('stopped');
    expect(peer.problem).toMatch(/entries 1 to 2 do not give its signed root.*altered or forged/);
    expect(peer.position).toBe(1);
    expect(await a.size()).toBe(before);
    expect(await reasonsOf(a, '35999999999999')).toEqual([]);
    expect(await reasonsOf(a, '35000000000001')).toEqual([]);
    // Stopped peers are not followed, and resuming an unchanged log stops it again.
    await follower.roundAll();
    expect(await a.size()).toBe(before);
    await directory.resume('country-b');
    await follower.roundAll();
    expect((await directory.get('country-b')).state).toBe('stopped');
    expect(await a.size()).toBe(before);
  });

  it('stops on a rewritten history and on a head signed by another key', async () => {
    await b.append([block(DEVICE, 'stolen'), block(OTHER, 'stolen')]);
    await follower.roundAll();
    // Another log of the same peer key, with different entries: its heads are not consistent.
    const forgery = await createTestStore(engine);
    const rewritten = new Ledger(
      forgery.store,
      // The same key: the forger has B's signing key.
      b.signer,
    );
    await rewritten.init();
    await rewritten.append([
      block(DEVICE, 'stolen'),
      block('35000000000001', 'stolen'),
      block(OTHER, 'lost'),
    ]);
    sourceOf = () => local(rewritten);
    await follower.roundAll();
    let peer = await directory.get('country-b');
    expect(peer.state).toBe('stopped');
    expect(peer.problem).toMatch(/not consistent with the head of size 2.*history was rewritten/);
    expect(await reasonsOf(a, '35000000000001')).toEqual([]);
    await forgery.dispose();

    // A head signed by a key other than the configured one.
    sourceOf = () => local(b);
    await directory.remove('country-b');
    await directory.add({
      id: 'country-b',
      url: 'http://127.0.0.1:1',
      publicKeyPem: a.signer.publicKeyPem,
      via: 'ledger',
    });
    await follower.roundAll();
    peer = await directory.get('country-b');
    expect(peer.state).toBe('stopped');
    expect(peer.problem).toMatch(/not signed by the configured key/);
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  it('follows a peer through its feed for us: only what it shares, each entry proven, a forged one stops it', async () => {
    // B keeps a feed for A: its policy for A shares stolen only.
    await new PeerDirectory(b.db).add({
      id: 'country-a',
      url: 'http://127.0.0.1:1',
      publicKeyPem: a.signer.publicKeyPem,
      policy: { share: { reasons: ['stolen'] } },
    });
    const key = await issueFeedKey(b.db, 'country-a');
    const reader = await peerOfFeedKey(b.db, key);
    expect(reader?.id).toBe('country-a');
    expect(await peerOfFeedKey(b.db, `${key.slice(0, -1)}x`)).toBeNull();
    sourceOf = () => ({
      ...local(b),
      feed: async (after) => {
        const page = await feedFor(b, reader!, after);
        return {
          head: headFromJson(page.head),
          items: page.entries.map((i) => ({
            entry: i.entry,
            proof: i.proof.map((p) => Buffer.from(p, 'base64')),
          })),
          next: page.next,
        };
      },
    });
    await directory.remove('country-b');
    // Its feed is how a peer is read unless said otherwise.
    await directory.add({ id: 'country-b', url: 'http://127.0.0.1:1', publicKeyPem: b.signer.publicKeyPem });

    await b.append([block(DEVICE, 'stolen'), block(OTHER, 'lost'), block('35000000000001', 'counterfeit')]);
    const page = await feedFor(b, reader!, 0);
    expect(page.entries.map((i) => i.entry.seq)).toEqual([0]); // lost and counterfeit are not shared
    expect(page.next).toBe(3);
    await follower.roundAll();
    expect(await reasonsOf(a, DEVICE)).toEqual([
      { status: 'blocked', reason: 'foreign-stolen', source: 'peer:country-b' },
    ]);
    expect(await reasonsOf(a, OTHER)).toEqual([]);
    expect(await directory.get('country-b')).toMatchObject({ position: 3, state: 'active', via: 'feed' });
    await b.append([block(DEVICE, 'stolen', 'unblock')]);
    await follower.roundAll();
    expect(await reasonsOf(a, DEVICE)).toEqual([]);

    // An entry rewritten in B's database: its inclusion proof fails, nothing of the page is applied.
    await directory.pause('country-b');
    await b.append([block('35000000000002', 'stolen')]);
    await other.store.db.execute(sql`alter table ledger_entry disable trigger ledger_entry_append_only`);
    await other.store.db.execute(
      sql`update ledger_entry set target = '{"kind":"device","deviceKey":"35999999999999"}'::jsonb where seq = 4`,
    );
    await directory.resume('country-b');
    const before = await a.size();
    await follower.roundAll();
    const peer = await directory.get('country-b');
    expect(peer.state).toBe('stopped');
    expect(peer.problem).toMatch(
      /entry 4 is not in its signed tree of size 5: an entry was altered or forged/,
    );
    expect(await a.size()).toBe(before);
    expect(await reasonsOf(a, '35999999999999')).toEqual([]);
  });
});
