import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routes } from '../../src/http/routes/index.ts';
import { ALL_ROLES, systemActor, type Actor, type Role } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import type { TraceKind } from '../../src/services/loop/trace.ts';
import { traceKinds } from '../../src/services/loop/trace-view.ts';
import { storeUrgeNoticeFor } from '../support/documents.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * Every route × every role (and anonymous), generated from the route table: a route added
 * without a sample request here fails the first test, so no route escapes the matrix.
 * Department-scoped routes are called by 人社局 (rsj) on its own record — the status and the facts
 * that prove the right record came back — and on 住建局's (zjj) real record of the same kind: 404,
 * never data. A scoped route without both cases fails the matrix instead of being skipped.
 * Tasks and instances are real (web-inbox-answer fixture instances on the engine): an allowed
 * call really acts (the department claims, gives back and completes its task).
 */
const RSJ_NAME = '唐河县人力资源和社会保障局';
const ZJJ_NAME = '唐河县住房和城乡建设局';
/** The rounds of the trace records: the notices come from 2941-Y, the outcomes are of 2942. */
const [BEFORE, AFTER] = ['2941-Y', '2942-Y'];

let system: TestSystem;
/** The department user (人社局) and its client: the own-case checks look at its records. */
let departmentUsername = '';
let departmentClient: ApiClient;
let foreignTaskKey = '';
let ownTaskKey = '';
/** A second open task of 人社局 that no route acts on, for the final listing. */
let listedTaskKey = '';
let ownInstanceKey = '';
let foreignInstanceKey = '';
let listedInstanceKey = '';
let someUserId = '';
let ownDocumentId = '';
let foreignDocumentId = '';
let ownItemId = '';
let foreignItemId = '';
/** Attachments stored on the own and the foreign task before any route runs. */
const ownAttachment = { id: '', fileName: '人社局佐证材料.pdf', data: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(200)]) };
const foreignAttachment = { id: '', fileName: '住建局佐证材料.pdf', data: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(200)]) };
const ownComment = '人社局：已组织专题研判';
/** What the department uploads through the route (a PDF by its first bytes). */
const uploaded = '%PDF-1.4 matrix upload';
/** One record of every trace kind for each department (built with the loop's services in beforeAll). */
type Chain = Record<TraceKind, string>;
const own = {} as Chain;
const foreign = {} as Chain;
/** The item each department's meeting decision registered (what opens the meeting's chain to it). */
const decisionItems = { own: '', foreign: '' };

type Response = Awaited<ReturnType<ApiClient['request']>>;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const one = async <T>(sql: string, params: unknown[]): Promise<T> => ((await system.db.query(sql, params)) as T[])[0]!;

type Sample = {
  path: () => string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Scoped routes: what 人社局's own call answers — its status and the facts that prove it is its record. */
  own?: (res: Response) => unknown;
  /** Scoped routes on one record: the same call on 住建局's real record (404). */
  foreignPath?: () => string;
  /** Scoped listings have no foreign path: their `own` check asserts the foreign record is not listed. */
  listing?: true;
};

