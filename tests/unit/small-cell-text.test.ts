import { describe, expect, it } from 'vitest';
import { SMALL_BASIS_REASON, SMALL_PREVIOUS_CHANGE, suppressCountsInText, suppressReason } from '../../src/domain/documents/format.ts';
import { defaultCatalogue } from '../../src/domain/indicators/catalogue.ts';
import { assessLevel, type Observation } from '../../src/domain/indicators/levels.ts';
import { smallCountsIn, smallCountsInJson } from '../support/small-counts.ts';

/**
 * Small-cell suppression of words (第二十条, issue 19 point 11): the product's rule for reasons
 * and free text (format.ts), and the independent detector the HTTP scan uses (tests/support),
 * held against each other on the same texts.
 */
const def = (id: string) => defaultCatalogue.find((d) => d.id === id)!;
const township = (o: Partial<Observation>): Observation => ({ scope: 'township', value: 3, n: 3, previous: 1, base: 0.8, comparable: 1.3, ratePer10k: 1.3, maxPerKey: null, ...o });
const county = (o: Partial<Observation>): Observation => ({ scope: 'county', value: 1, n: 1, previous: 0, base: 0.33, comparable: 1, ratePer10k: 0.01, maxPerKey: null, ...o });

describe('counts in text', () => {
  it('suppresses a count with a space or none before its counting word, and one after a count label', () => {
    expect(suppressCountsInText('新收3 件，另有 2件')).toBe('新收<5 件，另有 <5件');
    expect(suppressCountsInText('共2起，涉及１户')).toBe('共<5起，涉及<5户');
    expect(suppressCountsInText('案件数 3，收案数为2，涉案4，合计：1')).toBe('案件数 <5，收案数为<5，涉案<5，合计：<5');
    expect(suppressCountsInText('舆情3条、信访4人次')).toBe('舆情<5条、信访<5人次');
  });

  it('keeps ordinals, decimals, rates, indicator codes, years, dates, percentages, multiples and thresholds', () => {
    const kept = '第3件、1.3件/万人、2件/万人、B2、A4指标、2025年、3月2日、同比上升3%、为基准的1.5倍、共3个乡镇、阈值3件、少于3件、不少于2件、案件数12件、共计15日';
    expect(suppressCountsInText(kept)).toBe(kept);
    expect(smallCountsIn(kept)).toEqual([]);
  });

  it('the detector finds what the rule replaces, and nothing once it has', () => {
    const texts = ['案件数3件少于10件', '指标值1件，达到阈值1件即为高风险', '同一被告涉案2件', '新收 4 名未成年被告人', '收案数：3', '共1起'];
    for (const t of texts) {
      expect(smallCountsIn(t), t).not.toEqual([]);
      expect(smallCountsIn(suppressCountsInText(t)), t).toEqual([]);
    }
    expect(smallCountsInJson({ cells: [{ reason: '案件数2件' }], n: 3, count: 2 })).toEqual(['$.cells[0].reason: 案件数2件', '$.n: 3']);
  });
});

describe('an indicator reason outside the court', () => {
  it('C5 (有案即高风险) with 2 cases: the stored reason names the count; outside the court it reads "<5", without the multiple of the base', () => {
    const verdict = assessLevel(def('C5'), county({ value: 2, n: 2, comparable: 2 }));
    expect(verdict.level).toBe('critical');
    expect(verdict.reason).toBe('为比较基准的6.06倍，达到高风险阈值1.3倍；指标值2件，达到阈值2件即为重大风险，定为重大风险');
    expect(smallCountsIn(verdict.reason)).not.toEqual([]);
    const outside = suppressReason(verdict.reason, { n: 2, previous: 0 });
    expect(outside).toBe(`${SMALL_BASIS_REASON}；指标值<5件，达到阈值2件即为重大风险，定为重大风险`);
    expect(smallCountsIn(outside)).toEqual([]);
  });

  it('a township with 3 cases: its multiple of the county rate (which gives the count back with the population) is not given', () => {
    const verdict = assessLevel(def('B2'), township({}));
    expect(verdict.reason).toMatch(/倍/);
    const outside = suppressReason(verdict.reason, { n: 3, previous: 1 });
    expect(outside).toBe(`${SMALL_BASIS_REASON}；但案件数<5件少于10件，等级封顶为中风险`);
    expect(outside).not.toMatch(/倍/);
  });

  it('a capped level keeps its guard clause with the count suppressed', () => {
    const verdict = assessLevel(def('A4'), township({ value: 2, n: 2, previous: 0, comparable: 5, base: 1 }));
    expect(verdict.reason).toContain('但案件数2件少于3件');
    expect(suppressReason(verdict.reason, { n: 2, previous: 0 })).toContain('但案件数<5件少于3件，等级封顶为中风险');
  });

  it('last year under 5: the same-period change is not given; the rest is', () => {
    const reason = '同比上升150%，达到高风险阈值30%';
    expect(suppressReason(reason, { n: 10, previous: 4 })).toBe(`${SMALL_PREVIOUS_CHANGE}，达到高风险阈值30%`);
    expect(suppressReason('上年同期为0，不计算同比增幅，无比较基准，未作比较', { n: 8, previous: 0 })).toBe(`${SMALL_PREVIOUS_CHANGE}，无比较基准，未作比较`);
    expect(suppressReason(reason, { n: 10, previous: null })).toBe(reason);
    expect(suppressReason(reason, { n: 10, previous: 8 })).toBe(reason);
  });

  it('a reason without a number stays as it is, whatever the count', () => {
    expect(suppressReason('本期无可计算数据', { n: 0, previous: null })).toBe('本期无可计算数据');
    expect(suppressReason('无可比历史数据，不作同比和基准比较，仅按阈值判定为低风险', { n: 2, previous: null })).toBe('无可比历史数据，不作同比和基准比较，仅按阈值判定为低风险');
  });
});
