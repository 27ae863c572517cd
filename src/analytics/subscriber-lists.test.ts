/**
 * The subscribers registration and device association list imports on PostgreSQL and PGlite: full
 * replace, delta add/remove with the DIRBS checks and their switches, the historic size check, row
 * errors with line, field and rule, idempotency by file hash, zipped files. The lists are read back
 * the way classification reads them (reference.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { describeStores } from '../../test/support/stores.ts';
import { writeZip } from '../../test/support/zip.ts';
import { query } from '../store/index.ts';
import { readReferenceLists } from './reference.ts';
import { importSubscriberList, ListImportError } from './subscriber-lists.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'openceir-subscriber-lists-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function file(text: string): string {
  const target = path.join(dir, `list-${++counter}.csv`);
  writeFileSync(target, text);
  return target;
}

describeStores('subscribers and association list import', (store) => {
  const db = () => store().db;
  const subscribers = async () =>
    (await readReferenceLists(db())).subscribers.map((s) => `${s.uid},${s.imsi}`);
  const association = async () =>
    (await readReferenceLists(db())).association.map((a) => `${a.uid},${a.imeiNorm}`);
  const records = async () =>
    (await query<{ n: number }>(db(), sql`select count(*)::int as n from analytics_list_import`))[0]!.n;

  const v1 = 'UID,IMSI\r\nID-1,639020000000001\r\nID-1,639020000000002\r\nA\\B,639020000000003\r\n';

  it('a dry run reports the changes and writes nothing', async () => {
    const report = await importSubscriberList(db(), 'subscribers', file(v1), { dryRun: true });
    expect(report).toMatchObject({ outcome: 'dry-run', rows: 3, adds: 3, removes: 0, errorCount: 0 });
    expect(await subscribers()).toEqual([]);
    expect(await records()).toBe(0);
  });

  it('imports a full subscribers list; the same file again changes nothing and says so', async () => {
    const first = await importSubscriberList(db(), 'subscribers', file(v1));
    expect(first).toMatchObject({ outcome: 'imported', rows: 3, adds: 3, removes: 0, errorCount: 0 });
    expect(first.importId).toEqual(expect.any(Number));
    expect(await subscribers()).toEqual([
      'A\\B,639020000000003',
      'ID-1,639020000000001',
      'ID-1,639020000000002',
    ]);
    const again = await importSubscriberList(db(), 'subscribers', file(v1));
    expect(again).toMatchObject({
      outcome: 'already-imported',
      importId: first.importId,
      adds: 0,
      removes: 0,
    });
    expect(await records()).toBe(1);
  });

  it('a full file replaces the list; the historic size check refuses a shrink unless disabled', async () => {
    const v2 = 'uid,imsi\nID-1,639020000000001\nID-2,639020000000009\nA\\B,639020000000003\n';
    const replaced = await importSubscriberList(db(), 'subscribers', file(v2));
    expect(replaced).toMatchObject({ outcome: 'imported', adds: 1, removes: 1, unchanged: 2 });
    expect(replaced.samples).toEqual({ adds: ['ID-2,639020000000009'], removes: ['ID-1,639020000000002'] });
    expect(await subscribers()).toEqual([
      'A\\B,639020000000003',
      'ID-1,639020000000001',
      'ID-2,639020000000009',
    ]);

    // 3 → 2 is below max(1, 3 − 1000, ⌈0.95 × 3⌉ = 3).
    const shrink = file('uid,imsi\nID-1,639020000000001\nID-2,639020000000009\n');
    const refused = await importSubscriberList(db(), 'subscribers', shrink);
    expect(refused).toMatchObject({ outcome: 'refused', errorCount: 0, importId: null });
    expect(refused.refusal).toMatch(
      /^historic size check: the subscribers list would shrink from 3 to 2 entries, below the 3/,
    );
    expect(await subscribers()).toHaveLength(3);
    const forced = await importSubscriberList(db(), 'subscribers', shrink, { historicCheck: false });
    expect(forced).toMatchObject({ outcome: 'imported', removes: 1 });
    expect(await subscribers()).toEqual(['ID-1,639020000000001', 'ID-2,639020000000009']);

    // An older full file again is a restore, not a no-op: only the latest import of a list is "already imported".
    expect(await importSubscriberList(db(), 'subscribers', file(v2))).toMatchObject({
      outcome: 'imported',
      adds: 1,
    });
  });

  it('reports every bad row with line, field and rule, and writes nothing', async () => {
    const before = await subscribers();
    const bad = [
      'uid,imsi',
      'ID 7,639020000000001',
      'ABCDEFGHIJKLMNOPQRSTU,639020000000002',
      ',639020000000003',
      'ID-8,63902x',
      'ID-9,6390200000000012',
      'ID-10,639020000000010',
      '',
    ].join('\n');
    const report = await importSubscriberList(db(), 'subscribers', file(bad), { historicCheck: false });
    expect(report.outcome).toBe('refused');
    expect(report.errors).toEqual([
      {
        line: 2,
        field: 'uid',
        message: 'must be 1 to 20 characters of 0-9, A-Z, a-z, - or \\ (DIRBS uid format)',
      },
      {
        line: 3,
        field: 'uid',
        message: 'must be 1 to 20 characters of 0-9, A-Z, a-z, - or \\ (DIRBS uid format)',
      },
      { line: 4, field: 'uid', message: 'is empty' },
      { line: 5, field: 'imsi', message: 'must be 1 to 15 digits (DIRBS IMSI format)' },
      { line: 6, field: 'imsi', message: 'must be 1 to 15 digits (DIRBS IMSI format)' },
    ]);
    expect(await subscribers()).toEqual(before);
    await expect(importSubscriberList(db(), 'subscribers', file('uid,msisdn\nID-1,1\n'))).rejects.toThrow(
      new ListImportError(
        'the subscribers list needs column imsi (columns: uid, imsi); the header has uid, msisdn',
      ),
    );
    await expect(
      importSubscriberList(db(), 'subscribers', file('uid,imsi\nID-1,1\n'), { mode: 'delta' }),
    ).rejects.toBeInstanceOf(ListImportError);
  });

  it('reads a zipped association list; IMEIs are normalised as DIRBS does and duplicates collapse', async () => {
    const zip = path.join(dir, 'association.zip');
    writeZip(zip, {
      'association.csv':
        'uid,imei\nID-1,352099001761481\nID-1,35209900176148\nID-1,3520990017614823\nID-2,35209900176148\nID-3,ab12\n',
    });
    const report = await importSubscriberList(db(), 'association', zip);
    // Three spellings of one device for ID-1 are one entry: the key has no metadata that could conflict.
    expect(report).toMatchObject({ outcome: 'imported', rows: 5, adds: 3, errorCount: 0 });
    expect(await association()).toEqual(['ID-1,35209900176148', 'ID-2,35209900176148', 'ID-3,AB12']);
    const bad = await importSubscriberList(
      db(),
      'association',
      file('uid,imei\nID-4,3520990017614G\nID-5,\n'),
    );
    expect(bad.errors).toEqual([
      {
        line: 2,
        field: 'imei',
        message: 'must be 1 to 16 characters of 0-9, A-F, * or # (DIRBS IMEI format)',
      },
      { line: 3, field: 'imei', message: 'is empty' },
    ]);
  });

  it('delta files add and remove, with the multiple-changes, adds and removes checks', async () => {
    const delta = 'uid,imei,change_type\nID-4,35209900000004,add\nID-3,AB12,REMOVE\n';
    const applied = await importSubscriberList(db(), 'association', file(delta), { mode: 'delta' });
    expect(applied).toMatchObject({ outcome: 'imported', adds: 1, removes: 1 });
    expect(await association()).toEqual([
      'ID-1,35209900176148',
      'ID-2,35209900176148',
      'ID-4,35209900000004',
    ]);

    // The same delta file again: already applied, said so, not a delta-check failure.
    const again = await importSubscriberList(db(), 'association', file(delta), { mode: 'delta' });
    expect(again).toMatchObject({ outcome: 'already-imported', importId: applied.importId });

    // The same changes in another file break the adds and removes checks...
    const replay = file(
      'uid,imei,change_type\nID-4,35209900000004,add\nID-3,ab12,remove\nID-5,35209900000005,add\n',
    );
    const checked = await importSubscriberList(db(), 'association', replay, { mode: 'delta' });
    expect(checked.outcome).toBe('refused');
    expect(checked.errors).toEqual([
      { line: 2, field: 'uid', message: 'ID-4,35209900000004 is already on the association list (add)' },
      { line: 3, field: 'uid', message: 'ID-3,AB12 is not on the association list (remove)' },
    ]);
    const addsOff = await importSubscriberList(db(), 'association', replay, {
      mode: 'delta',
      deltaChecks: { adds: false },
    });
    expect(addsOff.errors.map((e) => e.line)).toEqual([3]);
    // ...each of which can be switched off.
    const bothOff = await importSubscriberList(db(), 'association', replay, {
      mode: 'delta',
      deltaChecks: { adds: false, removes: false },
    });
    expect(bothOff).toMatchObject({ outcome: 'imported', adds: 1, removes: 0, unchanged: 1 });
    expect(await association()).toContain('ID-5,35209900000005');

    const twice = file(
      'uid,imei,change_type\nID-6,35209900000006,add\nID-6,352099000000061,remove\nID-7,1,update\n',
    );
    const multiple = await importSubscriberList(db(), 'association', twice, { mode: 'delta' });
    expect(multiple.errors).toEqual([
      {
        line: 3,
        field: 'change_type',
        message: 'the same entry has change add on line 2: one change per entry',
      },
      { line: 4, field: 'change_type', message: 'must be add or remove' },
    ]);
    expect(await association()).not.toContain('ID-6,35209900000006');
  });

  it('the association size check is percent only (absolute −1)', async () => {
    // 4 entries now; 0.75 × 4 = 3 is the floor, so 3 passes and 2 does not.
    expect(await association()).toHaveLength(4);
    const two = await importSubscriberList(
      db(),
      'association',
      file('uid,imei\nID-1,35209900176148\nID-2,35209900176148\n'),
    );
    expect(two.refusal).toMatch(/shrink from 4 to 2 entries, below the 3 it allows/);
    const three = await importSubscriberList(
      db(),
      'association',
      file('uid,imei\nID-1,35209900176148\nID-2,35209900176148\nID-9,35209900000009\n'),
    );
    expect(three).toMatchObject({ outcome: 'imported', adds: 1, removes: 2 });
  });
});
