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
  /** Same period last year. */
  previous: number | null;
  /**
   * Comparison base: the county's three-year mean for the county row, the county value (rate per
   * 10k for counts) for a township row. Compared with `comparable`.
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

const pct = (x: number) => `${Math.round(Math.abs(x) * 100)}%`;
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/\.?0+$/, ''));
const higher = (a: Level, b: Level): Level => (levelRank(a) >= levelRank(b) ? a : b);

export function yoyOf(value: number | null, previous: number | null): number | null {
  return value === null || previous === null || previous <= 0 ? null : (value - previous) / previous;
}

/**
 * A township is judged against the county (its base) first: a township's own YoY on a few dozen
 * cases swings by chance, so it only counts towards critical, together with the ratio.
 */
function defaultBands(bands: Extract<Bands, { kind: 'default' }>, yoy: number | null, ratio: number | null, scope: Observation['scope']): { level: Level; reason: string } {
  const y = yoy ?? -Infinity;
  const r = ratio ?? -Infinity;
  const yoyText = yoy === null ? '无上年同期可比数据' : yoy >= 0 ? `同比上升${pct(yoy)}` : `同比下降${pct(yoy)}`;
  const ratioText = ratio === null ? '' : `，为比较基准的${num(Math.round(ratio * 100) / 100)}倍`;
  if (y >= bands.critical.yoy && r >= bands.critical.ratio) {
    return { level: 'critical', reason: `${yoyText}${ratioText}，同时超过重大风险阈值（同比${pct(bands.critical.yoy)}、${bands.critical.ratio}倍）` };
  }
  for (const level of ['high', 'medium'] as const) {
    const t = bands[level];
    if (scope === 'county' && y >= t.yoy) return { level, reason: `${yoyText}，超过${levelName(level)}阈值${pct(t.yoy)}` };
    if (r >= t.ratio) return { level, reason: `为比较基准的${num(Math.round(r * 100) / 100)}倍，超过${levelName(level)}阈值${t.ratio}倍` };
  }
  return { level: 'low', reason: `${yoyText}${ratioText}，未超过${levelName('medium')}阈值` };
}

function absoluteBands(bands: Extract<Bands, { kind: 'absolute' }>, value: number, unit: IndicatorDefinition['unit']): { level: Level; reason: string } {
  const shown = unit === 'share' ? `${num(Math.round(value * 10) / 10)}%` : num(Math.round(value * 100) / 100);
  const t = (x: number) => (unit === 'share' ? `${x}%` : String(x));
  for (const level of ['critical', 'high', 'medium'] as const) {
    const threshold = bands[level];
    if (threshold === undefined) continue;
    if (bands.direction === 'higher' ? value >= threshold : value < threshold) {
      return { level, reason: `指标值为${shown}，${bands.direction === 'higher' ? '达到' : '低于'}${levelName(level)}阈值${t(threshold)}` };
    }
  }
  return { level: 'low', reason: `指标值为${shown}，处于正常区间` };
}

function floorApplies(rule: FloorRule, o: Observation, ratio: number | null): string | null {
  const inScope = (scope: 'county' | 'township' | 'any') => scope === 'any' || scope === o.scope;
  switch (rule.when) {
    case 'value_gte':
      return inScope(rule.scope) && o.value !== null && o.value >= rule.value ? `指标值${num(o.value)}，达到${num(rule.value)}即为${levelName(rule.floor)}` : null;
    case 'rate_gt':
      return o.ratePer10k !== null && o.ratePer10k > rule.value ? `万人数${num(Math.round(o.ratePer10k * 100) / 100)}，超过${rule.value}` : null;
    case 'yoy_rise':
      return o.value !== null && o.previous !== null && o.value > o.previous && o.n >= rule.minN ? `同比上升且案件数不少于${rule.minN}件` : null;
    case 'ratio_gte':
      return inScope(rule.scope) && ratio !== null && ratio >= rule.value ? `为全县水平的${num(Math.round(ratio * 100) / 100)}倍，达到${rule.value}倍` : null;
    case 'max_per_key_gte':
      return o.maxPerKey !== null && o.maxPerKey >= rule.value
        ? `同一${rule.key === 'defendant_key' ? '被告' : '系列案'}涉案${o.maxPerKey}件，达到${rule.value}件`
        : null;
  }
}

export function assessLevel(definition: IndicatorDefinition, o: Observation): Verdict {
  const yoy = yoyOf(o.value, o.previous);
  const ratio = o.comparable !== null && o.base !== null && o.base > 0 ? o.comparable / o.base : null;
  if (o.value === null) return { level: 'low', reason: '本期无可计算数据', yoy, ratio };
  let { level, reason } = definition.bands.kind === 'default' ? defaultBands(definition.bands, yoy, ratio, o.scope) : absoluteBands(definition.bands, o.value, definition.unit);
  if (o.n < definition.minN && levelRank(level) > levelRank('medium')) {
    level = 'medium';
    reason += `；但案件数${o.n}件少于${definition.minN}件，等级封顶为${levelName('medium')}`;
  }
  for (const rule of definition.floors) {
    const why = floorApplies(rule, o, ratio);
    if (why && levelRank(rule.floor) > levelRank(level)) {
      level = higher(level, rule.floor);
      reason += `；${why}，定为${levelName(rule.floor)}`;
    }
  }
  return { level, reason, yoy, ratio };
}
