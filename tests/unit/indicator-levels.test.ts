import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from '../../src/domain/indicators/catalogue.ts';
import { definitionSchema, type IndicatorDefinition } from '../../src/domain/indicators/definition.ts';
import { assessLevel, type Observation } from '../../src/domain/indicators/levels.ts';

const def = (id: string): IndicatorDefinition => defaultCatalogue.find((d) => d.id === id)!;
const county = (o: Partial<Observation>): Observation => ({ scope: 'county', value: 100, n: 100, previous: 100, base: 100, comparable: 100, ratePer10k: null, maxPerKey: null, ...o });
const township = (o: Partial<Observation>): Observation => county({ scope: 'township', ...o });

describe('default bands (DOMAIN.md §2.1)', () => {
  const b1 = def('B1');
  it('low below +10 % and 1.10', () => expect(assessLevel(b1, county({ value: 109, comparable: 109 })).level).toBe('low'));
  it('medium from +10 % YoY', () => expect(assessLevel(b1, county({ value: 110, comparable: 105 }))).toMatchObject({ level: 'medium', reason: '同比上升10%，达到中风险阈值10%' }));
  it('medium from 1.10 × base', () => expect(assessLevel(b1, county({ value: 100, previous: 100, comparable: 112 })).level).toBe('medium'));
  it('high from +30 % YoY', () => expect(assessLevel(b1, county({ value: 142, comparable: 100 }))).toMatchObject({ level: 'high', reason: '同比上升42%，达到高风险阈值30%' }));
  it('high from 1.30 × base', () => expect(assessLevel(b1, county({ value: 100, comparable: 131 })).reason).toBe('为比较基准的1.31倍，达到高风险阈值1.3倍'));
  it('critical only when both +50 % and 1.50 ×', () => {
    expect(assessLevel(b1, county({ value: 160, comparable: 160 })).level).toBe('critical');
    expect(assessLevel(b1, county({ value: 160, comparable: 140 })).level).toBe('high');
  });
  it('a township is judged against the county, not by its own swing', () => {
    expect(assessLevel(b1, township({ value: 40, previous: 20, comparable: 1.0, base: 1.0 })).level).toBe('low');
    expect(assessLevel(b1, township({ value: 40, previous: 20, comparable: 1.6, base: 1.0 })).level).toBe('critical');
  });
  it('no case last year is said in words, apart from no data', () => {
    expect(assessLevel(b1, county({ previous: 0 })).reason).toBe('上年同期为0，不计算同比增幅，为比较基准的1倍，未达到中风险阈值1.1倍');
    expect(assessLevel(b1, county({ previous: null })).reason).toBe('无上年同期数据，为比较基准的1倍，未达到中风险阈值1.1倍');
  });
});

describe('reasons that never contradict themselves (issue 17 rule 11)', () => {
  const b1 = def('B1');
  it('when the value equals last year, then the reason reads 同比持平', () => {
    expect(assessLevel(b1, county({ value: 100, previous: 100, comparable: 100, base: 100 }))).toMatchObject({
      level: 'low',
      yoy: 0,
      reason: '同比持平，为比较基准的1倍，均未达到中风险阈值（同比10%、1.1倍）',
    });
  });
  it('when a change rounds onto a threshold or onto zero, then more digits keep it on its own side', () => {
    expect(assessLevel(b1, county({ value: 109.96, previous: 100, comparable: 100 })).reason).toBe('同比上升9.96%，为比较基准的1倍，均未达到中风险阈值（同比10%、1.1倍）');
    expect(assessLevel(b1, county({ value: 100.3, previous: 100, comparable: 100 })).reason).toBe('同比上升0.3%，为比较基准的1倍，均未达到中风险阈值（同比10%、1.1倍）');
    expect(assessLevel(b1, county({ value: 100, comparable: 109.96 })).reason).toBe('同比持平，为比较基准的1.0996倍，均未达到中风险阈值（同比10%、1.1倍）');
    expect(assessLevel(def('A2'), county({ value: 24.96, n: 40 })).reason).toBe('指标值为24.96%，达到中风险阈值15%');
    expect(assessLevel(def('A1'), county({ value: 100, comparable: 100, ratePer10k: 1.004 })).reason).toContain('万人数1.004，超过1，定为中风险');
  });
  it('when a township rises steeply but stays near the county, then its reason says the rise does not grade it', () => {
    expect(assessLevel(b1, township({ value: 40, previous: 20, comparable: 1.05, base: 1.0 }))).toMatchObject({
      level: 'low',
      reason: '为比较基准的1.05倍，未达到中风险阈值1.1倍（同比上升100%，乡镇不单独按同比定级）',
    });
  });
  it('when the county has no comparable year, then the level comes from the thresholds alone and the reason says 无可比历史数据', () => {
    const none = county({ value: 100, n: 100, previous: null, base: null, comparable: 100 });
    expect(assessLevel(b1, none)).toEqual({ level: 'low', yoy: null, ratio: null, reason: '无可比历史数据，不作同比和基准比较，仅按阈值判定为低风险' });
    expect(assessLevel(def('B2'), { ...none, maxPerKey: 20 })).toMatchObject({ level: 'critical', reason: '无可比历史数据，不作同比和基准比较；同一被告涉案20件，达到20件，定为重大风险' });
  });
  it('when last year has no figure, then the year-on-year rule does not fire', () => {
    expect(assessLevel(def('C4'), county({ value: 9, n: 9, previous: null, base: null, comparable: 9 }))).toEqual({
      level: 'low',
      yoy: null,
      ratio: null,
      reason: '无可比历史数据，不作同比和基准比较，仅按阈值判定为低风险',
    });
  });
  it('whatever the numbers, a reason that prints a change agrees with the thresholds it names', () => {
    for (let v = 95; v <= 165; v += 0.37) {
      const { level, reason } = assessLevel(b1, county({ value: v, previous: 100, comparable: 100 }));
      const shown = Number(/同比上升([\d.]+)%/.exec(reason)?.[1] ?? 0);
      const named = /阈值(\d+)%/.exec(reason);
      if (level === 'low') expect(shown, reason).toBeLessThan(10);
      else expect(shown, reason).toBeGreaterThanOrEqual(Number(named![1]));
    }
  });
});

