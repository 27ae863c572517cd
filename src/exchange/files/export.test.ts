/**
 * Operator list files on PGlite and PostgreSQL, through the ledger and the registry API on loopback:
 * full and delta exports at signed positions, the delta property on random histories, byte-for-byte
 * reproducibility, the same rows as the blocked list export, and verify (pinned key, wrong key,
 * a confirming registry over HTTP and in the database).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { ENGINES } from '../../../test/support/stores.ts';
import type { EntryDraft } from '../../ledger/entry.ts';
import type { Ledger } from '../../ledger/ledger.ts';
import { exportList } from '../../ledger/lists/export.ts';
import { ledgerConfirmer, serverConfirmer } from './confirm.ts';
import { fullCsv, parseListCsv } from './csv.ts';
import { ExportInputError, exportOperatorFiles } from './export.ts';
import { applyDelta, LIST_NAMES } from './lists.ts';
import { verifyDirectory } from './verify.ts';

const KEYS = ['35209900176148', '35209900176149', '86123456789012', '01234567890123', '49015420323751'];
const IMSIS = ['639020000000001', '639070000000002', '310150000000003'];
const CONFIGURED = [
  { id: 'mno-a', prefixes: ['63902'] },
  { id: 'mno-b', prefixes: ['63907'] },
];

const draftArb: fc.Arbitrary<EntryDraft> = fc.oneof(
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom('police', 'owner', 'operator:mno-a'),
    action: fc.constantFrom('block' as const, 'unblock' as const),
    target: fc.constantFrom(...KEYS).map((deviceKey) => ({ kind: 'device' as const, deviceKey })),
    reasons: fc.subarray(['stolen', 'lost', 'barred'], { minLength: 1 }),
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom('police', 'owner'),
    action: fc.constantFrom('track' as const, 'untrack' as const),
    target: fc.constantFrom(...KEYS).map((deviceKey) => ({ kind: 'device' as const, deviceKey })),
    reasons: fc.subarray(['monitoring', 'stolen'], { minLength: 1 }),
  }),
  fc.record({
    actor: fc.constant('test'),
    source: fc.constantFrom('operator:mno-a', 'operator:mno-b'),
    action: fc.constantFrom('pair' as const, 'unpair' as const),
    target: fc.record({
      kind: fc.constant('pair' as const),
      deviceKey: fc.constantFrom(...KEYS),
      imsi: fc.constantFrom(...IMSIS),
      msisdn: fc.constantFrom(null, '63917000001'),
    }),
  }),
);

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-files-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const read = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');

describe.each(ENGINES)('operator list files [%s]', (engine) => {
  let app: TestApp;
  let ledger: Ledger;
  const positions: number[] = [];

  beforeAll(async () => {
    app = await createTestApp(engine);
    ledger = app.context.ledger;
    await app.accounts.addOrganisation({ id: 'op-a', kind: 'operator', name: 'A', operatorId: 'mno-a' });
  }, 60_000);
  afterAll(async () => {
    await app?.dispose();
  });

  const exportTo = (operator: string, options: { position?: number; deltaFrom?: number } = {}) =>
    exportOperatorFiles(ledger, {
      operator,
      dir: path.join(tempDir(), 'out'),
      configured: CONFIGURED,
      ...options,
    });

  it('property: on random histories, full(N) + delta(N→M) = full(M), byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(draftArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('mno-a', 'mno-b'),
        async (batches, x, y, operator) => {
          for (const drafts of batches) positions.push((await ledger.append(drafts)).head.size);
          const n = positions[x % positions.length]!;
          const m = Math.max(n, positions[y % positions.length]!);
          const before = await exportTo(operator, { position: n });
          const after = await exportTo(operator, { position: m });
          const delta = await exportTo(operator, { position: m, deltaFrom: n });
          expect(delta.manifest).toMatchObject({ kind: 'delta', fromPosition: n, toPosition: m });
          for (const list of LIST_NAMES) {
            const full = parseListCsv(list, false, read(before.dir, `${list}.csv`)).rows;
            const changes = parseListCsv(list, true, read(delta.dir, `${list}-delta.csv`)).rows;
            const applied = applyDelta(
              full,
              changes.map((c) => ({ key: c.key, values: c.values, change: c.change! })),
            );
            expect(fullCsv(list, applied)).toBe(read(after.dir, `${list}.csv`));
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);

  it('the files of a position are the same bytes every time; blocked.csv holds the rows of the blocked export', async () => {
    const one = await exportTo('mno-a');
    const two = await exportTo('mno-a');
    for (const name of [
      'blocked.csv',
      'tracked.csv',
      'exceptions.csv',
      'manifest.json',
      'manifest.json.sig',
      'SHA256SUMS',
    ])
      expect(readFileSync(path.join(one.dir, name))).toEqual(readFileSync(path.join(two.dir, name)));
    let exported = '';
    for await (const chunk of exportList(ledger.db, 'blocked')) exported += chunk;
    expect(read(one.dir, 'blocked.csv')).toBe(exported);
    expect(one.manifest.treeHead.treeSize).toBe((await ledger.head()).size);
  });

  it('verify passes with the pinned key and with a confirming registry (HTTP and database)', async () => {
    const { dir } = await exportTo('mno-a');
    const pem = ledger.signer.publicKeyPem;
    const byServer = await verifyDirectory(dir, {
      publicKeyPem: pem,
      confirm: { by: app.base, confirmer: serverConfirmer(app.base) },
    });
    expect(byServer.checks.filter((c) => !c.ok)).toEqual([]);
    expect(byServer).toMatchObject({ ok: true, pinnedKey: true, warnings: [] });
    expect(byServer.checks.at(-1)).toMatchObject({ check: 'registry', ok: true });
    const byDatabase = await verifyDirectory(dir, {
      publicKeyPem: pem,
      confirm: { by: 'db', confirmer: ledgerConfirmer(ledger) },
    });
    expect(byDatabase.ok).toBe(true);
    const unpinned = await verifyDirectory(dir);
    expect(unpinned.ok).toBe(true);
    expect(unpinned.warnings[0]).toMatch(/no key pinned.*proves nothing/);
  });

  it('verify fails with another key, and when a file was changed after signing', async () => {
    const { dir } = await exportTo('mno-a');
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const wrong = await verifyDirectory(dir, { publicKeyPem: other });
    expect(wrong.ok).toBe(false);
    expect(wrong.checks.filter((c) => !c.ok).map((c) => `${c.file} ${c.check}`)).toEqual([
      'registry-public-key.pem public key',
      'manifest.json signature',
      'manifest.json registry key',
      'manifest.json tree head',
    ]);
    writeFileSync(path.join(dir, 'tracked.csv'), `${read(dir, 'tracked.csv')}35209900176148,20260101,lost\n`);
    const changed = await verifyDirectory(dir, { publicKeyPem: ledger.signer.publicKeyPem });
    expect(changed.checks.filter((c) => !c.ok).map((c) => `${c.file} ${c.check}`)).toEqual([
      'tracked.csv size',
      'tracked.csv sha256',
      'SHA256SUMS hashes',
    ]);
  });

  it('a malformed manifest, even signed, is refused by name and never crashes verify', async () => {
    const { dir } = await exportTo('mno-b');
    const manifest = JSON.parse(read(dir, 'manifest.json'));
    for (const [change, message] of [
      [
        (m: Record<string, any>) => (m.files[1].rows = '3'),
        'files[1].rows and .bytes must be whole numbers ≥ 0',
      ],
      [(m: Record<string, any>) => (m.treeHead = null), 'treeHead must be an object'],
      [(m: Record<string, any>) => (m.kind = 'partial'), 'kind must be full or delta'],
    ] as const) {
      const changed = structuredClone(manifest);
      change(changed);
      const bytes = Buffer.from(`${JSON.stringify(changed, null, 2)}\n`);
      writeFileSync(path.join(dir, 'manifest.json'), bytes);
      writeFileSync(path.join(dir, 'manifest.json.sig'), ledger.signer.signStatement(bytes));
      const report = await verifyDirectory(dir, { publicKeyPem: ledger.signer.publicKeyPem });
      expect(report.ok).toBe(false);
      expect(report.checks.find((c) => !c.ok)).toMatchObject({
        file: 'manifest.json',
        check: 'format',
        message,
      });
    }
  });

  it('a registry with another history refuses the head', async () => {
    const { dir } = await exportTo('mno-a');
    const other = await createTestApp(engine);
    try {
      await other.context.ledger.append(
        Array.from({ length: positions.at(-1)! + 3 }, (_, i) => ({
          actor: 'test',
          source: 'police',
          action: 'block' as const,
          target: { kind: 'device' as const, deviceKey: `3520990017${String(i).padStart(4, '0')}` },
          reasons: ['stolen'],
        })),
      );
      const report = await verifyDirectory(dir, {
        publicKeyPem: other.context.ledger.signer.publicKeyPem,
        confirm: { by: other.base, confirmer: serverConfirmer(other.base) },
      });
      expect(report.ok).toBe(false);
      // Signed with another key altogether; with the right key pinned, the other log is not consistent.
      expect(report.checks.some((c) => !c.ok && c.check === 'signature')).toBe(true);
      const confirm = await serverConfirmer(other.base)(
        JSON.parse(read(dir, 'manifest.json')).treeHead,
        (await import('node:crypto')).createPublicKey(other.context.ledger.signer.publicKeyPem),
      );
      expect(confirm).toMatch(/not consistent|not signed by the pinned key/);
    } finally {
      await other.dispose();
    }
  }, 60_000);

  it('two exports into one directory: one whole directory, the other refused, nothing partial left', async () => {
    const parent = tempDir();
    const dir = path.join(parent, 'out');
    const results = await Promise.allSettled(
      ['mno-a', 'mno-b'].map((operator) =>
        exportOperatorFiles(ledger, { operator, dir, configured: CONFIGURED }),
      ),
    );
    const done = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(done.length).toBe(1);
    expect(refused.length).toBe(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(ExportInputError);
    expect(readdirSync(parent)).toEqual(['out']);
    expect((await verifyDirectory(dir, { publicKeyPem: ledger.signer.publicKeyPem })).ok).toBe(true);
  });

  it('refuses bad requests naming the field and the rule', async () => {
    const refused = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ExportInputError);
      return error as ExportInputError;
    };
    expect((await refused(exportTo('MNO A'))).field).toBe('operator');
    expect((await refused(exportTo('mno-z'))).rule).toMatch(/unknown operator mno-z \(known: mno-a, mno-b\)/);
    const size = await ledger.size();
    expect((await refused(exportTo('mno-a', { position: size + 5 }))).rule).toMatch(
      /beyond the ledger's size/,
    );
    expect((await refused(exportTo('mno-a', { deltaFrom: size + 1 }))).field).toBe('delta-from');
    const taken = tempDir();
    writeFileSync(path.join(taken, 'x'), 'x');
    const error = await refused(
      exportOperatorFiles(ledger, { operator: 'mno-a', dir: taken, configured: CONFIGURED }),
    );
    expect(error.rule).toMatch(/is not empty/);
  });
});
