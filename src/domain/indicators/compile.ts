import { monthsOf } from '../cases/coverage.ts';
import type { Aggregate, Filter, FloorRule, IndicatorDefinition } from './definition.ts';
import { isArrayField } from './definition.ts';
import { CURRENT_DATA } from './data-sources.ts';

/**
 * Formulas → SQL. Every enabled indicator's numerator and denominator, for the period and the
 * same period of the three years before, become FILTER aggregates of one statement grouped by
 * township, plus the county row: the county row and the 23 township rows come out together, and
 * no case row ever reaches JavaScript. Values in definitions are admin data, so every literal is
 * quoted here; column names come from the definition schema's enums only.
 */

export interface Period {
  start: string;
  end: string;
}

/** The period and the same period 1, 2 and 3 years earlier (YoY and the three-year base). */
export function comparisonPeriods(period: Period): Period[] {
  const shift = (d: string, years: number) => `${Number(d.slice(0, 4)) - years}${d.slice(4)}`.replace(/-02-29$/, '-02-28');
  return [0, 1, 2, 3].map((y) => ({ start: shift(period.start, y), end: shift(period.end, y) }));
}

const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
const dateLit = (d: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`not a date: ${d}`);
  return `DATE ${quote(d)}`;
};

/** A filter's test; `periodEnd` is the SQL of the period's last day (a literal, or the periods' column in the scan). */
export function filterSql(f: Filter, periodEnd: string): string {
  if ('ageOverDays' in f) return `(${periodEnd} - filing_date) > ${Math.trunc(f.ageOverDays)}`;
  if ('closedWithinDeadline' in f) return `(deadline_date IS NOT NULL AND closing_date <= deadline_date)`;
  if ('is' in f) return f.is ? `${f.field} IS TRUE` : `${f.field} IS NOT TRUE`;
  if ('any' in f) return `${f.field} && ARRAY[${f.any.map(quote).join(', ')}]::text[]`;
  if (isArrayField(f.field)) {
    const values = 'in' in f ? f.in : f.notIn;
    const test = `${f.field} && ARRAY[${values.map(quote).join(', ')}]::text[]`;
    return 'in' in f ? test : `NOT (${test})`;
  }
  if ('in' in f) return `${f.field} IN (${f.in.map(quote).join(', ')})`;
  return `(${f.field} IS NULL OR ${f.field} NOT IN (${f.notIn.map(quote).join(', ')}))`;
}

export function basisSql(basis: Aggregate['basis'], p: Period): string {
  switch (basis) {
    case 'new':
      return `filing_date BETWEEN ${dateLit(p.start)} AND ${dateLit(p.end)}`;
    case 'closed':
      return `closing_date BETWEEN ${dateLit(p.start)} AND ${dateLit(p.end)}`;
    case 'pending':
      return `filing_date <= ${dateLit(p.end)} AND (closing_date IS NULL OR closing_date > ${dateLit(p.end)})`;
    case 'signals':
      throw new RangeError('signals are not case rows');
  }
}

/** The tests an aggregate's rows must pass in one period: its basis, then each filter. */
export const conditionSql = (a: Aggregate, p: Period) => [basisSql(a.basis, p), ...a.filters.map((f) => filterSql(f, dateLit(p.end)))].join(' AND ');

type CaseBasis = Exclude<Aggregate['basis'], 'signals'>;

/** Stands for the period's last day in a filter's SQL until the period is known. */
const PERIOD_END = '$period_end';

/** What a figure adds up over its rows: the rows, a column, the days from filing to closing, or the rows that have such days. */
type Measure = { of: 'rows' } | { of: 'field'; field: string } | { of: 'days' } | { of: 'rowsWithDays' };

const measureName = (m: Measure) => (m.of === 'field' ? `sum:${m.field}` : m.of);

/** The measure's SQL; with a weight column (+1 for a row, −1 for a row taken back) every row counts that many times. */
function measureSql(m: Measure, weight?: string): string {
  switch (m.of) {
    case 'rows':
      return weight ? `sum(${weight})` : 'count(*)';
    case 'field':
      return weight ? `sum(${weight} * ${m.field})` : `sum(${m.field})`;
    case 'days':
      return weight ? `sum(${weight} * days)` : 'sum(days)';
    case 'rowsWithDays':
      return weight ? `sum(CASE WHEN days IS NOT NULL THEN ${weight} END)` : 'count(days)';
  }
}

