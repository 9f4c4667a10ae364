import { Checks } from './checks.ts';
import { clause } from './form-text.ts';
import { chineseDate, numericDate, parseIsoDate } from './format.ts';
import type { Organs, UnitRef } from './inputs.ts';
import type { Participant } from './interview.ts';
import type { Block, Contact, OfficialDocument } from './model.ts';
import { officeLetterToUnit } from './office-letter.ts';
import { assertNoPersonalData } from './privacy.ts';
import { policyTitle } from './titles.ts';

/**
 * 挂牌督办 (policy 第十五条, 第十九条; DOMAIN.md §4.5): the 限期整改指令书 that starts it and the
 * 挂牌督办记录 (ledger of one listing: 五落实, nodes, monthly reports, extension, acceptance,
 * 摘牌销号 and publication). 整改期限 is at most one year.
 */

/** 五落实: 责任、措施、资金、时限、预案. */
export interface FiveImplementations {
  responsibility: string;
  measures: string;
  funding: string;
  timeline: string;
  contingency: string;
}

function fiveTable(f: FiveImplementations): Block {
  return {
    type: 'table',
    title: '“五落实”情况',
    columns: [
      { header: '项目', width: 1.6, align: 'center' },
      { header: '内容', width: 8 },
    ],
    rows: [
      ['落实责任', f.responsibility],
      ['落实措施', f.measures],
      ['落实资金', f.funding],
      ['落实时限', f.timeline],
      ['落实预案', f.contingency],
    ],
  };
}

function milestoneTable(milestones: { date: string; task: string; done?: boolean }[]): Block {
  return {
    type: 'table',
    title: '整改阶段节点',
    columns: [
      { header: '序号', width: 0.8, align: 'center' },
      { header: '完成时间', width: 2, align: 'center' },
      { header: '阶段任务', width: 5.4 },
      { header: '完成情况', width: 1.4, align: 'center' },
    ],
    rows: [...milestones]
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((m, i) => [String(i + 1), numericDate(m.date), m.task, m.done === undefined ? '—' : m.done ? { text: '已完成', tone: 'green' } : { text: '未完成', tone: 'yellow' }]),
  };
}

/** True when `deadline` is no later than one year after `from` (整改期限 ≤ 1 年). */
export function withinOneYear(from: string, deadline: string): boolean {
  const f = parseIsoDate(from);
  const limit = `${f.year + 1}-${String(f.month).padStart(2, '0')}-${String(f.month === 2 && f.day === 29 ? 28 : f.day).padStart(2, '0')}`;
  return deadline <= limit;
}

export interface ListingNoticeInput {
  /** 挂牌编号 as the notice's 文号, e.g. 唐平挂〔2026〕第001号 (series `listing`). */
  number: string;
  issuedOn: string;
  organs: Organs;
  unit: UnitRef;
  item: { number: string; title: string };
  /** 问题/隐患 as decided (a leader's reason and evidence, or the item's title). */
  problem: string;
  /** 整改期限. */
  deadline: string;
  /** When the 五落实 plan is due. */
  planDueDate: string;
  contact: Contact;
}

/**
 * 挂牌督办通知书 (第十五条, DOMAIN.md §4.5): the day an item is listed, the unit learns its 挂牌编号,
 * the problem, the 整改期限 and what it owes — the 五落实 plan (which then gets the 限期整改指令书),
 * monthly progress, the request for acceptance; 摘牌 and the listing itself are made public.
 */
