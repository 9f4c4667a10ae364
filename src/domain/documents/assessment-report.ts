import { compareIndicatorCodes } from '../indicators/labels.ts';
import { Checks } from './checks.ts';
import { dataQualityBlocks, type DataQuality } from './data-quality.ts';
import {
  definitionsTable,
  figureBase,
  figureChange,
  figurePrevious,
  figureValue,
  figuresTable,
  hasPrintableTrend,
  levelBarsChart,
  levelCell,
  SUPPRESSION_NOTE,
  topTownships,
  townshipHeatGrid,
  trendChart,
} from './figures.ts';
import { chineseDate, chineseNumeral, formatCount, isSmallCell, levelName, levelRank, levelText, levelTone, numericDate, periodLabel, previousPeriodLabel, riskLevels, suppressCountsInText, type Period } from './format.ts';
import { outcomeNames, type IndicatorFigure, type IndicatorOutcome, type Organs, type Outcome } from './inputs.ts';
import { labelAnnexes, type Block, type Contact, type OfficialDocument } from './model.ts';
import { followUpBlocks, type FollowUp } from './follow-up.ts';
import { assertNoPersonalData } from './privacy.ts';
import { assessmentReportTitle } from './titles.ts';

/**
 * 评估报告 (policy 第六条, 第七条, 第十六条): 《基于司法大数据的唐河法院经济社会运行情况评估报告》,
 * half-year (each July) or annual (each February, with the evaluation of last year's high-risk
 * indicators). Sent to 县委、县政府、县委政法委; it leaves the court, so every case count is
 * suppressed below 5. Charts: risk-level bars per domain, a trend line per high-risk indicator,
 * the township heat grid. It ends with 数据说明: imports, refused files, comparable years, gaps
 * and the month × township coverage grid (issue 17 rule 13).
 */
export interface AssessmentReportInput {
  /** Optional 文号 (series `assessmentReport`, e.g. 唐法评〔2026〕2号). */
  number?: string;
  issuedOn: string;
  organs: Organs;
  period: Period;
  dataCutOff: string;
  /** New cases by case type (刑事/民事/行政/执行…) this period and the same period last year. */
  caseTotals: { type: string; count: number; previous: number | null }[];
  /** Every indicator of the catalogue with its value this period. */
  figures: IndicatorFigure[];
  /** All township-level units, in the county's order (rows of the heat grid). */
  townships: string[];
  /** Analysis per high-risk indicator: aggregated patterns, no names. */
  analyses: { indicatorId: string; text: string }[];
  suggestions: string[];
  /** Annual reports: last year's high-risk indicators and how they fared (第十六条). */
  evaluation?: { year: number; outcomes: IndicatorOutcome[] };
  /** Half-year reports: the indicators the last round warned about, followed up. */
  followUp?: FollowUp;
  /** What the figures rest on: the 数据说明 section every report ends with. */
  dataQuality: DataQuality;
  contact: Contact;
}

const isHigh = (f: IndicatorFigure): boolean => f.level === 'high' || f.level === 'critical';

