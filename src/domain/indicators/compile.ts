import type { Aggregate, Filter, IndicatorDefinition } from './definition.ts';
import { isArrayField } from './definition.ts';

/**
 * Formulas → SQL. Every enabled indicator's numerator and denominator, for the period and the
 * same period of the three years before, become FILTER aggregates of ONE scan of case_record
 * grouped by township, plus the county row: the county row and the 23 township rows come out together, and
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

export function filterSql(f: Filter, p: Period): string {
  if ('ageOverDays' in f) return `(${dateLit(p.end)} - filing_date) > ${Math.trunc(f.ageOverDays)}`;
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
const conditionParts = (a: Aggregate, p: Period) => [basisSql(a.basis, p), ...a.filters.map((f) => filterSql(f, p))];

export const conditionSql = (a: Aggregate, p: Period) => conditionParts(a, p).join(' AND ');

/**
 * Every distinct condition (a basis in one period, one filter) is evaluated once per row in an
 * inner projection (`OFFSET 0` keeps PostgreSQL from folding it back into each aggregate's
 * filter): 34 indicators × 4 periods share a few dozen conditions, so a row costs a few dozen
 * tests instead of hundreds. Rows are grouped by township only, which PostgreSQL hashes in
 * parallel; the county row adds up the townships' partial counts and sums (a mean is a sum of days
 * over a count, exactly as avg() divides), cheaper than sorting every row for a ROLLUP.
 */
class ScanBuilder {
  private readonly conditions = new Map<string, string>();
  private readonly partials = new Map<string, string>();
  private readonly carried = new Set<string>();
  /** Output column → its value from the partials (`ref` names a partial, summed for the county). */
  private readonly outputs = new Map<string, (ref: (partial: string) => string) => string>();

  private condition(sql: string): string {
    let name = this.conditions.get(sql);
    if (!name) this.conditions.set(sql, (name = `c${this.conditions.size}`));
    return name;
  }

  private partial(sql: string): string {
    let name = this.partials.get(sql);
    if (!name) this.partials.set(sql, (name = `p${this.partials.size}`));
    return name;
  }

  private output(name: string, value: (ref: (partial: string) => string) => string): string {
    if (!this.outputs.has(name)) this.outputs.set(name, value);
    return name;
  }

  /** Column names of an aggregate's value and of its counted rows. */
  add(a: Aggregate, p: Period): { value: string; rows: string } {
    const where = conditionParts(a, p).map((c) => this.condition(c)).join(' AND ');
    const counted = this.partial(`count(*) FILTER (WHERE ${where})`);
    const rows = this.output(`${counted}_n`, (ref) => `coalesce(${ref(counted)}, 0)`);
    switch (a.agg) {
      case 'count':
        return { value: rows, rows };
      case 'sum': {
        const field = a.field ?? 'claim_amount';
        this.carried.add(field);
        const sum = this.partial(`sum(${field}) FILTER (WHERE ${where})`);
        return { value: this.output(`${sum}_sum`, (ref) => `coalesce(${ref(sum)}, 0)`), rows };
      }
      case 'mean_days': {
        this.carried.add('closing_date - filing_date AS days');
        const days = this.partial(`sum(days) FILTER (WHERE ${where})`);
        const withDays = this.partial(`count(days) FILTER (WHERE ${where})`);
        return { value: this.output(`${days}_mean`, (ref) => `${ref(days)}::numeric / nullif(${ref(withDays)}, 0)`), rows };
      }
    }
  }

  sql(rowFilter: string): string {
    const flags = ['township', ...this.carried, ...[...this.conditions].map(([sql, name]) => `${sql} AS ${name}`)];
    const partials = [...this.partials].map(([sql, name]) => `${sql} AS ${name}`);
    const outputs = (ref: (partial: string) => string) => [...this.outputs].map(([name, value]) => `,\n  ${value(ref)} AS ${name}`).join('');
    return (
      `WITH t AS MATERIALIZED (\n  SELECT township${partials.length ? ', ' + partials.join(',\n    ') : ''}\n` +
      `  FROM (SELECT ${flags.join(',\n      ')}\n    FROM case_record\n    WHERE ${rowFilter}\n    OFFSET 0) AS r\n` +
      `  GROUP BY township)\n` +
      `SELECT township, false AS is_county${outputs((p) => p)}\nFROM t\nUNION ALL\n` +
      `SELECT NULL, true${outputs((p) => `sum(${p})`)}\nFROM t`
    );
  }
}

export interface CompiledScan {
  sql: string;
  /** Column names per indicator id and period index. */
  columns: Map<string, { num: string; numRows: string; den?: string; denRows?: string }[]>;
}

const caseBased = (d: IndicatorDefinition) => d.formula.num.basis !== 'signals';

/** One statement for every case-based indicator: a row per township plus the county row (township NULL). */
export function compileCaseScan(definitions: readonly IndicatorDefinition[], period: Period): CompiledScan {
  const periods = comparisonPeriods(period);
  const builder = new ScanBuilder();
  const columns: CompiledScan['columns'] = new Map();
  for (const d of definitions.filter(caseBased)) {
    columns.set(
      d.id,
      periods.map((p) => {
        const num = builder.add(d.formula.num, p);
        if (!d.formula.den) return { num: num.value, numRows: num.rows };
        const den = builder.add(d.formula.den, p);
        return { num: num.value, numRows: num.rows, den: den.value, denRows: den.rows };
      }),
    );
  }
  const earliest = periods.at(-1)!.start;
  // Rows of no period cannot count: filed after the period, or closed before the earliest one.
  const sql = builder.sql(`filing_date <= ${dateLit(period.end)} AND (closing_date IS NULL OR closing_date >= ${dateLit(earliest)})`);
  return { sql, columns };
}

/** Township signals (信访 + 舆情) per period, township rows and the county row. */
export function compileSignalScan(period: Period): { sql: string; columns: string[] } {
  const periods = comparisonPeriods(period);
  const columns = periods.map((_, k) => `p${k}`);
  const sums = periods.map(
    (p, k) => `coalesce(sum(petition_count + public_opinion_count) FILTER (WHERE month BETWEEN ${dateLit(p.start)} AND ${dateLit(p.end)}), 0) AS p${k}`,
  );
  return { sql: `SELECT township, grouping(township) = 1 AS is_county, ${sums.join(', ')} FROM township_signal GROUP BY ROLLUP (township)`, columns };
}

/**
 * The largest number of counted rows sharing one `key` (one defendant, one series): per township,
 * and county-wide over keys across all townships (one defendant sued in several of them).
 */
export function compileMaxPerKey(definition: IndicatorDefinition, key: 'defendant_key' | 'series_id', period: Period): { township: string; county: string } {
  const where = `${conditionSql(definition.formula.num, period)} AND ${key} IS NOT NULL`;
  return {
    township: `SELECT township, max(n)::int AS max_n FROM (SELECT township, ${key}, count(*) AS n FROM case_record WHERE ${where} GROUP BY township, ${key}) g GROUP BY township`,
    county: `SELECT coalesce(max(n), 0)::int AS max_n FROM (SELECT count(*) AS n FROM case_record WHERE ${where} GROUP BY ${key}) g`,
  };
}
