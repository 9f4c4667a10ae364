import { Checks } from './checks.ts';
import { chartPoint, chartUnit, definitionsTable, figureChange, figureValue, levelCell, SUPPRESSION_NOTE } from './figures.ts';
import { chineseDate, chineseNumeral, levelRank, levelText, numericDate, periodLabel, suppressCountsInText, type Period } from './format.ts';
import type { IndicatorFigure, Organs } from './inputs.ts';
import { labelAnnexes, type Block, type Contact, type OfficialDocument, type TrendChart } from './model.ts';
import { topicSpanLabel } from '../loop/topic-scope.ts';
import { assertNoPersonalData } from './privacy.ts';
import { topicReportTitle } from './titles.ts';

/**
 * 专题分析报告 (policy 第六条, issue 19 point 5): a court analyst's study of chosen indicators in
 * chosen townships over chosen periods, on the assessment report's rules — the same figures,
 * levels and suppression (counts under 5 print "<5", rates and changes on fewer than 5 cases are
 * not printed), sent to the same three organs after the leader's approval. Charts: the county's
 * line per indicator over the periods and the chosen townships' lines beside it.
 */
export interface TopicReportInput {
  /** What the study is about: "关于{subject}的专题分析报告". */
  subject: string;
  issuedOn: string;
  organs: Organs;
  /** Oldest first; the last is the period the risk judgement and any notice rest on. */
  periods: Period[];
  /** Short names of the chosen townships, in the county's order. */
  townships: string[];
  indicators: TopicIndicator[];
  /** The latest period's reading of each high or critical indicator: aggregates, no names. */
  analyses: { indicatorId: string; text: string }[];
  suggestions: string[];
  dataCutOff: string;
  contact: Contact;
}

export interface TopicIndicator {
  /** The county figure of each period, in the order of `periods`. */
  county: IndicatorFigure[];
  /** Each chosen township's figure of each period (null where the indicator has no township figure). */
  townships: { name: string; figures: (IndicatorFigure | null)[] }[];
}

const isHigh = (level: IndicatorFigure['level']): boolean => level === 'high' || level === 'critical';
const latest = <T>(list: readonly T[]): T => list[list.length - 1]!;

