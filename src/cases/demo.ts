/**
 * Demo cases for the quick start: one case in every state (an owner's report waiting for its code,
 * blocked, tracked in recovery mode, recovered, closed, withdrawn, rejected), sightings of the stolen
 * phones with the police alerts they raised, and appeals (one open, one overdue and escalated).
 * Everything goes through the same code as real use (reports, codes, transitions, the alert raiser),
 * so the demo shows what the system does. Runs once: skipped when any case exists.
 */
import { sql } from 'drizzle-orm';
import { storeSightings } from '../check/store.ts';
import { fullImei } from '../identifiers/index.ts';
import type { Store } from '../store/index.ts';
import { query } from '../store/index.ts';
import type { CaseActor, CaseDesk } from './index.ts';

export interface DemoCases {
  readonly cases: readonly { reference: string; state: string; imeis: readonly string[] }[];
  readonly alerts: number;
  readonly appeals: readonly string[];
}

const police = (unit: string, name: string): CaseActor => ({
  kind: 'police',
  name,
  organisation: { id: unit, kind: 'police', operatorId: null },
});
const owner: CaseActor = { kind: 'owner', name: 'owner' };

export async function seedDemoCases(desk: CaseDesk, store: Store): Promise<DemoCases | null> {
  const [any] = await query(store.db, sql`select 1 from case_report limit 1`);
  if (any) return null;
  // Real models from the demo TAC database, serial numbers from a block the list demo leaves unused.
  const tacs = await query<{ tac: string; brand: string | null; model: string | null }>(
    store.db,
    sql`select tac, brand, model from tac_model where tac like '35%' and brand is not null order by tac limit 8`,
  );
  if (tacs.length < 8) return null;
  const imei = (i: number, serial: number) =>
    fullImei(`${tacs[i]!.tac}${String(990_000 + serial).padStart(6, '0')}` as never);
  const model = (i: number) => ({ brand: tacs[i]!.brand ?? undefined, model: tacs[i]!.model ?? undefined });
  const phone = (n: number) => `+2547120000${String(n).padStart(2, '0')}`;
  const out: { reference: string; state: string; imeis: string[] }[] = [];
  const report = async (
    imeis: string[],
    input: Record<string, unknown>,
    actor: CaseActor,
    channel: 'portal' | 'police',
  ) => {
    const { record } = await desk.cases.report({ imeis, kind: 'stolen', ...input }, actor, channel);
    return record.reference;
  };
  const verifyByCode = async (reference: string, number: string) => {
    const [message] = await desk.outbox.to(number.replace('+', ''), 1);
    const code = /(\d{6})/.exec(message?.text ?? '')?.[1];
    if (code) await desk.cases.verify(reference, code);
  };

  // 1. Waiting for the owner's code.
  const waiting = await report(
    [imei(0, 1)],
    { ...model(0), region: 'capital', reporterPhone: phone(1), kind: 'lost' },
    owner,
    'portal',
  );
  // 2. A dual-SIM phone reported by its owner, verified by code: blocked everywhere.
  const blockedImeis = [imei(1, 2), imei(1, 3)];
  const blocked = await report(
    blockedImeis,
    {
      ...model(1),
      region: 'capital',
      reporterPhone: phone(2),
      reporterName: 'Demo owner',
      notifyOwner: true,
      incidentPlace: 'Central market',
    },
    owner,
    'portal',
  );
  await verifyByCode(blocked, phone(2));
  // 3. Recovery mode: the phone works and every use raises an alert.
  const tracked = await report(
    [imei(2, 4)],
    { ...model(2), mode: 'track', region: 'north', policeReportNumber: 'NP-2026-0412' },
    police('police-north', 'police.north'),
    'police',
  );
  // 4. Recovered by the police, still blocked until the owner unblocks.
  const recovered = await report(
    [imei(3, 5)],
    { ...model(3), region: 'capital', reporterPhone: phone(5), policeReportNumber: 'CP-2026-1187' },
    police('police-capital', 'police.capital'),
    'police',
  );
  await desk.cases.act(
    recovered,
    'recover',
    police('police-capital', 'police.capital'),
    'found during a market inspection',
  );
  // 5. Closed: recovered and unblocked.
  const closed = await report(
    [imei(4, 6)],
    { ...model(4), region: 'coast', reporterPhone: phone(6) },
    police('police-north', 'police.north'),
    'police',
  );
  await desk.cases.act(closed, 'recover', police('police-north', 'police.north'), 'returned to the owner');
  await desk.cases.act(closed, 'unblock', police('police-north', 'police.north'), 'owner has it back');
  // 6. Withdrawn by the owner before verification (found it under the sofa).
  const withdrawn = await report(
    [imei(5, 7)],
    { ...model(5), kind: 'lost', reporterPhone: phone(7) },
    owner,
    'portal',
  );
  await desk.cases.act(withdrawn, 'withdraw', owner, 'found it at home');
  // 7. Rejected by the police: the reporter had sold the phone.
  const rejected = await report(
    [imei(6, 8)],
    { ...model(6), region: 'capital', reporterPhone: phone(8) },
    police('police-capital', 'police.capital'),
    'police',
  );
  await desk.cases.act(
    rejected,
    'reject',
    police('police-capital', 'police.capital'),
    'the reporter had sold the phone',
  );

  for (const reference of [waiting, blocked, tracked, recovered, closed, withdrawn, rejected]) {
    const record = (await desk.cases.get(reference))!;
    out.push({ reference, state: record.state, imeis: record.devices.map((d) => d.imei) });
  }

  // Sightings of the stolen phones on the demo networks, with new SIMs: alerts for the police.
  const now = Date.now();
  const sightings = [
    {
      imei: blockedImeis[0]!,
      imsi: '001010123456789',
      msisdn: '254733100200',
      network: 'alpha',
      location: 'cell 639-01-1021-4411',
      ago: 50,
    },
    {
      imei: blockedImeis[0]!,
      imsi: '001010123456789',
      msisdn: '254733100200',
      network: 'alpha',
      location: 'cell 639-01-1021-4412',
      ago: 20,
    },
    {
      imei: imei(2, 4),
      imsi: '001020987654321',
      msisdn: null,
      network: 'beta',
      location: 'cell 639-02-2040-0107',
      ago: 35,
    },
    {
      imei: imei(2, 4),
      imsi: '001020987654322',
      msisdn: '254744300400',
      network: 'beta',
      location: null,
      ago: 5,
    },
  ];
  await storeSightings(
    store.db,
    desk.sealer,
    sightings.map((s, i) => ({
      id: `demo-${i}`,
      time: new Date(now - s.ago * 60_000).toISOString(),
      deviceKey: s.imei.slice(0, 14),
      equipment: `imeisv-${s.imei.slice(0, 14)}07`,
      svn: '07',
      imsi: s.imsi,
      msisdn: s.msisdn,
      status: s.imei === imei(2, 4) ? 'tracked' : 'blocked',
      matched: 'device',
      reasons: ['stolen'],
      protocol: i % 2 === 0 ? 'n5g-eir' : 's13',
      node: 'demo',
      peer: null,
      network: s.network,
      location: s.location,
    })),
  );
  const alerts = await desk.raiser.catchUp();
  const [first] = await desk.alerts.list({ policeUnit: 'police-capital' });
  if (first) await desk.alerts.setState(first.id, 'acknowledged', 'police.capital', 'patrol informed');

  // Appeals against clones found by a detection rule: one open, one overdue (escalated).
  const clones = await query<{ device_key: string }>(
    store.db,
    sql`select device_key from device_reason where status = 'blocked' and reason = 'duplicate' order by device_key limit 2`,
  );
  const appeals: string[] = [];
  for (const [i, clone] of clones.entries()) {
    const { record } = await desk.appeals.file(
      {
        imei: fullImei(clone.device_key as never),
        ground: i === 0 ? 'false-duplicate' : 'good-faith-buyer',
        statement:
          i === 0
            ? 'This phone was bought new from an authorised shop; the receipt is attached to my e-mail.'
            : 'I bought it second-hand with an invoice and did not know it was flagged.',
        appellantPhone: phone(20 + i),
      },
      'portal',
    );
    appeals.push(record.reference);
    if (i === 1) {
      await store.db.execute(
        sql`update appeal set deadline = now() - interval '1 day' where reference = ${record.reference}`,
      );
    }
  }
  await desk.appeals.escalateOverdue();
  return { cases: out, alerts, appeals };
}
