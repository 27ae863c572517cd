/**
 * A generated country for the differential test and benchmarks: operator data (daily rows and timed
 * sightings) and reference lists, with every case the dimensions care about planted at random —
 * clones (one IMEI with many SIMs), batches of sequential MSISDNs, roamers from abroad and from
 * unconfigured local networks, hex and short IMEIs, wrong check digits, IMSIs and MSISDNs of every
 * length, rows on the window edges, far-apart sightings minutes apart. Deterministic for a seed.
 *
 * It gives the same data three ways: the in-memory Dataset (the reference semantics), operator rows
 * per file (for the engines' import) and the reference lists snapshot (for `loadReference`).
 */
import { checkDigitOf, type DeviceKey } from '../../identifiers/index.ts';
import type { OperatorRow } from '../engines/engine.ts';
import { normaliseImei } from '../normalise.ts';
import type { ReferenceLists } from '../reference.ts';
import {
  aggregateDailyRows,
  createDataset,
  type DailyRow,
  type Dataset,
  type RegionConfig,
  type TimedSighting,
} from './model.ts';

export interface GeneratedCountry {
  readonly region: RegionConfig;
  readonly analysisEnd: string;
  readonly dataset: Dataset;
  /** Operator rows per operator (one file each). */
  readonly files: ReadonlyMap<string, OperatorRow[]>;
  readonly reference: ReferenceLists;
}

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
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function generateCountry(
  options: { seed?: number; devices?: number; days?: number } = {},
): GeneratedCountry {
  const random = generator(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const devices = options.devices ?? 400;
  const days = options.days ?? 80;
  const analysisEnd = '2026-03-15';
  const endMs = Date.parse(`${analysisEnd}T00:00:00Z`);
  const region: RegionConfig = {
    operators: [
      { id: 'alpha', mccMnc: [{ mcc: '639', mnc: '02' }] },
      {
        id: 'beta',
        mccMnc: [
          { mcc: '639', mnc: '07' },
          { mcc: '639', mnc: '08' },
        ],
      },
    ],
    countryCodes: ['254'],
    exemptedDeviceTypes: ['Vehicle'],
  };
  const tacs = [
    '35209900',
    '35693803',
    '86000000',
    '01234567',
    '99000001',
    '35123400',
    '00101501',
    '91000000',
  ];
  const gsma: ReferenceLists['gsma'] = [
    {
      tac: '35209900',
      manufacturer: 'Acme',
      modelName: 'A1',
      deviceType: 'Smartphone',
      ratMask: (1 << 6) | (1 << 9),
    },
    { tac: '35693803', manufacturer: 'Acme', modelName: 'A1', deviceType: 'Smartphone', ratMask: 1 << 12 },
    { tac: '86000000', manufacturer: 'Orbit', modelName: 'O2', deviceType: 'Vehicle', ratMask: 1 << 6 },
    { tac: '01234567', manufacturer: 'Old', modelName: null, deviceType: 'Feature phone', ratMask: 1 << 6 },
    {
      tac: '35123400',
      manufacturer: 'Bar',
      modelName: 'B',
      deviceType: null,
      ratMask: (1 << 6) | (1 << 9) | (1 << 12),
    },
  ];
  const imsiOf = (kind: number, n: number) =>
    kind < 0.7
      ? `63902${String(n).padStart(10, '0')}`
      : kind < 0.85
        ? `63907${String(n).padStart(10, '0')}`
        : kind < 0.92
          ? `63905${String(n).padStart(9, '0')}` // local MCC, unconfigured MNC (14 digits)
          : kind < 0.97
            ? `23410${String(n).padStart(10, '0')}` // a roamer
            : `6390${n % 1000}`; // too short to be valid
  const rows: DailyRow[] = [];
  const sightings: TimedSighting[] = [];
  const keys: string[] = [];
  for (let d = 0; d < devices; d++) {
    const key = `${pick(tacs)}${String(Math.floor(random() * 1e6)).padStart(6, '0')}`;
    keys.push(key);
    const form = random();
    const imei =
      form < 0.03
        ? `${key.slice(0, 12)}AF`
        : form < 0.05
          ? key.slice(0, 11)
          : form < 0.1
            ? `${key}${(Number(checkDigitOf(key as DeviceKey)) + 3) % 10 || 7}`
            : form < 0.4
              ? key + checkDigitOf(key as DeviceKey)
              : form < 0.6
                ? `${key}0${Math.floor(random() * 10)}`
                : key;
    // A clone sometimes: many SIMs; a transient batch sometimes: sequential MSISDNs on one operator.
    const profile = random();
    // Clones: many SIMs; transient batches: 3 to 5 sequential numbers; others: one or two SIMs.
    const sims =
      profile < 0.1
        ? 3 + Math.floor(random() * 8)
        : profile < 0.2
          ? 3 + Math.floor(random() * 3)
          : 1 + Math.floor(random() * 2);
    const sequentialBase = 254700000000 + Math.floor(random() * 1e6) * 10;
    const operators = profile > 0.1 && profile < 0.2 ? ['alpha'] : ['alpha', 'beta'];
    for (let s = 0; s < sims; s++) {
      const imsi = random() < 0.03 ? null : imsiOf(random(), Math.floor(random() * 1e6));
      const msisdn =
        profile > 0.1 && profile < 0.2
          ? String(sequentialBase + s * 7)
          : random() < 0.05
            ? null
            : random() < 0.05
              ? String(25470 + s)
              : `2547${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
      const operator = pick(operators);
      const first = Math.floor(random() * days);
      const span = Math.floor(random() * 40);
      // Up to 5 days past the analysis end date: DIRBS's trim of rows last seen after the end.
      for (let day = first; day <= Math.min(days + 5, first + span); day += 1 + Math.floor(random() * 6)) {
        // Day `days` is the analysis end date itself: the window-end edge.
        const date = isoDay(endMs - (days - day) * DAY);
        // Clones move between networks: the same triplet in both operators' data (the country merge).
        const seenBy = profile < 0.1 && random() < 0.5 ? pick(['alpha', 'beta']) : operator;
        rows.push({
          operator: seenBy,
          date,
          imei,
          imsi,
          msisdn,
          ratMask: random() < 0.1 ? null : 1 << (1 + Math.floor(random() * 12)),
        });
      }
    }
    if (random() < 0.15) {
      const norm = normaliseImei(imei)!;
      const base = endMs - Math.floor(random() * 20) * DAY - Math.floor(random() * 20) * 3_600_000;
      for (let k = 0; k < 3; k++) {
        // Sometimes two sightings at the same instant in different places (k 0 and 1).
        const same = k === 1 && random() < 0.25;
        const time = new Date(same ? base : base + k * Math.floor(random() * 180) * 60_000);
        const sighting: TimedSighting = {
          imeiNorm: norm,
          imsi: imsiOf(0.1, d),
          operator: pick(['alpha', 'beta']),
          time: `${time.toISOString().slice(0, 19)}Z`,
          lat: Math.round((-4 + random() * 8) * 1e4) / 1e4,
          lon: Math.round((34 + random() * 8) * 1e4) / 1e4,
          cell: `cell-${Math.floor(random() * 40)}`,
        };
        sightings.push(sighting);
        // A timed row is also a day of the triplet, as its import row is.
        rows.push({
          operator: sighting.operator,
          date: sighting.time.slice(0, 10),
          imei: norm,
          imsi: sighting.imsi,
          msisdn: null,
          ratMask: null,
        });
      }
    }
  }
  const some = (share: number) => keys.filter(() => random() < share);
  const reference: ReferenceLists = {
    gsma,
    stolen: some(0.05).map((imeiNorm, i) => ({
      imeiNorm,
      status: i % 4 === 0 ? 'pending' : i % 3 === 0 ? 'blacklist' : null,
    })),
    barred: some(0.03),
    barredTac: ['35123400'],
    monitoring: some(0.04).map((imeiNorm) => ({
      imeiNorm,
      startDate: `${isoDay(endMs - Math.floor(random() * 60) * DAY)}T0${Math.floor(random() * 9)}:00:00Z`,
    })),
    registration: some(0.5).map((imeiNorm, i) => ({
      imeiNorm,
      status: i % 9 === 0 ? 'pending' : i % 5 === 0 ? 'whitelist' : null,
      deviceType: random() < 0.1 ? 'Vehicle' : null,
    })),
    association: some(0.4).map((imeiNorm, i) => ({ uid: `ID-${i % 50}`, imeiNorm })),
    subscribers: rows
      .filter((r) => r.imsi !== null && random() < 0.3)
      .map((r, i) => ({ uid: `ID-${i % 60}`, imsi: r.imsi! })),
    pairing: [],
    golden: [],
  };
  const unique = <T>(items: readonly T[], key: (item: T) => string) => [
    ...new Map(items.map((item) => [key(item), item])).values(),
  ];
  const lists: ReferenceLists = {
    ...reference,
    stolen: unique(reference.stolen, (s) => s.imeiNorm),
    barred: [...new Set(reference.barred)],
    monitoring: unique(reference.monitoring, (m) => m.imeiNorm),
    registration: unique(reference.registration, (r) => r.imeiNorm),
    association: unique(reference.association, (a) => `${a.uid}|${a.imeiNorm}`),
    subscribers: unique(reference.subscribers, (s) => `${s.uid}|${s.imsi}`),
  };

  const dataset = createDataset({
    ...aggregateDailyRows(rows),
    sightings,
    gsma: new Map(lists.gsma.map((g) => [g.tac, g])),
    stolen: new Map(lists.stolen.map((s) => [normaliseImei(s.imeiNorm)!, { status: s.status }])),
    barred: new Set(lists.barred.map((b) => normaliseImei(b)!)),
    barredTac: new Set(lists.barredTac),
    monitoring: new Map(
      lists.monitoring.map((m) => [normaliseImei(m.imeiNorm)!, { startDate: m.startDate }]),
    ),
    registration: new Map(
      lists.registration.map((r) => [
        normaliseImei(r.imeiNorm)!,
        { status: r.status, deviceType: r.deviceType },
      ]),
    ),
    association: lists.association.map((a) => ({ uid: a.uid, imeiNorm: normaliseImei(a.imeiNorm)! })),
    subscribers: lists.subscribers,
    pairing: [],
    config: region,
  });

  const files = new Map<string, OperatorRow[]>();
  for (const row of rows) {
    const list = files.get(row.operator) ?? [];
    list.push({
      date: row.date,
      imei: row.imei,
      imeiNorm: normaliseImei(row.imei),
      imsi: row.imsi,
      msisdn: row.msisdn,
      ratMask: row.ratMask ?? null,
    });
    files.set(row.operator, list);
  }
  // The timed rows replace their plain daily copies in the files (same triplet day, with time and place).
  for (const s of sightings) {
    const list = files.get(s.operator) ?? [];
    files.set(s.operator, list);
    const plain = list.findIndex(
      (r) =>
        r.imei === s.imeiNorm &&
        r.imsi === s.imsi &&
        r.msisdn === null &&
        r.time === undefined &&
        r.date === s.time.slice(0, 10),
    );
    if (plain >= 0) list.splice(plain, 1);
    list.push({
      date: s.time.slice(0, 10),
      imei: s.imeiNorm,
      imeiNorm: s.imeiNorm,
      imsi: s.imsi,
      msisdn: null,
      ratMask: null,
      time: s.time.slice(0, 19),
      cell: s.cell,
      lat: s.lat,
      lon: s.lon,
    });
  }
  return { region, analysisEnd, dataset, files, reference: lists };
}
