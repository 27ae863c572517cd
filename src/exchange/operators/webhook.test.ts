/**
 * The webhook broadcast against an independent receiver: a plain node:http server on loopback that
 * verifies the HMAC itself (node:crypto, not our signing code), refuses the first attempts, then
 * accepts. Everything relevant to the operator arrives in ledger order, de-duplicable by position;
 * a new worker (a restart) resumes from the stored position; a new entry wakes an idle worker.
 * On PGlite and PostgreSQL.
 */
import { createHmac, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStores } from '../../../test/support/stores.ts';
import type { EntryDraft } from '../../ledger/entry.ts';
import { Ledger } from '../../ledger/ledger.ts';
import { HeadSigner, verifyHead } from '../../ledger/signing.ts';
import { changesSince } from './changes.ts';
import { OperatorDeliveries } from './delivery.ts';
import { retryDelayMs } from './signature.ts';
import { WebhookWorker } from './webhook.ts';

const signer = new HeadSigner(generateKeyPairSync('ed25519').privateKey);

interface Received {
  readonly from: number;
  readonly next: number;
  readonly positions: number[];
}

/** The operator's receiver: checks the signature as the docs tell an operator to, fails `failFirst` times. */
class Receiver {
  readonly batches: Received[] = [];
  readonly applied: number[] = [];
  refused = 0;
  badSignatures = 0;
  failNext = 0;
  /** Applies the next batches but answers only after this long (a 2xx lost to the sender's timeout). */
  slowNext = 0;
  slowMs = 0;
  duplicates = 0;
  private server!: http.Server;
  url = '';

