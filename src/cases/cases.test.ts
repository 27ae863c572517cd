import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeStores } from '../../test/support/stores.ts';
import { DEFAULT_POLICY } from '../check/policy.ts';
import { storeSightings } from '../check/store.ts';
import { Ledger } from '../ledger/ledger.ts';
import { HeadSigner } from '../ledger/signing.ts';
import { verifyLedger } from '../ledger/verify.ts';
import { Sealer } from '../privacy/seal.ts';
import { RegistryOperations } from '../registry/operations.ts';
import { query } from '../store/index.ts';
import { importRecoveries, importReports } from './bulk.ts';
import { CaseDesk } from './index.ts';
import { transition } from './model.ts';
import { normaliseReference } from './reference.ts';

// Valid IMEIs (Luhn) of one dual-SIM phone, and of others.
const IMEI_A = '490154203237518';
const IMEI_B = '356938035643809';
const IMEI_C = '353879234252633';
const IMEI_D = '011234567890126';
const PHONE = '+254712345678';

describe('case life (pure)', () => {
  it('verification applies the mode, and only allowed people act', () => {
    expect(transition('submitted', 'verify', 'owner', 'block')).toEqual({
      to: 'blocked',
      effects: ['block'],
    });
    expect(transition('submitted', 'verify', 'police', 'track')).toEqual({
      to: 'tracked',
      effects: ['track'],
    });
    expect(transition('blocked', 'track', 'owner', 'block')).toEqual({
      to: 'tracked',
      effects: ['track', 'unblock'],
    });
    expect(transition('recovered', 'unblock', 'owner', 'block').effects).toEqual(['unblock', 'untrack']);
    expect(() => transition('blocked', 'reject', 'owner', 'block')).toThrow(/owner may not reject/);
    expect(() => transition('closed', 'unblock', 'police', 'block')).toThrow(/closed cannot be unblocked/);
    expect(() => transition('submitted', 'recover', 'police', 'block')).toThrow(/cannot be marked recovered/);
  });

  it('references survive the way people type them', () => {
    expect(normaliseReference('c 7kq4 9xz2')).toBe('C-7KQ4-9XZ2');
    expect(normaliseReference('C-7KQ4-9XZO')).toBe('C-7KQ4-9XZ0');
    expect(normaliseReference('X-1234-5678')).toBeNull();
    expect(normaliseReference('C-7KQ4-9XZ')).toBeNull();
  });
});

