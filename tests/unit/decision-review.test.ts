import { describe, expect, it } from 'vitest';
import { decisionActual, decisionReviewBlocks, type DecisionReview } from '../../src/domain/documents/decision-review.ts';
import { figures } from '../fixtures/documents.ts';

const review = (over: Partial<DecisionReview> = {}): DecisionReview => ({
  meeting: '2026年7月20日联席会议（唐平纪〔2026〕2号）',
  title: '建立欠薪问题联合处置机制',
  prejudgedImpact: '欠薪类案件预计下降，涉及3名劳动者的集中讨薪需防范',
  indicatorIds: ['B5'],
  item: { closed: true, onTime: true, overdue: false },
  ...over,
});

describe('decision review (第十条(四))', () => {
  it('when a decision targeted an evaluated indicator, then its actual line names the level, the change and the outcome; without indicators it says so', () => {
    const b5 = figures.find((f) => f.id === 'B5')!;
    expect(decisionActual(review(), figures, new Map([['B5', 'improved']]))).toMatch(new RegExp(`^B5 ${b5.name}：.+风险（.色），(上升|下降|持平).*，有所好转$`));
    expect(decisionActual(review({ indicatorIds: [] }), figures, new Map())).toBe('未关联评估指标');
  });

  it('when the year had decisions, then the table shows each with its item state, counts under 5 in the meeting’s words suppressed; without decisions there is nothing', () => {
    const [intro, table] = decisionReviewBlocks(
      [review(), review({ title: '开展民间借贷风险排查', item: { closed: false, onTime: null, overdue: true } }), review({ title: '完善调解组织', item: null })],
      figures,
      new Map(),
    );
    expect(intro).toEqual({ type: 'paragraph', text: '全年联席会议作出决定3项，对应督办事项按期办结1项。各项决定实施前对其影响所作的预判与实际情况对照如下。' });
    if (table?.type !== 'table') throw new Error('no table');
    expect(table.rows.map((r) => r[4])).toEqual(['按期办结', '逾期未办结', '未立项']);
    expect(table.rows[0]![2]).toBe('欠薪类案件预计下降，涉及<5名劳动者的集中讨薪需防范');
    expect(decisionReviewBlocks([], figures, new Map())).toEqual([]);
  });
});