/**
 * A figure of the scan: one measure over the rows of one aggregate in period k, per township. Its
 * key says what it is in words of SQL (the measure and the rows' full test, dates included), so
 * the same key means the same number in any run over the same rows (figures.ts keeps them).
 */
export interface ScanFigure {
  column: string;
  k: number;
  key: string;
}

/** A value of the indicators from figures: a figure's total (0 when no row), or a mean (days over rows with days). */
export type ScanOutput = { total: string } | { days: string; counted: string };

export interface ScanOptions {
  /** The case rows' relation: case_record, or the rows a past run saw (data-sources.ts). */
  source?: string;
  /** The comparison periods to scan (indexes into comparisonPeriods); the others' figures come from elsewhere. */
  periods?: readonly number[];
  /** A column of the source that weighs each row (data-sources.ts changesSince). */
  weight?: string;
}

/**
 * One scan of the case rows for every aggregate of every period. An aggregate is not repeated per
 * period: each row carries which of the periods it was filed in (kn) and closed in (kc), and
 * at which period ends it was pending (kp, a bit per period), and the rows are grouped by township
 * and those three in parallel workers. An aggregate (its basis, filters and what it sums) is then
 * one FILTER column over the rows — about 45 for the catalogue instead of 180 — whose first test
 * reads the period columns the scan computed once per row (a row of no period of its basis skips
 * the filters); splitting the few hundred groups by period afterwards costs nothing. Only a filter
 * that names the period's end (ageOverDays) makes an aggregate per period. The scan gives the
 * townships' figures; the county's are their sums and the means are divided afterwards (figures.ts),
 * so figures from different scans (another period, the rows changed since a run) add up.
 *
 * PostgreSQL cannot estimate how few groups the period columns make (it multiplies the dates'
 * distinct values) and would sort every row: the caller runs the scan with sorting off (SCAN_SETTINGS).
 */
class ScanBuilder {
  private readonly periods: readonly Period[];
  private readonly conditions = new Map<string, string>();
  private readonly carried = new Set<string>();
  private readonly bases = new Set<CaseBasis>();
  /** Row aggregates of the first grouping: SQL → name, and the conditions each reads. */
  private readonly aggregates = new Map<string, string>();
  private readonly aggregateConditions = new Map<string, string[]>();
  /** Per-township figures of the second grouping (an aggregate in one period): SQL → name. */
  private readonly columns = new Map<string, string>();
  private readonly figureOf = new Map<string, ScanFigure & { aggregate: string; basis: CaseBasis }>();
  readonly outputs = new Map<string, ScanOutput>();

  private readonly weight: string | undefined;

  constructor(periods: readonly Period[], weight?: string) {
    this.weight = weight;
    // A row is filed and closed in one period at most: periods of a year or less, a year apart, never overlap.
    if (periods.some((p, k) => k > 0 && p.end >= periods[k - 1]!.start)) throw new RangeError('a period spans at most one year');
    this.periods = periods;
  }

  private named(map: Map<string, string>, sql: string, prefix: string): string {
    let name = map.get(sql);
    if (!name) map.set(sql, (name = `${prefix}${map.size}`));
    return name;
  }

  private output(name: string, value: ScanOutput): string {
    if (!this.outputs.has(name)) this.outputs.set(name, value);
    return name;
  }

  /** A row of `basis` in period k, tested on the row's dates (parenthesised: it stands in OR lists). */
  private rowIn(basis: CaseBasis, k: number): string {
    return `(${basisSql(basis, this.periods[k]!)})`;
  }

  /** Rows or groups of `basis` in period k (or in any scanned period), tested on the period columns. */
  private inPeriod(basis: CaseBasis, k?: number): string {
    if (basis === 'pending') return k === undefined ? 'kp <> 0' : `kp & ${1 << k} <> 0`;
    const column = basis === 'new' ? 'kn' : 'kc';
    return k === undefined ? `${column} IS NOT NULL` : `${column} = ${k}`;
  }

