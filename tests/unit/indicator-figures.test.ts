import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from '../../src/domain/indicators/catalogue.ts';
import { compileCaseScan } from '../../src/domain/indicators/compile.ts';
import { addFigures, caseScanRows, figureTable, hundredths, storableFigures, tableOfStored } from '../../src/domain/indicators/figures.ts';

const H1_2025 = { start: '2025-01-01', end: '2025-06-30' };
const e3 = defaultCatalogue.find((d) => d.id === 'E3')!;
const d1 = defaultCatalogue.find((d) => d.formula.num.agg === 'sum')!;

describe('case figures (issue 17: the history periods a stored run computed are reused)', () => {
  it('when sums with two decimals are added, then the result is exact, negatives included', () => {
    expect(hundredths('12')).toBe(1200n);
    expect(hundredths('-0.50')).toBe(-50n);
    expect(hundredths('3.5')).toBe(350n);
    expect(hundredths('7.2500')).toBe(725n);
    expect(() => hundredths('1.005')).toThrow(RangeError);
    const sum = addFigures(figureTable([{ township: 't', p0: '0.10' }]), figureTable([{ township: 't', p0: '0.20' }]));
    expect(sum.get('t')!.get('p0')).toBe(30n);
  });

  it('when a scan of one period is compiled, then it reads only that period and names its figures as the scan of all four does', () => {
    const all = compileCaseScan([e3, d1], H1_2025);
    const current = compileCaseScan([e3, d1], H1_2025, { periods: [0] });
    expect(current.figures).toEqual(all.figures);
    const scanned = (sql: string) => [...sql.matchAll(/ AS (p\d+)\b/g)].map((m) => m[1]);
    expect(scanned(current.sql)).toEqual(all.figures.filter((f) => f.k === 0).map((f) => f.column));
    expect(current.sql).not.toContain('2024-');
    // A weighted scan (the rows changed since a run) sums the weight instead of counting rows.
    const changes = compileCaseScan([e3], H1_2025, { periods: [1, 2, 3], weight: 'w' });
    expect(changes.sql).toContain('sum(w) FILTER');
    expect(changes.sql).toContain('sum(w * days) FILTER');
    expect(changes.sql).not.toContain('count(');
    expect(changes.sql).not.toContain("'2025-");
  });

  it('when figures are read, then the county sums its townships, a mean divides days by the rows with days, and stored figures read back the same', () => {
    const scan = compileCaseScan([e3], H1_2025);
    const [rows, days, withDays] = ['rows', 'days', 'rowsWithDays'].map((m) => scan.figures.find((f) => f.k === 0 && f.key.startsWith(`${m} |`))!.column);
    const table = figureTable([
      { township: 'a', [rows!]: '3', [days!]: '30', [withDays!]: '3' },
      { township: 'b', [rows!]: '1', [days!]: '5', [withDays!]: '1' },
    ]);
    const byTownship = new Map(caseScanRows(scan, table).map((r) => [r.township, r]));
    const [e3p0] = scan.columns.get('E3')!;
    expect(byTownship.get('a')![e3p0!.num]).toBe(10);
    expect(byTownship.get(null)![e3p0!.num]).toBe(8.75);
    expect(byTownship.get(null)![e3p0!.numRows]).toBe(4);
    // No row with days: no mean (not zero).
    expect(caseScanRows(scan, figureTable([{ township: 'c', [rows!]: '0' }]))[0]![e3p0!.num]).toBeNull();
    const stored = storableFigures(scan, table, [0, 1, 2, 3]);
    expect(stored[scan.figures.find((f) => f.column === days)!.key]).toEqual({ a: '30.00', b: '5.00' });
    expect(tableOfStored(scan, new Map(Object.entries(stored)))).toEqual(table);
  });
});
