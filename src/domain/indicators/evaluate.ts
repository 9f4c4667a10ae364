import type { CompiledScan } from './compile.ts';
import type { IndicatorDefinition, Level } from './definition.ts';
import { compareIndicatorCodes } from './labels.ts';
import { assessLevel, type Observation } from './levels.ts';

/**
 * The aggregates of one scan → per indicator and region: value, rate per 10k, YoY, ratio to
 * base, level and reason. The county row's base is the mean of the three earlier periods
 * (DOMAIN.md §2.1 base c); a township's base is the county value of the same period, compared
 * per 10k residents for counts (a big township is not risky for being big). An earlier period the
 * data does not cover has no value at all (issue 17 rule 11): it gives no YoY and stays out of the
 * base, rather than counting as a year without cases.
 */

export const COUNTY = 'county';

export type ScanRow = Record<string, unknown> & { township: string | null; is_county: boolean };

export interface ScanInput {
  caseRows: readonly ScanRow[];
  caseColumns: CompiledScan['columns'];
  /** Township signals per period index (p0…p3), rows as from compileSignalScan. */
  signalRows: readonly ScanRow[];
  /** indicator id → region → largest group per key. */
  maxPerKey: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Residents per township id for the period's year; the county is their sum. */
  population: ReadonlyMap<string, number>;
  /** Regions to report: the county's townships (a township without cases still gets a row). */
  townships: readonly string[];
  /**
   * Per region (county and townships), whether the case data covers each of the three earlier
   * periods (p1…p3; history.ts). Signals carry their own flags in the signal rows (c1…c3).
   */
  comparableYears: ReadonlyMap<string, readonly boolean[]>;
}

export interface IndicatorResult extends Observation {
  indicatorId: string;
  region: string;
  level: Level;
  reason: string;
  yoy: number | null;
  ratio: number | null;
}

const toNumber = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const round = (x: number | null, digits = 4) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);

interface PeriodValue {
  value: number | null;
  n: number;
}

function periodValues(definition: IndicatorDefinition, row: ScanRow | undefined, input: ScanInput): PeriodValue[] {
  if (definition.formula.num.basis === 'signals') {
    return [0, 1, 2, 3].map((k) => {
      const v = toNumber(row?.[`p${k}`]) ?? 0;
      return { value: v, n: v };
    });
  }
  const cols = input.caseColumns.get(definition.id)!;
  return cols.map((c) => {
    const num = toNumber(row?.[c.num]) ?? (definition.formula.num.agg === 'mean_days' ? null : 0);
    const numRows = toNumber(row?.[c.numRows]) ?? 0;
    if (!c.den) return { value: num, n: numRows };
    const den = toNumber(row?.[c.den]) ?? 0;
    const denRows = toNumber(row?.[c.denRows!]) ?? 0;
    return { value: num === null || den <= 0 ? null : (num / den) * definition.formula.scale, n: denRows };
  });
}

const NO_VALUE: PeriodValue = { value: null, n: 0 };

/** The values of the four periods, the earlier ones kept only where the data covers them. */
function comparedValues(definition: IndicatorDefinition, region: string, row: ScanRow | undefined, input: ScanInput): PeriodValue[] {
  const covered =
    definition.formula.num.basis === 'signals' ? [1, 2, 3].map((k) => row?.[`c${k}`] === true) : (input.comparableYears.get(region) ?? [false, false, false]);
  return periodValues(definition, row, input).map((v, k) => (k === 0 || covered[k - 1] ? v : NO_VALUE));
}

export function evaluateScan(definitions: readonly IndicatorDefinition[], input: ScanInput): IndicatorResult[] {
  const countyPopulation = [...input.population.values()].reduce((s, p) => s + p, 0) || null;
  const results: IndicatorResult[] = [];
  for (const d of definitions) {
    const rows = d.formula.num.basis === 'signals' ? input.signalRows : input.caseRows;
    const countyRow = rows.find((r) => r.is_county);
    const county = comparedValues(d, COUNTY, countyRow, input);
    const perTenK = (value: number | null, population: number | null) =>
      d.unit === 'count' && value !== null && population ? (value / population) * 10_000 : null;
    const earlier = county.slice(1).map((p) => p.value).filter((v): v is number => v !== null);
    const countyBase = earlier.length ? earlier.reduce((s, v) => s + v, 0) / earlier.length : null;
    const countyRate = perTenK(county[0]!.value, countyPopulation);
    const observe = (region: string, values: PeriodValue[], population: number | null): IndicatorResult => {
      const isCounty = region === COUNTY;
      const rate = perTenK(values[0]!.value, population);
      const observation: Observation = {
        scope: isCounty ? 'county' : 'township',
        value: round(values[0]!.value),
        n: values[0]!.n,
        previous: round(values[1]!.value),
        base: round(isCounty ? countyBase : d.unit === 'count' ? countyRate : county[0]!.value),
        comparable: round(isCounty ? values[0]!.value : d.unit === 'count' ? rate : values[0]!.value),
        ratePer10k: round(rate),
        maxPerKey: input.maxPerKey.get(d.id)?.get(region) ?? null,
      };
      const verdict = assessLevel(d, observation);
      return { ...observation, indicatorId: d.id, region, ...verdict, yoy: round(verdict.yoy), ratio: round(verdict.ratio) };
    };
    results.push(observe(COUNTY, county, countyPopulation));
    for (const township of input.townships) {
      const row = rows.find((r) => !r.is_county && r.township === township);
      results.push(observe(township, comparedValues(d, township, row, input), input.population.get(township) ?? null));
    }
  }
  return results;
}

/**
 * Departments that receive a risk notice (第七条): the lead owner of every county-facing indicator
 * at high or critical county-wide, and the townships at high or critical where the indicator routes
 * to them (相关乡镇).
 */
export function noticeRecipients(
  definitions: readonly IndicatorDefinition[],
  results: readonly Pick<IndicatorResult, 'indicatorId' | 'region' | 'level'>[],
): { departmentId: string; indicatorIds: string[] }[] {
  const high = (l: Level) => l === 'high' || l === 'critical';
  const byUnit = new Map<string, Set<string>>();
  const add = (unit: string, indicator: string) => byUnit.set(unit, (byUnit.get(unit) ?? new Set()).add(indicator));
  // Court-internal indicators (审判工作现代化、审判质量监督) are the court's own work, not a notice to itself.
  for (const d of definitions.filter((x) => x.owners[0] !== 'court')) {
    const mine = results.filter((r) => r.indicatorId === d.id);
    const townshipsHigh = mine.filter((r) => r.region !== COUNTY && high(r.level));
    if (mine.some((r) => r.region === COUNTY && high(r.level)) || (d.routeToTownships && townshipsHigh.length > 0)) add(d.owners[0]!, d.id);
    if (d.routeToTownships) for (const t of townshipsHigh) add(t.region, d.id);
  }
  return [...byUnit.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([departmentId, ids]) => ({ departmentId, indicatorIds: [...ids].sort(compareIndicatorCodes) }));
}
