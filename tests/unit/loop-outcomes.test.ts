import { describe, expect, it } from 'vitest';
import { classifyOutcome, classifyOutcomes, countOutcomes, linkOutcomes, riskyChange, type OutcomeInput } from '../../src/domain/loop/outcomes.ts';

const rules = { changeThreshold: 0.1 };
const county = (previous: [number, OutcomeInput['previous']['level']], current: [number, OutcomeInput['current']['level']]): OutcomeInput => ({
  indicatorId: 'B2',
  regionId: 'county',
  higherIsRiskier: true,
  previous: { value: previous[0], level: previous[1] },
  current: { value: current[0], level: current[1] },
});

describe('outcome of last year’s high-risk indicators', () => {
  it('when a high indicator fell to low, then it is resolved, with its levels credited', () => {
    expect(classifyOutcome(county([100, 'high'], [60, 'low']), rules)).toMatchObject({ outcome: 'resolved', levelDelta: -2, creditedLevels: 2, trendAdjusted: false });
  });

  it('when a high indicator fell to medium, then it is improved by one level', () => {
    expect(classifyOutcome(county([100, 'high'], [80, 'medium']), rules)).toMatchObject({ outcome: 'improved', creditedLevels: 1 });
  });

  it('when the level stayed high, then the value decides: 20 % lower is improved, 5 % higher is unchanged, 15 % higher is worse', () => {
    expect(classifyOutcome(county([100, 'high'], [80, 'high']), rules).outcome).toBe('improved');
    expect(classifyOutcome(county([100, 'high'], [105, 'high']), rules).outcome).toBe('unchanged');
    expect(classifyOutcome(county([100, 'high'], [115, 'high']), rules).outcome).toBe('worse');
  });

  it('when a high indicator became critical, then it is worse', () => {
    expect(classifyOutcome(county([100, 'high'], [160, 'critical']), rules)).toMatchObject({ outcome: 'worse', levelDelta: 1, creditedLevels: 0 });
  });

  it('when a township fell a level only as much as the whole county did, then it is not credited: unchanged, marked trend-adjusted', () => {
    const o = classifyOutcome(
      { ...county([100, 'high'], [70, 'medium']), regionId: 'town-yuantan', countyTrend: { previous: 1000, current: 720 } },
      rules,
    );
    expect(o).toMatchObject({ outcome: 'unchanged', creditedLevels: 0, trendAdjusted: true });
    expect(o.ownChange).toBeCloseTo(-0.3);
    expect(o.countyChange).toBeCloseTo(-0.28);
    expect(o.adjustedChange).toBeCloseTo(-0.02);
  });

  it('when a township fell clearly more than the county, then it is credited', () => {
    const o = classifyOutcome(
      { ...county([100, 'high'], [60, 'medium']), regionId: 'town-yuantan', countyTrend: { previous: 1000, current: 900 } },
      rules,
    );
    expect(o).toMatchObject({ outcome: 'improved', creditedLevels: 1, trendAdjusted: false });
  });

  it('when a township rose a level no more than the county did, then it is not blamed: unchanged, marked trend-adjusted', () => {
    const o = classifyOutcome(
      { ...county([100, 'high'], [140, 'critical']), regionId: 'town-yuantan', countyTrend: { previous: 1000, current: 1350 } },
      rules,
    );
    expect(o).toMatchObject({ outcome: 'unchanged', trendAdjusted: true });
  });

  it('when a township stayed at the same level but fell with the county, then the county fall is taken out of its change', () => {
    const o = classifyOutcome(
      { ...county([100, 'high'], [80, 'high']), regionId: 'town-yuantan', countyTrend: { previous: 1000, current: 780 } },
      rules,
    );
    expect(o).toMatchObject({ outcome: 'unchanged', trendAdjusted: true });
  });

  it('when a lower value means more risk, then a fall is riskier', () => {
    expect(riskyChange(0.5, 0.4, false)).toBeCloseTo(0.2);
    expect(classifyOutcome({ ...county([50, 'high'], [40, 'high']), higherIsRiskier: false }, rules).outcome).toBe('worse');
  });

  it('when last year’s value was 0, then there is no ratio and the levels alone decide', () => {
    expect(riskyChange(0, 5, true)).toBeNull();
    expect(classifyOutcome(county([0, 'high'], [3, 'high']), rules).outcome).toBe('unchanged');
  });

  it('when indicators were not high last year, then they are not evaluated', () => {
    const outcomes = classifyOutcomes([county([10, 'medium'], [20, 'high']), county([100, 'critical'], [50, 'low'])], rules);
    expect(outcomes.map((o) => o.outcome)).toEqual(['resolved']);
    expect(countOutcomes(outcomes)).toEqual({ resolved: 1, improved: 0, unchanged: 0, worse: 0 });
  });

  it('when measures targeted an indicator, then the outcome lists them: county-wide measures everywhere, township measures in their township and in the county value', () => {
    const outcomes = [
      classifyOutcome(county([100, 'high'], [60, 'low']), rules),
      classifyOutcome({ ...county([100, 'high'], [60, 'low']), regionId: 'town-yuantan' }, rules),
      classifyOutcome({ ...county([100, 'high'], [60, 'low']), regionId: 'town-guotan' }, rules),
    ];
    const linked = linkOutcomes(outcomes, [
      { measureId: 'm-county', itemIds: ['i-1'], indicatorIds: ['B2'], townships: [] },
      { measureId: 'm-yuantan', itemIds: ['i-2', 'i-3'], indicatorIds: ['B2'], townships: ['town-yuantan'] },
      { measureId: 'm-other', itemIds: ['i-4'], indicatorIds: ['B5'], townships: [] },
    ]);
    expect(linked.map((l) => [l.regionId, l.measureIds, l.itemIds])).toEqual([
      ['county', ['m-county', 'm-yuantan'], ['i-1', 'i-2', 'i-3']],
      ['town-yuantan', ['m-county', 'm-yuantan'], ['i-1', 'i-2', 'i-3']],
      ['town-guotan', ['m-county'], ['i-1']],
    ]);
  });
});
