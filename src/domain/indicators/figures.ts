import type { CompiledScan } from './compile.ts';
import type { ScanRow } from './evaluate.ts';

/**
 * The figures of a case scan (compile.ts) — per township, a count or sum per aggregate and period —
 * and what the indicators read from them. Every figure is a sum of whole numbers or of amounts
 * with two decimals, so it is kept exactly, in hundredths: figures of different scans (the
 * period itself, a stored run's history and the rows changed since) add up to the very numbers
 * one scan of today's rows gives, and the county's figure is the sum of its townships'.
 */

/** township → scan column → value in hundredths (a column missing: no row counted). */
export type FigureTable = Map<string, Map<string, bigint>>;

/** A value as PostgreSQL returns a sum ('12', '-3.50') → hundredths. */
export function hundredths(value: string | number): bigint {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[3] ?? '').replace(/0+$/, '').length > 2) throw new RangeError(`not an amount in hundredths: ${text}`);
  const magnitude = BigInt(match[2]!) * 100n + BigInt(((match[3] ?? '') + '00').slice(0, 2));
  return match[1] ? -magnitude : magnitude;
}

const decimal = (h: bigint) => {
  const sign = h < 0n ? '-' : '';
  const abs = h < 0n ? -h : h;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

/** The rows a scan returned (township and its figure columns) as a table. */
export function figureTable(rows: readonly Record<string, unknown>[]): FigureTable {
  const table: FigureTable = new Map();
  for (const row of rows) {
    const values = new Map<string, bigint>();
    for (const [column, value] of Object.entries(row)) {
      if (column !== 'township' && value !== null && value !== undefined) values.set(column, hundredths(value as string | number));
    }
    table.set(row.township as string, values);
  }
  return table;
}

/** The sum of tables, township by township and column by column. */
export function addFigures(...tables: readonly FigureTable[]): FigureTable {
  const sum: FigureTable = new Map();
  for (const table of tables) {
    for (const [township, values] of table) {
      const into = sum.get(township) ?? sum.set(township, new Map()).get(township)!;
      for (const [column, value] of values) into.set(column, (into.get(column) ?? 0n) + value);
    }
  }
  return sum;
}

/**
 * Figures as a run stores them: figure key → township → decimal text (figures of `periods` only,
 * zeros and missing townships left out, as a scan leaves them out).
 */
export function storableFigures(scan: Pick<CompiledScan, 'figures'>, table: FigureTable, periods: readonly number[]): Record<string, Record<string, string>> {
  const stored: Record<string, Record<string, string>> = {};
  for (const { column, k, key } of scan.figures) {
    if (!periods.includes(k)) continue;
    const values: Record<string, string> = {};
    for (const [township, columns] of table) {
      const value = columns.get(column);
      if (value !== undefined && value !== 0n) values[township] = decimal(value);
    }
    stored[key] = values;
  }
  return stored;
}

/** Stored figures (key → township → decimal text) back as a table of this scan's columns. */
export function tableOfStored(scan: Pick<CompiledScan, 'figures'>, stored: ReadonlyMap<string, Record<string, string>>): FigureTable {
  const table: FigureTable = new Map();
  for (const { column, key } of scan.figures) {
    for (const [township, value] of Object.entries(stored.get(key) ?? {})) {
      (table.get(township) ?? table.set(township, new Map()).get(township)!).set(column, hundredths(value));
    }
  }
  return table;
}

/** The rows evaluate.ts reads: a row per township and the county's (township NULL), each indicator output by name. */
export function caseScanRows(scan: Pick<CompiledScan, 'outputs'>, table: FigureTable): ScanRow[] {
  const county = addFigures(...[...table.values()].map((values) => new Map([['county', values]])));
  const row = (township: string | null, values: ReadonlyMap<string, bigint>): ScanRow => {
    const out: ScanRow = { township, is_county: township === null };
    for (const [name, output] of scan.outputs) {
      if ('total' in output) {
        out[name] = Number(values.get(output.total) ?? 0n) / 100;
      } else {
        const counted = values.get(output.counted) ?? 0n;
        out[name] = counted === 0n ? null : Number(values.get(output.days) ?? 0n) / Number(counted);
      }
    }
    return out;
  };
  return [...[...table].map(([township, values]) => row(township, values)), row(null, county.get('county') ?? new Map())];
}
