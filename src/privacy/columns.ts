/**
 * Every column outside the ledger that holds personal data sealed at rest (src/privacy/seal.ts), with
 * the field name its values are sealed under (the associated data) and the form:
 *
 * - `seal`: randomised, for contacts read only to be shown or sent to;
 * - `equal`: deterministic, for identifiers the database groups, counts or joins on. The IMSI and MSISDN
 *   share one field name each wherever they are stored, so a sighting's sealed IMSI can be copied into
 *   an alert, and compared with it, without being opened.
 *
 * Parts seal on write and open on read with these field names; `openceir privacy reseal` walks this
 * list to seal values written before sealing was turned on, and to move values to a new key.
 */
export type SealForm = 'seal' | 'equal';

export interface SealedColumn {
  readonly column: string;
  readonly field: string;
  readonly form: SealForm;
}

export interface SealedTable {
  readonly table: string;
  /** The primary key column, to update row by row. */
  readonly key: string;
  readonly columns: readonly SealedColumn[];
}

export const IMSI_FIELD = 'imsi';
export const MSISDN_FIELD = 'msisdn';

const sealed = (table: string, column: string): SealedColumn => ({
  column,
  field: `${table}.${column}`,
  form: 'seal',
});
const equal = (column: string, field: string): SealedColumn => ({ column, field, form: 'equal' });

export const SEALED_TABLES: readonly SealedTable[] = [
  {
    table: 'case_report',
    key: 'id',
    columns: [
      sealed('case_report', 'reporter_name'),
      sealed('case_report', 'reporter_phone'),
      sealed('case_report', 'reporter_email'),
      sealed('case_report', 'last_msisdn'),
    ],
  },
  { table: 'verification_code', key: 'case_id', columns: [sealed('verification_code', 'phone')] },
  {
    table: 'appeal',
    key: 'id',
    columns: [
      sealed('appeal', 'appellant_name'),
      sealed('appeal', 'appellant_phone'),
      sealed('appeal', 'appellant_email'),
    ],
  },
  { table: 'outbox', key: 'id', columns: [sealed('outbox', 'to')] },
  { table: 'sighting', key: 'id', columns: [equal('imsi', IMSI_FIELD), equal('msisdn', MSISDN_FIELD)] },
  { table: 'alert', key: 'id', columns: [equal('imsi', IMSI_FIELD), equal('msisdn', MSISDN_FIELD)] },
];

/** The field name a column's values are sealed under. */
export function fieldOf(table: string, column: string): string {
  const found = SEALED_TABLES.find((t) => t.table === table)?.columns.find((c) => c.column === column);
  if (!found) throw new Error(`${table}.${column} is not a sealed column (src/privacy/columns.ts)`);
  return found.field;
}
