import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { uniqueSuffix } from '../support/database.ts';
import { eventually } from '../support/engine.ts';
import type { ApiClient } from '../support/http-client.ts';
import { deployLoopDiagrams, ITEM_OPENING_TYPES, openItemProcess, startWorkersOf } from '../support/loop-instances.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * 第十三条 on the lead unit's task page: the task detail of a supervision item's open task carries
 * the item (deadline, 重大, progress reports) for the item's lead unit only, and only while the
 * item is handled; the co-unit finds no such task, a reader of everything sees the task without
 * the item. The office's list of major items in handling shows who has not reported and when
 * each last did. The item's real process runs up to the lead unit's 签收 on the engine.
 */
describe('supervision item facts on the lead unit task', () => {
  let system: TestSystem;
  const clients: Record<'rsj' | 'rsjLeader' | 'zjj' | 'office' | 'auditor', ApiClient> = {} as never;
  const tag = uniqueSuffix();
  const DAY = 86_400_000;
  /** 09:00 in Beijing, 30 days from now: the item's deadline and its date. */
  const deadline = `${new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10)}T01:00:00.000Z`;
  const deadlineDate = deadline.slice(0, 10);
  let item: { id: string; businessKey: string; number: string };
  let signTask = '';
  let instance = '';
  let workers: { stop(): Promise<void> } | null = null;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await deployLoopDiagrams(system, ['supervision-item']);
    workers = startWorkersOf(system, [...ITEM_OPENING_TYPES, 'record-progress-report']);
    const registered = await system.services.supervision.register(systemActor, {
      businessKey: `progress-task:${tag}`,
      title: `排查在建工程欠薪隐患${tag}`,
      sourceKind: 'meeting',
      sourceId: `M-${tag}`,
      leadDepartmentId: 'rsj',
      coDepartmentIds: ['zjj'],
      requirements: '按期报送办理结果，重大事项随时报告进展。',
      deadline,
      major: true,
    });
    instance = await openItemProcess(system, registered);
    signTask = await waitForOpenTask(system.services.db, instance, 'sign');
    const [{ number }] = await system.services.db.query<{ number: string }[]>(`SELECT number FROM supervision_item WHERE id = $1`, [registered.id]);
    item = { id: registered.id, businessKey: registered.businessKey, number };
    for (const [who, roles, unit] of [
      ['rsj', ['department'], 'rsj'],
      ['rsjLeader', ['leader'], 'rsj'],
      ['zjj', ['department'], 'zjj'],
      ['office', ['peace_office'], 'pab'],
      ['auditor', ['auditor'], null],
    ] as const) {
      clients[who] = (await signedInUser(system, [...roles], unit)).client;
    }
  });

  afterAll(async () => {
    await workers?.stop();
    if (instance) await system?.engine.cancelProcessInstance(instance).catch(() => undefined);
    await system?.stop();
  });

  it('when the lead unit opens its 签收 task, then the detail carries the item: number, deadline, 重大 and no report yet', async () => {
    const res = await clients.rsj.request('GET', `/api/tasks/${signTask}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(item.number).toMatch(/^唐平督〔\d{4}〕第\d{3}号$/);
    expect(res.body.item).toEqual({
      id: item.id,
      number: item.number,
      title: `排查在建工程欠薪隐患${tag}`,
      deadline,
      deadlineDate,
      major: true,
      extensionOpen: true,
      progressReports: [],
    });
  });

  it('when another unit, a reader of everything or a non-department user of the same unit asks, then no item facts reach them', async () => {
    // The co-unit is no candidate of the lead unit's task: "not found", no body of the task.
    const zjj = await clients.zjj.request('GET', `/api/tasks/${signTask}`);
    expect(zjj.status).toBe(404);
    expect(JSON.stringify(zjj.body)).not.toContain(item.id);
    // The auditor reads the task, not the lead unit's item panel.
    const auditor = await clients.auditor.request('GET', `/api/tasks/${signTask}`);
    expect(auditor.status).toBe(200);
    expect(auditor.body).toMatchObject({ key: signTask, processId: 'supervision-item', elementId: 'sign', item: null });
    // A leader of 人社局 is a member of the unit's group but not a department clerk: it gets no item either.
    const leader = await clients.rsjLeader.request('GET', `/api/tasks/${signTask}`);
    expect(leader.status).toBe(200);
    expect(leader.body.item).toBeNull();
  });

  it('when the office looks before any report, then the major item is listed as not reported; a department may not look', async () => {
    const res = await clients.office.request('GET', '/api/items/major-progress');
    expect(res.status).toBe(200);
    expect(res.body.find((r: { id: string }) => r.id === item.id)).toEqual({
      id: item.id,
      number: item.number,
      title: `排查在建工程欠薪隐患${tag}`,
      leadUnit: '唐河县人力资源和社会保障局',
      deadline,
      reportCount: 0,
      lastReportedAt: null,
    });
    // Not reported first.
    const firstReported = res.body.findIndex((r: { lastReportedAt: string | null }) => r.lastReportedAt !== null);
    expect(firstReported === -1 || res.body.findIndex((r: { id: string }) => r.id === item.id) < firstReported).toBe(true);
    expect((await clients.rsj.request('GET', '/api/items/major-progress')).status).toBe(403);
  });

  it('when the lead unit reports progress, then its task detail lists the report and the office sees the date of the last one', async () => {
    const sent = await clients.rsj.request('POST', `/api/items/${item.id}/progress`, { content: '已排查在建项目 8 个，发现欠薪线索 2 条' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const reportId = sent.body.reportId as string;
    const [stored] = await eventually(
      async () => {
        const rows = await system.services.db.query<{ reported_at: Date }[]>(`SELECT reported_at FROM progress_report WHERE message_id = $1`, [reportId]);
        return rows.length ? rows : undefined;
      },
      'the progress report to be registered',
    );
    const reportedAt = stored!.reported_at.toISOString();

    const res = await clients.rsj.request('GET', `/api/tasks/${signTask}`);
    expect(res.body.item.progressReports).toEqual([{ id: reportId, reportedAt, content: '已排查在建项目 8 个，发现欠薪线索 2 条' }]);
    const office = await clients.office.request('GET', '/api/items/major-progress');
    expect(office.body.find((r: { id: string }) => r.id === item.id)).toMatchObject({ reportCount: 1, lastReportedAt: reportedAt });
  });

  it('when the item is no longer handled, then the lead unit task detail carries no item', async () => {
    const { db } = system.services;
    const [{ status }] = await db.query<{ status: string }[]>(`SELECT status FROM supervision_item WHERE id = $1`, [item.id]);
    await db.query(`UPDATE supervision_item SET status = 'submitted' WHERE id = $1`, [item.id]);
    try {
      const res = await clients.rsj.request('GET', `/api/tasks/${signTask}`);
      expect(res.status).toBe(200);
      expect(res.body.item).toBeNull();
      const office = await clients.office.request('GET', '/api/items/major-progress');
      expect(office.body.map((r: { id: string }) => r.id)).not.toContain(item.id);
    } finally {
      await db.query(`UPDATE supervision_item SET status = $2 WHERE id = $1`, [item.id, status]);
    }
  });
});
