import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalDate } from '../../src/domain/loop/working-days.ts';
import { systemActor } from '../../src/services/actor.ts';
import type { EscalationBoard } from '../../src/domain/loop/escalation-orders.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { eventually } from '../support/engine.ts';
import { deployLoopDiagrams, openedItem } from '../support/loop-instances.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { workflowActors } from '../support/workflow.ts';

/**
 * 约谈 and 挂牌督办 by decision (第十五条, issue 19 point 3) on the real engine and database: a
 * leader's order goes to the item's own 约谈 or 挂牌 path with its reason and evidence on record;
 * the office is prompted by a township's 信访/舆情 and by a unit's overdue items, and a leader
 * accepts or dismisses each prompt, audited, once.
 */
describe('escalation orders', () => {
  let system: TestSystem;
  const { as, openTask } = workflowActors(() => system);
  const started: string[] = [];
  const month = toLocalDate(new Date()).slice(0, 7);
  const monthText = `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

  /** A registered item of `unit` in its process, waiting for the unit to sign (inside 办理). */
  async function itemInHandling(unit: string, title: string, deadline?: Date) {
    const item = await openedItem(system, { unit, title, ...(deadline ? { deadline } : {}) });
    started.push(item.instance);
    return { itemId: item.id, instance: item.instance };
  }

  const board = async (role: 'leader' | 'peace_office') => {
    const res = await (await as(role, role === 'leader' ? 'zfw' : 'pab')).request('GET', '/api/escalation-orders');
    expect(res.status).toBe(200);
    return res.body as EscalationBoard;
  };

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await system.engine.resetClock();
    await deployLoopDiagrams(system, ['supervision-item']);
    system.startWorkers(workerDefinitions);
  });

  afterAll(async () => {
    for (const key of started) await system?.engine.cancelProcessInstance(key).catch(() => undefined);
    await system?.stop();
  });

  it('when a leader orders 挂牌督办 of an item for a major hazard, then the item is listed with the reason and evidence as its problem, the order is audited, and a second order, a wrong reason or a department are refused', async () => {
    const { db } = system.services;
    const { itemId, instance } = await itemInHandling('zjj', '排查整治在建工地深基坑安全隐患');
    const leader = await as('leader', 'zfw');
    const evidence = '城区三处在建工地深基坑支护不达标，复查仍未整改';

    const wrongReason = await leader.request('POST', `/api/items/${itemId}/escalation-orders`, { step: 'listing', reason: 'public_outcry', evidence });
    expect(wrongReason.status).toBe(400);
    expect(JSON.stringify(wrongReason.body)).toContain('「群众反映强烈」适用于约谈主要负责人，不适用于挂牌督办');
    const department = await (await as('department', 'zjj')).request('POST', `/api/items/${itemId}/escalation-orders`, { step: 'listing', reason: 'major_hazard', evidence });
    expect(department.status).toBe(403);

    const ordered = await leader.request('POST', `/api/items/${itemId}/escalation-orders`, { step: 'listing', reason: 'major_hazard', evidence });
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    const { orderId } = ordered.body as { orderId: string };

    // The item's own 挂牌 path: the listing with the leader's reason, then the unit's 五落实 plan.
    await openTask(instance, 'listingPlan');
    const [listing] = await db.query(`SELECT problem, number FROM listing WHERE item_id = $1`, [itemId]);
    expect(listing.problem).toBe(`存在重大安全风险隐患：${evidence}`);
    expect(listing.number).toMatch(/〔\d{4}〕/);
    // The 挂牌督办通知书 under the 挂牌编号 goes to the unit, cc its leader; the listing is made public.
    const [notice] = await db.query(`SELECT subject, cc, body FROM outbox WHERE dedup_key = $1`, [`document:listing:${itemId}`]);
    expect(notice.subject).toBe(`【挂牌督办通知书】${listing.number}`);
    expect(notice.cc).toEqual(expect.arrayContaining(['zjj-leader@tanghe.gov.example']));
    expect(notice.body).toContain(`一、存在的问题：存在重大安全风险隐患：${evidence}。`);
    const publicListings = await new ApiClient(system.baseUrl).request('GET', '/api/public/listings');
    expect(publicListings.status).toBe(200);
    expect((publicListings.body as { number: string }[]).find((l) => l.number === listing.number)).toMatchObject({ unit: '唐河县住房和城乡建设局', matter: '排查整治在建工地深基坑安全隐患', status: '整改中', delistedOn: null });
    expect((await db.query(`SELECT kind FROM escalation_event WHERE item_id = $1`, [itemId])).map((e: { kind: string }) => e.kind)).toEqual(['listing']);
    const [order] = await db.query(`SELECT step, reason, evidence, prompt_key FROM escalation_order WHERE id = $1`, [orderId]);
    expect(order).toEqual({ step: 'listing', reason: 'major_hazard', evidence, prompt_key: null });
    const audit = await db.query(`SELECT action, after FROM audit_log WHERE entity_id = $1 AND action = 'supervision_item.escalation_ordered'`, [itemId]);
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ orderId, step: 'listing', reason: 'major_hazard' });

    const again = await leader.request('POST', `/api/items/${itemId}/escalation-orders`, { step: 'listing', reason: 'safety_work_lax', evidence });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain('该督办事项已挂牌督办');
    const listed = (await board('leader')).items.find((i) => i.id === itemId)!;
    expect(listed.openSteps).toEqual(['interview']);
    expect((await board('peace_office')).orders.find((o) => o.id === orderId)).toMatchObject({ stepLabel: '挂牌督办', reasonLabel: '存在重大安全风险隐患', evidence, fromPrompt: false });
  });

  it('when a township\'s 信访 or 舆情 or a unit\'s overdue items pass their lines, then the office sees the prompts with the figures; a leader accepts one on an item, which opens its 约谈, and dismisses another, and neither comes back', async () => {
    const { db } = system.services;
    // The month's 乡镇信访舆情 as the office imports it (a CSV with the template's Chinese headers).
    const csv = ['乡镇,月份,信访件数,舆情条数', `湖阳镇,${month},12,1`, `黑龙镇,${month},0,3`, `郭滩镇,${month},9,2`].join('\n');
    await system.services.imports.importSideTable(systemActor, 'signals', Readable.from([Buffer.from(csv)]), { fileName: 'signals.csv', format: 'csv' });
    // Three items of 苍台镇 past their deadlines (the ladder's timers act on them; the prompt counts them).
    const overdue = [];
    for (const n of [1, 2, 3]) overdue.push(await itemInHandling('town-cangtai', `苍台镇逾期事项${n}`, new Date(Date.now() - n * 86_400_000)));
    const { itemId, instance } = await itemInHandling('town-huyang', '化解湖阳镇土地流转纠纷');

    const office = await board('peace_office');
    const prompt = (key: string) => office.prompts.find((p) => p.key === key);
    expect(prompt(`signals:town-huyang:${month}`)).toMatchObject({
      step: 'interview',
      stepLabel: '约谈主要负责人',
      reasonLabel: '群众反映强烈',
      departmentName: '湖阳镇人民政府',
      itemId: null,
      figures: `${monthText}信访 12 件（提示线 10 件）`,
    });
    expect(prompt(`signals:town-heilong:${month}`)?.figures).toBe(`${monthText}舆情 3 条（提示线 3 条）`);
    expect(prompt(`signals:town-guotan:${month}`)).toBeUndefined();
    expect(prompt(`record:town-cangtai:${month}`)).toMatchObject({ reasonLabel: '社会治理工作不力', figures: '目前逾期未办结督办事项 3 件（提示线 3 件）' });

    // The office sees; a leader decides.
    const pab = await as('peace_office', 'pab');
    expect((await pab.request('POST', '/api/escalation-prompts/dismissal', { promptKey: `signals:town-heilong:${month}` })).status).toBe(403);

    const leader = await as('leader', 'zfw');
    const promptKey = `signals:town-huyang:${month}`;
    const elsewhere = await leader.request('POST', `/api/items/${overdue[0]!.itemId}/escalation-orders`, { step: 'interview', reason: 'public_outcry', evidence: '信访件数超线', promptKey });
    expect(elsewhere.status).toBe(400);
    expect(JSON.stringify(elsewhere.body)).toContain('该建议针对湖阳镇人民政府');
    const accepted = await leader.request('POST', `/api/items/${itemId}/escalation-orders`, { step: 'interview', reason: 'public_outcry', evidence: '本月信访 12 件，集中反映土地流转纠纷', promptKey });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    // The office arranges the 约谈, the leader's reason and evidence already in its form.
    const arrange = await openTask(instance, 'arrangeInterview');
    expect((await system.engine.taskVariables(arrange)).interviewReason).toBe('群众反映强烈：本月信访 12 件，集中反映土地流转纠纷');
    const dismissed = await leader.request('POST', '/api/escalation-prompts/dismissal', { promptKey: `signals:town-heilong:${month}`, note: '舆情已由网信办核实处置' });
    expect(dismissed.status).toBe(200);
    expect((await leader.request('POST', '/api/escalation-prompts/dismissal', { promptKey: `signals:town-heilong:${month}` })).status).toBe(404);

    const after = await board('leader');
    expect(after.prompts.map((p) => p.key)).not.toContain(promptKey);
    expect(after.prompts.map((p) => p.key)).not.toContain(`signals:town-heilong:${month}`);
    expect(after.prompts.map((p) => p.key)).toContain(`record:town-cangtai:${month}`);
    expect(after.items.find((i) => i.id === itemId)!.openSteps).toEqual(['listing']);
    expect(after.orders.find((o) => o.itemId === itemId)).toMatchObject({ stepLabel: '约谈主要负责人', reasonLabel: '群众反映强烈', fromPrompt: true });
    expect(after.dismissed.find((d) => d.promptKey === `signals:town-heilong:${month}`)).toMatchObject({ note: '舆情已由网信办核实处置', figures: `${monthText}舆情 3 条（提示线 3 条）` });
    const decisions = await db.query(`SELECT prompt_key, decision FROM escalation_prompt_decision WHERE prompt_key = ANY($1) ORDER BY decision`, [
      [promptKey, `signals:town-heilong:${month}`],
    ]);
    expect(decisions).toEqual([
      { prompt_key: promptKey, decision: 'accepted' },
      { prompt_key: `signals:town-heilong:${month}`, decision: 'dismissed' },
    ]);
    expect(await db.query(`SELECT 1 FROM audit_log WHERE action = 'escalation_prompt.dismissed' AND entity_id = $1`, [`signals:town-heilong:${month}`])).toHaveLength(1);
    // An order on an item already in 约谈 is refused.
    const twice = await leader.request('POST', `/api/items/${itemId}/escalation-orders`, { step: 'interview', reason: 'work_ineffective', evidence: '再次约谈' });
    expect(twice.status).toBe(409);
    await eventually(async () => (await db.query(`SELECT 1 FROM escalation_order WHERE item_id = $1`, [itemId])).length === 1 || undefined, 'one order on record');
  });
});
