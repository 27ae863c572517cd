/**
 * Demo data: a small, living country for the quick start. Run once, on an empty registry, when
 * OPENCEIR_DEMO is on. It imports the TAC sample (real brands and models, demo/osmocom-tacdb-sample.csv)
 * and appends, through the ledger like any other change, a few thousand devices: stolen and lost
 * reports, stolen phones in recovery mode, clones found by a rule, registered devices, pairings,
 * a counterfeit TAC, a barred TAC, an IMEI range under investigation, IMSI screening and the golden list.
 * Everything is generated from a fixed seed, so every demo shows the same country.
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { type DeviceKey, fullImei } from '../identifiers/index.ts';
import { type EntryDraft, goldenHash } from '../ledger/entry.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { query } from '../store/index.ts';
import { importTacFile } from '../tacdb/tacdb.ts';

export const DEMO_TAC_FILE = fileURLToPath(new URL('../../demo/osmocom-tacdb-sample.csv', import.meta.url));

export interface DemoSummary {
  readonly tacs: number;
  readonly devices: number;
  readonly entries: number;
}

/** xorshift32: small, fast and the same everywhere. */
function generator(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

export async function seedDemo(ledger: Ledger): Promise<DemoSummary | null> {
  if ((await ledger.size()) > 0) return null;
  const tacReport = await importTacFile(ledger.db, DEMO_TAC_FILE, { source: 'osmocom' });
  const tacRows = await query(
    ledger.db,
    sql`select tac, brand, model from tac_model where tac like '35%' or tac like '86%' or tac like '01%' order by tac`,
  );
  const tacs = tacRows.map((r) => ({
    tac: String(r.tac),
    brand: (r.brand as string | null) ?? 'Unknown',
    model: (r.model as string | null) ?? '',
  }));
  if (tacs.length < 20) return null;

  const random = generator(2026);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const used = new Set<string>();
  const device = () => {
    for (;;) {
      const t = pick(tacs);
      const key = t.tac + String(Math.floor(random() * 1e6)).padStart(6, '0');
      if (!used.has(key)) {
        used.add(key);
        return { key, ...t };
      }
    }
  };
  const msisdn = (n: number) => `447700900${String(n % 1000).padStart(3, '0')}`; // Ofcom's range for drama: never a real subscriber
  const imsi = (n: number) => `00101${String(n).padStart(10, '0')}`; // MCC 001: test network
  const base = { actor: 'demo' };
  const drafts: EntryDraft[] = [];
  let caseNo = 1;
  const nextCase = () => `case:DEMO-${String(caseNo++).padStart(6, '0')}`;

  for (let i = 0; i < 600; i++) {
    const d = device();
    const reported = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 320) * DAY);
    drafts.push({
      ...base,
      source: 'police',
      action: 'block',
      target: { kind: 'device', deviceKey: d.key },
      reasons: ['stolen'],
      list: 'stolen',
      reference: 'import:demo-stolen-list',
      attributes: { reportingDate: reported.toISOString().slice(0, 10).replace(/-/g, '') },
    });
  }
  for (let i = 0; i < 200; i++) {
    const d = device();
    drafts.push({
      ...base,
      source: 'owner',
      action: 'block',
      target: { kind: 'device', deviceKey: d.key },
      reasons: ['lost'],
      reference: nextCase(),
    });
  }
  for (let i = 0; i < 150; i++) {
    const d = device();
    drafts.push({
      ...base,
      source: 'police',
      action: 'track',
      target: { kind: 'device', deviceKey: d.key },
      reasons: ['stolen'],
      reference: nextCase(),
      note: 'recovery mode: the device works, every use alerts the police',
    });
  }
  const clones: string[] = [];
  for (let i = 0; i < 120; i++) {
    const d = device();
    clones.push(d.key);
    drafts.push({
      ...base,
      source: 'rule:duplicate-threshold',
      action: 'block',
      target: { kind: 'device', deviceKey: d.key },
      reasons: ['duplicate'],
      reference: 'run:demo-2026-11-01',
    });
  }
  // The first owner of each of 60 cloned IMEIs keeps a working phone: their SIM is paired with it.
  clones.slice(0, 60).forEach((key, i) => {
    drafts.push({
      ...base,
      source: 'operator:demo-mobile',
      action: 'pair',
      target: { kind: 'pair', deviceKey: key, imsi: imsi(i + 1), msisdn: msisdn(i + 1) },
      list: 'pairing',
    });
  });
  for (let i = 0; i < 1500; i++) {
    const d = device();
    drafts.push({
      ...base,
      source: 'regulator',
      action: 'allow',
      target: { kind: 'device', deviceKey: d.key },
      reasons: ['registered'],
      list: 'registration',
      attributes: { make: d.brand, model: d.model, deviceId: `demo${i}` },
    });
  }
  for (let i = 0; i < 300; i++) {
    const d = device();
    drafts.push({
      ...base,
      source: 'operator:demo-mobile',
      action: 'pair',
      target: { kind: 'pair', deviceKey: d.key, imsi: imsi(1000 + i), msisdn: msisdn(100 + i) },
      list: 'pairing',
    });
  }
  for (let i = 0; i < 60; i++) {
    const d = device();
    drafts.push({
      ...base,
      source: 'regulator',
      action: 'track',
      target: { kind: 'device', deviceKey: d.key },
      reasons: ['monitoring'],
      list: 'monitoring',
    });
  }
  for (let i = 0; i < 40; i++) {
    const d = device();
    drafts.push({
      ...base,
      source: 'regulator',
      action: 'block',
      target: { kind: 'device', deviceKey: d.key },
      reasons: ['barred'],
      list: 'barred',
    });
  }
  // Withdrawn reports: stolen, then recovered by the owner.
  for (let i = 0; i < 30; i++) {
    const d = device();
    const reference = nextCase();
    drafts.push({
      ...base,
      source: 'owner',
      action: 'block',
      target: { kind: 'device', deviceKey: d.key },
      reasons: ['stolen'],
      reference,
    });
    drafts.push({
      ...base,
      source: 'owner',
      action: 'unblock',
      target: { kind: 'device', deviceKey: d.key },
      reasons: ['stolen'],
      reference,
      note: 'recovered by its owner',
    });
  }
  const counterfeit = tacs[7]!;
  const barredTac = tacs[13]!;
  const investigated = device();
  drafts.push(
    {
      ...base,
      source: 'regulator',
      action: 'rule-add',
      target: { kind: 'tac', tac: counterfeit.tac },
      status: 'blocked',
      reasons: ['counterfeit'],
      note: `counterfeit ${counterfeit.brand} ${counterfeit.model} sold under this TAC`,
    },
    {
      ...base,
      source: 'regulator',
      action: 'rule-add',
      target: { kind: 'tac', tac: barredTac.tac },
      status: 'blocked',
      reasons: ['barred'],
      list: 'barred-tac',
    },
    {
      ...base,
      source: 'police',
      action: 'rule-add',
      target: { kind: 'imei-range', from: `${investigated.tac}000000`, to: `${investigated.tac}000999` },
      status: 'tracked',
      reasons: ['investigation'],
      reference: 'court:DEMO-77/2026',
    },
    {
      ...base,
      source: 'regulator',
      action: 'rule-add',
      target: { kind: 'imsi-prefix', prefix: '99970' },
      status: 'tracked',
      reasons: ['investigation'],
      note: 'private-network SIMs seen on public networks',
    },
  );
  for (let i = 0; i < 5; i++) {
    const d = device();
    drafts.push({
      ...base,
      source: 'regulator',
      action: 'rule-add',
      target: { kind: 'golden', hash: goldenHash(d.key) },
      status: 'allowed',
      reasons: ['golden'],
      list: 'golden',
    });
  }

  ledger.validate(drafts);
  await ledger.transaction((session) => session.add(drafts));
  return { tacs: tacReport.added, devices: used.size, entries: drafts.length };
}

/** A few demo IMEIs worth looking at, for the start banner. */
export async function demoExamples(ledger: Ledger): Promise<{ label: string; imei: string }[]> {
  const rows = await query(
    ledger.db,
    sql`select distinct on (status, reason) device_key, status, reason from device_reason
        where status in ('blocked', 'tracked') and reason in ('stolen', 'duplicate') order by status, reason, device_key limit 3`,
  );
  return rows.map((r) => ({
    label: `${r.status} (${r.reason})`,
    imei: fullImei(String(r.device_key) as DeviceKey),
  }));
}
