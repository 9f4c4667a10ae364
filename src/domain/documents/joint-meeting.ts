import { Checks } from './checks.ts';
import { figureChange, figureValue } from './figures.ts';
import { chineseDate, chineseNumeral, levelText, levelTone, numericDate, numericDateTime, type RiskLevel } from './format.ts';
import type { IndicatorFigure, Organs, UnitRef } from './inputs.ts';
import type { Participant } from './interview.ts';
import { labelAnnexes, type Block, type OfficialDocument } from './model.ts';
import { assertNoPersonalData } from './privacy.ts';
import { JOINT_MEETING_NAME } from './titles.ts';

/**
 * 联席会议 (policy 第九条, 第十条): the agenda, generated from the round's high-risk indicators
 * and the departments' opinions along the four items of 第十条, and the minutes (纪要) with the
 * re-assessed risk level per indicator, the cross-department decisions and the prejudged impact of
 * each decision; the decisions become the office's task list (第十一条).
 */

export interface MeetingAgendaInput {
  issuedOn: string;
  organs: Organs;
  /** e.g. "2026年下半年". */
  session: string;
  /** Beijing local time "YYYY-MM-DDTHH:mm". */
  at: string;
  place: string;
  /** 召集人: the political-legal committee's head (第九条). */
  convener: Participant;
  attendees: UnitRef[];
  highRisk: IndicatorFigure[];
  opinions: { unit: string; summary: string; status: 'accepted' | 'returned' | 'pending' | 'missing' }[];
  /** Extra cross-department topics proposed by the office. */
  topics: string[];
}

const opinionStatus = { accepted: '已审核通过', returned: '已退回修改', pending: '待审核', missing: '未报送' } as const;

export function buildMeetingAgenda(input: MeetingAgendaInput): OfficialDocument {
  new Checks()
    .date('issuedOn', input.issuedOn)
    .text('session', input.session)
    .text('place', input.place)
    .text('convener.title', input.convener?.title)
    .nonEmpty('attendees', input.attendees)
    .rule(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(input.at ?? ''), 'at', '格式应为 YYYY-MM-DDTHH:mm')
    .done();

  const { organs } = input;
  const convener = input.convener.name ? `${input.convener.title} ${input.convener.name}` : input.convener.title;
  const body: Block[] = [
    {
      type: 'fields',
      rows: [
        { label: '会议时间', value: numericDateTime(input.at) },
        { label: '会议地点', value: input.place },
        { label: '召集人', value: convener },
        { label: '参会单位', value: input.attendees.map((a) => a.name).join('、') },
      ],
    },
    { type: 'heading', level: 1, text: '一、通报高风险指标所涉领域基本情况' },
    { type: 'paragraph', text: `由${organs.court.name}通报本轮评估发现的高风险指标${input.highRisk.length}项：` },
    {
      type: 'table',
      columns: [
        { header: '指标', width: 3.4 },
        { header: '所属领域', width: 2.4 },
        { header: '本期', width: 1.6, align: 'center' },
        { header: '同比', width: 1.8, align: 'center' },
        { header: '风险等级', width: 1.8, align: 'center' },
        { header: '责任单位', width: 2.4 },
      ],
      rows: input.highRisk.map((f) => [`${f.id} ${f.name}`, f.domain, figureValue(f), figureChange(f), { text: levelText(f.level), tone: levelTone(f.level) }, f.definition.owners.join('、')]),
    },
    { type: 'heading', level: 1, text: '二、相关单位汇报分析意见，对风险等级进行再评估' },
    ...(input.opinions.length === 0
      ? [{ type: 'paragraph', text: '暂无单位报送工作意见。' } as Block]
      : input.opinions.map((o, i): Block => ({ type: 'paragraph', text: `${i + 1}. ${o.unit}（工作意见${opinionStatus[o.status]}）：${o.summary}` }))),
    { type: 'heading', level: 1, text: '三、梳理风险问题化解措施，统筹协调跨部门、跨行业、跨领域工作' },
    ...(input.topics.length === 0
      ? [{ type: 'paragraph', text: '研究各单位措施中需要跨部门协同的事项。' } as Block]
      : input.topics.map((t, i): Block => ({ type: 'paragraph', text: `${i + 1}. ${t}` }))),
    { type: 'heading', level: 1, text: '四、对相关决策实施后的影响作出预判' },
    { type: 'heading', level: 1, text: '五、召集人讲话，部署下一阶段工作' },
    { type: 'paragraph', text: '请各参会单位主要负责同志准时参会，并提前准备本单位风险分析研判及化解措施落实情况的汇报材料（发言限5分钟）。' },
  ];

  return assertNoPersonalData({
    kind: 'meeting_agenda',
    header: { style: 'plain' },
    title: `${JOINT_MEETING_NAME}议程`,
    subtitle: `（${input.session}）`,
    mainRecipients: [],
    body,
    signature: { organs: [organs.peaceOffice.name], date: chineseDate(input.issuedOn), sealed: false },
    annexes: [],
    copyTo: [],
    audience: 'internal',
    meta: { issuedOn: input.issuedOn, to: input.attendees.map((a) => a.id), cc: [] },
  });
}

export interface MeetingDecision {
  content: string;
  lead: UnitRef;
  coUnits: UnitRef[];
  deadline: string;
  /** 对相关决策实施后的影响作出预判 (第十条第四项). */
  impact: string;
}

