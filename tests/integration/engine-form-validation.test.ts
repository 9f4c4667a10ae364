import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_TEXT_LIMIT } from '../../src/engine/contract.ts';
import { testEngineCredentials } from '../support/engine.ts';
import { engineAs, type DoorAnswer } from '../support/engine-doors.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/**
 * Issue 18 part 4, the engine's door: a task with a Camunda Form of bpmn/ is checked on completion
 * against the form's output contract, whoever completes it. A department clerk completes over the
 * engine's REST API exactly as Tasklist does (a new list as type Json, fields as plain values): what
 * our inbox would refuse is refused with 400 and a Chinese message naming the form's fields, the task
 * stays open and nothing is stored; what the contract allows completes, the list stored as a JSON
 * Object variable our workers read.
 */
describe('form output contracts enforced by the engine', () => {
  let system: TestSystem;
  let clerk = '';
  /** The engine's refusal message (REST answers errors as { type, message }). */
  const messageOf = (answer: DoorAnswer) => (answer.body as { message?: string } | null)?.message;
  const asClerk = (method: string, url: string, body?: unknown) => engineAs(clerk, TEST_PASSWORD, method, url, body);
  const asService = (method: string, url: string) => engineAs(testEngineCredentials.user, testEngineCredentials.password, method, url);
  const openTask = async (instance: string) => ((await asService('GET', `/task?processInstanceId=${instance}`)).body as { id: string; taskDefinitionKey: string }[]);
  const measure = { content: '排查民间借贷资金来源', ownerName: '张科长', responsibleDepartmentId: 'jrj', deadline: '2027-01-15', indicatorIds: ['B2'], townships: [] };

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    // The forms as start-up deploys them (with their contracts), and a diagram that uses two of them.
    await system.engine.deployProcesses(path.resolve('bpmn'), []);
    await system.engine.deployProcesses(path.resolve('tests/fixtures/bpmn'), ['form-doors']);
    clerk = (await createTestUser(system.services, ['department'], 'jrj')).username;
    await system.services.engineIdentity.afterUsersChanged([{ username: clerk, password: TEST_PASSWORD }]);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('when a clerk completes a 风险提示函 opinion over REST as Tasklist does, then what breaks the contract is refused by field and the rest completes', async () => {
    const instance = (await system.engine.startProcess('form-doors', { department: 'jrj' })).processInstanceKey;
    const [task] = await openTask(instance);
    expect(task!.taskDefinitionKey).toBe('opinion');

    const empty = await asClerk('POST', `/task/${task!.id}/complete`, { variables: { analysis: { value: '' }, problems: { value: null } } });
    expect(empty.status).toBe(400);
    expect(messageOf(empty)).toBe(`Cannot complete task ${task!.id}: 表单填写不符合要求：风险分析研判：不能为空；具体工作措施：必填`);
    // Past the forms' limit (FORM_TEXT_LIMIT), before the engine's own varchar(4000) would fail on it.
    const tooLong = await asClerk('POST', `/task/${task!.id}/complete`, {
      variables: { analysis: { value: '长'.repeat(FORM_TEXT_LIMIT + 1) }, measures: { type: 'Json', value: JSON.stringify([measure]) } },
    });
    expect(tooLong.status).toBe(400);
    expect(messageOf(tooLong)).toBe(`Cannot complete task ${task!.id}: 表单填写不符合要求：风险分析研判：不能超过 ${FORM_TEXT_LIMIT} 字`);

    const withoutUnit: Partial<typeof measure> = { ...measure };
    delete withoutUnit.responsibleDepartmentId;
    const badMeasure = await asClerk('POST', `/task/${task!.id}/complete`, {
      variables: {
        analysis: { value: '源潭镇民间借贷纠纷上升' },
        measures: { type: 'Json', value: JSON.stringify([measure, { ...withoutUnit, deadline: '2027-02-30' }]) },
      },
    });
    expect(badMeasure.status).toBe(400);
    expect(messageOf(badMeasure)).toBe(
      `Cannot complete task ${task!.id}: 表单填写不符合要求：具体工作措施第2项·完成时限：须为日期（年-月-日）；具体工作措施第2项·责任部门：必填`,
    );
    // Refused whole: the task is still open and the instance holds none of the refused values.
    expect((await openTask(instance)).map((t) => t.id)).toEqual([task!.id]);
    expect((await asService('GET', `/process-instance/${instance}/variables`)).body).not.toHaveProperty('analysis');

    const done = await asClerk('POST', `/task/${task!.id}/complete`, {
      variables: { analysis: { value: '源潭镇民间借贷纠纷上升' }, problems: { value: null }, measures: { type: 'Json', value: JSON.stringify([measure]) } },
    });
    expect(done.status).toBe(204);
    const stored = (await asService('GET', `/process-instance/${instance}/variables`)).body as Record<string, { type: string; value: unknown; valueInfo: Record<string, unknown> }>;
    expect(stored.measures).toMatchObject({ type: 'Object', valueInfo: { serializationDataFormat: 'application/json', objectTypeName: 'java.util.ArrayList' } });
    expect(stored.measures!.value).toEqual([measure]);
  });

  it('when a clerk sends a 督办 result without confirming the written report, then it is refused, and confirmed it completes', async () => {
    const instance = (await system.engine.startProcess('form-doors', { department: 'jrj' })).processInstanceKey;
    const [opinion] = await openTask(instance);
    const answered = await asClerk('POST', `/task/${opinion!.id}/complete`, {
      variables: { analysis: { value: '已研判' }, measures: { type: 'Json', value: JSON.stringify([measure]) } },
    });
    expect(answered.status).toBe(204);
    const [result] = await openTask(instance);
    expect(result!.taskDefinitionKey).toBe('result');

    const unconfirmed = await asClerk('POST', `/task/${result!.id}/complete`, {
      variables: { resultSummary: { value: '已完成资金来源排查' }, formalReportConfirmed: { value: false } },
    });
    expect(unconfirmed.status).toBe(400);
    expect(messageOf(unconfirmed)).toBe(`Cannot complete task ${result!.id}: 表单填写不符合要求：已按一事一文、加盖公章的要求上报书面报告：须勾选确认`);

    const confirmed = await asClerk('POST', `/task/${result!.id}/complete`, {
      variables: { resultSummary: { value: '已完成资金来源排查' }, formalReportConfirmed: { value: true } },
    });
    expect(confirmed.status).toBe(204);
    expect(await openTask(instance)).toEqual([]);
  });
});
