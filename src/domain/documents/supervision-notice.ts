import { Checks } from './checks.ts';
import { chineseDate, chineseNumeral, levelText, numericDate, type RiskLevel } from './format.ts';
import type { Organs, UnitRef } from './inputs.ts';
import type { Block, Contact, OfficialDocument } from './model.ts';
import { assertNoPersonalData } from './privacy.ts';

/**
 * 督办事项通知书 (平安办 → lead unit, 抄送 co-units; policy 第十一条–第十三条), DOMAIN.md §4.2:
 * registration sheet (督办编号, 督查内容, 任务来源, 收文时间, 承办单位, 办复要求, 办理时限, 签发),
 * 督办要求 (目标、措施、阶段节点), 办理时限, 反馈方式 (一事一文、加盖公章、不报领导个人,
 * progress before the deadline, 延期 rules; lead unit alone reports the result), contact,
 * 落款, 抄送 the co-units, and a 回执 to sign and return.
 */
export interface SupervisionItemFacts {
  /** 事项名称, e.g. "集中整治建筑领域拖欠农民工工资问题". */
  title: string;
  /** 督查内容: what has to be done, in one or two sentences. */
  content: string;
  /** 任务来源: the 风险提示函 or 联席会议纪要 the item comes from. */
  source: { kind: 'notice' | 'meeting'; number: string; title: string };
  /** 收文时间: when the office registered the matter. */
  receivedOn: string;
  /** Linked indicators (P). */
  indicators: { id: string; name: string; level: RiskLevel }[];
  /** 主办单位: leads, coordinates co-units and alone reports the result. */
  lead: UnitRef;
  /** 协办单位, receive the notice as 抄送. */
  coUnits: UnitRef[];
  /** 督办要求. */
  goal: string;
  measures: string[];
  milestones: { date: string; task: string }[];
  /** 办理时限. */
  deadline: string;
  /** 特殊重大事项: report progress at any time (第十三条). */
  major: boolean;
}

export interface SupervisionNoticeInput {
  /** Allocated 督办编号, e.g. 唐平督〔2026〕第015号 (series `supervisionNotice`). */
  number: string;
  issuedOn: string;
  organs: Organs;
  item: SupervisionItemFacts;
  /** 签发: the office leader's title and name as it appears on the registration sheet. */
  signedBy: string;
  contact: Contact;
  /** Date by which the 回执 is expected back; omitted = "及时". */
  receiptDueDate?: string;
}

export function sourceText(source: SupervisionItemFacts['source']): string {
  return source.kind === 'notice' ? `《风险提示函》（${source.number}）` : `《${source.title}》（${source.number}）`;
}

