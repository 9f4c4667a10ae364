/**
 * 临近提醒 / 到期提醒 / 催办 (DOMAIN.md §4.6): whether a reminder is still worth sending, and the
 * wording of the reminder mail. Timers fire on non-interrupting boundary events of the open user
 * task, so the subject is normally still open; the status check guards the race where the unit
 * submits in the same instant, so nobody is reminded of work already handed in.
 */

export type ReminderSubjectKind = 'round' | 'notice' | 'item' | 'listing' | 'meeting' | 'bulletin' | 'evaluation';
export type ReminderKind = 'before_due' | 'at_due' | 'sign' | 'review';

/** Statuses (of the subject's table) in which each reminder has nothing left to remind of. */
const settledStatuses: Partial<Record<ReminderSubjectKind, Partial<Record<ReminderKind, readonly string[]>>>> = {
  notice: {
    before_due: ['answered', 'accepted', 'closed'],
    at_due: ['answered', 'accepted', 'closed'],
    review: ['issued', 'returned', 'accepted', 'closed'],
  },
  item: {
    sign: ['signed', 'in_progress', 'submitted', 'returned', 'closed'],
    before_due: ['submitted', 'closed'],
    at_due: ['submitted', 'closed'],
    review: ['registered', 'issued', 'signed', 'in_progress', 'returned', 'closed'],
  },
  round: { at_due: ['approved', 'notices_sent', 'closed'] },
  meeting: { at_due: ['held', 'closed'] },
  listing: { before_due: ['delisted'], at_due: ['delisted'] },
};

export function reminderStillDue(subject: ReminderSubjectKind, kind: ReminderKind, status: string | null): boolean {
  if (status === null) return false;
  return !(settledStatuses[subject]?.[kind] ?? []).includes(status);
}

const subjectNouns: Record<ReminderSubjectKind, string> = {
  round: '评估报告审批',
  notice: '风险提示函工作意见',
  item: '督办事项',
  listing: '挂牌督办整改',
  meeting: '联席会议纪要',
  bulletin: '督办事项专报',
  evaluation: '年度成效评价',
};

const kindTitles: Record<ReminderKind, string> = {
  before_due: '临近期限提醒',
  at_due: '到期提醒',
  sign: '签收提醒',
  review: '审核提醒',
};

const kindActions: Record<ReminderKind, string> = {
  before_due: '即将到期，请抓紧办理并按时报送',
  at_due: '今日到期，请于今日内办理完毕',
  sign: '尚未签收，请及时签收并明确承办人',
  review: '已报送待审核，请及时审核',
};

export interface ReminderMail {
  subject: string;
  body: string;
}

/** The reminder mail in Chinese: what, which, by when, what to do. */
export function reminderMail(input: { subjectKind: ReminderSubjectKind; kind: ReminderKind; title: string; dueDate: string; recipientName: string }): ReminderMail {
  const noun = subjectNouns[input.subjectKind];
  return {
    subject: `【${kindTitles[input.kind]}】${noun}：${input.title}`,
    body:
      `${input.recipientName}：\n` +
      `${noun}“${input.title}”的办理期限为${input.dueDate}，${kindActions[input.kind]}。` +
      `请登录唐河县社会治理风险闭环管理平台“待办”办理；逾期未办的，将按规定催办并在年度平安建设考核中扣分。\n` +
      `唐河县平安建设领导小组办公室`,
  };
}
