import { levelName } from '../documents/format.ts';
import { levelRank } from '../loop/outcomes.ts';
import type { Bands, FloorRule, IndicatorDefinition, Level } from './definition.ts';

/**
 * From a computed value to a risk level with its reason in words (DOMAIN.md §2.1): the default
 * YoY / ratio-to-base bands or the indicator's absolute thresholds, then the small-number guard
 * (few cases swing wildly: capped at medium), then the floors (hard triggers and per-indicator
 * rules) that no guard can lower. Pure: the numbers in, the verdict out.
 */

export interface Observation {
  scope: 'county' | 'township';
  /** The indicator's value this period; null when it cannot be formed (e.g. a share of nothing). */
  value: number | null;
  /** Rows behind the value (the small-number guard's n). */
  n: number;
  /** Same period last year; null when the imported data does not cover it (never a missing year read as 0). */
  previous: number | null;
  /**
   * Comparison base: for the county row the mean of those of the three earlier years the data
   * covers (null when it covers none), for a township row the county value (rate per 10k for
   * counts). Compared with `comparable`.
   */
  base: number | null;
  /** The value comparable with `base`: the rate per 10k for counts of a township, else the value. */
  comparable: number | null;
  ratePer10k: number | null;
  /** Largest group of counted rows against one defendant or series (hard triggers). */
  maxPerKey: number | null;
}

export interface Verdict {
  level: Level;
  reason: string;
  /** Relative change against last year (0.42 = +42 %); null when last year was 0 or unknown. */
  yoy: number | null;
  /** comparable ÷ base; null without a base. */
  ratio: number | null;
}

const higher = (a: Level, b: Level): Level => (levelRank(a) >= levelRank(b) ? a : b);

/**
 * `x` printed with `digits` decimals, or more where rounding would put it on the other side of (or
 * onto) one of `thresholds`: a reason never reads "上升10%，未达到阈值10%" for 9.96 %, nor "上升0%".
 */
export function shownAgainst(x: number, thresholds: readonly number[], digits: number): string {
  const side = (v: number, t: number) => Math.sign(v - t);
  for (let d = digits; d <= digits + 8; d++) {
    const shown = Math.round(x * 10 ** d) / 10 ** d;
    if (thresholds.every((t) => side(shown, t) === side(x, t))) return String(shown);
  }
  return String(x);
}

/** A threshold as printed: 0.1 → "10%" (yoy), 1.1 → "1.1". */
const pct = (x: number) => `${Math.round(x * 10_000) / 100}%`;

export function yoyOf(value: number | null, previous: number | null): number | null {
  return value === null || previous === null || previous <= 0 ? null : (value - previous) / previous;
}

/**
 * The same-period change in words: 同比上升42% / 同比下降8% / 同比持平, or why there is none — no
 * figure for last year (its data was not imported), or last year's was 0 (no rate of change).
 * Printed so that it agrees with every threshold it is compared with.
 */
export function yoyText(yoy: number | null, previous: number | null, thresholds: readonly number[] = []): string {
  if (previous === null) return '无上年同期数据';
  if (yoy === null) return '上年同期为0，不计算同比增幅';
  if (yoy === 0) return '同比持平';
  return `同比${yoy > 0 ? '上升' : '下降'}${shownAgainst(Math.abs(yoy) * 100, [0, ...thresholds.map((t) => t * 100)], 0)}%`;
}

/** The reason when the county has no comparable year at all (neither last year nor any of the three before). */
export const NO_HISTORY = '无可比历史数据，不作同比和基准比较';

/**
 * A township is judged against the county (its base) first: a township's own YoY on a few dozen
 * cases swings by chance, so it only counts towards critical, together with the ratio. Without any
 * comparable year the county has neither a YoY nor a base: its level comes from the floors alone.
 */
function defaultBands(bands: Extract<Bands, { kind: 'default' }>, o: Observation, yoy: number | null, ratio: number | null): { level: Level; reason: string } {
  const levels = ['medium', 'high', 'critical'] as const;
  const change = yoyText(yoy, o.previous, levels.map((l) => bands[l].yoy));
  const times = (r: number) => `为比较基准的${shownAgainst(r, [1, ...levels.map((l) => bands[l].ratio)], 2)}倍`;
  if (o.scope === 'county' && o.previous === null && o.base === null) return { level: 'low', reason: NO_HISTORY };
  const y = yoy ?? -Infinity;
  const r = ratio ?? -Infinity;
  if (y >= bands.critical.yoy && r >= bands.critical.ratio) {
    return { level: 'critical', reason: `${change}，${times(r)}，同时达到重大风险阈值（同比${pct(bands.critical.yoy)}、${bands.critical.ratio}倍）` };
  }
  for (const level of ['high', 'medium'] as const) {
    const t = bands[level];
    if (o.scope === 'county' && y >= t.yoy) return { level, reason: `${change}，达到${levelName(level)}阈值${pct(t.yoy)}` };
    if (r >= t.ratio) return { level, reason: `${times(r)}，达到${levelName(level)}阈值${t.ratio}倍` };
  }
  const medium = bands.medium;
  const against = ratio === null ? '无比较基准' : times(ratio);
  if (o.scope === 'township') {
    // The township's own change is shown, but only the ratio decides below critical.
    const aside = yoy === null ? '' : `（${change}，乡镇不单独按同比定级）`;
    return { level: 'low', reason: ratio === null ? `无比较基准，未作比较${aside}` : `${against}，未达到${levelName('medium')}阈值${medium.ratio}倍${aside}` };
  }
  if (yoy === null && ratio === null) return { level: 'low', reason: `${change}，${against}，未作比较` };
  if (yoy === null) return { level: 'low', reason: `${change}，${against}，未达到${levelName('medium')}阈值${medium.ratio}倍` };
  if (ratio === null) return { level: 'low', reason: `${change}，${against}，未达到${levelName('medium')}阈值${pct(medium.yoy)}` };
  return { level: 'low', reason: `${change}，${against}，均未达到${levelName('medium')}阈值（同比${pct(medium.yoy)}、${medium.ratio}倍）` };
}

