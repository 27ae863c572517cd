import { describe, expect, it } from 'vitest';
import { checkOperatorFileName, parseCompactDate, stem } from './filename.ts';

const TODAY = '2025-03-10';

describe('operator file name (dirbs-compat.md §2.2)', () => {
  it.each([
    ['acme_20250101_20250131.zip', 'acme', '2025-01-01', '2025-01-31'],
    ['Acme Mobile_North_20250101_20250131.zip', 'Acme Mobile_North', '2025-01-01', '2025-01-31'],
    ['op 1__x_20240229_20240301.csv', 'op 1__x', '2024-02-29', '2024-03-01'],
    ['dir/sub/acme_20250310_20250310.csv', 'acme', '2025-03-10', '2025-03-10'],
  ])('%s', (file, prefix, start, end) => {
    expect(checkOperatorFileName(file, TODAY)).toEqual({ ok: true, name: { prefix, start, end } });
  });

  it.each([
    ['acme_20250101.zip'],
    ['acme_2025011_20250131.zip'],
    ['acme_20250230_20250301.zip'],
    ['acme_20230229_20230301.zip'],
    ['acme_20251301_20251302.zip'],
    ['acme_2025-01-01_20250131.zip'],
    ['_20250101_20250131.zip'],
    ['acme_20250101_20250131_x.zip'],
  ])('refuses %s with the DIRBS format message', (file) => {
    const result = checkOperatorFileName(file, TODAY);
    expect(result).toEqual({
      ok: false,
      message: `Invalid filename - must be in format <operator_id>_<YYYYMMDD>_<YYYYMMDD>.zip instead received ${file}`,
    });
  });

  it('refuses an end date before the start date', () => {
    expect(checkOperatorFileName('acme_20250131_20250101.zip', TODAY)).toEqual({
      ok: false,
      message: 'Invalid filename - start date later than end date in filename acme_20250131_20250101.zip',
    });
  });

  it('refuses a start date in the future, accepts today', () => {
    expect(checkOperatorFileName('acme_20250311_20250312.zip', TODAY)).toEqual({
      ok: false,
      message: 'Invalid filename - start date in the future in filename acme_20250311_20250312.zip',
    });
    expect(checkOperatorFileName('acme_20250310_20250312.zip', TODAY).ok).toBe(true);
  });

  it('parses compact dates on the calendar only', () => {
    expect(parseCompactDate('20000229')).toBe('2000-02-29');
    expect(parseCompactDate('21000229')).toBeNull();
    expect(parseCompactDate('20250431')).toBeNull();
    expect(parseCompactDate('20250100')).toBeNull();
    expect(parseCompactDate('2025010')).toBeNull();
  });

  it('takes the stem of a path', () => {
    expect(stem('a/b/x_1.csv')).toBe('x_1');
    expect(stem('x.y.zip')).toBe('x.y');
  });
});
