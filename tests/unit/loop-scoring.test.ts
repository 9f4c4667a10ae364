import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCORING_RULES,
  findingsFromFacts,
  scoreUnits,
  type ItemYearFacts,
  type ScoringFinding,
  type ScoringRules,
  type YearFacts,
} from '../../src/domain/loop/scoring.ts';

const at = (s: string) => `${s}+08:00`;
const cutoff = at('2025-12-31T23:59:59');

const baseItem = (over: Partial<ItemYearFacts>): ItemYearFacts => ({
  itemId: 'item-1',
  leadDepartmentId: 'rsj',
  coDepartmentIds: ['zjj'],
  deadline: at('2025-06-30T18:00:00'),
  resultSubmittedAt: at('2025-06-20T10:00:00'),
  events: [],
  interviewIds: [],
  listing: null,
  ...over,
});

const facts = (over: Partial<YearFacts>): YearFacts => ({ cutoff, items: [], opinions: [], indicators: [], unitInterviews: [], ...over });

describe('deductions per unit', () => {
  it('when an item finished on time with no returns and no escalation, then nobody loses a point', () => {
    expect(findingsFromFacts(facts({ items: [baseItem({})] }))).toEqual([]);
    expect(scoreUnits([], DEFAULT_SCORING_RULES)).toEqual([]);
  });

  it('when the lead unit reported late, then it loses the full point and each co-unit half, each line citing the item', () => {
    const findings = findingsFromFacts(facts({ items: [baseItem({ resultSubmittedAt: at('2025-07-03T10:00:00'), coDepartmentIds: ['zjj', 'jtys'] })] }));
    const scores = scoreUnits(findings, DEFAULT_SCORING_RULES);
    expect(scores.map((s) => [s.departmentId, s.score])).toEqual([
      ['jtys', 99.5],
      ['rsj', 99],
      ['zjj', 99.5],
    ]);
    for (const s of scores) for (const l of s.lines) expect(l.evidence).toContainEqual({ kind: 'supervision_item', id: 'item-1' });
  });

  it('when no result came by the end of the year, then it counts as reported late', () => {
    const findings = findingsFromFacts(facts({ items: [baseItem({ resultSubmittedAt: null })] }));
    expect(findings.filter((f) => f.category === 'late_report').map((f) => f.departmentId).sort()).toEqual(['rsj', 'zjj']);
  });

  it('when a result was returned twice, then each return costs 2 points and cites its escalation event', () => {
    const item = baseItem({
      coDepartmentIds: [],
      events: [
        { id: 'ev-r1', kind: 'returned', at: at('2025-06-22T10:00:00') },
        { id: 'ev-r2', kind: 'returned', at: at('2025-06-25T10:00:00') },
      ],
    });
    const [rsj] = scoreUnits(findingsFromFacts(facts({ items: [item] })), DEFAULT_SCORING_RULES);
    expect(rsj!.subtotals.returned).toBe(-4);
    expect(rsj!.lines.map((l) => l.evidence)).toEqual([[{ kind: 'escalation_event', id: 'ev-r1' }], [{ kind: 'escalation_event', id: 'ev-r2' }]]);
  });

  it('when an item got a 黄牌 (overdue 5 working days after the 催办), then the 催办 and the card are the evidence of the 3-point deduction', () => {
    const item = baseItem({
      coDepartmentIds: [],
      resultSubmittedAt: at('2025-07-20T10:00:00'),
      events: [
        { id: 'ev-u', kind: 'urge', at: at('2025-07-01T09:00:00') },
        { id: 'ev-y', kind: 'yellow_card', at: at('2025-07-08T09:00:00') },
      ],
    });
    const line = scoreUnits(findingsFromFacts(facts({ items: [item] })), DEFAULT_SCORING_RULES)[0]!.lines.find((l) => l.category === 'overdue_after_urge');
    expect(line?.points).toBe(-3);
    expect(line?.evidence).toEqual([
      { kind: 'escalation_event', id: 'ev-u' },
      { kind: 'escalation_event', id: 'ev-y' },
    ]);
  });

  it('when the lead unit was interviewed and its listing was removed late, then only the lead unit bears those deductions', () => {
    const item = baseItem({
      interviewIds: ['iv-1'],
      listing: { listingId: 'ls-1', dueDate: at('2025-10-31T18:00:00'), delistedAt: at('2025-11-20T10:00:00') },
    });
    const findings = findingsFromFacts(facts({ items: [item] }));
    expect(findings.filter((f) => f.category === 'interview' || f.category === 'listing_not_removed').map((f) => [f.category, f.departmentId])).toEqual([
      ['interview', 'rsj'],
      ['listing_not_removed', 'rsj'],
    ]);
  });

  it('when a leader had a unit interviewed without an item, then that unit bears the 约谈 deduction, and one held after the cut-off costs nothing yet', () => {
    const findings = findingsFromFacts(
      facts({
        unitInterviews: [
          { interviewId: 'iv-town', departmentId: 'town-zhangdian', heldAt: at('2025-09-10T09:00:00') },
          { interviewId: 'iv-late', departmentId: 'town-huyang', heldAt: '2099-01-01T01:00:00.000Z' },
        ],
      }),
    );
    expect(findings).toEqual([{ category: 'interview', departmentId: 'town-zhangdian', role: 'lead', subject: { kind: 'interview', id: 'iv-town' }, evidence: [{ kind: 'interview', id: 'iv-town' }] }]);
    const [town] = scoreUnits(findings, DEFAULT_SCORING_RULES);
    expect(town!.lines.map((l) => [l.category, l.points])).toEqual([['interview', -2]]);
  });

  it('when a listing was removed before its deadline, or its deadline is after the year, then it costs nothing', () => {
    const onTime = baseItem({ listing: { listingId: 'ls-1', dueDate: at('2025-10-31T18:00:00'), delistedAt: at('2025-10-20T10:00:00') } });
    const later = baseItem({ itemId: 'item-2', listing: { listingId: 'ls-2', dueDate: at('2026-03-31T18:00:00'), delistedAt: null } });
    expect(findingsFromFacts(facts({ items: [onTime, later] })).filter((f) => f.category === 'listing_not_removed')).toEqual([]);
  });

  it('when a department answered a risk notice late and had its opinion returned, then it loses a point and two, citing the notice, the opinion and the return', () => {
    const findings = findingsFromFacts(
      facts({
        opinions: [
          { noticeId: 'n-1', departmentId: 'jrj', dueDate: at('2025-03-10T18:00:00'), firstOpinionId: 'op-1', submittedAt: at('2025-03-12T10:00:00'), returnedEventIds: ['ev-ret'] },
          { noticeId: 'n-2', departmentId: 'gaj', dueDate: at('2025-03-10T18:00:00'), firstOpinionId: 'op-2', submittedAt: at('2025-03-09T10:00:00'), returnedEventIds: [] },
        ],
      }),
    );
    const [jrj] = scoreUnits(findings, DEFAULT_SCORING_RULES);
    expect(jrj).toMatchObject({ departmentId: 'jrj', deducted: 3, score: 97 });
    expect(jrj!.lines.find((l) => l.category === 'late_report')!.evidence).toEqual([
      { kind: 'risk_notice', id: 'n-1' },
      { kind: 'work_opinion', id: 'op-1' },
    ]);
  });

  it('when an owned indicator is still high in February, then the lead owner loses 3 and a co-owner 1.5, citing the indicator values', () => {
    const findings = findingsFromFacts(
      facts({
        indicators: [
          {
            outcomeId: 'out-B5',
            indicatorId: 'B5',
            owners: [
              { departmentId: 'rsj', role: 'lead' },
              { departmentId: 'zjj', role: 'co' },
            ],
            stillHigh: true,
            creditedLevels: 0,
            indicatorValueIds: ['iv-2024', 'iv-2025'],
          },
        ],
      }),
    );
    const scores = scoreUnits(findings, DEFAULT_SCORING_RULES);
    expect(scores.map((s) => [s.departmentId, s.deducted])).toEqual([
      ['rsj', 3],
      ['zjj', 1.5],
    ]);
    expect(scores[0]!.lines[0]!.evidence).toEqual([
      { kind: 'indicator_value', id: 'iv-2024' },
      { kind: 'indicator_value', id: 'iv-2025' },
    ]);
  });

  it('when an owned indicator fell two credited levels, then the owner gains a point; one level gains nothing', () => {
    const ind = (id: string, creditedLevels: number) => ({
      outcomeId: `out-${id}`,
      indicatorId: id,
      owners: [{ departmentId: 'gaj', role: 'lead' as const }],
      stillHigh: false,
      creditedLevels,
      indicatorValueIds: [`iv-${id}`],
    });
    const [gaj] = scoreUnits(findingsFromFacts(facts({ indicators: [ind('C1', 2), ind('C2', 1)] })), DEFAULT_SCORING_RULES);
    expect(gaj).toMatchObject({ bonus: 1, deducted: 0, score: 101 });
  });

  it('when a unit has more late reports than the category cap, then the deduction stops at the cap and the extra lines stay with 0 points', () => {
    const findings: ScoringFinding[] = Array.from({ length: 7 }, (_, i) => ({
      category: 'late_report' as const,
      departmentId: 'rsj',
      role: 'lead' as const,
      subject: { kind: 'supervision_item' as const, id: `item-${i}` },
      evidence: [{ kind: 'supervision_item' as const, id: `item-${i}` }],
    }));
    const [rsj] = scoreUnits(findings, DEFAULT_SCORING_RULES);
    expect(rsj!.deducted).toBe(5);
    expect(rsj!.lines.map((l) => l.points)).toEqual([-1, -1, -1, -1, -1, 0, 0]);
    expect(rsj!.lines.every((l) => l.uncappedPoints === -1)).toBe(true);
  });

  it('when the county configures other numbers, then they are used: the base, the points, the cap and the co-unit share', () => {
    const rules: ScoringRules = {
      ...DEFAULT_SCORING_RULES,
      baseScore: 10,
      coUnitFactor: 0.25,
      categories: { ...DEFAULT_SCORING_RULES.categories, late_report: { points: 4, cap: 100, kind: 'deduction' } },
    };
    const findings = findingsFromFacts(facts({ items: [baseItem({ resultSubmittedAt: at('2025-07-03T10:00:00') })] }));
    expect(scoreUnits(findings, rules).map((s) => [s.departmentId, s.score])).toEqual([
      ['rsj', 6],
      ['zjj', 9],
    ]);
  });

  it('when events happened after the year cut-off, then they do not count', () => {
    const item = baseItem({ events: [{ id: 'ev-late', kind: 'returned', at: at('2026-01-05T10:00:00') }] });
    expect(findingsFromFacts(facts({ items: [item] }))).toEqual([]);
  });
});
