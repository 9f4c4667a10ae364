import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerDefinitions } from '../../workers/registry.ts';
import { ensureCountyData } from '../support/case-data.ts';
import { eventually } from '../support/engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { workflowActors } from '../support/workflow.ts';

/**
 * 专题分析 (issue 19 point 5) on the real engine: a court analyst composes a topic — 民间借贷 in
 * three towns over two half years — from the HTTP API; it runs through the round's own process
 * (court review, leader approval), its 专题分析报告 shows only its indicators and townships with
 * counts under 5 suppressed, and the 风险提示函 go to the units its latest period finds at risk
 * among them, citing the topic report.
 */
describe('专题分析 → approval → risk notices', () => {
  let system: TestSystem;
  const { as, openTask, complete } = workflowActors(() => system);
  let roundId = '';

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await ensureCountyData(system.services.db);
    await system.engine.deployProcesses(path.resolve('bpmn'), ['assessment-round', 'risk-notice']);
    system.startWorkers(workerDefinitions);
  });

  afterAll(async () => {
    const rows = (await system?.services.db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM assessment_round WHERE id = $1`, [roundId])) ?? [];
    if (rows[0]?.process_instance_key) await system.engine.cancelProcessInstance(rows[0].process_instance_key).catch(() => undefined);
    await system?.engine.resetClock();
    await system?.stop();
  });

  it('when a topic asks for what cannot be analysed, then it is refused by field and nothing starts', async () => {
    const court = await as('court_analyst', 'court');
    const base = { subject: '民间借贷纠纷', indicatorIds: ['B2'], townshipIds: ['town-yuantan'], periods: [{ kind: 'half_year', year: 2025 }] };
    const notTownship = await court.request('POST', '/api/topic-reports', { ...base, townshipIds: ['jrj'] });
    expect(notTownship.status).toBe(400);
    expect(notTownship.body.error.problems).toEqual([{ field: 'townshipIds[0]', reason: 'jrj 不是乡镇（街道）' }]);
    const unfinished = await court.request('POST', '/api/topic-reports', { ...base, periods: [{ kind: 'annual', year: 2099 }] });
    expect(unfinished.status).toBe(400);
    expect(unfinished.body.error.problems).toEqual([{ field: 'periods[0]', reason: '2099年度尚未结束，不能分析' }]);
    const mixed = await court.request('POST', '/api/topic-reports', { ...base, periods: [{ kind: 'annual', year: 2024 }, { kind: 'half_year', year: 2025 }] });
    expect(mixed.body.error.problems).toEqual([{ field: 'periods', reason: '分析期间应为同一类型（均为上半年或均为全年），以便逐期比较' }]);
    const nine = await court.request('POST', '/api/topic-reports', { ...base, townshipIds: Array.from({ length: 9 }, (_, i) => `town-${i}`) });
    expect(nine.status).toBe(400);
    expect(nine.body.error.problems[0].field).toBe('townshipIds');
    const leader = await as('leader', 'zfw');
    expect((await leader.request('POST', '/api/topic-reports', base)).status).toBe(403);
    expect(await system.services.db.query(`SELECT id FROM assessment_round WHERE topic IS NOT NULL`)).toEqual([]);
  });

  it('when the court composes a topic and the leader approves it, then its report covers the topic only and notices go to the units at risk in it', async () => {
    const { db } = system.services;
    await system.engine.pinClock(new Date('2025-07-10T01:00:00Z'));
    const court = await as('court_analyst', 'court');
    const topic = {
      subject: '民间借贷纠纷',
      indicatorIds: ['B2'],
      // Out of the county's order on purpose: the report lists them as the county does.
      townshipIds: ['town-guotan', 'town-yuantan', 'town-zhangdian'],
      periods: [
        { kind: 'half_year', year: 2025 },
        { kind: 'half_year', year: 2024 },
      ],
    };
    const composed = await court.request('POST', '/api/topic-reports', topic);
    expect(composed.status).toBe(202);
    roundId = composed.body.roundId;
    expect(roundId).toMatch(/^\d{4}-T1$/);
    // The same scope again while the first runs: refused, one topic.
    const again = await court.request('POST', '/api/topic-reports', topic);
    expect(again.status).toBe(409);

    const roundKey = await eventually(
      async () => (await db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM assessment_round WHERE id = $1`, [roundId]))[0]?.process_instance_key,
      'the topic to compute its indicators',
      60_000,
    );
    const review = await openTask(roundKey, 'courtReview');
    const task = (await court.request('GET', `/api/tasks/${review}`)).body;
    expect(task.subject).toMatchObject({ kind: '专题分析', number: roundId, title: '民间借贷纠纷', indicators: ['民间借贷纠纷（B2）'] });
    const [{ report, kind }] = await db.query<{ report: string; kind: string }[]>(
      `SELECT r.report_document_id::text AS report, d.kind FROM assessment_round r JOIN document d ON d.id = r.report_document_id WHERE r.id = $1`,
      [roundId],
    );
    expect(kind).toBe('topic_report');
    expect(task.subject.document).toEqual({ id: report, label: '专题分析报告' });
    const [{ text_body: text }] = await db.query<{ text_body: string }[]>(`SELECT text_body FROM document WHERE id = $1`, [report]);
    expect(text).toContain('关于民间借贷纠纷的专题分析报告');
    expect(text).toContain('（2024年上半年至2025年上半年）');
    expect(text).toContain('分析地区：全县及源潭镇、张店镇、郭滩镇。分析期间：2024年上半年、2025年上半年。');
    // Only the topic's indicator: no other indicator of the catalogue is named.
    expect(text).not.toMatch(/劳动争议|B1 /);
    // The planted cluster: 源潭镇 is high in 2025's first half.
    expect(text).toContain('B2 民间借贷纠纷：2025年上半年全县重大风险（红色）；乡镇（街道）中，源潭镇重大风险（红色）。');
    expect(text).toContain('| 源潭镇 | 53件 | 118件 | 重大风险（红色） |');

    await complete(court, review, { courtDecision: 'submit', courtNotes: '专题数据已核对' });
    const leader = await as('leader', 'zfw');
    await complete(leader, await openTask(roundKey, 'leaderApproval'), { leaderDecision: 'approve', leaderComments: '同意' });

    const approved = await eventually(
      async () =>
        (await db.query<{ after: { recipients: { departmentId: string; indicatorIds: string[] }[] } }[]>(`SELECT after FROM audit_log WHERE action = 'assessment_round.approve' AND entity_id = $1`, [roundId]))[0],
      'the topic to be approved',
    );
    const recipients = approved.after.recipients;
    // Only B2, and of the three towns only 源潭镇 (the planted cluster); a round of every indicator notifies far more units.
    expect(recipients).toEqual([
      { departmentId: 'jrj', indicatorIds: ['B2'] },
      { departmentId: 'town-yuantan', indicatorIds: ['B2'] },
    ]);

    const notices = await eventually(async () => {
      const rows = await db.query<{ department_id: string; document_id: string | null }[]>(`SELECT department_id, document_id::text FROM risk_notice WHERE round_id = $1 ORDER BY department_id`, [roundId]);
      return rows.length === recipients.length && rows.every((r) => r.document_id) ? rows : undefined;
    }, 'one delivered notice per unit at risk', 90_000);
    const yuantan = notices.find((n) => n.department_id === 'town-yuantan')!;
    const [notice] = await db.query<{ text_body: string }[]>(`SELECT text_body FROM document WHERE id = $1`, [yuantan.document_id]);
    expect(notice!.text_body).toContain('根据《关于民间借贷纠纷的专题分析报告》');

    // The topic is listed where it stands; the cockpit keeps to the scheduled rounds.
    const list = (await court.request('GET', '/api/topic-reports')).body;
    expect(list[0]).toMatchObject({ roundId, subject: '民间借贷纠纷', composedBy: expect.any(String), reportDocumentId: report });
    expect(['approved', 'notices_sent']).toContain(list[0].status);
    expect(list[0].scope.townshipIds).toEqual(['town-yuantan', 'town-zhangdian', 'town-guotan']);
    const cockpit = (await leader.request('GET', '/api/cockpit')).body;
    expect(JSON.stringify(cockpit.rounds ?? [])).not.toContain(roundId);
  });
});
