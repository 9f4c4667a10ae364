import { Checks } from './checks.ts';
import { definitionsTable, figureBase, hasPrintableTrend, figureChange, figurePrevious, figureValue, figuresTable, levelCell, topTownships, trendChart } from './figures.ts';
import { chineseDate, chineseNumeral, numericDate, periodLabel, suppressCountsInText, type Period } from './format.ts';
import type { IndicatorFigure, Organs, UnitRef } from './inputs.ts';
import { labelAnnexes, type Block, type Contact, type OfficialDocument } from './model.ts';
import { assertNoPersonalData } from './privacy.ts';
import { assessmentReportTitle } from './titles.ts';

/**
 * 风险提示函 (court → the department that owns high-risk indicators; policy 第七条, 第八条),
 * laid out as DOMAIN.md §4.1: red header of the court, 文号, 内部; 主送 the department,
 * 抄送 县委政法委 and 县平安办; basis; indicator block with township top 5, level and colour
 * and a small chart; 风险表现与成因分析; 工作建议; 反馈要求 with the 第八条 items;
 * contact; 落款 and date; annex with the indicator definitions and data cut-off.
 */
export interface RiskNoticeInput {
  /** Allocated 文号, e.g. 唐法风〔2026〕3号 (series `riskNotice`). */
  number: string;
  issuedOn: string;
  organs: Organs;
  /** 主送: the department that owns the indicators. */
  recipient: UnitRef;
  period: Period;
  /** The department's indicators at high or critical level in this round. */
  indicators: IndicatorFigure[];
  /** 风险表现与成因分析: aggregated typical patterns, no names ("同一建筑企业涉12名劳动者追索劳动报酬"). */
  patterns: string[];
  /** 工作建议, usually 2–4 points. */
  suggestions: string[];
  /** 反馈期限: N working days (DOMAIN.md default 15) and the resulting calendar date. */
  feedback: { workingDays: number; dueDate: string };
  /** The court's data team. */
  contact: Contact;
  /** Last day of data included. */
  dataCutOff: string;
  /** The report the notice rests on; default the round's 评估报告 (a topic round names its 专题分析报告). */
  reportTitle?: string;
  /** Who approved sending (第七条); default "县委、县政府领导". */
  approvedBy?: string;
  /** 公开属性; default "内部". */
  classification?: string;
}

export function buildRiskNotice(input: RiskNoticeInput): OfficialDocument {
  const checks = new Checks()
    .text('number', input.number)
    .date('issuedOn', input.issuedOn)
    .date('feedback.dueDate', input.feedback?.dueDate)
    .date('dataCutOff', input.dataCutOff)
    .text('recipient.name', input.recipient?.name)
    .nonEmpty('indicators', input.indicators)
    .nonEmpty('suggestions', input.suggestions)
    .rule(Number.isInteger(input.feedback?.workingDays) && input.feedback.workingDays > 0, 'feedback.workingDays', '应为正整数');
  for (const [i, f] of (input.indicators ?? []).entries()) {
    checks.rule(f.level === 'high' || f.level === 'critical', `indicators[${i}].level`, `风险提示函只针对高风险指标，${f.id}为${f.level}`);
  }
  checks.done();

  const { organs, period } = input;
  const periodText = periodLabel(period);
  const body: Block[] = [
    {
      type: 'paragraph',
      text: `根据《${input.reportTitle ?? assessmentReportTitle(organs.countyShort, period)}》，经${input.approvedBy ?? '县委、县政府领导'}批准，现将贵单位职责范围内经评估为高风险的指标及有关情况提示如下，请结合职能职责认真分析研判，及时采取措施化解风险。`,
    },
    { type: 'heading', level: 1, text: '一、风险指标情况' },
    figuresTable(input.indicators, `表1  ${periodText}高风险指标一览`),
  ];

  input.indicators.forEach((f, index) => {
    body.push(
      { type: 'heading', level: 2, text: `（${chineseNumeral(index + 1)}）${f.id} ${f.name}` },
      {
        type: 'fields',
        rows: [
          { label: '所属领域', value: f.domain },
          { label: '评估期间', value: periodText },
          { label: '本期数值', value: figureValue(f) },
          { label: '上年同期', value: figurePrevious(f) },
          { label: '同比变化', value: figureChange(f) },
          { label: '比较基准', value: figureBase(f) },
          { label: '风险等级', value: levelCell(f).text },
        ],
      },
    );
    const towns = topTownships(f);
    if (towns.length > 0) {
      body.push({
        type: 'table',
        title: `${f.name}乡镇（街道）分布（前${towns.length}位）`,
        columns: [
          { header: '序号', width: 0.8, align: 'center' },
          { header: '乡镇（街道）', width: 3 },
          { header: '案件数', width: 1.6, align: 'center' },
          { header: '风险等级', width: 1.6, align: 'center' },
        ],
        rows: towns.map((t, i) => [String(i + 1), t.name, t.count, t.level]),
      });
    }
    if (hasPrintableTrend(f)) body.push({ type: 'chart', chart: trendChart(f), caption: `图${index + 1}  ${f.name}变化趋势` });
  });

  body.push({ type: 'heading', level: 1, text: '二、风险表现与成因分析' });
  if (input.patterns.length === 0) body.push({ type: 'paragraph', text: '本期未归纳出典型风险表现，请结合上述指标数据自行分析。' });
  input.patterns.forEach((p, i) => body.push({ type: 'paragraph', text: `${i + 1}. ${suppressCountsInText(p)}` }));

  body.push({ type: 'heading', level: 1, text: '三、工作建议' });
  input.suggestions.forEach((s, i) => body.push({ type: 'paragraph', text: `${i + 1}. ${suppressCountsInText(s)}` }));

  body.push(
    { type: 'heading', level: 1, text: '四、反馈要求' },
    {
      type: 'paragraph',
      text: `请贵单位根据本函提示，对高风险指标反映出的问题，结合各自工作职能职责进行风险分析研判，于收到本函之日起${input.feedback.workingDays}个工作日内（${numericDate(input.feedback.dueDate)}前）形成书面工作意见，报送${organs.peaceOffice.name}。工作意见应当包括以下内容：`,
    },
    { type: 'paragraph', text: '（一）分析研判情况，找出工作中存在的问题和漏洞；' },
    { type: 'paragraph', text: '（二）具体的工作措施；' },
    { type: 'paragraph', text: '（三）责任人和责任部门；' },
    { type: 'paragraph', text: '（四）完成时限。' },
  );

  return assertNoPersonalData({
    kind: 'risk_notice',
    header: { style: 'red', organ: organs.court.name },
    classification: input.classification ?? '内部',
    number: input.number,
    title: '风险提示函',
    mainRecipients: [input.recipient.name],
    body,
    contact: input.contact,
    signature: { organs: [organs.court.name], date: chineseDate(input.issuedOn), sealed: true },
    annexes: labelAnnexes([{ title: '指标定义与数据说明', blocks: definitionsTable(input.indicators, input.dataCutOff, organs.court.name) }]),
    copyTo: [organs.politicalLegal.name, organs.peaceOffice.name],
    imprint: { organ: organs.court.name, date: numericDate(input.issuedOn) },
    audience: 'internal',
    meta: { issuedOn: input.issuedOn, to: [input.recipient.id], cc: [organs.politicalLegal.id, organs.peaceOffice.id] },
  });
}
