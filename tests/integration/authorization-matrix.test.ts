import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../src/http/routes/index.ts';
import { ALL_ROLES, systemActor, type Role } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { storeUrgeNoticeFor } from '../support/documents.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * Every route × every role (and anonymous), generated from the route table: a route added
 * without a sample request here fails the first test, so no route escapes the matrix.
 * Department-scoped routes are also called on a foreign department's record: 404, never data.
 * Tasks and instances are real (web-inbox-answer fixture instances on the engine): an allowed
 * call really acts (the department claims, gives back and completes its task).
 */
let foreignTaskKey = '';
let ownTaskKey = '';
/** A second open task of 人社局 that no route acts on, for the final listing. */
let listedTaskKey = '';
let ownInstanceKey = '';
let foreignInstanceKey = '';
let someUserId = '';
let ownNoticeId = '';
let foreignNoticeId = '';
let ownDocumentId = '';
let foreignDocumentId = '';
let ownItemId = '';
let foreignItemId = '';

type Sample = { path: () => string; body?: unknown; foreignPath?: () => string };
const samples: Record<string, Sample> = {
  'GET /api/session': { path: () => '/api/session' },
  'POST /api/session': { path: () => '/api/session', body: { username: 'nobody', password: 'wrong-password' } },
  'DELETE /api/session': { path: () => '/api/session' },
  'GET /api/tasks': { path: () => '/api/tasks' },
  'GET /api/tasks/count': { path: () => '/api/tasks/count' },
  'GET /api/tasks/:key': { path: () => `/api/tasks/${ownTaskKey}`, foreignPath: () => `/api/tasks/${foreignTaskKey}` },
  'POST /api/tasks/:key/claim': { path: () => `/api/tasks/${ownTaskKey}/claim`, foreignPath: () => `/api/tasks/${foreignTaskKey}/claim` },
  'POST /api/tasks/:key/unclaim': { path: () => `/api/tasks/${ownTaskKey}/unclaim`, foreignPath: () => `/api/tasks/${foreignTaskKey}/unclaim` },
  'POST /api/tasks/:key/complete': {
    path: () => `/api/tasks/${ownTaskKey}/complete`,
    body: { variables: {} },
    foreignPath: () => `/api/tasks/${foreignTaskKey}/complete`,
  },
  'GET /api/tasks/:key/comments': { path: () => `/api/tasks/${ownTaskKey}/comments`, foreignPath: () => `/api/tasks/${foreignTaskKey}/comments` },
  'POST /api/tasks/:key/comments': { path: () => `/api/tasks/${ownTaskKey}/comments`, body: { body: '请补充材料' }, foreignPath: () => `/api/tasks/${foreignTaskKey}/comments` },
  'GET /api/tasks/:key/attachments': { path: () => `/api/tasks/${ownTaskKey}/attachments`, foreignPath: () => `/api/tasks/${foreignTaskKey}/attachments` },
  'POST /api/tasks/:key/attachments': {
    path: () => `/api/tasks/${ownTaskKey}/attachments?fileName=matrix.pdf`,
    body: '',
    foreignPath: () => `/api/tasks/${foreignTaskKey}/attachments?fileName=matrix.pdf`,
  },
  'GET /api/tasks/:key/attachments/:id': {
    path: () => `/api/tasks/${ownTaskKey}/attachments/00000000-0000-4000-8000-000000000000`,
    foreignPath: () => `/api/tasks/${foreignTaskKey}/attachments/00000000-0000-4000-8000-000000000000`,
  },
  'GET /api/filters': { path: () => '/api/filters' },
  'POST /api/filters': { path: () => '/api/filters', body: { name: '逾期', filter: { light: 'red' } } },
  'DELETE /api/filters/:id': { path: () => '/api/filters/00000000-0000-4000-8000-000000000000' },
  'GET /api/overdue-tasks': { path: () => '/api/overdue-tasks' },
  'POST /api/overdue-tasks/urge': { path: () => '/api/overdue-tasks/urge', body: { taskKeys: [ownTaskKey] } },
  'GET /api/departments': { path: () => '/api/departments' },
  'GET /api/admin/users': { path: () => '/api/admin/users' },
  'POST /api/admin/users': { path: () => '/api/admin/users', body: { username: '', displayName: '', password: '', departmentId: null, roles: [] } },
  'POST /api/admin/users/:id/disable': { path: () => `/api/admin/users/00000000-0000-4000-8000-000000000000/disable` },
  'POST /api/admin/users/:id/enable': { path: () => `/api/admin/users/${someUserId}/enable` },
  'GET /api/audit': { path: () => '/api/audit' },
  'GET /api/admin/mail': { path: () => '/api/admin/mail' },
  'GET /api/admin/departments': { path: () => '/api/admin/departments' },
  'PATCH /api/admin/departments/:id': { path: () => '/api/admin/departments/no-such-unit', body: { active: true } },
  'GET /api/admin/settings': { path: () => '/api/admin/settings' },
  'GET /api/processes': { path: () => '/api/processes' },
  'GET /api/processes/:id/xml': { path: () => '/api/processes/matrix-fixture/xml' },
  'GET /api/instances': { path: () => '/api/instances' },
  'GET /api/instances/:key': { path: () => `/api/instances/${ownInstanceKey}`, foreignPath: () => `/api/instances/${foreignInstanceKey}` },
  'POST /api/admin/deployments/check': { path: () => '/api/admin/deployments/check', body: { xml: '<not-bpmn' } },
  'POST /api/admin/deployments': { path: () => '/api/admin/deployments', body: { name: 'matrix.bpmn', xml: '<not-bpmn' } },
  'GET /api/documents': { path: () => '/api/documents' },
  'GET /api/documents/:id': { path: () => `/api/documents/${ownDocumentId}`, foreignPath: () => `/api/documents/${foreignDocumentId}` },
  'GET /api/documents/:id/file/:format': { path: () => `/api/documents/${ownDocumentId}/file/pdf`, foreignPath: () => `/api/documents/${foreignDocumentId}/file/pdf` },
  'GET /api/imports/coverage': { path: () => '/api/imports/coverage?from=2025-01&to=2025-06' },
  'POST /api/imports/cases': { path: () => '/api/imports/cases?fileName=matrix.csv&format=csv', body: '' },
  'POST /api/imports/population': { path: () => '/api/imports/population?fileName=matrix.csv&format=csv', body: '' },
  'POST /api/imports/signals': { path: () => '/api/imports/signals?fileName=matrix.csv&format=csv', body: '' },
  'POST /api/items/:id/progress': { path: () => `/api/items/${ownItemId}/progress`, body: { content: '进展' }, foreignPath: () => `/api/items/${foreignItemId}/progress` },
  'POST /api/items/:id/extension': {
    path: () => `/api/items/${ownItemId}/extension`,
    body: { reason: '需协调多个部门', requestedDeadline: '2099-12-31' },
    foreignPath: () => `/api/items/${foreignItemId}/extension`,
  },
  'GET /api/cockpit': { path: () => '/api/cockpit' },
  'GET /api/ledgers/:kind': { path: () => '/api/ledgers/items' },
  'GET /api/ledgers/:kind/export': { path: () => '/api/ledgers/notices/export' },
  'GET /api/public/report': { path: () => '/api/public/report' },
  'GET /api/indicators': { path: () => '/api/indicators' },
  'GET /api/indicators/:id/versions': { path: () => '/api/indicators/B2/versions' },
  'POST /api/indicators': { path: () => '/api/indicators', body: {} },
  'POST /api/rounds/:id/what-if': { path: () => '/api/rounds/no-such-round/what-if', body: { changes: [{ indicatorId: 'B2', definition: { minN: 5 } }] } },
  'POST /api/rounds': { path: () => '/api/rounds', body: { roundKind: 'half_year', year: 1999 } },
  'GET /api/trace/:kind/:id': { path: () => `/api/trace/notice/${ownNoticeId}`, foreignPath: () => `/api/trace/notice/${foreignNoticeId}` },
};

