/** Small builders for the dimension tests: a two-operator region and daily rows. */
import { type ImeiNorm, normaliseImei } from '../normalise.ts';
import { type EvaluationContext, evaluationContext, type Semantics } from './dimension.ts';
import {
  aggregateDailyRows,
  createDataset,
  type DailyRow,
  type Dataset,
  type IsoDate,
  type RegionConfig,
} from './model.ts';

export const REGION: RegionConfig = {
  operators: [
    { id: 'op1', mccMnc: [{ mcc: '410', mnc: '01' }] },
    { id: 'op2', mccMnc: [{ mcc: '410', mnc: '03' }] },
  ],
  countryCodes: ['92'],
  exemptedDeviceTypes: [],
};

export function imei(raw: string): ImeiNorm {
  const norm = normaliseImei(raw);
  if (norm === null) throw new Error('empty IMEI in a test');
  return norm;
}

/** One daily row per date for one (operator, IMEI, IMSI, MSISDN). */
export function seen(
  operator: string,
  rawImei: string,
  imsi: string | null,
  msisdn: string | null,
  dates: readonly IsoDate[],
  ratMask?: number,
): DailyRow[] {
  return dates.map((date) => ({ operator, date, imei: rawImei, imsi, msisdn, ratMask: ratMask ?? null }));
}

export function datasetOf(rows: readonly DailyRow[], parts: Partial<Dataset> = {}): Dataset {
  return createDataset({ config: REGION, ...aggregateDailyRows(rows), ...parts });
}

export function context(
  analysisEnd: IsoDate,
  switches: Partial<Semantics> & { now?: Date } = {},
): EvaluationContext {
  return evaluationContext({
    analysisEnd,
    now: switches.now ?? new Date(`${analysisEnd}T12:00:00Z`),
    ...switches,
  });
}

/** The dates from `from` for `count` days. */
export function days(from: IsoDate, count: number): IsoDate[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}