const ok = (res: Response, status = 200) => expect(res.status, JSON.stringify(res.body)).toBe(status);
const samples: Record<string, Sample> = {
  'GET /api/session': { path: () => '/api/session' },
  'POST /api/session': { path: () => '/api/session', body: { username: 'nobody', password: 'wrong-password' } },
  'POST /api/session/mfa': { path: () => '/api/session/mfa', body: { code: '123456' } },
  'DELETE /api/session': { path: () => '/api/session' },
  'GET /api/tasks': {
    path: () => '/api/tasks?limit=200',
    listing: true,
    own: (res) => {
      ok(res);
      const keys = res.body.items.map((t: { key: string }) => t.key);
      expect(keys).toEqual(expect.arrayContaining([ownTaskKey, listedTaskKey]));
      expect(keys).not.toContain(foreignTaskKey);
      // Every listed task is one of 人社局's or of its role: nothing of another unit.
      expect(res.body.items.filter((t: { candidateGroups: { id: string }[] }) => !t.candidateGroups.some((g) => ['rsj', 'department'].includes(g.id)))).toEqual([]);
    },
  },
  'GET /api/tasks/count': {
    path: () => '/api/tasks/count',
    listing: true,
    own: async (res) => {
      ok(res);
      // The badge counts what the department's list shows (open tasks only), the foreign task not among them.
      const open = await one<{ n: number }>(`SELECT count(*)::int AS n FROM engine_user_task WHERE state = 'CREATED' AND candidate_groups && ARRAY['rsj', 'department']`, []);
      expect(res.body).toEqual({ count: open.n });
      expect(open.n).toBeGreaterThanOrEqual(2);
    },
  },
  'GET /api/tasks/:key': {
    path: () => `/api/tasks/${ownTaskKey}`,
    foreignPath: () => `/api/tasks/${foreignTaskKey}`,
    own: (res) => {
      ok(res);
      expect(res.body).toMatchObject({ key: ownTaskKey, processInstanceKey: ownInstanceKey, processId: 'web-inbox-answer', elementId: 'answer', candidateGroups: [{ id: 'rsj', name: RSJ_NAME }] });
    },
  },
  'POST /api/tasks/:key/claim': {
    path: () => `/api/tasks/${ownTaskKey}/claim`,
    foreignPath: () => `/api/tasks/${foreignTaskKey}/claim`,
    own: async (res) => {
      ok(res);
      expect(res.body).toEqual({ ok: true });
      expect(await one(`SELECT assignee FROM engine_user_task WHERE key = $1`, [ownTaskKey])).toEqual({ assignee: departmentUsername });
    },
  },
  'POST /api/tasks/:key/unclaim': {
    path: () => `/api/tasks/${ownTaskKey}/unclaim`,
    foreignPath: () => `/api/tasks/${foreignTaskKey}/unclaim`,
    own: async (res) => {
      ok(res);
      expect(res.body).toEqual({ ok: true });
      expect(await one(`SELECT assignee FROM engine_user_task WHERE key = $1`, [ownTaskKey])).toEqual({ assignee: null });
    },
  },
  'POST /api/tasks/:key/complete': {
    path: () => `/api/tasks/${ownTaskKey}/complete`,
    body: { variables: {} },
    foreignPath: () => `/api/tasks/${foreignTaskKey}/complete`,
    own: async (res) => {
      ok(res);
      expect(res.body).toEqual({ ok: true });
      expect(await one(`SELECT state FROM engine_user_task WHERE key = $1`, [ownTaskKey])).toEqual({ state: 'COMPLETED' });
    },
  },
  'GET /api/tasks/:key/comments': {
    path: () => `/api/tasks/${ownTaskKey}/comments`,
    foreignPath: () => `/api/tasks/${foreignTaskKey}/comments`,
    own: (res) => {
      ok(res);
      // The comment stored in beforeAll, and only it (the route's own comment comes later).
      expect(res.body).toEqual([expect.objectContaining({ body: ownComment, departmentId: 'rsj' })]);
    },
  },
  'POST /api/tasks/:key/comments': {
    path: () => `/api/tasks/${ownTaskKey}/comments`,
    body: { body: '请补充材料' },
    foreignPath: () => `/api/tasks/${foreignTaskKey}/comments`,
    own: async (res) => {
      ok(res, 201);
      expect(res.body.id).toMatch(uuid);
      expect(await one(`SELECT task_key, body, department_id FROM task_comment WHERE id = $1`, [res.body.id])).toEqual({ task_key: ownTaskKey, body: '请补充材料', department_id: 'rsj' });
    },
  },
  'GET /api/tasks/:key/attachments': {
    path: () => `/api/tasks/${ownTaskKey}/attachments`,
    foreignPath: () => `/api/tasks/${foreignTaskKey}/attachments`,
    own: (res) => {
      ok(res);
      expect(res.body).toEqual([
        expect.objectContaining({ id: ownAttachment.id, fileName: ownAttachment.fileName, contentType: 'application/pdf', size: ownAttachment.data.length, sha256: sha256(ownAttachment.data) }),
      ]);
    },
  },
  'POST /api/tasks/:key/attachments': {
    path: () => `/api/tasks/${ownTaskKey}/attachments?fileName=matrix.pdf`,
    body: uploaded,
    headers: { 'content-type': 'application/pdf' },
    foreignPath: () => `/api/tasks/${foreignTaskKey}/attachments?fileName=matrix.pdf`,
    own: async (res) => {
      ok(res, 201);
      expect(res.body).toEqual({ id: expect.stringMatching(uuid), sha256: sha256(uploaded) });
      expect(await one(`SELECT task_key, file_name, size FROM task_attachment WHERE id = $1`, [res.body.id])).toEqual({ task_key: ownTaskKey, file_name: 'matrix.pdf', size: uploaded.length });
    },
  },
  'GET /api/tasks/:key/attachments/:id': {
    path: () => `/api/tasks/${ownTaskKey}/attachments/${ownAttachment.id}`,
    // 住建局's real attachment on its own task (the test below also asks for it through 人社局's task).
    foreignPath: () => `/api/tasks/${foreignTaskKey}/attachments/${foreignAttachment.id}`,
    own: (res) => {
      ok(res);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('x-content-sha256')).toBe(sha256(ownAttachment.data));
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(ownAttachment.fileName)}`);
    },
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
  'DELETE /api/admin/users/:id/mfa': { path: () => `/api/admin/users/00000000-0000-4000-8000-000000000000/mfa` },
  'GET /api/audit': { path: () => '/api/audit' },
  'GET /api/admin/mail': { path: () => '/api/admin/mail' },
  'GET /api/admin/departments': { path: () => '/api/admin/departments' },
  'PATCH /api/admin/departments/:id': { path: () => '/api/admin/departments/no-such-unit', body: { active: true } },
  'GET /api/admin/settings': { path: () => '/api/admin/settings' },
  'GET /api/processes': {
    path: () => '/api/processes',
    listing: true,
    own: async (res) => {
      ok(res);
      // Running instances counted for 人社局 are those with a task of its own: 住建局's is not among them.
      const visible = await one<{ n: number }>(
        `SELECT count(*)::int AS n FROM engine_process_instance pi WHERE pi.bpmn_process_id = 'web-inbox-answer' AND pi.state = 'ACTIVE'
           AND EXISTS (SELECT 1 FROM engine_user_task t WHERE t.process_instance_key = pi.key AND t.candidate_groups && ARRAY['rsj', 'department'])`,
        [],
      );
      expect(res.body.find((p: { id: string }) => p.id === 'web-inbox-answer')).toMatchObject({ id: 'web-inbox-answer', running: visible.n });
      expect(visible.n).toBeGreaterThanOrEqual(2);
    },
  },
  'GET /api/processes/:id/xml': { path: () => '/api/processes/matrix-fixture/xml' },
  'GET /api/instances': {
    path: () => '/api/instances?processId=web-inbox-answer&limit=200',
    listing: true,
    own: (res) => {
      ok(res);
      const keys = res.body.items.map((i: { key: string }) => i.key);
      expect(keys).toEqual(expect.arrayContaining([ownInstanceKey, listedInstanceKey]));
      expect(keys).not.toContain(foreignInstanceKey);
    },
  },
  'GET /api/instances/:key': {
    path: () => `/api/instances/${ownInstanceKey}`,
    foreignPath: () => `/api/instances/${foreignInstanceKey}`,
    own: (res) => {
      ok(res);
      // Called after the department completed its task: the instance waits at the office's review.
      expect(res.body).toMatchObject({ key: ownInstanceKey, processId: 'web-inbox-answer', state: 'ACTIVE', openTasks: [] });
      expect(res.body.elements.find((e: { elementId: string }) => e.elementId === 'answer')).toMatchObject({ completed: 1, active: 0 });
    },
  },
  // The office and admins only (tests/integration/incidents.test.ts retries a real one); no incident 1 exists: 404 for them.
  'GET /api/incidents': { path: () => '/api/incidents' },
  'GET /api/incidents/count': { path: () => '/api/incidents/count' },
  'POST /api/incidents/:key/retry': { path: () => '/api/incidents/1/retry', body: { note: '矩阵测试' } },
  'POST /api/admin/deployments/check': { path: () => '/api/admin/deployments/check', body: { xml: '<not-bpmn' } },
  'POST /api/admin/deployments': { path: () => '/api/admin/deployments', body: { name: 'matrix.bpmn', xml: '<not-bpmn' } },
  'GET /api/documents': {
    path: () => '/api/documents?limit=200',
    listing: true,
    own: (res) => {
      ok(res);
      const ids = res.body.items.map((d: { id: string }) => d.id);
      expect(ids).toContain(ownDocumentId);
      expect(ids).not.toContain(foreignDocumentId);
    },
  },
  'GET /api/documents/:id': {
    path: () => `/api/documents/${ownDocumentId}`,
    foreignPath: () => `/api/documents/${foreignDocumentId}`,
    own: (res) => {
      ok(res);
      expect(res.body).toMatchObject({ id: ownDocumentId, kind: 'urge_notice', recipients: ['rsj'], receipts: null });
      expect(res.body.text).toContain(RSJ_NAME);
    },
  },
  'GET /api/documents/:id/file/:format': {
    path: () => `/api/documents/${ownDocumentId}/file/pdf`,
    foreignPath: () => `/api/documents/${foreignDocumentId}/file/pdf`,
    own: async (res) => {
      ok(res);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('x-content-sha256')).toBe((await one<{ pdf_sha256: string }>(`SELECT pdf_sha256 FROM document WHERE id = $1`, [ownDocumentId])).pdf_sha256);
    },
  },
  'GET /api/imports/templates/:kind': { path: () => '/api/imports/templates/population' },
  'GET /api/imports/templates/:kind/file': { path: () => '/api/imports/templates/signals/file?format=csv' },
  'GET /api/imports/coverage': { path: () => '/api/imports/coverage?from=2025-01&to=2025-06' },
  'POST /api/imports/cases': { path: () => '/api/imports/cases?fileName=matrix.csv&format=csv', body: '' },
  'POST /api/imports/population': { path: () => '/api/imports/population?fileName=matrix.csv&format=csv', body: '' },
  'POST /api/imports/signals': { path: () => '/api/imports/signals?fileName=matrix.csv&format=csv', body: '' },
  'POST /api/imports/causes': { path: () => '/api/imports/causes?fileName=matrix.csv&format=csv', body: '' },
  'GET /api/imports/causes/file': { path: () => '/api/imports/causes/file' },
  'GET /api/items/major-progress': { path: () => '/api/items/major-progress' },
  'POST /api/items/:id/progress': {
    path: () => `/api/items/${ownItemId}/progress`,
    body: { content: '进展' },
    foreignPath: () => `/api/items/${foreignItemId}/progress`,
    own: (res) => {
      ok(res);
      expect(res.body).toEqual({ reportId: expect.stringMatching(uuid) });
    },
  },
  'POST /api/items/:id/extension': {
    path: () => `/api/items/${ownItemId}/extension`,
    body: { reason: '需协调多个部门', requestedDeadline: '2099-12-31' },
    foreignPath: () => `/api/items/${foreignItemId}/extension`,
    own: async (res) => {
      ok(res);
      expect(res.body).toEqual({ requestId: expect.stringMatching(uuid) });
      const audit = await one(`SELECT entity_id, department_id, after->>'requestId' AS request FROM audit_log WHERE action = 'supervision_item.extension_requested' AND after->>'requestId' = $1`, [
        res.body.requestId,
      ]);
      expect(audit).toEqual({ entity_id: ownItemId, department_id: 'rsj', request: res.body.requestId });
    },
  },
  'GET /api/cockpit': {
    path: () => '/api/cockpit',
    listing: true,
    own: async (res) => {
      ok(res);
      // The department's loop counts are its own: 住建局's open notice and items are not counted.
      const notices = await one<{ n: number }>(`SELECT count(*)::int AS n FROM risk_notice WHERE status NOT IN ('accepted', 'closed') AND department_id = 'rsj'`, []);
      const items = await one<{ n: number }>(`SELECT count(*)::int AS n FROM supervision_item WHERE status <> 'closed' AND (lead_department_id = 'rsj' OR 'rsj' = ANY(co_department_ids))`, []);
      const lights = res.body.counts.items as { red: number; yellow: number; green: number };
      expect({ openNotices: res.body.counts.openNotices, items: lights.red + lights.yellow + lights.green }).toEqual({ openNotices: notices.n, items: items.n });
      expect({ notices: notices.n >= 1, items: items.n >= 3 }).toEqual({ notices: true, items: true });
    },
  },
  'GET /api/ledgers/:kind': {
    path: () => '/api/ledgers/items?limit=200',
    listing: true,
    own: async (res) => {
      ok(res);
      const rows = res.body.items as { title: string; lead: string; co: string | null }[];
      const count = await one<{ n: number }>(`SELECT count(*)::int AS n FROM supervision_item WHERE lead_department_id = 'rsj' OR 'rsj' = ANY(co_department_ids)`, []);
      expect(res.body.total).toBe(count.n);
      expect(rows.filter((r) => r.lead !== RSJ_NAME && !(r.co ?? '').includes(RSJ_NAME))).toEqual([]);
      expect(rows.map((r) => r.title)).toContain('人社局矩阵测试事项');
      expect(rows.map((r) => r.title)).not.toContain('住建局矩阵测试事项');
    },
  },
  'GET /api/ledgers/:kind/export': {
    path: () => '/api/ledgers/notices/export',
    listing: true,
    own: async (res) => {
      ok(res);
      // Every ledger kind's own and foreign rows: tests/integration/ledger-scope.test.ts. Here: the notices sheet holds 人社局's notices only.
      const download = await fetch(`${system.baseUrl}/api/ledgers/notices/export`, { headers: { cookie: departmentClient.cookieHeader() } });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await download.arrayBuffer()) as unknown as ExcelJS.Buffer);
      const sheet = workbook.worksheets[0]!;
      const units = sheet.getRows(2, sheet.rowCount - 1)!.map((row) => row.getCell(3).value);
      const count = await one<{ n: number }>(`SELECT count(*)::int AS n FROM risk_notice WHERE department_id = 'rsj'`, []);
      expect(sheet.getRow(1).getCell(3).value).toBe('责任单位');
      expect(units).toEqual(Array.from({ length: count.n }, () => RSJ_NAME));
      expect(sheet.getRows(2, sheet.rowCount - 1)!.map((row) => row.getCell(2).value)).toContain(BEFORE);
    },
  },
  'GET /api/public/report': { path: () => '/api/public/report' },
  'GET /api/indicators': { path: () => '/api/indicators' },
  'GET /api/indicators/:id/versions': { path: () => '/api/indicators/B2/versions' },
  'POST /api/indicators': { path: () => '/api/indicators', body: {} },
  'POST /api/rounds/:id/what-if': { path: () => '/api/rounds/no-such-round/what-if', body: { changes: [{ indicatorId: 'B2', definition: { minN: 5 } }] } },
  'POST /api/rounds': { path: () => '/api/rounds', body: { roundKind: 'half_year', year: 1999 } },
  // A request id that is no uuid: allowed roles get 400, so nothing starts in the engine.
  // No such round: 404 for the court, never a refusal of its role.
  'POST /api/rounds/:id/verify': { path: () => '/api/rounds/2000-H1-matrix/verify' },
  'GET /api/public/listings': { path: () => '/api/public/listings' },
  'GET /api/escalation-orders': { path: () => '/api/escalation-orders' },
  'GET /api/topic-reports': { path: () => '/api/topic-reports' },
  // A 挂牌 reason for a 约谈: a leader gets 400 naming the reason, so nothing starts in the engine.
  'POST /api/departments/:id/interview-orders': { path: () => '/api/departments/town-zhangdian/interview-orders', body: { reason: 'major_hazard', evidence: '矩阵' } },
  // A year before 2000: allowed roles get 400, so no topic starts in the engine.
  'POST /api/topic-reports': { path: () => '/api/topic-reports', body: { subject: '矩阵专题', indicatorIds: ['B2'], townshipIds: [], periods: [{ kind: 'annual', year: 1999 }] } },
  // The item is registered, not in handling: a leader's order is refused with 409, never by role.
  'POST /api/items/:id/escalation-orders': { path: () => `/api/items/${ownItemId}/escalation-orders`, body: { step: 'listing', reason: 'major_hazard', evidence: '矩阵' } },
  'POST /api/escalation-prompts/dismissal': { path: () => '/api/escalation-prompts/dismissal', body: { promptKey: 'signals:town-huyang:2000-01' } },
  'POST /api/meetings/adhoc': { path: () => '/api/meetings/adhoc', body: { requestId: 'x', reason: '矩阵' } },
  'POST /api/bulletins/adhoc': { path: () => '/api/bulletins/adhoc', body: { requestId: 'x', reason: '矩阵' } },
  'GET /api/trace/:kind/:id': {
    // The notice here; every other trace kind in the trace test below.
    path: () => `/api/trace/notice/${own.notice}`,
    foreignPath: () => `/api/trace/notice/${foreign.notice}`,
    own: (res) => {
      ok(res);
      expect(res.body.start).toEqual({ kind: 'notice', id: own.notice });
      expect(res.body.nodes.find((n: { kind: string }) => n.kind === 'notice')).toMatchObject({ id: own.notice, departmentIds: ['rsj'] });
    },
  },
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
const clerk = (departmentId: string): Actor => ({ id: null, username: `matrix-${departmentId}`, displayName: `${departmentId} 经办人`, departmentId, roles: ['department'] });
const office: Actor = { id: null, username: 'matrix-office', displayName: '平安办', departmentId: 'pab', roles: ['peace_office'] };

describe('authorization matrix', () => {
  const clients = new Map<Role | 'anonymous', ApiClient>();
  /** 住建局's department user: shows that each foreign record is real and reachable by its owner. */
  let foreignClient: ApiClient;
  const instances: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    const { services } = system;
    const db = services.db;
    // Open answer tasks of real instances: two for 人社局 (rsj, "own"), one for 住建局 (zjj, "foreign").
    await system.engine.deployXml('web-inbox-answer.bpmn', await readFile('tests/fixtures/bpmn/web-inbox-answer.bpmn', 'utf8'));
    const open = async (department: string) => {
      const { processInstanceKey } = await system.engine.startProcess('web-inbox-answer', { department, dueDate: new Date(Date.now() + 10 * 86_400_000).toISOString() });
      instances.push(processInstanceKey);
      return { instance: processInstanceKey, task: await waitForOpenTask(db, processInstanceKey, 'answer') };
    };
    const ownOpen = await open('rsj');
    const foreignOpen = await open('zjj');
    const listed = await open('rsj');
    [ownInstanceKey, ownTaskKey] = [ownOpen.instance, ownOpen.task];
    [foreignInstanceKey, foreignTaskKey] = [foreignOpen.instance, foreignOpen.task];
    [listedInstanceKey, listedTaskKey] = [listed.instance, listed.task];
    // A comment and an attachment on each department's task, stored by its own clerk.
    const attach = async (department: string, key: string, a: typeof ownAttachment) =>
      (a.id = (await services.collaboration.addAttachment(clerk(department), key, a.fileName, Readable.from([a.data]), a.data.length)).id);
    await attach('rsj', ownTaskKey, ownAttachment);
    await attach('zjj', foreignTaskKey, foreignAttachment);
    await services.collaboration.addComment(clerk('rsj'), ownTaskKey, ownComment);
    await services.collaboration.addComment(clerk('zjj'), foreignTaskKey, '住建局：已组织专题研判');

    // One loop chain per department, made by the loop's services with their trace links:
    // indicator → notice → opinion → measure → item → escalation, the item → outcome of the next
    // annual round, and a joint meeting → decision → item. 人社局's notice is on B5; 住建局's on B4
    // and B5, so indicator B4 of the round leads to 住建局's records only and B5 to both.
    await db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ('M-matrix', 'half_year', '2026-01-01', '2026-06-30')`);
    for (const [id, year] of [[BEFORE, 2941], [AFTER, 2942]] as const) {
      await db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ($1, 'annual', $2, $3)`, [id, `${year}-01-01`, `${year}-12-31`]);
    }
    const chain = async (department: string, unitName: string, noticeIndicators: string[], measureIndicator: string): Promise<Chain & { decisionItem: string }> => {
      const notice = await services.notices.issue(systemActor, { roundId: BEFORE, departmentId: department, indicatorIds: noticeIndicators, dueDate: '2099-08-05T09:00:00Z' });
      const { opinionId } = await services.notices.submitOpinion(clerk(department), notice.id, {
        analysis: `经分析研判，${unitName}所涉风险集中于建筑领域。`,
        measures: [{ content: `${unitName}专项整治`, ownerName: '赵科长', responsibleDepartmentId: department, deadline: '2099-10-31', indicatorIds: [measureIndicator], townships: [] }],
      });
      await services.notices.reviewOpinion(office, notice.id, 'accept', null);
      const [item] = await services.supervision.registerFromAcceptedOpinion(systemActor, notice.id);
      await services.supervision.escalate(systemActor, item!.id, 'urge', `matrix-urge:${item!.id}`);
      const measure = await one<{ id: string }>(`SELECT id FROM measure WHERE opinion_id = $1`, [opinionId]);
      const escalation = await one<{ id: string }>(`SELECT id FROM escalation_event WHERE item_id = $1`, [item!.id]);
      // The joint meeting's minutes hold one decision led by this unit; registering it links meeting → decision → item.
      const meetingId = `matrix-meeting-${department}`;
      const decision = { decisionTitle: `${unitName}矩阵会议决定`, decisionContent: '限期整改', prejudgedImpact: '', leadDepartmentId: department, coDepartmentIds: [], decisionDeadline: '2099-06-30', major: false, indicatorIds: [] };
      await db.query(`INSERT INTO joint_meeting (id, minutes, status) VALUES ($1, $2, 'held')`, [meetingId, JSON.stringify({ decisions: [decision] })]);
      const [decided] = await services.meetingFlow.registerDecisions(meetingId);
      expect(decided!.itemKey).toBe(`decision:${meetingId}:1`);
      return {
        indicator: `${BEFORE}:${measureIndicator}`,
        notice: notice.id,
        opinion: opinionId,
        measure: measure.id,
        item: item!.id,
        escalation: escalation.id,
        meeting: meetingId,
        decision: `${meetingId}:1`,
        outcome: `2942:${measureIndicator}:county`,
        decisionItem: decided!.itemId,
      };
    };
    for (const [side, department, unitName, noticeIndicators, measureIndicator] of [
      ['own', 'rsj', '人社局', ['B5'], 'B5'],
      ['foreign', 'zjj', '住建局', ['B4', 'B5'], 'B4'],
    ] as const) {
      const { decisionItem, ...records } = await chain(department, unitName, [...noticeIndicators], measureIndicator);
      Object.assign(side === 'own' ? own : foreign, records);
      decisionItems[side] = decisionItem;
    }
    // And an open notice for each, of another round: the cockpit counts the department's own.
    for (const departmentId of ['rsj', 'zjj']) await services.notices.issue(systemActor, { roundId: 'M-matrix', departmentId, indicatorIds: ['B5'], dueDate: '2099-08-05T09:00:00Z' });
    // The annual evaluation links each item to its indicator's outcome: both rounds get county
    // values of B4 and B5 (high in 2941, low in 2942), then the evaluation flow classifies 2942.
    for (const [roundId, value, level] of [[BEFORE, 10, 'high'], [AFTER, 5, 'low']] as const) {
      const run = await one<{ id: string }>(`INSERT INTO indicator_run (round_id, fingerprint, period_start, period_end, definitions, computed_by) SELECT id, 'matrix', period_start, period_end, '[]', 'matrix' FROM assessment_round WHERE id = $1 RETURNING id`, [roundId]);
      await db.query(
        `INSERT INTO indicator_value (run_id, indicator_id, version, region, value, n, level, reason)
         SELECT $1, d.id, max(d.version), 'county', $2, 60, $3, '矩阵测试' FROM indicator_definition d WHERE d.id IN ('B4', 'B5') GROUP BY d.id`,
        [run.id, value, level],
      );
      await db.query(`UPDATE assessment_round SET indicator_run_id = $2 WHERE id = $1`, [roundId, run.id]);
    }
    expect(await services.evaluationFlow.classify({ now: new Date().toISOString(), evaluationYear: 2942 }, 'matrix-classify')).toMatchObject({ outcomeCount: 2 });

    // Supervision items registered directly, issued so the lead unit's requests reach them.
    const register = async (leadDepartmentId: string, title: string) => {
      const item = await services.supervision.register(systemActor, {
        businessKey: `matrix:${leadDepartmentId}`,
        title,
        sourceKind: 'meeting',
        sourceId: `matrix-meeting-${leadDepartmentId}`,
        leadDepartmentId,
        coDepartmentIds: [],
        requirements: '按期办结',
        deadline: '2099-06-30T09:30:00Z',
      });
      await services.supervision.issueNotice(systemActor, item.id);
      return item.id;
    };
    ownItemId = await register('rsj', '人社局矩阵测试事项');
    foreignItemId = await register('zjj', '住建局矩阵测试事项');
    ownDocumentId = await storeUrgeNoticeFor(db, { id: 'rsj', name: RSJ_NAME });
    foreignDocumentId = await storeUrgeNoticeFor(db, { id: 'zjj', name: ZJJ_NAME });
    clients.set('anonymous', new ApiClient(system.baseUrl));
    await clients.get('anonymous')!.refreshCsrf();
    for (const role of ALL_ROLES) {
      const { user, client } = await signedInUser(system, [role], departmentOf[role]);
      someUserId = user.id;
      clients.set(role, client);
      if (role === 'department') [departmentUsername, departmentClient] = [user.username, client];
    }
    foreignClient = (await signedInUser(system, ['department'], 'zjj')).client;
  });

  afterAll(async () => {
    for (const key of instances) await system?.engine.cancelProcessInstance(key).catch(() => undefined);
    // Computed rounds of year 2942 would become every later test file's latest round: take them away again.
    const db = system?.services.db;
    if (db) {
      const runs = (await db.query<{ id: string }[]>(`SELECT id FROM indicator_run WHERE fingerprint = 'matrix'`)).map((r) => r.id);
      await db.query(`UPDATE assessment_round SET indicator_run_id = NULL WHERE id IN ($1, $2)`, [BEFORE, AFTER]);
      await db.query(`DELETE FROM indicator_value WHERE run_id = ANY($1)`, [runs]);
      await db.query(`DELETE FROM indicator_run WHERE id = ANY($1)`, [runs]);
      await db.query(`DELETE FROM effectiveness_evaluation WHERE year = 2942`);
    }
    await system?.stop();
  });

  it('when a route is in the table, then the matrix has a sample request for it', () => {
    const missing = routes.map(keyOf).filter((k) => !(k in samples));
    expect(missing).toEqual([]);
  });

  it('when a route is scoped to the department, then its sample checks the own record and a real foreign one (none skipped)', () => {
    const incomplete = routes
      .filter((r) => r.scope === 'own-department')
      .map(keyOf)
      .filter((k) => !samples[k]?.own || !(samples[k]!.foreignPath || samples[k]!.listing));
    expect(incomplete).toEqual([]);
  });

  it('when each role calls each route, then access follows the declared rule (deny by default)', async () => {
    const failures: string[] = [];
    for (const spec of routes) {
      const sample = samples[keyOf(spec)]!;
      for (const [who, client] of clients) {
        // Logging out would end the client's session for later routes: probe it last, separately.
        if (keyOf(spec) === 'DELETE /api/session' && who !== 'anonymous') continue;
        const res = await client.request(spec.method.toUpperCase(), sample.path(), sample.body, sample.headers);
        const mayCall =
          spec.access === 'public' || (who !== 'anonymous' && (spec.access === 'authenticated' || spec.access.includes(who)));
        if (!mayCall) {
          const expected = who === 'anonymous' ? 401 : 403;
          if (res.status !== expected) failures.push(`${who} ${keyOf(spec)}: ${res.status}, expected ${expected}`);
        } else if (who === 'department' && spec.scope === 'own-department') {
          // 人社局 on its own record: exactly the answer and the record it should get.
          try {
            await sample.own?.(res);
          } catch (e) {
            failures.push(`${who} ${keyOf(spec)} (own): ${(e as Error).message}`);
          }
        } else {
          // Other allowed callers may get 400/404/409 from validation or state, and 401 only from the login
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
    expect(await system.engine.rest.read('GET', `/task?processInstanceId=${ownInstanceKey}`, z.array(z.object({ taskDefinitionKey: z.string() })))).toEqual([expect.objectContaining({ taskDefinitionKey: 'review' })]);
  });

  it('when a department user reaches for a foreign department record, then every scoped route answers 404', async () => {
    const dept = clients.get('department')!;
    const scoped = routes.filter((r) => r.scope === 'own-department');
    for (const spec of scoped.filter((r) => samples[keyOf(r)]!.foreignPath)) {
      const sample = samples[keyOf(spec)]!;
      const res = await dept.request(spec.method.toUpperCase(), sample.foreignPath!(), sample.body, sample.headers);
      expect(res.status, keyOf(spec)).toBe(404);
    }
    const list = await dept.request('GET', '/api/tasks');
    const keys = list.body.items.map((t: { key: string }) => t.key);
    expect(keys).toContain(listedTaskKey);
    expect(keys).not.toContain(foreignTaskKey);
  });

  it('when a department downloads an attachment, then it gets its own task\'s exact bytes and never another task\'s, not even through its own task', async () => {
    const download = (client: ApiClient, key: string, id: string) => fetch(`${system.baseUrl}/api/tasks/${key}/attachments/${id}`, { headers: { cookie: client.cookieHeader() } });
    const mine = await download(departmentClient, ownTaskKey, ownAttachment.id);
    expect(mine.status).toBe(200);
    expect(Buffer.from(await mine.arrayBuffer()).equals(ownAttachment.data)).toBe(true);
    // 住建局's attachment exists and its owner downloads it…
    const theirs = await download(foreignClient, foreignTaskKey, foreignAttachment.id);
    expect(theirs.status).toBe(200);
    expect(Buffer.from(await theirs.arrayBuffer()).equals(foreignAttachment.data)).toBe(true);
    // …while 人社局 gets 404 for it on 住建局's task and through its own task's key alike.
    for (const key of [foreignTaskKey, ownTaskKey]) {
      const res = await download(departmentClient, key, foreignAttachment.id);
      expect(res.status, key).toBe(404);
      expect(await res.json()).toMatchObject({ error: { status: 404 } });
    }
  });

  it('when a department traces a record of any kind, then its own chain answers and a chain with no node of its own is 404', async () => {
    // The rule (src/services/loop/trace-view.ts): a department sees a chain when one node on it is its
    // own — a notice or opinion addressed to it, a measure it is responsible for, an item it leads or
    // co-handles. Indicators, escalations, meetings, decisions and outcomes have no owning unit of
    // their own: they open to a department through the notices and items on their chain.
    const rules: Record<TraceKind, string> = {
      indicator: 'no owner: the round indicator is seen by every unit holding a notice on it',
      notice: 'the notice\'s department',
      opinion: 'the department of its notice',
      measure: 'the responsible department',
      item: 'the lead unit and the co-units',
      escalation: 'no owner: through the item it escalates',
      meeting: 'no owner: through the items its decisions registered',
      decision: 'no owner: through the item it registered',
      outcome: 'no owner: through the items (or measures) that targeted the indicator',
    };
    expect(Object.keys(rules).sort()).toEqual([...traceKinds].sort());
    const trace = (client: ApiClient, kind: TraceKind, id: string) => client.request('GET', `/api/trace/${kind}/${encodeURIComponent(id)}`);
    const failures: string[] = [];
    for (const kind of traceKinds) {
      const [mine, theirs] = [await trace(departmentClient, kind, own[kind]), await trace(departmentClient, kind, foreign[kind])];
      const [owner, countyWide] = [await trace(foreignClient, kind, foreign[kind]), await trace(clients.get('peace_office')!, kind, foreign[kind])];
      const fact = (what: string, actual: unknown, expected: unknown) => {
        if (JSON.stringify(actual) !== JSON.stringify(expected)) failures.push(`${kind} (${rules[kind]}): ${what} ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      };
      const nodeIds = (res: Response) => (res.body?.nodes ?? []).map((n: { kind: string; id: string }) => `${n.kind}:${n.id}`);
      fact('own status', mine.status, 200);
      fact('own start', mine.body?.start, { kind, id: own[kind] });
      // The own chain holds 人社局's item (the record that opens it to the department); the foreign one 住建局's.
      const [ownItem, foreignItem] = kind === 'meeting' || kind === 'decision' ? [decisionItems.own, decisionItems.foreign] : [own.item, foreign.item];
      fact('own chain holds its item', nodeIds(mine).includes(`item:${ownItem}`), true);
      fact('foreign status', theirs.status, 404);
      fact('foreign body', theirs.body?.error?.status, 404);
      // The foreign record is real: its own department and the office trace it.
      fact('foreign owner status', owner.status, 200);
      fact('office status', countyWide.status, 200);
      fact('office start', countyWide.body?.start, { kind, id: foreign[kind] });
      fact('office chain holds the foreign item', nodeIds(countyWide).includes(`item:${foreignItem}`), true);
    }
    expect(failures).toEqual([]);
    // An indicator several units were notified on: 人社局 sees the indicator and its own branch,
    // never 住建局's notice or the records below it; the office sees both branches.
    // An indicator with 住建局's notice only (B4) is 404 above.
    const shared = await trace(departmentClient, 'indicator', own.indicator);
    const noticesIn = (res: Response) => res.body.nodes.filter((n: { kind: string }) => n.kind === 'notice').map((n: { id: string }) => n.id).sort();
    expect(noticesIn(shared)).toEqual([own.notice]);
    expect(shared.body.nodes.some((n: { departmentIds: string[] }) => n.departmentIds.length > 0 && !n.departmentIds.includes('rsj'))).toBe(false);
    expect(shared.body.links.every((l: { from: { kind: string; id: string }; to: { kind: string; id: string } }) =>
      [l.from, l.to].every((e) => shared.body.nodes.some((n: { kind: string; id: string }) => n.kind === e.kind && n.id === e.id)),
    )).toBe(true);
    expect(noticesIn(await trace(clients.get('peace_office')!, 'indicator', own.indicator))).toEqual([own.notice, foreign.notice].sort());
  });
});
