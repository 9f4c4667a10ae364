import { describe, expect, it } from 'vitest';
import { DEFAULT_PROMPT_LINES, escalationPrompts, ORDER_REASONS } from '../../src/domain/loop/escalation-orders.ts';

const none = { units: [], signals: [], majorItems: [] };

describe('escalation prompts (第十五条)', () => {
  it('when a unit reaches three 红牌 in a year or three overdue items, then one 建议约谈 for 社会治理工作不力 names both figures; one short of each line gives none', () => {
    const prompts = escalationPrompts({
      ...none,
      month: '2026-11',
      lines: DEFAULT_PROMPT_LINES,
      units: [
        { departmentId: 'rsj', redCardsLastYear: 3, overdueItems: 3 },
        { departmentId: 'zjj', redCardsLastYear: 2, overdueItems: 2 },
        { departmentId: 'gaj', redCardsLastYear: 0, overdueItems: 4 },
      ],
    });
    expect(prompts).toEqual([
      {
        key: 'record:rsj:2026-11',
        step: 'interview',
        reason: 'work_ineffective',
        departmentId: 'rsj',
        itemId: null,
        figures: '近十二个月督办事项被亮红牌 3 次（提示线 3 次）；目前逾期未办结督办事项 3 件（提示线 3 件）',
      },
      { key: 'record:gaj:2026-11', step: 'interview', reason: 'work_ineffective', departmentId: 'gaj', itemId: null, figures: '目前逾期未办结督办事项 4 件（提示线 3 件）' },
    ]);
  });

  it('when a township\'s month passes the 信访 or the 舆情 line, then a 建议约谈 for 群众反映强烈 is keyed by township and month of the data, with configured lines', () => {
    const prompts = escalationPrompts({
      ...none,
      month: '2026-11',
      lines: { ...DEFAULT_PROMPT_LINES, townshipPetitionsPerMonth: 15 },
      signals: [
        { township: 'town-huyang', month: '2026-10', petitions: 15, opinions: 3 },
        { township: 'town-guotan', month: '2026-10', petitions: 14, opinions: 2 },
      ],
    });
    expect(prompts).toEqual([
      { key: 'signals:town-huyang:2026-10', step: 'interview', reason: 'public_outcry', departmentId: 'town-huyang', itemId: null, figures: '2026年10月信访 15 件（提示线 15 件）；2026年10月舆情 3 条（提示线 3 条）' },
    ]);
  });

  it('when a 重大 item has been carded red, then a 建议挂牌督办 for 重大安全风险隐患 names that item, once whatever the month', () => {
    const input = { ...none, lines: DEFAULT_PROMPT_LINES, majorItems: [{ itemId: 'i1', departmentId: 'zjj', title: '深基坑隐患整治' }] };
    const [november] = escalationPrompts({ ...input, month: '2026-11' });
    expect(november).toEqual({ key: 'major:i1', step: 'listing', reason: 'major_hazard', departmentId: 'zjj', itemId: 'i1', figures: '重大事项「深基坑隐患整治」已亮红牌仍未办结' });
    expect(escalationPrompts({ ...input, month: '2026-12' })[0]!.key).toBe(november!.key);
  });

  it('each reason of 第十五条 belongs to the step the clause gives it', () => {
    expect(Object.entries(ORDER_REASONS).map(([k, r]) => `${k}:${r.step}`)).toEqual([
      'duty_unfulfilled:interview',
      'work_ineffective:interview',
      'public_outcry:interview',
      'safety_work_lax:listing',
      'major_hazard:listing',
    ]);
  });
});
