/**
 * GSMA Reporting Body Identifiers: the first two digits of every TAC name the body that allocated it.
 * Source: GSMA TS.06 v25.0 (2024) as summarised in https://en.wikipedia.org/wiki/Reporting_Body_Identifier.
 */
import { asText, type Brand, fail, ok, type ParseResult, quote } from './result.ts';

export type Rbi = Brand<string, 'Rbi'>;

/** `active`: allocates TACs today; `test`: reserved for test IMEIs; `retired`: no new allocations. */
export type RbiStatus = 'active' | 'test' | 'retired' | 'reserved' | 'unassigned';

export interface ReportingBody {
  readonly code: Rbi;
  readonly name: string;
  readonly status: RbiStatus;
}

const TEST_NAME = 'Test IMEI range';

const KNOWN: Readonly<Record<string, { name: string; status: RbiStatus }>> = {
  '00': { name: TEST_NAME, status: 'test' },
  '01': { name: 'CTIA / PTCRB (United States)', status: 'active' },
  '10': { name: 'DECT', status: 'retired' },
  '30': { name: 'Iridium', status: 'retired' },
  '33': { name: 'DGPT (France)', status: 'retired' },
  '35': { name: 'TÜV SÜD / BABT (United Kingdom)', status: 'active' },
  '44': { name: 'BABT (United Kingdom)', status: 'retired' },
  '45': { name: 'NTA (Denmark)', status: 'retired' },
  '49': { name: 'BZT / BAPT (Germany)', status: 'retired' },
  '50': { name: 'BZT ETS (Germany)', status: 'retired' },
  '51': { name: 'Cetecom ICT (Germany)', status: 'retired' },
  '52': { name: 'Cetecom (Germany)', status: 'retired' },
  '53': { name: 'TÜV (Germany)', status: 'retired' },
  '54': { name: 'Phoenix Test Lab (Germany)', status: 'retired' },
  '86': { name: 'TAF (China)', status: 'active' },
  '91': { name: 'MSAI (India)', status: 'retired' },
  '98': { name: 'Reserved (historic allocations in 98000100–98007800)', status: 'reserved' },
  '99': { name: 'GHA (multi-RAT 3GPP2/3GPP)', status: 'active' },
};

export function parseRbi(input: unknown): ParseResult<Rbi> {
  const text = asText(input, 'a reporting body identifier');
  if (!text.ok) return text;
  const value = text.value.trim();
  if (!/^[0-9]{2}$/.test(value)) {
    return fail('RBI_FORMAT', `a reporting body identifier is exactly 2 decimal digits, got ${quote(value)}`);
  }
  return ok(value as Rbi);
}

export function formatRbi(rbi: Rbi): string {
  return rbi;
}

/** What is known about the body behind an RBI; RBIs 02–09 are test ranges like 00. */
export function reportingBody(rbi: Rbi): ReportingBody {
  const known = KNOWN[rbi];
  if (known) return { code: rbi, ...known };
  if (rbi >= '02' && rbi <= '09') return { code: rbi, name: TEST_NAME, status: 'test' };
  return { code: rbi, name: 'Not assigned to a reporting body', status: 'unassigned' };
}

/** Every RBI with a known body, for the catalogue and the TAC database screens. */
export function knownReportingBodies(): ReportingBody[] {
  const all: ReportingBody[] = [];
  for (let n = 0; n < 100; n++) {
    const body = reportingBody(String(n).padStart(2, '0') as Rbi);
    if (body.status !== 'unassigned') all.push(body);
  }
  return all;
}
