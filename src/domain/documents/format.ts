import { ValidationError } from '../../shared/errors.ts';
import type { Tone } from './model.ts';

/**
 * Wording helpers shared by every document: small-cell suppression, Chinese dates, changes,
 * risk levels. Everything that prints a number derived from case records goes through here, so
 * the suppression rule (DOMAIN.md §5 rule 5) has exactly one implementation.
 */

/** Counts below this print as "<5" in anything that leaves the court (DOMAIN.md §5 rule 5). */
export const SMALL_CELL_THRESHOLD = 5;
export const SUPPRESSED = '<5';

export function isSmallCell(count: number): boolean {
  return count < SMALL_CELL_THRESHOLD;
}

/**
 * THE suppression helper: a count of cases, parties, petitions or persons as printed in a
 * document. 0–4 print "<5"; larger counts print as integers. Use it for every case-derived count.
 */
export function formatCount(count: number, unit = ''): string {
  if (!Number.isFinite(count) || count < 0) throw new ValidationError([{ field: 'count', reason: `计数无效：${count}` }]);
  return isSmallCell(count) ? `${SUPPRESSED}${unit}` : `${Math.round(count)}${unit}`;
}

/** Words that count cases, parties or persons after a number: "3件", "2 名", "1起", "4人次". */
const COUNTING_WORDS = '人次|件次|名|人|件|起|宗|户|家|位|例|批|条';
/** Labels that make the number after them a count of cases: "案件数3", "涉案2", "共 4". */
const COUNT_LABELS = '案件数|收案数|结案数|立案数|件数|人数|户数|涉案|共计|合计|总计|共有|共';
/**
 * Words right before a number that make it a threshold of a rule, not a count of cases: "阈值3件",
 * "少于10件", "不少于5件". A rule's threshold is configuration, and "少于N" says no more than the
 * rule's own outcome does.
 */
const THRESHOLD_WORDS = ['阈值', '少于'];

const digitValue = (digits: string) => Number(digits.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10)));
const afterThreshold = (text: string, offset: number) => THRESHOLD_WORDS.some((w) => text.slice(Math.max(0, offset - w.length), offset) === w);

/**
 * Suppression inside free text (an analyst's "涉 3 名劳动者", an indicator's reason "案件数3件"): a
 * number below 5 directly followed by a counting word, or directly after a count label, is replaced
 * by "<5". Kept: ordinals ("第3件"), decimals and rates ("1.3件/万人"), indicator codes ("B2"),
 * years, dates, percentages and multiples ("3年", "3月", "3%", "1.5倍", "3个乡镇"), and thresholds
 * ("阈值3", "少于3件").
 */
export function suppressCountsInText(text: string): string {
  const counted = new RegExp(`(第)?(?<![0-9０-９.．A-Za-z])([0-9０-９]+)(\\s*)(${COUNTING_WORDS})(?!\\s*[/／])`, 'g');
  const labelled = new RegExp(`(${COUNT_LABELS})(为|是|达|有|：|:)?(\\s*)([0-9０-９]+)(?![0-9０-９.．%％‰/／]|\\s*(?:年|月|日|倍|个|%|％|天|小时|元|万))`, 'g');
  return text
    .replace(counted, (match, ordinal: string | undefined, digits: string, space: string, word: string, offset: number, whole: string) => {
      if (ordinal || afterThreshold(whole, offset)) return match;
      return isSmallCell(digitValue(digits)) ? `${SUPPRESSED}${space}${word}` : match;
    })
    .replace(labelled, (match, label: string, verb: string | undefined, space: string, digits: string) =>
      isSmallCell(digitValue(digits)) ? `${label}${verb ?? ''}${space}${SUPPRESSED}` : match,
    );
}

/** What an indicator's reason says, outside the court, when fewer than 5 cases are behind its value. */
export const SMALL_BASIS_REASON = '基数<5件，比率和同比变化不予计算';
/** What replaces a same-period change whose last-year count is under 5. */
export const SMALL_PREVIOUS_CHANGE = '上年同期基数<5，不作同比';

/**
 * An indicator's reason (levels.ts) as it may leave the court (DOMAIN.md §5 rule 5), the same rule
 * the documents print figures by (figures.ts): counts under 5 read "<5"; with fewer than 5 cases
 * behind the value, its rates, multiples and changes are not given (with a known population or
 * base they would give the count back), only the clauses that carry none; with fewer than 5 cases
 * last year (`previous`, known for counts), no same-period change. The court reads the reason as
 * stored.
 */
