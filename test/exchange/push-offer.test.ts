/**
 * Pushed batches (IndexFollower.offer, what the NATS subscriber calls) against a real ledger on
 * PostgreSQL: a batch that extends the index and gives the signed root is applied; one already applied
 * is a duplicate; a gap or a forged entry is refused without stopping the follower, and the HTTP-style
 * round that follows still brings the index to the registry's lists.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexFollower } from '../../src/check/follow.ts';
import { CheckIndex } from '../../src/check/index.ts';
import { DEFAULT_POLICY } from '../../src/check/policy.ts';
import { CheckService } from '../../src/check/service.ts';
import { parsePushMessage, registryIdOf } from '../../src/exchange/push/message.ts';
import type { Entry } from '../../src/ledger/entry.ts';
import { Ledger } from '../../src/ledger/ledger.ts';
import { HeadSigner, headToJson, type TreeHead } from '../../src/ledger/signing.ts';
import { createTestStore, type TestStore } from '../support/stores.ts';

const key = (n: number) => `35209900${String(n).padStart(6, '0')}`;

describe('pushed ledger batches (PostgreSQL)', () => {
  let store: TestStore;
  let ledger: Ledger;
  const batches: { start: number; entries: Entry[]; head: TreeHead }[] = [];

  beforeAll(async () => {
    store = await createTestStore('postgres');
    ledger = new Ledger(store.store, new HeadSigner(generateKeyPairSync('ed25519').privateKey));
    await ledger.init();
    for (let i = 0; i < 4; i++) {
      const start = await ledger.size();
      const result = await ledger.append([
        {
          actor: 'test',
          source: 'police',
          action: 'block',
          target: { kind: 'device', deviceKey: key(i) },
          reasons: ['stolen'],
        },
      ]);
      batches.push({ start, entries: [...result.entries], head: result.head });
    }
  }, 60_000);
  afterAll(() => store?.dispose());

  const follower = () => {
    const service = new CheckService({
      policy: DEFAULT_POLICY,
      index: CheckIndex.fromState({ devices: new Map(), pairings: new Map(), rules: new Map() }, 0),
      recorder: null,
      overload: null,
    });
    const problems: string[] = [];
    const f = new IndexFollower(service, ledger, { frontier: [], onProblem: (p) => problems.push(p) });
    return { f, service, problems };
  };

  it('applies batches that extend the index, and ignores those already applied', () => {
    const { f, service } = follower();
    expect(f.offer(batches[0]!.head, 0, batches[0]!.entries)).toBe('applied');
    expect(f.offer(batches[1]!.head, 1, batches[1]!.entries)).toBe('applied');
    expect(f.offer(batches[1]!.head, 1, batches[1]!.entries)).toBe('duplicate');
    expect(service.index.position).toBe(2);
    expect(service.index.reasonsOf(Number(key(1))).map((r) => r.status)).toEqual(['blocked']);
    expect(f.frontierHex()).toHaveLength(1);
  });

  it('leaves a gap and a forged entry to HTTP without stopping, then catches up over HTTP', async () => {
    const live = follower();
    expect(live.f.offer(batches[2]!.head, 2, batches[2]!.entries)).toBe('fallback');
    expect(live.service.index.position).toBe(0);
    const forged = [{ ...batches[0]!.entries[0]!, reasons: ['lost'] }];
    expect(live.f.offer(batches[0]!.head, 0, forged)).toBe('fallback');
    expect(live.problems.some((p) => p.includes('do not give the registry'))).toBe(true);
    expect(live.f.status.inconsistent).toBe(false);
    await live.f.catchUp();
    expect(live.service.index.position).toBe(4);
    expect(live.f.status.problem).toBeNull();
    live.f.stop();
  });

  it('parses the pushed message format, and refuses one whose head does not end the batch', () => {
    const registry = registryIdOf(ledger.signer.keyId);
    const body = { registry, start: 3, entries: batches[3]!.entries, head: headToJson(batches[3]!.head) };
    const parsed = parsePushMessage(Buffer.from(JSON.stringify(body)), registry);
    expect(parsed?.start).toBe(3);
    expect(parsed?.head.size).toBe(4);
    expect(parsePushMessage(Buffer.from(JSON.stringify({ ...body, start: 2 })), registry)).toBeNull();
    expect(parsePushMessage(Buffer.from(JSON.stringify(body)), 'another')).toBeNull();
    expect(parsePushMessage(Buffer.from('not json'), registry)).toBeNull();
  });
});