export function buildListingNotice(input: ListingNoticeInput): OfficialDocument {
  new Checks()
    .text('number', input.number)
    .date('issuedOn', input.issuedOn)
    .date('deadline', input.deadline)
    .date('planDueDate', input.planDueDate)
    .text('unit.name', input.unit?.name)
    .text('problem', input.problem)
    .rule(!input.deadline || !input.issuedOn || (input.deadline > input.issuedOn && withinOneYear(input.issuedOn, input.deadline)), 'deadline', '整改期限应晚于发文日期且不超过1年')
    .done();

  const { organs } = input;
  return assertNoPersonalData({
    kind: 'listing_notice',
    header: { style: 'red', organ: organs.peaceOffice.name },
    number: input.number,
    title: '挂牌督办通知书',
    mainRecipients: [input.unit.name],
    body: [
      {
        type: 'paragraph',
        text: `根据${policyTitle(organs.county)}第十五条规定，经研究，决定对你单位主办的督办事项“${input.item.title}”（督办编号：${input.item.number}）实行县级挂牌督办，挂牌编号为${input.number}。现将有关事项通知如下：`,
      },
      { type: 'paragraph', text: `一、存在的问题：${clause(input.problem)}。` },
      { type: 'paragraph', text: `二、整改期限：${numericDate(input.deadline)}前完成整改。` },
      {
        type: 'paragraph',
        text: `三、工作要求：（一）于${numericDate(input.planDueDate)}前报送责任、措施、资金、时限、预案“五落实”整改方案，明确包案领导，${organs.peaceOffice.name}据此下达《限期整改指令书》；（二）整改期间每月报送整改进展；（三）整改完成后书面申请验收，验收合格的摘牌销号。`,
      },
      { type: 'paragraph', text: '四、挂牌督办和摘牌情况向社会公示。逾期未完成整改或者整改不到位的，予以通报，并在年度平安建设考核中扣分（第十九条）。' },
    ],
    contact: input.contact,
    ...officeLetterToUnit(organs, input.issuedOn, input.unit),
  });
}

export interface RectificationOrderInput {
  /** Allocated 文号, e.g. 唐平整〔2026〕第001号 (series `rectificationOrder`). */
  number: string;
  issuedOn: string;
  organs: Organs;
  unit: UnitRef;
  /** 挂牌编号 of the listing this order starts (series `listing`). */
  listingNumber: string;
  /** 问题/隐患. */
  problem: string;
  /** Why it is listed: 第十五条 "平安建设工作落实不到位" or "存在重大安全风险隐患". */
  ground: 'poor_peace_building' | 'major_hazard';
  /** 包案领导 (a county-level leader). */
  leader: Participant;
  five: FiveImplementations;
  deadline: string;
  milestones: { date: string; task: string }[];
  /** Monthly progress report due on this day of each month (e.g. 5). */
  monthlyReportDay: number;
  contact: Contact;
}

const groundText: Record<RectificationOrderInput['ground'], string> = {
  poor_peace_building: '平安建设工作落实不到位',
  major_hazard: '存在重大安全风险隐患',
};

