import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/services/actor.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { computedRound } from '../support/case-data.ts';
import { uniqueSuffix } from '../support/database.ts';
import { eventually } from '../support/engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { workflowActors } from '../support/workflow.ts';

/**
 * The joint meeting (第九条、第十条) started by the convener, and a 督办事项专报 (第十四条) on demand,
 * on the real engine: agenda and minutes become documents, each decision one supervision item;
 * the bulletin is revised once, sent to the leaders once, and the leader's 批示 recorded.
 */
describe('joint meeting and supervision bulletin', () => {
  let system: TestSystem;
  const { as, openTaskOf, complete } = workflowActors(() => system);
  const instances: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    // An approved round for the meeting to discuss (its latest, or another test's later one).
    const roundId = `M${uniqueSuffix()}-2025-H1`;
    await computedRound(system.services, roundId);
    await system.services.db.query(`UPDATE assessment_round SET status = 'approved', approved_at = now() WHERE id = $1`, [roundId]);
    // supervision-item too: each decision starts one, and a 专报's ordered escalation reaches it.
    await system.engine.deployProcesses(path.resolve('bpmn'), ['joint-meeting', 'supervision-bulletin', 'supervision-item']);
    system.startWorkers(workerDefinitions);
  });

  afterAll(async () => {
    for (const key of instances) await system?.engine.cancelProcessInstance(key).catch(() => undefined);
    await system?.engine.resetClock();
    await system?.stop();
  });

  it('when the convener holds a meeting with two decisions, then agenda and minutes are documents and each decision is one item', async () => {
    const { db } = system.services;
    await system.engine.pinClock(new Date('2026-07-20T01:00:00Z'));
    const meetingId = `${uniqueSuffix()}-2026-H2`;
    await system.engine.publishMessage({ name: 'start-joint-meeting', correlationKey: meetingId, messageId: meetingId, timeToLiveMs: 0, variables: { meetingId, meetingKind: 'adhoc' } });
    const task = await openTaskOf('joint-meeting', 'recordMinutes', '0');
    instances.push(task.process_instance_key);
    const [meeting] = await db.query(`SELECT agenda, agenda_document_id FROM joint_meeting WHERE id = $1`, [meetingId]);
    expect(meeting.agenda_document_id).not.toBeNull();
    expect(meeting.agenda.sections.map((s: { section: string }) => s.section)).toEqual(['high_risk_indicators', 'opinions', 'overdue_items']);

    const convener = await as('leader', 'zfw');
    const decision = {
      decisionTitle: '建立欠薪问题联合处置机制',
      decisionContent: '人社、住建、公安建立欠薪线索移交和联合处置机制',
      prejudgedImpact: '欠薪类案件预计下降，需防范集中讨薪',
      leadDepartmentId: 'rsj',
      coDepartmentIds: ['zjj', 'gaj'],
      decisionDeadline: '2026-09-30',
      major: true,
      indicatorIds: ['B5'],
    };
    await complete(convener, task.key, {
      convenedOn: '2026-07-20',
      meetingPlace: '县委政法委会议室',
      attendees: '县委政法委、县法院、县人社局、县住建局、县公安局',
      situationSummary: '会议听取了欠薪类风险处置情况汇报。',
      riskReassessments: [{ indicatorId: 'B5', regionId: null, reassessedLevel: 'medium', reassessmentAnalysis: '专项整治后欠薪线索明显减少，风险回落' }],
      decisions: [decision, { ...decision, decisionTitle: '开展民间借贷风险排查', decisionContent: '金融局牵头排查民间借贷风险', leadDepartmentId: 'jrj', coDepartmentIds: ['gaj'], major: false, indicatorIds: ['B2'] }],
      minutesSummary: null,
    });
    const items = await eventually(async () => {
      const rows = await db.query<{ business_key: string; lead_department_id: string; major: boolean }[]>(
        `SELECT business_key, lead_department_id, major FROM supervision_item WHERE source_kind = 'meeting' AND source_id = $1 ORDER BY business_key`,
        [meetingId],
      );
      return rows.length === 2 ? rows : undefined;
    }, 'one item per decision');
    expect(items).toEqual([
      { business_key: `decision:${meetingId}:1`, lead_department_id: 'rsj', major: true },
      { business_key: `decision:${meetingId}:2`, lead_department_id: 'jrj', major: false },
    ]);
    const [held] = await db.query(`SELECT status, number, minutes_document_id FROM joint_meeting WHERE id = $1`, [meetingId]);
    expect(held.status).toBe('held');
    expect(held.number).toMatch(/^唐平纪〔2026〕\d+号$/);
    const trace = await system.services.trace.trace(
      { id: null, username: 'office', displayName: 'office', departmentId: 'pab', roles: ['peace_office'] },
      { kind: 'meeting', id: meetingId },
    );
    expect(trace.nodes.filter((n) => n.kind === 'item')).toHaveLength(2);

    // 第十条(二): the meeting's level of B5 overrides the computed one for the round it discussed —
    // in the round's figures, the cockpit and the trace — and the computed level stays on record.
    const [regraded] = await db.query<{ run_id: string; computed_level: string; reassessed_level: string }[]>(
      `SELECT run_id, computed_level, reassessed_level FROM level_reassessment WHERE meeting_id = $1 AND indicator_id = 'B5' AND region = 'county'`,
      [meetingId],
    );
    const [{ round_id: roundId, level: computed }] = await db.query<{ round_id: string; level: string }[]>(
      `SELECT a.id AS round_id, v.level FROM assessment_round a JOIN indicator_value v ON v.run_id = a.indicator_run_id AND v.indicator_id = 'B5' AND v.region = 'county' WHERE a.indicator_run_id = $1`,
      [regraded!.run_id],
    );
    expect(regraded).toMatchObject({ computed_level: computed, reassessed_level: 'medium' });
    const b5 = (await system.services.indicators.results(regraded!.run_id)).find((r) => r.indicatorId === 'B5' && r.region === 'county')!;
    expect(b5).toMatchObject({ level: 'medium', computedLevel: computed, reassessment: { meetingId, analysis: '专项整治后欠薪线索明显减少，风险回落' } });
    const leader: Actor = { id: null, username: 'leader', displayName: 'leader', departmentId: 'zfw', roles: ['leader'] };
    const cockpit = await system.services.cockpit.overview(leader, roundId);
    expect(cockpit.cells.find((c) => c.indicatorId === 'B5' && c.region === 'county')).toMatchObject({ level: 'medium', reassessment: { computedLevel: computed, meetingId } });
    const fromIndicator = await system.services.trace.trace(leader, { kind: 'indicator', id: `${roundId}:B5` });
    expect(fromIndicator.nodes.find((n) => n.kind === 'indicator')!.label).toContain(`（联席会议 ${meetingId} 再评估：`);
    expect(fromIndicator.nodes.find((n) => n.kind === 'indicator')!.label).toMatch(/→中风险）$/);
    expect(fromIndicator.nodes.some((n) => n.kind === 'meeting' && n.id === meetingId)).toBe(true);
  });

  it('when the office asks for a 专报, revises it once and sends it, then the leaders get it once and the 批示 is recorded', async () => {
    const { db } = system.services;
    const bulletinId = `adhoc-${uniqueSuffix()}`;
    await system.engine.publishMessage({ name: 'start-supervision-bulletin', correlationKey: bulletinId, messageId: bulletinId, timeToLiveMs: 0, variables: { bulletinId, bulletinKind: 'adhoc' } });
    const office = await as('peace_office', 'pab');
    const first = await openTaskOf('supervision-bulletin', 'review', '0');
    instances.push(first.process_instance_key);
    await complete(office, first.key, { bulletinDecision: 'revise', bulletinRevisionNotes: '县金融局建立民间借贷风险周研判机制。' });
    const second = await openTaskOf('supervision-bulletin', 'review', first.key);
    // The review names the 专报 it decides on and links its document (issue 21 point 1).
    const reviewView = (await office.request('GET', `/api/tasks/${second.key}`)).body;
    const [compiled] = await db.query<{ number: string; document_id: string }[]>(`SELECT number, document_id::text FROM bulletin WHERE id = $1`, [bulletinId]);
    expect(reviewView.subject).toMatchObject({ kind: '督办事项专报', number: compiled!.number, document: { id: compiled!.document_id, label: '督办事项专报' } });
    expect(reviewView.variables.bulletinNumber).toBe(compiled!.number);
    await complete(office, second.key, { bulletinDecision: 'send', bulletinRevisionNotes: null });
    const leader = await as('leader', 'zfw');
    const instruction = await openTaskOf('supervision-bulletin', 'instruction', '0');
    await complete(leader, instruction.key, { leaderInstruction: '请各单位抓好落实。', approvedProposalIds: [] });

    await eventually(async () => (await db.query(`SELECT state FROM engine_process_instance WHERE key = $1`, [first.process_instance_key]))[0]?.state === 'COMPLETED', 'the bulletin to finish');
    const [bulletin] = await db.query(`SELECT number, sent_at, content FROM bulletin WHERE id = $1`, [bulletinId]);
    expect(bulletin.number).toMatch(/^2026年第\d+期$/);
    expect(bulletin.sent_at).not.toBeNull();
    expect(bulletin.content.instruction).toBe('请各单位抓好落实。');
    expect(bulletin.content.totals.registered).toBeGreaterThanOrEqual(2);
    const mails = await db.query(`SELECT recipients, attachments FROM outbox WHERE dedup_key = $1`, [`bulletin:${bulletinId}`]);
    expect(mails).toHaveLength(1);
    expect(mails[0].recipients).toContain('zfw-leader@tanghe.gov.example');
    expect(mails[0].attachments[0].filename).toMatch(/督办事项办理情况\.pdf$/);
    const revisions = await db.query(`SELECT count(*)::int AS n FROM job_effect WHERE job_type = 'compile-supervision-bulletin' AND business_key LIKE $1`, [`${bulletinId}:%`]);
    expect(revisions[0].n).toBe(2);
  });
  it('when the office calls an ad-hoc meeting and a 专报 from the app, each sent twice, then one of each runs with its agenda or number, each start audited with its reason', async () => {
    const { db } = system.services;
    const office = await as('peace_office', 'pab');
    const runningWith = (businessKey: string) => db.query<{ key: string }[]>(`SELECT key::text FROM engine_process_instance WHERE business_key = $1`, [businessKey]);

    const meetingRequest = { requestId: randomUUID(), reason: '源潭镇民间借贷风险集中暴露，需临时研判' };
    const meeting = await office.request('POST', '/api/meetings/adhoc', meetingRequest);
    expect(meeting.status).toBe(202);
    expect(meeting.body).toEqual({ meetingId: `adhoc-${meetingRequest.requestId}` });
    // A second click of the same form names the same meeting: nothing new starts.
    expect((await office.request('POST', '/api/meetings/adhoc', meetingRequest)).body).toEqual(meeting.body);
    const meetingId = meeting.body.meetingId as string;
    await eventually(async () => (await db.query(`SELECT 1 FROM joint_meeting WHERE id = $1 AND agenda_document_id IS NOT NULL`, [meetingId])).length === 1 || undefined, 'the agenda');
    const meetingInstances = await runningWith(meetingId);
    expect(meetingInstances).toHaveLength(1);
    instances.push(meetingInstances[0]!.key);

    const bulletinRequest = { requestId: randomUUID(), reason: '领导要求专报红牌事项' };
    const bulletin = await office.request('POST', '/api/bulletins/adhoc', bulletinRequest);
    expect(bulletin.status).toBe(202);
    expect((await office.request('POST', '/api/bulletins/adhoc', bulletinRequest)).status).toBe(202);
    const bulletinId = bulletin.body.bulletinId as string;
    const [compiled] = await eventually(async () => {
      const rows = await db.query<{ number: string }[]>(`SELECT number FROM bulletin WHERE id = $1 AND number IS NOT NULL`, [bulletinId]);
      return rows.length ? rows : undefined;
    }, 'the 专报 to be compiled');
    expect(compiled!.number).toMatch(/^2026年第\d+期$/);
    const bulletinInstances = await runningWith(bulletinId);
    expect(bulletinInstances).toHaveLength(1);
    instances.push(bulletinInstances[0]!.key);

    const audit = await db.query<{ action: string; entity_id: string; after: { reason: string } }[]>(
      `SELECT action, entity_id, after FROM audit_log WHERE entity_id = ANY($1) ORDER BY id`,
      [[meetingId, bulletinId]],
    );
    expect(audit.map((a) => [a.action, a.entity_id, a.after.reason])).toEqual([
      ['joint_meeting.start', meetingId, meetingRequest.reason],
      ['joint_meeting.start', meetingId, meetingRequest.reason],
      ['bulletin.start', bulletinId, bulletinRequest.reason],
      ['bulletin.start', bulletinId, bulletinRequest.reason],
    ]);

    // A unit may not; a leader may call a meeting but not a 专报; a bad form is refused by field, in Chinese.
    const unit = await as('department', 'jrj');
    expect((await unit.request('POST', '/api/meetings/adhoc', { requestId: randomUUID(), reason: '试' })).status).toBe(403);
    const leader = await as('leader', 'zfw');
    expect((await leader.request('POST', '/api/bulletins/adhoc', { requestId: randomUUID(), reason: '试' })).status).toBe(403);
    const bad = await office.request('POST', '/api/bulletins/adhoc', { requestId: 'x', reason: ' ' });
    expect(bad.status).toBe(400);
    expect(Object.fromEntries(bad.body.error.problems.map((p: { field: string; reason: string }) => [p.field, p.reason]))).toEqual({ requestId: '请求编号格式错误', reason: '请说明事由' });
  });
});
