import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appLink } from '../../src/config/schema.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { ensureCountyData } from '../support/case-data.ts';
import { uniqueSuffix } from '../support/database.ts';
import { eventually } from '../support/engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { workflowActors } from '../support/workflow.ts';

/**
 * The first half of the loop on the real engine, clock moved to July 2025: the round computes
 * the indicators over the generated county, the court submits, the leader returns once and then
 * approves, every unit owning a high indicator gets a numbered 风险提示函 (PDF by mail, cc 政法委
 * and 平安办), 金融局 answers on time, the office accepts, and each measure becomes one
 * supervision item.
 */
describe('assessment round → risk notices → supervision items', () => {
  let system: TestSystem;
  const { as, openTask, complete } = workflowActors(() => system);
  const roundId = `R${uniqueSuffix()}-2025-H1`;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await ensureCountyData(system.services.db);
    // supervision-item too: each accepted measure starts one (a start message no deployed process takes is an error, not dropped).
    await system.engine.deployProcesses(path.resolve('bpmn'), ['assessment-round', 'risk-notice', 'supervision-item']);
    system.startWorkers(workerDefinitions);
  });

  afterAll(async () => {
    const [round] = (await system?.services.db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM assessment_round WHERE id = $1`, [roundId])) ?? [];
    if (round?.process_instance_key) await system.engine.cancelProcessInstance(round.process_instance_key).catch(() => undefined);
    await system?.engine.resetClock();
    await system?.stop();
  });

  it('when the July round runs, then notices go to the owners of the planted risks and an accepted opinion becomes supervision items', async () => {
    const { db } = system.services;
    await system.engine.pinClock(new Date('2025-07-10T01:00:00Z'));
    await system.engine.publishMessage({
      name: 'start-assessment-round',
      correlationKey: roundId,
      messageId: roundId,
      timeToLiveMs: 0,
      variables: { roundId, roundKind: 'half_year', year: 2025, periodStart: '2025-01-01', periodEnd: '2025-06-30' },
    });
    const roundKey = await eventually(async () => {
      const rows = await db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM assessment_round WHERE id = $1`, [roundId]);
      return rows[0]?.process_instance_key;
    }, 'the round to compute its indicators', 60_000);

    const court = await as('court_analyst', 'court');
    const leader = await as('leader', 'zfw');
    // The court's review and the leader's approval show the report they decide on (issue 21 point 1).
    const firstReview = await openTask(roundKey, 'courtReview');
    const reviewTask = (await court.request('GET', `/api/tasks/${firstReview}`)).body;
    const reviewed = reviewTask.variables.reportSummary;
    // … and links the drafted report itself.
    const [{ report }] = await db.query<{ report: string }[]>(`SELECT report_document_id::text AS report FROM assessment_round WHERE id = $1`, [roundId]);
    expect(reviewTask.subject.document).toEqual({ id: report, label: '评估报告' });
    // The form's own link to it, which Tasklist shows too.
    expect(reviewTask.variables.reportLink).toBe(appLink(system.config, `/documents/${report}`));
    expect((await court.request('GET', `/api/documents/${report}`)).status).toBe(200);
    const [{ high }] = await db.query<{ high: number }[]>(
      `SELECT count(*)::int AS high FROM indicator_value v JOIN assessment_round r ON r.indicator_run_id = v.run_id WHERE r.id = $1 AND v.level IN ('high', 'critical')`,
      [roundId],
    );
    expect(high).toBeGreaterThan(0);
    expect(reviewed.period).toBe('2025年上半年');
    expect(reviewed.revision).toBe('第1稿');
    expect(reviewed.highIndicators).toHaveLength(high);
    expect(reviewed.highIndicators.map((h: { indicator: string }) => h.indicator)).toContain('民间借贷纠纷（B2）');
    await complete(court, firstReview, { courtDecision: 'submit', courtNotes: '数据已核对' });
    await complete(leader, await openTask(roundKey, 'leaderApproval'), { leaderDecision: 'return', leaderComments: '请补充民间借贷风险的乡镇分布' });
    await complete(court, await openTask(roundKey, 'courtReview'), { courtDecision: 'submit', courtNotes: null });
    const approval = await openTask(roundKey, 'leaderApproval');
    const approved = (await leader.request('GET', `/api/tasks/${approval}`)).body.variables.reportSummary;
    expect(approved.revision).toBe('第2稿');
    await complete(leader, approval, { leaderDecision: 'approve', leaderComments: '同意发出风险提示函' });

    // Two report revisions, each a stored document; the round approved with the leader's words.
    const reports = await db.query(`SELECT after FROM audit_log WHERE action = 'assessment_round.draft_report' AND entity_id = $1 ORDER BY id`, [roundId]);
    expect(reports.map((r: { after: { revision: number } }) => r.after.revision)).toEqual([1, 2]);
    expect(reports[1].after.leaderComments).toBe('请补充民间借贷风险的乡镇分布');

    const notices = await eventually(async () => {
      const [{ recipients }] = await db.query(`SELECT count(*)::int AS recipients FROM audit_log WHERE action = 'assessment_round.approve' AND entity_id = $1`, [roundId]);
      const rows = await db.query<{ id: string; department_id: string; number: string | null; document_id: string | null }[]>(
        `SELECT id, department_id, number, document_id FROM risk_notice WHERE round_id = $1 ORDER BY department_id`,
        [roundId],
      );
      const [approved] = await db.query(`SELECT after FROM audit_log WHERE action = 'assessment_round.approve' AND entity_id = $1`, [roundId]);
      const expected = approved?.after.recipients.length ?? -1;
      return recipients === 1 && rows.length === expected && rows.every((r) => r.number && r.document_id) ? rows : undefined;
    }, 'one numbered, delivered notice per recipient', 90_000);
    expect(approved.headline).toBe(`高风险及以上 ${high} 项，拟向 ${notices.length} 个单位发出风险提示函`);
    expect(approved.noticeUnits).toContain('唐河县地方金融管理局');
    const departments = notices.map((n) => n.department_id);
    expect(departments).toEqual(expect.arrayContaining(['jrj', 'rsj', 'jyj', 'town-yuantan']));
    expect(new Set(notices.map((n) => n.number)).size).toBe(notices.length);
    expect(notices.every((n) => /^唐法风〔2025〕\d+号$/.test(n.number!))).toBe(true);

    const jrj = notices.find((n) => n.department_id === 'jrj')!;
    const [mail] = await db.query(`SELECT recipients, cc, attachments FROM outbox WHERE dedup_key = $1`, [`document:risk-notice:${roundId}:jrj`]);
    expect(mail.recipients).toEqual(['jrj@tanghe.gov.example']);
    expect(mail.cc.sort()).toEqual(['pab@tanghe.gov.example', 'zfw@tanghe.gov.example']);
    expect(mail.attachments[0].filename).toBe(`${jrj.number}_风险提示函.pdf`);
    const [doc] = await db.query(`SELECT text_body FROM document WHERE id = $1`, [jrj.document_id]);
    expect(doc.text_body).toContain('民间借贷纠纷');
    expect(doc.text_body).toContain('同一被告涉案26件');

    // 金融局 answers on time with two measures; the office accepts.
    const [{ process_instance_key: noticeKey }] = await eventually(
      () => db.query<{ process_instance_key: string }[]>(`SELECT process_instance_key FROM risk_notice WHERE id = $1 AND process_instance_key IS NOT NULL`, [jrj.id]),
      'the notice instance',
    );
    const finance = await as('department', 'jrj');
    const inbox = await finance.request('GET', '/api/tasks?limit=200');
    const opinionTask = await openTask(noticeKey, 'submitOpinion');
    expect(inbox.body.items.map((t: { key: string }) => t.key)).toContain(opinionTask);
    const measure = { content: '对源潭镇民间借贷高发情况开展专项排查', ownerName: '王科长', responsibleDepartmentId: 'jrj', deadline: '2025-10-31', indicatorIds: ['B2'], townships: ['town-yuantan'] };
    // A deadline already past on the process clock: the task comes back with what to correct, no incident.
    await complete(finance, opinionTask, { analysis: '民间借贷风险集中于源潭镇。', problems: null, measures: [{ ...measure, deadline: '2025-01-31' }] });
    const corrected = await eventually(
      async () => (await db.query<{ key: string }[]>(`SELECT key FROM engine_user_task WHERE process_instance_key = $1 AND element_id = 'submitOpinion' AND state = 'CREATED' AND key <> $2`, [noticeKey, opinionTask]))[0]?.key,
      'the opinion task to come back',
    );
    const reopened = await finance.request('GET', `/api/tasks/${corrected}`);
    expect(reopened.body.variables.opinionProblems).toContain('第1项措施·完成时限：完成时限应为今天之后的日期');
    expect(reopened.body.variables.noticeIndicatorOptions.map((o: { value: string }) => o.value)).toContain('B2');
    expect(await db.query(`SELECT 1 FROM engine_incident WHERE process_instance_key = $1`, [noticeKey])).toHaveLength(0);
    await complete(finance, corrected, {
      analysis: '经分析研判，民间借贷纠纷集中于源潭镇，同一出借主体涉案较多，存在非法集资风险。',
      problems: null,
      measures: [measure, { ...measure, content: '会同公安机关核查涉案出借主体资金来源', responsibleDepartmentId: 'gaj' }],
    });
    const office = await as('peace_office', 'pab');
    const review = await openTask(noticeKey, 'reviewOpinion');
    // The office's review shows the opinion it decides on, by name; the engine holds it for Tasklist's form too.
    const expectedSummary = {
      unit: '唐河县地方金融管理局',
      noticeNumber: jrj.number,
      submission: '第1稿（按期报送）',
      analysis: '经分析研判，民间借贷纠纷集中于源潭镇，同一出借主体涉案较多，存在非法集资风险。',
      problems: '（未填写）',
      measures: [
        { seq: 1, content: '对源潭镇民间借贷高发情况开展专项排查', owner: '王科长', department: '唐河县地方金融管理局', deadline: '2025-10-31', indicators: '民间借贷纠纷（B2）', townships: '源潭镇' },
        { seq: 2, content: '会同公安机关核查涉案出借主体资金来源', owner: '王科长', department: '唐河县公安局', deadline: '2025-10-31', indicators: '民间借贷纠纷（B2）', townships: '源潭镇' },
      ],
    };
    const reviewView = (await office.request('GET', `/api/tasks/${review}`)).body;
    expect(reviewView.variables.opinionSummary).toEqual(expectedSummary);
    expect(reviewView.subject.document).toEqual({ id: jrj.document_id, label: '风险提示函' });
    expect((await system.engine.taskVariables(review)).opinionSummary).toEqual(expectedSummary);
    await complete(office, review, { reviewDecision: 'accept', reviewReason: null });

    const items = await eventually(async () => {
      const rows = await db.query<{ lead_department_id: string; co_department_ids: string[] }[]>(
        `SELECT lead_department_id, co_department_ids FROM supervision_item WHERE source_kind = 'notice' AND source_id = $1 ORDER BY lead_department_id`,
        [jrj.id],
      );
      return rows.length === 2 ? rows : undefined;
    }, 'two supervision items');
    expect(items).toEqual([
      { lead_department_id: 'gaj', co_department_ids: ['jrj'] },
      { lead_department_id: 'jrj', co_department_ids: [] },
    ]);
    const [opinion] = await db.query(`SELECT late FROM work_opinion WHERE notice_id = $1`, [jrj.id]);
    expect(opinion.late).toBe(false);
    await eventually(async () => {
      const rows = await db.query<{ state: string }[]>(`SELECT state FROM engine_process_instance WHERE key = $1`, [noticeKey]);
      return rows[0]?.state === 'COMPLETED';
    }, 'the notice process to finish');
    // The chain from the planted indicator reaches the items.
    const trace = await system.services.trace.trace(
      { id: null, username: 'office', displayName: 'office', departmentId: 'pab', roles: ['peace_office'] },
      { kind: 'notice', id: jrj.id },
    );
    expect(trace.nodes.filter((n) => n.kind === 'item')).toHaveLength(2);
    expect(trace.nodes.some((n) => n.kind === 'indicator' && n.id === `${roundId}:B2`)).toBe(true);
  });
});