export function buildRectificationOrder(input: RectificationOrderInput): OfficialDocument {
  new Checks()
    .text('number', input.number)
    .date('issuedOn', input.issuedOn)
    .date('deadline', input.deadline)
    .text('unit.name', input.unit?.name)
    .text('listingNumber', input.listingNumber)
    .text('problem', input.problem)
    .text('leader.title', input.leader?.title)
    .rule(!input.deadline || !input.issuedOn || (input.deadline > input.issuedOn && withinOneYear(input.issuedOn, input.deadline)), 'deadline', '整改期限应晚于发文日期且不超过1年')
    .rule(Number.isInteger(input.monthlyReportDay) && input.monthlyReportDay >= 1 && input.monthlyReportDay <= 28, 'monthlyReportDay', '应为1至28之间的整数')
    .done();

  const { organs } = input;
  const leader = input.leader.name ? `${input.leader.title}${input.leader.name}同志` : input.leader.title;
  const body: Block[] = [
    {
      type: 'paragraph',
      text: `经研究，你单位${input.problem}，属于${groundText[input.ground]}的情形。根据${policyTitle(organs.county)}第十五条规定，决定对该问题实行县级挂牌督办（挂牌编号：${input.listingNumber}），由${leader}包案督导。现责令你单位限期整改，有关要求如下：`,
    },
    { type: 'heading', level: 1, text: '一、整改事项' },
    { type: 'paragraph', text: input.problem },
    { type: 'heading', level: 1, text: '二、整改要求' },
    { type: 'paragraph', text: '按照责任、措施、资金、时限、预案“五落实”的要求组织整改：' },
    fiveTable(input.five),
    { type: 'heading', level: 1, text: '三、整改期限' },
    { type: 'paragraph', text: `请于${numericDate(input.deadline)}前完成整改。` },
  ];
  if (input.milestones.length > 0) body.push(milestoneTable(input.milestones));
  body.push(
    { type: 'heading', level: 1, text: '四、进展报告' },
    { type: 'paragraph', text: `整改期间，请于每月${input.monthlyReportDay}日前将上月整改进展情况书面报送${organs.peaceOffice.name}；遇有重大情况随时报告。` },
    { type: 'heading', level: 1, text: '五、延期申请' },
    { type: 'paragraph', text: `确因客观原因不能按期完成整改的，应在整改期限届满20个工作日前书面提出延期申请，说明理由和拟完成时间；${organs.peaceOffice.name}在收到申请后10个工作日内作出决定。` },
    { type: 'heading', level: 1, text: '六、验收销号' },
    { type: 'paragraph', text: '整改完成后，请书面申请验收；经验收合格的，予以摘牌销号，并在5个工作日内公开。' },
    { type: 'heading', level: 1, text: '七、责任追究' },
    { type: 'paragraph', text: '逾期未完成整改或者整改不到位的，予以通报，并在年度平安建设考核中扣分。挂牌督办及整改情况纳入工作评议、考核记录（第十九条）。' },
  );

  return assertNoPersonalData({
    kind: 'rectification_order',
    header: { style: 'red', organ: organs.peaceOffice.name },
    number: input.number,
    title: '限期整改指令书',
    mainRecipients: [input.unit.name],
    body,
    contact: input.contact,
    ...officeLetterToUnit(organs, input.issuedOn, input.unit),
  });
}

export interface ListingRecordInput {
  /** 挂牌编号, e.g. 唐平挂〔2026〕第001号. */
  number: string;
  /** Date of this snapshot of the record. */
  asOf: string;
  organs: Organs;
  unit: UnitRef;
  problem: string;
  ground: RectificationOrderInput['ground'];
  /** 挂牌级别; default "县级". */
  level?: string;
  leader: Participant;
  /** The 限期整改指令书 number. */
  orderNumber: string;
  listedOn: string;
  /** When the listing was made public (within 5 working days). */
  publishedOn: string | null;
  five: FiveImplementations;
  deadline: string;
  milestones: { date: string; task: string; done?: boolean }[];
  monthlyReports: { month: string; summary: string; onSchedule: boolean }[];
  extension: { requestedOn: string; reason: string; newDeadline: string; decision: 'pending' | 'granted' | 'refused'; decidedOn: string | null } | null;
  acceptance: { on: string; inspectors: string[]; conclusion: string; passed: boolean } | null;
  delistedOn: string | null;
  delistPublishedOn: string | null;
}

const decisionText = { pending: '待审批', granted: '同意延期', refused: '不同意延期' } as const;

export function listingStatus(input: Pick<ListingRecordInput, 'delistedOn' | 'acceptance' | 'deadline' | 'asOf' | 'extension'>): string {
  if (input.delistedOn) return '已摘牌销号';
  if (input.acceptance && !input.acceptance.passed) return '验收未通过，继续整改';
  if (input.acceptance?.passed) return '验收合格，待摘牌';
  const deadline = input.extension?.decision === 'granted' ? input.extension.newDeadline : input.deadline;
  return input.asOf > deadline ? '逾期未完成整改' : '整改中';
}

