import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/load-config.ts';
import { systemActor, type Actor } from '../../src/services/actor.ts';
import { createNoticeService } from '../../src/services/loop/notices.ts';
import { createWorkCalendar } from '../../src/domain/loop/working-days.ts';
import { createReminderService } from '../../src/services/loop/reminders.ts';
import { createSupervisionService } from '../../src/services/loop/supervision.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';

const rsj: Actor = { id: null, username: 'rsj-clerk', displayName: 'rsj-clerk', departmentId: 'rsj', roles: ['department'] };

/** 提醒 and 催办: one mail per deadline, none for settled work, a numbered 催办通知书 cc the leader. */
describe('reminders and urge notices', () => {
  let db: DataSource;
  let roundId: string;
  const reminders = () => createReminderService({ db, config: loadConfig({ NODE_ENV: 'test' }), workCalendar: createWorkCalendar() });
  const mails = (like: string) => db.query<{ recipients: string[]; cc: string[]; subject: string; attachments: { filename: string }[] }[]>(
    `SELECT recipients, cc, subject, attachments FROM outbox WHERE dedup_key LIKE $1 ORDER BY id`,
    [like],
  );

  beforeAll(async () => {
    db = await openTestDatabase();
    roundId = `R-${uniqueSuffix()}`;
    await db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ($1, 'half_year', '2026-01-01', '2026-06-30')`, [roundId]);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('when a notice nears its deadline twice over (redelivery), then one reminder goes out and it counts as the yellow light', async () => {
    const notice = await createNoticeService(db).issue(systemActor, { roundId, departmentId: 'rsj', indicatorIds: ['B5'], dueDate: '2026-08-05T09:00:00Z' });
    const request = { now: '2026-07-31T01:00:00Z', subjectKind: 'notice' as const, subjectId: notice.id, reminderKind: 'before_due' as const, dueDate: '2026-08-05T09:00:00Z', recipientDepartmentId: 'rsj' };
    expect(await reminders().remind(request, 'job-1')).toEqual({ sent: true });
    expect(await reminders().remind(request, 'job-2')).toEqual({ sent: true });
    const sent = await mails(`reminder:notice:${notice.id}:%`);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ recipients: ['rsj@tanghe.gov.example'] });
    expect(sent[0]!.subject).toBe(`【临近期限提醒】风险提示函工作意见：${roundId}风险提示函`);
    const events = await db.query(`SELECT kind FROM escalation_event WHERE notice_id = $1`, [notice.id]);
    expect(events).toEqual([{ kind: 'reminder' }]);
  });

  it('when the department has already answered, then the at-due reminder and the 催办 send nothing', async () => {
    const notice = await createNoticeService(db).issue(systemActor, { roundId, departmentId: 'zjj', indicatorIds: ['B6'], dueDate: '2026-08-05T09:00:00Z' });
    await db.query(`UPDATE risk_notice SET status = 'answered' WHERE id = $1`, [notice.id]);
    const base = { now: '2026-08-05T09:00:00Z', subjectId: notice.id, dueDate: '2026-08-05T09:00:00Z' };
    expect(await reminders().remind({ ...base, subjectKind: 'notice', reminderKind: 'at_due', recipientDepartmentId: 'zjj' }, 'job-3')).toEqual({ sent: false });
    expect(await reminders().urge({ ...base, now: '2026-08-06T01:00:00Z', subjectKind: 'notice', departmentId: 'zjj', graceWorkingDays: 5 }, 'job-4')).toEqual({ urged: false });
    expect(await mails(`%${notice.id}%`)).toHaveLength(0);
  });

  it('when an item is overdue, then one numbered 催办通知书 goes to the lead unit, cc its 分管领导, with the PDF, and the item turns red', async () => {
    const item = await createSupervisionService(db).register(systemActor, {
      businessKey: `test:${uniqueSuffix()}`,
      title: '集中整治建筑领域拖欠农民工工资问题',
      sourceKind: 'meeting',
      sourceId: roundId,
      leadDepartmentId: 'rsj',
      coDepartmentIds: ['zjj'],
      requirements: '清欠到位',
      deadline: '2026-09-30T15:59:59Z',
    });
    await createSupervisionService(db).reportProgress(rsj, item.id, `progress:${item.id}`, '已排查 12 个项目');
    const request = { now: '2026-10-09T01:00:00Z', subjectKind: 'item' as const, subjectId: item.id, departmentId: 'rsj', dueDate: '2026-09-30T15:59:59Z', graceWorkingDays: 5 };
    expect(await reminders().urge(request, 'job-5')).toEqual({ urged: true });
    expect(await reminders().urge(request, 'job-6')).toEqual({ urged: true });
    const sent = await mails(`document:urge:item:${item.id}:%`);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ recipients: ['rsj@tanghe.gov.example'], cc: ['rsj-leader@tanghe.gov.example'] });
    expect(sent[0]!.attachments[0]!.filename).toMatch(/^唐平催〔2026〕第\d{3}号_催办通知书\.pdf$/);
    const [event] = await db.query(`SELECT kind, detail FROM escalation_event WHERE item_id = $1`, [item.id]);
    expect(event.kind).toBe('urge');
    const [doc] = await db.query(`SELECT kind, text_body FROM document WHERE id = $1`, [event.detail.documentId]);
    expect(doc.kind).toBe('urge_notice');
    expect(doc.text_body).toContain('虽已报告阶段性进展，但至今未报送办理结果');
    // 5 working days after Fri 10-09, Saturday 10-10 being a make-up workday after the National Day holiday
    expect(doc.text_body).toContain('于2026年10月15日前');
    const [{ stage }] = await db.query(`SELECT stage FROM supervision_item WHERE id = $1`, [item.id]);
    expect(stage).toBe('red');
  });
});
