import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/actor.ts';
import { uniqueSuffix } from '../support/database.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/**
 * Process monitor and admin deployments over HTTP, on the read model the exporter writes (rows
 * inserted here, no engine needed): department scoping of instances, lights and incidents,
 * lint refusal with Chinese problems, and the audited deployment (engine port stubbed at the edge).
 */
describe('process monitor and deployments', () => {
  let system: TestSystem;
  const processId = `monitor-fixture-${uniqueSuffix()}`;
  const base = BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000));
  const ownInstance = String(base);
  const foreignInstance = String(base + 1n);
  const ownTask = String(base + 2n);
  const foreignTask = String(base + 3n);
  const clients: Record<'rsj' | 'zjj' | 'office' | 'admin' | 'auditor' | 'leader', ApiClient> = {} as never;
  let fixtureXml = '';

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    const db = system.services.db;
    fixtureXml = (await readFile('tests/fixtures/bpmn/web-inbox-answer.bpmn', 'utf8')).replaceAll('web-inbox-answer"', `${processId}"`);
    const day = 86_400_000;
    for (const [key, task, dept, due] of [
      [ownInstance, ownTask, 'rsj', new Date(Date.now() + 2 * day)],
      [foreignInstance, foreignTask, 'zjj', new Date(Date.now() - day)],
    ] as const) {
      await db.query(
        `INSERT INTO engine_process_instance (key, bpmn_process_id, version, process_definition_key, parent_process_instance_key,
           parent_element_instance_key, state, start_time, position) VALUES ($1, $2, 1, 1, -1, -1, 'ACTIVE', now(), 1)`,
        [key, processId],
      );
      for (const [offset, element, type, state] of [
        [10n, 'received', 'START_EVENT', 'COMPLETED'],
        [11n, 'answer', 'USER_TASK', 'ACTIVE'],
      ] as const) {
        await db.query(
          `INSERT INTO engine_element_instance (key, process_instance_key, bpmn_process_id, element_id, element_type, flow_scope_key, state, start_time, position)
           VALUES ($1, $2, $3, $4, $5, $2, $6, now(), 1)`,
          [String(BigInt(key) * 100n + offset), key, processId, element, type, state],
        );
      }
      await db.query(
        `INSERT INTO engine_user_task (key, process_instance_key, process_definition_key, bpmn_process_id, element_id, element_instance_key,
           candidate_groups, candidate_users, due_date, priority, form_key, custom_headers, state, creation_time, position)
         VALUES ($1, $2, 1, $3, 'answer', 1, $4, '{}', $5, 50, -1, '{}', 'CREATED', now(), 1)`,
        [task, key, processId, [dept], due],
      );
    }
    await db.query(
      `INSERT INTO engine_incident (key, process_instance_key, bpmn_process_id, element_id, element_instance_key, job_key, error_type, error_message, state, creation_time, position)
       VALUES ($1, $2, $3, 'answer', 1, 1, 'JOB_NO_RETRIES', 'mail server said no for zjj', 'ACTIVE', now(), 1)`,
      [String(base + 4n), foreignInstance, processId],
    );
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
    await system?.stop();
  });

  const keysOf = (res: { body: { items: { key: string }[] } }) => res.body.items.map((i) => i.key);

  it('when a department user lists instances, then only those with a task for its department appear', async () => {
    const rsj = await clients.rsj.request('GET', `/api/instances?processId=${processId}`);
    expect(rsj.status).toBe(200);
    expect(keysOf(rsj)).toEqual([ownInstance]);
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
    expect(res.body.elements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ elementId: 'received', completed: 1, active: 0 }),
        expect.objectContaining({ elementId: 'answer', active: 1 }),
      ]),
    );
    expect(res.body.openTasks).toEqual([
      expect.objectContaining({ key: ownTask, light: 'yellow', mine: true, candidateGroups: [{ id: 'rsj', name: '唐河县人力资源和社会保障局' }] }),
    ]);
    expect(res.body.light).toBe('yellow');
  });

  it('when the office, a leader, an admin or the auditor list instances, then they see every department and incident messages', async () => {
    for (const who of ['office', 'leader', 'admin', 'auditor'] as const) {
      const list = await clients[who].request('GET', `/api/instances?processId=${processId}`);
      expect(keysOf(list).sort(), who).toEqual([ownInstance, foreignInstance].sort());
    }
    const foreign = await clients.office.request('GET', `/api/instances/${foreignInstance}`);
    expect(foreign.body.light).toBe('red');
    expect(foreign.body.overdueTaskCount).toBe(1);
    expect(foreign.body.incidents).toEqual([expect.objectContaining({ elementId: 'answer', message: 'mail server said no for zjj' })]);
    // A department user never reads technical messages of the engine.
    const zjj = await clients.zjj.request('GET', `/api/instances/${foreignInstance}`);
    expect(zjj.body.incidents).toEqual([expect.objectContaining({ elementId: 'answer', message: null })]);
  });

  it('when users list processes, then running counts follow the same scope', async () => {
    const office = await clients.office.request('GET', '/api/processes');
    expect(office.body.find((p: { id: string }) => p.id === processId)).toMatchObject({ running: 2 });
    const rsj = await clients.rsj.request('GET', '/api/processes');
    expect(rsj.body.find((p: { id: string }) => p.id === processId)).toMatchObject({ running: 1 });
    expect(rsj.body.find((p: { id: string }) => p.id === 'web-inbox-answer')).toMatchObject({ name: '风险提示函答复（界面测试）' });
  });

  it('when an admin deploys a diagram with lint errors, then it is refused with Chinese problems and nothing is audited', async () => {
    const broken = fixtureXml.replace(' name="研判并提交工作意见"', '').replace('<zeebe:taskSchedule dueDate="=dueDate" />', '<zeebe:taskSchedule dueDate="next tuesday" />');
    const check = await clients.admin.request('POST', '/api/admin/deployments/check', { xml: broken });
    expect(check.status).toBe(200);
    const rules = check.body.problems.map((p: { rule: string }) => p.rule);
    expect(rules).toContain('label-required');
    expect(rules).toContain('camunda-compat/task-schedule');
    expect(check.body.problems.find((p: { rule: string }) => p.rule === 'label-required').message).toBe('「answer」：元素缺少名称');

    const refused = await clients.admin.request('POST', '/api/admin/deployments', { name: `${processId}.bpmn`, xml: broken });
    expect(refused.status).toBe(400);
    expect(refused.body.error.problems).toEqual(expect.arrayContaining([{ field: 'answer', reason: '「answer」：元素缺少名称' }]));
    expect(refused.body.error.problems.every((p: { reason: string }) => /[\u4e00-\u9fff]/.test(p.reason))).toBe(true);

    const garbage = await clients.admin.request('POST', '/api/admin/deployments', { name: `${processId}.bpmn`, xml: '<definitions' });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.problems[0]).toMatchObject({ field: 'xml' });
    expect(garbage.body.error.problems[0].reason).toMatch(/^BPMN XML 无法解析/);

    const audit: unknown[] = await system.services.db.query(`SELECT 1 FROM audit_log WHERE action = 'process.deploy' AND entity_id LIKE $1`, [`${processId}:%`]);
    expect(audit).toHaveLength(0);
  });

  it('when a non-admin tries to deploy, then it is 403', async () => {
    for (const who of ['office', 'auditor', 'rsj'] as const) {
      expect((await clients[who].request('POST', '/api/admin/deployments', { name: 'x.bpmn', xml: fixtureXml })).status, who).toBe(403);
    }
  });

  it('when an admin deploys a clean diagram, then the engine gets it, the version is stored and the audit row carries its SHA-256', async () => {
    const before = await clients.admin.request('POST', '/api/admin/deployments/check', { xml: fixtureXml });
    // Nothing of this process id was deployed by file or modeler: every element is new.
    expect(before.body.diffs[0]).toMatchObject({ processId, baseVersion: null, baseSource: null, removed: [], changed: [] });
    expect(before.body.diffs[0].added.map((e: { id: string }) => e.id).sort()).toEqual(['answer', 'closed', 'f1', 'f2', 'f3', 'received', 'review']);

    const deployedToEngine: { name: string; xml: string }[] = [];
    const original = system.engine.deployXml;
    system.engine.deployXml = async (name, xml) => (deployedToEngine.push({ name, xml }), [{ id: processId, version: 7 }]);
    try {
      const res = await clients.admin.request('POST', '/api/admin/deployments', { name: `${processId}.bpmn`, xml: fixtureXml });
      expect(res.status).toBe(201);
      expect(res.body.processes).toEqual([{ id: processId, version: 7 }]);
    } finally {
      system.engine.deployXml = original;
    }
    expect(deployedToEngine).toEqual([{ name: `${processId}.bpmn`, xml: fixtureXml }]);

    const sha256 = createHash('sha256').update(fixtureXml).digest('hex');
    const audit: { actor_name: string; sha256: string; after: { processes: unknown[] } }[] = await system.services.db.query(
      `SELECT actor_name, sha256, after FROM audit_log WHERE action = 'process.deploy' AND entity_id = $1`,
      [`${processId}:7`],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.sha256).toBe(sha256);
    expect(audit[0]!.after.processes).toEqual([{ id: processId, version: 7 }]);

    const latest = await clients.rsj.request('GET', `/api/processes/${processId}/xml`);
    expect(latest.body).toMatchObject({ id: processId, version: 7, name: '风险提示函答复（界面测试）', xml: fixtureXml });
    const byVersion = await clients.rsj.request('GET', `/api/processes/${processId}/xml?version=7`);
    expect(byVersion.body.xml).toBe(fixtureXml);

    // Diff against what is now deployed: unchanged; then one task renamed and one added.
    const same = await clients.admin.request('POST', '/api/admin/deployments/check', { xml: fixtureXml });
    expect(same.body.diffs[0]).toMatchObject({ processId, baseVersion: 7, added: [], removed: [], changed: [] });
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

  it('when an item of the loop is on 红牌 and a round has a unit past its deadline, then the monitor says so in the county\'s terms', async () => {
    const { db } = system.services;
    const itemInstance = String(base + 20n);
    const roundInstance = String(base + 21n);
    for (const [key, bpmn] of [
      [itemInstance, 'supervision-item'],
      [roundInstance, 'assessment-round'],
    ] as const) {
      await db.query(
        `INSERT INTO engine_process_instance (key, bpmn_process_id, version, process_definition_key, parent_process_instance_key,
           parent_element_instance_key, state, start_time, position) VALUES ($1, $2, 1, 1, -1, -1, 'ACTIVE', now(), 1)`,
        [key, bpmn],
      );
    }
    const item = await system.services.supervision.register(systemActor, {
      businessKey: `monitor:${base}`,
      title: '清理欠薪积案',
      sourceKind: 'meeting',
      sourceId: 'M-monitor',
      leadDepartmentId: 'rsj',
      coDepartmentIds: ['zjj'],
      requirements: '按期办结',
      deadline: new Date(Date.now() - 20 * 86_400_000).toISOString(),
    });
    await db.query(`UPDATE supervision_item SET stage = 'red_card', process_instance_key = $2 WHERE id = $1`, [item.id, itemInstance]);
    const roundId = `MON-${base}`;
    await db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end, process_instance_key) VALUES ($1, 'half_year', '2026-01-01', '2026-06-30', $2)`, [roundId, roundInstance]);
    await system.services.notices.issue(systemActor, { roundId, departmentId: 'jrj', indicatorIds: ['B2'], dueDate: new Date(Date.now() - 86_400_000).toISOString() });
    await system.services.notices.issue(systemActor, { roundId, departmentId: 'gaj', indicatorIds: ['B3'], dueDate: new Date(Date.now() + 5 * 86_400_000).toISOString() });

    const itemView = await clients.office.request('GET', `/api/instances/${itemInstance}`);
    expect(itemView.body.business).toMatchObject({ badge: { elementId: 'handling', text: '红牌', tone: 'red' }, overdueUnits: ['rsj'] });
    expect(itemView.body.business.facts).toContainEqual(['协办单位', '唐河县住房和城乡建设局']);
    const roundView = await clients.leader.request('GET', `/api/instances/${roundInstance}`);
    expect(roundView.body.business).toMatchObject({ badge: { elementId: 'notices', text: '1 个单位逾期' }, overdueUnits: ['jrj'] });
    // A unit without a task in the loop does not see it at all.
    expect((await clients.zjj.request('GET', `/api/instances/${roundInstance}`)).status).toBe(404);
  });
});
