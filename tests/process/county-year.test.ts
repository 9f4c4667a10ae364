import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURED_UNITS, loadCountyYearData, runCountyYear, type CountyYear } from '../../src/dry-run/county-year.ts';
import type { Sandbox } from '../../src/dry-run/sandbox.ts';
import { testPorts } from '../support/ports.ts';
import { startTestSandbox } from '../support/sandbox.ts';

/**
 * A county year in minutes (issue: the closed loop): the same run as `npm run dry-run`, on a
 * sandbox of its own (engine, database), then every user task, escalation, deduction and trace
 * link that should exist is checked — and that nothing else happened.
 */
const YEAR = 2026;

describe('a county year', () => {
  let sandbox: Sandbox;
  let year: CountyYear;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => sandbox.core.db.query<T[]>(sql, params);
  const eventsOf = async (column: 'item_id' | 'notice_id', id: string) =>
    (
      await q<{ kind: string }>(
        // Steps recorded at the same engine instant (红牌 and the 约谈 it orders) in ladder order.
        `SELECT kind FROM escalation_event WHERE ${column} = $1
         ORDER BY at, array_position(ARRAY['reminder','urge','yellow_card','red_card','interview','listing','delisting','returned'], kind)`,
        [id],
      )
    ).map((e) => e.kind);

  beforeAll(async () => {
    sandbox = await startTestSandbox('county-year', testPorts.countyYearBase);
    await loadCountyYearData(sandbox.core.services, YEAR);
    year = await runCountyYear({ services: sandbox.core.services, engine: sandbox.core.engine, config: sandbox.config }, YEAR);
  }, 1_500_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('when the year has run, then the three rounds, the meeting and both evaluations happened and every task was done', async () => {
    expect(year.rounds).toEqual({ february: `${YEAR - 1}-Y`, july: `${YEAR}-H1`, nextFebruary: `${YEAR}-Y` });
    const rounds = await q<{ id: string; status: string }>(`SELECT id, status FROM assessment_round ORDER BY id`);
    expect(rounds).toEqual([`${YEAR - 1}-Y`, `${YEAR}-H1`, `${YEAR}-Y`].map((id) => ({ id, status: 'closed' })));
    expect(await q(`SELECT 1 FROM engine_user_task WHERE state = 'CREATED'`)).toHaveLength(0);
    expect(await q(`SELECT 1 FROM engine_incident`)).toHaveLength(0);

    const [{ notices }] = await q<{ notices: number }>(`SELECT count(*)::int AS notices FROM risk_notice`);
    const [{ items }] = await q<{ items: number }>(`SELECT count(*)::int AS items FROM supervision_item`);
    expect(notices).toBe(year.otherNotices.length + 3);
    // One item per accepted measure (one each) and one for the meeting's decision.
    expect(items).toBe(notices + 1);
    const tasks = Object.fromEntries(
      (await q<{ element_id: string; n: number }>(`SELECT element_id, count(*)::int AS n FROM engine_user_task GROUP BY element_id`)).map((r) => [r.element_id, r.n]),
    );
    expect(tasks).toEqual({
      courtReview: 3,
      leaderApproval: 3,
      submitOpinion: notices + 1, // 教育局 answered twice
      reviewOpinion: notices + 1,
      sign: items,
      submitResult: items,
      reviewResult: items,
      arrangeInterview: 2,
      interview: 2,
      rectificationReport: 1,
      listingPlan: 1,
      rectify: 1,
      acceptance: 1,
      recordMinutes: 1,
      confirm: 2,
      planSeminar: 2,
      recordSeminar: 2,
    });
    expect(await q(`SELECT 1 FROM effectiveness_evaluation WHERE published_at IS NOT NULL`)).toHaveLength(2);
  });

  it('when units answer on time, late and after a return, then only the late and returned notices escalate', async () => {
    expect(await eventsOf('notice_id', year.notices.onTime)).toEqual([]);
    expect(await eventsOf('notice_id', year.notices.late)).toEqual(['reminder', 'urge']);
    expect(await eventsOf('notice_id', year.notices.returned)).toEqual(['returned']);
    expect(await q(`SELECT 1 FROM escalation_event WHERE notice_id IS NOT NULL AND notice_id <> ALL($1::uuid[])`, [[year.notices.late, year.notices.returned]])).toHaveLength(0);
    const opinions = await q<{ department_id: string; version: number; late: boolean; review_decision: string }>(
      `SELECT n.department_id, o.version, o.late, o.review_decision FROM work_opinion o JOIN risk_notice n ON n.id = o.notice_id WHERE n.id = ANY($1::uuid[]) ORDER BY n.department_id, o.version`,
      [[year.notices.onTime, year.notices.late, year.notices.returned]],
    );
    expect(opinions).toEqual([
      { department_id: FEATURED_UNITS.onTime, version: 1, late: false, review_decision: 'accept' },
      { department_id: FEATURED_UNITS.returned, version: 1, late: false, review_decision: 'return' },
      { department_id: FEATURED_UNITS.returned, version: 2, late: false, review_decision: 'accept' },
      { department_id: FEATURED_UNITS.late, version: 1, late: true, review_decision: 'accept' },
    ]);
    // The 催办通知书 went to 人社局 with its 分管领导 in cc, once.
    const urges = await q<{ cc: string[] }>(`SELECT cc FROM outbox WHERE dedup_key LIKE $1`, [`document:urge:notice:${year.notices.late}:%`]);
    expect(urges.map((u) => u.cc)).toEqual([['rsj-leader@tanghe.gov.example']]);
  });

  it('when two items are left undone, then each climbs the ladder once, one to a rectification report and one to 挂牌 and 摘牌; all others close on time', async () => {
    expect(await eventsOf('item_id', year.items.onTime)).toEqual([]);
    expect(await eventsOf('item_id', year.items.meeting)).toEqual([]);
    expect(await eventsOf('item_id', year.items.interviewed)).toEqual(['reminder', 'urge', 'yellow_card', 'red_card', 'interview']);
    expect(await eventsOf('item_id', year.items.listed)).toEqual(['reminder', 'urge', 'yellow_card', 'red_card', 'interview', 'listing', 'delisting']);
    expect(await q(`SELECT 1 FROM escalation_event WHERE item_id IS NOT NULL AND item_id <> ALL($1::uuid[])`, [[year.items.interviewed, year.items.listed]])).toHaveLength(0);
    // The listing had its 挂牌督办通知书 under its 挂牌编号, and the 公示 shows it removed.
    const [listed] = await q<{ number: string }>(`SELECT number FROM listing WHERE item_id = $1`, [year.items.listed]);
    expect(await q(`SELECT 1 FROM document WHERE kind = 'listing_notice' AND number = $1`, [listed!.number])).toHaveLength(1);
    expect((await sandbox.core.services.publicReport.listings()).find((l) => l.number === listed!.number)).toMatchObject({ status: '已摘牌', delistedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    const closed = await q<{ id: string; result_on_time: boolean }>(`SELECT id, result_on_time FROM supervision_item WHERE status = 'closed'`);
    const [{ items }] = await q<{ items: number }>(`SELECT count(*)::int AS items FROM supervision_item`);
    expect(closed).toHaveLength(items);
    expect(closed.filter((i) => !i.result_on_time).map((i) => i.id).sort()).toEqual([year.items.interviewed, year.items.listed].sort());
    const [interview] = await q<{ record: { rectificationReport?: string } }>(`SELECT record FROM interview WHERE item_id = $1`, [year.items.interviewed]);
    expect(interview!.record.rectificationReport).toBe('已完成欠薪清查并建立周调度机制');
    const [listing] = await q<{ delisted_at: Date | null; five_implementations: unknown }>(`SELECT delisted_at, five_implementations FROM listing WHERE item_id = $1`, [year.items.listed]);
    expect(listing!.delisted_at).not.toBeNull();
    expect(listing!.five_implementations).not.toBeNull();
    const [meetingItem] = await q<{ lead_department_id: string; co_department_ids: string[] }>(`SELECT lead_department_id, co_department_ids FROM supervision_item WHERE id = $1`, [year.items.meeting]);
    expect(meetingItem).toEqual({ lead_department_id: 'gaj', co_department_ids: [FEATURED_UNITS.onTime] });
  });

  it('when the July round re-checks the targeted indicators, then the calmed year shows them lower than in February', async () => {
    const levels = await q<{ round: string; indicator_id: string; level: string }>(
      `SELECT r.id AS round, v.indicator_id, v.level FROM indicator_value v JOIN assessment_round r ON r.indicator_run_id = v.run_id
       WHERE v.region = 'county' AND v.indicator_id IN ('B2', 'B5', 'C4') AND r.id IN ($1, $2) ORDER BY v.indicator_id, r.id`,
      [year.rounds.february, year.rounds.july],
    );
    const rank = { low: 0, medium: 1, high: 2, critical: 3 } as const;
    for (const id of ['B2', 'B5', 'C4']) {
      const [february, july] = [levels.find((l) => l.indicator_id === id && l.round === year.rounds.february)!, levels.find((l) => l.indicator_id === id && l.round === year.rounds.july)!];
      expect(rank[february.level as keyof typeof rank], `${id} in February`).toBeGreaterThanOrEqual(rank.high);
      expect(rank[july.level as keyof typeof rank], `${id} in July`).toBeLessThan(rank[february.level as keyof typeof rank]);
    }
  });

  it('when the July report is drafted, then it follows up each indicator February warned about: measures, items and its move against the county trend', async () => {
    const [july] = await q<{ text_body: string }>(`SELECT d.text_body FROM assessment_round r JOIN document d ON d.id = r.report_document_id WHERE r.id = $1`, [year.rounds.july]);
    const warned = await q<{ id: string }>(`SELECT DISTINCT unnest(indicator_ids) AS id FROM risk_notice WHERE round_id = $1`, [year.rounds.february]);
    expect(warned.length).toBeGreaterThan(0);
    expect(july!.text_body).toContain('上期风险提示指标跟踪');
    expect(july!.text_body).toContain(`${YEAR - 1}年度评估（${year.rounds.february}）发出风险提示的${warned.length}项指标`);
    for (const id of ['B2', 'B5', 'C4']) expect(july!.text_body).toMatch(new RegExp(`${id} [^\\n]*(好于|差于|与)全县趋势`));
  });

  it('when the year is evaluated, then the deductions (negative points) are the late, returned, overdue and interviewed units and the chains reach the outcome', async () => {
    const lines = await q<{ department_id: string; category: string }>(
      `SELECT DISTINCT department_id, category FROM deduction WHERE year = $1 AND points < 0 AND category NOT LIKE 'indicator_%' ORDER BY department_id, category`,
      [YEAR],
    );
    expect(lines).toEqual([
      { department_id: FEATURED_UNITS.returned, category: 'interview' },
      { department_id: FEATURED_UNITS.returned, category: 'late_report' },
      { department_id: FEATURED_UNITS.returned, category: 'overdue_after_urge' },
      { department_id: FEATURED_UNITS.returned, category: 'returned' },
      { department_id: FEATURED_UNITS.late, category: 'interview' },
      { department_id: FEATURED_UNITS.late, category: 'late_report' },
      { department_id: FEATURED_UNITS.late, category: 'overdue_after_urge' },
    ]);
    const office = { id: null, username: 'office', displayName: 'office', departmentId: 'pab', roles: ['peace_office'] as const };
    const chain = await sandbox.core.services.trace.trace({ ...office, roles: [...office.roles] }, { kind: 'item', id: year.items.interviewed });
    const kinds = new Set(chain.nodes.map((n) => n.kind));
    for (const kind of ['indicator', 'notice', 'opinion', 'measure', 'item', 'escalation', 'outcome']) expect(kinds, kind).toContain(kind);
  });

  it('when the year is evaluated, then the joint meeting\'s decision is set against what happened: its prejudged impact, its indicators and its item closed on time, in the public report too', async () => {
    const [evaluation] = await q<{ decision_reviews: { meeting: string; title: string; prejudgedImpact: string; item: unknown }[]; text_body: string }>(
      `SELECT e.decision_reviews, d.text_body FROM effectiveness_evaluation e JOIN document d ON d.id = e.public_report_document_id WHERE e.year = $1`,
      [YEAR],
    );
    expect(evaluation!.decision_reviews).toEqual([
      {
        meeting: expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日联席会议（唐平纪〔\d{4}〕\d+号）$/),
        title: '建立民间借贷风险联合监测机制',
        prejudgedImpact: '涉众型借贷纠纷预计下降',
        indicatorIds: expect.any(Array),
        item: { closed: true, onTime: true, overdue: false },
      },
    ]);
    expect(evaluation!.text_body).toContain('联席会议决策影响预判与实际');
    expect(evaluation!.text_body).toContain('全年联席会议作出决定1项，对应督办事项按期办结1项。');
  });
});
