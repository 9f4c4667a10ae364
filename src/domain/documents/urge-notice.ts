import { Checks } from './checks.ts';
import { chineseDate, daysBetween, numericDate } from './format.ts';
import type { Organs, UnitRef } from './inputs.ts';
import type { Contact, OfficialDocument } from './model.ts';
import { assertNoPersonalData } from './privacy.ts';

/**
 * 催办通知书 (DOMAIN.md §4.6): sent the day after a supervision item's deadline passes without a
 * result, 抄送 the unit's 分管领导; still overdue N working days after it (default 5) → written
 * 通报批评 and a deduction in the annual assessment (第十八条).
 */
export interface UrgeNoticeInput {
  /** Allocated 文号, e.g. 唐平催〔2026〕第007号 (series `urgeNotice`). */
  number: string;
  issuedOn: string;
  organs: Organs;
  /** What is overdue: a supervision item (default), a risk notice's 工作意见, or a listed item's 整改. */
  subject?: UrgeSubject;
  item: {
    /** 督办编号 (or 文号 of the risk notice, 挂牌编号) of what is being urged. */
    number: string;
    title: string;
    lead: UnitRef;
    deadline: string;
    /** Whether the unit reported progress (with reasons) before the deadline. */
    progressReported: boolean;
  };
  /** 第几次催办 (1 for the first). */
  round: number;
  /** Escalation colour of the slip (蓝 → 黄/橙 → 红, DOMAIN.md §4.6). */
  colour: 'blue' | 'yellow' | 'orange' | 'red';
  /** New date by which the result must be in. */
  newDeadline: string;
  /** 分管领导 to copy: their title as printed ("县政府分管副县长"), and the unit whose leader address receives it. */
  ccLeader: { title: string; unitId: string } | null;
  /** Working days after this notice before a written 通报批评 (default 5). */
  criticismAfterWorkingDays?: number;
  contact: Contact;
}

export type UrgeSubject = 'item' | 'notice' | 'listing';

/** How the letter names what is overdue, and what the unit has not delivered. */
const subjectWording: Record<UrgeSubject, { what: string; numberLabel: string; deliverable: string }> = {
  item: { what: '你单位主办的督办事项', numberLabel: '督办编号', deliverable: '办理结果' },
  notice: { what: '县法院向你单位发出的风险提示函所要求反馈的工作意见', numberLabel: '文号', deliverable: '工作意见' },
  listing: { what: '你单位挂牌督办的整改事项', numberLabel: '挂牌编号', deliverable: '整改结果' },
};

const colourNames: Record<UrgeNoticeInput['colour'], string> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' };

export function buildUrgeNotice(input: UrgeNoticeInput): OfficialDocument {
  const item = input.item;
  new Checks()
    .text('number', input.number)
    .date('issuedOn', input.issuedOn)
    .date('item.deadline', item?.deadline)
    .date('newDeadline', input.newDeadline)
    .text('item.number', item?.number)
    .text('item.title', item?.title)
    .text('item.lead.name', item?.lead?.name)
    .rule(!item?.deadline || !input.issuedOn || input.issuedOn > item.deadline, 'issuedOn', '催办通知书应在办理时限届满后发出')
    .rule(!input.newDeadline || !input.issuedOn || input.newDeadline > input.issuedOn, 'newDeadline', '限期应晚于发文日期')
    .rule(Number.isInteger(input.round) && input.round >= 1, 'round', '应为正整数')
    .done();

  const { organs } = input;
  const overdue = daysBetween(item.deadline, input.issuedOn);
  const after = input.criticismAfterWorkingDays ?? 5;
  const wording = subjectWording[input.subject ?? 'item'];
  const status = item.progressReported
    ? `虽已报告阶段性进展，但至今未报送${wording.deliverable}`
    : `至今未报送${wording.deliverable}，也未在期限届满前报告进展情况或申请延期`;

  return assertNoPersonalData({
    kind: 'urge_notice',
    header: { style: 'red', organ: organs.peaceOffice.name },
    number: input.number,
    title: '催办通知书',
    subtitle: `（第${input.round}次催办·${colourNames[input.colour]}）`,
    mainRecipients: [item.lead.name],
    body: [
      {
        type: 'paragraph',
        text: `${wording.what}“${item.title}”（${wording.numberLabel}：${item.number}），办理时限为${numericDate(item.deadline)}，截至${numericDate(input.issuedOn)}已逾期${overdue}日，${status}。现予催办，请你单位：`,
      },
      { type: 'paragraph', text: `一、于${numericDate(input.newDeadline)}前将${wording.deliverable}一事一文、加盖公章书面报送${organs.peaceOffice.name}；确有困难不能办结的，书面说明原因、目前进展和拟办结时间。` },
      { type: 'paragraph', text: '二、主要负责同志亲自过问，分管负责同志具体督促，明确责任部门和责任人，确保事项按要求办结。' },
      {
        type: 'paragraph',
        text: `三、自本通知书发出之日起${after}个工作日后仍未办结的，将予以书面通报批评，并按照规定在年度平安建设考核中扣分；情节严重的，按程序提请对单位主要负责人进行约谈。`,
      },
    ],
    contact: input.contact,
    signature: { organs: [organs.peaceOffice.name], date: chineseDate(input.issuedOn), sealed: true },
    annexes: [],
    copyTo: input.ccLeader ? [input.ccLeader.title] : [],
    imprint: { organ: organs.peaceOffice.name, date: numericDate(input.issuedOn) },
    audience: 'internal',
    meta: {
      issuedOn: input.issuedOn,
      to: [item.lead.id],
      cc: [],
      ...(input.ccLeader ? { ccLeadersOf: [input.ccLeader.unitId] } : {}),
    },
  });
}
