import { outcomeBlocks } from './assessment-report.ts';
import { Checks } from './checks.ts';
import { figureChange, figureValue, hasPrintableTrend, levelBarsChart, SUPPRESSION_NOTE, trendChart } from './figures.ts';
import { chineseDate, chineseNumeral, levelName, levelText, levelTone, numericDateTime, riskLevels, suppressCountsInText } from './format.ts';
import type { IndicatorFigure, IndicatorOutcome, Organs } from './inputs.ts';
import type { Block, OfficialDocument } from './model.ts';
import { decisionReviewBlocks, type DecisionReview } from './decision-review.ts';
import { assertNoPersonalData } from './privacy.ts';
import { publicReportTitle } from './titles.ts';

/**
 * The published annual report (policy 第十七条): 平安办 together with 最高人民法院中国司法大数据研究院
 * publish it each February and hold a seminar. Aggregates, trends, measures and outcomes only
 * (DOMAIN.md §5 rule 7): no unit scores, no item-level data, case counts suppressed below 5.
 */
export interface PublicReportInput {
  year: number;
  issuedOn: string;
  organs: Organs;
  /** Co-publisher named by 第十七条. */
  coPublisher: string;
  /** Every indicator's annual figure. */
  figures: IndicatorFigure[];
  /** Indicators whose trend is shown as a chart (ids, at most a few). */
  trendIndicatorIds: string[];
  /** Last year's high-risk indicators and how they fared. */
  outcomes: IndicatorOutcome[];
  /** The loop's work in the year, as totals (administrative counts, printed exactly). */
  work: { notices: number; opinions: number; measures: number; items: number; itemsClosed: number; meetings: number; interviews: number; listings: number };
  /** Narrative highlights, e.g. "民间借贷纠纷案件同比下降24.6%". */
  highlights: string[];
  nextSteps: string[];
  seminar: { at: string; place: string; theme: string } | null;
  /** The year's joint-meeting decisions, their prejudged impact against what happened (第十条(四)). */
  decisions: DecisionReview[];
}

export function buildPublicReport(input: PublicReportInput): OfficialDocument {
  new Checks()
    .date('issuedOn', input.issuedOn)
    .nonEmpty('figures', input.figures)
    .text('coPublisher', input.coPublisher)
    .rule(Number.isInteger(input.year), 'year', '年份无效')
    .done();

  const { organs, work } = input;
  const domains = [...new Set(input.figures.map((f) => f.domain))];
  const levelCounts = riskLevels.map((l) => `${levelName(l)}${input.figures.filter((f) => f.level === l).length}项`).reverse();
  let chart = 0;
  const body: Block[] = [
    {
      type: 'paragraph',
      text: `根据${organs.county}社会治理风险评估预警化解工作安排，${organs.peaceOffice.name}联合${input.coPublisher}，对${input.year}年度基于司法大数据的社会治理风险评估预警化解工作情况和治理成效进行总结，现予发布。`,
    },
    { type: 'heading', level: 1, text: '一、评估概况' },
    {
      type: 'paragraph',
      text: `${input.year}年度评估指标体系涵盖${domains.join('、')}等${domains.length}个领域${input.figures.length}项指标。评估结果显示：${levelCounts.join('、')}。`,
    },
    { type: 'chart', chart: levelBarsChart('各领域指标风险等级分布', input.figures), caption: `图${++chart}  各领域指标风险等级分布（项）` },
    { type: 'heading', level: 1, text: '二、主要指标运行情况' },
    {
      type: 'table',
      columns: [
        { header: '领域', width: 2.4 },
        { header: '指标', width: 3.4 },
        { header: `${input.year}年`, width: 1.6, align: 'center' },
        { header: '同比', width: 2, align: 'center' },
        { header: '风险等级', width: 1.8, align: 'center' },
      ],
      rows: input.figures.map((f) => [f.domain, `${f.id} ${f.name}`, figureValue(f), figureChange(f), { text: levelText(f.level), tone: levelTone(f.level) }]),
    },
  ];
  for (const id of input.trendIndicatorIds) {
    const f = input.figures.find((x) => x.id === id);
    if (f && hasPrintableTrend(f)) body.push({ type: 'chart', chart: trendChart(f), caption: `图${++chart}  ${f.name}变化趋势` });
  }
  body.push(
    { type: 'heading', level: 1, text: '三、风险预警与化解工作' },
    {
      type: 'paragraph',
      text: `全年共发出《风险提示函》${work.notices}份，相关单位报送工作意见${work.opinions}份、制定化解措施${work.measures}条；${organs.peaceOffice.short}登记立项督办事项${work.items}件，已办结${work.itemsClosed}件；召开联席会议${work.meetings}次，开展约谈${work.interviews}次、挂牌督办${work.listings}项。`,
    },
    { type: 'heading', level: 1, text: '四、治理成效' },
    ...outcomeBlocks(input.outcomes),
    ...input.highlights.map((h, i): Block => ({ type: 'paragraph', text: `${i + 1}. ${suppressCountsInText(h)}` })),
    ...(input.decisions.length > 0 ? [{ type: 'heading', level: 2, text: '联席会议决策影响预判与实际' } as Block] : []),
    ...decisionReviewBlocks(input.decisions, input.figures, new Map(input.outcomes.map((o) => [o.figure.id, o.outcome]))),
    { type: 'heading', level: 1, text: '五、下一步工作' },
    ...input.nextSteps.map((s, i): Block => ({ type: 'paragraph', text: `（${chineseNumeral(i + 1)}）${s}` })),
  );
  if (input.seminar) {
    body.push(
      { type: 'heading', level: 1, text: '六、成效研讨会' },
      {
        type: 'paragraph',
        text: `定于${numericDateTime(input.seminar.at)}在${input.seminar.place}举行基于司法大数据的县域社会治理成效研讨会，主题为“${input.seminar.theme}”，邀请相关机构专家、学者参加。`,
      },
    );
  }
  body.push({ type: 'paragraph', text: SUPPRESSION_NOTE, indent: false });

  return assertNoPersonalData({
    kind: 'public_report',
    header: { style: 'plain' },
    title: publicReportTitle(organs.countyShort, input.year).replace(/（[^）]*）$/, ''),
    subtitle: `（${input.year}年度）`,
    mainRecipients: [],
    body,
    signature: { organs: [organs.peaceOffice.name, input.coPublisher], date: chineseDate(input.issuedOn), sealed: false },
    note: '（此件公开发布）',
    annexes: [],
    copyTo: [],
    audience: 'public',
    meta: { issuedOn: input.issuedOn, to: [], cc: [] },
  });
}
