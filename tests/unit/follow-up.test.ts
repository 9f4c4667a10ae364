import { describe, expect, it } from 'vitest';
import { againstTrend, followUpBlocks, type FollowUp } from '../../src/domain/documents/follow-up.ts';
import type { IndicatorFigure } from '../../src/domain/documents/inputs.ts';
import { figures } from '../fixtures/documents.ts';

const count = (value: number, previous: number): IndicatorFigure => ({ ...figures.find((f) => f.kind === 'count')!, value, previous, basisCount: value, previousBasisCount: previous });

describe('follow-up of the last round (第十六条)', () => {
  it('when an indicator moves more than 5 points away from the county case trend, then it did better or worse than it; within 5 points, as well; unknown, not compared', () => {
    expect(againstTrend(count(80, 100), 0.03)).toBe('好于全县趋势');
    expect(againstTrend(count(110, 100), 0.03)).toBe('差于全县趋势');
    expect(againstTrend(count(105, 100), 0.03)).toBe('与全县趋势相当');
    expect(againstTrend(count(105, 100), null)).toBe('无法比较');
    expect(againstTrend(count(3, 100), 0.03)).toBe('无法比较');
  });

  it('when the last round warned about indicators, then the section counts measures and better moves and lists each with its items; without warnings it says so', () => {
    const followUp: FollowUp = {
      lastRound: '2025年度评估（2025-Y）',
      countyTrend: 0.03,
      indicators: [
        { figure: count(80, 100), previousLevel: 'high', measures: 3, items: { closed: 2, open: 1, overdue: 1 } },
        { figure: count(110, 100), previousLevel: 'critical', measures: 1, items: { closed: 0, open: 0, overdue: 0 } },
      ],
    };
    const [intro, table] = followUpBlocks(followUp);
    expect(intro).toEqual({ type: 'paragraph', text: '2025年度评估（2025-Y）发出风险提示的2项指标，相关单位共制定化解措施4条；本期1项指标变化好于全县趋势（全县收案同比上升3.0%）。逐项情况如下表。' });
    if (table?.type !== 'table') throw new Error('no table');
    expect(table.rows.map((r) => r.slice(4))).toEqual([
      ['好于全县趋势', '3条', '办结2件，在办1件（逾期1件）'],
      ['差于全县趋势', '1条', '未立项'],
    ]);
    expect(followUpBlocks({ ...followUp, indicators: [] })).toEqual([{ type: 'paragraph', text: '2025年度评估（2025-Y）未发出风险提示，本期无跟踪指标。' }]);
  });
});
