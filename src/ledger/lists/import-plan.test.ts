/**
 * The pure validation flow every list import shares (ledger lists and analytics' subscribers and
 * association lists): collecting items with the conflicting-rows and multiple-changes checks,
 * planning against the current list with each delta check on or off, and the DIRBS size check floor.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '../../files/read.ts';
import type { Item, RowResult } from './formats.ts';
import {
  collectItems,
  deltaChecksOf,
  type FileItem,
  planChanges,
  type RowError,
  sizeCheckFloor,
} from './import.ts';

async function* rowsOf(lines: Record<string, string>[]): AsyncIterable<Row> {
  let line = 1;
  for (const fields of lines) yield { line: ++line, fields };
}

/** key column `k`, metadata column `m`. */
const parse = (fields: Readonly<Record<string, string>>): RowResult =>
  fields.k
    ? { item: { key: fields.k, meta: { m: fields.m ?? null } } }
    : { problems: [{ field: 'k', message: 'is empty' }] };

function collector() {
  const errors: RowError[] = [];
  return {
    errors,
    fail: (line: number, field: string, message: string) => errors.push({ line, field, message }),
  };
}

describe('collectItems', () => {
  it('collapses exact duplicates and reports conflicting rows and bad rows', async () => {
    const { errors, fail } = collector();
    const { items, rows } = await collectItems(
      rowsOf([{ k: 'a', m: '1' }, { k: 'a', m: '1' }, { k: 'a', m: '2' }, { k: '' }, { k: 'b' }]),
      { mode: 'full', changes: ['add', 'remove'], keyField: 'k', parse },
      fail,
    );
    expect(rows).toBe(5);
    expect([...items.keys()]).toEqual(['a', 'b']);
    expect(errors).toEqual([
      { line: 4, field: 'k', message: 'conflicts with line 2: same entry, different m' },
      { line: 5, field: 'k', message: 'is empty' },
    ]);
  });

  it('in a delta file: one change per key, and only the change types the list takes', async () => {
    const { errors, fail } = collector();
    await collectItems(
      rowsOf([
        { k: 'a', change_type: 'ADD' },
        { k: 'a', change_type: 'remove' },
        { k: 'b', change_type: 'update' },
      ]),
      { mode: 'delta', changes: ['add', 'remove'], keyField: 'k', parse },
      fail,
    );
    expect(errors).toEqual([
      {
        line: 3,
        field: 'change_type',
        message: 'the same entry has change add on line 2: one change per entry',
      },
      { line: 4, field: 'change_type', message: 'must be add or remove' },
    ]);
  });
});

describe('planChanges', () => {
  const item = (key: string, m: string | null = null): Item => ({ key, meta: { m } });
  const current = new Map([
    ['a', item('a')],
    ['b', item('b', 'x')],
  ]);
  const file = (entries: [string, FileItem['change'], string | null][]) =>
    new Map(entries.map(([key, change, m], i) => [key, { item: item(key, m), line: i + 2, change }]));

  it('a full file: adds, metadata updates, removes of what it no longer holds', () => {
    const { errors, fail } = collector();
    const plan = planChanges(
      file([
        ['b', 'add', 'y'],
        ['c', 'add', null],
      ]),
      current,
      { mode: 'full', list: 'test', keyField: 'k', deltaChecks: deltaChecksOf(true) },
      fail,
    );
    expect(plan.adds.map((i) => i.key)).toEqual(['c']);
    expect(plan.updates.map((i) => i.key)).toEqual(['b']);
    expect(plan.removes.map((i) => i.key)).toEqual(['a']);
    expect(errors).toEqual([]);
  });

  it('a delta file: each delta check reports its rows, and each can be switched off alone', () => {
    const delta = file([
      ['a', 'add', null],
      ['z', 'remove', null],
      ['y', 'update', null],
      ['c', 'add', null],
    ]);
    const run = (checks: Parameters<typeof deltaChecksOf>[0]) => {
      const { errors, fail } = collector();
      const plan = planChanges(
        delta,
        current,
        { mode: 'delta', list: 'test', keyField: 'k', deltaChecks: deltaChecksOf(checks) },
        fail,
      );
      return { plan, lines: errors.map((e) => `${e.line} ${e.message}`) };
    };
    expect(run(undefined).lines).toEqual([
      '2 a is already on the test list (add)',
      '3 z is not on the test list (remove)',
      '4 y is not on the test list (update)',
    ]);
    expect(run({ adds: false }).lines).toEqual([
      '3 z is not on the test list (remove)',
      '4 y is not on the test list (update)',
    ]);
    expect(run({ removes: false }).lines).toEqual([
      '2 a is already on the test list (add)',
      '4 y is not on the test list (update)',
    ]);
    expect(run({ updates: false }).lines).toEqual([
      '2 a is already on the test list (add)',
      '3 z is not on the test list (remove)',
    ]);
    const off = run(false);
    expect(off.lines).toEqual([]);
    expect(off.plan).toMatchObject({ unchanged: 1, removes: [], updates: [] });
    expect(off.plan.adds.map((i) => i.key)).toEqual(['c']);
  });
});

describe('sizeCheckFloor', () => {
  it('is max(1, current − absolute, ⌈percent × current⌉), absolute −1 and percent 0 switching their rule off', () => {
    expect(sizeCheckFloor(0, { absolute: 1000, percent: 0.95 })).toBeNull();
    expect(sizeCheckFloor(10, { absolute: 1000, percent: 0.95 })).toBe(10);
    expect(sizeCheckFloor(100_000, { absolute: 1000, percent: 0.95 })).toBe(99_000);
    expect(sizeCheckFloor(4, { absolute: -1, percent: 0.75 })).toBe(3);
    expect(sizeCheckFloor(500, { absolute: 100, percent: 0 })).toBe(400);
    expect(sizeCheckFloor(50, { absolute: 100, percent: 0 })).toBe(1);
  });
});