export function suppressReason(reason: string, basis: { n: number; previous: number | null }): string {
  let text = reason;
  if (isSmallCell(basis.n)) {
    const [first = '', ...rest] = reason.split('；');
    const hasNumber = (clause: string) => /[0-9０-９]/.test(clause);
    const ratioLike = (clause: string) => /倍|万人|[%％]|同比(上升|下降)/.test(clause);
    text = [hasNumber(first) ? SMALL_BASIS_REASON : first, ...rest.filter((c) => !ratioLike(c))].join('；');
  } else if (basis.previous !== null && isSmallCell(basis.previous)) {
    text = text
      .replace(/上年同期为0，不计算同比增幅/g, SMALL_PREVIOUS_CHANGE)
      .replace(/同比(?:上升|下降)[0-9.]+%|同比持平/g, SMALL_PREVIOUS_CHANGE);
  }
  return suppressCountsInText(text);
}

// ---------------------------------------------------------------- dates

const digitsZh = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Parses "YYYY-MM-DD" (a calendar date in Beijing time, no zone). */
export function parseIsoDate(iso: string, field = 'date'): CalendarDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new ValidationError([{ field, reason: `日期格式应为 YYYY-MM-DD：${iso}` }]);
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (check.getUTCMonth() !== date.month - 1 || check.getUTCDate() !== date.day) {
    throw new ValidationError([{ field, reason: `日期不存在：${iso}` }]);
  }
  return date;
}

/** Chinese numeral for 0–99 in the counting style: 10 → 十, 24 → 二十四, 30 → 三十. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new ValidationError([{ field: 'n', reason: `超出范围：${n}` }]);
  if (n < 10) return digitsZh[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : digitsZh[tens]}十${ones === 0 ? '' : digitsZh[ones]}`;
}

/** 落款 style: 2026-11-24 → 二〇二六年十一月二十四日. */
export function chineseDate(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  const y = String(year)
    .split('')
    .map((d) => digitsZh[Number(d)])
    .join('');
  return `${y}年${chineseNumeral(month)}月${chineseNumeral(day)}日`;
}

/** Numeric style for body text, tables and 印发日期: 2026-11-24 → 2026年11月24日. */
export function numericDate(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  return `${year}年${month}月${day}日`;
}

const weekdays = ['日', '一', '二', '三', '四', '五', '六'];

/** "2026-12-03T09:30" (Beijing local time) → 2026年12月3日（星期四）上午9:30. */
export function numericDateTime(isoLocal: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(isoLocal);
  if (!m) throw new ValidationError([{ field: 'dateTime', reason: `时间格式应为 YYYY-MM-DDTHH:mm：${isoLocal}` }]);
  const { year, month, day } = parseIsoDate(m[1]!);
  const hour = Number(m[2]);
  const weekday = weekdays[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  const half = hour < 12 ? '上午' : '下午';
  const h12 = hour <= 12 ? hour : hour - 12;
  return `${numericDate(m[1]!)}（星期${weekday}）${half}${h12}:${m[3]}`;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

// ---------------------------------------------------------------- periods

export interface Period {
  kind: 'half_year' | 'annual';
  year: number;
}

/** 2026年上半年 / 2026年度. */
export function periodLabel(period: Period): string {
  return period.kind === 'half_year' ? `${period.year}年上半年` : `${period.year}年度`;
}

/** The same period one year earlier, for 同比. */
export function previousPeriodLabel(period: Period): string {
  return periodLabel({ ...period, year: period.year - 1 });
}

// ---------------------------------------------------------------- numbers

/** 0.1234 → "12.3%". */
export function percent(ratio: number, digits = 1): string {
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** A plain measured value with up to `digits` decimals, trailing zeros dropped: 1.50 → "1.5". */
export function decimal(value: number, digits = 2): string {
  return String(Number(value.toFixed(digits)));
}

// ---------------------------------------------------------------- risk levels and lights

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

export const riskLevels: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];

const levelNames: Record<RiskLevel, string> = { low: '低风险', medium: '中风险', high: '高风险', critical: '重大风险' };
const levelColours: Record<RiskLevel, string> = { low: '蓝色', medium: '黄色', high: '橙色', critical: '红色' };
const levelTones: Record<RiskLevel, Tone> = { low: 'blue', medium: 'yellow', high: 'orange', critical: 'red' };

/** 高风险 */
export function levelName(level: RiskLevel): string {
  return levelNames[level];
}

/** 高风险（橙色） — the level with its colour, as DOMAIN.md §4.1 item 4 asks. */
export function levelText(level: RiskLevel): string {
  return `${levelNames[level]}（${levelColours[level]}）`;
}

export function levelTone(level: RiskLevel): Tone {
  return levelTones[level];
}

export function levelRank(level: RiskLevel): number {
  return riskLevels.indexOf(level);
}

/** Traffic light of a supervision item or unit (DOMAIN.md §4.6): 绿 on track, 黄 ≤ 3 days, 红 overdue. */
export type Light = 'green' | 'yellow' | 'red';

const lightNames: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };

export function lightName(light: Light): string {
  return lightNames[light];
}

export function lightTone(light: Light): Tone {
  return light;
}
