import { figureChange, figureChangeRatio, levelCell } from './figures.ts';
import { levelName, levelTone, type RiskLevel } from './format.ts';
import type { IndicatorFigure } from './inputs.ts';
import type { Block, TableCell } from './model.ts';

/**
 * 跟踪评估 (issue 19 point 8, 第十六条): the half-year report follows up every indicator the last
 * round warned about — the measures the units took, the state of the items they led to, and how the
 * indicator moved against the county's case trend (all new cases, same period last year).
 */
export interface FollowUpIndicator {
  /** This round's figure of the indicator (county). */
  figure: IndicatorFigure;
  /** Its level in the last round (a joint meeting's re-assessment included). */
  previousLevel: RiskLevel;
  measures: number;
  items: { closed: number; open: number; overdue: number };
}

export interface FollowUp {
  /** "2025年度评估（2025-Y）". */
  lastRound: string;
  /** All new cases this period against the same period last year, as a ratio (0.03 = +3%); null when not printable. */
  countyTrend: number | null;
  indicators: FollowUpIndicator[];
}

/** Beyond this many percentage points from the county trend an indicator did better or worse than it. */
const TREND_MARGIN = 0.05;

export function againstTrend(figure: IndicatorFigure, countyTrend: number | null): string {
  const change = figureChangeRatio(figure);
  if (change === null || countyTrend === null || figure.kind === 'share') return '无法比较';
  if (change < countyTrend - TREND_MARGIN) return '好于全县趋势';
  if (change > countyTrend + TREND_MARGIN) return '差于全县趋势';
  return '与全县趋势相当';
}

const itemsText = (i: FollowUpIndicator['items']) => (i.closed + i.open === 0 ? '未立项' : `办结${i.closed}件，在办${i.open}件${i.overdue ? `（逾期${i.overdue}件）` : ''}`);

export function followUpBlocks(followUp: FollowUp): Block[] {
  const trend = followUp.countyTrend === null ? '全县收案同比不可比' : `全县收案同比${followUp.countyTrend >= 0 ? '上升' : '下降'}${(Math.abs(followUp.countyTrend) * 100).toFixed(1)}%`;
  if (followUp.indicators.length === 0) return [{ type: 'paragraph', text: `${followUp.lastRound}未发出风险提示，本期无跟踪指标。` }];
  const better = followUp.indicators.filter((i) => againstTrend(i.figure, followUp.countyTrend) === '好于全县趋势').length;
  return [
    {
      type: 'paragraph',
      text: `${followUp.lastRound}发出风险提示的${followUp.indicators.length}项指标，相关单位共制定化解措施${followUp.indicators.reduce((n, i) => n + i.measures, 0)}条；本期${better}项指标变化好于全县趋势（${trend}）。逐项情况如下表。`,
    },
    {
      type: 'table',
      columns: [
        { header: '指标', width: 3 },
        { header: '上期等级', width: 1.5, align: 'center' },
        { header: '本期等级', width: 1.5, align: 'center' },
        { header: '同比', width: 1.8, align: 'center' },
        { header: '对比全县趋势', width: 1.6, align: 'center' },
        { header: '措施', width: 0.9, align: 'center' },
        { header: '督办事项', width: 2.2 },
      ],
      rows: followUp.indicators.map((i): (string | TableCell)[] => [
        `${i.figure.id} ${i.figure.name}`,
        { text: levelName(i.previousLevel), tone: levelTone(i.previousLevel) },
        levelCell(i.figure),
        figureChange(i.figure),
        againstTrend(i.figure, followUp.countyTrend),
        `${i.measures}条`,
        itemsText(i.items),
      ]),
      note: `注：全县趋势为本期全部新收案件同比变化（${trend}）；指标同比低于全县趋势5个百分点以上为“好于”，高于5个百分点以上为“差于”。`,
    },
  ];
}