const keyOf = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;
const departmentOf: Record<Role, string | null> = {
  court_analyst: 'court',
  leader: 'zfw',
  peace_office: 'pab',
  department: 'rsj',
  admin: null,
  auditor: null,
};

describe('authorization matrix', () => {
  let system: TestSystem;
  const clients = new Map<Role | 'anonymous', ApiClient>();
  const instances: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    const db = system.services.db;
    // Open answer tasks of real instances: two for 人社局 (rsj, "own"), one for 住建局 (zjj, "foreign").
    await system.engine.deployXml('web-inbox-answer.bpmn', await readFile('tests/fixtures/bpmn/web-inbox-answer.bpmn', 'utf8'));
    const open = async (department: string) => {
      const { processInstanceKey } = await system.engine.startProcess('web-inbox-answer', { department, dueDate: new Date(Date.now() + 10 * 86_400_000).toISOString() });
      instances.push(processInstanceKey);
      return { instance: processInstanceKey, task: await waitForOpenTask(db, processInstanceKey, 'answer') };
    };
    const own = await open('rsj');
    const foreign = await open('zjj');
    [ownInstanceKey, ownTaskKey] = [own.instance, own.task];
    [foreignInstanceKey, foreignTaskKey] = [foreign.instance, foreign.task];
    listedTaskKey = (await open('rsj')).task;
    // Two risk notices of one round (each traced from its indicator): 人社局's own, 住建局's foreign.
    const roundId = 'M-matrix';
    await db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ($1, 'half_year', '2026-01-01', '2026-06-30')`, [roundId]);
    const issue = (departmentId: string) =>
      system.services.notices.issue(systemActor, { roundId, departmentId, indicatorIds: ['B5'], dueDate: '2026-08-05T09:00:00Z' });
    ownNoticeId = (await issue('rsj')).id;
    foreignNoticeId = (await issue('zjj')).id;
    const register = async (leadDepartmentId: string) =>
      (
        await system.services.supervision.register(systemActor, {
          businessKey: `matrix:${leadDepartmentId}`,
          title: '矩阵测试督办事项',
          sourceKind: 'meeting',
          sourceId: roundId,
          leadDepartmentId,
          coDepartmentIds: [],
          requirements: '按期办结',
          deadline: '2099-06-30T09:30:00Z',
        })
      ).id;
    ownItemId = await register('rsj');
    foreignItemId = await register('zjj');
    ownDocumentId = await storeUrgeNoticeFor(db, { id: 'rsj', name: '唐河县人力资源和社会保障局' });
    foreignDocumentId = await storeUrgeNoticeFor(db, { id: 'zjj', name: '唐河县住房和城乡建设局' });
    clients.set('anonymous', new ApiClient(system.baseUrl));
    await clients.get('anonymous')!.refreshCsrf();
    for (const role of ALL_ROLES) {
      const { user, client } = await signedInUser(system, [role], departmentOf[role]);
      someUserId = user.id;
      clients.set(role, client);
    }
  });

  afterAll(async () => {
    for (const key of instances) await system?.engine.cancelProcessInstance(key).catch(() => undefined);
    await system?.stop();
  });

  it('when a route is in the table, then the matrix has a sample request for it', () => {
    const missing = routes.map(keyOf).filter((k) => !(k in samples));
    expect(missing).toEqual([]);
  });

  it('when each role calls each route, then access follows the declared rule (deny by default)', async () => {
    const failures: string[] = [];
    for (const spec of routes) {
      const sample = samples[keyOf(spec)]!;
      for (const [who, client] of clients) {
        // Logging out would end the client's session for later routes: probe it last, separately.
        if (keyOf(spec) === 'DELETE /api/session' && who !== 'anonymous') continue;
        const res = await client.request(spec.method.toUpperCase(), sample.path(), sample.body);
        const mayCall =
          spec.access === 'public' || (who !== 'anonymous' && (spec.access === 'authenticated' || spec.access.includes(who)));
        if (!mayCall) {
          const expected = who === 'anonymous' ? 401 : 403;
          if (res.status !== expected) failures.push(`${who} ${keyOf(spec)}: ${res.status}, expected ${expected}`);
        } else {
          // Allowed callers may get 400/404/409 from validation or state, and 401 only from the login
          // route's credential check; never a refusal of the role itself, never a crash.
          const refused = (res.status === 401 && spec.access !== 'public') || res.status === 403;
          if (refused || res.status >= 500) {
            failures.push(`${who} ${keyOf(spec)}: ${res.status} ${JSON.stringify(res.body)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // The department's calls on its own task went through to the engine: it completed the task.
    const [task] = await system.services.db.query<{ state: string; assignee: string | null }[]>(`SELECT state, assignee FROM engine_user_task WHERE key = $1`, [ownTaskKey]);
    expect(task).toEqual({ state: 'COMPLETED', assignee: null });
    expect(await system.engine.rest.call<{ taskDefinitionKey: string }[]>('GET', `/task?processInstanceId=${ownInstanceKey}`)).toEqual([expect.objectContaining({ taskDefinitionKey: 'review' })]);
  });

  it('when a department user reaches for a foreign department record, then every scoped route answers 404', async () => {
    const dept = clients.get('department')!;
    for (const spec of routes.filter((r) => r.scope === 'own-department')) {
      const sample = samples[keyOf(spec)]!;
      if (!sample.foreignPath) continue;
      const res = await dept.request(spec.method.toUpperCase(), sample.foreignPath(), sample.body);
      expect(res.status, keyOf(spec)).toBe(404);
    }
    const list = await dept.request('GET', '/api/tasks');
    const keys = list.body.items.map((t: { key: string }) => t.key);
    expect(keys).toContain(listedTaskKey);
    expect(keys).not.toContain(foreignTaskKey);
  });
});
