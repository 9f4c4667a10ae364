import { Checks } from './checks.ts';
import { daysBetween, numericDate } from './format.ts';
import type { Organs, UnitRef } from './inputs.ts';
import type { Contact, OfficialDocument } from './model.ts';
import { officeLetterToUnit } from './office-letter.ts';
import { assertNoPersonalData } from './privacy.ts';
import { policyTitle } from './titles.ts';

/**
 * 黄牌 / 红牌 通报 (DOMAIN.md §4.6): the office's written warning when a supervision item is still
 * overdue after its 催办 (黄牌) and after its 黄牌 (红牌), to the lead unit, 抄送 its 分管领导 and
 * the 政法委. A 红牌 announces the 约谈 of the unit's principal (第十五条) and a deduction in the
 * annual assessment (第十八条).
 */
export interface WarningCardInput {
  /** Allocated 文号, e.g. 唐平通〔2026〕第003号 (series `warningCard`). */
  number: string;
  issuedOn: string;
  organs: Organs;
  card: 'yellow_card' | 'red_card';
  item: { number: string; title: string; lead: UnitRef; deadline: string };
  contact: Contact;
}

export function buildWarningCard(input: WarningCardInput): OfficialDocument {
  const item = input.item;
  new Checks()
    .text('number', input.number)
    .date('issuedOn', input.issuedOn)
    .date('item.deadline', item?.deadline)
    .text('item.number', item?.number)
    .text('item.title', item?.title)
    .text('item.lead.name', item?.lead?.name)
    .rule(!item?.deadline || !input.issuedOn || input.issuedOn > item.deadline, 'issuedOn', '警示通报应在办理时限届满后发出')
    .done();

  const { organs } = input;
  const red = input.card === 'red_card';
  const card = red ? '红牌' : '黄牌';
  const lead = item.lead.name;
  return assertNoPersonalData({
    kind: 'warning_card',
    header: { style: 'red', organ: organs.peaceOffice.name },
    number: input.number,
    title: `关于给予${lead}督办${card}警示的通报`,
    mainRecipients: [lead],
    body: [
      {
        type: 'paragraph',
        text:
          `${lead}主办的督办事项“${item.title}”（督办编号：${item.number}），办理时限为${numericDate(item.deadline)}。经临期提醒、到期催办${red ? '和黄牌警示' : ''}，` +
          `截至${numericDate(input.issuedOn)}已逾期${daysBetween(item.deadline, input.issuedOn)}日仍未办结。`,
      },
      { type: 'paragraph', text: `根据${policyTitle(organs.county)}第十五条、第十八条规定，经研究，决定给予${lead}督办${card}警示，予以通报。` },
      red
        ? { type: 'paragraph', text: `${organs.peaceOffice.name}将按程序约谈${lead}主要负责人，并在年度平安建设考核中扣分。请${lead}立即整改，于约谈前将未办结的原因和整改措施书面报送${organs.peaceOffice.name}。` }
        : { type: 'paragraph', text: `请${lead}主要负责同志亲自过问，立即办结并报送办理结果；仍未办结的，将给予红牌警示，约谈单位主要负责人，并在年度平安建设考核中扣分。` },
      { type: 'paragraph', text: '各有关单位要引以为戒，切实履行社会治理风险评估预警化解工作职责，确保督办事项按期办结。' },
    ],
    contact: input.contact,
    ...officeLetterToUnit(organs, input.issuedOn, item.lead),
  });
}
