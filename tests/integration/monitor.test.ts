import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemActor } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { PermanentError } from '../../src/shared/errors.ts';
import { complete, defineWorker } from '../../workers/runtime/define-worker.ts';
import { eventually } from '../support/engine.ts';
import { ApiClient } from '../support/http-client.ts';
import { deployLoopDiagrams, ITEM_OPENING_TYPES, openItemProcess, startWorkersOf } from '../support/loop-instances.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/**
 * Process monitor and admin deployments over HTTP, on real instances of the engine read through
 * the views over its tables: department scoping of instances, lights and incidents (an external
 * task failed for good), lint refusal with Chinese problems, the audited deployment to the
 * engine, and the loop's business state (a supervision item on 红牌, a round with a late unit).
 */
const DAY = 86_400_000;
/** The fixture diagram of the scoping tests (tests/fixtures/bpmn/monitor-scope.bpmn). */
const processId = 'monitor-scope';
/** A process only the deployment tests deploy, through the admin route. */
const deployedId = 'monitor-deployed';

describe('process monitor and deployments', () => {
  let system: TestSystem;
  let ownInstance = '';
  let foreignInstance = '';
  let ownTask = '';
  let foreignTask = '';
  let ownDue = '';
  let foreignDue = '';
  const started: string[] = [];
  const clients: Record<'rsj' | 'zjj' | 'office' | 'admin' | 'auditor' | 'leader', ApiClient> = {} as never;
  let fixtureXml = '';

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    const { db } = system.services;
    fixtureXml = (await readFile('tests/fixtures/bpmn/web-inbox-answer.bpmn', 'utf8')).replaceAll('web-inbox-answer"', `${deployedId}"`);
    await system.engine.deployXml('monitor-scope.bpmn', await readFile('tests/fixtures/bpmn/monitor-scope.bpmn', 'utf8'));
    // The unit is told on a parallel path; telling 住建局 fails for good, which raises an incident.
    system.startWorkers([
      defineWorker({
        type: 'monitor-scope-notify',
        description: 'Tells the unit (test fixture); fails for good for 住建局.',
        input: z.object({ department: z.string() }),
        async handle(vars) {
          if (vars.department === 'zjj') throw new PermanentError('邮件服务器拒收住建局的邮件');
          return complete({});
        },
      }),
    ]);
    ownDue = new Date(Date.now() + 2 * DAY).toISOString();
    foreignDue = new Date(Date.now() - DAY).toISOString();
    ownInstance = (await system.engine.startProcess(processId, { department: 'rsj', dueDate: ownDue })).processInstanceKey;
    foreignInstance = (await system.engine.startProcess(processId, { department: 'zjj', dueDate: foreignDue })).processInstanceKey;
    started.push(ownInstance, foreignInstance);
    ownTask = await waitForOpenTask(db, ownInstance, 'answer');
    foreignTask = await waitForOpenTask(db, foreignInstance, 'answer');
    await eventually(async () => {
      const [row] = await db.query<{ notified: string; incidents: string }[]>(
        `SELECT (SELECT count(*) FROM engine_element_instance WHERE process_instance_key = $1 AND element_id = 'notified' AND state = 'COMPLETED') AS notified,
                (SELECT count(*) FROM engine_incident WHERE process_instance_key = $2 AND state = 'ACTIVE') AS incidents`,
        [ownInstance, foreignInstance],
      );
      return row!.notified === '1' && row!.incidents === '1';
    }, "the own unit told and the foreign unit's incident");
    const users = {
      rsj: await createTestUser(system.services, ['department'], 'rsj'),
      zjj: await createTestUser(system.services, ['department'], 'zjj'),
      office: await createTestUser(system.services, ['peace_office'], 'pab'),
      leader: await createTestUser(system.services, ['leader'], 'zfw'),
      admin: await createTestUser(system.services, ['admin'], null),
      auditor: await createTestUser(system.services, ['auditor'], null),
    };
    for (const [name, user] of Object.entries(users)) {
      const client = new ApiClient(system.baseUrl);
      expect((await client.login(user.username, TEST_PASSWORD)).status).toBe(200);
      clients[name as keyof typeof clients] = client;
    }
  });

  afterAll(async () => {
    for (const key of started) await system?.engine.cancelProcessInstance(key).catch(() => undefined);
    await system?.stop();
  });

  const keysOf = (res: { body: { items: { key: string }[] } }) => res.body.items.map((i) => i.key);

  it('when a department user lists instances, then only those with a task for its department appear', async () => {
    const rsj = await clients.rsj.request('GET', `/api/instances?processId=${processId}`);
    expect(rsj.status).toBe(200);
    expect(keysOf(rsj)).toEqual([ownInstance]);
    expect(rsj.body.total).toBe(1);
    const zjj = await clients.zjj.request('GET', `/api/instances?processId=${processId}`);
    expect(keysOf(zjj)).toEqual([foreignInstance]);
  });

  it("when a department user opens another department's instance by URL, then it is 404", async () => {
    const res = await clients.rsj.request('GET', `/api/instances/${foreignInstance}`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('流程实例不存在');
    expect((await clients.rsj.request('GET', `/api/instances/999999999999`)).status).toBe(404);
  });

  it('when a department user opens its instance, then it sees element states and only its own tasks with their light', async () => {
    const res = await clients.rsj.request('GET', `/api/instances/${ownInstance}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: ownInstance, processId, processName: '流程监控范围测试', version: 1, state: 'ACTIVE', parentKey: null, incidentCount: 0 });
    expect(res.body.elements).toEqual([
      { elementId: 'answer', elementType: 'USER_TASK', active: 1, completed: 0, terminated: 0 },
      { elementId: 'fork', elementType: 'PARALLEL_GATEWAY', active: 0, completed: 1, terminated: 0 },
      { elementId: 'notified', elementType: 'NONE_END_EVENT', active: 0, completed: 1, terminated: 0 },
      { elementId: 'notify', elementType: 'SERVICE_TASK', active: 0, completed: 1, terminated: 0 },
      { elementId: 'received', elementType: 'START_EVENT', active: 0, completed: 1, terminated: 0 },
    ]);
    expect(res.body.openTasks).toEqual([
      { key: ownTask, elementId: 'answer', name: '研判并提交工作意见', candidateGroups: [{ id: 'rsj', name: '唐河县人力资源和社会保障局' }], assignee: null, dueDate: ownDue, light: 'yellow', mine: true },
    ]);
    expect(res.body.incidents).toEqual([]);
    expect(res.body.light).toBe('yellow');
  });

  it('when the office, a leader, an admin or the auditor list instances, then they see every department and incident messages', async () => {
    for (const who of ['office', 'leader', 'admin', 'auditor'] as const) {
      const list = await clients[who].request('GET', `/api/instances?processId=${processId}`);
      expect(keysOf(list).sort(), who).toEqual([ownInstance, foreignInstance].sort());
    }
    const [incident] = await system.engine.rest.read('GET', `/incident?processInstanceId=${foreignInstance}`, z.array(z.object({ id: z.string(), activityId: z.string(), incidentMessage: z.string() })));
    expect(incident).toMatchObject({ activityId: 'notify', incidentMessage: '邮件服务器拒收住建局的邮件' });
    const foreign = await clients.office.request('GET', `/api/instances/${foreignInstance}`);
    expect(foreign.body.light).toBe('red');
    expect(foreign.body.overdueTaskCount).toBe(1);
    expect(foreign.body.incidentCount).toBe(1);
    expect(foreign.body.openTasks).toEqual([
      { key: foreignTask, elementId: 'answer', name: '研判并提交工作意见', candidateGroups: [{ id: 'zjj', name: '唐河县住房和城乡建设局' }], assignee: null, dueDate: foreignDue, light: 'red', mine: false },
    ]);
    expect(foreign.body.incidents).toEqual([
      { key: incident!.id, elementId: 'notify', errorType: 'failedExternalTask', message: '邮件服务器拒收住建局的邮件', createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
    ]);
    // A department user never reads technical messages of the engine.
    const zjj = await clients.zjj.request('GET', `/api/instances/${foreignInstance}`);
    expect(zjj.body.incidents).toEqual([expect.objectContaining({ key: incident!.id, elementId: 'notify', message: null })]);
  });

  it('when users list processes, then running counts follow the same scope', async () => {
    const office = await clients.office.request('GET', '/api/processes');
    expect(office.body.find((p: { id: string }) => p.id === processId)).toMatchObject({ name: '流程监控范围测试', running: 2 });
    const rsj = await clients.rsj.request('GET', '/api/processes');
    expect(rsj.body.find((p: { id: string }) => p.id === processId)).toMatchObject({ running: 1 });
    expect(rsj.body.find((p: { id: string }) => p.id === 'web-inbox-answer')).toMatchObject({ name: '风险提示函答复（界面测试）' });
  });

  it('when an admin deploys a diagram with lint errors, then it is refused with Chinese problems and nothing is audited', async () => {
    const broken = fixtureXml.replace(' name="研判并提交工作意见"', '').replace(' camunda:historyTimeToLive="3650"', '');
    const check = await clients.admin.request('POST', '/api/admin/deployments/check', { xml: broken });
    expect(check.status).toBe(200);
    const rules = check.body.problems.map((p: { rule: string }) => p.rule);
    expect(rules).toContain('label-required');
    expect(rules).toContain('camunda-compat/history-time-to-live');
    expect(check.body.problems.find((p: { rule: string }) => p.rule === 'label-required')).toMatchObject({ severity: 'error', message: '「answer」：元素缺少名称' });
    expect(check.body.problems.find((p: { rule: string }) => p.rule === 'camunda-compat/history-time-to-live')).toMatchObject({
      severity: 'warning',
      message: `「${deployedId}」：流程未设置历史数据保留天数（在“历史数据清理”中填写，本系统统一为 3650），Operaton（Camunda 7 兼容）引擎会拒绝部署`,
    });

    const refused = await clients.admin.request('POST', '/api/admin/deployments', { name: `${deployedId}.bpmn`, xml: broken });
    expect(refused.status).toBe(400);
    expect(refused.body.error.problems).toEqual([{ field: 'answer', reason: '「answer」：元素缺少名称' }]);

    const garbage = await clients.admin.request('POST', '/api/admin/deployments', { name: `${deployedId}.bpmn`, xml: '<definitions' });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.problems[0]).toMatchObject({ field: 'xml' });
    expect(garbage.body.error.problems[0].reason).toMatch(/^BPMN XML 无法解析/);

    const audit: unknown[] = await system.services.db.query(`SELECT 1 FROM audit_log WHERE action = 'process.deploy' AND entity_id LIKE $1`, [`${deployedId}:%`]);
    expect(audit).toHaveLength(0);
    // Nor did the engine get anything.
    expect(await system.engine.rest.read('GET', `/process-definition?key=${deployedId}`, z.array(z.unknown()))).toEqual([]);
  });

  it('when a non-admin tries to deploy, then it is 403', async () => {
    for (const who of ['office', 'auditor', 'rsj'] as const) {
      expect((await clients[who].request('POST', '/api/admin/deployments', { name: 'x.bpmn', xml: fixtureXml })).status, who).toBe(403);
    }
  });

  it('when an admin deploys a clean diagram, then the engine gets it, the version is stored and the audit row carries its SHA-256', async () => {
    const before = await clients.admin.request('POST', '/api/admin/deployments/check', { xml: fixtureXml });
    // Nothing of this process id was deployed by file or modeler: every element is new.
    expect(before.body.diffs[0]).toMatchObject({ processId: deployedId, baseVersion: null, baseSource: null, removed: [], changed: [] });
    expect(before.body.diffs[0].added.map((e: { id: string }) => e.id).sort()).toEqual(['answer', 'closed', 'f1', 'f2', 'f3', 'received', 'review']);

    const res = await clients.admin.request('POST', '/api/admin/deployments', { name: `${deployedId}.bpmn`, xml: fixtureXml });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.processes).toEqual([{ id: deployedId, version: 1 }]);
    // The engine holds this very XML as version 1 of the process.
    const definitions = await system.engine.rest.read('GET', `/process-definition?key=${deployedId}`, z.array(z.object({ id: z.string(), key: z.string(), version: z.number() })));
    expect(definitions.map((d) => [d.key, d.version])).toEqual([[deployedId, 1]]);
    const engineXml = await system.engine.rest.read('GET', `/process-definition/${definitions[0]!.id}/xml`, z.object({ bpmn20Xml: z.string() }));
    expect(engineXml.bpmn20Xml).toBe(fixtureXml);

    const sha256 = createHash('sha256').update(fixtureXml).digest('hex');
    const audit: { actor_name: string; sha256: string; after: { processes: unknown[] } }[] = await system.services.db.query(
      `SELECT actor_name, sha256, after FROM audit_log WHERE action = 'process.deploy' AND entity_id = $1`,
      [`${deployedId}:1`],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.sha256).toBe(sha256);
    expect(audit[0]!.after.processes).toEqual([{ id: deployedId, version: 1 }]);

    const latest = await clients.rsj.request('GET', `/api/processes/${deployedId}/xml`);
    expect(latest.body).toMatchObject({ id: deployedId, version: 1, name: '风险提示函答复（界面测试）', xml: fixtureXml });
    const byVersion = await clients.rsj.request('GET', `/api/processes/${deployedId}/xml?version=1`);
    expect(byVersion.body.xml).toBe(fixtureXml);

    // Diff against what is now deployed: unchanged; then one task renamed and one added.
    const same = await clients.admin.request('POST', '/api/admin/deployments/check', { xml: fixtureXml });
    expect(same.body.diffs[0]).toMatchObject({ processId: deployedId, baseVersion: 1, added: [], removed: [], changed: [] });
    const edited = fixtureXml
      .replace('name="平安办审核意见"', 'name="平安办复核意见"')
      .replace('<bpmn:endEvent id="closed"', '<bpmn:task id="archive" name="归档" /><bpmn:endEvent id="closed"');
    const diff = await clients.admin.request('POST', '/api/admin/deployments/check', { xml: edited });
    expect(diff.body.diffs[0].added).toEqual([{ id: 'archive', name: '归档', type: 'Task' }]);
    expect(diff.body.diffs[0].changed).toEqual([{ id: 'review', name: '平安办复核意见', type: 'UserTask', aspects: ['名称'] }]);
    const withoutReview = fixtureXml
      .replace(/<bpmn:userTask id="review"[\s\S]*?<\/bpmn:userTask>/, '')
      .replace(/<bpmn:sequenceFlow id="f3"[^>]*\/>/, '')
      .replace('<bpmn:incoming>f3</bpmn:incoming>', '<bpmn:incoming>f2</bpmn:incoming>')
      .replace('targetRef="review"', 'targetRef="closed"')
      .replace(/<bpmndi:BPMNShape id="s_review"[\s\S]*?<\/bpmndi:BPMNShape>/, '')
      .replace(/<bpmndi:BPMNEdge id="e_f3"[\s\S]*?<\/bpmndi:BPMNEdge>/, '');
    const removed = await clients.admin.request('POST', '/api/admin/deployments/check', { xml: withoutReview });
    expect(removed.status).toBe(200);
    expect(removed.body.diffs[0].removed).toEqual([
      { id: 'review', name: '平安办审核意见', type: 'UserTask' },
      { id: 'f3', name: null, type: 'SequenceFlow' },
    ]);
    expect(removed.body.diffs[0].changed).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'f2', aspects: ['连接'] })]));
  });

  it("when an item of the loop is on 红牌 and a round has a unit past its deadline, then the monitor says so in the county's terms", async () => {
    const { db } = system.services;
    await deployLoopDiagrams(system, ['supervision-item', 'assessment-round']);
    const openers = startWorkersOf(system, ITEM_OPENING_TYPES);
    try {
      // An item 20 days past its deadline, opened by the real diagram, then carded red (the stage its ladder records).
      const deadline = new Date(Date.now() - 20 * DAY).toISOString();
      const item = await system.services.supervision.register(systemActor, {
        businessKey: 'monitor:item',
        title: '清理欠薪积案',
        sourceKind: 'meeting',
        sourceId: 'M-monitor',
        leadDepartmentId: 'rsj',
        coDepartmentIds: ['zjj'],
        requirements: '按期办结',
        deadline,
      });
      const itemInstance = await openItemProcess(system, item);
      started.push(itemInstance);
      expect(await system.services.supervision.escalate(systemActor, item.id, 'red_card', `red_card:${item.id}:monitor`)).toBe(true);
      const [{ number }] = await db.query<{ number: string }[]>(`SELECT number FROM supervision_item WHERE id = $1`, [item.id]);

      // A round started by hand; it is on record with its instance (as computing its indicators records it) and has two notices, 地方金融's late.
      const roundId = 'MON-2026-H1';
      await system.services.rounds.start(systemActor, { roundKind: 'half_year', year: 2026, roundId });
      const roundInstance = await eventually(async () => {
        const rows = await db.query<{ key: string }[]>(`SELECT key FROM engine_process_instance WHERE bpmn_process_id = 'assessment-round' AND business_key = $1`, [roundId]);
        return rows[0]?.key;
      }, 'the round instance');
      started.push(roundInstance);
      await db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end, process_instance_key) VALUES ($1, 'half_year', '2026-01-01', '2026-06-30', $2)`, [roundId, roundInstance]);
      await system.services.notices.issue(systemActor, { roundId, departmentId: 'jrj', indicatorIds: ['B2'], dueDate: new Date(Date.now() - DAY).toISOString() });
      await system.services.notices.issue(systemActor, { roundId, departmentId: 'gaj', indicatorIds: ['B3'], dueDate: new Date(Date.now() + 5 * DAY).toISOString() });

      const itemView = await clients.office.request('GET', `/api/instances/${itemInstance}`);
      expect(itemView.status).toBe(200);
      expect(itemView.body.processId).toBe('supervision-item');
      expect(itemView.body.business).toEqual({
        title: `督办事项 ${number} 清理欠薪积案`,
        facts: [
          ['主办单位', '唐河县人力资源和社会保障局'],
          ['协办单位', '唐河县住房和城乡建设局'],
          ['办理时限', deadline.slice(0, 10)],
          ['督办阶段', '红牌'],
          ['退回次数', '0'],
        ],
        badge: { elementId: 'handling', text: '红牌', tone: 'red' },
        overdueUnits: ['rsj'],
      });
      // The badge sits on the handling the instance is in, with the lead unit's 签收 open.
      expect(itemView.body.elements).toContainEqual(expect.objectContaining({ elementId: 'handling', active: 1 }));
      expect(itemView.body.openTasks).toEqual([expect.objectContaining({ elementId: 'sign', name: '签收督办事项通知书', candidateGroups: [{ id: 'rsj', name: '唐河县人力资源和社会保障局' }] })]);

      const roundView = await clients.leader.request('GET', `/api/instances/${roundInstance}`);
      expect(roundView.status).toBe(200);
      expect(roundView.body.business).toEqual({
        title: `评估轮次 ${roundId}`,
        facts: [
          ['风险提示函', '2 份'],
          ['已采纳或办结', '0 份'],
          ['逾期未反馈', '唐河县地方金融管理局'],
        ],
        badge: { elementId: 'notices', text: '1 个单位逾期', tone: 'red' },
        overdueUnits: ['jrj'],
      });
      // A unit without a task in the loop does not see it at all.
      expect((await clients.zjj.request('GET', `/api/instances/${roundInstance}`)).status).toBe(404);
    } finally {
      await openers.stop();
    }
  });
});
