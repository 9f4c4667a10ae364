import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chineseDate,
  chineseNumeral,
  figureBase,
  figureChange,
  figurePrevious,
  figureValue,
  formatCount,
  levelText,
  numericDate,
  numericDateTime,
  periodLabel,
  suppressCountsInText,
  topTownships,
  trendChart,
  type IndicatorFigure,
} from '../../src/domain/documents/index.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { figures } from '../fixtures/documents.ts';

const count = (overrides: Partial<IndicatorFigure>): IndicatorFigure => ({ ...figures[0]!, ...overrides });

describe('small-cell suppression', () => {
  it('when a count is below 5, then it prints "<5"; from 5 on, the number itself', () => {
    expect([0, 1, 2, 3, 4].map((n) => formatCount(n))).toEqual(['<5', '<5', '<5', '<5', '<5']);
    expect(formatCount(5)).toBe('5');
    expect(formatCount(4, '件')).toBe('<5件');
    expect(formatCount(137, '件')).toBe('137件');
  });

  it('when a count is negative or not a number, then it is refused rather than printed', () => {
    expect(() => formatCount(-1)).toThrow(ValidationError);
    expect(() => formatCount(Number.NaN)).toThrow(ValidationError);
  });

  it('when any count is formatted, then no digit below 5 is ever printed alone', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), (n) => {
        const text = formatCount(n);
        return n < 5 ? text === '<5' : text === String(n);
      }),
    );
  });

  it('when analysts write small counts in free text, then they are suppressed but ordinals and large counts stay', () => {
    expect(suppressCountsInText('同一建筑企业涉 12 名劳动者，另有涉 3 名劳动者的系列案件')).toBe('同一建筑企业涉 12 名劳动者，另有涉 <5 名劳动者的系列案件');
    expect(suppressCountsInText('2家企业、1起群体性事件、第3件、15个工作日、4人')).toBe('<5家企业、<5起群体性事件、第3件、15个工作日、<5人');
    expect(suppressCountsInText('涉及３名未成年人')).toBe('涉及<5名未成年人');
  });

  it('when a count indicator is small, then its value, last year and the change are all withheld', () => {
    const small = count({ value: 3, previous: 2, basisCount: 3, previousBasisCount: 2, base: { label: '县近三年同期均值', value: 3 } });
    expect(figureValue(small)).toBe('<5件');
    expect(figurePrevious(small)).toBe('<5件');
    expect(figureChange(small)).toBe('基数<5，不作同比');
    expect(figureBase(small)).toBe('县近三年同期均值<5件');
  });

  it('when a rate is computed from fewer than 5 cases, then the rate is not printed (it would reveal the count)', () => {
    const rate = count({ kind: 'rate', unit: '件/万人', value: 0.03, previous: 0.1, basisCount: 3, previousBasisCount: 10 });
    expect(figureValue(rate)).toBe('<5件（不计算比率）');
    expect(figureChange(rate)).toBe('基数<5，不作同比');
  });

  it('when a share has enough cases, then it prints as a percentage with a change in percentage points', () => {
    const share = figures[1]!;
    expect(figureValue(share)).toBe('26.8%');
    expect(figurePrevious(share)).toBe('19.0%');
    expect(figureChange(share)).toBe('上升7.8个百分点');
    expect(figureBase(share)).toBe('南阳市平均17.1%（本期为其1.57倍）');
  });

  it('when a count grows, then the change is relative and the base ratio is shown', () => {
    expect(figureChange(figures[0]!)).toBe('上升42.7%');
    expect(figureChange(figures[3]!)).toBe('下降23.9%');
    expect(figureBase(figures[0]!)).toBe('县近三年同期均值88件（本期为其1.56倍）');
  });

  it('when townships are listed, then the top five by count come first and small ones print "<5"', () => {
    const tops = topTownships(count({ townships: [{ name: '甲镇', count: 2 }, { name: '乙镇', count: 9 }, { name: '丙镇', count: 30 }] }));
    expect(tops).toEqual([
      { name: '丙镇', count: '30件', level: '—' },
      { name: '乙镇', count: '9件', level: '—' },
      { name: '甲镇', count: '<5件', level: '—' },
    ]);
  });

  it('when a trend has periods with fewer than 5 cases, then those points are gaps in the chart', () => {
    const chart = trendChart(count({ trend: [{ label: 'a', value: 3, basisCount: 3 }, { label: 'b', value: 12, basisCount: 12 }] }));
    expect(chart.series[0]!.values).toEqual([null, 12]);
  });
});

describe('Chinese dates and wording', () => {
  it('when a date is signed (落款), then it is written in Chinese numerals with 〇', () => {
    expect(chineseDate('2026-11-24')).toBe('二〇二六年十一月二十四日');
    expect(chineseDate('2026-10-01')).toBe('二〇二六年十月一日');
    expect(chineseDate('2030-12-31')).toBe('二〇三〇年十二月三十一日');
    expect(chineseDate('2027-02-10')).toBe('二〇二七年二月十日');
  });

  it('when a date is in body text, then it is numeric without leading zeros', () => {
    expect(numericDate('2026-07-04')).toBe('2026年7月4日');
    expect(numericDateTime('2026-12-03T09:30')).toBe('2026年12月3日（星期四）上午9:30');
    expect(numericDateTime('2026-12-05T14:30')).toBe('2026年12月5日（星期六）下午2:30');
  });

  it('when a date does not exist or is malformed, then a validation error names it', () => {
    expect(() => chineseDate('2026-02-30')).toThrow(ValidationError);
    expect(() => numericDate('2026/11/24')).toThrow(/YYYY-MM-DD/);
  });

  it('when numbers are counted in Chinese, then 10–99 follow the counting style', () => {
    expect([1, 10, 11, 20, 24, 99].map(chineseNumeral)).toEqual(['一', '十', '十一', '二十', '二十四', '九十九']);
  });

  it('when a level or period is named, then the colour and half are spelled out', () => {
    expect(levelText('high')).toBe('高风险（橙色）');
    expect(levelText('critical')).toBe('重大风险（红色）');
    expect(periodLabel({ kind: 'half_year', year: 2026 })).toBe('2026年上半年');
    expect(periodLabel({ kind: 'annual', year: 2026 })).toBe('2026年度');
  });
});
