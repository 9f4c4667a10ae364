import { COUNTY } from '../indicators/evaluate.ts';
import type { Period } from '../documents/format.ts';

/**
 * 专题分析 (第六条, issue 19 point 5): beside the two scheduled rounds, a court analyst studies a
 * chosen set of indicators in chosen townships over chosen periods (e.g. 民间借贷 in three towns
 * over two years). The topic runs through the assessment round's own process — court review,
 * leader approval, 风险提示函 — as a round whose period is the latest chosen one; this module says
 * what a topic is and which of a run's figures it covers.
 */
export interface TopicScope {
  /** What the report is about, as its title says it: 关于{subject}的专题分析报告. */
  subject: string;
  indicatorIds: string[];
  /** Township-level units (department ids); the county figure is always shown beside them. */
  townshipIds: string[];
  /** Periods of one kind, oldest first; the last is the round's period, the one notices quote. */
  periods: Period[];
}

/**
 * At most this many townships: a table of every township would let a reader compute a "<5" back
 * from the printed county total (the heat grid's complementary suppression); with eight of the
 * county's twenty-three the rest always hides it.
 */
export const MAX_TOPIC_TOWNSHIPS = 8;
export const MAX_TOPIC_INDICATORS = 6;
export const MAX_TOPIC_PERIODS = 4;

export const periodRange = (p: Period): { start: string; end: string } => ({ start: `${p.year}-01-01`, end: p.kind === 'annual' ? `${p.year}-12-31` : `${p.year}-06-30` });

/** The periods oldest first, without repeats: the order in which tables and charts run. */
export function orderedPeriods(periods: readonly Period[]): Period[] {
  const years = [...new Set(periods.map((p) => p.year))].sort((a, b) => a - b);
  return years.map((year) => ({ kind: periods[0]!.kind, year }));
}

/** 2024年度至2025年度 / 2025年上半年: the span a topic's subtitle names. */
export function topicSpanLabel(periods: readonly Period[], label: (p: Period) => string): string {
  const first = periods[0]!;
  const last = periods[periods.length - 1]!;
  return first.year === last.year ? label(last) : `${label(first)}至${label(last)}`;
}

/** A topic round's id: the year it was composed in and its number that year (2026-T1, 2026-T2 …). */
export const topicRoundId = (year: number, serial: number): string => `${year}-T${serial}`;

/** The figures of a run a topic covers: its indicators, county-wide and in its townships. */
export function inTopic<T extends { indicatorId: string; region: string }>(scope: Pick<TopicScope, 'indicatorIds' | 'townshipIds'>, results: readonly T[]): T[] {
  const indicators = new Set(scope.indicatorIds);
  const regions = new Set([COUNTY, ...scope.townshipIds]);
  return results.filter((r) => indicators.has(r.indicatorId) && regions.has(r.region));
}
