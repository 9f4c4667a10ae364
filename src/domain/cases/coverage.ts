/**
 * Which months of which townships the imported case data covers (issue 17 rule 10): the
 * difference between "no case was filed" and "no data was imported", which every count, every
 * year-on-year change and every three-year base depends on. Pure: import records in, a month ×
 * township grid out.
 *
 * Each case-data import is recorded with the first and last 立案日期 among its rows and its rows
 * per township. An import covers, for each township it carries rows of, every day from its first
 * to its last filing date: inside that span a township without a case in some month really had
 * none. A month is
 * - `covered` when the imports carrying the township span every working day of it (cases are
 *   filed on working days: an export that starts on 2 January after the New Year holiday still
 *   covers January),
 * - `partial` when they span some of its days only (an export that stops on the 15th),
 * - `none` when no import carrying the township reaches into it.
 */

export type CoverageStatus = 'covered' | 'partial' | 'none';

/** One case-data import as coverage sees it. Dates are `YYYY-MM-DD`. */
export interface ImportedRange {
  first: string;
  last: string;
  /** Rows per township id (only townships with rows). */
  rows: Readonly<Record<string, number>>;
}

/** Months (`YYYY-MM`) × townships: `status[t][m]` is township `townships[t]` in month `months[m]`. */
export interface CoverageGrid {
  months: string[];
  townships: string[];
  status: CoverageStatus[][];
}

/**
 * Counts an import's rows as they stream: the first and last filing date and the rows per
 * township, so the import records its own coverage without reading its rows back.
 */
export class CoverageTally {
  first: string | null = null;
  last: string | null = null;
  readonly rows = new Map<string, number>();

  add(township: string, filingDate: string): void {
    if (this.first === null || filingDate < this.first) this.first = filingDate;
    if (this.last === null || filingDate > this.last) this.last = filingDate;
    this.rows.set(township, (this.rows.get(township) ?? 0) + 1);
  }
}

const MONTH = /^(\d{4})-(\d{2})$/;

/** Every month from `from` to `to` (`YYYY-MM`, both included); empty when `to` is before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  const [fy, fm] = parseMonth(from);
  const [ty, tm] = parseMonth(to);
  const months: string[] = [];
  for (let i = fy * 12 + fm - 1; i <= ty * 12 + tm - 1; i++) months.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  return months;
}

function parseMonth(month: string): [number, number] {
  const m = MONTH.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`not a month: ${month}`);
  return [Number(m[1]), Number(m[2])];
}

/** The months a period of dates (`YYYY-MM-DD`) touches. */
export const monthsOf = (period: { start: string; end: string }): string[] => monthsBetween(period.start.slice(0, 7), period.end.slice(0, 7));

/** The days of a month, `YYYY-MM-DD`. */
function daysOf(month: string): string[] {
  const [y, m] = parseMonth(month);
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** A month's days, and the days that must be covered for it to count: its working days (all days if it has none). */
interface MonthDays {
  days: string[];
  required: string[];
}

function monthDays(month: string, isWorkingDay: (date: string) => boolean): MonthDays {
  const days = daysOf(month);
  const workingDays = days.filter(isWorkingDay);
  return { days, required: workingDays.length > 0 ? workingDays : days };
}

/** The status of a month for one township, given the spans of the imports that carry it. */
function monthStatus(month: MonthDays, spans: readonly ImportedRange[]): CoverageStatus {
  const inSpan = (day: string) => spans.some((s) => s.first <= day && day <= s.last);
  if (!month.days.some(inSpan)) return 'none';
  return month.required.every(inSpan) ? 'covered' : 'partial';
}

export function coverageGrid(imports: readonly ImportedRange[], townships: readonly string[], months: readonly string[], isWorkingDay: (date: string) => boolean): CoverageGrid {
  // The calendar once per month, not once per township (a grid is two dozen townships by dozens of months).
  const calendarMonths = months.map((m) => monthDays(m, isWorkingDay));
  return {
    months: [...months],
    townships: [...townships],
    status: townships.map((t) => {
      const spans = imports.filter((i) => (i.rows[t] ?? 0) > 0);
      return calendarMonths.map((m) => monthStatus(m, spans));
    }),
  };
}

/** True when the grid shows every one of `months` covered for `township` (a month outside the grid is not). */
export function coveredThroughout(grid: CoverageGrid, township: string, months: readonly string[]): boolean {
  const row = grid.status[grid.townships.indexOf(township)];
  return row !== undefined && months.every((m) => row[grid.months.indexOf(m)] === 'covered');
}

/** The cells of one status, per township in grid order, with their months: where the data has gaps. */
export function cellsWith(grid: CoverageGrid, status: Exclude<CoverageStatus, 'covered'>): { township: string; months: string[] }[] {
  return grid.townships
    .map((township, t) => ({ township, months: grid.months.filter((_, m) => grid.status[t]![m] === status) }))
    .filter((g) => g.months.length > 0);
}
