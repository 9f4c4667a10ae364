/**
 * Did the measures work? (第十六条) For every indicator × region that was high or critical last
 * year, the February evaluation compares last year's value and level with this year's:
 *
 * - resolved: the level fell to low;
 * - improved: the level fell but not to low, or it stayed and the value moved the safe way by at
 *   least the threshold;
 * - unchanged: neither;
 * - worse: the level rose, or it stayed and the value moved the risky way by at least the threshold.
 *
 * A township is judged against the county-wide trend of the same indicator: what counts is its
 * change minus the county's change, so a county-wide fall is not credited to a township (and a
 * county-wide rise is not blamed on it). A fall in level the township did not earn against the
 * trend is classified unchanged and marked `trendAdjusted`.
 */

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';
export type OutcomeClass = 'resolved' | 'improved' | 'unchanged' | 'worse';

export const outcomeLabels: Readonly<Record<OutcomeClass, string>> = {
  resolved: '已化解',
  improved: '有改善',
  unchanged: '无明显变化',
  worse: '恶化',
};

const RANK: Readonly<Record<RiskLevel, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

export function levelRank(level: RiskLevel): number {
  return RANK[level];
}

export function isHighRisk(level: RiskLevel): boolean {
  return RANK[level] >= RANK.high;
}

export interface PeriodValue {
  value: number;
  level: RiskLevel;
}

export interface OutcomeInput {
  indicatorId: string;
  /** 'county' for the county-wide value, else the township. */
  regionId: string;
  /** Whether a higher value means more risk (counts, rates) or less (e.g. 服判息诉率, 执行到位率). */
  higherIsRiskier: boolean;
  previous: PeriodValue;
  current: PeriodValue;
  /** The county-wide values of the same indicator, for a township. */
  countyTrend?: { previous: number; current: number } | null;
}

export interface OutcomeRules {
  /** A value change of at least this share (0.1 = 10 %) counts as a real change. */
  changeThreshold: number;
}

export interface Outcome {
  indicatorId: string;
  regionId: string;
  outcome: OutcomeClass;
  /** Current level minus previous level (negative = better). */
  levelDelta: number;
  /** Levels of improvement credited to the owners (0 when not earned against the trend). */
  creditedLevels: number;
  /** Relative change in the risky direction (positive = riskier), e.g. 0.25 = 25 % riskier. */
  ownChange: number | null;
  countyChange: number | null;
  /** ownChange − countyChange for a township with a trend, else ownChange. */
  adjustedChange: number | null;
  /** The class differs from what the levels alone say, because of the county-wide trend. */
  trendAdjusted: boolean;
}

/** Relative change in the risky direction; null when the base is 0 (no meaningful ratio). */
export function riskyChange(previous: number, current: number, higherIsRiskier: boolean): number | null {
  if (previous === 0) return null;
  const rel = (current - previous) / Math.abs(previous);
  return higherIsRiskier ? rel : -rel;
}

export function classifyOutcome(input: OutcomeInput, rules: OutcomeRules): Outcome {
  const levelDelta = RANK[input.current.level] - RANK[input.previous.level];
  const ownChange = riskyChange(input.previous.value, input.current.value, input.higherIsRiskier);
  const trend = input.regionId !== 'county' ? input.countyTrend : null;
  const countyChange = trend ? riskyChange(trend.previous, trend.current, input.higherIsRiskier) : null;
  const adjustedChange = ownChange === null ? null : countyChange === null ? ownChange : ownChange - countyChange;
  const th = rules.changeThreshold;
  const base = { indicatorId: input.indicatorId, regionId: input.regionId, levelDelta, ownChange, countyChange, adjustedChange };

  const byLevels: OutcomeClass =
    levelDelta < 0 ? (input.current.level === 'low' ? 'resolved' : 'improved') : levelDelta > 0 ? 'worse' : 'unchanged';

  if (levelDelta < 0) {
    // Earned only when the township beat the county trend by the threshold.
    if (countyChange !== null && adjustedChange !== null && adjustedChange > -th) {
      return { ...base, outcome: 'unchanged', creditedLevels: 0, trendAdjusted: true };
    }
    return { ...base, outcome: byLevels, creditedLevels: -levelDelta, trendAdjusted: false };
  }
  if (levelDelta > 0) {
    if (countyChange !== null && adjustedChange !== null && adjustedChange < th) {
      return { ...base, outcome: 'unchanged', creditedLevels: 0, trendAdjusted: true };
    }
    return { ...base, outcome: 'worse', creditedLevels: 0, trendAdjusted: false };
  }
  if (adjustedChange === null) return { ...base, outcome: 'unchanged', creditedLevels: 0, trendAdjusted: false };
  const outcome: OutcomeClass = adjustedChange <= -th ? 'improved' : adjustedChange >= th ? 'worse' : 'unchanged';
  const trendAdjusted = countyChange !== null && ownChange !== null && outcome !== (ownChange <= -th ? 'improved' : ownChange >= th ? 'worse' : 'unchanged');
  return { ...base, outcome, creditedLevels: 0, trendAdjusted };
}

/** Only last year's high and critical values are evaluated. */
export function classifyOutcomes(inputs: readonly OutcomeInput[], rules: OutcomeRules): Outcome[] {
  return inputs.filter((i) => isHighRisk(i.previous.level)).map((i) => classifyOutcome(i, rules));
}

// --- linking outcomes to what targeted them -------------------------------------------------------

export interface MeasureTarget {
  measureId: string;
  itemIds: readonly string[];
  indicatorIds: readonly string[];
  /** Townships the measure targets; empty = the whole county (every region of its indicators). */
  townships: readonly string[];
}

export interface LinkedOutcome extends Outcome {
  measureIds: string[];
  itemIds: string[];
}

/**
 * Each outcome with the measures (and their supervision items) that targeted its indicator in its
 * region: a county-wide measure targets every region; a township measure targets that township
 * and the county-wide value it is part of.
 */
export function linkOutcomes(outcomes: readonly Outcome[], measures: readonly MeasureTarget[]): LinkedOutcome[] {
  return outcomes.map((o) => {
    const hits = measures.filter(
      (m) => m.indicatorIds.includes(o.indicatorId) && (m.townships.length === 0 || o.regionId === 'county' || m.townships.includes(o.regionId)),
    );
    return {
      ...o,
      measureIds: [...new Set(hits.map((m) => m.measureId))].sort(),
      itemIds: [...new Set(hits.flatMap((m) => m.itemIds))].sort(),
    };
  });
}

export function countOutcomes(outcomes: readonly Pick<Outcome, 'outcome'>[]): Record<OutcomeClass, number> {
  const counts: Record<OutcomeClass, number> = { resolved: 0, improved: 0, unchanged: 0, worse: 0 };
  for (const o of outcomes) counts[o.outcome] += 1;
  return counts;
}
