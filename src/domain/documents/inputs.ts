import type { RiskLevel } from './format.ts';

/**
 * Input types shared by several documents. They are plain objects a worker fills from the
 * database; names of units are data (the `department` table), never constants in code.
 * Dates are "YYYY-MM-DD" calendar dates (Beijing time).
 */

/** A unit from the `department` table: its id (for routing and mail) and its full name. */
export interface UnitRef {
  id: string;
  name: string;
}

/** A leading organ with the short name used in running text (县委政法委, 县平安办). */
export interface Organ extends UnitRef {
  short: string;
}

/**
 * The county's leading organs, filled from the department table (ids court, xw, xzf, zfw, pab
 * in the seed), and the county's name: `county` "唐河县", `countyShort` "唐河" (report titles).
 */
export interface Organs {
  county: string;
  countyShort: string;
  court: Organ;
  partyCommittee: Organ;
  government: Organ;
  politicalLegal: Organ;
  peaceOffice: Organ;
}

/**
 * One indicator's value for a period, as computed by the indicator engine. Counts are of
 * cases (never persons by name); small ones are suppressed when printed.
 */
export interface IndicatorFigure {
  /** Catalogue id, e.g. "A1". */
  id: string;
  name: string;
  /** One of the six domains of 第二条, e.g. "法治政府建设". */
  domain: string;
  /**
   * `count`: number of cases; `rate`: per 10k residents; `share`: a proportion 0–1 printed as %.
   * Same-period change is relative for count/rate and in percentage points for share.
   */
  kind: 'count' | 'rate' | 'share';
  /** Unit printed after the value: "件", "件/万人"; ignored for share (printed as %). */
  unit: string;
  value: number;
  /** Same period last year; null when unknown. */
  previous: number | null;
  /** Cases behind `value` (the count itself, or a rate's numerator): under 5 the value is suppressed. */
  basisCount: number;
  /** Cases behind `previous`; null when unknown. */
  previousBasisCount: number | null;
  /** Comparison base (南阳市平均, 河南省平均 or 县近三年均值); null when none. */
  base: { label: string; value: number } | null;
  level: RiskLevel;
  /** Level in the previous round, when known (used in minutes and evaluations). */
  previousLevel?: RiskLevel | null;
  /** Per-township case counts for this indicator (any order; documents sort and cut). */
  townships: { name: string; count: number; level?: RiskLevel }[];
  /** Earlier periods, oldest first, ending with the current one; drawn as the trend chart. */
  trend: { label: string; value: number; basisCount: number }[];
  /** For the annex: how it is computed and judged, and who owns it. */
  definition: { formula: string; thresholds: string; owners: string[] };
}

/** How last year's high-risk indicator fared in the February evaluation (PRODUCT.md §4.6). */
export type Outcome = 'resolved' | 'improved' | 'unchanged' | 'worse';

export const outcomeNames: Readonly<Record<Outcome, string>> = {
  resolved: '风险已化解',
  improved: '有所好转',
  unchanged: '无明显变化',
  worse: '有所加剧',
};

/** One evaluated indicator: its new figure, last year's level, and what targeted it. */
export interface IndicatorOutcome {
  figure: IndicatorFigure;
  previousLevel: RiskLevel;
  outcome: Outcome;
  /** Measures and supervision items linked to it through the trace links. */
  measures: number;
  items: number;
}
