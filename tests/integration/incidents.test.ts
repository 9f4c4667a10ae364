import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoleName, ensureAppRole } from '../../src/db/app-role.ts';
import type { WorkerHost } from '../../src/engine/worker-host.ts';
import { systemActor } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { TEST_DATABASE_APP_PASSWORD, uniqueSuffix } from '../support/database.ts';
import { eventually } from '../support/engine.ts';
import type { ApiClient } from '../support/http-client.ts';
import { failUntilRetriesRunOut } from '../support/incidents.ts';
import { deployLoopDiagrams, ITEM_OPENING_TYPES, startWorkersOf } from '../support/loop-instances.ts';
import { testPorts } from '../support/ports.ts';
import { startPrivateEngine, type PrivateEngine } from '../support/private-engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * Issue 21 §5: a failed job is recoverable in the product. The real issue-supervision-notice
 * worker lays out a 督办事项通知书 and cannot store it: the app's database role has lost INSERT on
 * the document table (what a database restored by hand without the app's grants looks like). The
 * worker's three attempts fail (its back-off waited out by moving the engine clock), an incident
 * stands with the reason in Chinese, the office sees it on GET /api/incidents, a department is
 * refused; the cause is fixed the way the product fixes it at every start (the app role's grants
 * made again), the office retries over HTTP, the notice is stored and the lead unit's 签收 task
 * opens; the retry is in the audit log. A private clock-controlled engine: the integration
 * project's engine keeps real time.
 */
describe('incidents: the office sees a failed step in Chinese and retries it after the fix', () => {
  let priv: PrivateEngine;
  let system: TestSystem;
  let workers: WorkerHost;
  let office: { user: { username: string }; client: ApiClient };
  let department: ApiClient;
  let admin: ApiClient;
  let role = '';

  beforeAll(async () => {
    priv = await startPrivateEngine('incidents', testPorts.privateEngineBase + 8, { clockControlled: true });
    system = await startTestSystem({ withEngine: true, engineAddress: priv.address, databaseUrl: priv.databaseUrl });
    await deployLoopDiagrams(system, ['supervision-item']);
    workers = startWorkersOf(system, ITEM_OPENING_TYPES);
    office = await signedInUser(system, ['peace_office'], 'pab');
    department = (await signedInUser(system, ['department'], 'rsj')).client;
    admin = (await signedInUser(system, ['admin'], null)).client;
    role = appRoleName(priv.databaseUrl);
  });

  afterAll(async () => {
    await workers?.stop();
    await system?.stop();
    await priv?.stop();
  });

  it('when a document cannot be stored until retries run out, then the office sees why in Chinese, fixes it, retries, and the item goes on', async () => {
    const { db } = system.services;
    const item = await system.services.supervision.register(systemActor, {
      businessKey: `incident:${uniqueSuffix()}`,
      title: '集中整治建筑领域拖欠农民工工资问题',
      sourceKind: 'meeting',
      sourceId: 'JM-2026-H1',
      leadDepartmentId: 'rsj',
      coDepartmentIds: ['zjj'],
      requirements: '清欠到位，建立长效机制',
      deadline: '2026-12-31T15:59:59Z',
    });

    // The cause: the app role may no longer write documents (the owner's connection revokes it).
    await priv.db.query(`REVOKE INSERT ON document FROM "${role}"`);
    await system.engine.publishMessage({ name: 'start-supervision-item', correlationKey: item.businessKey, messageId: item.businessKey, variables: { itemKey: item.businessKey, itemId: item.id } });
    const instance = await eventually(
      async () => (await db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM supervision_item WHERE id = $1`, [item.id]))[0]?.process_instance_key,
      'the item process to open the item',
      60_000,
    );
    await failUntilRetriesRunOut(system.engine, instance, 'issue-supervision-notice');

    // The office's list: the matter, the step, the reason in Chinese.
    const listed = await eventually(async () => {
      const res = await office.client.request('GET', '/api/incidents');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body as { processInstanceKey: string }[]).find((i) => i.processInstanceKey === instance);
    }, 'the incident on the office\'s list');
    expect(listed).toMatchObject({
      processId: 'supervision-item',
      processName: expect.stringMatching(/督办/),
      businessKey: item.businessKey,
      subject: { kind: '督办事项', unit: '唐河县人力资源和社会保障局', title: '集中整治建筑领域拖欠农民工工资问题' },
      elementId: 'issueNotice',
      elementName: '发出督办事项通知书（抄送协办单位）',
      type: 'failedExternalTask',
      typeLabel: '自动处理失败，重试次数已用完',
      retryable: true,
    });
    const incident = listed as unknown as { key: string; message: string };
    expect(incident.message).toMatch(/^文书生成失败（.+）：数据库拒绝访问（权限不足，错误代码 42501）/);
    expect(incident.message).toContain('系统管理员');
    expect((await office.client.request('GET', '/api/incidents/count')).body).toEqual({ count: 1 });
    expect((await admin.request('GET', '/api/incidents')).body).toEqual([expect.objectContaining({ key: incident.key })]);
    // The item waits: no notice stored, no 签收 task.
    expect((await db.query(`SELECT notice_document_id FROM supervision_item WHERE id = $1`, [item.id]))[0]).toEqual({ notice_document_id: null });

    // A department neither sees nor retries incidents; a bad key or note is refused in Chinese.
    for (const [method, path] of [
      ['GET', '/api/incidents'],
      ['GET', '/api/incidents/count'],
      ['POST', `/api/incidents/${incident.key}/retry`],
    ] as const) {
      const res = await department.request(method, path, method === 'POST' ? {} : undefined);
      expect(res.status, path).toBe(403);
    }
    const badKey = await office.client.request('POST', '/api/incidents/abc/retry', {});
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.problems).toEqual([{ field: 'key', reason: '故障编号格式错误' }]);
    const longNote = await office.client.request('POST', `/api/incidents/${incident.key}/retry`, { note: '长'.repeat(501) });
    expect(longNote.status).toBe(400);
    expect(longNote.body.error.problems).toEqual([{ field: 'note', reason: '处理说明不能超过 500 字' }]);

    // The fix: the app role's grants made again, as every start of the app does; then 重试.
    await ensureAppRole(priv.db, priv.databaseUrl, TEST_DATABASE_APP_PASSWORD);
    const retried = await office.client.request('POST', `/api/incidents/${incident.key}/retry`, { note: '已恢复应用数据库角色的授权' });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toEqual({ ok: true });

    // The item goes on: its notice stored under its number, the lead unit's 签收 task open, the incident resolved.
    await waitForOpenTask(db, instance, 'sign', 60_000);
    const [stored] = await db.query<{ number: string | null; kind: string; title: string }[]>(
      `SELECT d.number, d.kind, d.title FROM supervision_item i JOIN document d ON d.id = i.notice_document_id WHERE i.id = $1`,
      [item.id],
    );
    expect(stored).toMatchObject({ kind: 'supervision_notice' });
    expect(incident.message).toContain(`文书生成失败（${stored!.title}）`);
    expect(await db.query(`SELECT state FROM engine_incident WHERE key = $1`, [incident.key])).toEqual([{ state: 'RESOLVED' }]);
    expect((await office.client.request('GET', '/api/incidents')).body).toEqual([]);
    expect((await office.client.request('GET', '/api/incidents/count')).body).toEqual({ count: 0 });
    // A second 重试 of the same incident: it is gone.
    const again = await office.client.request('POST', `/api/incidents/${incident.key}/retry`, {});
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe('故障不存在或已处理');

    // Audited: who retried which step of which matter, why it had failed, what was fixed.
    const audit = await db.query<{ actor_name: string; entity_type: string; before: Record<string, unknown>; after: Record<string, unknown> }[]>(
      `SELECT actor_name, entity_type, before, after FROM audit_log WHERE action = 'incident.retry' AND entity_id = $1`,
      [incident.key],
    );
    expect(audit).toEqual([
      {
        actor_name: office.user.username,
        entity_type: 'incident',
        before: {
          processInstanceKey: instance,
          processId: 'supervision-item',
          businessKey: item.businessKey,
          elementId: 'issueNotice',
          elementName: '发出督办事项通知书（抄送协办单位）',
          type: 'failedExternalTask',
          message: incident.message,
        },
        after: { retries: 1, note: '已恢复应用数据库角色的授权' },
      },
    ]);
  });
});
