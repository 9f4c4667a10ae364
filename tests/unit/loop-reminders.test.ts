import { describe, expect, it } from 'vitest';
import { reminderMail, reminderStillDue } from '../../src/domain/loop/reminders.ts';

describe('reminder rules', () => {
  it('reminds of open work only', () => {
    expect(reminderStillDue('notice', 'before_due', 'issued')).toBe(true);
    expect(reminderStillDue('notice', 'before_due', 'returned')).toBe(true);
    expect(reminderStillDue('notice', 'at_due', 'answered')).toBe(false);
    expect(reminderStillDue('notice', 'review', 'answered')).toBe(true);
    expect(reminderStillDue('notice', 'review', 'accepted')).toBe(false);
    expect(reminderStillDue('item', 'sign', 'issued')).toBe(true);
    expect(reminderStillDue('item', 'sign', 'signed')).toBe(false);
    expect(reminderStillDue('item', 'before_due', 'submitted')).toBe(false);
    expect(reminderStillDue('listing', 'at_due', 'delisted')).toBe(false);
    expect(reminderStillDue('round', 'at_due', 'drafted')).toBe(true);
  });

  it('never reminds of a subject that does not exist', () => {
    expect(reminderStillDue('item', 'before_due', null)).toBe(false);
  });

  it('writes the mail in Chinese with the deadline and the way to act', () => {
    const mail = reminderMail({ subjectKind: 'item', kind: 'sign', title: '清理欠薪', dueDate: '2026-10-09', recipientName: '唐河县人力资源和社会保障局' });
    expect(mail.subject).toBe('【签收提醒】督办事项：清理欠薪');
    expect(mail.body).toContain('办理期限为2026-10-09，尚未签收');
  });
});