  constructor(private readonly secret: () => string) {}

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        const timestamp = String(request.headers['x-openceir-timestamp'] ?? '');
        const expected = `sha256=${createHmac('sha256', this.secret()).update(`${timestamp}.${body}`).digest('hex')}`;
        const given = String(request.headers['x-openceir-signature'] ?? '');
        const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
        if (
          !fresh ||
          given.length !== expected.length ||
          !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
        ) {
          this.badSignatures++;
          response.writeHead(401).end();
          return;
        }
        if (this.failNext > 0) {
          this.failNext--;
          this.refused++;
          response.writeHead(503).end('busy');
          return;
        }
        const batch = JSON.parse(body) as { from: number; next: number; changes: { position: number }[] };
        this.batches.push({
          from: batch.from,
          next: batch.next,
          positions: batch.changes.map((c) => c.position),
        });
        // De-duplication by position, as the docs tell a receiver to do.
        for (const change of batch.changes) {
          if (this.applied.length === 0 || change.position > this.applied.at(-1)!)
            this.applied.push(change.position);
          else this.duplicates++;
        }
        if (this.slowNext > 0) {
          this.slowNext--;
          setTimeout(() => response.writeHead(204).end(), this.slowMs);
          return;
        }
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/openceir`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const key = (n: number) => `35${String(n).padStart(12, '0')}`;
const block = (n: number): EntryDraft => ({
  actor: 'test',
  source: 'police',
  action: 'block',
  target: { kind: 'device', deviceKey: key(n) },
  reasons: ['stolen'],
});

describeStores('operator webhook', (store) => {
  let ledger: Ledger;
  let deliveries: OperatorDeliveries;
  let receiver: Receiver;
  let secret = '';
  /** Positions the feed of operator alpha must carry, computed here from the drafts. */
  const expected: number[] = [];

  beforeAll(async () => {
    ledger = new Ledger(store(), signer);
    await ledger.init();
    deliveries = new OperatorDeliveries(ledger, (id) => (id === 'alpha' ? ['63902'] : []));
    receiver = new Receiver(() => secret);
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.close();
  });

  /** Appends drafts in one transaction each and records which positions alpha must receive. */
  async function append(drafts: EntryDraft[], relevant: (d: EntryDraft) => boolean): Promise<void> {
    const { entries } = await ledger.append(drafts);
    entries.forEach((entry, i) => {
      if (relevant(drafts[i]!)) expected.push(entry.seq);
    });
  }

  it('pages the feed: blocks for all, pairs by home prefix, nothing else', async () => {
    await append(
      [
        block(1),
        {
          actor: 'test',
          source: 'regulator',
          action: 'allow',
          target: { kind: 'device', deviceKey: key(2) },
          reasons: ['registered'],
        },
        {
          actor: 'test',
          source: 'operator:beta',
          action: 'pair',
          target: { kind: 'pair', deviceKey: key(3), imsi: '639030000000001', msisdn: null },
        },
        {
          actor: 'test',
          source: 'operator:alpha',
          action: 'pair',
          target: { kind: 'pair', deviceKey: key(4), imsi: '639020000000001', msisdn: null },
        },
        { ...block(5), action: 'track', reasons: ['investigation'] },
      ],
      (d) => d.action !== 'allow' && !(d.target.kind === 'pair' && !d.target.imsi.startsWith('63902')),
    );
    for (let i = 0; i < 6; i++)
      await append(
        [block(10 + 3 * i), block(11 + 3 * i), { ...block(10 + 3 * i), action: 'unblock' }],
        () => true,
      );
    const page = await changesSince(ledger, deliveries.scope('alpha'), 0, 4);
    expect(page.changes.map((c) => c.position)).toEqual(expected.slice(0, 4));
    expect(page.next).toBe(expected[3]! + 1);
    expect(page.head.size).toBeGreaterThanOrEqual(page.next);
    expect(verifyHead(page.head, signer.publicKeyPem)).toBe(true);
    expect(page.changes.map((c) => `${c.list}/${c.op}`)).toEqual([
      'blocked/add',
      'exceptions/add',
      'tracked/add',
      'blocked/add',
    ]);
    // Beta has no prefixes configured: its own pairs, by source.
    const beta = await changesSince(ledger, deliveries.scope('beta'), 0, 10);
    expect(
      beta.changes.filter((c) => c.list === 'exceptions').map((c) => (c.target as { imsi: string }).imsi),
    ).toEqual(['639030000000001']);
    await expect(
      changesSince(ledger, deliveries.scope('alpha'), (await ledger.size()) + 1, 10),
    ).rejects.toThrow(/since/);
  });

  it('finds a change far into entries of no interest to the operator, in growing windows', async () => {
    const start = await ledger.size();
    const allows: EntryDraft[] = Array.from({ length: 3_000 }, (_, i) => ({
      actor: 'test',
      source: 'regulator',
      action: 'allow',
      target: { kind: 'device', deviceKey: key(10_000 + i) },
      reasons: ['registered'],
    }));
    await append(allows, () => false);
    await append([block(9)], () => true);
    const page = await changesSince(ledger, deliveries.scope('alpha'), start, 1);
    expect(page.changes.map((c) => c.position)).toEqual([start + 3_000]);
    expect(page.next).toBe(start + 3_001);
    const empty = await changesSince(ledger, deliveries.scope('alpha'), start, 5);
    expect(empty.changes).toHaveLength(1);
    expect(empty.next).toBe(await ledger.size());
  });

  it('delivers every change once, in order, after refused attempts, with a valid signature', async () => {
    secret = (await deliveries.setWebhook('alpha', receiver.url)).secret;
    receiver.failNext = 3;
    const failures: string[] = [];
    const worker = new WebhookWorker(ledger, deliveries, {
      batchSize: 4,
      backoff: { baseMs: 30, maxMs: 200 },
      idleMs: 100,
      onError: (error) => failures.push((error as Error).message),
    }).start();
    try {
      await until('every change', () => receiver.applied.length === expected.length);
      await until(
        'the acknowledgement',
        async () =>
          (await deliveries.status()).find((s) => s.operator === 'alpha')?.acknowledgedPosition ===
          (await ledger.size()),
      );
    } finally {
      await worker.stop();
    }
    expect(receiver.applied).toEqual(expected);
    expect(receiver.refused).toBe(3);
    expect(receiver.badSignatures).toBe(0);
    expect(failures).toEqual(Array(3).fill('the webhook answered HTTP 503'));
    // Batches are contiguous: each starts where the accepted one before it ended.
    for (let i = 1; i < receiver.batches.length; i++)
      expect(receiver.batches[i]!.from).toBe(receiver.batches[i - 1]!.next);
    const alpha = (await deliveries.status()).find((s) => s.operator === 'alpha')!;
    expect(alpha).toMatchObject({ attempts: 0, lastError: null, entriesBehind: 0, timeBehindMs: 0 });
    expect(alpha.deliveredPosition).toBe(await ledger.size());
  });

  it('a restarted worker resumes from the stored position, woken by a new entry', async () => {
    const before = (await deliveries.status()).find((s) => s.operator === 'alpha')!.deliveredPosition;
    const count = receiver.batches.length;
    await append([block(100), block(101)], () => true);
    // Idle for a minute unless woken: the append below must wake it.
    const worker = new WebhookWorker(ledger, deliveries, { batchSize: 4, idleMs: 60_000 }).start();
    try {
      await until('the new entries', () => receiver.applied.length === expected.length);
      expect(receiver.batches[count]!.from).toBe(before);
      const started = Date.now();
      await append([block(102)], () => true);
      await until('the woken delivery', () => receiver.applied.length === expected.length, 5_000);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await worker.stop();
    }
    expect(receiver.applied).toEqual(expected);
  });

  it('sends a batch again when its 2xx is lost; the receiver drops the duplicates by position', async () => {
    const count = receiver.batches.length;
    await append([block(200), block(201), block(202)], () => true);
    receiver.slowNext = 1;
    receiver.slowMs = 600;
    const failures: string[] = [];
    const worker = new WebhookWorker(ledger, deliveries, {
      batchSize: 10,
      timeoutMs: 200,
      backoff: { baseMs: 20, maxMs: 50 },
      idleMs: 100,
      onError: (error) => failures.push((error as Error).message),
    }).start();
    try {
      await until('the new entries', () => receiver.applied.length === expected.length);
      await until(
        'the delivered position',
        async () => Number((await deliveries.row('alpha'))?.delivered_position) === (await ledger.size()),
      );
    } finally {
      await worker.stop();
    }
    // The same batch twice, same positions: applied once.
    const first = receiver.batches[count]!;
    expect(receiver.batches.slice(count).map((b) => [b.from, b.next])).toEqual([
      [first.from, first.next],
      [first.from, first.next],
    ]);
    expect(receiver.duplicates).toBe(3);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/could not be reached/);
    expect(receiver.applied).toEqual(expected);
  });

  it('backs off exponentially with jitter, bounded', () => {
    const backoff = { baseMs: 1000, maxMs: 300_000 };
    expect(retryDelayMs(1, backoff, 0)).toBe(500);
    expect(retryDelayMs(1, backoff, 1)).toBe(1000);
    expect(retryDelayMs(4, backoff, 1)).toBe(8000);
    expect(retryDelayMs(40, backoff, 1)).toBe(300_000);
    expect(retryDelayMs(40, backoff, 0)).toBe(150_000);
  });

  it('a new webhook starts where the operator has pulled to, not from 0', async () => {
    await deliveries.acknowledge('gamma', 5);
    await deliveries.setWebhook('gamma', receiver.url);
    expect(Number((await deliveries.row('gamma'))?.delivered_position)).toBe(5);
    expect(await deliveries.removeWebhook('gamma')).toBe(true);
    expect(await deliveries.removeWebhook('gamma')).toBe(false);
  });

  it('checks its inputs', async () => {
    await expect(deliveries.setWebhook('Alpha!', receiver.url)).rejects.toThrow(/operator: an operator id/);
    await expect(deliveries.setWebhook('alpha', 'ftp://x')).rejects.toThrow(/url: the URL scheme/);
    await expect(deliveries.acknowledge('alpha', 1e9)).rejects.toThrow(/position: must be between 0/);
  });
});
