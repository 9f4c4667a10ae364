import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLoopSettings, ERROR_CODES } from '../../src/engine/contract.ts';
import { systemActor } from '../../src/services/actor.ts';
import { BusinessRuleError } from '../../src/shared/errors.ts';
import { uniqueSuffix } from '../support/database.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

/**
 * The 约谈通知书 job (issue 19 point 4) delivered at least once: a date already past sends the
 * arrangement back to the office, but a redelivery of a job whose notice went out — even after
 * midnight, when the 约谈's day is "past" — replays it: no second notice, no arrangement undone.
 */
describe('interview notice', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const item = async () =>
    system.services.supervision.register(systemActor, {
      businessKey: `interview-notice:${uniqueSuffix()}`,
      title: '整治建筑领域欠薪问题',
      sourceKind: 'meeting',
      sourceId: `M-${uniqueSuffix()}`,
      leadDepartmentId: 'rsj',
      coDepartmentIds: [],
      requirements: '按期办结',
      deadline: '2026-12-31T09:00:00Z',
    });
  const arrangement = (itemId: string, now: string, interviewDate: string) => ({
    now,
    settings: defaultLoopSettings,
    itemId,
    interviewReason: '督办事项逾期未办结。',
    interviewDate,
    interviewTime: '15:00',
    interviewPlace: '县委政法委会议室',
    interviewers: '县委政法委副书记',
    interviewMaterials: null,
  });

  it('when the job is redelivered the day after the notice went out, then the same notice is answered and one mail stands; a date already past is sent back', async () => {
    const { id } = await item();
    const first = await system.services.interviews.interviewNotice(arrangement(id, '2026-12-07T02:00:00Z', '2026-12-07'), 'job-1');
    expect(first.interviewNoticeNumber).toMatch(/^唐平约〔2026〕第\d{3}号$/);
    const again = await system.services.interviews.interviewNotice(arrangement(id, '2026-12-08T02:00:00Z', '2026-12-07'), 'job-1');
    expect(again).toEqual(first);
    const mails = await system.services.db.query<{ body: string }[]>(`SELECT body FROM outbox WHERE dedup_key = $1`, [`document:interview-notice:${id}`]);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body).toContain('因督办事项逾期未办结，根据');

    const late = await item();
    const refused = system.services.interviews.interviewNotice(arrangement(late.id, '2026-12-08T02:00:00Z', '2026-12-07'), 'job-2');
    await expect(refused).rejects.toThrow(BusinessRuleError);
    await expect(refused).rejects.toMatchObject({ code: ERROR_CODES.interviewArrangementInvalid, variables: { arrangementProblems: '约谈日期 2026-12-07 早于今天（2026-12-08），请重新安排' } });
    expect(await system.services.db.query(`SELECT 1 FROM outbox WHERE dedup_key = $1`, [`document:interview-notice:${late.id}`])).toHaveLength(0);
  });
});
