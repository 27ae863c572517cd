/**
 * Small-cell suppression for published statistics, so that no person can be singled out (Res. 97 asks
 * for figures; privacy law asks that they be anonymous). Pure. One table is a set of cells and the
 * total they add up to; the rule (docs/statistics.md, "Open data"):
 *
 * 1. Primary: a cell or total below k (and above 0) is withheld.
 * 2. Complementary: while a published total leaves exactly one withheld cell, or withheld cells that
 *    add up to less than k, the smallest published cell is withheld too. Then `total − published
 *    cells` gives only the sum of two or more withheld cells, itself at least k: no single withheld
 *    cell can be recovered from the total.
 *
 * A total below k is withheld; its cells are then all below k (each is part of it) and withheld too.
 * When no published cell is left to withhold and the withheld ones still fail rule 2, the total is
 * withheld instead.
 */

export interface Cell {
  readonly key: string;
  readonly value: number;
}

export interface PublishedCell {
  readonly key: string;
  /** null when withheld. */
  readonly value: number | null;
  readonly suppressed: boolean;
}

export interface PublishedTable {
  readonly cells: readonly PublishedCell[];
  readonly total: { readonly value: number | null; readonly suppressed: boolean };
}

/** Applies primary and complementary suppression to one table with threshold `k` (≥ 1). */
export function suppressTable(cells: readonly Cell[], total: number, k: number): PublishedTable {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`min_cell must be an integer ≥ 1, got ${k}`);
  const small = (v: number) => v > 0 && v < k;
  const withheld = new Set<number>();
  cells.forEach((c, i) => {
    if (small(c.value)) withheld.add(i);
  });
  let totalWithheld = small(total);
  if (!totalWithheld) {
    // Bounded: every pass withholds one more cell, and there are cells.length of them.
    for (let pass = 0; pass < cells.length; pass++) {
      let sum = 0;
      for (const i of withheld) sum += cells[i]!.value;
      if (withheld.size === 0 || (withheld.size >= 2 && sum >= k)) break;
      let next = -1;
      cells.forEach((c, i) => {
        if (withheld.has(i) || c.value === 0) return;
        if (next < 0 || c.value < cells[next]!.value) next = i;
      });
      if (next < 0) break;
      withheld.add(next);
    }
    // No cell left to pair a lone or small withheld cell with: withhold the total instead.
    let sum = 0;
    for (const i of withheld) sum += cells[i]!.value;
    if (withheld.size > 0 && (withheld.size === 1 || sum < k)) totalWithheld = true;
  }
  return {
    cells: cells.map((c, i) =>
      withheld.has(i)
        ? { key: c.key, value: null, suppressed: true }
        : { key: c.key, value: c.value, suppressed: false },
    ),
    total: totalWithheld ? { value: null, suppressed: true } : { value: total, suppressed: false },
  };
}