export interface MeetingMinutesInput {
  /** Allocated 纪要 number, e.g. 唐平纪〔2026〕2号 (series `meetingMinutes`). */
  number: string;
  issuedOn: string;
  organs: Organs;
  session: string;
  at: string;
  place: string;
  chair: Participant;
  attendees: UnitRef[];
  /** What the meeting heard, one paragraph. */
  summary: string;
  reassessments: { id: string; name: string; before: RiskLevel; after: RiskLevel; reason: string }[];
  decisions: MeetingDecision[];
  requirements: string[];
}

export function buildMeetingMinutes(input: MeetingMinutesInput): OfficialDocument {
  const checks = new Checks()
    .text('number', input.number)
    .date('issuedOn', input.issuedOn)
    .text('session', input.session)
    .text('chair.title', input.chair?.title)
    .nonEmpty('attendees', input.attendees)
    .rule(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(input.at ?? ''), 'at', '格式应为 YYYY-MM-DDTHH:mm');
  for (const [i, d] of (input.decisions ?? []).entries()) {
    checks.text(`decisions[${i}].content`, d.content).text(`decisions[${i}].lead.name`, d.lead?.name).date(`decisions[${i}].deadline`, d.deadline).text(`decisions[${i}].impact`, d.impact);
  }
  checks.done();

  const { organs } = input;
  const chair = input.chair.name ? `${input.chair.title}${input.chair.name}` : input.chair.title;
  const body: Block[] = [
    {
      type: 'paragraph',
      text: `${numericDate(input.at.slice(0, 10))}，${chair}在${input.place}主持召开${input.session}${JOINT_MEETING_NAME}。${input.attendees.map((a) => a.name).join('、')}等单位负责同志参加会议。${input.summary}现将会议议定事项纪要如下：`,
    },
    { type: 'heading', level: 1, text: '一、风险等级再评估' },
    input.reassessments.length === 0
      ? { type: 'paragraph', text: '会议维持本轮评估确定的各指标风险等级。' }
      : {
          type: 'table',
          columns: [
            { header: '指标', width: 3.2 },
            { header: '评估等级', width: 1.9, align: 'center' },
            { header: '再评估等级', width: 1.9, align: 'center' },
            { header: '理由', width: 4.6 },
          ],
          rows: input.reassessments.map((r) => [
            `${r.id} ${r.name}`,
            { text: levelText(r.before), tone: levelTone(r.before) },
            { text: levelText(r.after), tone: levelTone(r.after) },
            r.reason,
          ]),
        },
    { type: 'heading', level: 1, text: '二、议定事项' },
  ];
  input.decisions.forEach((d, i) => {
    const co = d.coUnits.length > 0 ? `，${d.coUnits.map((c) => c.name).join('、')}配合` : '';
    body.push({ type: 'paragraph', text: `（${chineseNumeral(i + 1)}）${d.content}由${d.lead.name}牵头${co}，${numericDate(d.deadline)}前完成。` });
  });
  if (input.decisions.length === 0) body.push({ type: 'paragraph', text: '本次会议无新的议定事项。' });
  body.push({ type: 'heading', level: 1, text: '三、决策实施影响预判' });
  input.decisions.forEach((d, i) => body.push({ type: 'paragraph', text: `（${chineseNumeral(i + 1)}）${d.impact}` }));
  body.push({ type: 'heading', level: 1, text: '四、会议要求' });
  input.requirements.forEach((r, i) => body.push({ type: 'paragraph', text: `${i + 1}. ${r}` }));
  body.push({
    type: 'paragraph',
    text: `${input.requirements.length + 1}. 以上议定事项由${organs.peaceOffice.name}按照一事一件的原则登记立项、发出督办事项通知书，各牵头单位按时报告办理结果。`,
  });

  const leadIds = input.decisions.flatMap((d) => [d.lead.id, ...d.coUnits.map((c) => c.id)]);
  return assertNoPersonalData({
    kind: 'meeting_minutes',
    header: { style: 'red', organ: organs.peaceOffice.name },
    number: input.number,
    title: `${input.session}${JOINT_MEETING_NAME}纪要`,
    mainRecipients: [],
    body,
    signature: { organs: [organs.peaceOffice.name], date: chineseDate(input.issuedOn), sealed: true },
    annexes: labelAnnexes(
      input.decisions.length === 0
        ? []
        : [
            {
              title: '议定事项工作任务清单',
              blocks: [
                {
                  type: 'table',
                  columns: [
                    { header: '序号', width: 0.8, align: 'center' },
                    { header: '事项', width: 5.2 },
                    { header: '牵头单位', width: 2.2 },
                    { header: '配合单位', width: 2.2 },
                    { header: '完成时限', width: 1.8, align: 'center' },
                  ],
                  rows: input.decisions.map((d, i) => [String(i + 1), d.content, d.lead.name, d.coUnits.map((c) => c.name).join('、') || '—', numericDate(d.deadline)]),
                },
              ],
            },
          ],
    ),
    reportTo: [organs.partyCommittee.short, organs.government.short],
    sendTo: ['联席会议各成员单位'],
    copyTo: [],
    imprint: { organ: organs.peaceOffice.name, date: numericDate(input.issuedOn) },
    audience: 'internal',
    meta: { issuedOn: input.issuedOn, to: [...new Set([...input.attendees.map((a) => a.id), ...leadIds])], cc: [organs.partyCommittee.id, organs.government.id] },
  });
}
