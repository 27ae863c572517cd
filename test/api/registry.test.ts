/** The registry's admin API over real HTTP, on PGlite and PostgreSQL. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Entry, entryLeafHash, goldenHash } from '../../src/ledger/entry.ts';
import { leafHash, verifyConsistency, verifyInclusion } from '../../src/ledger/merkle.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ENGINES } from '../support/stores.ts';

const IMEI = '352099001761481';
const KEY = '35209900176148';

describe.each(ENGINES)('registry API [%s]', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => {
    await t.dispose();
  });

  const post = (p: string, json: unknown, init: { auth?: boolean; headers?: Record<string, string> } = {}) =>
    t.call(p, { method: 'POST', json, ...init });
  const view = async (id: string, query = '') =>
    (await t.call(`/api/v1/devices/${id}${query}`)).json() as Promise<Record<string, any>>;

  it('admin endpoints refuse a missing or wrong key', async () => {
    const none = await post(`/api/v1/devices/${IMEI}/block`, { reason: 'stolen' }, { auth: false });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await t.call(`/api/v1/devices/${IMEI}`, {
      auth: false,
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('blocks a device by any IMEI form and shows status, reasons and history', async () => {
    const blocked = await post(`/api/v1/devices/${IMEI}/block`, {
      reason: 'stolen',
      source: 'police',
      reference: 'case:2026-1',
    });
    expect(blocked.status).toBe(200);
    const body = (await blocked.json()) as { entry: Entry; head: { treeSize: number } };
    expect(body.entry).toMatchObject({
      action: 'block',
      target: { kind: 'device', deviceKey: KEY },
      reasons: ['stolen'],
      source: 'police',
    });
    expect(body.head.treeSize).toBe(body.entry.seq + 1);
    const device = await view(`imeisv-${KEY}23`);
    expect(device).toMatchObject({
      deviceKey: KEY,
      tac: '35209900',
      verdict: { status: 'blocked', matched: 'device' },
    });
    expect(device.reasons).toEqual([
      expect.objectContaining({
        status: 'blocked',
        reason: 'stolen',
        source: 'police',
        reference: 'case:2026-1',
      }),
    ]);
    expect(device.history).toHaveLength(1);
  });

  it('a device blocked for stolen and duplicate stays blocked when the stolen report is withdrawn', async () => {
    await post(`/api/v1/devices/${IMEI}/block`, { reason: 'duplicate', source: 'rule:duplicate-threshold' });
    const withdrawn = await post(`/api/v1/devices/${IMEI}/unblock`, {
      reason: 'stolen',
      source: 'police',
      note: 'owner found it',
    });
    expect(withdrawn.status).toBe(200);
    const device = await view(KEY);
    expect(device.verdict).toMatchObject({
      status: 'blocked',
      reasons: [{ code: 'duplicate', source: 'rule:duplicate-threshold' }],
    });
    // Another source cannot lift the rule's reason; the regulator can.
    await post(`/api/v1/devices/${IMEI}/unblock`, { source: 'owner' });
    expect((await view(KEY)).verdict.status).toBe('blocked');
    await post(`/api/v1/devices/${IMEI}/unblock`, { source: 'regulator' });
    expect((await view(KEY)).verdict).toMatchObject({ status: 'allowed', matched: 'policy' });
  });

  it('answers the status a device had at a past time', async () => {
    const device = await view(KEY);
    const whenBlocked = (device.history as Entry[]).find((e) => e.reasons.includes('duplicate'))!.time;
    const past = await view(KEY, `?at=${encodeURIComponent(whenBlocked)}`);
    expect(past.verdict.status).toBe('blocked');
    expect(past.reasons.map((r: { reason: string }) => r.reason).sort()).toEqual(['duplicate', 'stolen']);
  });

  it('names the field and the rule of bad input', async () => {
    const short = await post('/api/v1/devices/3520990017614/block', { reason: 'stolen' });
    expect(await short.json()).toMatchObject({
      status: 400,
      cause: 'IMEI_LENGTH',
      invalidParams: [{ param: 'path id' }],
    });
    const typo = await post('/api/v1/devices/352099001761482/block', { reason: 'stolen' });
    expect(await typo.json()).toMatchObject({
      status: 400,
      cause: 'IMEI_CHECK_DIGIT',
      invalidParams: [{ param: 'path id' }],
    });
    const reason = await post(`/api/v1/devices/${IMEI}/block`, { reason: 'annoying' });
    expect(await reason.json()).toMatchObject({
      status: 400,
      cause: 'INVALID_ENTRY',
      invalidParams: [
        { param: 'body reasons[0]', reason: expect.stringContaining('unknown reason "annoying"') },
      ],
    });
    const extra = await post(`/api/v1/devices/${IMEI}/block`, { reason: 'stolen', colour: 'red' });
    expect(extra.status).toBe(400);
  });

  it('an Idempotency-Key header makes a retry return the first result', async () => {
    const headers = { 'idempotency-key': `retry-${engine}` };
    const first = (await (
      await post('/api/v1/devices/86123456789012/track', { reason: 'monitoring' }, { headers })
    ).json()) as { entry: Entry };
    const second = (await (
      await post('/api/v1/devices/86123456789012/track', { reason: 'monitoring' }, { headers })
    ).json()) as {
      entry: Entry;
      replayed: boolean;
    };
    expect(second.replayed).toBe(true);
    expect(second.entry).toEqual(first.entry);
  });

  it('pairing exempts the subscriber’s own device; rules and the golden list apply by precedence', async () => {
    await post('/api/v1/devices/86123456789012/block', { reason: 'duplicate' });
    const paired = await post('/api/v1/devices/86123456789012/pair', {
      imsi: '001010000000001',
      msisdn: '+49 151 1234 5678',
    });
    expect(((await paired.json()) as { entry: Entry }).entry.target).toEqual({
      kind: 'pair',
      deviceKey: '86123456789012',
      imsi: '001010000000001',
      msisdn: '4915112345678',
    });
    expect((await view('86123456789012', '?imsi=001010000000001')).verdict).toMatchObject({
      status: 'allowed',
      matched: 'pairing',
    });
    expect((await view('86123456789012', '?imsi=001010000000002')).verdict).toMatchObject({
      status: 'blocked',
    });

    const tac = await post('/api/v1/rules', {
      kind: 'tac',
      tac: '01234567',
      status: 'blocked',
      reasons: ['counterfeit'],
    });
    expect(tac.status).toBe(200);
    expect((await view('01234567890123')).verdict).toMatchObject({
      status: 'blocked',
      matched: 'tac',
      rule: 'tac:01234567',
    });
    const golden = await post('/api/v1/rules', { kind: 'golden', imei: '012345678901237' });
    expect(((await golden.json()) as { entry: Entry }).entry.target).toEqual({
      kind: 'golden',
      hash: goldenHash('01234567890123'),
    });
    expect((await view('01234567890123')).verdict).toMatchObject({ status: 'allowed', matched: 'golden' });

    const rules = (await (await t.call('/api/v1/rules')).json()) as { rules: { key: string }[] };
    expect(rules.rules.map((r) => r.key)).toEqual(
      expect.arrayContaining(['tac:01234567', `golden:${goldenHash('01234567890123')}`]),
    );
    const removed = await t.call(`/api/v1/rules/${encodeURIComponent('tac:01234567')}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(
      (await t.call(`/api/v1/rules/${encodeURIComponent('tac:01234567')}`, { method: 'DELETE' })).status,
    ).toBe(404);
    const badRange = await post('/api/v1/rules', {
      kind: 'imei-range',
      from: '35209900999999',
      to: '35209900000000',
      status: 'blocked',
      reasons: ['counterfeit'],
    });
    expect(await badRange.json()).toMatchObject({
      invalidParams: [{ param: 'body to', reason: 'must not be below from' }],
    });
  });

  describe('files: list import and export, TAC database', () => {
    it('imports a stolen list from the request body, dry run first, and exports it', async () => {
      const csv = 'imei,reporting_date\n490154203237518,20261101\n35693803564380,20261102\nnot-an-imei,\n';
      const upload = (query: string, body: string | Buffer, type = 'text/csv') =>
        t.call(`/api/v1/lists/stolen/import${query}`, {
          method: 'POST',
          body,
          headers: { 'content-type': type },
        });
      const bad = (await (await upload('?dryRun=true&source=police', csv)).json()) as Record<string, any>;
      expect(bad).toMatchObject({
        committed: false,
        errorCount: 1,
        adds: 2,
        errors: [{ line: 4, field: 'imei' }],
      });
      const good = (await (await upload('?source=police&skipBadRows=true', csv)).json()) as Record<
        string,
        any
      >;
      expect(good).toMatchObject({ committed: true, adds: 2, entries: 2 });
      const exported = await (await t.call('/api/v1/lists/stolen/export?format=csv')).text();
      expect(exported).toContain('49015420323751,20261101,blacklist');
      const empty = await t.call('/api/v1/lists/stolen/import', {
        method: 'POST',
        body: 'serial\n1\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(await empty.json()).toMatchObject({ status: 400, cause: 'INVALID_FILE' });
    });

    it('imports the TAC sample and answers a TAC publicly', async () => {
      const { readFileSync } = await import('node:fs');
      const sample = readFileSync(new URL('../../demo/osmocom-tacdb-sample.csv', import.meta.url));
      const report = (await (
        await t.call('/api/v1/tacs/import', {
          method: 'POST',
          body: sample,
          headers: { 'content-type': 'text/csv' },
        })
      ).json()) as Record<string, any>;
      expect(report).toMatchObject({ source: 'osmocom', committed: true });
      const tac = (await (await t.call('/api/v1/tacs/01161400', { auth: false })).json()) as Record<
        string,
        any
      >;
      expect(tac.model).toMatchObject({ brand: 'Apple', model: 'iPhone 4' });
      expect(tac.history).toHaveLength(1);
      expect((await t.call('/api/v1/tacs/99999999', { auth: false })).status).toBe(404);
      expect((await view('01161400123456')).model).toMatchObject({ brand: 'Apple' });
    });
  });

  describe('ledger read API', () => {
    it('the signed head verifies with plain OpenSSL over the documented bytes', async () => {
      const head = (await (await t.call('/ledger/v1/head', { auth: false })).json()) as Record<string, any>;
      const pem = await (await t.call('/ledger/v1/public-key', { auth: false })).text();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-sth-'));
      try {
        writeFileSync(path.join(dir, 'key.pem'), pem);
        writeFileSync(path.join(dir, 'head.bin'), Buffer.from(head.signedBytes, 'base64'));
        writeFileSync(path.join(dir, 'head.sig'), Buffer.from(head.signature, 'base64'));
        const bytes = Buffer.from(head.signedBytes, 'base64');
        expect(bytes).toHaveLength(50);
        expect(bytes.readBigUInt64BE(10)).toBe(BigInt(head.treeSize));
        expect(bytes.subarray(18).toString('base64')).toBe(head.rootHash);
        const opensslVerify = () =>
          execFileSync(
            'openssl',
            [
              'pkeyutl',
              '-verify',
              '-pubin',
              '-inkey',
              path.join(dir, 'key.pem'),
              '-rawin',
              '-in',
              path.join(dir, 'head.bin'),
              '-sigfile',
              path.join(dir, 'head.sig'),
            ],
            { stdio: 'pipe' },
          ).toString();
        expect(opensslVerify()).toContain('Signature Verified Successfully');
        // One altered byte and OpenSSL refuses it.
        bytes[20]! ^= 1;
        writeFileSync(path.join(dir, 'head.bin'), bytes);
        expect(opensslVerify).toThrow();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('entries (admin only) and proofs (public) let a follower verify what it holds', async () => {
      expect((await t.call('/ledger/v1/entries?start=0', { auth: false })).status).toBe(401);
      const { entries, treeSize } = (await (
        await t.call('/ledger/v1/entries?start=0&limit=10000')
      ).json()) as { entries: Entry[]; treeSize: number };
      expect(entries).toHaveLength(treeSize);
      const head = (await (await t.call('/ledger/v1/head', { auth: false })).json()) as {
        rootHash: string;
        treeSize: number;
      };
      const root = Buffer.from(head.rootHash, 'base64');
      for (const index of [0, Math.floor(treeSize / 2), treeSize - 1]) {
        const proof = (await (
          await t.call(`/ledger/v1/proofs/inclusion?index=${index}&size=${treeSize}`, { auth: false })
        ).json()) as { proof: string[] };
        const leaf = entryLeafHash(entries[index]!);
        expect(
          verifyInclusion(
            leaf,
            index,
            treeSize,
            proof.proof.map((p) => Buffer.from(p, 'base64')),
            root,
          ),
        ).toBe(true);
      }
      const c = (await (
        await t.call(`/ledger/v1/proofs/consistency?first=3&second=${treeSize}`, { auth: false })
      ).json()) as Record<string, any>;
      expect(
        verifyConsistency(
          3,
          treeSize,
          Buffer.from(c.firstRootHash, 'base64'),
          root,
          c.proof.map((p: string) => Buffer.from(p, 'base64')),
        ),
      ).toBe(true);
      const bad = await t.call(`/ledger/v1/proofs/inclusion?index=0&size=${treeSize + 5}`, { auth: false });
      expect(await bad.json()).toMatchObject({ status: 400, cause: 'OUT_OF_RANGE' });
      expect(leafHash(Buffer.alloc(0))).toHaveLength(32);
    });

    it('a follower’s long poll for a new head answers as soon as an entry is committed', async () => {
      const head = (await (await t.call('/ledger/v1/head', { auth: false })).json()) as { treeSize: number };
      // Nothing new: the head as it is, after the wait.
      let started = performance.now();
      const idle = (await (
        await t.call(`/ledger/v1/head?after=${head.treeSize}&wait=200`, { auth: false })
      ).json()) as { treeSize: number };
      expect(idle.treeSize).toBe(head.treeSize);
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      // A tree already larger than `after`: at once.
      const behind = (await (await t.call(`/ledger/v1/head?after=0&wait=30000`, { auth: false })).json()) as {
        treeSize: number;
      };
      expect(behind.treeSize).toBe(head.treeSize);
      // An append while waiting: the new head, well before the wait ends.
      started = performance.now();
      const waiting = t.call(`/ledger/v1/head?after=${head.treeSize}&wait=30000`, { auth: false });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await post('/api/v1/devices/353918057000016/block', { reason: 'stolen' })).status).toBe(200);
      const next = (await (await waiting).json()) as { treeSize: number };
      expect(next.treeSize).toBe(head.treeSize + 1);
      expect(performance.now() - started).toBeLessThan(20_000);
      const tooLong = await t.call(`/ledger/v1/head?after=0&wait=600000`, { auth: false });
      expect(tooLong.status).toBe(400);
    });

    it('ledger verify passes over everything the API did', async () => {
      const report = await verifyLedger(t.context.store.db);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      const remote = (await (await t.call('/api/v1/ledger/verify', { method: 'POST' })).json()) as Record<
        string,
        any
      >;
      expect(remote).toMatchObject({ ok: true, entries: report.entries, firstBadPosition: null });
    });
  });
});
