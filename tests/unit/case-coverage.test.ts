import { describe, expect, it } from 'vitest';
import { cellsWith, CoverageTally, coverageGrid, monthsBetween, monthsOf, type ImportedRange } from '../../src/domain/cases/coverage.ts';
import { createWorkCalendar } from '../../src/domain/loop/working-days.ts';
import { comparableYears } from '../../src/domain/indicators/history.ts';

const { isWorkingDay } = createWorkCalendar();
const A = 'town-a';
const B = 'town-b';
const C = 'town-c';

describe('case-data coverage per month and township (issue 17 rule 10)', () => {
  it('when an import is tallied, then it knows its first and last filing date and its rows per township', () => {
    const tally = new CoverageTally();
    for (const [t, d] of [[A, '2024-03-05'], [B, '2024-01-02'], [A, '2024-02-29'], [A, '2024-06-28']] as const) tally.add(t, d);
    expect({ first: tally.first, last: tally.last, rows: Object.fromEntries(tally.rows) }).toEqual({ first: '2024-01-02', last: '2024-06-28', rows: { [A]: 3, [B]: 1 } });
  });

  it('when months are listed, then they run across a year end and a period gives its own months', () => {
    expect(monthsBetween('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsBetween('2025-02', '2024-11')).toEqual([]);
    expect(monthsOf({ start: '2025-01-01', end: '2025-06-30' })).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']);
    expect(() => monthsBetween('2025-13', '2025-12')).toThrow(RangeError);
  });

  it('when two imports with known spans and townships are laid on the grid, then each cell is covered, partial or none exactly', () => {
    const imports: ImportedRange[] = [
      // 2 January 2024 is the first working day after New Year: January is covered all the same.
      { first: '2024-01-02', last: '2024-03-29', rows: { [A]: 120, [B]: 40 } },
      // Stops on Wednesday 15 May: May only in part.
      { first: '2024-03-01', last: '2024-05-15', rows: { [B]: 30, [C]: 12 } },
    ];
    const grid = coverageGrid(imports, [A, B, C], monthsBetween('2023-12', '2024-06'), isWorkingDay);
    expect(grid).toEqual({
      months: ['2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'],
      townships: [A, B, C],
      status: [
        ['none', 'covered', 'covered', 'covered', 'none', 'none', 'none'],
        ['none', 'covered', 'covered', 'covered', 'covered', 'partial', 'none'],
        ['none', 'none', 'none', 'covered', 'covered', 'partial', 'none'],
      ],
    });
    expect(cellsWith(grid, 'partial')).toEqual([
      { township: B, months: ['2024-05'] },
      { township: C, months: ['2024-05'] },
    ]);
    expect(cellsWith(grid, 'none')[0]).toEqual({ township: A, months: ['2023-12', '2024-04', '2024-05', '2024-06'] });
  });

  it('when an export ends on the last working day before a weekend that closes the month, then the month is covered; a case filed on a weekend makes a month partial, never none', () => {
    // 28 June 2024 is a Friday; 29 and 30 June are a weekend.
    expect(coverageGrid([{ first: '2024-06-03', last: '2024-06-28', rows: { [A]: 9 } }], [A], ['2024-06'], isWorkingDay).status).toEqual([['covered']]);
    // 1 June 2024 is a Saturday: one case then, nothing after.
    expect(coverageGrid([{ first: '2024-05-06', last: '2024-06-01', rows: { [A]: 9 } }], [A], ['2024-05', '2024-06'], isWorkingDay).status).toEqual([['covered', 'partial']]);
  });

  it('when two imports each cover half of a month, then together they cover it', () => {
    const halves: ImportedRange[] = [
      { first: '2024-04-01', last: '2024-04-15', rows: { [A]: 5 } },
      { first: '2024-04-16', last: '2024-04-30', rows: { [A]: 5 } },
    ];
    expect(coverageGrid(halves, [A], ['2024-04'], isWorkingDay).status).toEqual([['covered']]);
  });
});

describe('comparable years (issue 17 rule 11)', () => {
  const periods = [
    { start: '2024-01-01', end: '2024-06-30' },
    { start: '2023-01-01', end: '2023-06-30' },
    { start: '2022-01-01', end: '2022-06-30' },
  ];

  it('when last year is covered everywhere, the year before only for one township and the third year not at all, then the county compares with last year only', () => {
    const imports: ImportedRange[] = [
      { first: '2024-01-02', last: '2024-06-28', rows: { [A]: 50, [B]: 20 } },
      { first: '2023-01-03', last: '2023-06-30', rows: { [A]: 40 } },
    ];
    const grid = coverageGrid(imports, [A, B], monthsBetween('2022-01', '2024-06'), isWorkingDay);
    expect(Object.fromEntries(comparableYears(grid, periods))).toEqual({
      county: [true, false, false],
      [A]: [true, true, false],
      [B]: [true, false, false],
    });
  });

  it('when one month of last year is only partly imported, then last year is not comparable', () => {
    const grid = coverageGrid([{ first: '2024-01-02', last: '2024-06-14', rows: { [A]: 50 } }], [A], monthsBetween('2022-01', '2024-06'), isWorkingDay);
    expect(comparableYears(grid, periods).get('county')).toEqual([false, false, false]);
  });
});