export function buildAssessmentReport(input: AssessmentReportInput): OfficialDocument {
  new Checks()
    .date('issuedOn', input.issuedOn)
    .date('dataCutOff', input.dataCutOff)
    .nonEmpty('figures', input.figures)
    .nonEmpty('townships', input.townships)
    .rule(input.period?.kind !== 'annual' || input.evaluation !== undefined, 'evaluation', '年度报告应包含上一年度高风险指标成效评价')
    .done();

  const { organs, period } = input;
  const periodText = periodLabel(period);
  const high = input.figures.filter(isHigh).sort((a, b) => levelRank(b.level) - levelRank(a.level) || compareIndicatorCodes(a.id, b.id));
  const domains = [...new Set(input.figures.map((f) => f.domain))];
  const perLevel = riskLevels.map((l) => `${levelName(l)}${input.figures.filter((f) => f.level === l).length}项`).reverse();
  // The total adds up only categories printed as numbers: a total over a "<5" row would let the
  // reader compute that row back (complementary disclosure).
  const printable = input.caseTotals.filter((t) => !isSmallCell(t.count));
  const hidden = input.caseTotals.filter((t) => isSmallCell(t.count));
  const totalNew = printable.reduce((s, t) => s + t.count, 0);
  const prevKnown = printable.every((t) => t.previous !== null && !isSmallCell(t.previous));
  const totalPrev = prevKnown ? printable.reduce((s, t) => s + (t.previous ?? 0), 0) : null;
  const totalChange = totalPrev !== null && totalPrev > 0 ? `，同比${countChange(totalNew, totalPrev)}` : '';
  const hiddenNote = hidden.length > 0 ? `（另有${hidden.map((t) => t.type).join('、')}案件少于5件，未计入合计）` : '';
  let chartNo = 0;
  let tableNo = 1;
  const body: Block[] = [
    {
      type: 'paragraph',
      text: `为充分发挥司法大数据“风向标”“晴雨表”作用，${organs.court.name}依托司法大数据，对${periodText}全县经济社会运行情况开展评估。评估指标体系涵盖${domains.join('、')}等${domains.length}个领域${input.figures.length}项指标。现将评估情况报告如下。`,
    },
    { type: 'heading', level: 1, text: '一、总体情况' },
    {
      type: 'paragraph',
      text: `${periodText}，全县法院新收${printable.map((t) => t.type).join('、')}等各类案件${formatCount(totalNew, '件')}${totalChange}${hiddenNote}。经评估，${input.figures.length}项指标中${perLevel.join('、')}。`,
    },
    {
      type: 'table',
      title: `表1  ${periodText}新收案件情况`,
      columns: [
        { header: '案件类型', width: 2.4 },
        { header: '本期', width: 1.6, align: 'center' },
        { header: previousPeriodLabel(period), width: 2, align: 'center' },
        { header: '同比', width: 2, align: 'center' },
      ],
      rows: input.caseTotals.map((t) => [t.type, formatCount(t.count, '件'), t.previous === null ? '—' : formatCount(t.previous, '件'), countChange(t.count, t.previous)]),
    },
    { type: 'chart', chart: levelBarsChart('各领域指标风险等级分布', input.figures), caption: `图${++chartNo}  各领域指标风险等级分布（项）` },
    { type: 'heading', level: 1, text: '二、指标评估结果' },
  ];
  domains.forEach((domain, i) => {
    body.push({ type: 'heading', level: 2, text: `（${chineseNumeral(i + 1)}）${domain}` });
    body.push(figuresTable(input.figures.filter((f) => f.domain === domain)));
  });

  body.push({ type: 'heading', level: 1, text: '三、高风险指标分析' });
  if (high.length === 0) body.push({ type: 'paragraph', text: '本期未发现高风险指标。' });
  high.forEach((f, i) => {
    body.push(
      { type: 'heading', level: 2, text: `（${chineseNumeral(i + 1)}）${f.id} ${f.name}：${levelText(f.level)}` },
      {
        type: 'paragraph',
        text: `${periodText}该指标为${figureValue(f)}，上年同期为${figurePrevious(f)}（同比：${figureChange(f)}）；比较基准：${figureBase(f)}。责任单位：${f.definition.owners.join('、')}。`,
      },
    );
    const towns = topTownships(f);
    if (towns.length > 0) body.push({ type: 'paragraph', text: `从乡镇（街道）分布看，案件较多的是：${towns.map((t) => `${t.name}${t.count}`).join('、')}。` });
    for (const a of input.analyses.filter((x) => x.indicatorId === f.id)) body.push({ type: 'paragraph', text: suppressCountsInText(a.text) });
    if (hasPrintableTrend(f)) body.push({ type: 'chart', chart: trendChart(f), caption: `图${++chartNo}  ${f.name}变化趋势` });
  });

  const mapped = high.filter((f) => f.townships.length > 0);
  if (mapped.length > 0) {
    body.push(
      { type: 'heading', level: 1, text: '四、乡镇（街道）风险分布' },
      { type: 'paragraph', text: '高风险指标在各乡镇（街道）的案件分布如下图所示，颜色表示该乡镇（街道）在该指标上的风险等级；“<5”表示少于5件，“*”表示为防止由合计数反推而一并隐去的数值。' },
      { type: 'chart', chart: townshipHeatGrid('高风险指标乡镇（街道）分布', input.townships, mapped), caption: `图${++chartNo}  高风险指标乡镇（街道）分布` },
    );
  }

  let section = mapped.length > 0 ? 5 : 4;
  body.push({ type: 'heading', level: 1, text: `${chineseNumeral(section++)}、工作建议` });
  input.suggestions.forEach((s, i) => body.push({ type: 'paragraph', text: `${i + 1}. ${suppressCountsInText(s)}` }));
  if (high.length > 0) {
    body.push({
      type: 'paragraph',
      text: `经报请批准后，${organs.court.name}将向高风险指标涉及的${new Set(high.flatMap((f) => f.definition.owners)).size}个相关单位和职能部门发出《风险提示函》（第七条）。`,
    });
  }

  if (input.evaluation) {
    body.push({ type: 'heading', level: 1, text: `${chineseNumeral(section++)}、${input.evaluation.year}年度高风险指标成效评价` }, ...outcomeBlocks(input.evaluation.outcomes));
  }
  if (input.followUp) {
    body.push({ type: 'heading', level: 1, text: `${chineseNumeral(section++)}、上期风险提示指标跟踪` }, ...followUpBlocks(input.followUp));
  }
  body.push({ type: 'heading', level: 1, text: `${chineseNumeral(section)}、数据说明` }, ...dataQualityBlocks(input.dataQuality, periodText, () => ++tableNo));
  body.push({ type: 'paragraph', text: SUPPRESSION_NOTE, indent: false });

  return assertNoPersonalData({
    kind: 'assessment_report',
    header: { style: 'red', organ: organs.court.name },
    classification: '内部',
    ...(input.number ? { number: input.number } : {}),
    title: assessmentReportTitle(organs.countyShort, period).replace(/（[^）]*）$/, ''),
    subtitle: `（${periodText}）`,
    mainRecipients: [organs.partyCommittee.short, organs.government.short, organs.politicalLegal.short],
    body,
    contact: input.contact,
    signature: { organs: [organs.court.name], date: chineseDate(input.issuedOn), sealed: true },
    annexes: labelAnnexes([{ title: '指标定义与数据说明', blocks: definitionsTable(input.figures, input.dataCutOff, organs.court.name) }]),
    copyTo: [],
    imprint: { organ: organs.court.name, date: numericDate(input.issuedOn) },
    audience: 'internal',
    meta: { issuedOn: input.issuedOn, to: [organs.partyCommittee.id, organs.government.id, organs.politicalLegal.id], cc: [] },
  });
}

