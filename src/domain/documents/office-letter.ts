import { chineseDate, numericDate } from './format.ts';
import type { Organs, UnitRef } from './inputs.ts';
import type { OfficialDocument } from './model.ts';

/**
 * What every sealed letter of the 平安办 to one unit shares (约谈通知书, 挂牌督办通知书, 限期整改指令书,
 * 警示通报): the office's seal and date, 抄送 the 政法委, the imprint, and its delivery — to the
 * unit, cc the 政法委 and the unit's 分管领导.
 */
export function officeLetterToUnit(organs: Organs, issuedOn: string, unit: UnitRef): Pick<OfficialDocument, 'signature' | 'annexes' | 'copyTo' | 'imprint' | 'audience' | 'meta'> {
  return {
    signature: { organs: [organs.peaceOffice.name], date: chineseDate(issuedOn), sealed: true },
    annexes: [],
    copyTo: [organs.politicalLegal.name],
    imprint: { organ: organs.peaceOffice.name, date: numericDate(issuedOn) },
    audience: 'internal',
    meta: { issuedOn, to: [unit.id], cc: [organs.politicalLegal.id], ccLeadersOf: [unit.id] },
  };
}
