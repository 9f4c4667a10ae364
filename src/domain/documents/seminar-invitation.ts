import { Checks } from './checks.ts';
import { chineseDate, numericDate } from './format.ts';
import type { Organs } from './inputs.ts';
import type { Block, Contact, OfficialDocument } from './model.ts';
import { assertNoPersonalData } from './privacy.ts';
import { policyTitle } from './titles.ts';

/**
 * 成效研讨会邀请函 (第十七条): the office, with the Supreme People's Court's 司法大数据研究院,
 * invites experts and scholars to the county's annual seminar on the effect of the loop. One letter
 * names every invited expert (by name and organisation, never a contact); each gets it by mail.
 */
export interface SeminarInvitationInput {
  year: number;
  issuedOn: string;
  organs: Organs;
  coHost: string;
  /** YYYY-MM-DD. */
  date: string;
  venue: string;
  topics: string[];
  experts: { name: string; organisation: string }[];
  contact: Contact;
}

export function buildSeminarInvitation(input: SeminarInvitationInput): OfficialDocument {
  new Checks()
    .date('issuedOn', input.issuedOn)
    .date('date', input.date)
    .text('venue', input.venue)
    .nonEmpty('experts', input.experts)
    .rule(!input.date || !input.issuedOn || input.date >= input.issuedOn, 'date', '研讨会日期不能早于发函日期')
    .done();

  const { organs } = input;
  const organisations = [...new Set(input.experts.map((e) => e.organisation.split(/\s+/)[0]!))];
  const topics = input.topics.length > 0 ? input.topics : [`${input.year}年度社会治理风险评估预警化解工作成效`];
  const body: Block[] = [
    {
      type: 'paragraph',
      text: `为总结${input.year}年度基于司法大数据的社会治理风险评估预警化解工作成效，根据${policyTitle(organs.county)}第十七条，${organs.peaceOffice.name}联合${input.coHost}举办县域社会治理成效研讨会，诚邀您拨冗出席并指导。有关事项如下：`,
    },
    { type: 'paragraph', text: `一、时间：${numericDate(input.date)}。` },
    { type: 'paragraph', text: `二、地点：${input.venue}。` },
    { type: 'paragraph', text: `三、研讨议题：${topics.map((t, i) => `${i + 1}. ${t}`).join('；')}。` },
    { type: 'paragraph', text: `四、邀请专家：${input.experts.map((e) => `${e.name}（${e.organisation}）`).join('、')}。` },
    { type: 'paragraph', text: `五、请于会前回复是否出席。${input.year}年度评估报告（公开版）已公开发布，供会前参阅。` },
  ];
  return assertNoPersonalData({
    kind: 'seminar_invitation',
    header: { style: 'plain' },
    title: `关于邀请出席${input.year}年度县域社会治理成效研讨会的函`,
    mainRecipients: organisations,
    body,
    contact: input.contact,
    signature: { organs: [organs.peaceOffice.name], date: chineseDate(input.issuedOn), sealed: true },
    annexes: [],
    copyTo: [organs.politicalLegal.name],
    audience: 'internal',
    meta: { issuedOn: input.issuedOn, to: [], cc: [] },
  });
}