export function buildTopicReport(input: TopicReportInput): OfficialDocument {
  new Checks()
    .date('issuedOn', input.issuedOn)
    .date('dataCutOff', input.dataCutOff)
    .text('subject', input.subject)
    .nonEmpty('periods', input.periods)
    .nonEmpty('indicators', input.indicators)
    .rule(
      input.indicators.every((i) => i.county.length === input.periods.length && i.townships.every((t) => t.figures.length === input.periods.length)),
      'indicators',
      '每项指标应有每个分析期间的数值',
    )
    .done();

  const { organs, periods } = input;
  const labels = periods.map(periodLabel);
  const span = topicSpanLabel(periods, periodLabel);
  const current = latest(labels);
  const names = input.indicators.map((i) => `${latest(i.county).id} ${latest(i.county).name}`);
  const where = input.townships.length > 0 ? `全县及${input.townships.join('、')}` : '全县';
  let chartNo = 0;
  let tableNo = 0;

  const body: Block[] = [
    {
      type: 'paragraph',
      text: `为深入分析${input.subject}相关风险，${organs.court.name}依托司法大数据，对${where}${span}的${input.indicators.length}项相关指标开展专题分析。现将分析情况报告如下。`,
    },
    { type: 'heading', level: 1, text: '一、分析范围与方法' },
    { type: 'paragraph', text: `分析指标：${names.join('；')}。` },
    { type: 'paragraph', text: `分析地区：${where}。分析期间：${labels.join('、')}。` },
    { type: 'paragraph', text: '指标口径、比较基准和风险等级判定规则与半年、年度评估一致（见附件），各期均与上年同期比较。' },
    { type: 'heading', level: 1, text: '二、全县总体态势' },
  ];
  input.indicators.forEach((indicator, i) => {
    const now = latest(indicator.county);
    body.push(
      { type: 'heading', level: 2, text: `（${chineseNumeral(i + 1)}）${now.id} ${now.name}` },
      {
        type: 'table',
        title: `表${++tableNo}  ${now.name}全县各期情况`,
        columns: [
          { header: '期间', width: 2.4 },
          { header: '数值', width: 2, align: 'center' },
          { header: '同比', width: 2.4, align: 'center' },
          { header: '风险等级', width: 2, align: 'center' },
        ],
        rows: indicator.county.map((f, p) => [labels[p]!, figureValue(f), figureChange(f), levelCell(f)]),
      },
    );
    const chart = linesChart(`${now.name}变化趋势`, labels, now, [{ name: '全县', figures: indicator.county }, ...indicator.townships]);
    if (chart) body.push({ type: 'chart', chart, caption: `图${++chartNo}  ${now.name}全县及重点乡镇（街道）变化趋势` });
  });

  if (input.townships.length > 0) {
    body.push({ type: 'heading', level: 1, text: '三、乡镇（街道）对比' });
    input.indicators.forEach((indicator) => {
      const now = latest(indicator.county);
      body.push({
        type: 'table',
        title: `表${++tableNo}  ${now.name}分乡镇（街道）情况`,
        columns: [{ header: '乡镇（街道）', width: 2.4 }, ...labels.map((l) => ({ header: l, width: 1.8, align: 'center' as const })), { header: `${current}风险等级`, width: 2, align: 'center' }],
        rows: indicator.townships.map((t) => {
          const last = latest(t.figures);
          return [t.name, ...t.figures.map((f) => (f ? figureValue(f) : '—')), last ? levelCell(last) : '—'];
        }),
      });
    });
  }

  let section = input.townships.length > 0 ? 4 : 3;
  body.push({ type: 'heading', level: 1, text: `${chineseNumeral(section++)}、风险研判` });
  const high = input.indicators
    .filter((i) => isHigh(latest(i.county).level) || i.townships.some((t) => { const f = latest(t.figures); return f !== null && isHigh(f.level); }))
    .sort((a, b) => levelRank(latest(b.county).level) - levelRank(latest(a.county).level));
  if (high.length === 0) body.push({ type: 'paragraph', text: `${current}，本专题范围内未发现高风险指标。` });
  for (const indicator of high) {
    const now = latest(indicator.county);
    const towns = indicator.townships.flatMap((t) => {
      const f = latest(t.figures);
      return f !== null && isHigh(f.level) ? [`${t.name}${levelText(f.level)}`] : [];
    });
    const townText = towns.length > 0 ? `；乡镇（街道）中，${towns.join('、')}` : '';
    body.push({ type: 'paragraph', text: `${now.id} ${now.name}：${current}全县${levelText(now.level)}${townText}。` });
    for (const a of input.analyses.filter((x) => x.indicatorId === now.id)) body.push({ type: 'paragraph', text: suppressCountsInText(a.text) });
  }
  body.push({ type: 'heading', level: 1, text: `${chineseNumeral(section)}、工作建议` });
  if (input.suggestions.length === 0) body.push({ type: 'paragraph', text: '建议相关单位持续关注上述指标变化，做好日常风险防范。' });
  input.suggestions.forEach((s, i) => body.push({ type: 'paragraph', text: `${i + 1}. ${suppressCountsInText(s)}` }));
  if (input.suggestions.length > 0) {
    body.push({ type: 'paragraph', text: `经报请批准后，${organs.court.name}将向上述单位发出《风险提示函》（第七条）。` });
  }
  body.push({ type: 'paragraph', text: SUPPRESSION_NOTE, indent: false });

  return assertNoPersonalData({
    kind: 'topic_report',
    header: { style: 'red', organ: organs.court.name },
    classification: '内部',
    title: topicReportTitle(input.subject),
    subtitle: `（${span}）`,
    mainRecipients: [organs.partyCommittee.short, organs.government.short, organs.politicalLegal.short],
    body,
    contact: input.contact,
    signature: { organs: [organs.court.name], date: chineseDate(input.issuedOn), sealed: true },
    annexes: labelAnnexes([{ title: '指标定义与数据说明', blocks: definitionsTable(input.indicators.map((i) => latest(i.county)), input.dataCutOff, organs.court.name) }]),
    copyTo: [],
    imprint: { organ: organs.court.name, date: numericDate(input.issuedOn) },
    audience: 'internal',
    meta: { issuedOn: input.issuedOn, to: [organs.partyCommittee.id, organs.government.id, organs.politicalLegal.id], cc: [] },
  });
}

/** One line per area over the periods; a point on fewer than 5 cases is a gap, and no chart has fewer than two printable points. */
function linesChart(title: string, labels: string[], unitOf: IndicatorFigure, lines: { name: string; figures: (IndicatorFigure | null)[] }[]): TrendChart | null {
  const series = lines.map((l) => ({ name: l.name, values: l.figures.map((f) => (f ? chartPoint(f.kind, { value: f.value, basisCount: f.basisCount }) : null)) }));
  if (labels.length < 2 || !series.some((s) => s.values.filter((v) => v !== null).length >= 2)) return null;
  return { type: 'trend', title, unit: chartUnit(unitOf), categories: labels, series };
}
