import { Checks } from './checks.ts';
import { clause } from './form-text.ts';
import { chineseDate, chineseNumeral, numericDate, numericDateTime } from './format.ts';
import type { Organs, UnitRef } from './inputs.ts';
import type { Block, Contact, OfficialDocument } from './model.ts';
import { officeLetterToUnit } from './office-letter.ts';
import { assertNoPersonalData } from './privacy.ts';
import { policyTitle } from './titles.ts';

/**
 * 约谈 of a unit's head (policy 第十五条, 第十九条; DOMAIN.md §4.4): the 约谈通知书 and the
 * 约谈记录. Participants are named by office (and optionally by name, in their official capacity).
 */

export interface Participant {
  /** Office held, e.g. "县委政法委副书记、县平安办主任". */
  title: string;
  name?: string;
}

function participantText(p: Participant): string {
  return p.name ? `${p.title} ${p.name}` : p.title;
}

export interface InterviewNoticeInput {
  /** Allocated 文号, e.g. 唐平约〔2026〕第002号 (series `interviewNotice`). */
  number: string;
  issuedOn: string;
  organs: Organs;
  /** 被约谈单位. */
  unit: UnitRef;
  /** 被约谈人, by office: "主要负责人". */
  interviewee: string;
  /** 约谈事由. */
  reason: string;
  /** The supervision items / notices the interview is based on. */
  basis: { number: string; title: string }[];
  /** Beijing local time, "YYYY-MM-DDTHH:mm". */
  at: string;
  place: string;
  /** 约谈人员. */
  interviewers: Participant[];
  /** Materials to bring. */
  materials: string[];
  /** Working days after the interview for the 整改报告 (DOMAIN.md default 15). */
  reportWithinWorkingDays: number;
  contact: Contact;
}

export function buildInterviewNotice(input: InterviewNoticeInput): OfficialDocument {
  new Checks()
    .text('number', input.number)
    .date('issuedOn', input.issuedOn)
    .text('unit.name', input.unit?.name)
    .text('interviewee', input.interviewee)
    .text('reason', input.reason)
    .text('place', input.place)
    .nonEmpty('interviewers', input.interviewers)
    .rule(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(input.at ?? '') && input.at.slice(0, 10) >= (input.issuedOn ?? ''), 'at', '约谈时间应为发文日期之后的 YYYY-MM-DDTHH:mm')
    .done();

  const { organs } = input;
  const reason = clause(input.reason);
  const basis = input.basis.map((b) => `“${b.title}”（${b.number}）`).join('、');
  const materials = input.materials.length > 0 ? input.materials.map((m, i) => `${i + 1}. ${m}`).join('；') : '有关工作情况书面材料';
  const body: Block[] = [
    {
      type: 'paragraph',
      text: `因${reason}，根据${policyTitle(organs.county)}第十五条规定，经研究，决定对你单位${input.interviewee}进行约谈。现将有关事项通知如下：`,
    },
    { type: 'paragraph', text: `一、约谈事由：${reason}${basis ? `（涉及督办事项：${basis}）` : ''}。` },
    { type: 'paragraph', text: `二、约谈时间：${numericDateTime(input.at)}。` },
    { type: 'paragraph', text: `三、约谈地点：${input.place}。` },
    { type: 'paragraph', text: `四、约谈人员：${input.interviewers.map(participantText).join('；')}。` },
    { type: 'paragraph', text: '五、约谈目的：指出存在的问题，分析原因，提出整改要求，督促你单位切实履行社会治理风险评估预警化解工作职责。' },
    { type: 'paragraph', text: '六、有关要求：' },
    { type: 'paragraph', text: `（一）被约谈人须按时到场，不得委托他人代为参加；确有特殊情况不能到场的，应提前书面说明理由，经同意后方可调整。` },
    { type: 'paragraph', text: `（二）请携带以下材料：${materials}。` },
    { type: 'paragraph', text: `（三）约谈结束后${input.reportWithinWorkingDays}个工作日内，将整改落实情况书面报送${organs.peaceOffice.name}。约谈及整改情况纳入工作评议、考核记录。` },
  ];

  return assertNoPersonalData({
    kind: 'interview_notice',
    header: { style: 'red', organ: organs.peaceOffice.name },
    number: input.number,
    title: '约谈通知书',
    mainRecipients: [input.unit.name],
    body,
    contact: input.contact,
    ...officeLetterToUnit(organs, input.issuedOn, input.unit),
  });
}

