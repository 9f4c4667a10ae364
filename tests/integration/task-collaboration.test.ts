import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { ApiClient } from '../support/http-client.ts';
import { endlessUpload } from '../support/endless-upload.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/**
 * Working a task together over HTTP: comments and attachments (checked by their first bytes and
 * size-limited, never half-stored), saved inbox filters per user, the inbox's light filter, and
 * the office's bulk 催办 — one reminder per task and day. The tasks are real: the answer tasks of
 * three instances of the web-inbox-answer fixture diagram, two for 人社局 and one for 住建局.
 */
describe('task collaboration', () => {
  let system: TestSystem;
  const clients: Record<'rsj' | 'zjj' | 'office', ApiClient> = {} as never;
  const keys: Record<'overdue' | 'later' | 'foreign', string> = {} as never;
  const dues: Record<'overdue' | 'later' | 'foreign', string> = {} as never;
  const instances: string[] = [];
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300, 0x20), Buffer.from('\n%%EOF\n')]);

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true, env: { ATTACHMENT_LIMIT_BYTES: '1000' } });
    await system.engine.deployXml('web-inbox-answer.bpmn', await readFile('tests/fixtures/bpmn/web-inbox-answer.bpmn', 'utf8'));
    const day = 86_400_000;
    for (const [name, department, due] of [
      ['overdue', 'rsj', Date.now() - 2 * day],
      ['later', 'rsj', Date.now() + 10 * day],
      ['foreign', 'zjj', Date.now() - day],
    ] as const) {
      dues[name] = new Date(due).toISOString();
      const { processInstanceKey } = await system.engine.startProcess('web-inbox-answer', { department, dueDate: dues[name] });
      instances.push(processInstanceKey);
      keys[name] = await waitForOpenTask(system.services.db, processInstanceKey, 'answer');
    }
    for (const [who, roles, department] of [
      ['rsj', ['department'], 'rsj'],
      ['zjj', ['department'], 'zjj'],
      ['office', ['peace_office'], 'pab'],
    ] as const) {
      clients[who] = new ApiClient(system.baseUrl);
      expect((await clients[who].login((await createTestUser(system.services, [...roles], department)).username, TEST_PASSWORD)).status).toBe(200);
    }
  });

  afterAll(async () => {
    // Later test files of this run see no open tasks of ours.
    for (const key of instances) await system?.engine.cancelProcessInstance(key).catch(() => undefined);
    await system?.stop();
  });

  const upload = (who: ApiClient, key: string, fileName: string, body: Buffer) =>
    fetch(`${system.baseUrl}/api/tasks/${key}/attachments?fileName=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { cookie: who.cookieHeader(), 'x-csrf-token': who.csrfToken, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(body),
    });

  it('when the unit comments and attaches a PDF, then both are listed and downloadable, and another unit finds no such task', async () => {
    expect((await clients.rsj.request('POST', `/api/tasks/${keys.overdue}/comments`, { body: '已联系项目方，本周内报送' })).status).toBe(201);
    const comments = await clients.rsj.request('GET', `/api/tasks/${keys.overdue}/comments`);
    expect(comments.body.map((c: { body: string }) => c.body)).toEqual(['已联系项目方，本周内报送']);
    expect((await clients.zjj.request('GET', `/api/tasks/${keys.overdue}/comments`)).status).toBe(404);
    expect((await clients.zjj.request('POST', `/api/tasks/${keys.overdue}/comments`, { body: '越权' })).status).toBe(404);

    const res = await upload(clients.rsj, keys.overdue, '清欠台账.pdf', pdf);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const listed = await clients.rsj.request('GET', `/api/tasks/${keys.overdue}/attachments`);
    expect(listed.body).toEqual([expect.objectContaining({ id, fileName: '清欠台账.pdf', contentType: 'application/pdf', size: pdf.length })]);
    const file = await fetch(`${system.baseUrl}/api/tasks/${keys.overdue}/attachments/${id}`, { headers: { cookie: clients.rsj.cookieHeader() } });
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await fetch(`${system.baseUrl}/api/tasks/${keys.overdue}/attachments/${id}`, { headers: { cookie: clients.zjj.cookieHeader() } })).status).toBe(404);
    expect(await system.services.db.query(`SELECT 1 FROM audit_log WHERE action IN ('task.comment', 'task.attach') AND entity_id = $1`, [keys.overdue])).toHaveLength(2);
  });

  it.each([
    ['a file that is not what its name says', '台账.pdf', Buffer.from('MZ this is a program'), 400, 'fileName'],
    ['a type the county does not exchange', '工具.exe', Buffer.from('MZ'), 400, 'fileName'],
    ['a path in the name', '../../etc/passwd.pdf', pdf, 400, 'fileName'],
    ['a file over the limit', '大文件.pdf', Buffer.concat([pdf, Buffer.alloc(2_000)]), 413, null],
  ])('when the upload is %s, then it is refused and nothing is stored', async (_case, fileName, body, status, field) => {
    const before = (await clients.rsj.request('GET', `/api/tasks/${keys.later}/attachments`)).body.length;
    const res = await upload(clients.rsj, keys.later, fileName, body);
    expect(res.status).toBe(status);
    const error = ((await res.json()) as { error: { message: string; problems?: { field: string }[] } }).error;
    expect(error.message).toMatch(/[\u4e00-\u9fff]/);
    if (field) expect(error.problems?.map((p) => p.field)).toContain(field);
    expect((await clients.rsj.request('GET', `/api/tasks/${keys.later}/attachments`)).body).toHaveLength(before);
  });

  it('when an attachment streams without Content-Length past the limit, then 413 comes at the limit, the server stops reading, and nothing is stored', async () => {
    const before = (await clients.rsj.request('GET', `/api/tasks/${keys.later}/attachments`)).body.length;
    const outcome = await endlessUpload(`${system.baseUrl}/api/tasks/${keys.later}/attachments?fileName=${encodeURIComponent('无尽.pdf')}`, {
      cookie: clients.rsj.cookieHeader(),
      'x-csrf-token': clients.rsj.csrfToken,
      'content-type': 'application/octet-stream',
    });
    expect([outcome.status, outcome.body.error?.message]).toEqual([413, '请求体过大']);
    expect(outcome.sentBeforeAnswer).toBeLessThan(16 * 1024 * 1024);
    expect(outcome.serverHungUp).toBe(true);
    expect((await clients.rsj.request('GET', `/api/tasks/${keys.later}/attachments`)).body).toHaveLength(before);
  });

  it('when a user saves filters, then they are his alone, replaced by name, and the light filter narrows the inbox', async () => {
    expect((await clients.rsj.request('POST', '/api/filters', { name: '逾期的', filter: { light: 'yellow' } })).status).toBe(201);
    expect((await clients.rsj.request('POST', '/api/filters', { name: '逾期的', filter: { light: 'red' } })).status).toBe(201);
    const mine = await clients.rsj.request('GET', '/api/filters');
    expect(mine.body).toEqual([expect.objectContaining({ name: '逾期的', filter: { light: 'red' } })]);
    expect((await clients.zjj.request('GET', '/api/filters')).body).toEqual([]);
    expect((await clients.zjj.request('DELETE', `/api/filters/${mine.body[0].id}`)).status).toBe(404);
    // Of this test's tasks, the red filter leaves 人社局 its overdue one.
    const red = await clients.rsj.request('GET', '/api/tasks?light=red&limit=200');
    expect(red.body.items.filter((t: { processInstanceKey: string }) => instances.includes(t.processInstanceKey)).map((t: { key: string }) => t.key)).toEqual([keys.overdue]);
    const all = await clients.rsj.request('GET', '/api/tasks?limit=200');
    expect(all.body.items.filter((t: { processInstanceKey: string }) => instances.includes(t.processInstanceKey)).map((t: { key: string; light: string }) => [t.key, t.light])).toEqual([
      [keys.overdue, 'red'],
      [keys.later, 'green'],
    ]);
    expect((await clients.rsj.request('DELETE', `/api/filters/${mine.body[0].id}`)).status).toBe(200);
    expect((await clients.rsj.request('GET', '/api/filters')).body).toEqual([]);
  });

  it('when the office urges overdue tasks in bulk, then each unit gets one reminder a day and tasks in time are skipped', async () => {
    const overdue = await clients.office.request('GET', '/api/overdue-tasks');
    const ours = Object.values(keys);
    expect(overdue.body.filter((t: { key: string }) => ours.includes(t.key))).toEqual([
      { key: keys.overdue, processId: 'web-inbox-answer', elementId: 'answer', candidateGroups: [{ id: 'rsj', name: '唐河县人力资源和社会保障局' }], subject: null, dueDate: dues.overdue, name: '研判并提交工作意见', processName: '风险提示函答复（界面测试）' },
      { key: keys.foreign, processId: 'web-inbox-answer', elementId: 'answer', candidateGroups: [{ id: 'zjj', name: '唐河县住房和城乡建设局' }], subject: null, dueDate: dues.foreign, name: '研判并提交工作意见', processName: '风险提示函答复（界面测试）' },
    ]);
    const first = await clients.office.request('POST', '/api/overdue-tasks/urge', { taskKeys: [keys.overdue, keys.later] });
    expect(first.body).toEqual({ urged: [keys.overdue], skipped: [{ key: keys.later, reason: '尚未逾期' }] });
    const again = await clients.office.request('POST', '/api/overdue-tasks/urge', { taskKeys: [keys.overdue] });
    expect(again.body).toEqual({ urged: [], skipped: [{ key: keys.overdue, reason: '今天已催办' }] });
    const mails = await system.services.db.query(`SELECT recipients, subject FROM outbox WHERE dedup_key LIKE $1`, [`manual-urge:${keys.overdue}:%`]);
    expect(mails).toEqual([{ recipients: ['rsj@tanghe.gov.example'], subject: '【催办】研判并提交工作意见已逾期，请尽快办理' }]);
    expect((await clients.rsj.request('POST', '/api/overdue-tasks/urge', { taskKeys: [keys.overdue] })).status).toBe(403);
  });
});
