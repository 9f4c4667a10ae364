import { figureChange, levelCell } from './figures.ts';
import { suppressCountsInText } from './format.ts';
import { outcomeNames, type IndicatorFigure, type Outcome } from './inputs.ts';
import type { Block, TableCell } from './model.ts';

/**
 * 第十条(四) looked back on (issue 19 point 7): each decision of the year's joint meetings with the
 * impact the meeting prejudged, set against what happened — the indicators it targeted (their
 * level, change and, for last year's high ones, the evaluation's outcome) and its supervision item.
 */
export interface DecisionReview {
  /** "2026年上半年联席会议（唐平纪〔2026〕1号）". */
  meeting: string;
  title: string;
  prejudgedImpact: string;
  indicatorIds: string[];
  item: { closed: boolean; onTime: boolean | null; overdue: boolean } | null;
}

const itemText = (item: DecisionReview['item']): string => {
  if (!item) return '未立项';
  if (item.closed) return item.onTime === false ? '逾期办结' : '按期办结';
  return item.overdue ? '逾期未办结' : '办理中';
};

/** What its indicators did, one line each: "B5 欠薪类案件：中风险（黄色），下降12.0%，有所好转". */
export function decisionActual(review: DecisionReview, figures: readonly IndicatorFigure[], outcomes: ReadonlyMap<string, Outcome>): string {
  const lines = review.indicatorIds.flatMap((id) => {
    const f = figures.find((x) => x.id === id);
    if (!f) return [];
    const outcome = outcomes.get(id);
    return [`${f.id} ${f.name}：${levelCell(f).text}，${figureChange(f)}${outcome ? `，${outcomeNames[outcome]}` : ''}`];
  });
  return lines.length > 0 ? lines.join('；') : '未关联评估指标';
}

export function decisionReviewBlocks(reviews: readonly DecisionReview[], figures: readonly IndicatorFigure[], outcomes: ReadonlyMap<string, Outcome>): Block[] {
  if (reviews.length === 0) return [];
  const onTime = reviews.filter((r) => r.item?.closed && r.item.onTime !== false).length;
  return [
    {
      type: 'paragraph',
      text: `全年联席会议作出决定${reviews.length}项，对应督办事项按期办结${onTime}项。各项决定实施前对其影响所作的预判与实际情况对照如下。`,
    },
    {
      type: 'table',
      columns: [
        { header: '会议', width: 2.2 },
        { header: '决定事项', width: 2.6 },
        { header: '影响预判', width: 2.6 },
        { header: '实际情况', width: 3.4 },
        { header: '督办事项', width: 1.3, align: 'center' },
      ],
      // The meeting's own words leave as the other published text does: no count under 5 (第二十条).
      rows: reviews.map((r): (string | TableCell)[] => [r.meeting, suppressCountsInText(r.title), suppressCountsInText(r.prejudgedImpact), decisionActual(r, figures, outcomes), itemText(r.item)]),
    },
  ];
}
