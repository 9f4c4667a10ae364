import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalDate } from '../../src/domain/loop/working-days.ts';
import { defaultLoopSettings } from '../../src/engine/contract.ts';
import { systemActor } from '../../src/services/actor.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { uniqueSuffix } from '../support/database.ts';
import { eventually } from '../support/engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { workflowActors } from '../support/workflow.ts';

/**
 * 督办事项 on the real engine (第十一条–第十五条), the clock moved along the item's own ladder:
 * one item done on time after one return, one left overdue through 提醒 → 催办 → 黄牌 → 红牌 →
 * 约谈 → 整改报告, and two asking for more time (granted by office and leader; refused by the
 * office). Every escalation happens once, in order, and none that should not.
 */
describe('supervision item', () => {
  let system: TestSystem;
  const { as, openTask, complete } = workflowActors(() => system);
  const started: string[] = [];

  /** Registers an item (as an accepted measure would) and starts its process. */
  async function startItem(title: string, deadline: string): Promise<{ itemId: string; instance: string }> {
    const businessKey = `test:${uniqueSuffix()}`;
    const item = await system.services.supervision.register(systemActor, {
      businessKey,
      title,
      sourceKind: 'meeting',
      sourceId: `M-${uniqueSuffix()}`,
      leadDepartmentId: 'rsj',
      coDepartmentIds: ['zjj'],
      requirements: `${title}，按期报送办理结果。`,
      deadline,
    });
    await system.engine.publishMessage({ name: 'start-supervision-item', correlationKey: businessKey, messageId: businessKey, timeToLiveMs: 0, variables: { itemKey: businessKey, itemId: item.id } });
    const instance = await eventually(async () => {
      const rows = await system.services.db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM supervision_item WHERE id = $1`, [item.id]);
      return rows[0]?.process_instance_key;
    }, 'the item to be opened');
    started.push(instance);
    return { itemId: item.id, instance };
  }

  const events = async (itemId: string) =>
    (await system.services.db.query<{ kind: string }[]>(`SELECT kind FROM escalation_event WHERE item_id = $1
       ORDER BY at, array_position(ARRAY['reminder','urge','yellow_card','red_card','interview','listing','delisting','returned','extension_granted','extension_refused'], kind)`, [itemId])).map((e) => e.kind);

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await system.engine.deployProcesses(path.resolve('bpmn'), ['supervision-item']);
    system.startWorkers(workerDefinitions);
  });

  afterAll(async () => {
    for (const key of started) await system?.engine.cancelProcessInstance(key).catch(() => undefined);
    await system?.engine.resetClock();
    await system?.stop();
  });

  it('when the lead unit signs, reports, is returned once and reports again in time, then the item closes on time with one return and no escalation', async () => {
    const { db } = system.services;
    await system.engine.pinClock(new Date('2026-03-02T01:00:00Z'));
    const { itemId, instance } = await startItem('清理在建项目拖欠农民工工资', '2026-03-31T09:30:00Z');
    const rsj = await as('department', 'rsj');
    const office = await as('peace_office', 'pab');

    const item = await eventually(
      async () => (await db.query<{ number: string }[]>(`SELECT number FROM supervision_item WHERE id = $1 AND notice_document_id IS NOT NULL`, [itemId]))[0],
      'the notice',
    );
    expect(item.number).toMatch(/^唐平督〔2026〕第\d{3}号$/);
    const [mail] = await db.query(`SELECT recipients, cc, attachments FROM outbox WHERE dedup_key = $1`, [`document:supervision-notice:${itemId}`]);
    expect(mail).toMatchObject({ recipients: ['rsj@tanghe.gov.example'], cc: ['zjj@tanghe.gov.example'] });
    expect(mail.attachments[0].filename).toBe(`${item.number}_督办事项通知书.pdf`);

    await complete(rsj, await openTask(instance, 'sign'), { signConfirmed: true, handlerName: '人社局劳动监察大队', handlerPhone: null, responsibleDivision: '劳动监察大队' });
    await complete(rsj, await openTask(instance, 'submitResult'), { resultSummary: '已排查项目 12 个', resultEffect: null, remainingIssues: null, formalReportConfirmed: true });
    await complete(office, await openTask(instance, 'reviewResult'), { itemReviewDecision: 'return', itemReviewReason: '未附清欠台账', itemReviewChecks: [] });
    await complete(rsj, await openTask(instance, 'submitResult'), { resultSummary: '已排查项目 12 个，清欠 86 万元，附台账', resultEffect: '欠薪动态清零', remainingIssues: null, formalReportConfirmed: true });
    // The office's second review shows the result it decides on: the resubmitted one (issue 21 point 1).
    const secondReview = await openTask(instance, 'reviewResult');
    const shown = (await office.request('GET', `/api/tasks/${secondReview}`)).body.variables;
    expect({ summary: shown.resultSummary, effect: shown.resultEffect, issues: shown.remainingIssues }).toEqual({ summary: '已排查项目 12 个，清欠 86 万元，附台账', effect: '欠薪动态清零', issues: null });
    const [{ number }] = await db.query<{ number: string }[]>(`SELECT number FROM supervision_item WHERE id = $1`, [itemId]);
    expect({ number: shown.itemNumber, title: shown.itemTitle }).toEqual({ number, title: '清理在建项目拖欠农民工工资' });
    await complete(office, secondReview, { itemReviewDecision: 'accept', itemReviewReason: null, itemReviewChecks: ['一事一文', '加盖公章'] });

    const closed = await eventually(async () => {
      const rows = await db.query(`SELECT status, returned_count, result_on_time, signed_at FROM supervision_item WHERE id = $1 AND status = 'closed'`, [itemId]);
      return rows[0];
    }, 'the item to close');
    expect(closed).toMatchObject({ status: 'closed', returned_count: 1, result_on_time: true });
    expect(closed.signed_at).not.toBeNull();
    expect(await events(itemId)).toEqual(['returned']);
    expect(await db.query(`SELECT 1 FROM outbox WHERE dedup_key LIKE $1`, [`item-returned:${itemId}:%`])).toHaveLength(1);
    await eventually(async () => (await db.query(`SELECT state FROM engine_process_instance WHERE key = $1`, [instance]))[0]?.state === 'COMPLETED', 'the instance to complete');
  });

  it('when the lead unit signs but never reports, then 提醒, 催办, 黄牌 and 红牌 come once each on their working days, and the 约谈 leads to a rectification report', async () => {
    const { db } = system.services;
    const start = '2026-04-13T01:00:00Z';
    await system.engine.pinClock(new Date(start));
    const deadline = '2026-04-24T09:30:00Z';
    const { itemId, instance } = await startItem('整治建筑领域欠薪问题', deadline);
    const rsj = await as('department', 'rsj');
    await complete(rsj, await openTask(instance, 'sign'), { signConfirmed: true, handlerName: '人社局', handlerPhone: null, responsibleDivision: null });
    await openTask(instance, 'submitResult');

    const ladder = await system.services.itemFlow.escalationDates({ now: start, settings: defaultLoopSettings, itemId, itemDeadline: deadline });
    const after = (at: string) => new Date(Date.parse(at) + 60_000);
    const steps: [string, string][] = [
      [ladder.reminderAt, 'reminder'],
      [ladder.urgeAt, 'urge'],
      [ladder.yellowCardAt, 'yellow_card'],
    ];
    const seen: string[] = [];
    for (const [at, kind] of steps) {
      await system.engine.pinClock(after(at));
      seen.push(kind);
      await eventually(async () => JSON.stringify(await events(itemId)) === JSON.stringify(seen), `${kind} at ${at}`);
    }
    // The red card counts from the yellow card actually given.
    const red = await system.services.itemFlow.escalationDates({ now: after(ladder.yellowCardAt).toISOString(), settings: defaultLoopSettings, itemId, itemDeadline: deadline });
    await system.engine.pinClock(after(red.redCardAt));
    await eventually(async () => (await events(itemId)).includes('red_card'), 'the red card');

    const office = await as('peace_office', 'pab');
    // 安排约谈: a date before the process clock's today comes back to the office with the reason;
    // today's issues the numbered 约谈通知书 to the unit, cc its leader and the 政法委.
    const today = toLocalDate(after(red.redCardAt));
    const arrangement = {
      interviewReason: '督办事项逾期未办结，经催办、黄牌、红牌通报仍无进展',
      interviewDate: '2026-04-01',
      interviewTime: '15:00',
      interviewPlace: '县委政法委会议室',
      interviewers: '县委政法委副书记\n县平安办主任',
      interviewMaterials: '欠薪清查台账\n整改工作方案',
    };
    await complete(office, await openTask(instance, 'arrangeInterview'), arrangement);
    const corrected = await openTask(instance, 'arrangeInterview');
    expect((await system.engine.taskVariables(corrected)).arrangementProblems).toBe(`约谈日期 2026-04-01 早于今天（${today}），请重新安排`);
    expect(await db.query(`SELECT 1 FROM outbox WHERE dedup_key = $1`, [`document:interview-notice:${itemId}`])).toHaveLength(0);
    await complete(office, corrected, { ...arrangement, interviewDate: today });
    const interviewTask = await openTask(instance, 'interview');
    const [noticeMail] = await db.query(`SELECT recipients, cc, subject, body FROM outbox WHERE dedup_key = $1`, [`document:interview-notice:${itemId}`]);
    expect(noticeMail.subject).toMatch(/^【约谈通知书】唐平约〔2026〕第\d{3}号$/);
    expect(noticeMail.recipients).toEqual(['rsj@tanghe.gov.example']);
    expect(noticeMail.cc).toEqual(expect.arrayContaining(['rsj-leader@tanghe.gov.example']));
    expect(noticeMail.body).toContain('因督办事项逾期未办结，经催办、黄牌、红牌通报仍无进展，根据');
    expect(noticeMail.body).toContain('请携带以下材料：1. 欠薪清查台账；2. 整改工作方案。');
    await complete(office, interviewTask, {
      interviewHeldAt: today,
      interviewPlace: '县委政法委会议室',
      interviewers: '县委政法委副书记\n县平安办主任',
      interviewees: '县人社局局长',
      interviewProblems: '督办事项逾期未办结；经催办、黄牌、红牌通报仍无进展',
      rectificationRequirements: '十五个工作日内完成清欠；建立欠薪问题周调度机制',
      rectificationDeadline: null,
      intervieweeStatement: '诚恳接受约谈，立即组织整改',
      listingProposed: false,
    });
    await complete(rsj, await openTask(instance, 'rectificationReport'), { rectificationReport: '已完成清欠并建立周调度机制', rectificationCompleted: true });

    await eventually(async () => (await events(itemId)).includes('interview'), 'the interview');
    expect(await events(itemId)).toEqual(['reminder', 'urge', 'yellow_card', 'red_card', 'interview']);
    // The report is recorded by the job after the task: wait for it, do not race it.
    const interview = await eventually(
      async () => (await db.query(`SELECT number, document_id, record FROM interview WHERE item_id = $1 AND record ? 'rectificationReport'`, [itemId]))[0],
      'the rectification report on the interview record',
    );
    expect(interview.number).toMatch(/^唐平约记〔2026〕第\d{3}号$/);
    expect(interview.record.rectificationReport).toBe('已完成清欠并建立周调度机制');
    const [doc] = await db.query(`SELECT kind, text_body FROM document WHERE id = $1`, [interview.document_id]);
    expect(doc.kind).toBe('interview_record');
    // Each mail once: the 催办通知书 cc the unit's leader, each card's numbered 通报 cc the leader and the 政法委.
    const mails = await db.query<{ dedup_key: string; cc: string[]; subject: string }[]>(
      `SELECT dedup_key, cc, subject FROM outbox WHERE dedup_key LIKE $1 OR dedup_key LIKE $2 ORDER BY id`,
      [`document:urge:item:${itemId}:%`, `document:card:${itemId}:%`],
    );
    expect(mails.map((m) => m.subject.replace(/〔2026〕第\d{3}号/, '〔2026〕第N号'))).toEqual([
      '【催办通知书】唐平催〔2026〕第N号',
      '【关于给予唐河县人力资源和社会保障局督办黄牌警示的通报】唐平警〔2026〕第N号',
      '【关于给予唐河县人力资源和社会保障局督办红牌警示的通报】唐平警〔2026〕第N号',
    ]);
    expect(mails[0]!.cc).toEqual(['rsj-leader@tanghe.gov.example']);
    expect(mails[2]!.cc).toEqual(expect.arrayContaining(['rsj-leader@tanghe.gov.example']));
    const [redCard] = await db.query(`SELECT kind, text_body FROM document WHERE title = $1 ORDER BY created_at DESC LIMIT 1`, ['关于给予唐河县人力资源和社会保障局督办红牌警示的通报']);
    expect(redCard.kind).toBe('warning_card');
    expect(redCard.text_body).toContain('将按程序约谈唐河县人力资源和社会保障局主要负责人');
    const [{ stage }] = await db.query(`SELECT stage FROM supervision_item WHERE id = $1`, [itemId]);
    expect(stage).toBe('interview');
  });
  /** Extensions are asked for in real time (our service checks the request against today's date). */
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
  async function signedItemDueIn30Days(title: string) {
    await system.engine.pinClock(new Date());
    const started = await startItem(title, inDays(30).toISOString());
    const rsj = await as('department', 'rsj');
    await complete(rsj, await openTask(started.instance, 'sign'), { signConfirmed: true, handlerName: '人社局', handlerPhone: null, responsibleDivision: null });
    await openTask(started.instance, 'submitResult');
    return { ...started, rsj };
  }

  it('when the lead unit reports progress and asks for more time, and the office and a leader approve, then the report is kept, the deadline moves and the handling goes on', async () => {
    const { db } = system.services;
    const { itemId, instance, rsj } = await signedItemDueIn30Days('排查在建工程欠薪隐患');
    const requestedDeadline = inDays(45).toISOString().slice(0, 10);
    const zjj = await as('department', 'zjj');
    expect((await zjj.request('POST', `/api/items/${itemId}/extension`, { reason: '需协调住建部门', requestedDeadline })).status).toBe(404);
    const early = await rsj.request('POST', `/api/items/${itemId}/extension`, { reason: '需协调住建部门', requestedDeadline: inDays(10).toISOString().slice(0, 10) });
    expect(early.status).toBe(400);
    expect(JSON.stringify(early.body)).toContain('requestedDeadline');
    // A progress report may come any time while the item is handled (第十三条).
    expect((await rsj.request('POST', `/api/items/${itemId}/progress`, { content: '已排查在建项目 8 个' })).status).toBe(200);
    await eventually(async () => (await db.query(`SELECT content FROM progress_report WHERE item_id = $1`, [itemId]))[0]?.content === '已排查在建项目 8 个', 'the progress report');
    const asked = await rsj.request('POST', `/api/items/${itemId}/extension`, { reason: '涉及多个在建项目，需协调住建部门共同核查', requestedDeadline });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);

    const office = await as('peace_office', 'pab');
    const leader = await as('leader', 'zfw');
    await complete(office, await openTask(instance, 'extensionOfficeReview'), { extensionDecision: 'approve', extensionOpinion: '理由充分，同意延期' });
    await complete(leader, await openTask(instance, 'extensionLeaderReview'), { extensionDecision: 'approve', extensionOpinion: '同意' });

    await eventually(async () => (await events(itemId)).includes('extension_granted'), 'the extension to be granted');
    expect(await events(itemId)).toEqual(['extension_granted']);
    const [item] = await db.query(`SELECT to_char(deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS deadline FROM supervision_item WHERE id = $1`, [itemId]);
    expect(item.deadline).toBe(requestedDeadline);
    await openTask(instance, 'submitResult');
    expect(await db.query(`SELECT 1 FROM audit_log WHERE action = 'supervision_item.extension_requested' AND entity_id = $1`, [itemId])).toHaveLength(1);
  });

  it('when the lead unit reports its result while its extension request awaits the office, then the request lapses and the result goes to review at once', async () => {
    const { db } = system.services;
    const { itemId, instance, rsj } = await signedItemDueIn30Days('核查欠薪线索');
    const asked = await rsj.request('POST', `/api/items/${itemId}/extension`, { reason: '线索较多，需延期核查', requestedDeadline: inDays(50).toISOString().slice(0, 10) });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const pendingReview = await openTask(instance, 'extensionOfficeReview');
    await complete(rsj, await openTask(instance, 'submitResult'), { resultSummary: '线索已全部核查完毕', resultEffect: null, remainingIssues: null, formalReportConfirmed: true });
    // Before: the handling scope waited for the extension's review, so the office's result review never came.
    await openTask(instance, 'reviewResult');
    expect(await db.query(`SELECT 1 FROM engine_user_task WHERE key = $1 AND state = 'CREATED'`, [pendingReview])).toHaveLength(0);
    expect(await events(itemId)).toEqual([]);
  });

  it('when the office refuses an extension, then no leader is asked, the deadline stays and the refusal is recorded', async () => {
    const { db } = system.services;
    const { itemId, instance, rsj } = await signedItemDueIn30Days('清理历史欠薪积案');
    const [before] = await db.query(`SELECT deadline FROM supervision_item WHERE id = $1`, [itemId]);
    const asked = await rsj.request('POST', `/api/items/${itemId}/extension`, { reason: '人手不足', requestedDeadline: inDays(60).toISOString().slice(0, 10) });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const office = await as('peace_office', 'pab');
    await complete(office, await openTask(instance, 'extensionOfficeReview'), { extensionDecision: 'refuse', extensionOpinion: '理由不充分，请按期办结' });

    await eventually(async () => (await events(itemId)).includes('extension_refused'), 'the refusal');
    expect(await events(itemId)).toEqual(['extension_refused']);
    const [after] = await db.query(`SELECT deadline FROM supervision_item WHERE id = $1`, [itemId]);
    expect(after.deadline).toEqual(before.deadline);
    expect(await db.query(`SELECT 1 FROM engine_user_task WHERE process_instance_key = $1 AND element_id = 'extensionLeaderReview'`, [instance])).toHaveLength(0);
    await openTask(instance, 'submitResult');
  });
});
