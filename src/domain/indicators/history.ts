import { coveredThroughout, monthsOf, type CoverageGrid } from '../cases/coverage.ts';
import type { Period } from './compile.ts';
import { COUNTY } from './evaluate.ts';

/**
 * Which of the earlier periods an indicator may be compared with (issue 17 rule 11): a period
 * counts only when the imported data covers every month of it — for a township in that township,
 * for the county in every township. A year the data does not cover is left out of the
 * three-year base and gives no year-on-year figure; it is never read as zero cases.
 *
 * Returns, per region (the county and each township of the grid), one flag per period of `earlier`.
 */
export function comparableYears(grid: CoverageGrid, earlier: readonly Period[]): Map<string, boolean[]> {
  const months = earlier.map(monthsOf);
  const byTownship = new Map(grid.townships.map((t) => [t, months.map((m) => coveredThroughout(grid, t, m))] as const));
  const county = months.map((_, k) => grid.townships.length > 0 && grid.townships.every((t) => byTownship.get(t)![k]));
  return new Map([[COUNTY, county], ...byTownship]);
}
