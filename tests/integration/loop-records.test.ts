import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { systemActor, type Actor } from '../../src/services/actor.ts';
import { createNoticeService } from '../../src/services/loop/notices.ts';
import { createSupervisionService } from '../../src/services/loop/supervision.ts';
import { downstream } from '../../src/services/loop/trace.ts';
import { createTraceService } from '../../src/services/loop/trace-view.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';

const person = (username: string, departmentId: string, role: Actor['roles'][number]): Actor => ({ id: null, username, displayName: username, departmentId, roles: [role] });

/** The loop's records from notice to escalation, each step idempotent, scoped and traced. */
describe('closed-loop records: notice → opinion → measures → items → escalation', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('when a round notifies 人社局 and the loop runs, then every record exists once and the trace reaches the escalation', async () => {
    const notices = createNoticeService(db);
    const items = createSupervisionService(db);
    const roundId = `T-${uniqueSuffix()}`;
    await db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ($1, 'half_year', '2026-01-01', '2026-06-30')`, [roundId]);
    const rsj = person('rsj-clerk', 'rsj', 'department');
    const zjj = person('zjj-clerk', 'zjj', 'department');
    const office = person('office', 'pab', 'peace_office');

    const input = { roundId, departmentId: 'rsj', indicatorIds: ['B4', 'B5'], dueDate: '2026-08-05T16:00:00Z' };
    const notice = await notices.issue(systemActor, input);
    expect((await notices.issue(systemActor, input)).id).toBe(notice.id);

    const measure = { content: '对涉欠薪企业开展专项检查', ownerName: '赵科长', responsibleDepartmentId: 'rsj', deadline: '2026-10-31', indicatorIds: ['B5'], townships: ['源潭镇'] };
    const now = new Date('2026-07-20T02:00:00Z');
    await expect(notices.submitOpinion(zjj, notice.id, { analysis: '经分析研判，欠薪问题集中于建筑领域。', measures: [measure] }, now)).rejects.toThrow('风险提示函不存在');
    const bad = await notices.submitOpinion(rsj, notice.id, { analysis: '短', measures: [{ ...measure, ownerName: '', deadline: '2020-01-01' }] }, now).catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).problems.map((p) => p.field)).toEqual(['analysis', 'measures.0.ownerName', 'measures.0.deadline']);

    await notices.submitOpinion(rsj, notice.id, { analysis: '经分析研判，欠薪问题集中于建筑领域。', measures: [measure] }, now);
    await expect(notices.reviewOpinion(office, notice.id, 'return', '')).rejects.toThrow(ValidationError);
    await notices.reviewOpinion(office, notice.id, 'return', '措施不够具体，请补充责任人和节点');
    const second = await notices.submitOpinion(
      rsj,
      notice.id,
      { analysis: '经分析研判，欠薪问题集中于建筑领域，已补充措施。', measures: [measure, { ...measure, content: '联合住建局建立工资专户', responsibleDepartmentId: 'zjj' }] },
      now,
    );
    expect(second).toMatchObject({ version: 2, late: false });
    await notices.reviewOpinion(office, notice.id, 'accept', null);

    const registered = await items.registerFromAcceptedOpinion(systemActor, notice.id);
    expect(registered).toHaveLength(2);
    // A measure due 2026-10-31 is due at the end of that day in Beijing, whatever the server's time zone.
    expect(registered.find((i) => i.leadDepartmentId === 'rsj')!.deadline).toBe('2026-10-31T15:59:59.000Z');
    expect((await items.registerFromAcceptedOpinion(systemActor, notice.id)).map((i) => i.id)).toEqual(registered.map((i) => i.id));
    const joint = registered.find((i) => i.leadDepartmentId === 'zjj')!;
    expect(joint.coDepartmentIds).toEqual(['rsj']);

    await items.issueNotice(systemActor, joint.id);
    const [cc] = await db.query(`SELECT recipients, cc FROM outbox WHERE dedup_key = $1`, [`supervision-notice:${joint.id}`]);
    expect(cc).toEqual({ recipients: ['zjj@tanghe.gov.example'], cc: ['rsj@tanghe.gov.example'] });

    expect(await items.escalate(systemActor, joint.id, 'urge', `urge:${joint.id}:1`)).toBe(true);
    expect(await items.escalate(systemActor, joint.id, 'urge', `urge:${joint.id}:1`)).toBe(false);
    const messageId = `progress:${roundId}:1`;
    await items.reportProgress(person('zjj-clerk', 'zjj', 'department'), joint.id, messageId, '已完成 60%');
    await items.reportProgress(person('zjj-clerk', 'zjj', 'department'), joint.id, messageId, '已完成 60%');
    const returned = await items.reviewResult(office, joint.id, 'return', '材料不全');
    const closed = await items.reviewResult(office, joint.id, 'accept', null, new Date('2026-10-01T00:00:00Z'));
    expect(returned.returnedCount).toBe(1);
    expect(closed).toMatchObject({ status: 'closed', stage: 'red', returnedCount: 1 });
    const [progress] = await db.query(`SELECT count(*)::int AS n FROM progress_report WHERE item_id = $1`, [joint.id]);
    expect(progress.n).toBe(1);

    const chain = await downstream(db, { kind: 'indicator', id: `${roundId}:B5` });
    const kinds = new Set(chain.map((l) => l.to.kind));
    expect([...kinds].sort()).toEqual(['escalation', 'item', 'measure', 'notice', 'opinion']);

    // The trace API view of the same chain from its middle: the measure shows its indicator and its escalation.
    const trace = createTraceService(db);
    const fromMeasure = await trace.trace(zjj, { kind: 'item', id: joint.id });
    const labels = fromMeasure.nodes.map((n) => n.label);
    expect(labels).toContain(`欠薪类案件（B5） · 评估轮次 ${roundId}`);
    expect(labels).toContain('到期催办（' + new Date().toISOString().slice(0, 10) + '）');
    expect(fromMeasure.nodes.find((n) => n.kind === 'item')!.departmentIds).toEqual(['zjj', 'rsj']);
    // The chain carries case-derived figures: the read is audited, with how much it showed.
    expect(await db.query(`SELECT actor_name, department_id, after FROM audit_log WHERE action = 'trace.read' AND entity_id = $1`, [`item:${joint.id}`])).toEqual([
      { actor_name: 'zjj-clerk', department_id: 'zjj', after: { nodes: fromMeasure.nodes.length } },
    ]);
    await expect(trace.trace(person('gaj-clerk', 'gaj', 'department'), { kind: 'item', id: joint.id })).rejects.toThrow('没有找到该记录的追溯链');
    expect((await trace.trace(office, { kind: 'notice', id: notice.id })).links.length).toBeGreaterThanOrEqual(chain.length);
  });
});
