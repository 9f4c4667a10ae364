import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationBoard } from '../../src/domain/loop/escalation-orders.ts';
import { toLocalDate } from '../../src/domain/loop/working-days.ts';
import { systemActor } from '../../src/services/actor.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { eventually } from '../support/engine.ts';
import { deployLoopDiagrams } from '../support/loop-instances.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { workflowActors } from '../support/workflow.ts';

/**
 * 约谈 of a unit's principal without an item (第十五条, issue 19 point 3) on the real engine: 桐河乡's
 * 信访 of the month pass the line and it has no item in handling; a leader accepts the prompt as a
 * 约谈 of the township itself. The unit-interview process then runs the item's own 约谈 steps — the
 * office arranges, the numbered 约谈通知书 goes out, the 约谈记录 with the rectification deadline —
 * and the township reports its 整改; the interview is on record with the order and reaches scoring.
 */
describe('unit interview', () => {
  let system: TestSystem;
  const { as, openTask, complete } = workflowActors(() => system);
  const month = toLocalDate(new Date()).slice(0, 7);
  const promptKey = `signals:town-tonghe:${month}`;
  let instance: string | undefined;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await system.engine.resetClock();
    await deployLoopDiagrams(system, ['unit-interview']);
    system.startWorkers(workerDefinitions);
    const csv = ['乡镇,月份,信访件数,舆情条数', `桐河乡,${month},15,0`].join('\n');
    await system.services.imports.importSideTable(systemActor, 'signals', Readable.from([Buffer.from(csv)]), { fileName: 'signals-tonghe.csv', format: 'csv' });
  });

  afterAll(async () => {
    if (instance) await system?.engine.cancelProcessInstance(instance).catch(() => undefined);
    await system?.stop();
  });

  it('when a leader orders the 约谈 of a township without an item, then the office arranges it, the notice and record go to the township, and its 整改 report closes it', async () => {
    const { db } = system.services;
    const leader = await as('leader', 'zfw');
    const board = (await leader.request('GET', '/api/escalation-orders')).body as EscalationBoard;
    expect(board.prompts.find((p) => p.key === promptKey)).toMatchObject({ departmentName: '桐河乡人民政府', itemId: null, reasonLabel: '群众反映强烈' });
    expect(board.items.filter((i) => i.departmentId === 'town-tonghe')).toEqual([]);

    const evidence = '本月信访 15 件，集中反映土地流转纠纷';
    const listingReason = await leader.request('POST', '/api/departments/town-tonghe/interview-orders', { reason: 'major_hazard', evidence });
    expect(listingReason.status).toBe(400);
    expect(listingReason.body.error.problems).toEqual([{ field: 'reason', reason: '「存在重大安全风险隐患」适用于挂牌督办，不适用于约谈主要负责人' }]);
    const office = await as('peace_office', 'pab');
    expect((await office.request('POST', '/api/departments/town-tonghe/interview-orders', { reason: 'public_outcry', evidence })).status).toBe(403);

    const ordered = await leader.request('POST', '/api/departments/town-tonghe/interview-orders', { reason: 'public_outcry', evidence, promptKey });
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    const { orderId } = ordered.body as { orderId: string };
    // One 约谈 of a unit at a time.
    const again = await leader.request('POST', '/api/departments/town-tonghe/interview-orders', { reason: 'work_ineffective', evidence: '再次约谈' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('桐河乡人民政府已有正在进行的约谈，整改报告报送后方可再次约谈');

    instance = await eventually(
      async () => (await db.query<{ key: string }[]>(`SELECT key::text FROM engine_process_instance WHERE business_key = $1 AND bpmn_process_id = 'unit-interview'`, [`unit-interview:${orderId}`]))[0]?.key,
      'the unit-interview instance',
    );
    const arrange = await openTask(instance, 'arrangeInterview');
    expect((await system.engine.taskVariables(arrange)).interviewReason).toBe(`群众反映强烈：${evidence}`);
    const task = (await office.request('GET', `/api/tasks/${arrange}`)).body;
    expect(task.subject).toMatchObject({ kind: '约谈', unit: '桐河乡人民政府', title: evidence });

    const tomorrow = toLocalDate(new Date(Date.now() + 86_400_000));
    await complete(office, arrange, {
      interviewReason: `群众反映强烈：${evidence}`,
      interviewDate: tomorrow,
      interviewTime: '09:30',
      interviewPlace: '县委政法委三楼会议室',
      interviewers: '县委政法委副书记\n县平安办主任',
      interviewMaterials: '信访问题排查台账',
    });
    const interviewTask = await openTask(instance, 'interview');
    const [notice] = await db.query<{ recipients: string[]; subject: string; body: string }[]>(`SELECT recipients, subject, body FROM outbox WHERE dedup_key = $1`, [`document:interview-notice:order:${orderId}`]);
    expect(notice!.subject).toMatch(/^【约谈通知书】唐平约〔\d{4}〕第\d{3}号$/);
    expect(notice!.recipients).toEqual(['town-tonghe@tanghe.gov.example']);
    expect(notice!.body).toContain(`因群众反映强烈：${evidence}，根据`);
    expect(notice!.body).not.toContain('涉及督办事项');

    await complete(office, interviewTask, {
      interviewHeldAt: tomorrow,
      interviewPlace: '县委政法委三楼会议室',
      interviewers: '县委政法委副书记\n县平安办主任',
      interviewees: '桐河乡党委书记\n桐河乡乡长',
      interviewProblems: '土地流转纠纷引发群众集中信访，矛盾排查化解不及时',
      rectificationRequirements: '一个月内完成土地流转合同清理；建立信访周研判机制',
      rectificationDeadline: null,
      intervieweeStatement: '接受约谈，立即整改',
    });
    const township = await as('department', 'town-tonghe');
    const report = await openTask(instance, 'rectificationReport');
    await complete(township, report, { rectificationReport: '已完成土地流转合同清理，建立信访周研判机制', rectificationCompleted: true });

    const interview = await eventually(
      async () => (await db.query(`SELECT item_id, department_id, number, document_id, record FROM interview WHERE order_id = $1 AND record ? 'rectificationReport'`, [orderId]))[0],
      'the 整改 report on the interview',
    );
    expect(interview).toMatchObject({ item_id: null, department_id: 'town-tonghe', record: { rectificationReport: '已完成土地流转合同清理，建立信访周研判机制', rectificationCompleted: true } });
    expect(interview.number).toMatch(/^唐平约记〔\d{4}〕第\d{3}号$/);
    const [record] = await db.query<{ kind: string; text_body: string }[]>(`SELECT kind, text_body FROM document WHERE id = $1`, [interview.document_id]);
    expect(record!.kind).toBe('interview_record');
    expect(record!.text_body).toContain('一个月内完成土地流转合同清理');
    await eventually(async () => (await db.query(`SELECT 1 FROM engine_process_instance WHERE key = $1 AND state = 'COMPLETED'`, [instance])).length === 1 || undefined, 'the process to end');

    // On record: the order without an item, the prompt accepted, the 约谈台账 row.
    const after = (await leader.request('GET', '/api/escalation-orders')).body as EscalationBoard;
    expect(after.prompts.map((p) => p.key)).not.toContain(promptKey);
    expect(after.orders.find((o) => o.id === orderId)).toMatchObject({ itemId: null, itemTitle: null, departmentName: '桐河乡人民政府', stepLabel: '约谈主要负责人', fromPrompt: true });
    const ledger = (await office.request('GET', `/api/ledgers/interviews?q=${encodeURIComponent('桐河乡')}`)).body;
    expect(ledger.items.find((r: { number: string }) => r.number === interview.number)).toMatchObject({ item: '（不针对具体督办事项）', report: '已完成土地流转合同清理，建立信访周研判机制' });
    expect(await db.query(`SELECT action FROM audit_log WHERE entity_type = 'escalation_order' AND entity_id = $1 ORDER BY id`, [orderId])).toEqual([
      { action: 'escalation_order.ordered' },
      { action: 'escalation_order.interview_notice' },
      { action: 'escalation_order.interview' },
    ]);
  });
});