/** "上升12.0%" for two case counts, or why it is not printed. */
export function countChange(count: number, previous: number | null): string {
  if (previous === null) return '—';
  if (count < 5 || previous < 5) return '基数<5，不作同比';
  const change = (count - previous) / previous;
  if (Math.abs(change) < 0.0005) return '持平';
  return `${change > 0 ? '上升' : '下降'}${(Math.abs(change) * 100).toFixed(1)}%`;
}

const outcomeTones: Record<Outcome, 'green' | 'blue' | 'yellow' | 'red'> = { resolved: 'green', improved: 'blue', unchanged: 'yellow', worse: 'red' };

/** The evaluation of last year's high-risk indicators: counts per outcome and one row each. */
export function outcomeBlocks(outcomes: readonly IndicatorOutcome[]): Block[] {
  const count = (o: Outcome): number => outcomes.filter((x) => x.outcome === o).length;
  return [
    {
      type: 'paragraph',
      text: `上一年度确定的${outcomes.length}项高风险指标中，${(Object.keys(outcomeNames) as Outcome[]).map((o) => `${outcomeNames[o]}${count(o)}项`).join('，')}。各指标对应的化解措施和督办事项如下表。`,
    },
    {
      type: 'table',
      columns: [
        { header: '指标', width: 3 },
        { header: '上年等级', width: 1.5, align: 'center' },
        { header: '本年等级', width: 1.5, align: 'center' },
        { header: '同比', width: 1.9, align: 'center' },
        { header: '措施/督办', width: 1.4, align: 'center' },
        { header: '成效', width: 1.5, align: 'center' },
      ],
      rows: outcomes.map((o) => [
        `${o.figure.id} ${o.figure.name}`,
        { text: levelName(o.previousLevel), tone: levelTone(o.previousLevel) },
        levelCell(o.figure),
        figureChange(o.figure),
        `${o.measures}/${o.items}`,
        { text: outcomeNames[o.outcome], tone: outcomeTones[o.outcome] },
      ]),
      note: '注：“措施/督办”为针对该指标制定的工作措施条数和登记立项的督办事项件数。',
    },
  ];
}
