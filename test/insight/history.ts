/**
 * A known history for the statistics' acceptance tests: eight cases, rule blocks, sightings, alerts,
 * recoveries, unblocks, appeals and detections across two operators (alpha, beta) and two months
 * (March and April 2026), written through the real modules (CaseDesk, the ledger, the sightings
 * store, RegistryOperations) at exact times. The ledger takes its times from a test clock; the cases
 * module stamps database time, so each case, event and appeal is moved to its exact time right after
 * it is written (those tables hold times, not a hash chain). Classification rows are inserted as the
 * analytics' classify step writes them. The expected figures are worked out by hand in the tests.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { CaseActor } from '../../src/cases/cases.ts';
import { CaseDesk } from '../../src/cases/index.ts';
import { DEFAULT_POLICY } from '../../src/check/policy.ts';
import { storeSightings } from '../../src/check/store.ts';
import { type DeviceKey, fullImei } from '../../src/identifiers/imei.ts';
import { Ledger } from '../../src/ledger/ledger.ts';
import { HeadSigner } from '../../src/ledger/signing.ts';
import { Sealer } from '../../src/privacy/seal.ts';
import { RegistryOperations } from '../../src/registry/operations.ts';
import type { Store } from '../../src/store/index.ts';

/** Device keys K1…K12 (14 digits) and their IMEIs. */
export const K = (n: number) => `3500000000${String(n).padStart(4, '0')}`;
const imei = (n: number) => fullImei(K(n) as DeviceKey);

const police: CaseActor = {
  kind: 'police',
  name: 'police.capital',
  organisation: { id: 'police-capital', kind: 'police', operatorId: null },
};
const staffOf = (operator: string): CaseActor => ({
  kind: 'operator',
  name: `op.${operator}`,
  organisation: { id: `operator-${operator}`, kind: 'operator', operatorId: operator },
});
const regulator: CaseActor = { kind: 'regulator', name: 'regulator' };

export interface History {
  readonly cases: Record<string, string>;
  readonly appeals: Record<string, string>;
}

