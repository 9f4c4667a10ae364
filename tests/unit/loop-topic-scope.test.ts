import { describe, expect, it } from 'vitest';
import { inTopic, orderedPeriods, periodRange, topicRoundId, topicSpanLabel } from '../../src/domain/loop/topic-scope.ts';
import { periodLabel } from '../../src/domain/documents/format.ts';

describe('专题分析 scope', () => {
  it('when periods come in any order or twice, then they run oldest first without repeats', () => {
    expect(orderedPeriods([{ kind: 'annual', year: 2025 }, { kind: 'annual', year: 2023 }, { kind: 'annual', year: 2025 }])).toEqual([
      { kind: 'annual', year: 2023 },
      { kind: 'annual', year: 2025 },
    ]);
  });

  it("when a period is a half year or a year, then its dates are the round's", () => {
    expect(periodRange({ kind: 'half_year', year: 2024 })).toEqual({ start: '2024-01-01', end: '2024-06-30' });
    expect(periodRange({ kind: 'annual', year: 2024 })).toEqual({ start: '2024-01-01', end: '2024-12-31' });
  });

  it("when a run's figures are scoped, then only the topic's indicators, county-wide and in its townships, remain", () => {
    const results = [
      { indicatorId: 'B2', region: 'county' },
      { indicatorId: 'B2', region: 'town-yuantan' },
      { indicatorId: 'B2', region: 'town-huyang' },
      { indicatorId: 'B4', region: 'county' },
      { indicatorId: 'B4', region: 'town-yuantan' },
    ];
    expect(inTopic({ indicatorIds: ['B2'], townshipIds: ['town-yuantan'] }, results)).toEqual([
      { indicatorId: 'B2', region: 'county' },
      { indicatorId: 'B2', region: 'town-yuantan' },
    ]);
  });

  it("when named, then a topic's round and span read as the county writes them", () => {
    expect(topicRoundId(2026, 3)).toBe('2026-T3');
    expect(topicSpanLabel([{ kind: 'half_year', year: 2024 }, { kind: 'half_year', year: 2025 }], periodLabel)).toBe('2024年上半年至2025年上半年');
    expect(topicSpanLabel([{ kind: 'annual', year: 2025 }], periodLabel)).toBe('2025年度');
  });
});
