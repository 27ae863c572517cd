/**
 * The ledger state at chosen positions, for list files. A position is a tree size N (entries 0 to
 * N−1) at which the registry signed a tree head; the state is the fold of those entries, evaluated
 * at the time of the first head signed at that size, so the files of a position never change
 * (expiry included) however late they are written. One pass over the entries serves every position.
 */
import { sql } from 'drizzle-orm';
import { emptyState, fold, type RegistryState } from '../../ledger/fold.ts';
import { type Ledger, rowToHead } from '../../ledger/ledger.ts';
import type { TreeHead } from '../../ledger/signing.ts';
import { query } from '../../store/index.ts';
import { type ExceptionsScope, type Lists, listsOf } from './lists.ts';

/** Entries read per query while folding. */
const PAGE = 10_000;

export class PositionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'PositionError';
  }
}

export interface Position {
  readonly size: number;
  readonly head: TreeHead;
  /** ISO time the lists are evaluated at (expiry): the head's timestamp. */
  readonly asOf: string;
}

/** The first signed head of exactly `size` entries, or a PositionError naming the nearest ones. */
export async function positionAt(ledger: Ledger, size: number, field: string): Promise<Position> {
  if (!Number.isSafeInteger(size) || size < 0)
    throw new PositionError(field, `a position is a tree size, a whole number ≥ 0 (got ${size})`);
  const [row] = await query(
    ledger.db,
    sql`select * from ledger_head where size = ${size} order by id limit 1`,
  );
  if (!row) {
    const current = await ledger.size();
    if (size > current)
      throw new PositionError(field, `position ${size} is beyond the ledger's size ${current}`);
    const near = await query(
      ledger.db,
      sql`(select size from ledger_head where size < ${size} order by size desc limit 1)
          union all (select size from ledger_head where size > ${size} order by size limit 1)`,
    );
    throw new PositionError(
      field,
      `no signed tree head at position ${size}; signed positions nearby: ${near.map((r) => Number(r.size)).join(', ') || 'none'}`,
    );
  }
  const head = rowToHead(row);
  return { size, head, asOf: new Date(head.timestampMs).toISOString() };
}

/** The current signed head as a position. */
export async function currentPosition(ledger: Ledger): Promise<Position> {
  return positionAt(ledger, (await ledger.head()).size, 'position');
}

/**
 * One operator's lists at each of `positions` (in increasing size), from one pass over the
 * entries. The state is copied at no point: each position's lists are taken as the fold passes it.
 */
export async function listsAt(
  ledger: Ledger,
  positions: readonly Position[],
  scope: ExceptionsScope,
): Promise<Lists[]> {
  const state: RegistryState = emptyState();
  const out: Lists[] = [];
  let done = 0;
  for (const position of positions) {
    if (position.size < done) throw new RangeError('positions must be in increasing order');
    while (done < position.size) {
      const entries = await ledger.entries(done, Math.min(PAGE, position.size - done));
      if (entries.length === 0 || entries[0]!.seq !== done)
        throw new Error(`ledger entry ${done} is missing: run openceir ledger verify`);
      fold(entries, state);
      done += entries.length;
    }
    out.push(listsOf(state, scope, position.asOf));
  }
  return out;
}