export function buildSupervisionNotice(input: SupervisionNoticeInput): OfficialDocument {
  const item = input.item;
  new Checks()
    .text('number', input.number)
    .date('issuedOn', input.issuedOn)
    .text('item.title', item?.title)
    .text('item.content', item?.content)
    .text('item.lead.name', item?.lead?.name)
    .date('item.deadline', item?.deadline)
    .date('item.receivedOn', item?.receivedOn)
    .text('item.source.number', item?.source?.number)
    .text('signedBy', input.signedBy)
    .rule(!item?.coUnits?.some((c) => c.id === item.lead?.id), 'item.coUnits', '协办单位不能与主办单位相同')
    .rule(!item?.deadline || !input.issuedOn || item.deadline >= input.issuedOn, 'item.deadline', '办理时限不能早于发文日期')
    .done();

  const { organs } = input;
  const coNames = item.coUnits.map((c) => c.name);
  const undertakers = coNames.length > 0 ? `主办：${item.lead.name}；协办：${coNames.join('、')}` : `主办：${item.lead.name}`;
  const body: Block[] = [
    {
      type: 'fields',
      rows: [
        { label: '督办编号', value: input.number },
        { label: '事项名称', value: item.title },
        { label: '督查内容', value: item.content },
        { label: '任务来源', value: sourceText(item.source) },
        { label: '收文时间', value: numericDate(item.receivedOn) },
        { label: '承办单位', value: undertakers },
        { label: '办复要求', value: item.major ? '特殊重大事项，随时报告进展情况和办理结果；办结后一事一文书面报告' : '办结后一事一文书面报告办理结果' },
        { label: '办理时限', value: `${numericDate(item.deadline)}前` },
        { label: '关联指标', value: item.indicators.length > 0 ? item.indicators.map((i) => `${i.id} ${i.name}（${levelText(i.level)}）`).join('；') : '—' },
        { label: '签发', value: input.signedBy },
      ],
    },
    {
      type: 'paragraph',
      text: `根据${sourceText(item.source)}${item.source.kind === 'notice' ? '及贵单位报送的工作意见' : '确定的事项'}，按照一事一件的原则，现将“${item.title}”登记立项督办，由${item.lead.name}主办${coNames.length > 0 ? `，${coNames.join('、')}协办` : ''}。请高度重视，细化目标责任，确定责任部门，安排专人负责，按要求抓好落实。`,
    },
    { type: 'heading', level: 1, text: '一、督办事项' },
    { type: 'paragraph', text: item.content },
    { type: 'heading', level: 1, text: '二、督办要求' },
    { type: 'paragraph', text: `（一）工作目标：${item.goal}` },
    { type: 'paragraph', text: '（二）工作措施：' },
    ...item.measures.map((m, i): Block => ({ type: 'paragraph', text: `${i + 1}. ${m}` })),
  ];
  if (item.milestones.length > 0) {
    body.push(
      { type: 'paragraph', text: '（三）阶段节点：' },
      {
        type: 'table',
        columns: [
          { header: '序号', width: 0.8, align: 'center' },
          { header: '完成时间', width: 2, align: 'center' },
          { header: '阶段任务', width: 6 },
        ],
        rows: [...item.milestones].sort((a, b) => a.date.localeCompare(b.date)).map((m, i) => [String(i + 1), numericDate(m.date), m.task]),
      },
    );
  }
  body.push(
    { type: 'heading', level: 1, text: '三、办理时限' },
    {
      type: 'paragraph',
      text: `请于${numericDate(item.deadline)}前办结，并向${organs.peaceOffice.name}书面报告办理结果。${item.major ? '本事项为特殊重大事项，须随时报告进展情况和办理结果。' : ''}`,
    },
    { type: 'heading', level: 1, text: '四、反馈方式' },
    ...[
      `主办单位负责牵头协调，协办单位应积极配合并及时向主办单位提供协办意见和相关材料，办理结果由主办单位统一报送。`,
      `办理结果实行一事一文，以单位名义书面报告并加盖公章，报送${organs.peaceOffice.name}，不得直接报送领导同志个人。`,
      `不能按期办结的，应在办理时限届满前书面报告阶段性进展情况，并说明原因。`,
      `确需延期办理的，应在办理时限届满前提出书面延期申请，说明理由和拟办结时间，经督办人员审核、领导审批后方可延期。`,
    ].map((text, i): Block => ({ type: 'paragraph', text: `（${chineseNumeral(i + 1)}）${text}` })),
    {
      type: 'paragraph',
      text: `请收到本通知书后${input.receiptDueDate ? `于${numericDate(input.receiptDueDate)}前` : '及时'}签收，并将回执反馈${organs.peaceOffice.name}。`,
    },
  );

  return assertNoPersonalData({
    kind: 'supervision_notice',
    header: { style: 'red', organ: organs.peaceOffice.name },
    number: input.number,
    title: '督办事项通知书',
    mainRecipients: [item.lead.name],
    body,
    contact: input.contact,
    signature: { organs: [organs.peaceOffice.name], date: chineseDate(input.issuedOn), sealed: true },
    annexes: [],
    copyTo: coNames,
    imprint: { organ: organs.peaceOffice.name, date: numericDate(input.issuedOn) },
    receipt: {
      title: '督办事项通知书回执',
      blocks: [
        {
          type: 'fields',
          rows: [
            { label: '督办编号', value: input.number },
            { label: '事项名称', value: item.title },
            { label: '签收单位', value: item.lead.name },
            { label: '签收人', value: '' },
            { label: '签收时间', value: '' },
            { label: '责任部门及责任人', value: '' },
            { label: '联系电话', value: '' },
            { label: '备注', value: '' },
          ],
        },
        { type: 'paragraph', text: `（签收后请将本回执加盖公章反馈${organs.peaceOffice.name}）`, indent: false },
      ],
    },
    audience: 'internal',
    meta: { issuedOn: input.issuedOn, to: [item.lead.id], cc: item.coUnits.map((c) => c.id) },
  });
}