export function buildListingRecord(input: ListingRecordInput): OfficialDocument {
  new Checks()
    .text('number', input.number)
    .date('asOf', input.asOf)
    .date('listedOn', input.listedOn)
    .date('deadline', input.deadline)
    .text('unit.name', input.unit?.name)
    .text('problem', input.problem)
    .rule(!input.deadline || !input.listedOn || withinOneYear(input.listedOn, input.deadline), 'deadline', '整改期限不超过1年')
    .done();

  const { organs } = input;
  const body: Block[] = [
    {
      type: 'fields',
      rows: [
        { label: '挂牌编号', value: input.number },
        { label: '对象单位', value: input.unit.name },
        { label: '问题/隐患', value: input.problem },
        { label: '挂牌事由', value: groundText[input.ground] },
        { label: '挂牌级别', value: input.level ?? '县级' },
        { label: '包案领导', value: input.leader.name ? `${input.leader.title} ${input.leader.name}` : input.leader.title },
        { label: '限期整改指令书', value: input.orderNumber },
        { label: '挂牌日期', value: numericDate(input.listedOn) },
        { label: '整改期限', value: numericDate(input.deadline) },
        { label: '当前状态', value: listingStatus(input) },
      ],
    },
    { type: 'heading', level: 1, text: '一、“五落实”情况' },
    fiveTable(input.five),
    { type: 'heading', level: 1, text: '二、整改节点' },
    input.milestones.length > 0 ? milestoneTable(input.milestones) : { type: 'paragraph', text: '未设定阶段节点。' },
    { type: 'heading', level: 1, text: '三、月度进展' },
    input.monthlyReports.length > 0
      ? {
          type: 'table',
          columns: [
            { header: '月份', width: 1.6, align: 'center' },
            { header: '进展情况', width: 6.4 },
            { header: '是否按计划', width: 1.6, align: 'center' },
          ],
          rows: input.monthlyReports.map((r) => [r.month, r.summary, r.onSchedule ? { text: '是', tone: 'green' } : { text: '否', tone: 'red' }]),
        }
      : { type: 'paragraph', text: '尚无月度进展报告。' },
    { type: 'heading', level: 1, text: '四、延期申请' },
    input.extension
      ? {
          type: 'fields',
          rows: [
            { label: '申请日期', value: numericDate(input.extension.requestedOn) },
            { label: '申请理由', value: input.extension.reason },
            { label: '拟完成时间', value: numericDate(input.extension.newDeadline) },
            { label: '审批结果', value: `${decisionText[input.extension.decision]}${input.extension.decidedOn ? `（${numericDate(input.extension.decidedOn)}）` : ''}` },
          ],
        }
      : { type: 'paragraph', text: '无。' },
    { type: 'heading', level: 1, text: '五、验收情况' },
    input.acceptance
      ? {
          type: 'fields',
          rows: [
            { label: '验收日期', value: numericDate(input.acceptance.on) },
            { label: '验收人员', value: input.acceptance.inspectors.join('、') },
            { label: '验收结论', value: `${input.acceptance.passed ? '合格' : '不合格'}。${input.acceptance.conclusion}` },
          ],
        }
      : { type: 'paragraph', text: '尚未验收。' },
    { type: 'heading', level: 1, text: '六、摘牌销号及公开记录' },
    {
      type: 'fields',
      rows: [
        { label: '挂牌公开日期', value: input.publishedOn ? numericDate(input.publishedOn) : '未公开' },
        { label: '摘牌销号日期', value: input.delistedOn ? numericDate(input.delistedOn) : '—' },
        { label: '摘牌公开日期', value: input.delistPublishedOn ? numericDate(input.delistPublishedOn) : '—' },
      ],
    },
  ];

  return assertNoPersonalData({
    kind: 'listing_record',
    header: { style: 'plain' },
    number: input.number,
    title: '挂牌督办记录',
    mainRecipients: [],
    body,
    signature: { organs: [organs.peaceOffice.name], date: chineseDate(input.asOf), sealed: false },
    annexes: [],
    copyTo: [],
    audience: 'internal',
    meta: { issuedOn: input.asOf, to: [input.unit.id], cc: [] },
  });
}
