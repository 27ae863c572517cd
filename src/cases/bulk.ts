/**
 * Bulk entry by police and operators: a CSV of reports (one row per device, up to four IMEIs), or a
 * CSV of recoveries. Rows are applied one by one, each in its own transaction: a bad row is reported
 * with its line and field and never stops or undoes the good ones. Running the same file again
 * changes nothing (an open case for the device is returned, a recovered case stays recovered), so an
 * interrupted upload is simply sent again.
 */
import { parse } from 'csv-parse/sync';
import type { CaseActor, Cases } from './cases.ts';
import { CaseNotFoundError, CasesInputError } from './cases.ts';
import { CaseTransitionError } from './model.ts';

export const REPORT_COLUMNS = [
  'imei',
  'imei2',
  'imei3',
  'imei4',
  'kind',
  'mode',
  'brand',
  'model',
  'incident_at',
  'incident_place',
  'region',
  'police_report_number',
  'reporter_name',
  'reporter_phone',
  'reporter_email',
  'last_msisdn',
] as const;

export const MAX_BULK_ROWS = 10_000;

export interface BulkRowResult {
  readonly line: number;
  readonly reference?: string;
  readonly outcome: 'opened' | 'existing' | 'recovered' | 'unblocked' | 'unchanged' | 'refused';
  readonly problems?: readonly { param: string; reason: string }[];
}

export interface BulkReport {
  readonly rows: number;
  readonly applied: number;
  readonly refused: number;
  readonly results: readonly BulkRowResult[];
}

function rowsOf(
  text: string,
  required: readonly string[],
): { line: number; fields: Record<string, string> }[] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw new CasesInputError(
      [{ param: 'file', reason: `is not valid CSV: ${(error as Error).message}` }],
      'BAD_FILE',
    );
  }
  const [head, ...data] = records;
  if (!head)
    throw new CasesInputError([{ param: 'file', reason: 'is empty: a header line comes first' }], 'BAD_FILE');
  const header = head.map((h) => h.toLowerCase());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new CasesInputError(
      [{ param: 'file', reason: `the header lacks ${missing.join(', ')}` }],
      'BAD_FILE',
    );
  if (data.length > MAX_BULK_ROWS)
    throw new CasesInputError(
      [{ param: 'file', reason: `at most ${MAX_BULK_ROWS} rows per file` }],
      'BAD_FILE',
    );
  return data.map((record, i) => ({
    line: i + 2,
    fields: Object.fromEntries(header.map((name, j) => [name, record[j] ?? ''])),
  }));
}

const refused = (line: number, error: unknown): BulkRowResult => {
  if (error instanceof CasesInputError) return { line, outcome: 'refused', problems: error.problems };
  if (error instanceof CaseTransitionError || error instanceof CaseNotFoundError)
    return { line, outcome: 'refused', problems: [{ param: 'reference', reason: error.message }] };
  throw error;
};

function summary(results: BulkRowResult[]): BulkReport {
  const bad = results.filter((r) => r.outcome === 'refused').length;
  return { rows: results.length, applied: results.length - bad, refused: bad, results };
}

/** Opens a case per row (verified by the uploader, so it takes effect at once). */
export async function importReports(cases: Cases, text: string, actor: CaseActor): Promise<BulkReport> {
  const results: BulkRowResult[] = [];
  for (const { line, fields } of rowsOf(text, ['imei', 'kind'])) {
    try {
      const { record, existing } = await cases.report(
        {
          imeis: [fields.imei, fields.imei2, fields.imei3, fields.imei4].filter((v): v is string =>
            Boolean(v),
          ),
          kind: fields.kind ?? '',
          mode: fields.mode || undefined,
          brand: fields.brand,
          model: fields.model,
          incidentAt: fields.incident_at,
          incidentPlace: fields.incident_place,
          region: fields.region,
          policeReportNumber: fields.police_report_number,
          reporterName: fields.reporter_name,
          reporterPhone: fields.reporter_phone,
          reporterEmail: fields.reporter_email,
          lastMsisdn: fields.last_msisdn,
        },
        actor,
        'bulk',
      );
      results.push({ line, reference: record.reference, outcome: existing ? 'existing' : 'opened' });
    } catch (error) {
      results.push(refused(line, error));
    }
  }
  return summary(results);
}

/**
 * Marks cases recovered, by `reference` or by `imei` (its open case); `unblock` = yes also lifts the
 * block at once (the device is back with its owner).
 */
export async function importRecoveries(cases: Cases, text: string, actor: CaseActor): Promise<BulkReport> {
  const results: BulkRowResult[] = [];
  for (const { line, fields } of rowsOf(text, [])) {
    try {
      let record = fields.reference ? await cases.get(fields.reference) : null;
      if (!record && fields.imei) {
        const [found] = await cases.list({ search: fields.imei, state: 'open' });
        record = found ?? null;
      }
      if (!record) {
        results.push({
          line,
          outcome: 'refused',
          problems: [{ param: fields.reference ? 'reference' : 'imei', reason: 'no open case found' }],
        });
        continue;
      }
      const unblock = /^(yes|true|1)$/i.test(fields.unblock ?? '');
      const note = fields.note || 'bulk recovery';
      let state = record.state;
      if (state === 'blocked' || state === 'tracked') {
        state = (await cases.act(record.reference, 'recover', actor, note)).state;
      }
      if (unblock && state === 'recovered') {
        await cases.act(record.reference, 'unblock', actor, note);
        results.push({ line, reference: record.reference, outcome: 'unblocked' });
      } else {
        results.push({
          line,
          reference: record.reference,
          outcome: state === record.state ? 'unchanged' : 'recovered',
        });
      }
    } catch (error) {
      results.push(refused(line, error));
    }
  }
  return summary(results);
}