describe('small-number guard', () => {
  it('caps fewer than min_n cases at medium and says why', () => {
    const v = assessLevel(def('B1'), county({ value: 9, n: 9, previous: 3, comparable: 9, base: 3 }));
    expect(v.level).toBe('medium');
    expect(v.reason).toContain('案件数9件少于10件，等级封顶为中风险');
  });
  it('does not cap at min_n', () => expect(assessLevel(def('B1'), county({ value: 10, n: 10, previous: 3, comparable: 10, base: 3 })).level).toBe('critical'));
});

describe('absolute bands and floors', () => {
  it('A2 loss rate: 15 / 25 / 35 %', () => {
    expect(assessLevel(def('A2'), county({ value: 14.9, n: 40 })).level).toBe('low');
    expect(assessLevel(def('A2'), county({ value: 25, n: 40 }))).toMatchObject({ level: 'high', reason: '指标值为25%，达到高风险阈值25%' });
    expect(assessLevel(def('A2'), county({ value: 35, n: 40 })).level).toBe('critical');
  });
  it('E2 on-time rate: lower is riskier', () => {
    expect(assessLevel(def('E2'), county({ value: 98.5, n: 500 })).level).toBe('low');
    expect(assessLevel(def('E2'), county({ value: 94, n: 500 })).reason).toBe('指标值为94%，低于高风险阈值95%');
  });
  it('B2: twenty cases against one defendant are critical whatever the trend', () => {
    const v = assessLevel(def('B2'), county({ value: 100, maxPerKey: 20 }));
    expect(v.level).toBe('critical');
    expect(v.reason).toContain('同一被告涉案20件，达到20件，定为重大风险');
    expect(assessLevel(def('B2'), county({ value: 100, maxPerKey: 19 })).level).toBe('low');
  });
  it('A3, B5, B7: the hard trigger counts plaintiffs (当事人人数), as DOMAIN.md defines it; B2 deliberately counts cases', () => {
    const floorOf = (id: string) => def(id).floors.find((f) => f.when === 'max_per_key_gte');
    expect(['A3', 'B2', 'B5', 'B7'].map((id) => [id, floorOf(id)])).toEqual([
      ['A3', { when: 'max_per_key_gte', key: 'series_id', count: 'plaintiffs', value: 10, floor: 'critical' }],
      ['B2', { when: 'max_per_key_gte', key: 'defendant_key', count: 'cases', value: 20, floor: 'critical' }],
      ['B5', { when: 'max_per_key_gte', key: 'defendant_key', count: 'plaintiffs', value: 10, floor: 'critical' }],
      ['B7', { when: 'max_per_key_gte', key: 'defendant_key', count: 'plaintiffs', value: 10, floor: 'critical' }],
    ]);
    expect(assessLevel(def('B5'), county({ value: 100, maxPerKey: 12 }))).toMatchObject({ level: 'critical', reason: expect.stringContaining('同一被告涉及原告12人，达到10人，定为重大风险') });
    expect(assessLevel(def('A3'), county({ value: 6, n: 6, maxPerKey: 10 }))).toMatchObject({ level: 'critical', reason: expect.stringContaining('同一案件或系列案原告10人，达到10人') });
    expect(assessLevel(def('B7'), county({ value: 100, maxPerKey: 9 })).level).toBe('low');
    expect(def('B5').description).toContain('同一被告涉及原告（劳动者）≥10人（按当事人人数计）');
  });
  it('C4: any rise with at least five juveniles is high; the guard does not undo a floor', () => {
    expect(assessLevel(def('C4'), county({ value: 6, n: 6, previous: 5, comparable: 6, base: 6 })).level).toBe('high');
    expect(assessLevel(def('C4'), county({ value: 4, n: 4, previous: 3, comparable: 4, base: 4 })).level).toBe('medium');
  });
  it('A1: more than 1.0 per 10k residents is at least medium', () => {
    expect(assessLevel(def('A1'), county({ ratePer10k: 1.2 })).level).toBe('medium');
  });
  it('C5: one case of mass-victim crime county-wide is high, two critical', () => {
    expect(assessLevel(def('C5'), county({ value: 1, n: 1, previous: 1, comparable: 1, base: 1 })).level).toBe('high');
    expect(assessLevel(def('C5'), county({ value: 2, n: 2, previous: 2, comparable: 2, base: 2 })).level).toBe('critical');
  });
  it('an empty share is low and says so', () => expect(assessLevel(def('A2'), county({ value: null, n: 0 })).reason).toBe('本期无可计算数据'));
});

describe('catalogue', () => {
  it('holds 37 valid definitions, A5, E6 and F3 disabled', () => {
    expect(defaultCatalogue).toHaveLength(37);
    for (const d of defaultCatalogue) expect(() => definitionSchema.parse(d), d.id).not.toThrow();
    expect(defaultCatalogue.filter((d) => !d.enabled).map((d) => d.id)).toEqual(['A5', 'E6', 'F3']);
  });
});
