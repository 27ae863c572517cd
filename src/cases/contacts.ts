/**
 * The cases part's personal contacts, sealed at rest (src/privacy/seal.ts, docs/security.md Privacy):
 * the field name each column's values are sealed under (src/privacy/columns.ts). Every write seals with
 * the randomised form; every read that shows or sends a contact opens it. A value written before
 * sealing was turned on reads as it is.
 */
import { fieldOf } from '../privacy/columns.ts';

export const REPORTER_NAME = fieldOf('case_report', 'reporter_name');
export const REPORTER_PHONE = fieldOf('case_report', 'reporter_phone');
export const REPORTER_EMAIL = fieldOf('case_report', 'reporter_email');
export const LAST_MSISDN = fieldOf('case_report', 'last_msisdn');
export const CODE_PHONE = fieldOf('verification_code', 'phone');
export const APPELLANT_NAME = fieldOf('appeal', 'appellant_name');
export const APPELLANT_PHONE = fieldOf('appeal', 'appellant_phone');
export const APPELLANT_EMAIL = fieldOf('appeal', 'appellant_email');
export const OUTBOX_TO = fieldOf('outbox', 'to');