  /** Column names of an aggregate's value and of its counted rows in period k. */
  add(a: Aggregate, k: number): { value: string; rows: string } {
    if (a.basis === 'signals') throw new RangeError('signals are not case rows');
    const basis = a.basis;
    this.bases.add(basis);
    const end = dateLit(this.periods[k]!.end);
    let periodBound = false;
    const tests = a.filters.map((f) => {
      const sql = filterSql(f, PERIOD_END);
      periodBound ||= sql.includes(PERIOD_END);
      return this.named(this.conditions, sql.replaceAll(PERIOD_END, end), 'c');
    });
    // A period-bound aggregate counts the rows of its own period only.
    const present = this.inPeriod(basis, periodBound ? k : undefined);
    const rowTest = conditionSql(a, this.periods[k]!);
    const column = (measure: Measure) => {
      const aggregate = this.named(this.aggregates, `${measureSql(measure, this.weight)} FILTER (WHERE ${[present, ...tests].join(' AND ')})`, 'a');
      this.aggregateConditions.set(aggregate, tests);
      const name = this.named(this.columns, `sum(${aggregate}) FILTER (WHERE ${this.inPeriod(basis, k)})`, 'p');
      this.figureOf.set(name, { column: name, k, key: `${measureName(measure)} | ${rowTest}`, aggregate, basis });
      return name;
    };
    const counted = column({ of: 'rows' });
    const rows = this.output(`${counted}_n`, { total: counted });
    switch (a.agg) {
      case 'count':
        return { value: rows, rows };
      case 'sum': {
        const field = a.field ?? 'claim_amount';
        this.carried.add(field);
        const sum = column({ of: 'field', field });
        return { value: this.output(`${sum}_sum`, { total: sum }), rows };
      }
      case 'mean_days': {
        this.carried.add('closing_date - filing_date AS days');
        const days = column({ of: 'days' });
        const withDays = column({ of: 'rowsWithDays' });
        return { value: this.output(`${days}_mean`, { days, counted: withDays }), rows };
      }
    }
  }

  figures(): ScanFigure[] {
    return [...this.figureOf.values()].map(({ column, k, key }) => ({ column, k, key }));
  }

  /** The scan of `scanned` periods over `source`: a row per township, a column per figure of those periods. */
  sql(source: string, scanned: readonly number[]): string {
    const kept = [...this.columns].filter(([, name]) => scanned.includes(this.figureOf.get(name)!.k));
    if (kept.length === 0) return `SELECT NULL::text AS township WHERE false`;
    const aggregates = [...this.aggregates].filter(([, name]) => kept.some(([, column]) => this.figureOf.get(column)!.aggregate === name));
    const conditions = [...this.conditions].filter(([, name]) => aggregates.some(([, a]) => this.aggregateConditions.get(a)!.includes(name)));
    const bases = [...new Set(kept.map(([, column]) => this.figureOf.get(column)!.basis))];
    const periodOf = (basis: 'new' | 'closed') => `CASE ${scanned.map((k) => `WHEN ${this.rowIn(basis, k)} THEN ${k}`).join(' ')} END`;
    const pendingBits = scanned.map((k) => `CASE WHEN ${this.rowIn('pending', k)} THEN ${1 << k} ELSE 0 END`).join(' + ');
    const row = [
      'township',
      ...(this.weight ? [this.weight] : []),
      ...this.carried,
      `${periodOf('new')} AS kn`,
      `${periodOf('closed')} AS kc`,
      `${pendingBits} AS kp`,
      ...conditions.map(([sql, name]) => `${sql} AS ${name}`),
    ];
    const named = (list: [string, string][]) => list.map(([sql, name]) => `${sql} AS ${name}`).join(',\n    ');
    const latest = this.periods[Math.min(...scanned)]!;
    const earliest = this.periods[Math.max(...scanned)]!;
    // Only rows of some scanned period of some basis in use can count (the rest would only be
    // grouped); the first two tests drop most of the others cheaply: filed after the latest period,
    // or closed before the earliest one.
    const inSomePeriod = bases.flatMap((b) => scanned.map((k) => this.rowIn(b, k)));
    const rowFilter = `filing_date <= ${dateLit(latest.end)} AND (closing_date IS NULL OR closing_date >= ${dateLit(earliest.start)})\n      AND (${inSomePeriod.join('\n        OR ')})`;
    return (
      `WITH g AS MATERIALIZED (\n  SELECT township, kn, kc, kp,\n    ${named(aggregates)}\n` +
      `  FROM (SELECT ${row.join(',\n      ')}\n    FROM ${source}\n    WHERE ${rowFilter}) AS r\n` +
      `  GROUP BY township, kn, kc, kp)\n` +
      `SELECT township,\n    ${named(kept)}\nFROM g\nGROUP BY township`
    );
  }
}