export interface InterviewRecordInput {
  /** 约谈编号: the number of the 约谈通知书 it follows. */
  number: string;
  /** Date the record is finalised. */
  recordedOn: string;
  organs: Organs;
  unit: UnitRef;
  /** 依据: item / notice numbers and titles. */
  basis: { number: string; title: string }[];
  at: string;
  place: string;
  interviewers: Participant[];
  interviewees: Participant[];
  attendees: Participant[];
  recorder: Participant;
  /** 约谈方 states the problems. */
  problems: string[];
  /** 被约谈方 explains. */
  explanation: string;
  /** 约谈方 sets the requirements. */
  requirements: string[];
  /** 整改时限. */
  rectificationDeadline: string;
  /** 被约谈方 表态 (summary). */
  commitment: string;
  /** 整改报告 due date (DOMAIN.md default 15 working days after the interview). */
  reportDueDate: string;
}

export function buildInterviewRecord(input: InterviewRecordInput): OfficialDocument {
  new Checks()
    .text('number', input.number)
    .date('recordedOn', input.recordedOn)
    .date('rectificationDeadline', input.rectificationDeadline)
    .date('reportDueDate', input.reportDueDate)
    .nonEmpty('problems', input.problems)
    .nonEmpty('requirements', input.requirements)
    .nonEmpty('interviewers', input.interviewers)
    .nonEmpty('interviewees', input.interviewees)
    .text('commitment', input.commitment)
    .done();

  const { organs } = input;
  const body: Block[] = [
    {
      type: 'fields',
      rows: [
        { label: '约谈编号', value: input.number },
        { label: '约谈时间', value: numericDateTime(input.at) },
        { label: '约谈地点', value: input.place },
        { label: '约谈依据', value: `${policyTitle(organs.county)}第十五条；${input.basis.map((b) => `${b.title}（${b.number}）`).join('；')}` },
        { label: '被约谈单位', value: input.unit.name },
        { label: '约谈方', value: input.interviewers.map(participantText).join('；') },
        { label: '被约谈方', value: input.interviewees.map(participantText).join('；') },
        { label: '列席人员', value: input.attendees.map(participantText).join('；') || '—' },
        { label: '记录人', value: participantText(input.recorder) },
      ],
    },
    { type: 'heading', level: 1, text: '一、约谈方指出的问题' },
    ...input.problems.map((p, i): Block => ({ type: 'paragraph', text: `${i + 1}. ${p}` })),
    { type: 'heading', level: 1, text: '二、被约谈方情况说明' },
    { type: 'paragraph', text: input.explanation },
    { type: 'heading', level: 1, text: '三、整改要求及时限' },
    ...input.requirements.map((r, i): Block => ({ type: 'paragraph', text: `（${chineseNumeral(i + 1)}）${r}` })),
    { type: 'paragraph', text: `整改时限：${numericDate(input.rectificationDeadline)}前。` },
    { type: 'heading', level: 1, text: '四、被约谈方表态' },
    { type: 'paragraph', text: input.commitment },
    { type: 'heading', level: 1, text: '五、后续要求' },
    {
      type: 'paragraph',
      text: `被约谈单位应于${numericDate(input.reportDueDate)}前向${organs.peaceOffice.name}书面报送整改报告。约谈、整改情况纳入工作评议、考核记录（第十九条）。`,
    },
    { type: 'signature_lines', labels: ['约谈人（签字）：', '被约谈人（签字）：', '记录人（签字）：'] },
  ];

  return assertNoPersonalData({
    kind: 'interview_record',
    header: { style: 'plain' },
    number: input.number,
    title: '约谈记录',
    mainRecipients: [],
    body,
    annexes: [],
    copyTo: [],
    signature: { organs: [organs.peaceOffice.name], date: chineseDate(input.recordedOn), sealed: false },
    audience: 'internal',
    meta: { issuedOn: input.recordedOn, to: [input.unit.id], cc: [] },
  });
}