describeStores('cases', (store) => {
  let ledger: Ledger;
  let desk: CaseDesk;
  const sealer = new Sealer(randomBytes(32));
  let registry: RegistryOperations;
  const status = async (imei: string) => (await registry.device(imei)).verdict.status;
  const lastCode = async (phone: string) => {
    const [message] = await desk.outbox.to(phone.replace('+', ''), 1);
    return /(\d{6})/.exec(message?.text ?? '')?.[1] ?? null;
  };
  let sightingNo = 0;
  const sight = async (imei: string, imsi: string, network = 'alpha') => {
    sightingNo += 1;
    await storeSightings(store().db, sealer, [
      {
        id: `test-${sightingNo}`,
        time: new Date().toISOString(),
        deviceKey: imei.slice(0, 14),
        equipment: `imei-${imei}`,
        svn: null,
        imsi,
        msisdn: null,
        status: 'blocked',
        matched: 'device',
        reasons: ['stolen'],
        protocol: 'n5g-eir',
        node: 'test',
        peer: null,
        network,
        location: 'cell-4711',
      },
    ]);
  };

  beforeAll(async () => {
    ledger = new Ledger(store(), new HeadSigner(generateKeyPairSync('ed25519').privateKey));
    await ledger.init();
    registry = new RegistryOperations(ledger, DEFAULT_POLICY, 'test');
    desk = new CaseDesk(ledger, {
      verificationMinutes: 15,
      appealDays: 14,
      suspendOverdueAppeals: true,
      publicUrl: 'http://portal.test',
      sealer,
    });
    await store().db.execute(sql`
      insert into organisation (id, kind, name, regions) values
        ('police-capital', 'police', 'Capital police', '{capital}'),
        ('police-north', 'police', 'North police', '{north,coast}')`);
  });

  it('an owner reports a dual-SIM phone, verifies with the code sent by SMS, and both IMEIs are blocked', async () => {
    const { record, existing } = await desk.cases.report(
      {
        imeis: [IMEI_A, IMEI_B],
        kind: 'stolen',
        brand: 'Acme',
        model: 'A1',
        region: 'coast',
        reporterPhone: PHONE,
        reporterName: 'The owner',
        notifyOwner: true,
        language: 'fr',
      },
      { kind: 'owner', name: 'owner' },
      'portal',
    );
    expect(existing).toBe(false);
    expect(record.state).toBe('submitted');
    expect(record.policeUnit).toBe('police-north');
    expect(record.devices.map((d) => d.imei)).toEqual([IMEI_B, IMEI_A].sort());
    expect(await status(IMEI_A)).toBe('allowed');

    const code = await lastCode(PHONE);
    expect(code).toMatch(/^\d{6}$/);
    expect((await desk.outbox.to('254712345678', 1))[0]!.text).toContain('Valable 15 min');
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await desk.cases.verify(record.reference, wrong)).toBe('wrong-code');
    expect(await desk.cases.verify(record.reference.toLowerCase(), code!)).toBe('verified');
    expect(await status(IMEI_A)).toBe('blocked');
    expect(await status(IMEI_B)).toBe('blocked');
    const entries = (await registry.device(IMEI_A)).history;
    expect(entries.at(-1)).toMatchObject({
      source: 'owner',
      reasons: ['stolen'],
      reference: `case:${record.reference}`,
    });

    // A second report of either IMEI returns the open case.
    const again = await desk.cases.report(
      { imeis: [IMEI_B], kind: 'lost', reporterPhone: PHONE },
      { kind: 'owner', name: 'owner' },
      'portal',
    );
    expect(again).toMatchObject({ existing: true, record: { reference: record.reference } });
    expect((await desk.cases.events(record.reference)).map((e) => e.toState)).toEqual([
      'submitted',
      'blocked',
    ]);
  });

  it('a sighting with a new SIM raises one police alert per SIM, counts repeats, and tells the owner once', async () => {
    const [open] = await desk.cases.list({ search: IMEI_A });
    await sight(IMEI_A, '001010000000001');
    await sight(IMEI_A, '001010000000001');
    await sight(IMEI_C, '001010000000009'); // not in any case: no alert
    expect(await desk.raiser.catchUp()).toBe(1);
    await sight(IMEI_B, '001010000000002', 'beta');
    await desk.raiser.catchUp();
    const alerts = await desk.alerts.list({ policeUnit: 'police-north' });
    expect(alerts.map((a) => [a.imsi, a.sightings, a.network, a.caseReference])).toEqual([
      ['001010000000002', 1, 'beta', open!.reference],
      ['001010000000001', 2, 'alpha', open!.reference],
    ]);
    expect(await desk.alerts.list({ policeUnit: 'police-capital' })).toEqual([]);
    const seen = (await desk.outbox.to('254712345678', 10)).filter((m) => m.kind === 'seen');
    expect(seen).toHaveLength(2);
    // Catching up again changes nothing: the cursor moved with the alerts.
    expect(await desk.raiser.catchUp()).toBe(0);
    const acknowledged = await desk.alerts.setState(
      alerts[0]!.id,
      'acknowledged',
      'police.north',
      'patrol sent',
    );
    expect(acknowledged).toMatchObject({
      state: 'acknowledged',
      handledBy: 'police.north',
      note: 'patrol sent',
    });
  });

  it('police mark it recovered, the owner unblocks with a fresh code, and the case closes', async () => {
    const [open] = await desk.cases.list({ search: IMEI_A });
    await desk.cases.act(
      open!.reference,
      'recover',
      { kind: 'police', name: 'police.north' },
      'found at market',
    );
    expect(await status(IMEI_A)).toBe('blocked');
    expect(await desk.cases.sendCode(open!.reference)).toBe('sent');
    expect(await desk.cases.sendCode(open!.reference)).toBe('wait');
    const code = await lastCode(PHONE);
    expect(await desk.cases.ownerAct(open!.reference, code!, 'unblock', 'phone back')).toBe('verified');
    expect(await status(IMEI_A)).toBe('allowed');
    expect(await status(IMEI_B)).toBe('allowed');
    expect((await desk.cases.get(open!.reference))!.state).toBe('closed');
    // A closed case frees the IMEIs: a new report opens a new case.
    const fresh = await desk.cases.report(
      { imeis: [IMEI_A], kind: 'lost', reporterPhone: PHONE },
      { kind: 'owner', name: 'owner' },
      'portal',
    );
    expect(fresh.existing).toBe(false);
    await desk.cases.act(fresh.record.reference, 'withdraw', { kind: 'owner', name: 'owner' }, null);
  });

  it('police enter a report that takes effect at once, in recovery mode', async () => {
    const { record } = await desk.cases.report(
      { imeis: [IMEI_C], kind: 'stolen', mode: 'track', policeReportNumber: 'PR-2026-1' },
      {
        kind: 'police',
        name: 'police.capital',
        organisation: { id: 'police-capital', kind: 'police', operatorId: null },
      },
      'police',
    );
    expect(record).toMatchObject({ state: 'tracked', source: 'police', policeUnit: 'police-capital' });
    expect(await status(IMEI_C)).toBe('tracked');
    await desk.cases.act(
      record.reference,
      'block',
      { kind: 'police', name: 'police.capital' },
      'suspect identified',
    );
    expect(await status(IMEI_C)).toBe('blocked');
  });

  it('refuses bad input naming each field', async () => {
    await expect(
      desk.cases.report(
        { imeis: ['490154203237519', IMEI_D, IMEI_D], kind: 'borrowed', reporterPhone: '12' },
        { kind: 'owner', name: 'owner' },
        'portal',
      ),
    ).rejects.toMatchObject({
      problems: [
        { param: 'imeis[0]', reason: expect.stringMatching(/check digit/i) },
        { param: 'imeis[2]', reason: 'the same IMEI is given twice' },
        { param: 'kind', reason: 'is lost or stolen' },
        { param: 'reporterPhone', reason: expect.any(String) },
      ],
    });
  });

  it('an overdue appeal suspends a duplicate block to tracked; upheld restores it, overturned lifts it', async () => {
    await registry.changeStatus(IMEI_D, 'block', { reason: 'duplicate', source: 'rule:duplicate-threshold' });
    const overdue = new CaseDesk(ledger, {
      verificationMinutes: 15,
      appealDays: 0,
      suspendOverdueAppeals: true,
      publicUrl: 'http://portal.test',
      sealer,
    });
    const { record } = await overdue.appeals.file(
      {
        imei: IMEI_D,
        ground: 'false-duplicate',
        statement: 'I bought it new in a shop',
        appellantPhone: PHONE,
      },
      'portal',
    );
    expect(record.reasons).toEqual([
      {
        status: 'blocked',
        reason: 'duplicate',
        source: 'rule:duplicate-threshold',
        reference: null,
        outcome: null,
      },
    ]);
    expect(
      (
        await overdue.appeals.file(
          { imei: IMEI_D, ground: 'other', statement: 'again, the same', appellantPhone: PHONE },
          'portal',
        )
      ).existing,
    ).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await overdue.appeals.escalateOverdue()).toBe(1);
    expect(await status(IMEI_D)).toBe('tracked');
    const regulator = { kind: 'regulator' as const, name: 'regulator' };
    const upheld = await overdue.appeals.decide(
      record.reference,
      { duplicate: 'upheld' },
      regulator,
      'two devices seen',
    );
    expect(upheld).toMatchObject({ state: 'upheld', suspended: false });
    expect(await status(IMEI_D)).toBe('blocked');
    const report = await registry.device(IMEI_D);
    expect(report.reasons.map((r) => [r.status, r.reason, r.source])).toEqual([
      ['blocked', 'duplicate', 'rule:duplicate-threshold'],
    ]);

    const second = await overdue.appeals.file(
      {
        imei: IMEI_D,
        ground: 'false-duplicate',
        statement: 'new evidence: the receipt',
        appellantPhone: PHONE,
      },
      'portal',
    );
    await expect(overdue.appeals.decide(second.record.reference, {}, regulator, 'x')).rejects.toThrow(
      /outcome for duplicate/,
    );
    await overdue.appeals.decide(
      second.record.reference,
      { duplicate: 'overturned' },
      regulator,
      'receipt checked',
    );
    expect(await status(IMEI_D)).toBe('allowed');
    expect(await overdue.appeals.outcomes()).toEqual([
      { reason: 'duplicate', source: 'rule:duplicate-threshold', upheld: 1, overturned: 1 },
    ]);
    const decided = (await desk.outbox.to('254712345678', 3)).find((m) => m.kind === 'appeal-decided');
    expect(decided?.text).toContain('the block is lifted');
  });

  it('an appeal against a case block, overturned, rejects the case', async () => {
    const { record } = await desk.cases.report(
      { imeis: [IMEI_B], kind: 'stolen', reporterPhone: PHONE },
      {
        kind: 'police',
        name: 'police.capital',
        organisation: { id: 'police-capital', kind: 'police', operatorId: null },
      },
      'police',
    );
    const appeal = await desk.appeals.file(
      {
        imei: IMEI_B,
        ground: 'good-faith-buyer',
        statement: 'bought from a shop with an invoice',
        appellantPhone: '+254712345679',
      },
      'portal',
    );
    expect(appeal.record.caseReference).toBe(record.reference);
    await desk.appeals.decide(
      appeal.record.reference,
      { stolen: 'overturned' },
      { kind: 'regulator', name: 'regulator' },
      'invoice genuine',
    );
    expect((await desk.cases.get(record.reference))!.state).toBe('rejected');
    expect(await status(IMEI_B)).toBe('allowed');
  });

  it('the outbox hands each due message to one sender, and retries failures later', async () => {
    const taken = await desk.outbox.take(1000);
    expect(taken.length).toBeGreaterThan(5);
    expect(await desk.outbox.take(1000)).toEqual([]);
    await desk.outbox.sent(taken[0]!.id, 'smsc-1');
    await desk.outbox.failed(taken[1]!.id, 'SMSC down');
    const [row] = await query<{ state: string; last_error: string }>(
      store().db,
      sql`select state, last_error from outbox where id = ${taken[1]!.id}::uuid`,
    );
    expect(row).toEqual({ state: 'queued', last_error: 'SMSC down' });
  });

  it('bulk reports apply good rows, name the bad ones, and change nothing when sent again', async () => {
    const police = {
      kind: 'police' as const,
      name: 'police.capital',
      organisation: { id: 'police-capital', kind: 'police' as const, operatorId: null },
    };
    const csv = [
      'IMEI,imei2,kind,brand,model,police_report_number',
      '352099001761481,,stolen,Acme,A2,PR-1',
      '35209900176148,,misplaced,,,PR-2',
      '352099001761499,352099001761507,lost,Acme,A3,PR-3',
    ].join('\n');
    const first = await importReports(desk.cases, csv, police);
    expect(first).toMatchObject({ rows: 3, applied: 2, refused: 1 });
    expect(first.results[1]).toEqual({
      line: 3,
      outcome: 'refused',
      problems: [{ param: 'kind', reason: 'is lost or stolen' }],
    });
    expect(await status('352099001761507')).toBe('blocked');
    const again = await importReports(desk.cases, csv, police);
    expect(again.results.map((r) => r.outcome)).toEqual(['existing', 'refused', 'existing']);
    expect(again.results[0]!.reference).toBe(first.results[0]!.reference);

    const recoveries = [
      'reference,imei,unblock',
      `${first.results[0]!.reference},,yes`,
      ',352099001761499,no',
      ',490154203237518,',
    ].join('\n');
    const recovered = await importRecoveries(desk.cases, recoveries, police);
    expect(recovered.results.map((r) => r.outcome)).toEqual(['unblocked', 'recovered', 'refused']);
    expect(await status('352099001761481')).toBe('allowed');
    expect(await status('352099001761499')).toBe('blocked');
    await expect(importReports(desk.cases, 'kind\nstolen', police)).rejects.toThrow(/header lacks imei/);
  });

  it('leaves a ledger that verifies', async () => {
    const report = await verifyLedger(store().db);
    expect(report.ok).toBe(true);
  });
});