export interface CompiledScan {
  sql: string;
  /** Output names per indicator id and period index (their values: figures.ts caseScanRows). */
  columns: Map<string, { num: string; numRows: string; den?: string; denRows?: string }[]>;
  /** Every figure of the four periods, scanned by this SQL or not. */
  figures: ScanFigure[];
  outputs: ReadonlyMap<string, ScanOutput>;
}

const caseBased = (d: IndicatorDefinition) => d.formula.num.basis !== 'signals';

/**
 * One statement for every case-based indicator: a row per township with its figures. The same
 * definitions and period give the same column names and keys whatever is scanned, so the figures of
 * scans of different periods or sources fit together.
 */
export function compileCaseScan(definitions: readonly IndicatorDefinition[], period: Period, options: ScanOptions = {}): CompiledScan {
  const periods = comparisonPeriods(period);
  const builder = new ScanBuilder(periods, options.weight);
  const columns: CompiledScan['columns'] = new Map();
  for (const d of definitions.filter(caseBased)) {
    columns.set(
      d.id,
      periods.map((_, k) => {
        const num = builder.add(d.formula.num, k);
        if (!d.formula.den) return { num: num.value, numRows: num.rows };
        const den = builder.add(d.formula.den, k);
        return { num: num.value, numRows: num.rows, den: den.value, denRows: den.rows };
      }),
    );
  }
  const sql = builder.sql(options.source ?? CURRENT_DATA.cases, options.periods ?? periods.map((_, k) => k));
  return { sql, columns, figures: builder.figures(), outputs: builder.outputs };
}

/** Township signals (信访 + 舆情) per period, township rows and the county row. */
export function compileSignalScan(period: Period, source = CURRENT_DATA.signals): { sql: string; columns: string[] } {
  const periods = comparisonPeriods(period);
  const columns = periods.map((_, k) => `p${k}`);
  const within = (p: Period) => `month BETWEEN ${dateLit(p.start)} AND ${dateLit(p.end)}`;
  const sums = periods.map((p, k) => `coalesce(sum(petition_count + public_opinion_count) FILTER (WHERE ${within(p)}), 0) AS p${k}`);
  // An earlier period counts only when the side table has rows for every one of its months (c1…c3).
  const covered = periods.slice(1).map((p, i) => `count(DISTINCT month) FILTER (WHERE ${within(p)}) = ${monthsOf(p).length} AS c${i + 1}`);
  return { sql: `SELECT township, grouping(township) = 1 AS is_county, ${[...sums, ...covered].join(', ')} FROM ${source} GROUP BY ROLLUP (township)`, columns };
}

/**
 * The largest number of counted rows — or of their plaintiffs — sharing one `key` (one defendant, one series): a row per
 * township, and the county's (township NULL) over keys across all townships (one defendant sued in
 * several of them) — both from one pass over the period's rows.
 */
type MaxPerKeyRule = Extract<FloorRule, { when: 'max_per_key_gte' }>;

export function compileMaxPerKey(definition: IndicatorDefinition, rule: Pick<MaxPerKeyRule, 'key' | 'count'>, period: Period, source = CURRENT_DATA.cases): string {
  const plaintiffs = rule.count === 'plaintiffs';
  // Plaintiffs by series: a case outside any series is a group of its own (one case with 12 plaintiffs is 12).
  const group = plaintiffs && rule.key === 'series_id' ? `coalesce(series_id, 'case:' || case_no)` : rule.key;
  const where = `${conditionSql(definition.formula.num, period)} AND ${group} IS NOT NULL`;
  const measure = plaintiffs ? 'sum(coalesce(party_count, 1))' : 'count(*)';
  return (
    `SELECT township, max(n)::int AS max_n FROM (SELECT township, ${measure} AS n FROM ${source} WHERE ${where} ` +
    `GROUP BY GROUPING SETS ((township, ${group}), (${group}))) g GROUP BY township`
  );
}