export async function buildHistory(store: Store): Promise<History> {
  let now = new Date('2026-03-01T00:00:00Z');
  const at = (iso: string) => {
    now = new Date(iso);
  };
  const ledger = new Ledger(store, new HeadSigner(generateKeyPairSync('ed25519').privateKey), () => now);
  await ledger.init();
  const registry = new RegistryOperations(ledger, DEFAULT_POLICY, 'test');
  const desk = new CaseDesk(ledger, {
    verificationMinutes: 15,
    appealDays: 60,
    suspendOverdueAppeals: false,
    publicUrl: 'http://portal.test',
    sealer: new Sealer(randomBytes(32)),
  });
  const db = store.db;
  await db.execute(sql`insert into organisation (id, kind, name, regions, operator_id) values
    ('police-capital', 'police', 'Capital police', '{capital}', null),
    ('police-north', 'police', 'North police', '{north}', null),
    ('operator-alpha', 'operator', 'Alpha', '{}', 'alpha'),
    ('operator-beta', 'operator', 'Beta', '{}', 'beta')`);

  const cases: Record<string, string> = {};
  const appeals: Record<string, string> = {};

  /** A staff report (in effect at once), made at `created` and in the ledger `delay` seconds later. */
  const report = async (
    name: string,
    n: number,
    details: { kind: 'lost' | 'stolen'; region: string; brand: string; model: string; mode?: 'track' },
    actor: CaseActor,
    channel: 'police' | 'operator',
    created: string,
    delay: number,
  ) => {
    const effective = new Date(Date.parse(created) + delay * 1000).toISOString();
    at(effective);
    const { record } = await desk.cases.report({ imeis: [imei(n)], ...details }, actor, channel);
    cases[name] = record.reference;
    await db.execute(
      sql`update case_report set created_at = ${created}::timestamptz where id = ${record.id}::uuid`,
    );
    await db.execute(
      sql`update case_event set at = ${effective}::timestamptz where case_id = ${record.id}::uuid`,
    );
  };
  /** A case action at an exact time; its event moved to that time. */
  const act = async (name: string, action: 'recover' | 'unblock', time: string) => {
    at(time);
    const record = await desk.cases.act(cases[name]!, action, police, null);
    await db.execute(sql`update case_event set at = ${time}::timestamptz
      where case_id = ${record.id}::uuid and id = (select max(id) from case_event where case_id = ${record.id}::uuid)`);
  };
  let sightingNo = 0;
  const sight = async (n: number, network: string, imsi: string, time: string) => {
    sightingNo += 1;
    await storeSightings(db, desk.sealer, [
      {
        id: `history-${sightingNo}`,
        time,
        deviceKey: K(n),
        equipment: `imei-${imei(n)}`,
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
        location: null,
      },
    ]);
    await desk.raiser.catchUp();
  };
  const ruleBlock = async (n: number, time: string) => {
    at(time);
    await registry.changeStatus(imei(n), 'block', {
      reason: 'duplicate',
      source: 'rule:duplicate-threshold',
    });
  };
  const fileAppeal = async (name: string, n: number, time: string) => {
    const { record } = await desk.appeals.file(
      {
        imei: imei(n),
        ground: 'false-duplicate',
        statement: 'I bought it new in a shop',
        appellantPhone: '+254712345678',
      },
      'portal',
    );
    appeals[name] = record.reference;
    await db.execute(sql`update appeal set created_at = ${time}::timestamptz where id = ${record.id}::uuid`);
  };
  const decide = async (name: string, reason: string, outcome: 'upheld' | 'overturned', time: string) => {
    at(time);
    await desk.appeals.decide(appeals[name]!, { [reason]: outcome }, regulator, 'decided on the evidence');
    await db.execute(
      sql`update appeal set decided_at = ${time}::timestamptz where reference = ${appeals[name]!}`,
    );
  };

  // March 2026.
  await report(
    'C1',
    1,
    { kind: 'stolen', region: 'capital', brand: 'Acme', model: 'A1' },
    police,
    'police',
    '2026-03-02T10:00:00Z',
    60,
  );
  await report(
    'C2',
    2,
    { kind: 'stolen', region: 'north', brand: 'Acme', model: 'A2' },
    staffOf('alpha'),
    'operator',
    '2026-03-05T09:00:00Z',
    300,
  );
  await report(
    'C3',
    3,
    { kind: 'lost', region: 'capital', brand: 'Bolt', model: 'B1' },
    staffOf('beta'),
    'operator',
    '2026-03-10T12:00:00Z',
    120,
  );
  await sight(1, 'alpha', '001010000000001', '2026-03-10T18:00:00.000Z');
  await sight(1, 'alpha', '001010000000001', '2026-03-11T08:00:00.000Z');
  await act('C3', 'recover', '2026-03-12T15:00:00Z');
  await act('C3', 'unblock', '2026-03-12T16:00:00Z');
  await ruleBlock(8, '2026-03-15T09:00:00Z');
  await sight(2, 'beta', '001010000000002', '2026-03-15T20:00:00.000Z');
  await ruleBlock(9, '2026-03-16T09:00:00Z');
  await fileAppeal('AP1', 8, '2026-03-18T10:00:00Z');
  await report(
    'C4',
    4,
    { kind: 'stolen', region: 'north', brand: 'Acme', model: 'A1' },
    police,
    'police',
    '2026-03-20T08:00:00Z',
    600,
  );
  await fileAppeal('AP2', 9, '2026-03-20T11:00:00Z');
  // An owner's report never verified: received, never blocked.
  at('2026-03-25T12:00:00Z');
  const { record: c5 } = await desk.cases.report(
    {
      imeis: [imei(5)],
      kind: 'lost',
      region: 'capital',
      brand: 'Bolt',
      model: 'B1',
      reporterPhone: '+254712345679',
    },
    { kind: 'owner', name: 'owner' },
    'portal',
  );
  cases.C5 = c5.reference;
  await db.execute(sql`update case_report set created_at = '2026-03-25T12:00:00Z' where id = ${c5.id}::uuid`);
  await db.execute(sql`update case_event set at = '2026-03-25T12:00:00Z' where case_id = ${c5.id}::uuid`);
  await decide('AP1', 'duplicate', 'overturned', '2026-03-25T15:00:00Z');

  // April 2026.
  await sight(1, 'beta', '001010000000003', '2026-04-02T09:00:00.000Z');
  await decide('AP2', 'duplicate', 'upheld', '2026-04-02T10:00:00Z');
  await report(
    'C6',
    6,
    { kind: 'stolen', region: 'capital', brand: 'Acme', model: 'A1' },
    staffOf('alpha'),
    'operator',
    '2026-04-03T10:00:00Z',
    30,
  );
  await fileAppeal('AP3', 2, '2026-04-04T10:00:00Z');
  await act('C1', 'recover', '2026-04-05T10:00:00Z');
  await act('C1', 'unblock', '2026-04-06T10:00:00Z');
  await report(
    'C7',
    7,
    { kind: 'stolen', region: 'north', brand: 'Bolt', model: 'B2' },
    police,
    'police',
    '2026-04-08T14:00:00Z',
    900,
  );
  await decide('AP3', 'stolen', 'upheld', '2026-04-09T10:00:00Z');
  await sight(6, 'beta', '001010000000004', '2026-04-10T12:00:00.000Z');
  await report(
    'C8',
    12,
    { kind: 'stolen', region: 'north', brand: 'Bolt', model: 'B2', mode: 'track' },
    police,
    'police',
    '2026-04-15T10:00:00Z',
    0,
  );
  await act('C6', 'recover', '2026-04-20T09:00:00Z');
  await act('C6', 'unblock', '2026-04-21T00:00:00Z');
  at('2026-04-22T09:00:00Z');
  await ledger.append([
    {
      actor: 'peer-follower',
      source: 'peer:ke',
      action: 'block',
      target: { kind: 'device', deviceKey: K(11) },
      reasons: ['stolen'],
    },
  ]);

  // Police take up the first alert of each month.
  const alerts = await desk.alerts.list({});
  for (const alert of alerts) {
    if (alert.firstSeenAt.startsWith('2026-03-10') || alert.firstSeenAt.startsWith('2026-04-02')) {
      await desk.alerts.setState(alert.id, 'acknowledged', 'police.capital', null);
    }
  }

  // Detections, as the classify step records them.
  await db.execute(sql`insert into classification_state (run_id, imei_norm, cond_name, start_date, block_date) values
    (1, ${K(8)}, 'duplicate-threshold', '2026-03-14', '2026-03-15'),
    (1, ${K(9)}, 'duplicate-threshold', '2026-03-15', '2026-03-16'),
    (2, ${K(10)}, 'gsma-not-found', '2026-04-01', null)`);
  await desk.stop();
  return { cases, appeals };
}