function absoluteBands(bands: Extract<Bands, { kind: 'absolute' }>, value: number, unit: IndicatorDefinition['unit']): { level: Level; reason: string } {
  const thresholds = (['critical', 'high', 'medium'] as const).flatMap((l) => (bands[l] === undefined ? [] : [bands[l]]));
  // A count reads with its counting word ("3件"), so the small-cell rule finds it in the text (format.ts).
  const suffix = unit === 'share' ? '%' : unit === 'count' ? '件' : '';
  const shown = `${shownAgainst(value, thresholds, unit === 'share' ? 1 : 2)}${suffix}`;
  const t = (x: number) => `${x}${suffix}`;
  for (const level of ['critical', 'high', 'medium'] as const) {
    const threshold = bands[level];
    if (threshold === undefined) continue;
    if (bands.direction === 'higher' ? value >= threshold : value < threshold) {
      return { level, reason: `指标值为${shown}，${bands.direction === 'higher' ? '达到' : '低于'}${levelName(level)}阈值${t(threshold)}` };
    }
  }
  return { level: 'low', reason: `指标值为${shown}，处于正常区间` };
}

/** Why a floor applies, in words, or null. A YoY rule needs last year's figure: without it nothing rose. */
function floorApplies(rule: FloorRule, o: Observation, ratio: number | null, unit: IndicatorDefinition['unit']): string | null {
  const inScope = (scope: 'county' | 'township' | 'any') => scope === 'any' || scope === o.scope;
  switch (rule.when) {
    case 'value_gte':
      if (!inScope(rule.scope) || o.value === null || o.value < rule.value) return null;
      // A count with its counting word, its threshold as a threshold: "指标值1件，达到阈值1件即为高风险".
      return unit === 'count'
        ? `指标值${shownAgainst(o.value, [rule.value], 2)}件，达到阈值${rule.value}件即为${levelName(rule.floor)}`
        : `指标值${shownAgainst(o.value, [rule.value], 2)}，达到${rule.value}即为${levelName(rule.floor)}`;
    case 'rate_gt':
      return o.ratePer10k !== null && o.ratePer10k > rule.value ? `万人数${shownAgainst(o.ratePer10k, [rule.value], 2)}，超过${rule.value}` : null;
    case 'yoy_rise':
      return o.value !== null && o.previous !== null && o.value > o.previous && o.n >= rule.minN ? `同比上升且案件数不少于${rule.minN}件` : null;
    case 'ratio_gte':
      return inScope(rule.scope) && ratio !== null && ratio >= rule.value ? `为全县水平的${shownAgainst(ratio, [rule.value], 2)}倍，达到${rule.value}倍` : null;
    case 'max_per_key_gte':
      if (o.maxPerKey === null || o.maxPerKey < rule.value) return null;
      if (rule.count === 'cases') return `同一${rule.key === 'defendant_key' ? '被告' : '系列案'}涉案${o.maxPerKey}件，达到${rule.value}件`;
      return `${rule.key === 'defendant_key' ? '同一被告涉及' : '同一案件或系列案'}原告${o.maxPerKey}人，达到${rule.value}人`;
  }
}

export function assessLevel(definition: IndicatorDefinition, o: Observation): Verdict {
  const yoy = yoyOf(o.value, o.previous);
  const ratio = o.comparable !== null && o.base !== null && o.base > 0 ? o.comparable / o.base : null;
  if (o.value === null) return { level: 'low', reason: '本期无可计算数据', yoy, ratio };
  let { level, reason } = definition.bands.kind === 'default' ? defaultBands(definition.bands, o, yoy, ratio) : absoluteBands(definition.bands, o.value, definition.unit);
  if (o.n < definition.minN && levelRank(level) > levelRank('medium')) {
    level = 'medium';
    reason += `；但案件数${o.n}件少于${definition.minN}件，等级封顶为${levelName('medium')}`;
  }
  for (const rule of definition.floors) {
    const why = floorApplies(rule, o, ratio, definition.unit);
    if (why && levelRank(rule.floor) > levelRank(level)) {
      level = higher(level, rule.floor);
      reason += `；${why}，定为${levelName(rule.floor)}`;
    }
  }
  // No floor applied either: the thresholds alone leave it low.
  if (reason === NO_HISTORY) reason += `，仅按阈值判定为${levelName(level)}`;
  return { level, reason, yoy, ratio };
}
